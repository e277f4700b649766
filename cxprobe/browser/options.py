"""What to render and how: viewports, the renderer's bounds, one page to render."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .. import urls

#: Seconds one subresource from another origin may take before it is given up.
SUBRESOURCE_TIMEOUT = 2.0
#: Text below this size (CSS px as seen at device width) counts as small.
SMALL_TEXT_PX = 12


class RenderError(RuntimeError):
    """The browser could not be launched, or rendering failed as a whole."""


@dataclass(frozen=True)
class Viewport:
    """One browser context: size, touch and device pixel ratio."""

    name: str
    width: int
    height: int
    mobile: bool
    scale: float


#: The two viewports of the design: a phone (as Playwright's phone descriptors) and a laptop.
VIEWPORTS = (Viewport("mobile", 375, 667, True, 2.0), Viewport("desktop", 1366, 768, False, 1.0))


@dataclass(frozen=True)
class RenderOptions:
    """How to render: the browser, the bounds, where screenshots go."""

    browser_path: str
    #: Pages rendered at once (per run, across both viewports).
    concurrency: int = 4
    #: Seconds for one page to load (navigation to the load event).
    page_timeout: float = 10.0
    #: Seconds per subresource from another origin.
    subresource_timeout: float = SUBRESOURCE_TIMEOUT
    #: time.monotonic() value after which nothing new starts; None: no deadline.
    deadline_at: float | None = None
    #: Folder for first-viewport screenshots; None: no screenshots.
    screenshot_dir: Path | None = None
    #: Extra Chromium flags (tests pass --host-resolver-rules; users may via CXPROBE_BROWSER_ARGS).
    extra_args: tuple[str, ...] = ()
    block_trackers: bool = True
    viewports: tuple[Viewport, ...] = VIEWPORTS
    #: Host[:port] values that load natively, bypassing the subresource proxy (not
    #: capped, never blocked as trackers): the site's scope. Not where credentials go.
    first_party: tuple[str, ...] = ()
    #: Extra request headers (--header), Cookie included, sent as headers to the
    #: ``named`` origins only, on every request kind and redirect hop.
    headers: tuple[tuple[str, str], ...] = ()
    #: The origins the user named (:func:`cxprobe.urls.named_origins`): the only ones
    #: that get ``headers``.
    named: urls.NamedOrigins = urls.NamedOrigins()
    #: Hosts of other origins already found unreachable in this run, as (host, port, why):
    #: they fail at once from the first page (see :class:`~cxprobe.model.Rendering`).
    dead_hosts: tuple[tuple[str, int, str], ...] = ()

    def time_left(self) -> float:
        return float("inf") if self.deadline_at is None else self.deadline_at - time.monotonic()


@dataclass(frozen=True)
class RenderJob:
    """One page to render in one viewport."""

    url: str
    viewport: Viewport
    #: Check the mobile menu here (the start page on mobile).
    menu: bool = False
    #: Text of the hero's call to action from the static facts, to find it in the DOM.
    cta_text: str = ""
    #: Keep the rendered HTML (its facts are read again after rendering).
    keep_html: bool = False
    #: Click the links whose href goes nowhere, last (see collect.click_dead_links).
    clicks: bool = False
    #: The start page: its first screen is judged (an overlay on it is measured twice).
    start: bool = False
