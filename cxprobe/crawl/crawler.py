"""The breadth-first crawler: from the start page, level by level, within every bound.

:meth:`Crawler.run` reads as its steps: seed (robots.txt, read on every target and
honoured unless ``ignore_robots``; the start page, whose redirects set the scope; the
sitemap), the levels (breadth first, so a page's depth is the fewest clicks from the
start page; each level's own scripts are read before the next level is drawn, so links
they load or write are followed, see :mod:`.scripts`), fold canonical duplicates, fetch
the sitemap's orphans, settle the links scripts handle, and build the link graph and the
:class:`~cxprobe.model.Site`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from .. import _aio, urls
from ..document.controls import settle_bound
from ..model import CrawlStats, Page, Site
from .fetch import Fetched, Fetcher, open_client, tally_requests
from .options import CrawlOptions
from .robots import Robots
from .scope import Scope
from .scripts import SiteScripts

#: progress(pages held, pages held + pages found but not fetched)
ProgressFn = Callable[[int, int], None]


class _Pages(dict[str, Page]):
    """The pages a crawl holds, by URL, with :attr:`kept` (how many are pages in the
    Definitions' sense) counted as pages are set and removed: ``--max-pages`` asks it
    before each batch, and counting the pages each time grew with the square of the site."""

    def __init__(self, pages: dict[str, Page]) -> None:
        super().__init__()
        self.kept = 0
        for url, page in pages.items():
            self[url] = page

    def __setitem__(self, url: str, page: Page) -> None:
        old = self.get(url)
        self.kept += page.ok - (old is not None and old.ok)
        super().__setitem__(url, page)

    def __delitem__(self, url: str) -> None:
        self.kept -= self[url].ok
        super().__delitem__(url)

    def _uncounted(self, *args: object, **kwargs: object) -> None:
        raise TypeError("the crawl's pages change only by setting or deleting one URL (the count of kept pages)")

    pop = popitem = setdefault = update = clear = __ior__ = _uncounted  # type: ignore[assignment]


@dataclass
class _Walk:
    """A crawl in progress: what it holds and what stopped it."""

    start: str
    origin: str
    pages: _Pages
    #: Links of each page held, as written in its HTML (absolute, not yet canonical).
    links_of: dict[str, list[str]]
    #: Clicks from the start page of every URL a level reached (fetched or not).
    depths: dict[str, int]
    sitemap_urls: list[str]
    #: Another spelling of a page (a redirect, a same-origin canonical) -> the page's URL.
    aliases: dict[str, str] = field(default_factory=dict)
    #: None, or the bound that stopped the crawl: max_pages, max_depth, deadline.
    truncated: str | None = None
    max_depth_reached: int = 0
    #: In-scope URLs found but not fetched (a bound stopped the crawl first).
    not_fetched: set[str] = field(default_factory=set)

    def kept(self) -> int:
        return self.pages.kept


class Crawler:
    """One crawl of one site. Use :func:`crawl` unless you need the object.

    ``started`` is the time.monotonic() value the deadline counts from (the start of the
    run); by default, the crawler's creation. After :meth:`run`, :attr:`notes` holds what
    the crawl could not read outside its pages (a sitemap, credentials held back at a
    redirect), one line each.
    """

    def __init__(self, start_url: str, options: CrawlOptions, progress: ProgressFn | None = None,
                 started: float | None = None) -> None:
        self.start_url = start_url
        self.opts = options
        self.progress = progress
        self.scope = Scope(options)
        #: Where --header values may go: the origins the user named, never the scope as such.
        self.named = options.named_origins or urls.named_origins(start_url, options.allow_hosts)
        self.fetcher = Fetcher(options, self.scope, self.named, started)
        #: One-line notes for the report.
        self.notes: list[str] = []
        self.robots = Robots(self.fetcher, self.notes)
        self.robots_blocked = 0
        #: The site's own scripts, read level by level (see :mod:`.scripts`).
        self.scripts = SiteScripts(self.fetcher, self.scope.contains, self.robots.allows)
        #: Pages of the next level being fetched ahead: URL -> (fetched, requests it made).
        self._ahead: dict[str, asyncio.Task[tuple[Fetched, int]]] = {}

    def headers_for(self, url: str) -> dict[str, str]:
        """The headers a request to ``url`` carries: ``--header`` values only for a named origin."""
        return self.fetcher.headers_for(url)

    async def run(self) -> Site:
        """Crawl the site and return the :class:`~cxprobe.model.Site` artifact. Never raises
        for anything a site does: every failure is recorded on a page, a counter or a note."""
        try:
            async with open_client(self.opts) as client:
                seeded = await self._seed(client)
                if isinstance(seeded, Site):
                    return seeded  # robots.txt disallows the start page, or could not be read
                walk = seeded
                self.scripts.known = tuple(walk.sitemap_urls)  # partial names built at run time match these
                try:
                    await self._levels(client, walk)
                finally:
                    await self._drop_ahead()
                self._fold_canonical_duplicates(walk)
                orphans = await self._orphans(client, walk)
                self._settle_links(walk)
                retried = self.fetcher.retried
                if retried:
                    self.notes.append(f"the server asked to slow down (429/503 with Retry-After) {len(retried)} time(s); "
                                      f"the crawl waited {self.fetcher.gate.paused_seconds:.1f} s in all")
                return self._site(walk, orphans)
        except BaseException:
            self.fetcher.extraction.close(wait=False)  # interrupted: do not wait for a page
            raise
        finally:
            self.fetcher.extraction.close()

    # ----------------------------------------------------------------- seed
    async def _seed(self, client: httpx.AsyncClient) -> _Walk | Site:
        """robots.txt, the start page and the sitemap; a blocked Site when robots says no."""
        start = urls.canonical(self.start_url)
        self.scope.hosts = {urls.netloc_of(start)}
        # robots.txt is read before the first request to a page, not after; read even
        # when not honoured (--ignore-robots, a folder), since what it tells search
        # engines is judged on every site.
        start_origin = urls.origin(start)
        await self.robots.load(client, start_origin)
        unreachable = self.robots.failure is not None and self.robots.failure[0] == "connect"
        if unreachable or not self.robots.allows(start):
            # No connection at all: the start page would fail the same way (ignored or not).
            return self._blocked(start, start, start_origin)
        first = await self.fetcher.page(client, start, 0, "start")
        start_page = first.page
        origin = urls.origin(start_page.final_url or start)
        # Scope is the final origin of the start page after its redirects.
        self.scope.hosts = {urls.netloc_of(origin)}
        if self.opts.headers and not self.named.allows(origin + "/"):
            # Audited, but never handed the credentials meant for the origin typed.
            self.notes.append(f"the start page redirected to {origin}; --header values were not sent there: "
                              f"add --allow-host {urls.netloc_of(origin)} to send them")
        if origin != start_origin:
            await self.robots.load(client, origin)
        if not self.robots.allows(start_page.final_url or start):
            return self._blocked(start, start_page.final_url, origin)
        if start_page.ok and start_page.facts is not None and start_page.final_url != start:
            start = urls.canonical(start_page.final_url)
            start_page = Page(**{**start_page.__dict__, "url": start})
        sitemap_urls = [urls.canonical(u) for u in self.opts.sitemap_urls]
        if self.opts.use_sitemap and not self.opts.sitemap_urls and start_page.ok:
            sitemap_urls = [urls.canonical(u) for u in await self.robots.sitemap(client, origin)]
        return _Walk(start=start, origin=origin, pages=_Pages({start: start_page}), links_of={start: first.links},
                     depths={start: 0}, sitemap_urls=list(dict.fromkeys(sitemap_urls)))

    def _blocked(self, start: str, final_url: str, origin: str) -> Site:
        """The Site of a crawl whose robots.txt disallows the start page, or could not be read."""
        kind, detail = self.robots.failure or ("robots", "robots.txt disallows the start page")
        blocked_by_robots = int(kind == "robots")
        self.robots_blocked += blocked_by_robots
        blocked = Page(url=start, status=None, depth=0, final_url=final_url, error=kind,
                       error_detail=detail, found_via="start")
        return Site(start_url=start, origin=origin, pages=(blocked,), hosts=self.scope.all_hosts(),
                    stats=CrawlStats(pages=0, fetched=self.fetcher.requests, errors=1 - blocked_by_robots,
                                     robots_blocked=blocked_by_robots), robots=self.robots.read)

    # ----------------------------------------------------------------- levels
    async def _levels(self, client: httpx.AsyncClient, walk: _Walk) -> None:
        """Breadth first: each level is every new page the previous level links to."""
        sem = asyncio.Semaphore(self.opts.concurrency)
        level = [walk.start] if walk.pages[walk.start].ok else []
        depth = 0
        while level:
            await self._read_scripts(client, walk, level)
            nxt = self._next_level(walk, level)
            if not nxt:
                break
            if depth + 1 > self.opts.max_depth:
                walk.truncated = walk.truncated or "max_depth"
                walk.not_fetched.update(nxt)
                break
            depth += 1
            level = await self._level(client, walk, nxt, depth, sem)
            walk.max_depth_reached = max(walk.max_depth_reached, depth)
            if walk.truncated in ("max_pages", "deadline"):
                # Record what the next level would have held, then stop.
                walk.not_fetched.update(u for u in self._next_level(walk, level) if u not in walk.depths)
                break

    async def _read_scripts(self, client: httpx.AsyncClient, walk: _Walk, level: list[str]) -> None:
        """Read the scripts of a level's pages; the links their partials and script-written
        HTML hold become links of the page (followed, and edges of the link graph)."""
        pages = [(u, p.facts) for u in level if (p := walk.pages.get(u)) is not None and p.ok and p.facts is not None]
        if not pages or self.fetcher.time_left() <= 1:
            return
        gained = await self.scripts.read_pages(client, pages, self.opts.concurrency,
                                               held=lambda u: walk.aliases.get(u, u) in walk.pages)
        for u, extra in gained.items():
            if extra:
                walk.links_of[u] = [*walk.links_of.get(u, []), *extra]

    def _settle_links(self, walk: _Walk) -> None:
        """Read as controls the dead links a page's own script files handle, and a logo or
        "Home" link written ``#`` on the start page (it scrolls back to the top of the
        page it leads to: no dead link there, a dead one anywhere else)."""
        for u, p in list(walk.pages.items()):
            if p.facts is None:
                continue
            links = settle_bound(p.facts.links, self.scripts.binds.get(u, frozenset()))
            if u == walk.start:
                links = [lk.as_control("top") if lk.dead in ("hash", "empty") and lk.reads_as_home() else lk
                         for lk in links]
            if any(a is not b for a, b in zip(links, p.facts.links, strict=True)):
                walk.pages[u] = dataclasses.replace(p, facts=dataclasses.replace(p.facts, links=tuple(links)))

    def _next_level(self, walk: _Walk, level: list[str]) -> list[str]:
        """The in-scope pages ``level`` links to that no level has reached yet, sorted."""
        out: set[str] = set()
        for u in level:
            for target in walk.links_of.get(u, []):
                try:
                    c = urls.canonical(target)
                except ValueError:  # a link no browser could follow
                    continue
                c = walk.aliases.get(c, c)
                if c in walk.depths or c in out:
                    continue
                if self.scope.worth_fetching(c):
                    out.add(c)
        return sorted(out)

    async def _level(self, client: httpx.AsyncClient, walk: _Walk, level: list[str], depth: int,
                     sem: asyncio.Semaphore) -> list[str]:
        """Fetch one level; returns the URLs of the pages it added.

        Fetched in batches so that max_pages and the deadline are honoured mid-level; what
        a bound left out is recorded in :attr:`_Walk.not_fetched`.
        """
        todo: list[str] = []
        for u in level:
            walk.depths[u] = depth
            if not self.robots.allows(u):
                self.robots_blocked += 1
                walk.pages[u] = Page(url=u, status=None, depth=depth, error="robots",
                                     error_detail="disallowed by robots.txt")
                continue
            todo.append(u)

        async def bounded(u: str) -> Fetched:
            ahead = self._ahead.pop(u, None)
            if ahead is not None:
                res, requests = await ahead
                self.fetcher.requests += requests
            else:
                async with sem:
                    res = await self.fetcher.page(client, u, depth, "link")
            self._read_ahead(client, walk, res, depth + 1, sem)
            return res

        added: list[str] = []
        i = 0
        while i < len(todo):
            room = self.opts.max_pages - walk.kept()
            if room <= 0:
                walk.truncated = walk.truncated or "max_pages"
                walk.not_fetched.update(todo[i:])
                break
            if self.fetcher.time_left() <= 0:
                walk.truncated = walk.truncated or "deadline"
                walk.not_fetched.update(todo[i:])
                break
            batch = todo[i: i + max(1, min(room, self.opts.concurrency * 2))]
            i += len(batch)
            try:
                results = await asyncio.wait_for(asyncio.gather(*(bounded(u) for u in batch)),
                                                 timeout=max(0.5, self.fetcher.time_left()))
            except TimeoutError:
                walk.truncated = walk.truncated or "deadline"
                walk.not_fetched.update(batch)
                walk.not_fetched.update(todo[i:])
                break
            for res in results:
                kept = self._keep(walk, res, depth)
                if kept is not None:
                    added.append(kept)
                    if self.progress:
                        self.progress(len(walk.pages), len(walk.pages) + len(walk.not_fetched))
        return added

    # ----------------------------------------------------------------- reading ahead
    def _read_ahead(self, client: httpx.AsyncClient, walk: _Walk, res: Fetched, depth: int,
                    sem: asyncio.Semaphore) -> None:
        """Start fetching, as soon as a page of a level has arrived, the pages it links to
        that no level has reached: they are of the next level whatever else that level
        holds, since every page of this level and the ones before is in ``walk.depths``.

        So the next level is being fetched (and read, in the worker processes) while this
        one finishes, instead of after its slowest page. What the crawl keeps does not
        change: the next level is still drawn whole, sorted, from the links of every page
        of this one (scripts included), and a page read ahead is used only when that level
        asks for it. Nothing is read ahead past ``--max-depth``, nor more pages than
        ``--max-pages`` could still keep; the requests of a page read ahead count only
        when it is used. (Reading further ahead, from the pages read ahead, measured no
        faster on a 1,000-page site: extraction, not waiting, is what a level costs.)
        """
        if not res.page.ok or depth > self.opts.max_depth or self.fetcher.time_left() <= 1:
            return
        for target in res.links:
            # Every URL a level has reached may still become a page, before any of these.
            if len(walk.depths) + len(self._ahead) >= self.opts.max_pages:
                return
            try:
                c = urls.canonical(target)
            except ValueError:
                continue
            c = walk.aliases.get(c, c)
            if c in walk.depths or c in self._ahead or c in walk.pages:
                continue
            if not self.scope.worth_fetching(c) or not self.robots.allows(c):
                continue
            self._ahead[c] = asyncio.create_task(self._fetch_ahead(client, c, depth, sem))

    async def _fetch_ahead(self, client: httpx.AsyncClient, url: str, depth: int,
                           sem: asyncio.Semaphore) -> tuple[Fetched, int]:
        box = [0]
        tally_requests(box)  # this task's own count (a task runs in a copy of the context)
        async with sem:
            res = await self.fetcher.page(client, url, depth, "link")
        return res, box[0]

    async def _drop_ahead(self) -> None:
        """Stop the pages read ahead that no level asked for (a bound stopped the crawl)."""
        tasks = list(self._ahead.values())
        self._ahead.clear()
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    @staticmethod
    def _keep(walk: _Walk, res: Fetched, depth: int) -> str | None:
        """Add a fetched page to the walk and return its URL; None when the walk holds it already.

        A page that redirected is the page it arrived at: kept once, under its final URL,
        whichever spelling was fetched first.
        """
        p = res.page
        final = urls.canonical(p.final_url) if p.ok and p.final_url else p.url
        if final != p.url:
            walk.aliases[p.url] = final
            if final in walk.pages:
                return None
            walk.depths.setdefault(final, depth)
            p = dataclasses.replace(p, url=final)
        elif p.url in walk.pages:
            return None
        walk.pages[p.url] = p
        walk.links_of[p.url] = res.links
        return p.url

    # ----------------------------------------------------------------- after the levels
    def _fold_canonical_duplicates(self, walk: _Walk) -> None:
        """Fold a duplicate URL into the page its same-origin ``<link rel=canonical>`` names.

        Only when both were crawled and carry the same title: the title check keeps a
        misconfigured site (every page "canonical" to the home page) auditable.
        """
        for u in sorted(walk.pages):
            p = walk.pages[u]
            if u == walk.start or not p.ok or p.facts is None or not p.facts.canonical:
                continue
            try:
                canon = urls.canonical(p.facts.canonical)
            except ValueError:
                continue
            canon = walk.aliases.get(canon, canon)
            target = walk.pages.get(canon)
            if canon == u or target is None or target.facts is None or not self.scope.has_host(canon):
                continue
            if target.facts.title != p.facts.title:
                continue
            walk.aliases[u] = canon
            del walk.pages[u]
            walk.links_of[canon] = [*walk.links_of.get(canon, []), *walk.links_of.pop(u, [])]
            shallowest = min(walk.depths.get(canon, target.depth), walk.depths.pop(u, p.depth))
            walk.depths[canon] = shallowest
            walk.pages[canon] = dataclasses.replace(target, depth=shallowest)

    async def _orphans(self, client: httpx.AsyncClient, walk: _Walk) -> list[Page]:
        """Sitemap pages no link reached: fetched so they can be reported as unreachable,
        but not judged as part of the customer's site (depth -1)."""
        orphans: list[Page] = []
        budget = self.opts.max_pages
        seen: set[str] = set()
        for u in walk.sitemap_urls:
            u = walk.aliases.get(u, u)
            if u in walk.pages or u in walk.depths or not self.scope.contains(u) or urls.looks_non_html(u):
                continue
            if budget <= 0 or self.fetcher.time_left() <= 0 or walk.truncated:
                break
            if not self.robots.allows(u):
                continue
            budget -= 1
            res = await self.fetcher.page(client, u, -1, "sitemap")
            final = urls.canonical(res.page.final_url) if res.page.ok and res.page.final_url else u
            # A sitemap entry that redirects to a crawled page is that page, not an orphan.
            if res.page.ok and final not in walk.pages and final not in seen:
                seen.add(final)
                orphans.append(res.page)
        return orphans

    def _graph(self, walk: _Walk) -> dict[str, tuple[str, ...]]:
        """Each page's in-scope link targets, canonical and folded, sorted."""
        graph: dict[str, tuple[str, ...]] = {}
        # Each distinct link read once: a menu's and a footer's links recur on every page.
        # None: not a page of the site.
        read: dict[str, str | None] = {}
        for u, ls in walk.links_of.items():
            targets = set()
            for t in ls:
                if t in read:
                    c = read[t]
                else:
                    try:
                        c = urls.canonical(t)
                    except ValueError:
                        c = None
                    else:
                        c = walk.aliases.get(c, c)
                        if not self.scope.contains(c):
                            c = None
                    read[t] = c
                if c is not None:
                    targets.add(c)
            graph[u] = tuple(sorted(targets))
        return graph

    def _site(self, walk: _Walk, orphans: list[Page]) -> Site:
        all_pages = list(walk.pages.values()) + orphans
        errors = sum(1 for p in all_pages if p.error and p.error != "robots")
        not_fetched = walk.not_fetched - set(walk.pages)
        stats = CrawlStats(
            pages=sum(1 for p in walk.pages.values() if p.ok),
            fetched=self.fetcher.requests,
            errors=errors,
            robots_blocked=self.robots_blocked,
            not_fetched=len(not_fetched),
            truncated=walk.truncated,
            max_depth_reached=walk.max_depth_reached,
        )
        return Site(start_url=walk.start, origin=walk.origin, pages=tuple(all_pages), graph=self._graph(walk),
                    depths={u: d for u, d in walk.depths.items() if u in walk.pages},
                    sitemap_urls=tuple(walk.sitemap_urls), hosts=self.scope.all_hosts(), stats=stats,
                    unfetched=tuple(sorted(not_fetched)),
                    script_urls={walk.aliases.get(u, u): how for u, how in sorted(self.scripts.script_urls.items())},
                    robots=self.robots.read)


def crawl(start_url: str, options: CrawlOptions | None = None, progress: ProgressFn | None = None) -> Site:
    """Crawl a site from its start page and return the :class:`~cxprobe.model.Site` artifact."""
    return _aio.run(Crawler(start_url, options or CrawlOptions(), progress).run())
