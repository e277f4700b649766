"""Fetching one URL under every bound: the crawl's only door to the network.

A request's timeout covers the whole exchange (connect, headers, body), never one read,
so a server that drips bytes cannot stretch it; no request outlives the run's deadline.
Redirects are followed by hand, hop by hop, each hop judged on its own URL: ``--header``
values go only to the origins the user named (:func:`cxprobe.urls.named_origins`), and
cookies a site sets go back only to the port that set them. Bodies are streamed and cut
at their cap. Whatever a server does becomes a :class:`~cxprobe.model.Page` with an
error kind, never an exception.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import re
import time
import urllib.request
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from .. import urls
from ..document import ExtractionFailure
from ..model import Page
from .options import CrawlOptions
from .politeness import MAX_RETRIES, MAX_RETRY_WAIT, RETRY_CODES, HostGate, retry_after
from .pool import INLINE_PAGES, Extraction, resolve_jobs
from .scope import Scope

HTML_TYPES = ("text/html", "application/xhtml+xml")

#: Where the requests of the current task are counted: None for :attr:`Fetcher.requests`;
#: a box of its own for a page read ahead (counted only if the crawl keeps it, so that
#: ``crawl.fetched`` does not depend on how far ahead a run happened to read).
_TALLY: ContextVar[list[int] | None] = ContextVar("cxprobe_request_tally", default=None)


def tally_requests(box: list[int]) -> None:
    """Count the requests of the current asyncio task in ``box[0]`` from now on."""
    _TALLY.set(box)
REDIRECT_CODES = (301, 302, 303, 307, 308)


def open_client(options: CrawlOptions) -> httpx.AsyncClient:
    """The HTTP client of a crawl: never follows redirects itself (every hop is ours)."""
    limits = httpx.Limits(max_connections=options.concurrency, max_keepalive_connections=options.concurrency)
    mounts = None
    if options.local_folder:
        from .local import FolderTransport

        origin, root = options.local_folder
        mounts = {origin: FolderTransport(root)}
    return httpx.AsyncClient(follow_redirects=False, limits=limits, verify=True, http2=False, mounts=mounts)


@dataclass
class Fetched:
    """One URL fetched: the page as recorded, and the links of its HTML."""

    page: Page
    links: list[str] = field(default_factory=list)


@dataclass
class SmallFile:
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


class SiteCookies:
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
            self._info = SiteCookies._Info(headers)

        def info(self) -> SiteCookies._Info:
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


class Fetcher:
    """Every request of one crawl: its clock, its request counter, its cookies.

    :meth:`page` fetches a page and extracts its facts; :meth:`small` reads robots.txt
    or a sitemap. Both count in :attr:`requests` (each redirect hop is one request).
    """

    def __init__(self, options: CrawlOptions, scope: Scope, named: urls.NamedOrigins,
                 started: float | None = None) -> None:
        self.opts = options
        self.scope = scope
        #: Where --header values may go: the origins the user named, never the scope as such.
        self.named = named
        #: time.monotonic() when the run began: the deadline counts from it.
        self.t0 = time.monotonic() if started is None else started
        #: Requests made, each redirect hop counted (the report's ``crawl.fetched``).
        self.requests = 0
        #: Cookies the sites set, each sent back only to the port that set it.
        self.cookies = SiteCookies()
        #: Where pages are read (in-process, then a process pool); closed by the crawl.
        self.extraction = Extraction(options.extractors, resolve_jobs(options.jobs),
                                     INLINE_PAGES if options.inline_pages is None else options.inline_pages)
        #: Requests at once and the gap between them, per host; pauses servers ask for.
        self.gate = HostGate(options.per_host, options.delay)
        #: (url, seconds) of each Retry-After the crawl waited for.
        self.retried: list[tuple[str, float]] = []

    # ----------------------------------------------------------------- bounds
    def time_left(self) -> float:
        """Seconds until the run's deadline (negative once it has passed)."""
        return self.opts.deadline - (time.monotonic() - self.t0)

    def request_limit(self, cap: float | None = None) -> float:
        """Seconds the next request may take in all: the timeout, never past the deadline."""
        limit = min(self.opts.timeout, self.time_left())
        return limit if cap is None else min(limit, cap)

    def _timeout_detail(self, limit: float) -> str:
        if limit < self.opts.timeout:
            return f"no complete answer within {limit:.2g} s, the time left before the run's deadline"
        return f"no complete answer within {limit:.3g} s"

    def _count_request(self) -> None:
        box = _TALLY.get()
        if box is None:
            self.requests += 1
        else:
            box[0] += 1

    # ----------------------------------------------------------------- headers
    def headers_for(self, url: str) -> dict[str, str]:
        """Headers of one request (one hop): ``--header`` values only for a named origin."""
        h = {"User-Agent": self.opts.user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
        # Extra headers (staging credentials, cookies) go only where the user sent them:
        # not to an origin the start page redirected to, nor where robots.txt points.
        if self.named.allows(url):
            h.update(dict(self.opts.headers))
        if not any(k.lower() == "cookie" for k in h):
            cookie = self.cookies.header_for(url)
            if cookie:
                h["Cookie"] = cookie
        return h

    def _request_headers(self, client: httpx.AsyncClient, url: str) -> dict[str, str]:
        """:meth:`headers_for`, with the client's own cookie jar emptied first.

        httpx stores every cookie a response sets and adds it to the next request to that
        host, on any port; the crawl keeps cookies itself (:class:`SiteCookies`), so the
        client's jar is emptied before each request is built (nothing awaits in between).
        """
        client.cookies.clear()
        return self.headers_for(url)

    # ----------------------------------------------------------------- pages
    async def page(self, client: httpx.AsyncClient, url: str, depth: int, via: str) -> Fetched:
        """GET one page following redirects by hand (loops and chains recorded), then its facts.

        ``via`` is how it was found (:attr:`cxprobe.model.Page.found_via`); only the start
        page's redirects may leave the scope, because they define it.
        """
        t = time.monotonic()
        chain: list[str] = []
        current = url
        seen = {url}
        hops = retries = 0
        while hops <= self.opts.max_redirects:
            host = urls.netloc_of(current) if urls.is_http(current) else ""
            timeout = self.request_limit()
            if timeout <= 0:
                return Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="timeout",
                                    error_detail="the run's deadline had passed",
                                    redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
            try:
                self._count_request()
                headers = self._request_headers(client, current)
                # The host's slot first (its delay, a pause it asked for), then the request
                # with what is left of its time. asyncio.timeout bounds the whole
                # exchange; httpx's timeout restarts at every read.
                async with self.gate.slot(host, self.time_left):
                    timeout = self.request_limit()
                    if timeout <= 0:
                        raise TimeoutError
                    async with (asyncio.timeout(timeout),
                                client.stream("GET", current, headers=headers, timeout=timeout) as resp):
                        self.cookies.keep(current, resp.headers)
                        wait = retry_after(resp.headers.get("retry-after")) if resp.status_code in RETRY_CODES else None
                        if (wait is not None and retries < MAX_RETRIES and wait <= MAX_RETRY_WAIT
                                and wait < self.time_left() - 1.0):
                            # The server asked for a pause: every request to it waits, then
                            # this one is made again (bounded: twice, within the deadline).
                            retries += 1
                            self.retried.append((current, wait))
                            self.gate.pause(host, wait)
                            continue
                        if resp.status_code in REDIRECT_CODES and "location" in resp.headers:
                            nxt = urls.join(current, resp.headers["location"])
                            chain.append(current)
                            if nxt in seen:
                                return Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=nxt,
                                                    error="redirect_loop", error_detail=" -> ".join([*chain, nxt])[:500],
                                                    redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                            seen.add(nxt)
                            if via != "start" and urls.is_http(nxt) and not self.scope.has_host(nxt):
                                # A link that redirects off-site (/go/twitter) is an external link:
                                # not requested, not a page, not broken. Only the start page's
                                # redirects may leave the origin: they define the scope.
                                return Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=nxt,
                                                    error_detail=f"redirects out of scope to {nxt}"[:500],
                                                    redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                            if not urls.is_http(nxt):
                                return Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=nxt,
                                                    error="invalid_url", error_detail=f"redirect to {nxt}",
                                                    redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                            current = nxt
                            hops += 1
                            continue
                        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                        if resp.status_code >= 400:
                            return Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                                content_type=ctype, error="http_error",
                                                error_detail=f"HTTP {resp.status_code}", redirects=tuple(chain),
                                                elapsed=time.monotonic() - t, found_via=via))
                        if ctype and ctype not in HTML_TYPES:
                            return Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                                content_type=ctype, error="not_html", error_detail=ctype,
                                                redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                        declared = resp.headers.get("content-length")
                        if declared and declared.isdigit() and int(declared) > self.opts.max_bytes:
                            return Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                                content_type=ctype, error="too_large",
                                                error_detail=f"{declared} bytes > cap {self.opts.max_bytes}",
                                                redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                        buf = bytearray()
                        async for chunk in resp.aiter_bytes():
                            buf.extend(chunk)
                            if len(buf) > self.opts.max_bytes:
                                return Fetched(Page(url=url, status=resp.status_code, depth=depth, final_url=current,
                                                    content_type=ctype, error="too_large",
                                                    error_detail=f"more than {self.opts.max_bytes} bytes",
                                                    redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))
                        body = bytes(buf)
                        headers = dict(resp.headers)
                        status = resp.status_code
            except (httpx.TimeoutException, TimeoutError):
                return Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="timeout",
                                    error_detail=self._timeout_detail(timeout), redirects=tuple(chain),
                                    elapsed=time.monotonic() - t, found_via=via))
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError,
                    httpx.NetworkError, httpx.ProxyError) as exc:
                return Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="connect",
                                    error_detail=(str(exc) or type(exc).__name__)[:200], redirects=tuple(chain),
                                    elapsed=time.monotonic() - t, found_via=via))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                return Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="invalid_url",
                                    error_detail=str(exc)[:200], elapsed=time.monotonic() - t, found_via=via))
            except Exception as exc:  # noqa: BLE001 - whatever a site does is recorded, never raised
                # httpx.HTTPError, and what escapes it (an ExceptionGroup for a port out
                # of range, a decoding error in a broken gzip stream).
                return Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="other",
                                    error_detail=(str(exc) or type(exc).__name__)[:200],
                                    elapsed=time.monotonic() - t, found_via=via))
            # Sniff: a server that says text/plain but sends HTML is rare; we trust
            # content-type when present, and sniff only when it is missing.
            if not ctype and not re.search(rb"<(?:!doctype html|html|head|body)", body[:2048], re.I):
                return Fetched(Page(url=url, status=status, depth=depth, final_url=current, error="not_html",
                                    error_detail="no content-type and no HTML", redirects=tuple(chain),
                                    elapsed=time.monotonic() - t, found_via=via))
            facts = await self.extraction.extract(current, dict(headers), body, self.opts.extract_budget,
                                                  max(0.0, self.time_left()))
            if isinstance(facts, ExtractionFailure):  # recorded on the page; the crawl goes on
                return Fetched(Page(url=url, status=status, depth=depth, final_url=current,
                                    content_type=ctype or "text/html", error=facts.kind, error_detail=facts.detail,
                                    redirects=tuple(chain), elapsed=time.monotonic() - t, size=len(body), found_via=via))
            links = [lk.url for lk in facts.links if lk.url]
            return Fetched(Page(url=url, status=status, depth=depth, final_url=current,
                                content_type=ctype or "text/html", redirects=tuple(chain),
                                elapsed=time.monotonic() - t, size=len(body), facts=facts, found_via=via), links)
        return Fetched(Page(url=url, status=None, depth=depth, final_url=current, error="too_many_redirects",
                            error_detail=f"more than {self.opts.max_redirects} redirects",
                            redirects=tuple(chain), elapsed=time.monotonic() - t, found_via=via))

    # ----------------------------------------------------------------- robots.txt and sitemaps
    async def small(self, client: httpx.AsyncClient, url: str, cap: int, max_redirects: int,
                    time_cap: float | None = None) -> SmallFile:
        """GET robots.txt or a sitemap: redirects by hand, each hop under the time limit,
        the body streamed and cut at ``cap`` bytes. Never raises."""
        current = url
        seen = {url}
        for hop in range(max_redirects + 1):
            limit = self.request_limit(time_cap)
            if limit <= 0:
                return SmallFile(current, error="timeout", detail="the run's deadline had passed", hops=hop)
            try:
                self._count_request()
                headers = self._request_headers(client, current)
                async with (asyncio.timeout(limit),
                            client.stream("GET", current, headers=headers, timeout=limit) as resp):
                    self.cookies.keep(current, resp.headers)
                    status = resp.status_code
                    if status in REDIRECT_CODES and "location" in resp.headers:
                        nxt = urls.join(current, resp.headers["location"])
                        if nxt in seen:
                            return SmallFile(current, status, error="redirect_loop",
                                             detail=f"redirects in a loop to {nxt}", hops=hop)
                        if not urls.is_http(nxt) or not urls.is_valid(nxt):
                            return SmallFile(current, status, error="invalid_url", detail=f"redirects to {nxt}", hops=hop)
                        seen.add(nxt)
                        current = nxt
                        continue
                    if not 200 <= status < 300:
                        return SmallFile(current, status, hops=hop)
                    buf = bytearray()
                    cut = False
                    async for chunk in resp.aiter_bytes():
                        room = cap - len(buf)
                        if len(chunk) > room:
                            buf.extend(chunk[:room])
                            cut = True
                            break
                        buf.extend(chunk)
                    return SmallFile(current, status, bytes(buf), cut=cut, hops=hop)
            except (httpx.TimeoutException, TimeoutError):
                return SmallFile(current, error="timeout", detail=self._timeout_detail(limit), hops=hop)
            except (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
                return SmallFile(current, error="connect", detail=(str(exc) or type(exc).__name__)[:200], hops=hop,
                                 no_connection=isinstance(exc, httpx.ConnectError))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                return SmallFile(current, error="invalid_url", detail=str(exc)[:200], hops=hop)
            except Exception as exc:  # noqa: BLE001 - whatever a site does is recorded, never raised
                return SmallFile(current, error="other", detail=(str(exc) or type(exc).__name__)[:200], hops=hop)
        return SmallFile(current, error="too_many_redirects", detail=f"more than {max_redirects} redirects",
                         hops=max_redirects)
