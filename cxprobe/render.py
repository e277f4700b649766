"""Browser discovery and rendering with Playwright: the ``rendering`` artifact.

Discovery order: ``--browser-path`` / ``CXPROBE_BROWSER``, then Playwright's own
Chromium when installed, then ``chromium-headless-shell``, ``chromium``,
``google-chrome`` on PATH. Discovery is cheap: Playwright's browser folder is read from
disk, and its driver is started only when that folder exists but its layout is unknown.

Rendering (:class:`RenderGatherer`, browser mode only): one browser per run, one context
per viewport (mobile 375x667 with touch, as Playwright's phone descriptors do, so the
viewport meta is honoured; desktop 1366x768), pages rendered concurrently within a bound,
each under a timeout, all under the run's deadline. Subresources from other origins load
as in any browser but at most :data:`SUBRESOURCE_TIMEOUT` seconds each, and every one
that fails is recorded on its :class:`~cxprobe.model.RenderedPage`. Links found in the
rendered DOM feed the crawl: in-scope pages the static crawl did not reach are fetched,
rendered too, and the extended :class:`~cxprobe.model.Site` replaces the crawl artifact.

Playwright is imported lazily: static mode never pays for it.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import __version__, urls
from .model import Box, MenuCheck, Page, RenderedPage, Rendering, Site, TapTarget
from .probe import Gatherer

SYSTEM_BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome",
                   "google-chrome-stable")

#: Flags for a quiet, offline-friendly browser: no update checks, no sync, no GPU.
LAUNCH_ARGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-gpu")

#: Seconds one subresource from another origin may take before it is given up.
SUBRESOURCE_TIMEOUT = 2.0
#: Text below this size (CSS px as seen at device width) counts as small.
SMALL_TEXT_PX = 12

#: Analytics and ad hosts: refused by the subresource proxy and recorded as blocked (they
#: are not failures of the site). Host names only: inside TLS the proxy sees no paths.
TRACKERS = re.compile(
    r"(^|\.)(google-analytics\.com|googletagmanager\.com|doubleclick\.net|googlesyndication\.com|"
    r"googleadservices\.com|adservice\.google\.com|connect\.facebook\.net|analytics\.tiktok\.com|"
    r"static\.hotjar\.com|script\.hotjar\.com|clarity\.ms|bat\.bing\.com|snap\.licdn\.com|"
    r"px\.ads\.linkedin\.com|cdn\.segment\.com|api\.segment\.io|cdn\.mxpnl\.com|api-js\.mixpanel\.com|"
    r"cdn\.amplitude\.com|plausible\.io|stats\.wp\.com|scorecardresearch\.com|quantserve\.com|"
    r"adnxs\.com|criteo\.(?:com|net)|taboola\.com|outbrain\.com)$",
    re.I,
)


# =========================================================================== discovery


@dataclass(frozen=True)
class FoundBrowser:
    """A Chromium executable and where it was found."""

    path: str
    #: "option" (--browser-path / CXPROBE_BROWSER), "playwright" or "system"
    source: str


def _executable(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path or "") and os.access(path or "", os.X_OK)


def _playwright_registry() -> Path | None:
    """Folder where ``playwright install`` puts browsers (PLAYWRIGHT_BROWSERS_PATH honoured)."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env == "0":
        try:
            import playwright
        except ImportError:
            return None
        return Path(playwright.__file__).parent / "driver" / "package" / ".local-browsers"
    if env:
        return Path(env).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", str(Path.home() / "AppData" / "Local"))) / "ms-playwright"
    return Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))) / "ms-playwright"


def _playwright_revisions() -> dict[str, str]:
    """Browser name -> revision this Playwright expects, from its browsers.json."""
    try:
        import playwright
    except ImportError:
        return {}
    try:
        data = json.loads((Path(playwright.__file__).parent / "driver" / "package" / "browsers.json").read_text())
        return {b["name"]: str(b["revision"]) for b in data.get("browsers", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


@functools.lru_cache(maxsize=1)
def _playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium when ``playwright install chromium`` was run.

    Read from disk (Playwright's registry folder and the revision its browsers.json
    expects): no driver process in the usual cases. Only when browsers are installed but
    not where this layout says is the driver asked, once per process.
    """
    registry = _playwright_registry()
    if registry is None or not registry.is_dir():
        return None
    installed = [d for d in registry.iterdir() if d.name.startswith("chromium")]
    if not installed:
        return None
    revisions = _playwright_revisions()
    layouts = {
        "linux": (("chromium_headless_shell", "chrome-headless-shell-linux64/chrome-headless-shell"),
                  ("chromium", "chrome-linux64/chrome"),
                  ("chromium_headless_shell", "chrome-headless-shell-linux-arm64/chrome-headless-shell"),
                  ("chromium", "chrome-linux-arm64/chrome"),
                  ("chromium", "chrome-linux/chrome")),
        "darwin": (("chromium_headless_shell", "chrome-headless-shell-mac-arm64/chrome-headless-shell"),
                   ("chromium_headless_shell", "chrome-headless-shell-mac-x64/chrome-headless-shell"),
                   ("chromium", "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing"),
                   ("chromium", "chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing")),
        "win32": (("chromium_headless_shell", "chrome-headless-shell-win64/chrome-headless-shell.exe"),
                  ("chromium", "chrome-win64/chrome.exe"), ("chromium", "chrome-win/chrome.exe")),
    }.get(sys.platform if sys.platform in ("darwin", "win32") else "linux", ())
    for name, rel in layouts:
        rev = revisions.get(name.replace("_", "-"))
        if rev:
            candidate = registry / f"{name}-{rev}" / rel
            if _executable(str(candidate)):
                return str(candidate)
    return _ask_playwright_driver()


def _ask_playwright_driver() -> str | None:
    """Ask Playwright's driver where its Chromium is (starts a Node process: ~1 s)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver, no browser: not found
        return None
    return path if _executable(path) else None


def find_browser(explicit: str | None = None) -> FoundBrowser | None:
    """The browser to render with, or None when none can be found."""
    if explicit:
        path = shutil.which(explicit) or explicit
        if _executable(path):
            return FoundBrowser(path=os.path.abspath(path), source="option")
        return None
    pw = _playwright_chromium()
    if pw:
        return FoundBrowser(path=pw, source="playwright")
    for name in SYSTEM_BROWSERS:
        on_path = shutil.which(name)
        if on_path:
            return FoundBrowser(path=on_path, source="system")
    return None


def describe_missing_browser(explicit: str | None, short: bool = False) -> str:
    """One line naming the ways to get a browser."""
    if short:
        return "install one with `python -m playwright install chromium` or give --browser-path"
    lead = f"no browser at {explicit}" if explicit else "--render browser needs Chromium and none was found"
    return (f"{lead}; fix it one of three ways: `python -m playwright install chromium`, "
            f"install a system Chromium (e.g. `apt-get install chromium-headless-shell` or `chromium`), "
            f"or point --browser-path / CXPROBE_BROWSER at a Chromium executable")


# =========================================================================== options


class RenderError(RuntimeError):
    """The browser could not be launched, or rendering failed as a whole."""


@dataclass(frozen=True)
class Viewport:
    """One browser context: size, touch and device pixel ratio."""

    name: str
    width: int
    height: int
    mobile: bool
    scale: float


#: The two viewports of the design: a phone (as Playwright's phone descriptors) and a laptop.
VIEWPORTS = (Viewport("mobile", 375, 667, True, 2.0), Viewport("desktop", 1366, 768, False, 1.0))


@dataclass(frozen=True)
class RenderOptions:
    """How to render: the browser, the bounds, where screenshots go."""

    browser_path: str
    #: Pages rendered at once (per run, across both viewports).
    concurrency: int = 4
    #: Seconds for one page to load (navigation to the load event).
    page_timeout: float = 10.0
    #: Seconds per subresource from another origin.
    subresource_timeout: float = SUBRESOURCE_TIMEOUT
    #: time.monotonic() value after which nothing new starts; None: no deadline.
    deadline_at: float | None = None
    #: Folder for first-viewport screenshots; None: no screenshots.
    screenshot_dir: Path | None = None
    #: Extra Chromium flags (tests pass --host-resolver-rules; users may via CXPROBE_BROWSER_ARGS).
    extra_args: tuple[str, ...] = ()
    block_trackers: bool = True
    viewports: tuple[Viewport, ...] = VIEWPORTS
    #: Host[:port] values that load natively, bypassing the subresource proxy (not
    #: capped, never blocked as trackers): the site's scope. Not where credentials go.
    first_party: tuple[str, ...] = ()
    #: Extra request headers (--header), Cookie included, sent as headers to the
    #: ``named`` origins only, on every request kind and redirect hop.
    headers: tuple[tuple[str, str], ...] = ()
    #: The origins the user named (:func:`cxprobe.urls.named_origins`): the only ones
    #: that get ``headers``.
    named: urls.NamedOrigins = urls.NamedOrigins()

    def time_left(self) -> float:
        return float("inf") if self.deadline_at is None else self.deadline_at - time.monotonic()


@dataclass(frozen=True)
class RenderJob:
    """One page to render in one viewport."""

    url: str
    viewport: Viewport
    #: Check the mobile menu here (the start page on mobile).
    menu: bool = False
    #: Text of the hero's call to action from the static facts, to find it in the DOM.
    cta_text: str = ""
    #: Keep the rendered HTML (pages whose HTML is an empty JavaScript shell).
    keep_html: bool = False


@dataclass
class _PageRecord:
    """Mutable per-page bookkeeping while it renders (requests that failed or were blocked)."""

    failed: dict[str, str] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)
    #: (method, url) of requests refused because their method is not GET or HEAD.
    refused: list[tuple[str, str]] = field(default_factory=list)
    #: A navigation of the page itself was refused (its document stopped loading).
    refused_navigation: bool = False


def _requests(rec: _PageRecord) -> dict[str, Any]:
    """A page record's requests as RenderedPage fields."""
    return {"failed_requests": tuple(sorted(rec.failed.items())), "blocked_requests": tuple(sorted(set(rec.blocked))),
            "refused_requests": tuple(sorted(set(rec.refused)))}


def _user_agent(mobile: bool, version: str) -> str:
    major = version.split(".", 1)[0] or "120"
    chrome = f"Chrome/{major}.0.0.0"
    if mobile:
        base = f"Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) {chrome} Mobile Safari/537.36"
    else:
        base = f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) {chrome} Safari/537.36"
    # Honest: a real browser's UA, so sites serve their normal pages, plus who we are.
    return f"{base} cxprobe/{__version__}"


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return host
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return f"{host}:{port}" if port and port != default else host


