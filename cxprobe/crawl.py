"""The crawl gatherer: same-origin breadth-first crawl on async httpx.

Bounded in every dimension (pages, depth, concurrency, per-request timeout, one
absolute deadline, response size, redirects), on every request it makes: pages,
robots.txt and sitemaps alike. A request's timeout covers the whole exchange (connect,
headers, body), never one read, so a server that drips bytes cannot stretch it; no
request outlives the deadline. robots.txt is honoured unless told otherwise. Redirects
are followed by hand, hop by hop, and ``--header`` values go only to the origins the
user named (:func:`cxprobe.urls.named_origins`). Every failure is recorded on a
:class:`~cxprobe.model.Page`, a crawl counter or a note; nothing a site does raises
through the run. The crawl walks level by level, so a page's depth is the fewest clicks
from the start page.
"""

from __future__ import annotations

import asyncio
import dataclasses
import fnmatch
import html
import http.cookiejar
import re
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from protego import Protego

from . import __version__, urls
from .document import ExtractionFailure, extract_page
from .model import CrawlStats, Page, PageFacts, Site

USER_AGENT = f"cxprobe/{__version__} (+https://pypi.org/project/cxprobe/; customer-experience audit)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_CODES = (301, 302, 303, 307, 308)
#: How much of a robots.txt is read: RFC 9309 asks for a parsing limit of at least
#: 500 KiB; never more than --max-bytes.
ROBOTS_CAP = 512 * 1024
#: Redirects followed for robots.txt (RFC 9309: at least five, across hosts too).
ROBOTS_REDIRECTS = 5
#: Seconds a sitemap may take at most (it only seeds the crawl).
SITEMAP_TIMEOUT = 5.0


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
    #: The registered extractors, in the order they run (dependencies first).
    extractors: tuple[Any, ...] = ()
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


@dataclass
class _Fetched:
    page: Page
    links: list[str] = field(default_factory=list)


@dataclass
class _Small:
    """robots.txt or a sitemap, read by hand under every bound."""

    #: The URL that answered (after redirects).
    url: str
    status: int | None = None
    body: bytes = b""
    #: True when the body was cut at its cap.
    cut: bool = False
    #: None, or: timeout, connect, too_many_redirects, redirect_loop, invalid_url, other
    error: str | None = None
    detail: str = ""
    #: Redirects followed.
    hops: int = 0
    #: True when no connection could be opened at all (refused, no such host).
    no_connection: bool = False


