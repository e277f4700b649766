"""What one crawl may do: its bounds and settings, and the User-Agent it sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import __version__, urls

USER_AGENT = f"cxprobe/{__version__} (+https://pypi.org/project/cxprobe/; customer-experience audit)"


@dataclass(frozen=True)
class CrawlOptions:
    """Bounds and settings of one crawl."""

    max_pages: int = 50
    max_depth: int = 5
    concurrency: int = 8
    #: Seconds per request.
    timeout: float = 10.0
    #: Seconds for the whole crawl, from its start.
    deadline: float = 120.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 10
    #: CPU seconds extracting one page's facts may take; a page that needs more is
    #: recorded as too_complex (see cxprobe.document.extract_page).
    extract_budget: float = 5.0
    #: The registered extractors, in the order they run (dependencies first).
    extractors: tuple[Any, ...] = ()
    #: Processes that extract facts (0: one per core; 1: the crawl's own process only).
    #: See cxprobe.crawl.pool.
    jobs: int = 1
    #: Pages read in the crawl's own process before the pool takes over (None: the
    #: default, cxprobe.crawl.pool.INLINE_PAGES; browser mode's BROWSER_INLINE_PAGES;
    #: 0: the pool from the first page).
    inline_pages: int | None = None
    #: Requests at once to one host (under ``concurrency`` in all).
    per_host: int = 8
    #: Seconds between the starts of two requests to one host.
    delay: float = 0.0
    ignore_robots: bool = False
    #: Extra request headers (credentials), sent only to :attr:`named_origins`.
    headers: tuple[tuple[str, str], ...] = ()
    allow_hosts: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    user_agent: str = USER_AGENT
    #: Extra seed URLs that are not reached by links (a folder's HTML files).
    sitemap_urls: tuple[str, ...] = ()
    use_sitemap: bool = True
    #: Where ``headers`` may go: the target as typed and ``allow_hosts``
    #: (:func:`cxprobe.urls.named_origins`). None: the start URL's origin and ``allow_hosts``.
    named_origins: urls.NamedOrigins | None = None
    #: A folder target: (its served origin, the folder). Requests to that origin are
    #: answered in-process by the folder server's own handler (cxprobe.crawl.local).
    local_folder: tuple[str, str] | None = None
