"""Growing a finished crawl with pages only another reading of its pages links to.

The browser gatherer renders the crawled pages, and a page built by JavaScript links to
pages the static crawl never saw. :class:`SiteExtension` fetches those pages the way the
crawl fetches any page: the same scope, bounds (max pages, max depth, the run's
deadline), robots.txt rules, named origins for ``--header`` values and request counter.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Mapping

from .. import urls
from ..document import ExtractionFailure, extract_page, reread_page
from ..model import Page, PageFacts, Site
from .fetch import Fetched, Fetcher, open_client
from .options import CrawlOptions
from .robots import Robots
from .scope import Scope


def _canonical(url: str) -> str | None:
    try:
        return urls.canonical(url)
    except ValueError:
        return None


class SiteExtension:
    """A crawled :class:`~cxprobe.model.Site`, extended by pages found after the crawl.

    Use::

        extension = SiteExtension(site, options, started=run_started)
        new_pages = await extension.follow([(page_url, links_seen_on_it), ...])
        ...                                   # follow the new pages' links the same way
        extension.reread(url, rendered_html)  # optional: facts of the rendered DOM too
        site = extension.site()

    ``options`` are the crawl's (with ``named_origins`` when there are ``headers``: the
    Site knows where the crawl arrived, not what the user typed); ``started`` is the
    time.monotonic() value the run's deadline counts from (default: now). Nothing here
    raises for what a site does.
    """

    def __init__(self, site: Site, options: CrawlOptions, started: float | None = None) -> None:
        self.base = site
        self.opts = options
        if options.headers and options.named_origins is None:
            # The Site's start URL is where the crawl arrived, maybe after redirects, not the
            # target the user typed: credentials cannot be sent by it.
            raise ValueError("CrawlOptions.headers need CrawlOptions.named_origins (cxprobe.urls.named_origins "
                             "of the target as typed): the origins that may receive them")
        self.scope = Scope(options, site.hosts)
        self.fetcher = Fetcher(options, self.scope, options.named_origins or urls.NamedOrigins(), started)
        #: What could not be read outside the pages (robots.txt), one line each. The crawl
        #: read the same robots.txt first and made its own notes.
        self.notes: list[str] = []
        self.robots = Robots(self.fetcher, self.notes)
        self._robots_read = False
        self.pages: dict[str, Page] = {p.url: p for p in site.pages}
        self.depths = dict(site.depths)
        #: URLs fetched here, in order.
        self.new: list[str] = []
        self.unfetched: set[str] = set(site.unfetched)
        self.truncated = site.stats.truncated
        self._graph = {u: set(ts) for u, ts in site.graph.items()}
        self._reread = False

    def kept(self) -> int:
        """Pages kept so far, as max_pages counts them (sitemap orphans are not kept)."""
        return sum(1 for p in self.pages.values() if p.ok and p.found_via != "sitemap")

    async def follow(self, found: Iterable[tuple[str, Iterable[str]]], via: str = "render") -> list[Page]:
        """Record the links seen on pages of the site and fetch those it does not hold yet.

        ``found`` holds (page URL, links on that page) pairs; a page may come more than
        once (once per viewport). Every in-scope link becomes an edge of the link graph; a
        link to a page not yet fetched is fetched at one click deeper than its page (see
        :meth:`fetch_more`). Returns the pages newly kept, to be followed in turn.
        """
        wanted: dict[str, int] = {}
        for url, links in found:
            parent = self.pages.get(url)
            if parent is None:
                continue
            depth = self.depths.get(url, parent.depth) + 1
            edges = self._graph.setdefault(url, set())
            for link in links:
                c = _canonical(link)
                if c is None or not self.scope.contains(c):
                    continue
                edges.add(c)
                wanted[c] = min(wanted.get(c, depth), depth)
        return await self.fetch_more(wanted, via)

    async def fetch_more(self, wanted: Mapping[str, int], via: str = "render") -> list[Page]:
        """Fetch canonical URLs at the given depths (clicks from the start page), shallowest first.

        Skipped: what is out of scope, no page or unsafe to GET, and pages the site holds
        already (a sitemap orphan is fetched again: a link reaches it now). Bounded like
        the crawl: a URL past max_depth, past max_pages or within a second of the deadline
        is recorded as not fetched and the site as truncated; robots.txt (read once, at
        the first fetch) is honoured. Returns the pages newly kept.
        """
        wanted = {u: d for u, d in wanted.items() if self.scope.worth_fetching(u)
                  and (u not in self.pages or self.pages[u].found_via == "sitemap")}
        if not wanted:
            return []
        kept = self.kept()
        todo: list[str] = []
        for u in sorted(wanted, key=lambda u: (wanted[u], u)):
            if wanted[u] > self.opts.max_depth:
                self.truncated = self.truncated or "max_depth"
                self.unfetched.add(u)
            elif kept + len(todo) >= self.opts.max_pages:
                self.truncated = self.truncated or "max_pages"
                self.unfetched.add(u)
            elif self.fetcher.time_left() <= 1:
                self.truncated = self.truncated or "deadline"
                self.unfetched.add(u)
            else:
                todo.append(u)
        if not todo:
            return []
        async with open_client(self.opts) as client:
            if not self._robots_read and not self.opts.ignore_robots:
                self._robots_read = True
                await self.robots.load(client, self.base.origin)
            sem = asyncio.Semaphore(self.opts.concurrency)

            async def one(u: str) -> Fetched:
                async with sem:
                    return await self.fetcher.page(client, u, wanted[u], via)

            # A TaskGroup: on an interrupt every fetch is cancelled and awaited, none left running.
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(u)) for u in todo if self.robots.allows(u)]
        out = []
        for task in tasks:
            p = task.result().page
            self.unfetched.discard(p.url)
            final = _canonical(p.final_url) if p.final_url else p.url
            if p.ok and final and final != p.url and final in self.pages:
                continue  # the same page under another spelling
            if p.url in self.pages:  # a sitemap orphan that a link reaches now
                p = dataclasses.replace(p, found_via=via)
            self.pages[p.url] = p
            self.depths[p.url] = p.depth
            self.new.append(p.url)
            if p.ok:
                out.append(p)
        return out

    def read_rendered(self, url: str, html: str) -> tuple[PageFacts, PageFacts | ExtractionFailure | None] | None:
        """What :meth:`reread` makes of the page's facts and ``html``, changing nothing: the
        facts it read and its reading of the HTML (None when there is no page or it has no
        facts). Safe to run on another thread while nothing else reads pages (the browser
        gatherer reads each page's rendered HTML while the other pages render)."""
        p = self.pages.get(url)
        if p is None or p.facts is None:
            return None
        target = p.final_url or url
        time_left = max(0.0, self.fetcher.time_left())
        if not p.facts.js_shell:
            return p.facts, reread_page(target, html.encode("utf-8"), p.facts, self.opts.extractors,
                                        budget=self.opts.extract_budget, time_left=time_left)
        return p.facts, extract_page(target, {"content-type": "text/html; charset=utf-8"}, html.encode("utf-8"),
                                     self.opts.extractors, budget=self.opts.extract_budget, time_left=time_left)

    def reread(self, url: str, html: str,
               read: tuple[PageFacts, PageFacts | ExtractionFailure | None] | None = None) -> bool:
        """Read a page again from other HTML of it (the DOM a browser built); True when
        its facts changed.

        A page whose HTML is an empty JavaScript shell takes the facts of the rendered
        page (``js_shell`` still says its HTML was empty). Any other page keeps its facts
        unless the rendered page adds something material (a link target, or at least 20
        words, its HTML lacks): then its facts are both readings merged
        (:mod:`cxprobe.document.merge`). Extracted under the crawl's budget and deadline;
        a failure is recorded on a shell page, and leaves any other page as it was.
        ``read``: what :meth:`read_rendered` made of it earlier, used when the page's facts
        are still the ones it read.
        """
        p = self.pages.get(url)
        if p is None or p.facts is None:
            return False
        self._reread = True
        if read is None or read[0] is not p.facts:
            read = self.read_rendered(url, html)
            assert read is not None
        result = read[1]
        if not p.facts.js_shell:
            if result is None or isinstance(result, ExtractionFailure):
                return False  # nothing new, or the rendered page cannot be read: the HTML's facts stand
            self.pages[url] = dataclasses.replace(p, facts=dataclasses.replace(result, url=p.facts.url))
            return True
        if isinstance(result, ExtractionFailure):  # the rendered page cannot be read: recorded on it
            self.pages[url] = dataclasses.replace(p, facts=None, error=result.kind, error_detail=result.detail)
            return True
        assert result is not None
        self.pages[url] = dataclasses.replace(p, facts=dataclasses.replace(result, url=p.facts.url, js_shell=True,
                                                                             robots_header=p.facts.robots_header))
        return True

    def site(self) -> Site:
        """The extended Site: new pages, the links seen in the graph, updated counters."""
        graph = {u: tuple(sorted(t)) for u, t in self._graph.items()}
        unchanged = self.truncated == self.base.stats.truncated and self.unfetched == set(self.base.unfetched)
        if not self.new and not self._reread and unchanged:
            return dataclasses.replace(self.base, graph=graph)
        pages = self.pages
        all_pages = tuple(pages.values())
        st = self.base.stats
        stats = dataclasses.replace(
            st, pages=sum(1 for p in all_pages if p.ok and p.found_via != "sitemap"),
            fetched=st.fetched + self.fetcher.requests,
            errors=sum(1 for p in all_pages if p.error and p.error != "robots"),
            not_fetched=len(self.unfetched - set(pages)), truncated=self.truncated,
            max_depth_reached=max([st.max_depth_reached, *(self.depths.get(u, 0) for u in self.new)]))
        return dataclasses.replace(
            self.base, pages=all_pages, graph=graph,
            depths={u: d for u, d in self.depths.items() if u in pages}, stats=stats,
            unfetched=tuple(sorted(self.unfetched - set(pages))))