class _PortBoundCookies(http.cookiejar.DefaultCookiePolicy):
    """Cookies a site sets follow the usual domain rules but never cross to another port.

    A cookie is keyed by host, not by port (RFC 6265), so without this a cookie set by
    127.0.0.1:8000 would be sent to every port of 127.0.0.1; the two default ports (80
    and 443) count as one, so an http -> https upgrade keeps the site's cookies.
    """

    _ATTR = "x-cxprobe-port"

    @staticmethod
    def _port(request: urllib.request.Request) -> str:
        try:
            parts = urlsplit(request.get_full_url())
            port = parts.port
        except ValueError:
            return "?"
        return "default" if port in (None, 80, 443) else str(port)

    def set_ok(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        if not super().set_ok(cookie, request):
            return False
        cookie.set_nonstandard_attr(self._ATTR, self._port(request))
        return True

    def return_ok(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        return (super().return_ok(cookie, request)
                and cookie.get_nonstandard_attr(self._ATTR) == self._port(request))


class _SiteCookies:
    """The cookies sites set during a crawl, sent back under :class:`_PortBoundCookies`.

    Kept here rather than in httpx's jar: httpx copies its jar into a default-policy jar
    for every request, so a policy set on it is never asked who may receive a cookie.
    """

    class _Info:
        def __init__(self, headers: httpx.Headers) -> None:
            self.headers = headers

        def get_all(self, name: str, default: list[str] | None = None) -> list[str] | None:
            return self.headers.get_list(name) or default

    class _Response:
        def __init__(self, headers: httpx.Headers) -> None:
            self._info = _SiteCookies._Info(headers)

        def info(self) -> _SiteCookies._Info:
            return self._info

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar(policy=_PortBoundCookies())

    def keep(self, url: str, headers: httpx.Headers) -> None:
        """Store the cookies a response to ``url`` sets (a malformed one is dropped)."""
        if "set-cookie" not in headers:
            return
        try:
            self.jar.extract_cookies(self._Response(headers), urllib.request.Request(url))  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a cookie the stdlib cannot read is no cookie
            return

    def header_for(self, url: str) -> str | None:
        """The Cookie header a request to ``url`` carries, or None."""
        if not len(self.jar):
            return None
        try:
            req = urllib.request.Request(url)
            self.jar.add_cookie_header(req)
        except Exception:  # noqa: BLE001 - an unreadable URL gets no cookie
            return None
        return req.get_header("Cookie")


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
        self.allowed_hosts: set[str] = {h for h in (urls.allow_host_entry(v) for v in options.allow_hosts) if h}
        #: Where --header values may go: the origins the user named, never the scope as such.
        self.named = options.named_origins or urls.named_origins(start_url, options.allow_hosts)
        self.robots: Protego | None = None
        #: Why robots.txt could not be read, as (page error kind, detail); by RFC 9309 an
        #: unreachable robots.txt (5xx, 429, timeout, no connection) allows nothing.
        self.robots_failure: tuple[str, str] | None = None
        #: Cookies the sites set, each sent back only to the port that set it.
        self.site_cookies = _SiteCookies()
        #: One-line notes for the report (a sitemap that could not be read, credentials
        #: held back at a redirect).
        self.notes: list[str] = []

    # ----------------------------------------------------------------- helpers
    def time_left(self) -> float:
        return self.opts.deadline - (time.monotonic() - self.t0)

    def request_limit(self, cap: float | None = None) -> float:
        """Seconds the next request may take in all: the timeout, never past the deadline."""
        limit = min(self.opts.timeout, self.time_left())
        return limit if cap is None else min(limit, cap)

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

    def _timeout_detail(self, limit: float) -> str:
        if limit < self.opts.timeout:
            return f"no complete answer within {limit:.2g} s, the time left before the run's deadline"
        return f"no complete answer within {limit:.3g} s"

    def headers_for(self, url: str) -> dict[str, str]:
        """Headers of one request (one hop): ``--header`` values only for a named origin."""
        h = {"User-Agent": self.opts.user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
        # Extra headers (staging credentials, cookies) go only where the user sent them:
        # not to an origin the start page redirected to, nor where robots.txt points.
        if self.named.allows(url):
            h.update(dict(self.opts.headers))
        if not any(k.lower() == "cookie" for k in h):
            cookie = self.site_cookies.header_for(url)
            if cookie:
                h["Cookie"] = cookie
        return h

    def _request_headers(self, client: httpx.AsyncClient, url: str) -> dict[str, str]:
        """:meth:`headers_for`, with the client's own cookie jar emptied first.

        httpx stores every cookie a response sets and adds it to the next request to that
        host, on any port; the crawler keeps cookies itself (:class:`_SiteCookies`), so the
        client's jar is emptied before each request is built (nothing awaits in between).
        """
        client.cookies.clear()
        return self.headers_for(url)

    def allowed(self, url: str) -> bool:
        if self.opts.ignore_robots:
            return True
        if self.robots_failure is not None:
            return False
        if self.robots is None:
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
            timeout = self.request_limit()
            if timeout <= 0:
                return _Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="timeout",
                                     error_detail="the run's deadline had passed",
                                     redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
            try:
                self.fetched += 1
                headers = self._request_headers(client, current)
                # asyncio.timeout bounds the whole exchange; httpx's timeout restarts at every read.
                async with (asyncio.timeout(timeout),
                            client.stream("GET", current, headers=headers, timeout=timeout) as resp):
                    self.site_cookies.keep(current, resp.headers)
                    if resp.status_code in REDIRECT_CODES and "location" in resp.headers:
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
            except (httpx.TimeoutException, TimeoutError):
                return _Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="timeout",
                                     error_detail=self._timeout_detail(timeout), redirects=tuple(chain),
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
            facts = extract_page(current, headers, body, self.opts.extractors, budget=self.opts.extract_budget,
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

    async def _get_small(self, client: httpx.AsyncClient, url: str, cap: int, max_redirects: int,
                         time_cap: float | None = None) -> _Small:
        """GET robots.txt or a sitemap: redirects by hand, each hop under the time limit,
        the body streamed and cut at ``cap`` bytes. Never raises."""
        current = url
        seen = {url}
        for hop in range(max_redirects + 1):
            limit = self.request_limit(time_cap)
            if limit <= 0:
                return _Small(current, error="timeout", detail="the run's deadline had passed", hops=hop)
            try:
                self.fetched += 1
                headers = self._request_headers(client, current)
                async with (asyncio.timeout(limit),
                            client.stream("GET", current, headers=headers, timeout=limit) as resp):
                    self.site_cookies.keep(current, resp.headers)
                    status = resp.status_code
                    if status in REDIRECT_CODES and "location" in resp.headers:
                        nxt = urls.join(current, resp.headers["location"])
                        if nxt in seen:
                            return _Small(current, status, error="redirect_loop", detail=f"redirects in a loop to {nxt}",
                                          hops=hop)
                        if not urls.is_http(nxt) or not urls.is_valid(nxt):
                            return _Small(current, status, error="invalid_url", detail=f"redirects to {nxt}", hops=hop)
                        seen.add(nxt)
                        current = nxt
                        continue
                    if not 200 <= status < 300:
                        return _Small(current, status, hops=hop)
                    buf = bytearray()
                    cut = False
                    async for chunk in resp.aiter_bytes():
                        room = cap - len(buf)
                        if len(chunk) > room:
                            buf.extend(chunk[:room])
                            cut = True
                            break
                        buf.extend(chunk)
                    return _Small(current, status, bytes(buf), cut=cut, hops=hop)
            except (httpx.TimeoutException, TimeoutError):
                return _Small(current, error="timeout", detail=self._timeout_detail(limit), hops=hop)
            except (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
                return _Small(current, error="connect", detail=(str(exc) or type(exc).__name__)[:200], hops=hop,
                              no_connection=isinstance(exc, httpx.ConnectError))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                return _Small(current, error="invalid_url", detail=str(exc)[:200], hops=hop)
            except Exception as exc:  # noqa: BLE001 - whatever a site does is recorded, never raised
                return _Small(current, error="other", detail=(str(exc) or type(exc).__name__)[:200], hops=hop)
        return _Small(current, error="too_many_redirects", detail=f"more than {max_redirects} redirects",
                      hops=max_redirects)

    async def _robots(self, client: httpx.AsyncClient, origin: str) -> None:
        """Read robots.txt of ``origin`` as RFC 9309 says.

        2xx: its rules (the first 512 KiB, never more than --max-bytes). 4xx, a redirect
        chain longer than five or a loop: unavailable, everything allowed. 5xx, 429, a
        timeout or no connection: unreachable, nothing allowed (:attr:`robots_failure`).
        """
        self.robots = None
        self.robots_failure = None
        url = origin + "/robots.txt"
        got = await self._get_small(client, url, min(ROBOTS_CAP, self.opts.max_bytes),
                                    min(ROBOTS_REDIRECTS, self.opts.max_redirects))
        if got.error in ("timeout", "connect", "other"):
            # No connection at all to the site's own origin: the site is unreachable, and
            # saying so is more useful than "robots.txt disallows".
            kind = "connect" if got.no_connection and got.hops == 0 else "robots"
            self.robots_failure = (kind, got.detail if kind == "connect" else f"robots.txt could not be read ({got.detail})")
            return
        if got.error is not None:
            self.notes.append(f"robots.txt of {origin} was not read ({got.detail}): every page is allowed")
            return
        if got.status is not None and (got.status >= 500 or got.status == 429):
            self.robots_failure = ("robots", f"robots.txt could not be read (HTTP {got.status})")
            return
        if got.status is None or not 200 <= got.status < 300:
            return  # 4xx (or a 3xx without Location): no robots.txt, everything allowed
        body = got.body
        if got.cut:
            # Parse what fits; a rule cut in half is dropped, not misread.
            body = body[: body.rfind(b"\n") + 1]
            self.notes.append(f"robots.txt of {origin} is larger than {len(got.body)} bytes: "
                              "only the rules within that size were read")
        try:
            self.robots = Protego.parse(body.decode("utf-8", "replace"))
        except Exception:  # noqa: BLE001 - a robots.txt protego cannot read is treated as absent
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
            if not self.in_scope(sm):
                continue
            if self.time_left() < 1:
                self.notes.append(f"sitemap {sm} was not read: the run's deadline was less than a second away")
                break
            got = await self._get_small(client, sm, self.opts.max_bytes, self.opts.max_redirects, SITEMAP_TIMEOUT)
            if got.error is not None:
                self.notes.append(f"sitemap {sm} could not be read ({got.detail}): the crawl went on from links")
                continue
            if got.status is None or not 200 <= got.status < 300:
                if got.status is not None and got.status >= 500:
                    self.notes.append(f"sitemap {sm} answered HTTP {got.status}: the crawl went on from links")
                continue
            if got.cut:
                self.notes.append(f"sitemap {sm} is larger than --max-bytes ({self.opts.max_bytes}): "
                                  "only the entries within that size were read")
            text = got.body.decode("utf-8", "replace")
            for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)[:1000]:
                # The protocol wants absolute URLs; a site-relative <loc> is read as browsers
                # read a relative link: against the sitemap's own URL.
                try:
                    loc = urls.join(got.url, html.unescape(loc))
                except ValueError:
                    continue
                if urls.is_http(loc) and urls.is_valid(loc):
                    found.append(loc)
            if found:
                break
        return found

    def _blocked(self, start: str, final_url: str, origin: str) -> Site:
        """The Site of a crawl whose robots.txt disallows the start page, or could not be read."""
        kind, detail = self.robots_failure or ("robots", "robots.txt disallows the start page")
        blocked_by_robots = int(kind == "robots")
        self.robots_blocked += blocked_by_robots
        blocked = Page(url=start, status=None, depth=0, final_url=final_url, error=kind,
                       error_detail=detail, found_via="start")
        return Site(start_url=start, origin=origin, pages=(blocked,),
                    hosts=tuple(sorted(self.scope_hosts | self.allowed_hosts)),
                    stats=CrawlStats(pages=0, fetched=self.fetched, errors=1 - blocked_by_robots,
                                     robots_blocked=blocked_by_robots))

    # ----------------------------------------------------------------- the crawl
    async def run(self) -> Site:
        limits = httpx.Limits(max_connections=self.opts.concurrency, max_keepalive_connections=self.opts.concurrency)
        # The client never follows redirects itself: every hop is ours, under our rules.
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
            if self.opts.headers and not self.named.allows(origin + "/"):
                # Audited, but never handed the credentials meant for the origin typed.
                self.notes.append(f"the start page redirected to {origin}; --header values were not sent there: "
                                  f"add --allow-host {urls.netloc_of(origin)} to send them")
            if origin != start_origin and not self.opts.ignore_robots:
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
