"""The crawl gatherer: same-origin breadth-first crawl on async httpx.

Bounded in every dimension (pages, depth, concurrency, per-request timeout, one
absolute deadline, response size, redirects). robots.txt is honoured unless told
otherwise. Every failure is recorded on a :class:`~cxprobe.model.Page`; nothing a site
does raises through the run. The crawl walks level by level, so a page's depth is the
fewest clicks from the start page.
"""

from __future__ import annotations

import asyncio
import dataclasses
import fnmatch
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from protego import Protego

from . import __version__, urls
from .extract import ExtractionFailure, extract_page
from .model import CrawlStats, Page, PageFacts, Site

USER_AGENT = f"cxprobe/{__version__} (+https://pypi.org/project/cxprobe/; customer-experience audit)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


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
    #: recorded as too_complex (see cxprobe.extract.extract_page).
    extract_budget: float = 5.0
    ignore_robots: bool = False
    #: Extra request headers, sent only to hosts in scope.
    headers: tuple[tuple[str, str], ...] = ()
    allow_hosts: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    user_agent: str = USER_AGENT
    #: Extra seed URLs that are not reached by links (a folder's HTML files).
    sitemap_urls: tuple[str, ...] = ()
    use_sitemap: bool = True


@dataclass
class _Fetched:
    page: Page
    links: list[str] = field(default_factory=list)


ProgressFn = Callable[[int, int], None]