def _tracker(host: str) -> bool:
    return bool(TRACKERS.search(host.lower().rstrip(".")))


def _slug(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    s = re.sub(r"[^a-z0-9]+", "-", (path + ("-" + parts.query if parts.query else "")).lower()).strip("-")
    s = s[:60] or "index"
    if parts.query or len(path) > 60:
        s += "-" + hashlib.sha1(url.encode()).hexdigest()[:6]
    return s


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return re.sub(r"\s+", " ", line)[:300]


# =========================================================================== other origins


class SubresourceProxy:
    """A small forward proxy that every request to another origin goes through.

    Why a proxy and not ``page.route``: routing in Playwright intercepts every request
    and switches the browser's HTTP cache off, which costs about half again as much CPU
    on a multi-page site (measured: 2.5 s -> 3.9 s for ten pages). The site's own
    origin bypasses the proxy and loads natively, with the cache; requests to other
    origins (CDNs, fonts, widgets) reach the proxy, which gives each connection
    ``timeout`` seconds to connect and, whenever the browser is waiting for an answer,
    ``timeout`` seconds for the next byte. HTTPS passes through as an opaque tunnel
    (CONNECT), so the browser's own TLS, HTTP/2 and cache rules apply. Tracker hosts
    are refused. What failed is remembered per host for the page records, and a host
    that could not be reached at all fails at once for the rest of the run: a dead CDN
    costs ``timeout`` seconds once, not once per page.

    Only the browser cxprobe started may use it: every request must carry the run's
    secret as ``Proxy-Authorization`` (Basic, user :attr:`USER`; compared in constant
    time), which the browser gets through :class:`RequestGuard` after a 407 challenge;
    anything else gets 407 and nothing is forwarded. Only GET and HEAD are forwarded,
    plus CONNECT tunnels (inside which the browser's requests were already checked by
    the guard); other methods get 405. The secret never goes further than the proxy.
    """

    #: User name of the proxy credentials (the password is the per-run secret).
    USER = "cxprobe"
    #: A host the proxy answers itself (204, nothing forwarded) once authenticated: each
    #: browser context navigates there first so that it holds the proxy credentials
    #: before any subresource needs them (Chromium raises no authentication challenge
    #: for a subresource, only for a navigation). ``.invalid`` never resolves.
    AUTH_HOST = "proxy-auth.cxprobe.invalid"
    #: Methods forwarded in the clear; CONNECT opens a tunnel.
    METHODS = frozenset({"GET", "HEAD"})

    def __init__(self, timeout: float = SUBRESOURCE_TIMEOUT, block_trackers: bool = True,
                 secret: str | None = None) -> None:
        self.timeout = timeout
        self.block_trackers = block_trackers
        #: The per-run password; a new random one unless given.
        self.secret = secret or secrets.token_urlsafe(24)
        self._expected = b"basic " + base64.b64encode(f"{self.USER}:{self.secret}".encode())
        #: host -> why its last connection failed ("host not found", "timeout after 2 s", ...)
        self.failures: dict[str, str] = {}
        #: (host, port) that could not be reached (no DNS answer, connect timeout, refused).
        self.unreachable: set[tuple[str, int]] = set()
        #: Requests turned away: (reason, method, target), reason "unauthenticated" or "method".
        self.refused: list[tuple[str, str, str]] = []
        self.port = 0
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self) -> SubresourceProxy:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        """Stop listening and end every open connection (they end quietly: see _client)."""
        if self._server is not None:
            self._server.close()
        pending = [t for t in self._tasks if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1)
        self._server = None

    @property
    def server(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _refuse(self, reason: str, method: str, target: str) -> None:
        if len(self.refused) < 1000:  # a local process hammering the port cannot grow memory
            self.refused.append((reason, method[:16], target[:200]))

    def authorized(self, header_lines: list[bytes]) -> bool:
        """True when one of the request's headers is the run's Proxy-Authorization."""
        for h in header_lines:
            name, _, value = h.partition(b":")
            if name.strip().lower() == b"proxy-authorization":
                # Scheme names are case-insensitive; the credentials are compared in
                # constant time so that timing tells a local process nothing.
                got = value.strip()
                scheme, _, creds = got.partition(b" ")
                return hmac.compare_digest(scheme.lower() + b" " + creds.strip(), self._expected)
        return False

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        upstream: asyncio.StreamWriter | None = None
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=30)
            line, _, rest = head.partition(b"\r\n")
            method, target, _version = (line.decode("latin-1").split(" ") + ["", ""])[:3]
            method = method.upper()
            header_lines = [h for h in rest.split(b"\r\n") if h]
            if not self.authorized(header_lines):
                self._refuse("unauthenticated", method, target)
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                             b"Proxy-Authenticate: Basic realm=\"cxprobe\"\r\n"
                             b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if method != "CONNECT" and method not in self.METHODS:
                self._refuse("method", method, target)
                writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n"
                             b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if method == "CONNECT":
                host, _, port_s = target.rpartition(":")
                host, port = host.strip("[]"), int(port_s or 443)
                first = b""
            else:
                parts = urlsplit(target)
                if parts.scheme.lower() != "http":
                    raise ValueError("a forward request must be an absolute http:// URL")
                host, port = parts.hostname or "", parts.port or 80
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                # One request per connection: the browser may send the next one for
                # another host down the same proxy connection. The proxy's own headers
                # (the run's secret among them) stop here.
                headers = [h for h in header_lines if not h.lower().startswith(
                    (b"proxy-connection:", b"connection:", b"keep-alive:", b"proxy-authorization:"))]
                first = b"\r\n".join([f"{method} {path} HTTP/1.1".encode(), *headers, b"Connection: close", b"", b""])
            if host == self.AUTH_HOST:
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if self.block_trackers and _tracker(host):
                self.failures[host] = "blocked (analytics or ads)"
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if (host, port) in self.unreachable:
                # Seen dead earlier in this run: fail at once instead of waiting again on
                # every page (the record is the same; the run is seconds shorter).
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            try:
                up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=self.timeout)
            except TimeoutError:
                self.failures[host] = f"timeout after {self.timeout:g} s"
                self.unreachable.add((host, port))
                writer.write(b"HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            except OSError as exc:
                self.failures[host] = "host not found" if isinstance(exc, socket.gaierror) else (exc.strerror or str(exc))[:80]
                self.unreachable.add((host, port))
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            upstream = up_writer
            if first:
                up_writer.write(first)
            else:
                writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            await self._pipe(host, reader, writer, up_reader, up_writer, waiting=bool(first))
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        except asyncio.CancelledError:
            # Closing the proxy (or an interrupt) cancels open connections. The task is
            # the stream server's own and nothing awaits it; ending it cancelled makes
            # Python 3.11's asyncio print "Exception in callback ... CancelledError"
            # (fixed in 3.12), so it ends normally instead.
            pass
        finally:
            for w in (writer, upstream):
                if w is not None:
                    try:
                        w.close()
                    except Exception:  # noqa: BLE001, S110 - already closed
                        pass
            if task is not None:
                self._tasks.discard(task)

    async def _pipe(self, host: str, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter,
                    u_reader: asyncio.StreamReader, u_writer: asyncio.StreamWriter, waiting: bool) -> None:
        """Copy both ways; give up when the browser has waited ``timeout`` s for a byte."""
        loop = asyncio.get_running_loop()
        state = {"sent": loop.time() if waiting else 0.0, "received": 0.0}

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter, mark: str) -> None:
            while True:
                data = await src.read(65536)
                if not data:
                    break
                state[mark] = loop.time()
                dst.write(data)
                await dst.drain()

        up = asyncio.ensure_future(copy(c_reader, u_writer, "sent"))
        down = asyncio.ensure_future(copy(u_reader, c_writer, "received"))
        try:
            while not down.done():
                await asyncio.wait({down}, timeout=0.25)
                if state["sent"] > state["received"] and loop.time() - state["sent"] > self.timeout:
                    self.failures[host] = f"timeout after {self.timeout:g} s"
                    break
        finally:
            for t in (up, down):
                t.cancel()


