"""The core plugin: the crawl and render gatherers and the built-in reporters.

Registered first, under the name ``cxprobe.core``, through the same hooks any plugin
implements. Probes are not here: they live in ``cxprobe_plugins`` (the ``plugins/``
folder) and load through the ``cxprobe`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import hookimpl, urls
from .crawl import Crawler, CrawlOptions
from .probe import Gatherer, Reporter
from .render import RenderGatherer
from .reporters.json import JsonReporter
from .reporters.terminal import TerminalReporter


class CrawlGatherer(Gatherer):
    """The ``site`` artifact: a bounded same-origin crawl from the start page.

    ``--header`` values go only to the target's origin as typed and the ``--allow-host``
    hosts; the run's deadline counts from the start of the run. What the crawl could not
    read outside its pages (a sitemap, credentials held back at a redirect) becomes a
    note of the report.
    """

    artifact = "site"

    def gather(self, session: Any) -> Any:
        import asyncio

        cfg = session.config
        target = session.target
        opts = CrawlOptions(
            max_pages=cfg.max_pages, max_depth=cfg.max_depth, concurrency=cfg.concurrency,
            timeout=cfg.timeout, deadline=cfg.deadline, max_bytes=cfg.max_bytes,
            max_redirects=cfg.max_redirects, ignore_robots=cfg.ignore_robots, headers=cfg.headers,
            allow_hosts=cfg.allow_hosts, include=cfg.include, exclude=cfg.exclude,
            sitemap_urls=target.files, use_sitemap=target.kind == "url",
            named_origins=urls.named_origins(target.start_url, cfg.allow_hosts), extract_budget=cfg.extract_budget,
            extractors=tuple(session.pm.registry().extractors.values()),
        )
        progress = session.progress

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress("crawl", done, total)

        crawler = Crawler(target.start_url, opts, on_progress)
        # The deadline is the run's, not the crawl's: it counts from when the run began.
        crawler.t0 = getattr(session, "started", crawler.t0)
        site = asyncio.run(crawler.run())
        for note in crawler.notes:
            # Reports of local targets never show the ephemeral port.
            session.notes.append(note.replace(target.local_origin, "") if target.local_origin else note)
        return site


@hookimpl
def cxprobe_add_gatherers(register: Callable[[Gatherer], None]) -> None:
    register(CrawlGatherer())
    register(RenderGatherer())


@hookimpl
def cxprobe_add_reporters(register: Callable[[Reporter], None]) -> None:
    register(TerminalReporter())
    register(JsonReporter())
