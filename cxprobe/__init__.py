"""cxprobe: audit a business website the way a customer meets it.

This module is the one public door: everything a plugin may use is exported here and
listed in ``__all__`` — the ``hookimpl`` marker, the objects hooks register
(:class:`Touchpoint`, :class:`Probe`, :class:`Gatherer`, :class:`Reporter`,
:class:`Setting`), what probes receive (:class:`Context`, :class:`AuditConfig` and the
model dataclasses) and what they return (:class:`Outcome`, :func:`issue`,
:func:`outcome`, :class:`Cause`). Submodules are cxprobe's own and may change between
releases; the built-in plugins import nothing else either (a test holds them to it).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from typing import TYPE_CHECKING, Any

import pluggy

try:
    #: The installed cxprobe's version ("0.0.0+src" in a source tree that is not installed).
    __version__ = _version("cxprobe")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+src"

#: The version of the plugin API (an integer): the hooks, the objects they register and
#: the facts probes read. It goes up only when a change could break a plugin. A plugin
#: module may declare the versions it was written for, ``CXPROBE_PLUGIN_API = 1`` or
#: ``CXPROBE_PLUGIN_API = range(1, 3)``; a plugin that does not include this one is refused
#: with one line saying what to upgrade.
PLUGIN_API = 1

#: The marker of a hook implementation: decorate a module-level function named after a hook
#: (``@hookimpl def cxprobe_add_probes(register): ...``); ``@hookimpl(tryfirst=True)``,
#: ``trylast``, ``wrapper`` and ``hookwrapper`` work as in pluggy.
hookimpl = pluggy.HookimplMarker("cxprobe")

from .config import AuditConfig  # noqa: E402
from .errors import CxprobeError, ExitCode  # noqa: E402
from .journeys import Break, Hop, Journey, Route  # noqa: E402
from .language import STOPWORDS, detect_language  # noqa: E402
from .model import (  # noqa: E402
    Box,
    Cause,
    CrawlStats,
    Evidence,
    FactUnavailable,
    Finding,
    Form,
    FormField,
    Heading,
    Image,
    Issue,
    Link,
    LinkClick,
    MenuCheck,
    Outcome,
    Page,
    PageFacts,
    ProbeResult,
    RenderedPage,
    Rendering,
    RobotsTxt,
    ScreenBox,
    Site,
    TapTarget,
)
from .options import Setting  # noqa: E402
from .probe import (  # noqa: E402
    Context,
    Extractor,
    Gatherer,
    Probe,
    Reporter,
    Touchpoint,
    issue,
    outcome,
    per_run,
)

if TYPE_CHECKING:
    from .document import Document, to_json

#: Names imported on first use: the document reader pulls in BeautifulSoup and lxml,
#: which ``cxprobe --help`` has no need for.
_LAZY = {"Document": "document", "to_json": "document"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cxprobe' has no attribute {name!r}")

__all__ = [
    "__version__",
    "PLUGIN_API",
    "hookimpl",
    "AuditConfig",
    "Box",
    "Break",
    "Cause",
    "Context",
    "CrawlStats",
    "CxprobeError",
    "Document",
    "Evidence",
    "ExitCode",
    "Extractor",
    "FactUnavailable",
    "Finding",
    "Form",
    "FormField",
    "Gatherer",
    "Heading",
    "Hop",
    "Image",
    "Issue",
    "Journey",
    "Link",
    "LinkClick",
    "MenuCheck",
    "Outcome",
    "Page",
    "PageFacts",
    "Probe",
    "ProbeResult",
    "RenderedPage",
    "Rendering",
    "ScreenBox",
    "Reporter",
    "RobotsTxt",
    "Route",
    "STOPWORDS",
    "Setting",
    "Site",
    "TapTarget",
    "Touchpoint",
    "detect_language",
    "issue",
    "outcome",
    "per_run",
    "to_json",
]
