"""cxprobe: audit a business website the way a customer meets it.

The public surface for plugin authors is what ``__all__`` lists: the ``hookimpl``
marker, the objects hooks register (:class:`Touchpoint`, :class:`Probe`,
:class:`Gatherer`, :class:`Reporter`), what probes receive (:class:`Context` and the
model dataclasses) and what they return (:class:`Outcome`, :func:`issue`).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

import pluggy

try:
    __version__ = _version("cxprobe")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+src"

hookimpl = pluggy.HookimplMarker("cxprobe")

from .model import (  # noqa: E402
    Email,
    Evidence,
    Finding,
    Form,
    Issue,
    Link,
    Outcome,
    Page,
    PageFacts,
    Phone,
    Price,
    ProbeResult,
    RenderedPage,
    Rendering,
    Site,
)
from .probe import Context, Gatherer, Probe, Reporter, Touchpoint, issue, outcome  # noqa: E402

__all__ = [
    "__version__",
    "hookimpl",
    "Context",
    "Email",
    "Evidence",
    "Finding",
    "Form",
    "Gatherer",
    "Issue",
    "Link",
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
    "Site",
    "Touchpoint",
    "issue",
    "outcome",
]
