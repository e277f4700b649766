"""Extraction in worker processes: the same facts as in-process, and a dying worker fails
one page only (cxprobe.crawl.pool)."""

from __future__ import annotations

import asyncio
import os

from cxprobe import Document, Extractor
from cxprobe.crawl import Crawler, CrawlOptions
from cxprobe.crawl.pool import INLINE_PAGES, Extraction
from cxprobe.model import Site
from cxprobe.testing import extractors

from .conftest import Site as Server

PAGES = INLINE_PAGES + 12


def _build(server: Server, extra: str = "") -> None:
    for i in range(PAGES):
        # The home page links to every page: one level, read in parallel.
        nxt = "".join(f'<a href="/p{j}.html">{j}</a>' for j in range(1, PAGES)) if i == 0 else ""
        server.page(f"/p{i}.html" if i else "/", f"""<!doctype html><html lang="en"><head><title>Page {i}</title></head>
<body><header><nav><a href="/">Home</a> <a href="/contact.html">Contact</a></nav></header>
<main><h1>Bikes fixed fast, page {i}</h1><p>Call +44 20 7946 0{i:03d} or write to shop{i}@bikes.co.uk.</p>
<p>Tune-up from £{20 + i}.</p>{extra if i == PAGES - 3 else ""}{nxt}</main></body></html>""")
    server.page("/contact.html", "<!doctype html><title>Contact</title><h1>Contact</h1>")


def _crawl(server: Server, jobs: int, exs: tuple[object, ...]) -> tuple[Site, Crawler]:
    crawler = Crawler(server.url("/"), CrawlOptions(max_pages=PAGES + 5, max_depth=PAGES + 5, extractors=exs,
                                                    jobs=jobs, use_sitemap=False, ignore_robots=True))
    return asyncio.run(crawler.run()), crawler


def test_a_pool_reads_the_same_facts_as_the_crawls_own_process(http_site: Server) -> None:
    _build(http_site)
    exs = extractors()
    inline, c1 = _crawl(http_site, 1, exs)
    pooled, c2 = _crawl(http_site, 2, exs)
    assert c1.fetcher.extraction.inline_because == "one job"
    assert c2.fetcher.extraction.inline_because is None and c2.fetcher.extraction.pages == PAGES + 1
    assert len(inline.pages) == PAGES + 1
    # Same pages, same facts (every extractor's too), whichever process read them.
    by_url = {p.url: p for p in pooled.pages}
    for page in inline.pages:
        other, url = by_url[page.url], page.url
        assert other.error is None and page.error is None
        assert other.facts == page.facts, url
    contact = [p.facts.fact("contact") for p in pooled.pages if p.facts is not None]
    assert sum(1 for c in contact if c.emails) == PAGES


class DiesOn(Extractor):
    """An extractor that kills the process reading a page carrying its marker: what a
    crash in a C library does (module level, so it can travel to a worker)."""

    name = "dies_on"
    description = "kills its process on a marked page"

    def extract(self, doc: Document) -> bool:
        if doc.soup.find(id="kill-me") is not None:
            os._exit(3)
        return True



def test_a_worker_that_dies_fails_its_page_only(http_site: Server) -> None:
    _build(http_site, extra='<p id="kill-me">boom</p>')
    exs = (*extractors(), DiesOn())
    assert isinstance(exs[-1], Extractor)
    site, crawler = _crawl(http_site, 2, exs)
    failed = {p.url: p for p in site.pages if p.error}
    assert list(failed) == [http_site.url(f"/p{PAGES - 3}.html")], {u: p.error_detail for u, p in failed.items()}
    page = next(iter(failed.values()))
    assert page.error == "extract_failed" and "died" in (page.error_detail or "")
    # The pages read beside it (in the pool it broke) were read again in a new one.
    assert sum(1 for p in site.pages if p.facts is not None) == PAGES
    assert crawler.fetcher.extraction.pooled is False  # closed at the end of the crawl


def test_extractors_that_cannot_travel_are_read_in_process() -> None:
    class Local(Extractor):  # defined in a function: pickle cannot name it
        name = "local"

        def extract(self, doc: Document) -> int:
            return 1

    ex = Extraction((Local(),), jobs=2)
    assert ex.inline_because is not None and "cannot be sent" in ex.inline_because


def test_the_pool_starts_in_the_background_while_the_first_pages_are_read() -> None:
    from cxprobe.crawl.pool import WARM_AT
    from cxprobe.testing import html_page

    body = html_page("<h1>Bikes fixed fast</h1><p>Call +44 20 7946 0000.</p>").encode()
    ex = Extraction(extractors(), 2)

    async def read(n: int) -> list[object]:
        return [await ex.extract("http://shop.test/", {"content-type": "text/html"}, body, None, None)
                for i in range(n)]

    try:
        first = asyncio.run(read(WARM_AT - 1))
        assert ex._warming is None and not ex.pooled  # a site this small starts nothing
        asyncio.run(read(1))
        assert ex._warming is not None and not ex.pooled  # starting, while pages are still read here
        rest = asyncio.run(read(INLINE_PAGES + 2 - WARM_AT))
        assert ex.pooled and ex._warming is None  # the warmed pool was taken, not a second one
        assert all(f == first[0] for f in rest[-2:])  # read by a worker: the same facts
    finally:
        ex.close()
    assert ex._warmed is None and not ex.pooled
