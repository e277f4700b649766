"""cxprobe: audit a business website the way a customer meets it.

This module is the one public door: everything a plugin may use is exported here and
listed in ``__all__`` — the ``hookimpl`` marker, the objects hooks register
(:class:`Touchpoint`, :class:`Probe`, :class:`Gatherer`, :class:`Reporter`,
:class:`Setting`), what probes receive (:class:`Context`, :class:`AuditConfig` and the
model dataclasses) and what they return (:class:`Outcome`, :func:`issue`,
:func:`outcome`). Submodules are cxprobe's own and may change between releases; the
built-in plugins import nothing else either (a test holds them to it).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

import pluggy

try:
    __version__ = _version("cxprobe")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+src"

#: The version of the plugin API: the hooks, the objects they register and the facts
#: probes read. A plugin may declare the version it was written for.
PLUGIN_API = "1"

hookimpl = pluggy.HookimplMarker("cxprobe")

from .config import AuditConfig  # noqa: E402
from .errors import CxprobeError, ExitCode  # noqa: E402
from .language import STOPWORDS, detect_language  # noqa: E402
from .model import (  # noqa: E402
    Box,
    CrawlStats,
    Email,
    Evidence,
    Finding,
    Form,
    FormField,
    Heading,
    Image,
    Issue,
    Link,
    MenuCheck,
    Outcome,
    Page,
    PageFacts,
    Phone,
    Price,
    ProbeResult,
    RenderedPage,
    Rendering,
    Site,
    TapTarget,
)
from .options import Setting  # noqa: E402
from .probe import Context, Gatherer, Probe, Reporter, Touchpoint, issue, outcome  # noqa: E402

__all__ = [
    "__version__",
    "PLUGIN_API",
    "hookimpl",
    "AuditConfig",
    "Box",
    "Context",
    "CrawlStats",
    "CxprobeError",
    "Email",
    "Evidence",
    "ExitCode",
    "Finding",
    "Form",
    "FormField",
    "Gatherer",
    "Heading",
    "Image",
    "Issue",
    "Link",
    "MenuCheck",
    "Outcome",
    "Page",
    "PageFacts",
    "Phone",
    "Price",
    "Probe",
    "ProbeResult",
    "RenderedPage",
    "Rendering",
    "Reporter",
    "STOPWORDS",
    "Setting",
    "Site",
    "TapTarget",
    "Touchpoint",
    "detect_language",
    "issue",
    "outcome",
]