class RequestGuard:
    """Every request the browser makes passes here before it leaves: GET and HEAD only,
    credentials to the named origins only, the proxy's secret to the proxy only.

    One CDP session on the browser target with ``Fetch.enable`` for every URL pauses
    every request of every context, page, frame (cross-site ones included), popup and
    worker at the network level, where no page script can reach: a form submission,
    ``fetch``, ``XMLHttpRequest``, ``sendBeacon`` or ``<a ping>`` with any method but GET
    or HEAD is refused (``Aborted``: a refused navigation leaves the page where it was)
    and recorded. Unlike Playwright's ``route`` this keeps the HTTP cache on (routing
    switches it off; see docs/performance.md for what each costs).

    ``--header`` values are added to requests for the named origins only, each request
    and each redirect hop judged on its own URL: a first-party link that redirects to
    another host or port arrives there without them. A Cookie header is merged with the
    site's own cookies on those requests, never put in the cookie jar, which would send
    it to every port of the host (and let page scripts read it).

    The subresource proxy asks for credentials (407); the guard answers only that
    proxy's challenge, with the run's secret. A site's own authentication challenge is
    left to the browser's default (headless: no credentials).
    """

    SAFE_METHODS = frozenset({"GET", "HEAD"})
    #: Request kinds (CDP resource types) that can carry another method: navigations and
    #: form submissions, fetch and XMLHttpRequest (from pages, frames and workers),
    #: beacons and pings, CSP reports, and "Other" (every kind the filter has no name
    #: for). The rest (images, style sheets, scripts, fonts, media) are always GET and
    #: are not paused unless credentials must be added: each pause is a round trip
    #: through the driver into Python, about 2 ms of CPU (docs/performance.md).
    MAY_CHANGE_THINGS = ("Document", "XHR", "Fetch", "EventSource", "Ping", "CSPViolationReport", "Other")

    def __init__(self, named: urls.NamedOrigins, headers: Iterable[tuple[str, str]] = (),
                 proxy: SubresourceProxy | None = None) -> None:
        self.named = named
        headers = tuple(headers)
        #: Lower-cased names -> (name, value) of the extra headers, Cookie apart.
        self._extra = {k.lower(): (k, v) for k, v in headers if k.lower() != "cookie"}
        self._cookie = "; ".join(v.strip().strip(";") for k, v in headers if k.lower() == "cookie" and v.strip())
        self._proxy = proxy
        #: (method, url) of every request refused, in order, for the whole run.
        self.refused: list[tuple[str, str]] = []
        self.paused = 0
        self._session: Any = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._auth_tries: dict[str, int] = {}

    async def start(self, browser: Any) -> RequestGuard:
        self._session = await browser.new_browser_cdp_session()
        self._session.on("Fetch.requestPaused", self._on_paused)
        self._session.on("Fetch.authRequired", self._on_auth)
        every = [{"urlPattern": "*", "requestStage": "Request"}]
        some = [{"urlPattern": "*", "resourceType": t, "requestStage": "Request"} for t in self.MAY_CHANGE_THINGS]
        try:
            await self._session.send("Fetch.enable", {"patterns": every if self._extra or self._cookie else some,
                                                      "handleAuthRequests": True})
        except Exception:
            # A Chromium that does not know one of the kinds: pause everything instead.
            await self._session.send("Fetch.enable", {"patterns": every, "handleAuthRequests": True})
        return self

    def _send(self, method: str, params: dict[str, Any]) -> None:
        # Fire and forget, but keep a reference (a task only weakly held can be
        # collected mid-flight) and swallow errors: a request whose page closed
        # meanwhile cannot be continued, which is no error of the run.
        if self._session is None:
            return
        fut = asyncio.ensure_future(_quiet(self._session.send(method, params)))
        self._tasks.add(fut)
        fut.add_done_callback(self._tasks.discard)

    def _on_paused(self, event: dict[str, Any]) -> None:
        self.paused += 1
        request = event.get("request") or {}
        rid = event.get("requestId")
        method = str(request.get("method", "GET")).upper()
        url = str(request.get("url", ""))
        if method not in self.SAFE_METHODS:
            if len(self.refused) < 10_000:
                self.refused.append((method, url))
            self._send("Fetch.failRequest", {"requestId": rid, "errorReason": "Aborted"})
            return
        headers = self._headers_for(url, request.get("headers") or {})
        if headers is None:
            self._send("Fetch.continueRequest", {"requestId": rid})
        else:
            self._send("Fetch.continueRequest", {"requestId": rid, "headers": headers})

    def _headers_for(self, url: str, sent: dict[str, str]) -> list[dict[str, str]] | None:
        """The header list to send instead of ``sent``, or None to send it unchanged."""
        if not (self._extra or self._cookie):
            return None
        if self.named.allows(url):
            out = {k: v for k, v in sent.items() if k.lower() not in self._extra and k.lower() != "cookie"}
            out.update(dict(self._extra.values()))
            # The site's own cookies (what the jar would send) plus the user's.
            jar = next((v for k, v in sent.items() if k.lower() == "cookie"), "")
            cookie = "; ".join(c for c in (jar, self._cookie) if c)
            if cookie:
                out["Cookie"] = cookie
            return [{"name": k, "value": v} for k, v in out.items()]
        # Not named. The browser does not carry an override over a redirect hop (checked
        # by the tests); should a future one do so, the values come off here.
        ours = {(name.lower(), value) for name, value in self._extra.values()}
        kept = {k: v for k, v in sent.items() if (k.lower(), v) not in ours}
        for k, v in list(kept.items()):
            if k.lower() == "cookie" and self._cookie and self._cookie in v:
                rest = v.replace(self._cookie, "").strip("; ")
                if rest:
                    kept[k] = rest
                else:
                    del kept[k]
        if kept == sent:
            return None
        return [{"name": k, "value": v} for k, v in kept.items()]

    def _on_auth(self, event: dict[str, Any]) -> None:
        rid = str(event.get("requestId"))
        challenge = event.get("authChallenge") or {}
        ours = (self._proxy is not None and challenge.get("source") == "Proxy"
                and str(challenge.get("origin", "")).rstrip("/") == self._proxy.server)
        tries = self._auth_tries.get(rid, 0)
        if ours and tries == 0:
            self._auth_tries[rid] = 1
            assert self._proxy is not None
            answer = {"response": "ProvideCredentials", "username": self._proxy.USER, "password": self._proxy.secret}
        else:
            # A site's own challenge, or ours refused once already: no credentials.
            answer = {"response": "CancelAuth"} if ours else {"response": "Default"}
        self._send("Fetch.continueWithAuth", {"requestId": rid, "authChallengeResponse": answer})

    async def close(self) -> None:
        """Stop answering; pending answers (to a browser that is gone) are cancelled."""
        self._session = None
        pending = [t for t in self._tasks if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1)


# =========================================================================== the renderer


