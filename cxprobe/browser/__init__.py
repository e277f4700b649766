"""The browser: Chromium found, driven by Playwright, for the ``rendering`` artifact.

Its parts, in the order a browser-mode run uses them:

- :mod:`.discovery`: finding a Chromium (``--browser-path`` / ``CXPROBE_BROWSER``, then
  Playwright's own, then a system one on PATH) and the one-line error when there is none;
- :mod:`.options`: what to render and how (:class:`Viewport`, :class:`RenderOptions`,
  :class:`RenderJob`);
- :mod:`.proxy`: the subresource proxy every request to another origin goes through,
  under a short timeout, trackers refused;
- :mod:`.guard`: the request guard at the DevTools level: GET and HEAD only,
  ``--header`` values to the named origins only;
- :mod:`.session`: :class:`Renderer`, one browser per run, one context per viewport,
  pages in parallel within a bound and the run's deadline;
- :mod:`.host`: :class:`~cxprobe.browser.host.BrowserHost`, the run's renderer on an event
  loop of its own thread: launched while the site is crawled (Playwright's driver started
  by :mod:`.driver` as the command begins, the contexts made for the target's host),
  used by rendering and by the journeys, closed at the run's end;
- :mod:`.collect`: one page in one viewport (its facts read in the page, the screenshot,
  the mobile menu tapped), through the page scripts of :mod:`.scripts` (``js/*.js``);
- :mod:`.gatherer`: :class:`RenderGatherer` and :func:`render_site`, which also grow the
  site with pages reached only through rendered links (:class:`cxprobe.crawl.SiteExtension`).

Playwright is imported lazily (when a browser launches): static mode never pays for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .discovery import FoundBrowser, describe_missing_browser, find_browser
    from .gatherer import RenderGatherer, render_site, screenshot_dir_for
    from .guard import RequestGuard
    from .options import (
        SMALL_TEXT_PX,
        SUBRESOURCE_TIMEOUT,
        VIEWPORTS,
        RenderError,
        RenderJob,
        RenderOptions,
        Viewport,
    )
    from .proxy import SubresourceProxy
    from .session import Renderer

#: Where each name of the package lives: imported when first asked for, so that the
#: command line can start the browser's driver (:mod:`.host`) before the crawl's and the
#: gatherer's modules are imported (about 0.3 s).
_WHERE = {
    "FoundBrowser": "discovery", "describe_missing_browser": "discovery", "find_browser": "discovery",
    "RenderGatherer": "gatherer", "render_site": "gatherer", "screenshot_dir_for": "gatherer",
    "RequestGuard": "guard", "SMALL_TEXT_PX": "options", "SUBRESOURCE_TIMEOUT": "options", "VIEWPORTS": "options",
    "RenderError": "options", "RenderJob": "options", "RenderOptions": "options", "Viewport": "options",
    "SubresourceProxy": "proxy", "Renderer": "session",
}

__all__ = ["SMALL_TEXT_PX", "SUBRESOURCE_TIMEOUT", "VIEWPORTS", "FoundBrowser", "RenderError", "RenderGatherer",
           "RenderJob", "RenderOptions", "Renderer", "RequestGuard", "SubresourceProxy", "Viewport",
           "describe_missing_browser", "find_browser", "render_site", "screenshot_dir_for"]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value
