"""Hook specifications: the public contract between cxprobe and its plugins.

Every hook is prefixed ``cxprobe_``. Hooks *register objects*; the objects do the work,
and the host validates what is registered. Hook specs only ever change by adding
arguments (pluggy lets an implementation take fewer arguments than the spec).

Implement a hook with ``@cxprobe.hookimpl`` in a module that you expose through the
``cxprobe`` entry-point group::

    [project.entry-points.cxprobe]
    my_probes = "my_package.probes"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .config import AuditConfig
    from .probe import Gatherer, Probe, Reporter, Touchpoint

hookspec = pluggy.HookspecMarker("cxprobe")

# --------------------------------------------------------------------------- start-up


@hookspec(historic=True)
def cxprobe_add_options(add_option: Callable[..., None]) -> None:
    """Add command-line options to ``cxprobe audit`` and ``cxprobe demo``.

    :param add_option: call it like ``click.option``:
        ``add_option("--my-plugin-level", type=int, default=1, help="...")``.
        The value ends up in ``config.plugin_options["my_plugin_level"]``.

    Historic: a plugin registered late still gets the call.
    """


@hookspec(historic=True)
def cxprobe_configure(config: AuditConfig) -> None:
    """Read the final configuration of the run (after config files and flags).

    :param config: the frozen :class:`cxprobe.config.AuditConfig`.

    Historic: a plugin registered late still gets the call.
    """


# --------------------------------------------------------------------------- registration


@hookspec
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    """Register touchpoints: the customer questions probes answer.

    :param register: call with a :class:`cxprobe.Touchpoint`. Registering an id twice
        is an error naming both plugins.
    """


@hookspec
def cxprobe_add_gatherers(register: Callable[[Gatherer], None]) -> None:
    """Register gatherers: objects that collect an artifact (``site``, ``rendering``, ...).

    :param register: call with a :class:`cxprobe.Gatherer` instance.
    """


@hookspec
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    """Register probes: pure checks over artifacts, each belonging to one touchpoint.

    :param register: call with a :class:`cxprobe.Probe` instance. The host validates
        its metadata (id, touchpoint, titles, weight, requires).
    """


@hookspec
def cxprobe_add_reporters(register: Callable[[Reporter], None]) -> None:
    """Register reporters: output formats selectable with ``--format NAME``.

    :param register: call with a :class:`cxprobe.Reporter` instance.
    """


# --------------------------------------------------------------------------- after the run


@hookspec
def cxprobe_report_ready(report: dict[str, Any]) -> None:
    """Called once with the finished JSON report (a plain dict), before reporters write.

    :param report: the report of the JSON contract (``schema_version`` "1"); URLs are
        site-relative for local targets.

    Read it (send it somewhere, record history); do not change scores: they must stay
    comparable across installs.
    """
