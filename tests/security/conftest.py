"""Hostile servers for the security suite: loopback HTTP servers on 127.0.0.1 and
127.0.0.2 (the second loopback address needs no setup on Linux) that log every request
they receive, whatever its method, so a test can assert what cxprobe sent where.

A route is either a fixed answer ``(status, headers, body)`` or a callable that gets the
request handler and writes the answer itself (to drip bytes, stall, or redirect
elsewhere). Every handler is bounded: a callable must finish on its own, and the server
threads are daemons.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ..conftest import stop_quickly

Answer = tuple[int, dict[str, str], bytes]
Route = Answer | Callable[["_HostileHandler"], None]


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    #: Header names lower-cased.
    headers: dict[str, str]
    body: bytes = b""


class _HostileHandler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    log: list[Request] = []
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)) if length else b""
        self.log.append(Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        route = self.routes.get(self.path) or self.routes.get(self.path.split("?", 1)[0])
        try:
            if callable(route):
                route(self)
                return
            status, headers, payload = route or (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: that is the point
            pass

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _handle

    def log_message(self, *args: object) -> None:
        return


@dataclass
class HostileServer:
    """A logging HTTP server bound to one loopback address."""

    host: str
    httpd: Any = None
    handler: Any = None
    log: list[Request] = field(default_factory=list)

    def start(self) -> HostileServer:
        self.handler = type("Handler", (_HostileHandler,), {"routes": {}, "log": self.log})
        self.httpd = http.server.ThreadingHTTPServer((self.host, 0), self.handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def page(self, path: str, html: str | bytes, status: int = 200,
             content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
        body = html.encode() if isinstance(html, str) else html
        self.handler.routes[path] = (status, {"Content-Type": content_type, **(headers or {})}, body)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.handler.routes[path] = (status, {"Location": to, "Content-Length": "0"}, b"")

    def route(self, path: str, fn: Callable[[_HostileHandler], None]) -> None:
        self.handler.routes[path] = fn

    def requests(self, method: str | None = None) -> list[Request]:
        return [r for r in self.log if method is None or r.method == method]

    def paths(self) -> list[str]:
        return [r.path for r in self.log]


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    """The audited site: a logging server on 127.0.0.1."""
    s = HostileServer("127.0.0.1").start()
    yield s
    stop_quickly(s)  # type: ignore[arg-type]


@pytest.fixture
def elsewhere() -> Iterator[HostileServer]:
    """Another host that must never receive credentials or non-GET requests: 127.0.0.2."""
    s = HostileServer("127.0.0.2").start()
    yield s
    stop_quickly(s)  # type: ignore[arg-type]


@pytest.fixture
def elsewhere_port() -> Iterator[HostileServer]:
    """The same host as the audited site on another port: another origin."""
    s = HostileServer("127.0.0.1").start()
    yield s
    stop_quickly(s)  # type: ignore[arg-type]