class Renderer:
    """One browser for one run: render jobs concurrently and collect RenderedPages.

    Use as ``async with Renderer(options) as r: pages = await r.render(jobs)``.
    """

    def __init__(self, options: RenderOptions, progress: Callable[[int, int], None] | None = None) -> None:
        if options.headers and not options.named:
            # Headers with nowhere named to go would silently go nowhere.
            raise ValueError("RenderOptions.headers need RenderOptions.named: the origins that may receive them")
        self.opts = options
        self.progress = progress
        self.version = ""
        self._pw: Any = None
        self._browser: Any = None
        self._contexts: dict[str, Any] = {}
        self._records: dict[Any, _PageRecord] = {}
        self._idle: dict[str, list[Any]] = {}
        self._proxy: SubresourceProxy | None = None
        self._guard: RequestGuard | None = None
        self._sem = asyncio.Semaphore(max(1, options.concurrency))
        self.done = 0
        self.total = 0
        #: Rendered HTML of jobs with keep_html: (url, viewport) -> html.
        self.html: dict[tuple[str, str], str] = {}

    async def __aenter__(self) -> Renderer:
        try:
            from playwright.async_api import async_playwright
        except ImportError as exc:
            raise RenderError("the playwright package is not installed (pip install playwright)") from exc
        try:
            self._pw = await async_playwright().start()
            # handle_sigint=False: Ctrl-C reaches the driver too (one process group),
            # and Playwright's own handler would kill the browser and the driver under
            # us. The driver ignores SIGINT itself; cxprobe closes both in order
            # (_stop). SIGTERM and SIGHUP keep Playwright's handlers: when those reach
            # the driver alone, it still takes the browser down with it.
            self._browser = await self._pw.chromium.launch(
                executable_path=self.opts.browser_path, headless=True, handle_sigint=False,
                args=[*LAUNCH_ARGS, *self.opts.extra_args], timeout=30_000)
        except Exception as exc:
            await self._stop()
            raise RenderError(f"could not launch the browser {self.opts.browser_path}: {_first_line(exc)}") from exc
        except BaseException:  # interrupted while launching: leave nothing running
            await self._stop()
            raise
        self.version = self._browser.version
        try:
            self._proxy = await SubresourceProxy(self.opts.subresource_timeout, self.opts.block_trackers).start()
            # Before any context exists: no request may leave unchecked.
            self._guard = await RequestGuard(self.opts.named, self.opts.headers, self._proxy).start(self._browser)
            bypass = ",".join(self.opts.first_party)
            for vp in self.opts.viewports:
                # No proxy credentials here: given to Playwright, they would make it
                # intercept every request itself and switch the cache off. The guard
                # answers the proxy's challenge instead.
                ctx = await self._browser.new_context(
                    viewport={"width": vp.width, "height": vp.height},
                    screen={"width": vp.width, "height": vp.height},
                    device_scale_factor=vp.scale, is_mobile=vp.mobile, has_touch=vp.mobile,
                    user_agent=_user_agent(vp.mobile, self.version), service_workers="block",
                    accept_downloads=False, proxy={"server": self._proxy.server, "bypass": bypass})
                # Form submissions that would send anything but GET never start: a
                # navigation the guard refuses at the network would have stopped the
                # page loading (a half-parsed page, no load event).
                await ctx.add_init_script(NO_SUBMIT_JS)
                self._contexts[vp.name] = ctx
                await self._authenticate(vp.name)
        except BaseException:
            await self._stop()
            raise
        return self

    async def _authenticate(self, viewport: str) -> None:
        """Give this context the proxy's credentials before any page needs them.

        Chromium asks for proxy credentials (Fetch.authRequired, answered by the guard)
        only for a navigation; a subresource would just get the 407. One navigation to
        the proxy's own host per context caches them; from then on every request to the
        proxy carries them. The page goes back to the idle pool.
        """
        page = await self._page(viewport)
        try:
            # The 204 answer ends the navigation as "aborted": that is the success case.
            await page.goto(f"http://{SubresourceProxy.AUTH_HOST}/", timeout=10_000)
        except Exception:  # noqa: BLE001, S110 - see above; a real failure shows as HTTP 407 later
            pass
        self._idle.setdefault(viewport, []).append(page)

    async def __aexit__(self, *exc: object) -> None:
        await self._stop()

    async def _stop(self) -> None:
        """Close the browser, then the driver, then the guard and the proxy.

        Runs on every exit, an interrupt included (then inside the cancelled task), so
        no Chromium or driver process outlives the run. Each step is bounded: a driver
        that no longer answers does not hold the exit up (it exits by itself when its
        pipe closes with this process).
        """
        for closing in (self._browser, self._pw):
            if closing is None:
                continue
            try:
                await asyncio.wait_for(closing.close() if closing is self._browser else closing.stop(), timeout=10)
            except Exception:  # noqa: BLE001, S110 - a browser or driver that already died
                pass
        self._browser = self._pw = None
        if self._guard is not None:
            await self._guard.close()
        if self._proxy is not None:
            await self._proxy.close()
            self._proxy = None

    # ----------------------------------------------------------------- network
    def _request_failed(self, page: Any, request: Any) -> None:
        """Record a failed request on its page, with the proxy's reason when it has one."""
        rec = self._records.get(page)
        if rec is None:
            return
        url = request.url
        if request.method.upper() not in RequestGuard.SAFE_METHODS:
            rec.refused.append((request.method.upper(), url))  # the guard refused it
            try:
                if request.is_navigation_request() and request.frame.parent_frame is None:
                    rec.refused_navigation = True
            except Exception:  # noqa: BLE001, S110 - a worker's request has no frame
                pass
            return
        host = (urlsplit(url).hostname or "").lower()
        failure = (request.failure or "failed").replace("net::", "")
        why = self._proxy.failures.get(host) if self._proxy is not None else None
        if why and why.startswith("blocked"):
            rec.blocked.append(url)
            return
        if failure in ("ERR_ABORTED",) and request.resource_type in ("media", "other"):
            return  # media elements abort their own range requests
        self._fail(rec, url, why or failure)

    def _popup(self, opener: Any, popup: Any) -> None:
        """Close a window the page opened; what it tried counts for the page that opened it."""
        popup.on("requestfailed", lambda r: self._request_failed(opener, r))
        asyncio.ensure_future(_quiet(popup.close()))

    @staticmethod
    def _fail(rec: _PageRecord | None, url: str, reason: str) -> None:
        if rec is not None and url not in rec.failed:
            rec.failed[url] = reason

    # ----------------------------------------------------------------- rendering
    async def render(self, jobs: Iterable[RenderJob]) -> list[RenderedPage]:
        """Render every job (within the concurrency bound) and return them in job order."""
        jobs = list(jobs)
        self.total += len(jobs)
        return await _gather_all(self._bounded(j) for j in jobs)

    async def _bounded(self, job: RenderJob) -> RenderedPage:
        async with self._sem:
            left = self.opts.time_left()
            if left <= 0.5:
                rp = RenderedPage(url=job.url, viewport=job.viewport.name, width=job.viewport.width,
                                  height=job.viewport.height, error="deadline: not rendered before the run's deadline")
            else:
                # Loading has its own timeout; collecting, the screenshot and the menu get 10 s more.
                budget = min(self.opts.page_timeout + 10.0, left)
                rp = await self._render_one(job, budget)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)
        return rp

    async def _page(self, viewport: str) -> Any:
        """An idle page of this viewport's context, or a new one (pages are reused: a new
        page costs a renderer process, a navigation in an old one does not)."""
        idle = self._idle.setdefault(viewport, [])
        if idle:
            return idle.pop()
        page = await self._contexts[viewport].new_page()
        # alert/confirm/prompt are dismissed; "leave this page?" is accepted so the next
        # navigation of this reused page is not held up.
        page.on("dialog", lambda d: asyncio.ensure_future(_quiet(d.accept() if d.type == "beforeunload" else d.dismiss())))
        page.on("popup", lambda p: self._popup(page, p))
        page.on("requestfailed", lambda r: self._request_failed(page, r))
        return page

    async def _render_one(self, job: RenderJob, budget: float) -> RenderedPage:
        vp = job.viewport
        t0 = time.monotonic()
        base: dict[str, Any] = {"url": job.url, "viewport": vp.name, "width": vp.width, "height": vp.height}
        page = None
        healthy = False
        rec = _PageRecord()
        try:
            page = await self._page(vp.name)
            self._records[page] = rec
            rp = await asyncio.wait_for(self._collect(page, job, rec, base, t0), timeout=budget)
            healthy = True
            return rp
        except TimeoutError:
            return RenderedPage(**base, error=f"timeout: not rendered within {budget:.0f} s",
                                **_requests(rec), elapsed=round(time.monotonic() - t0, 3))
        except Exception as exc:  # noqa: BLE001 - one page failing is recorded; the run goes on
            return RenderedPage(**base, error=_first_line(exc), **_requests(rec),
                                elapsed=round(time.monotonic() - t0, 3))
        finally:
            if page is not None:
                self._records.pop(page, None)
                if healthy and not page.is_closed():
                    self._idle.setdefault(vp.name, []).append(page)
                else:
                    await _quiet(page.close())

    async def _collect(self, page: Any, job: RenderJob, rec: _PageRecord, base: dict[str, Any], t0: float) -> RenderedPage:
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        vp = job.viewport
        response = None
        try:
            response = await page.goto(job.url, wait_until="load", timeout=self.opts.page_timeout * 1000)
        except PlaywrightTimeout:
            # A navigation the guard refused (a form submitted around NO_SUBMIT_JS) stops
            # the document loading: it never fires load, but it is there to measure.
            if not (rec.refused_navigation and await _settled(page)):
                return RenderedPage(**base, error=f"timeout: did not load within {self.opts.page_timeout:g} s",
                                    **_requests(rec), elapsed=round(time.monotonic() - t0, 3))
        if response is not None and response.status >= 400:
            return RenderedPage(**base, error=f"HTTP {response.status}", **_requests(rec), elapsed=round(time.monotonic() - t0, 3))
        arg = {"deviceWidth": vp.width, "ctaText": job.cta_text, "smallPx": SMALL_TEXT_PX}
        try:
            facts = await page.evaluate(COLLECT_JS, arg)
        except Exception as exc:
            # A page that sends itself elsewhere on load (a script redirect) destroys the
            # context we were reading: read the page it arrived at, once.
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            await page.wait_for_load_state("load", timeout=self.opts.page_timeout * 1000)
            facts = await page.evaluate(COLLECT_JS, arg)
        for url, status in facts["httpErrors"]:
            self._fail(rec, url, f"HTTP {status}")
        # Submissions NO_SUBMIT_JS stopped before they became requests, in the page and
        # in its frames (at most 20: an ad-heavy page has many, each costs a round trip).
        stopped = list(facts.get("refusedSubmits") or ())
        for frame in page.frames[1:21]:
            try:
                stopped.extend(await frame.evaluate("Array.isArray(window.__cxprobeRefused) ? window.__cxprobeRefused.slice(0, 50) : []"))
            except Exception:  # noqa: BLE001, S110 - a frame gone or navigating meanwhile
                pass
        rec.refused.extend((str(m).upper(), str(u)) for m, u in stopped if isinstance(u, str))
        if job.keep_html:
            self.html[(job.url, vp.name)] = await page.content()
        shot = None
        if self.opts.screenshot_dir is not None:
            path = self.opts.screenshot_dir / f"{_slug(job.url)}-{vp.name}.png"
            # CSS scale: a 375x667 image of the phone screen, a quarter of the pixels of
            # the device-scale one and as telling for a person reading the report.
            await page.screenshot(path=str(path), type="png", scale="css", timeout=10_000)
            shot = str(path)
        menu = await self._menu(page) if job.menu else None
        targets = tuple(TapTarget(selector=t["selector"], text=t["text"],
                                  box=Box(**{k: round(float(v), 1) for k, v in t["box"].items()}),
                                  spaced=bool(t.get("spaced", True)), inline=bool(t["inline"]))
                        for t in facts["targets"])
        return RenderedPage(
            **base, scroll_width=int(facts["scrollWidth"]), client_width=int(facts["clientWidth"]),
            layout_width=int(facts["layoutWidth"]), text_chars=int(facts["textChars"]),
            small_text_chars=int(facts["smallChars"]), tap_targets=targets,
            h1_in_viewport=facts["h1InViewport"], h1_text=facts["h1Text"],
            cta_in_viewport=facts["ctaInViewport"], cta_text=facts["ctaText"],
            overlay_share=round(float(facts["overlayShare"]), 3), overlay_selector=facts["overlaySelector"],
            first_viewport_text=facts["firstViewportText"],
            fcp_ms=None if facts["fcp"] is None else round(float(facts["fcp"]), 1),
            lcp_ms=None if facts["lcp"] is None else round(float(facts["lcp"]), 1),
            screenshot=shot, **_requests(rec), menu=menu,
            links=tuple(sorted(set(facts["links"]))), elapsed=round(time.monotonic() - t0, 3),
            nav_links=tuple((str(t), str(u)) for t, u in facts["navLinks"]),
        )

    async def _menu(self, page: Any) -> MenuCheck:
        """Tap the mobile menu toggle (never a submit, never a link away) and see what opens."""
        found = await page.evaluate(FIND_TOGGLE_JS)
        if not found:
            return MenuCheck(toggle=None, opens=None)
        selector = found["selector"]
        try:
            await page.locator("[data-cxprobe-toggle]").first.tap(timeout=3000)
        except Exception as exc:  # noqa: BLE001 - a toggle that cannot be tapped does not open
            return MenuCheck(toggle=selector, opens=False, error=f"could not tap the toggle: {_first_line(exc)}")
        # Menus react within a frame or two and then animate (Bootstrap's collapse takes
        # 350 ms): poll until what opened is stable; give up sooner when nothing moves.
        after: dict[str, Any] | None = None
        previous = -1
        waited = 0
        while waited < 1500:
            await page.wait_for_timeout(100)
            waited += 100
            after = await page.evaluate(MENU_AFTER_JS)
            if after is None or after["navigated"]:
                break
            n = len(after["links"])
            moved = n or after["expandedAfter"] != after["expandedBefore"] or after["controlledAfter"] != after["controlledBefore"]
            if (n and n == previous) or (not moved and waited >= 600):
                break
            previous = n
        if after is None:
            return MenuCheck(toggle=selector, opens=False, error="the page changed after the tap")
        if after["navigated"]:
            return MenuCheck(toggle=selector, opens=False, error="the toggle navigated to another page")
        signals = []
        if after["links"]:
            signals.append("links")
        if after["expandedBefore"] != after["expandedAfter"] and after["expandedAfter"] == "true":
            signals.append("aria-expanded")
        if after["controlledBefore"] is False and after["controlledAfter"]:
            signals.append("controlled-visible")
        opens = bool(after["links"]) or "controlled-visible" in signals
        links = tuple((str(t), str(u)) for t, u in after["links"])
        return MenuCheck(toggle=selector, opens=opens, links=links, signals=tuple(signals), label=found["label"])


