"""Hook specifications: the public contract between cxprobe and its plugins.

Every hook is prefixed ``cxprobe_``. Hooks *register objects*; the objects do the work,
and the host validates what is registered. Hook specs only ever change by adding
arguments (pluggy lets an implementation take fewer arguments than the spec).

The lifecycle of one ``cxprobe audit`` (pytest-style, in order):

1. Start-up: plugins load from the ``cxprobe`` entry-point group (a broken third-party
   plugin is one warning line; a broken built-in is exit 4).
   :func:`cxprobe_add_options` (historic) declares settings and options; the
   configuration is read (defaults, config file, flags).
2. Registration: :func:`cxprobe_add_touchpoints`, :func:`cxprobe_add_extractors`,
   :func:`cxprobe_add_gatherers`, :func:`cxprobe_add_probes`, :func:`cxprobe_add_reporters`,
   each called once through pluggy; the host validates every object and keeps built-in ids
   first.
3. Configuration: :func:`cxprobe_configure` (historic) with the final, frozen
   configuration; each implementation within the plugin time budget.
4. Gathering: the gatherers run in dependency order — the crawl (``site``), which reads
   each page once: the generic document, then every extractor over the same parsed tree;
   then the browser (``rendering``) in browser mode; then plugins' own artifacts.
5. Judging: every selected probe runs over the artifacts it declared, within its time
   budget; outcomes are validated; scoring turns them into touchpoint and cohesion scores.
6. Report: :func:`cxprobe_report_ready` with the finished report, before the reporters
   write it.

Calls go through pluggy, so ``hookwrapper``/``wrapper`` implementations, ``tryfirst`` and
``trylast`` work; an implementation that raises or hangs is named by its plugin and the
run goes on (as an incomplete run), except a built-in's, which is a cxprobe bug (exit 4).

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
    from .probe import Extractor, Gatherer, Probe, Reporter, Touchpoint

hookspec = pluggy.HookspecMarker("cxprobe")

# --------------------------------------------------------------------------- start-up


@hookspec(historic=True)
def cxprobe_add_options(add_option: Callable[..., None]) -> None:
    """Declare the plugin's settings: each once, with its config-file key, its command-line
    option (if any), its check and its documentation line.

    :param add_option: call it with a :class:`cxprobe.Setting` whose name is namespaced
        by the plugin: ``add_option(Setting(name="myplugin.level", kind="int", default=1,
        help="...", option="--myplugin-level", minimum=0))`` is the key ``level`` of the
        config file's ``[myplugin]`` table and the option ``--myplugin-level``; read it
        with ``config.option("myplugin.level")``. A click-style call
        (``add_option("--my-level", type=int, default=1, help="...")``) still works: its
        value is ``config.plugin_options["my_level"]`` and the file's ``[plugins]`` table.

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
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    """Register extractors: objects that read each page's parsed document once and add
    facts under their own namespace (``PageFacts.fact(name)``), for any probe to read.

    :param register: call with a :class:`cxprobe.Extractor` instance. Its ``name`` is its
        namespace; registering a name twice is an error naming both plugins, and an
        extractor whose ``requires`` names no registered extractor (or a cycle) is not
        valid. The built-in touchpoints register theirs through this same hook.
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
