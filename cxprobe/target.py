"""Audit targets: a live URL, a folder of built HTML, or one HTML file.

A folder (or a file's folder) is served on an ephemeral 127.0.0.1 port for the run, so
static and browser modes see the same URLs. Reports of local targets use site-relative
paths: the port never appears in a report.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from . import urls
from .errors import TargetError


@dataclass(frozen=True)
class Target:
    """A resolved target."""

    #: The argument as typed.
    raw: str
    #: "url", "folder" or "file"
    kind: str
    start_url: str
    #: For local targets: the served origin (http://127.0.0.1:PORT), else "".
    local_origin: str = ""
    root: Path | None = None
    #: Local targets: every HTML file as a URL (the folder is its own sitemap).
    files: tuple[str, ...] = ()

    def display(self, url: str) -> str:
        """How a URL appears in reports: site-relative for local targets."""
        if self.local_origin and url.startswith(self.local_origin):
            rest = url[len(self.local_origin):]
            return rest or "/"
        return url


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files only: no directory listings, no logging, correct HTML type."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".svg": "image/svg+xml",
                      ".css": "text/css", ".json": "application/json", ".xml": "application/xml",
                      ".webp": "image/webp", ".woff2": "font/woff2"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(404, "Not Found")
        return None

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        self.send_error(405, "Method Not Allowed")


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser drops connections it no longer needs (a page closed while an image
        # was still downloading): not an error of the run, never a traceback on stderr.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class LocalServer:
    """A threaded static server on 127.0.0.1 with an ephemeral port."""

    def __init__(self, root: Path) -> None:
        handler = partial(_QuietHandler, directory=str(root))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="cxprobe-static", daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _html_files(root: Path, limit: int = 2000) -> list[str]:
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "node_modules")
        for f in sorted(filenames):
            if f.lower().endswith((".html", ".htm")):
                rel = Path(dirpath, f).relative_to(root).as_posix()
                out.append("/" + rel)
                if len(out) >= limit:
                    return out
    return out


def _start_path(start: str | None, default: str) -> str:
    path = start or default
    if re.match(r"^https?://", path):
        path = urlsplit(path).path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path


@contextlib.contextmanager
def open_target(raw: str, start: str | None = None) -> Iterator[Target]:
    """Resolve a target and, for local ones, serve it for the duration of the block."""
    if re.match(r"^https?://", raw, re.I):
        try:
            parts = urlsplit(raw)
            valid = bool(parts.hostname) and urls.is_valid(raw)
        except ValueError:
            valid = False
        if not valid:
            raise TargetError(f"not a valid URL: {raw}")
        url = raw
        if start:
            url = f"{parts.scheme}://{parts.netloc}{_start_path(start, '/')}"
        yield Target(raw=raw, kind="url", start_url=url)
        return
    if re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.I):
        raise TargetError(f"unsupported URL scheme in {raw!r}: use http:// or https://, a folder or an HTML file")
    path = Path(raw).expanduser()
    if not path.exists():
        raise TargetError(f"target not found: {raw} is not a URL, a folder or a file")
    if path.is_dir():
        root = path.resolve()
        files = _html_files(root)
        if not files:
            raise TargetError(f"no HTML files in folder {raw}")
        default = "/index.html" if (root / "index.html").is_file() else files[0]
        start_path = _start_path(start, default)
        kind = "folder"
    else:
        if path.suffix.lower() not in (".html", ".htm", ".xhtml"):
            raise TargetError(f"not an HTML file: {raw} (give a .html file, a folder or a URL)")
        root = path.resolve().parent
        files = _html_files(root)
        start_path = _start_path(start, "/" + path.name)
        kind = "file"
    local = start_path.split("?", 1)[0].split("#", 1)[0]
    candidate = root / local.lstrip("/")
    if not (candidate.is_file() or (candidate.is_dir() and (candidate / "index.html").is_file())):
        raise TargetError(f"start page {start_path} does not exist in {raw}")
    with LocalServer(root) as server:
        yield Target(raw=raw, kind=kind, start_url=server.origin + quote(start_path, safe="/?=&%#"),
                     local_origin=server.origin, root=root,
                     files=tuple(server.origin + quote(f) for f in files) if kind == "folder" else ())