async def _settled(page: Any) -> bool:
    """True when the page's document has been parsed (readyState past "loading")."""
    try:
        return bool(await page.evaluate("document.readyState !== 'loading'"))
    except Exception:  # noqa: BLE001 - a page that cannot answer is not settled
        return False


async def _gather_all(awaitables: Iterable[Any]) -> list[Any]:
    """The results of every awaitable, run concurrently, in order.

    Like ``asyncio.gather``, but on an interrupt (the caller cancelled) every child is
    cancelled and awaited before the cancellation goes on: none keeps running, and
    none is left holding an exception nobody reads (Python 3.11's gather can print
    "_GatheringFuture exception was never retrieved" then). A child that raises
    cancels the others and its exception is raised as is, not wrapped in a group.
    """
    tasks: list[asyncio.Task[Any]] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(a) for a in awaitables]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [t.result() for t in tasks]


async def _quiet(awaitable: Any) -> None:
    """Await a route action; a page closed meanwhile is not an error."""
    try:
        await awaitable
    except Exception:  # noqa: BLE001, S110 - the request or page is gone
        pass


# =========================================================================== the gatherer


def screenshot_dir_for(config: Any, target: Any) -> Path:
    """Where screenshots go: beside the report when --output is given, else a cache folder.

    One format to a file ``r.json`` -> ``r-screenshots/``; several formats to a folder
    -> ``<folder>/screenshots/``; no --output -> ``$XDG_CACHE_HOME/cxprobe/screenshots/<target>/``
    (a temporary folder when the cache is not writable). Screenshots of an earlier run
    in the same folder are replaced.
    """
    if config.output:
        out = Path(config.output)
        formats = list(dict.fromkeys(config.formats or ("terminal",)))
        folder = out / "screenshots" if len(formats) > 1 else out.parent / f"{out.stem}-screenshots"
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")))
        key = re.sub(r"[^A-Za-z0-9]+", "-", str(getattr(target, "raw", "site")))[-40:].strip("-") or "site"
        folder = cache / "cxprobe" / "screenshots" / f"{key}-{hashlib.sha1(str(getattr(target, 'raw', '')).encode()).hexdigest()[:8]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*-mobile.png"):
            old.unlink()
        for old in folder.glob("*-desktop.png"):
            old.unlink()
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="cxprobe-screenshots-"))
    return folder


class RenderGatherer(Gatherer):
    """The ``rendering`` artifact: every judged page in a real browser, mobile and desktop."""

    artifact = "rendering"
    requires = ("site",)

    def applies(self, session: Any) -> bool:
        return session.mode == "browser"

    def gather(self, session: Any) -> Rendering:
        cfg = session.config
        browser = session.browser or {}
        path = browser.get("path")
        source = browser.get("source", "option")
        if not path:
            found = find_browser(cfg.browser_path)
            if found is None:
                raise RenderError(describe_missing_browser(cfg.browser_path))
            path, source = found.path, found.source
        site: Site = session.artifacts["site"]
        started = getattr(session, "started", None)
        deadline_at = (started if started is not None else time.monotonic()) + cfg.deadline
        first_party = tuple(sorted({_netloc(site.origin + "/"), *site.hosts}))
        opts = RenderOptions(
            browser_path=path, concurrency=max(1, min(cfg.concurrency, 4)),
            page_timeout=max(2.0, cfg.timeout), deadline_at=deadline_at,
            screenshot_dir=screenshot_dir_for(cfg, session.target),
            extra_args=tuple(shlex.split(os.environ.get("CXPROBE_BROWSER_ARGS", ""))),
            first_party=first_party, headers=tuple(cfg.headers),
            named=urls.named_origins(session.target.start_url, cfg.allow_hosts))
        progress = session.progress

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress("render", done, total)

        extractors = tuple(session.pm.registry().extractors.values())
        rendering, extended = asyncio.run(render_site(site, opts, _crawl_options(cfg, session.target, extractors),
                                                      on_progress))
        session.artifacts["site"] = extended
        session.browser = {"path": path, "source": source, "version": rendering.version}
        return rendering


