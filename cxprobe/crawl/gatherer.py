"""The crawl gatherer: the ``site`` artifact of a run, from its configuration and target."""

from __future__ import annotations

from typing import Any

from .. import _aio, urls
from ..probe import Gatherer
from .crawler import Crawler
from .options import CrawlOptions
from .pool import BROWSER_INLINE_PAGES


def crawl_options(config: Any, target: Any, extractors: tuple[Any, ...] = (),
                  use_sitemap: bool | None = None, inline_pages: int | None = None) -> CrawlOptions:
    """The crawl's options for a run: the configuration's bounds, the target's files as seeds.

    ``--header`` values go only to the target's origin as typed and the ``--allow-host``
    hosts. The sitemap is read for a URL target unless ``use_sitemap`` says otherwise.
    ``extractors`` are the registered extractors, in the order they run. A folder or file
    target is the owner's own build: its robots.txt is read (and judged) but never
    honoured, so a draft whose robots.txt shuts every crawler out is still audited.
    """
    return CrawlOptions(
        max_pages=config.max_pages, max_depth=config.max_depth, concurrency=config.concurrency,
        timeout=config.timeout, deadline=config.deadline, max_bytes=config.max_bytes,
        max_redirects=config.max_redirects, ignore_robots=config.ignore_robots or target.kind != "url",
        headers=config.headers,
        allow_hosts=config.allow_hosts, include=config.include, exclude=config.exclude,
        sitemap_urls=target.files, use_sitemap=target.kind == "url" if use_sitemap is None else use_sitemap,
        named_origins=urls.named_origins(target.start_url, config.allow_hosts), extract_budget=config.extract_budget,
        extractors=tuple(extractors), jobs=config.jobs, inline_pages=inline_pages,
        per_host=config.per_host, delay=config.delay,
        local_folder=target.local_folder,
    )


class CrawlGatherer(Gatherer):
    """The ``site`` artifact: a bounded same-origin crawl from the start page.

    ``--header`` values go only to the target's origin as typed and the ``--allow-host``
    hosts; the run's deadline counts from the start of the run. What the crawl could not
    read outside its pages (a sitemap, credentials held back at a redirect) becomes a
    note of the report.
    """

    artifact = "site"

    def gather(self, session: Any) -> Any:
        target = session.target
        progress = session.progress

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress("crawl", done, total)

        # The deadline is the run's, not the crawl's: it counts from when the run began.
        # In browser mode the first BROWSER_INLINE_PAGES pages are read here: the
        # forkserver's start would compete with the browser's launch for the cores.
        inline = BROWSER_INLINE_PAGES if getattr(session, "browser_host", None) is not None else None
        crawler = Crawler(target.start_url, crawl_options(session.config, target, tuple(session.pm.registry().extractors.values()),
                                                          inline_pages=inline),
                          on_progress,
                          started=getattr(session, "started", None))
        site = _aio.run(crawler.run())
        for note in crawler.notes:
            # Reports of local targets never show the ephemeral port.
            session.notes.append(note.replace(target.local_origin, "") if target.local_origin else note)
        return site
