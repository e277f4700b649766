"""The subresource proxy: every request to another origin goes through it, under a short timeout.

Why a proxy, and what it forwards, is told in :class:`SubresourceProxy`.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import re
import secrets
import socket
from typing import Any
from urllib.parse import urlsplit

from .options import SUBRESOURCE_TIMEOUT

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


def _tracker(host: str) -> bool:
    return bool(TRACKERS.search(host.lower().rstrip(".")))


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