def _crawl_options(cfg: Any, target: Any, extractors: tuple[Any, ...] = ()) -> Any:
    from .crawl import CrawlOptions

    return CrawlOptions(
        max_pages=cfg.max_pages, max_depth=cfg.max_depth, concurrency=cfg.concurrency,
        timeout=cfg.timeout, deadline=cfg.deadline, max_bytes=cfg.max_bytes,
        max_redirects=cfg.max_redirects, ignore_robots=cfg.ignore_robots, headers=cfg.headers,
        allow_hosts=cfg.allow_hosts, include=cfg.include, exclude=cfg.exclude,
        sitemap_urls=target.files, use_sitemap=False,
        named_origins=urls.named_origins(target.start_url, cfg.allow_hosts), extract_budget=cfg.extract_budget,
        extractors=tuple(extractors),
    )


def _jobs(pages: Iterable[Page], start_url: str, viewports: tuple[Viewport, ...]) -> list[RenderJob]:
    jobs = []
    # The start page first: its menu check takes longest, and it matters most.
    for p in sorted(pages, key=lambda p: (p.url != start_url, p.url)):
        f = p.facts
        cta = ""
        for vp in viewports:
            jobs.append(RenderJob(url=p.url, viewport=vp, menu=(p.url == start_url and vp.mobile), cta_text=cta,
                                  keep_html=bool(f is not None and f.js_shell) and not vp.mobile))
    return jobs


async def render_site(site: Site, opts: RenderOptions, crawl_opts: Any,
                      progress: Callable[[int, int], None] | None = None) -> tuple[Rendering, Site]:
    """Render the site's judged pages; follow rendered links to pages the crawl missed.

    Returns the rendering and the site extended with those pages (fetched statically,
    like any crawled page, and rendered too). Bounded by max_pages, max_depth and the
    deadline; pages whose HTML is an empty JavaScript shell get their facts from the
    rendered DOM.
    """
    from .crawl import Crawler

    pages = list(site.ok_pages)[: crawl_opts.max_pages]
    rendered: list[RenderedPage] = []
    async with Renderer(opts, progress) as renderer:
        rendered.extend(await renderer.render(_jobs(pages, site.start_url, opts.viewports)))
        crawler = Crawler(site.start_url, crawl_opts)
        if opts.deadline_at is not None:
            crawler.t0 = opts.deadline_at - crawl_opts.deadline
        crawler.scope_hosts = set(site.hosts)
        extension = _Extension(site, crawler)
        batch = rendered
        while True:
            new_pages = await extension.follow(batch)
            if not new_pages:
                break
            batch = await renderer.render(_jobs(new_pages, site.start_url, opts.viewports))
            rendered.extend(batch)
        html = dict(renderer.html)
        version = renderer.version
    extended = extension.site(rendered, html)
    ordered = tuple(sorted(rendered, key=lambda r: (r.url, r.viewport)))
    return Rendering(browser=opts.browser_path, version=version, pages=ordered), extended


class _Extension:
    """Pages reached only through links in the rendered DOM, fetched like crawled pages."""

    def __init__(self, site: Site, crawler: Any) -> None:
        self.base = site
        self.crawler = crawler
        self.pages: dict[str, Page] = {p.url: p for p in site.pages}
        self.depths = dict(site.depths)
        self.new: list[str] = []
        self.unfetched: set[str] = set(site.unfetched)
        self.truncated = site.stats.truncated
        self.fetched = 0
        self.robots_loaded = False

    def kept(self) -> int:
        return sum(1 for p in self.pages.values() if p.ok and p.found_via != "sitemap")

    async def follow(self, batch: list[RenderedPage]) -> list[Page]:
        """Fetch in-scope pages linked from ``batch`` that the site does not hold yet."""
        import httpx

        wanted: dict[str, int] = {}
        for rp in batch:
            parent = self.pages.get(rp.url)
            if rp.error or parent is None:
                continue
            depth = self.depths.get(rp.url, parent.depth)
            for link in rp.links:
                c = _canonical(link)
                if c is None or not self.crawler.in_scope(c) or urls.looks_non_html(c) or urls.looks_destructive(c):
                    continue
                known = self.pages.get(c)
                if known is not None and known.found_via != "sitemap":
                    continue
                wanted[c] = min(wanted.get(c, depth + 1), depth + 1)
        if not wanted:
            return []
        todo: list[str] = []
        for u in sorted(wanted, key=lambda u: (wanted[u], u)):
            if wanted[u] > self.crawler.opts.max_depth:
                self.truncated = self.truncated or "max_depth"
                self.unfetched.add(u)
            elif self.kept() + len(todo) >= self.crawler.opts.max_pages:
                self.truncated = self.truncated or "max_pages"
                self.unfetched.add(u)
            elif self.crawler.time_left() <= 1:
                self.truncated = self.truncated or "deadline"
                self.unfetched.add(u)
            else:
                todo.append(u)
        if not todo:
            return []
        limits = httpx.Limits(max_connections=self.crawler.opts.concurrency)
        async with httpx.AsyncClient(follow_redirects=False, limits=limits) as client:
            if not self.robots_loaded and not self.crawler.opts.ignore_robots:
                self.robots_loaded = True
                await self.crawler._robots(client, self.base.origin)
            sem = asyncio.Semaphore(self.crawler.opts.concurrency)

            async def one(u: str) -> Any:
                async with sem:
                    return await self.crawler.fetch(client, u, wanted[u], "render")

            allowed = [u for u in todo if self.crawler.allowed(u)]
            results = await _gather_all(one(u) for u in allowed)
        self.fetched += self.crawler.fetched
        self.crawler.fetched = 0
        out = []
        for res in results:
            p: Page = res.page
            self.unfetched.discard(p.url)
            final = _canonical(p.final_url) if p.final_url else p.url
            if p.ok and final and final != p.url and final in self.pages:
                continue  # the same page under another spelling
            if p.url in self.pages:  # a sitemap orphan that a rendered link reaches
                p = dataclasses.replace(p, found_via="render")
            self.pages[p.url] = p
            self.depths[p.url] = p.depth
            self.new.append(p.url)
            if p.ok:
                out.append(p)
        return out

    def site(self, rendered: list[RenderedPage], html: dict[tuple[str, str], str]) -> Site:
        """The extended Site: new pages, rendered links in the graph, facts for JS shells."""
        from .document import ExtractionFailure, extract_page

        graph = {u: set(ts) for u, ts in self.base.graph.items()}
        for rp in rendered:
            if rp.error or rp.url not in self.pages:
                continue
            targets = graph.setdefault(rp.url, set())
            for link in rp.links:
                c = _canonical(link)
                if c is not None and self.crawler.in_scope(c):
                    targets.add(c)
        pages = dict(self.pages)
        for (url, _vp), text in sorted(html.items()):
            p = pages.get(url)
            if p is None or p.facts is None:
                continue
            facts = extract_page(p.final_url or url, {"content-type": "text/html; charset=utf-8"}, text.encode("utf-8"),
                                 self.crawler.opts.extractors, budget=self.crawler.opts.extract_budget, time_left=max(0.0, self.crawler.time_left()))
            if isinstance(facts, ExtractionFailure):  # the rendered page cannot be read: recorded on it
                pages[url] = dataclasses.replace(p, facts=None, error=facts.kind, error_detail=facts.detail)
                continue
            # The facts now describe the rendered page; js_shell still says its HTML was empty.
            pages[url] = dataclasses.replace(p, facts=dataclasses.replace(facts, url=p.facts.url, js_shell=True))
        if not self.new and not html:
            return dataclasses.replace(self.base, graph={u: tuple(sorted(t)) for u, t in graph.items()})
        all_pages = tuple(pages.values())
        st = self.base.stats
        stats = dataclasses.replace(
            st, pages=sum(1 for p in all_pages if p.ok and p.found_via != "sitemap"),
            fetched=st.fetched + self.fetched,
            errors=sum(1 for p in all_pages if p.error and p.error != "robots"),
            not_fetched=len(self.unfetched - set(pages)), truncated=self.truncated,
            max_depth_reached=max([st.max_depth_reached, *(self.depths.get(u, 0) for u in self.new)]))
        return dataclasses.replace(
            self.base, pages=all_pages, graph={u: tuple(sorted(t)) for u, t in graph.items()},
            depths={u: d for u, d in self.depths.items() if u in pages}, stats=stats,
            unfetched=tuple(sorted(self.unfetched - set(pages))))