class Crawler:
    """One crawl of one site. Use :func:`crawl` unless you need the object."""

    def __init__(self, start_url: str, options: CrawlOptions, progress: ProgressFn | None = None) -> None:
        self.start_url = start_url
        self.opts = options
        self.progress = progress
        self.t0 = time.monotonic()
        self.fetched = 0
        self.robots_blocked = 0
        #: host[:port] of every origin in scope (default ports dropped).
        self.scope_hosts: set[str] = set()
        #: --allow-host values: a bare host matches it on any port.
        self.allowed_hosts: set[str] = {h.strip().lower() for h in options.allow_hosts if h.strip()}
        self.robots: Protego | None = None

    # ----------------------------------------------------------------- helpers
    def time_left(self) -> float:
        return self.opts.deadline - (time.monotonic() - self.t0)

    def in_scope(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if not self.host_in_scope(url):
            return False
        path = parts.path + (("?" + parts.query) if parts.query else "")
        if self.opts.include and not any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(url, g) for g in self.opts.include):
            return False
        if any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(url, g) for g in self.opts.exclude):
            return False
        return True

    def host_in_scope(self, url: str) -> bool:
        """True when the URL's origin is in scope (another port on the same host is not)."""
        try:
            netloc = urls.netloc_of(url)
        except ValueError:
            return False
        return netloc in self.scope_hosts or netloc in self.allowed_hosts or urls.host_of(url) in self.allowed_hosts

    def headers_for(self, url: str) -> dict[str, str]:
        h = {"User-Agent": self.opts.user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
        # Extra headers (staging credentials, cookies) never leave the scope.
        if self.host_in_scope(url):
            h.update(dict(self.opts.headers))
        return h

    def allowed(self, url: str) -> bool:
        if self.robots is None or self.opts.ignore_robots:
            return True
        return bool(self.robots.can_fetch(url, "cxprobe"))

    # ----------------------------------------------------------------- fetching
    async def fetch(self, client: httpx.AsyncClient, url: str, depth: int, via: str) -> _Fetched:
        """GET one URL following redirects by hand (loops and chains recorded)."""
        t = time.monotonic()
        chain: list[str] = []
        current = url
        seen = {url}
        for _ in range(self.opts.max_redirects + 1):
            timeout = min(self.opts.timeout, max(0.5, self.time_left()))
            try:
                self.fetched += 1
                async with client.stream("GET", current, headers=self.headers_for(current), timeout=timeout) as resp:
                    if resp.status_code in (301, 302, 303, 307, 308) and "location" in resp.headers:
                        nxt = urls.join(current, resp.headers["location"])
                        chain.append(current)
                        if nxt in seen:
                            return _Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=nxt,
                                                 error="redirect_loop", error_detail=" -> ".join([*chain, nxt])[:500],
                                                 redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                        seen.add(nxt)
                        if via != "start" and urls.is_http(nxt) and not self.host_in_scope(nxt):
                            # A link that redirects off-site (/go/twitter) is an external link:
                            # not requested, not a page, not broken. Only the start page's
                            # redirects may leave the origin: they define the scope.
                            return _Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=nxt,
                                                 error_detail=f"redirects out of scope to {nxt}"[:500],
                                                 redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                        if not urls.is_http(nxt):
                            return _Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=nxt,
                                                 error="invalid_url", error_detail=f"redirect to {nxt}",
                                                 redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                        current = nxt
                        continue
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if resp.status_code >= 400:
                        return _Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                             content_type=ctype, error="http_error",
                                             error_detail=f"HTTP {resp.status_code}", redirects=tuple(chain),
                                             elapsed=time.monotonic() - t, found_via=via))
                    if ctype and ctype not in HTML_TYPES:
                        return _Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                             content_type=ctype, error="not_html", error_detail=ctype,
                                             redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.opts.max_bytes:
                        return _Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                             content_type=ctype, error="too_large",
                                             error_detail=f"{declared} bytes > cap {self.opts.max_bytes}",
                                             redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                    buf = bytearray()
                    async for chunk in resp.aiter_bytes():
                        buf.extend(chunk)
                        if len(buf) > self.opts.max_bytes:
                            return _Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                                 content_type=ctype, error="too_large",
                                                 error_detail=f"more than {self.opts.max_bytes} bytes",
                                                 redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                    body = bytes(buf)
                    headers = dict(resp.headers)
                    status = resp.status_code
            except httpx.TimeoutException as exc:
                return _Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="timeout",
                                     error_detail=type(exc).__name__, redirects=tuple(chain),
                                     elapsed=time.monotonic() - t, found_via=via))
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError,
                    httpx.NetworkError, httpx.ProxyError) as exc:
                return _Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="connect",
                                     error_detail=(str(exc) or type(exc).__name__)[:200], redirects=tuple(chain),
                                     elapsed=time.monotonic() - t, found_via=via))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                return _Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="invalid_url",
                                     error_detail=str(exc)[:200], elapsed=time.monotonic() - t, found_via=via))
            except Exception as exc:  # noqa: BLE001 - whatever a site does is recorded, never raised
                # httpx.HTTPError, and what escapes it (an ExceptionGroup for a port out
                # of range, a decoding error in a broken gzip stream).
                return _Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="other",
                                     error_detail=(str(exc) or type(exc).__name__)[:200],
                                     elapsed=time.monotonic() - t, found_via=via))
            # Sniff: a server that says text/plain but sends HTML is rare; we trust
            # content-type when present, and sniff only when it is missing.
            if not ctype and not re.search(rb"<(?:!doctype html|html|head|body)", body[:2048], re.I):
                return _Fetched(Page(url=url, status=status, depth=depth, final_url=current, error="not_html",
                                     error_detail="no content-type and no HTML", redirects=tuple(chain),
                                     elapsed=time.monotonic() - t, found_via=via))
            facts = extract_page(current, headers, body, budget=self.opts.extract_budget,
                                 time_left=max(0.0, self.time_left()))
            if isinstance(facts, ExtractionFailure):  # recorded on the page; the crawl goes on
                return _Fetched(Page(url=url, status=status, depth=depth, final_url=current,
                                     content_type=ctype or "text/html", error=facts.kind, error_detail=facts.detail,
                                     redirects=tuple(chain), elapsed=time.monotonic() - t, size=len(body), found_via=via))
            links = [lk.url for lk in facts.links if lk.url]
            return _Fetched(Page(url=url, status=status, depth=depth, final_url=current,
                                 content_type=ctype or "text/html", redirects=tuple(chain),
                                 elapsed=time.monotonic() - t, size=len(body), facts=facts, found_via=via), links)
        return _Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="too_many_redirects",
                             error_detail=f"more than {self.opts.max_redirects} redirects",
                             redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))

    async def _robots(self, client: httpx.AsyncClient, origin: str) -> None:
        try:
            r = await client.get(origin + "/robots.txt", headers=self.headers_for(origin), follow_redirects=True,
                                 timeout=min(self.opts.timeout, max(0.5, self.time_left())))
            self.fetched += 1
        except httpx.HTTPError:
            return
        if r.status_code == 200 and len(r.content) < 512 * 1024:
            try:
                self.robots = Protego.parse(r.text)
            except Exception:  # a malformed robots.txt is treated as absent
                self.robots = None

    async def _sitemap(self, client: httpx.AsyncClient, origin: str) -> list[str]:
        candidates = []
        if self.robots is not None:
            for listed in self.robots.sitemaps:
                try:
                    candidates.append(urls.join(origin + "/robots.txt", listed))
                except ValueError:  # a broken Sitemap: line is ignored
                    continue
        candidates.append(origin + "/sitemap.xml")
        found: list[str] = []
        for sm in candidates[:3]:
            if not self.in_scope(sm) or self.time_left() < 1:
                continue
            try:
                r = await client.get(sm, headers=self.headers_for(sm), timeout=min(self.opts.timeout, 5.0))
                self.fetched += 1
            except httpx.HTTPError:
                continue
            if r.status_code != 200 or len(r.content) > self.opts.max_bytes:
                continue
            for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", r.text)[:1000]:
                # The protocol wants absolute URLs; a site-relative <loc> is read as browsers
                # read a relative link: against the sitemap's own URL.
                try:
                    loc = urls.join(sm, html.unescape(loc))
                except ValueError:
                    continue
                if urls.is_http(loc) and urls.is_valid(loc):
                    found.append(loc)
            if found:
                break
        return found

    def _blocked(self, start: str, final_url: str, origin: str) -> Site:
        """The Site of a crawl whose start page robots.txt disallows."""
        self.robots_blocked += 1
        blocked = Page(url=start, status=None, depth=0, final_url=final_url, error="robots",
                       error_detail="robots.txt disallows the start page", found_via="start")
        return Site(start_url=start, origin=origin, pages=(blocked,),
                    hosts=tuple(sorted(self.scope_hosts | self.allowed_hosts)),
                    stats=CrawlStats(pages=0, fetched=self.fetched, errors=0, robots_blocked=1))

    # ----------------------------------------------------------------- the crawl
    async def run(self) -> Site:
        limits = httpx.Limits(max_connections=self.opts.concurrency, max_keepalive_connections=self.opts.concurrency)
        async with httpx.AsyncClient(follow_redirects=False, limits=limits, verify=True, http2=False) as client:
            start = urls.canonical(self.start_url)
            self.scope_hosts = {urls.netloc_of(start)}
            # robots.txt is read before the first request to a page, not after.
            start_origin = urls.origin(start)
            if not self.opts.ignore_robots:
                await self._robots(client, start_origin)
                if not self.allowed(start):
                    return self._blocked(start, start, start_origin)
            first = await self.fetch(client, start, 0, "start")
            start_page = first.page
            origin = urls.origin(start_page.final_url or start)
            # Scope is the final origin of the start page after its redirects.
            self.scope_hosts = {urls.netloc_of(origin)}
            if origin != start_origin and not self.opts.ignore_robots:
                self.robots = None
                await self._robots(client, origin)
            if not self.allowed(start_page.final_url or start):
                return self._blocked(start, start_page.final_url, origin)
            if start_page.ok and start_page.facts is not None and start_page.final_url != start:
                start = urls.canonical(start_page.final_url)
                start_page = Page(**{**start_page.__dict__, "url": start})
            pages: dict[str, Page] = {start: start_page}
            links_of: dict[str, list[str]] = {start: first.links}
            depths: dict[str, int] = {start: 0}
            # Canonical links (rel=canonical, same origin) fold duplicates together.
            aliases: dict[str, str] = {}
            truncated: str | None = None
            max_depth_reached = 0
            discovered_not_fetched: set[str] = set()

            sitemap_urls: list[str] = [urls.canonical(u) for u in self.opts.sitemap_urls]
            if self.opts.use_sitemap and not self.opts.sitemap_urls and start_page.ok:
                sitemap_urls = [urls.canonical(u) for u in await self._sitemap(client, origin)]
            sitemap_urls = [u for u in dict.fromkeys(sitemap_urls)]

            def kept() -> int:
                return sum(1 for p in pages.values() if p.ok)

            def next_level(level_urls: list[str], depth: int) -> list[str]:
                out: list[str] = []
                for u in level_urls:
                    for target in links_of.get(u, []):
                        if not urls.is_valid(target):
                            continue
                        c = urls.canonical(target)
                        c = aliases.get(c, c)
                        if c in depths or c in out:
                            continue
                        if not self.in_scope(c) or urls.looks_non_html(c) or urls.looks_destructive(c):
                            continue
                        out.append(c)
                return sorted(out)

            level = [start] if start_page.ok else []
            depth = 0
            sem = asyncio.Semaphore(self.opts.concurrency)

            async def bounded(u: str, d: int) -> _Fetched:
                async with sem:
                    return await self.fetch(client, u, d, "link")

            while level:
                nxt = next_level(level, depth)
                if not nxt:
                    break
                if depth + 1 > self.opts.max_depth:
                    truncated = truncated or "max_depth"
                    discovered_not_fetched.update(nxt)
                    break
                depth += 1
                todo: list[str] = []
                for u in nxt:
                    depths[u] = depth
                    if not self.allowed(u):
                        self.robots_blocked += 1
                        pages[u] = Page(url=u, status=None, depth=depth, error="robots",
                                        error_detail="disallowed by robots.txt")
                        continue
                    todo.append(u)
                fetched_level: list[str] = []
                # Fetch in batches so max_pages and the deadline are honoured mid-level.
                i = 0
                while i < len(todo):
                    room = self.opts.max_pages - kept()
                    if room <= 0:
                        truncated = truncated or "max_pages"
                        discovered_not_fetched.update(todo[i:])
                        break
                    if self.time_left() <= 0:
                        truncated = truncated or "deadline"
                        discovered_not_fetched.update(todo[i:])
                        break
                    batch = todo[i: i + max(1, min(room, self.opts.concurrency * 2))]
                    i += len(batch)
                    try:
                        results = await asyncio.wait_for(
                            asyncio.gather(*(bounded(u, depth) for u in batch)), timeout=max(0.5, self.time_left()))
                    except TimeoutError:
                        truncated = truncated or "deadline"
                        discovered_not_fetched.update(batch)
                        discovered_not_fetched.update(todo[i:])
                        break
                    for res in results:
                        p = res.page
                        # A page that redirected is the page it arrived at: kept once, under
                        # its final URL, whichever spelling was fetched first.
                        final = urls.canonical(p.final_url) if p.ok and p.final_url else p.url
                        if final != p.url:
                            aliases[p.url] = final
                            if final in pages:
                                continue
                            depths.setdefault(final, depth)
                            p = dataclasses.replace(p, url=final)
                        elif p.url in pages:
                            continue
                        pages[p.url] = p
                        links_of[p.url] = res.links
                        fetched_level.append(p.url)
                        if self.progress:
                            self.progress(len(pages), len(pages) + len(discovered_not_fetched))
                max_depth_reached = max(max_depth_reached, depth)
                if truncated in ("max_pages", "deadline"):
                    # Record what the next level would have held, then stop.
                    discovered_not_fetched.update(u for u in next_level(fetched_level, depth) if u not in depths)
                    break
                level = fetched_level

            # A same-origin <link rel=canonical> folds a duplicate URL into the page it
            # names, when both were crawled and carry the same title. The title check keeps
            # a misconfigured site (every page "canonical" to the home page) auditable.
            for u in sorted(pages):
                p = pages[u]
                if u == start or not p.ok or p.facts is None or not p.facts.canonical:
                    continue
                if not urls.is_valid(p.facts.canonical):
                    continue
                canon = urls.canonical(p.facts.canonical)
                canon = aliases.get(canon, canon)
                target = pages.get(canon)
                if canon == u or target is None or target.facts is None or not self.host_in_scope(canon):
                    continue
                if target.facts.title != p.facts.title:
                    continue
                aliases[u] = canon
                del pages[u]
                links_of[canon] = [*links_of.get(canon, []), *links_of.pop(u, [])]
                shallowest = min(depths.get(canon, target.depth), depths.pop(u, p.depth))
                depths[canon] = shallowest
                pages[canon] = dataclasses.replace(target, depth=shallowest)

            # Sitemap pages no link reached: fetched so they can be reported as
            # unreachable, but not judged as part of the customer's site.
            orphans: list[Page] = []
            orphan_budget = self.opts.max_pages
            seen_orphans: set[str] = set()
            for u in sitemap_urls:
                u = aliases.get(u, u)
                if u in pages or u in depths or not self.in_scope(u) or urls.looks_non_html(u):
                    continue
                if orphan_budget <= 0 or self.time_left() <= 0 or truncated:
                    break
                if not self.allowed(u):
                    continue
                orphan_budget -= 1
                res = await self.fetch(client, u, -1, "sitemap")
                final = urls.canonical(res.page.final_url) if res.page.ok and res.page.final_url else u
                # A sitemap entry that redirects to a crawled page is that page, not an orphan.
                if res.page.ok and final not in pages and final not in seen_orphans:
                    seen_orphans.add(final)
                    orphans.append(res.page)

            graph: dict[str, tuple[str, ...]] = {}
            for u, ls in links_of.items():
                targets = set()
                for t in ls:
                    if not urls.is_valid(t):
                        continue
                    c = urls.canonical(t)
                    c = aliases.get(c, c)
                    if self.in_scope(c):
                        targets.add(c)
                graph[u] = tuple(sorted(targets))
            all_pages = list(pages.values()) + orphans
            errors = sum(1 for p in all_pages if p.error and p.error != "robots")
            stats = CrawlStats(
                pages=sum(1 for p in pages.values() if p.ok),
                fetched=self.fetched,
                errors=errors,
                robots_blocked=self.robots_blocked,
                not_fetched=len(discovered_not_fetched - set(pages)),
                truncated=truncated,
                max_depth_reached=max_depth_reached,
            )
            return Site(start_url=start, origin=origin, pages=tuple(all_pages), graph=graph,
                        depths={u: d for u, d in depths.items() if u in pages},
                        sitemap_urls=tuple(sitemap_urls), hosts=tuple(sorted(self.scope_hosts | self.allowed_hosts)), stats=stats,
                        unfetched=tuple(sorted(discovered_not_fetched - set(pages))))


def crawl(start_url: str, options: CrawlOptions | None = None, progress: ProgressFn | None = None) -> Site:
    """Crawl a site from its start page and return the :class:`Site` artifact."""
    return asyncio.run(Crawler(start_url, options or CrawlOptions(), progress).run())


def facts_for(site: Site) -> list[PageFacts]:
    """Facts of every judged page, in URL order."""
    return [p.facts for p in site.ok_pages if p.facts is not None and p.depth >= 0]
