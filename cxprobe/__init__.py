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

from typing import TYPE_CHECKING, Any

import pluggy

from ._deferred import defer_import

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

# BeautifulSoup imports soupsieve for its CSS selectors (``Tag.select``), which no built-in
# extractor uses: its import compiles the selector grammar, about 90 ms in each process
# that reads pages. It is imported when a selector is first used (a third-party plugin's).
# Here, because a plugin may import bs4 before cxprobe reads a page; everything imports
# this module first.
defer_import("soupsieve")

if TYPE_CHECKING:
    #: The installed cxprobe's version ("0.0.0+src" in a source tree that is not installed).
    __version__: str

    from .config import AuditConfig
    from .document import Document, to_json
    from .errors import CxprobeError, ExitCode
    from .journeys import Break, Hop, Journey, Route
    from .language import STOPWORDS, detect_language
    from .model import (
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
    from .options import Setting
    from .probe import (
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

#: The submodule each exported name comes from, imported on first use: ``cxprobe --help``
#: needs none of them (the model's two dozen dataclasses alone take 40 ms to create), and
#: the document reader pulls in BeautifulSoup and lxml. ``from cxprobe import Probe`` and
#: ``cxprobe.Probe`` work as if they were imported here.
_LAZY = {
    "AuditConfig": "config",
    "Document": "document", "to_json": "document",
    "CxprobeError": "errors", "ExitCode": "errors",
    **dict.fromkeys(("Break", "Hop", "Journey", "Route"), "journeys"),
    "STOPWORDS": "language", "detect_language": "language",
    **dict.fromkeys(("Box", "Cause", "CrawlStats", "Evidence", "FactUnavailable", "Finding", "Form", "FormField",
                     "Heading", "Image", "Issue", "Link", "LinkClick", "MenuCheck", "Outcome", "Page", "PageFacts",
                     "ProbeResult", "RenderedPage", "Rendering", "RobotsTxt", "ScreenBox", "Site", "TapTarget"),
                    "model"),
    "Setting": "options",
    **dict.fromkeys(("Context", "Extractor", "Gatherer", "Probe", "Reporter", "Touchpoint", "issue", "outcome",
                     "per_run"), "probe"),
}


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cxprobe")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+src"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _installed_version()
    elif name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'cxprobe' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