def _canonical(url: str) -> str | None:
    try:
        return urls.canonical(url)
    except ValueError:
        return None


# =========================================================================== in-page scripts
#
# Arrow functions for ``page.evaluate(script, arg)``; each returns plain JSON. Collecting
# is read-only: nothing here clicks, submits or navigates. The one mark left in the page
# is a ``data-cxprobe-toggle`` attribute on the toggle FIND_TOGGLE_JS picks, so that the
# Python side taps exactly that element.

#: Runs in every frame before the page's own scripts (an init script of each context).
#: A form submission with any method but GET (form.submit(), requestSubmit(), a click on
#: a submit button, in any frame) does not start: a navigation the network guard refused
#: would stop the page loading mid-parse. Getters are taken from the prototypes at start,
#: so a form cannot hide its method behind an input named "method". This is for a
#: faithful measurement only; the promise itself is kept by RequestGuard at the network,
#: which page scripts cannot reach. Stopped submissions are listed for COLLECT_JS.
NO_SUBMIT_JS = r"""(() => {
  const get = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const formMethod = get(HTMLFormElement.prototype, 'method');
  const formAction = get(HTMLFormElement.prototype, 'action');
  const submitters = [HTMLButtonElement.prototype, HTMLInputElement.prototype];
  const hasAttribute = Element.prototype.hasAttribute;
  const refused = [];
  Object.defineProperty(window, '__cxprobeRefused', {value: refused, enumerable: false});
  const verdict = (form, submitter) => {
    let method = formMethod.call(form), action = formAction.call(form);
    for (const proto of submitters) {
      if (submitter instanceof proto.constructor) {
        if (hasAttribute.call(submitter, 'formmethod')) method = get(proto, 'formMethod').call(submitter);
        if (hasAttribute.call(submitter, 'formaction')) action = get(proto, 'formAction').call(submitter);
      }
    }
    method = String(method).toLowerCase();
    if (method === 'get' || method === 'dialog') return true;
    if (refused.length < 200) refused.push([method, String(action)]);
    return false;
  };
  const submit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    if (verdict(this, null)) return submit.call(this);
  };
  // requestSubmit() and submit buttons fire "submit" first; this listener is the first
  // one at the window, so it decides before the page's own handlers run.
  window.addEventListener('submit', (event) => {
    if (!verdict(event.target, event.submitter)) event.preventDefault();
  }, true);
})();"""

#: Shared helpers, prepended to each script.
_HELPERS = r"""
const CX = {};
CX.visible = (el) => {
  if (!el || !el.isConnected) return false;
  if (el.checkVisibility && !el.checkVisibility({opacityProperty: true, visibilityProperty: true,
                                                  checkOpacity: true, checkVisibilityCSS: true})) return false;
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
};
CX.norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
CX.label = (el) => CX.norm(el.innerText || el.textContent || '') || CX.norm(el.getAttribute('aria-label'))
  || CX.norm(el.getAttribute('title')) || CX.norm(el.value || '')
  || CX.norm((el.querySelector && el.querySelector('img[alt]') || {}).alt || '');
CX.selector = (el) => {
  const parts = [];
  let cur = el;
  for (let i = 0; cur && cur.nodeType === 1 && i < 4; i++) {
    let part = cur.tagName.toLowerCase();
    if (cur.id && /^[A-Za-z][\w-]*$/.test(cur.id)) { parts.unshift(part + '#' + cur.id); break; }
    const cls = [...cur.classList].filter(c => /^[A-Za-z_][\w-]*$/.test(c)).slice(0, 2);
    if (cls.length) part += '.' + cls.join('.');
    const parent = cur.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.tagName === cur.tagName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(cur) + 1) + ')';
    }
    parts.unshift(part);
    if (cur.tagName === 'BODY') break;
    cur = parent;
  }
  return parts.join(' > ');
};
CX.docBox = (r) => ({x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height});
"""

#: Collects every fact of one page in one viewport. Argument: {deviceWidth, ctaText, smallPx}.
COLLECT_JS = "async (opts) => {" + _HELPERS + r"""
  // Two animation frames so the first paint (and its LCP entry) has happened.
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const de = document.documentElement;
  const body = document.body || de;
  const scroller = document.scrollingElement || de;
  const layoutWidth = de.clientWidth || window.innerWidth;
  const vv = window.visualViewport;
  // The first screen in layout px: a page laid out 980 px wide and shrunk shows more of it.
  const vw = vv ? vv.width : window.innerWidth;
  const vh = vv ? vv.height : window.innerHeight;
  const seen = opts.deviceWidth / (layoutWidth || opts.deviceWidth);
  const inFirst = (r) => r.bottom + window.scrollY > 0 && r.top + window.scrollY < vh && r.right > 0 && r.left < vw;

  // ---- text: visible characters and those below 12 px as seen
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'TEXTAREA', 'TITLE']);
  const info = new Map();
  let textChars = 0, smallChars = 0;
  const firstText = [];
  let firstLen = 0;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue;
    if (!t || !/\S/.test(t)) continue;
    const el = n.parentElement;
    if (!el || SKIP.has(el.tagName) || el.closest('svg')) continue;
    let i = info.get(el);
    if (!i) {
      i = {vis: CX.visible(el), px: parseFloat(getComputedStyle(el).fontSize) || 0};
      info.set(el, i);
    }
    if (!i.vis) continue;
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    const chars = t.replace(/\s+/g, '').length;
    textChars += chars;
    if (i.px * seen < opts.smallPx) smallChars += chars;
    // Copy to read, not labels to glance at: menu entries, links and buttons are not
    // part of the reading time of the first screen.
    if (firstLen < 4000 && inFirst(r) && !el.closest('nav, [role=navigation], a, button, label, select, [role=button]')) {
      const s = CX.norm(t);
      firstText.push(s);
      firstLen += s.length + 1;
    }
  }

  // ---- tap targets
  const TARGETS = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [onclick]';
  const targets = [];
  for (const el of document.querySelectorAll(TARGETS)) {
    if (targets.length >= 1500) break;
    if (el.parentElement && el.parentElement.closest(TARGETS)) continue;  // nested: the outer one is tapped
    if (!CX.visible(el)) continue;
    const r = el.getBoundingClientRect();
    // Off-canvas (an inactive slide parked at left: -1600px) is not something to tap.
    if (r.right + window.scrollX <= 0 || r.left + window.scrollX >= scroller.scrollWidth) continue;
    let inline = false;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline' && /\S/.test(el.textContent)) {
      // A link inside running text: its block holds words that are not links.
      let block = el.parentElement;
      while (block && block !== body && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (block) {
        const all = CX.norm(block.textContent).length;
        let linked = 0;
        for (const a of block.querySelectorAll(TARGETS)) linked += CX.norm(a.textContent).length;
        inline = all - linked >= 10;
      }
    }
    targets.push({selector: CX.selector(el), text: CX.label(el).slice(0, 80), box: CX.docBox(r), inline});
  }
  // WCAG 2.5.8 spacing: a 24 px circle centred on each undersized target must not
  // intersect another target, nor the circle of another undersized target.
  const R = 12;
  const small = (b) => b.width < 24 || b.height < 24;
  for (const t of targets) {
    const b = t.box;
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    let ok = true;
    for (const o of targets) {
      if (o === t) continue;
      const q = o.box;
      const nx = Math.max(q.x, Math.min(cx, q.x + q.width)), ny = Math.max(q.y, Math.min(cy, q.y + q.height));
      if ((nx - cx) ** 2 + (ny - cy) ** 2 < R * R) { ok = false; break; }
      if (small(q) && small(b)) {
        const ox = q.x + q.width / 2, oy = q.y + q.height / 2;
        if ((ox - cx) ** 2 + (oy - cy) ** 2 < (2 * R) ** 2) { ok = false; break; }
      }
    }
    t.spaced = ok;
  }

  // ---- first viewport: h1, call to action, overlays
  const h1 = [...document.querySelectorAll('h1')].find(CX.visible);
  const isToggle = (el) => el.matches('[aria-expanded], [aria-controls], .navbar-toggler, .navbar-toggle');
  let cta = null, ctaIn = null;
  if (opts.ctaText) {
    const want = CX.norm(opts.ctaText).toLowerCase();
    const all = [...document.querySelectorAll('a, button, [role=button], input[type=submit], input[type=button]')]
      .filter(el => CX.label(el).toLowerCase() === want);
    const vis = all.filter(CX.visible);
    if (vis.length) { cta = vis[0]; ctaIn = inFirst(cta.getBoundingClientRect()); }
    else if (all.length) { cta = all[0]; ctaIn = false; }
  }
  if (!cta) {
    const buttonLike = (el) => {
      if (el.closest('nav') || isToggle(el) || !CX.label(el)) return false;
      if (el.tagName !== 'A') return true;
      if (/\b(btn|button|cta)\b/i.test(el.className || '')) return true;
      const cs = getComputedStyle(el);
      const bg = cs.backgroundColor;
      return bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg) && parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) >= 8;
    };
    for (const el of document.querySelectorAll('a[href], button, [role=button], input[type=submit], input[type=button]')) {
      if (!CX.visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (!inFirst(r)) continue;
      if (buttonLike(el)) { cta = el; ctaIn = true; break; }
    }
  }
  // Overlays: sample the first screen on a grid; what lies on top at each point, if it
  // is (inside) a fixed or sticky layer, covers that point.
  const cover = new Map();
  const COLS = 8, ROWS = 10;
  for (let i = 0; i < COLS; i++) {
    for (let j = 0; j < ROWS; j++) {
      let el = document.elementFromPoint((i + 0.5) * vw / COLS, (j + 0.5) * vh / ROWS);
      let layer = null;
      for (; el && el !== body && el !== de; el = el.parentElement) {
        const cs = getComputedStyle(el);
        if (cs.position === 'fixed' || cs.position === 'sticky') {
          const z = parseInt(cs.zIndex, 10);
          if ((z >= 10 || el.matches('dialog, [role=dialog], [aria-modal=true]')) && parseFloat(cs.opacity) > 0.05) layer = el;
        }
      }
      if (layer) cover.set(layer, (cover.get(layer) || 0) + 1);
    }
  }
  let overlay = null, overlayCount = 0;
  for (const [el, c] of cover) if (c > overlayCount) { overlay = el; overlayCount = c; }

  // ---- paint timings: buffered observers (getEntriesByType can lag behind on desktop)
  const paint = await new Promise((resolve) => {
    const got = {fcp: null, lcp: null};
    let timer = null;
    try {
      const po = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.entryType === 'paint' && e.name === 'first-contentful-paint') got.fcp = e.startTime;
          if (e.entryType === 'largest-contentful-paint') got.lcp = e.startTime;
        }
        if (got.fcp !== null && got.lcp !== null) { clearTimeout(timer); po.disconnect(); resolve(got); }
      });
      po.observe({type: 'paint', buffered: true});
      po.observe({type: 'largest-contentful-paint', buffered: true});
      timer = setTimeout(() => { po.disconnect(); resolve(got); }, 100);
    } catch (e) { resolve(got); }
  });

  // Navigation a phone user sees without tapping anything: visible links in header/nav.
  const navLinks = [];
  for (const a of document.querySelectorAll('header a[href], nav a[href], [role=navigation] a[href]')) {
    if (!/^https?:/i.test(a.href) || !CX.visible(a)) continue;
    navLinks.push([CX.label(a).slice(0, 80), a.href]);
    if (navLinks.length >= 100) break;
  }

  const links = [];
  const seenLinks = new Set();
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const u = a.href;
    if (!/^https?:/i.test(u) || seenLinks.has(u)) continue;
    seenLinks.add(u);
    links.push(u);
    if (links.length >= 2000) break;
  }

  // Subresources that answered with an HTTP error (resource timing, Chromium 109+).
  const httpErrors = performance.getEntriesByType('resource')
    .filter(e => e.responseStatus >= 400).map(e => [e.name, e.responseStatus]).slice(0, 200);

  return {
    httpErrors,
    scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth, layoutWidth,
    textChars, smallChars, targets,
    h1InViewport: h1 ? inFirst(h1.getBoundingClientRect()) : null, h1Text: h1 ? CX.norm(h1.innerText).slice(0, 200) : '',
    ctaInViewport: ctaIn, ctaText: cta ? CX.label(cta).slice(0, 120) : '',
    overlayShare: overlayCount / (COLS * ROWS), overlaySelector: overlay ? CX.selector(overlay) : '',
    firstViewportText: firstText.join(' ').slice(0, 4000),
    fcp: paint.fcp, lcp: paint.lcp, links, navLinks,
    refusedSubmits: Array.isArray(window.__cxprobeRefused) ? window.__cxprobeRefused.slice(0, 200) : [],
  };
}"""

#: Finds the mobile menu toggle, marks it, and snapshots what is visible before the tap.
#: Returns null without a visible toggle.
FIND_TOGGLE_JS = "() => {" + _HELPERS + r"""
  const STRONG = /(navbar-toggler|navbar-toggle|menu-toggle|nav-toggle|toggle-menu|toggle-nav|hamburger|burger|menu-btn|menu-button|menu-icon|menu-trigger|mobile-menu-(?:button|toggle|btn|open)|offcanvas-toggle|sidebar-toggle)/i;
  const WORDS = /(\bmenu\b|\bnavigation\b|\bnav\b|\btoggle\b|\bmen[uü]\b|☰|≡|\bbars\b)/i;
  const CLICKABLE = 'button, [role=button], a, label[for], [onclick], [aria-controls], [aria-expanded], [data-toggle], [data-bs-toggle]';
  const wanted = new Set(document.querySelectorAll(CLICKABLE));
  for (const el of document.querySelectorAll('[class], [id]')) {
    if (STRONG.test((typeof el.className === 'string' ? el.className : '') + ' ' + el.id)) wanted.add(el);
  }
  const candidates = [];
  for (const el of wanted) {
    if (!CX.visible(el)) continue;
    // Never a form submit, never a link that goes to another page.
    if (el.closest('form') && (el.matches('input[type=submit], input[type=image]') ||
        (el.tagName === 'BUTTON' && (el.getAttribute('type') || 'submit').toLowerCase() === 'submit'))) continue;
    if (el.tagName === 'A') {
      const href = (el.getAttribute('href') || '').trim();
      if (href && !href.startsWith('#') && !/^javascript:/i.test(href)) continue;
    }
    const cls = (typeof el.className === 'string' ? el.className : '') + ' ' + el.id;
    const words = [el.getAttribute('aria-label'), el.getAttribute('title'), el.innerText, cls].join(' ');
    const strong = STRONG.test(cls);
    const aria = el.hasAttribute('aria-controls') || el.hasAttribute('aria-expanded');
    const word = WORDS.test(words);
    if (!strong && !(aria && word) && !(word && el.matches('button, [role=button], label[for], a'))) continue;
    if (aria && !word && !strong) continue;
    const r = el.getBoundingClientRect();
    let score = (strong ? 3 : 0) + (aria ? 2 : 0) + (word ? 2 : 0) + (el.closest('header, nav, [role=navigation]') ? 1 : 0)
      + (r.top + window.scrollY < 200 ? 1 : 0) + (el.matches('button, [role=button]') ? 1 : 0);
    candidates.push({el, score});
  }
  // Nested matches (a span.navbar-toggler-icon inside the button): keep the outer one.
  const top = candidates.filter(c => !candidates.some(o => o !== c && o.el.contains(c.el)));
  if (!top.length) return null;
  top.sort((a, b) => b.score - a.score);
  const toggle = top[0].el;
  document.querySelectorAll('[data-cxprobe-toggle]').forEach(e => e.removeAttribute('data-cxprobe-toggle'));
  toggle.setAttribute('data-cxprobe-toggle', '1');
  let controlled = null;
  const ids = (toggle.getAttribute('aria-controls') || '').split(/\s+/).filter(Boolean);
  for (const id of ids) { controlled = document.getElementById(id); if (controlled) break; }
  if (!controlled) {
    const target = toggle.getAttribute('data-bs-target') || toggle.getAttribute('data-target')
      || (toggle.tagName === 'A' && (toggle.getAttribute('href') || '').length > 1 ? toggle.getAttribute('href') : null);
    if (target) { try { controlled = document.querySelector(target); } catch (e) { controlled = null; } }
  }
  if (!controlled && toggle.tagName === 'LABEL') controlled = document.getElementById(toggle.htmlFor);
  window.__cxprobeMenu = {
    before: new Set([...document.querySelectorAll('a[href]')].filter(CX.visible)),
    controlled, controlledVisible: controlled ? CX.visible(controlled) : null,
    expanded: toggle.getAttribute('aria-expanded'), url: location.href.split('#')[0],
  };
  return {selector: CX.selector(toggle), label: CX.label(toggle).slice(0, 80)};
}"""

#: After the tap: which links became visible, did aria-expanded flip, is the controlled
#: element visible now.
MENU_AFTER_JS = "() => {" + _HELPERS + r"""
  const m = window.__cxprobeMenu;
  if (!m) return null;
  const toggle = document.querySelector('[data-cxprobe-toggle]');
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (m.before.has(a) || !CX.visible(a)) continue;
    links.push([CX.label(a).slice(0, 80), a.href]);
    if (links.length >= 100) break;
  }
  return {
    links,
    expandedAfter: toggle ? toggle.getAttribute('aria-expanded') : null,
    expandedBefore: m.expanded,
    controlledBefore: m.controlledVisible,
    controlledAfter: m.controlled ? CX.visible(m.controlled) : null,
    navigated: location.href.split('#')[0] !== m.url,
  };
}"""
