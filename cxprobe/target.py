"""Audit targets: a live URL, a folder of built HTML, or one HTML file.

A folder (or a file's folder) is served on an ephemeral 127.0.0.1 port for the run, so
static and browser modes see the same URLs. Reports of local targets use site-relative
paths: the port never appears in a report.

The server serves files inside the folder and nothing else: every path is resolved
(symbolic links included) and one whose real location is outside the folder is a 404,
like a missing file, so a link to it is a broken link of the report. Only GET and HEAD
are answered; every other method gets 405.

Links are resolved the way static hosts (GitHub Pages, Netlify, Apache MultiViews) resolve
them, so a site built for one is audited as its customers see it: ``/about`` and
``/about/`` redirect to ``/about.html`` when that file exists, ``/dir`` to ``/dir/`` when
the folder has an index (and to ``/dir.html`` when it has none and that file exists).
"""

from __future__ import annotations

import contextlib
import http.server
import os
import posixpath
import re
import stat
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

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

    @property
    def local_folder(self) -> tuple[str, str] | None:
        """(served origin, folder) of a local target, None for a URL: what the static
        crawl answers in-process (:attr:`cxprobe.crawl.CrawlOptions.local_folder`)."""
        return (self.local_origin, str(self.root)) if self.local_origin and self.root else None

    def display(self, url: str) -> str:
        """How a URL appears in reports: site-relative for local targets."""
        if self.local_origin and url.startswith(self.local_origin):
            rest = url[len(self.local_origin):]
            return rest or "/"
        return url


def _inside(path: str, root: str) -> bool:
    """True when ``path`` (already resolved) is ``root`` or lies under it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _real(path: str | os.PathLike[str]) -> str | None:
    """The real path (symbolic links resolved), or None for a path the OS cannot read."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):  # a NUL byte, an unencodable name
        return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files inside the folder only: no directory listings, no logging, correct HTML type."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".svg": "image/svg+xml",
                      ".css": "text/css", ".json": "application/json", ".xml": "application/xml",
                      ".webp": "image/webp", ".woff2": "font/woff2"}

    #: Keep-alive: the crawl's client reuses its connections (HTTP/1.0 closed each one
    #: after a response, so every page cost a new connection and a new thread).
    protocol_version = "HTTP/1.1"
    #: Seconds an idle kept-alive connection holds its thread.
    timeout = 15

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(404, "Not Found")
        return None

    def translate_path(self, path: str) -> str:
        """The real path of a request, or a path that cannot exist when it leads outside.

        The stdlib already drops ``..`` segments (plain or percent-encoded); resolving
        symbolic links is what keeps a link to /etc/passwd inside the folder unserved.
        """
        # Asked twice a request (by send_head, then by the stdlib's): resolved once. The
        # answer is forgotten when the next request starts (send_head), so a kept-alive
        # connection never serves a path resolved for an earlier request.
        known = self.__dict__.get("_translated")
        if known is not None and known[0] == path:
            return str(known[1])
        answer = self._translate(path)
        self._translated: tuple[str, str] | None = (path, answer)
        return answer

    def _translate(self, path: str) -> str:
        local = super().translate_path(path)
        real = _real(local)
        if real is None or not _inside(real, self.directory):
            # A trailing "/" on a file name is a 404 in send_head, before any open().
            return os.path.join(self.directory, ".cxprobe-outside-the-folder") + "/"
        return real + "/" if local.endswith("/") and not real.endswith("/") else real

    def _static_host_path(self, url_path: str) -> str | None:
        """Where a static host would find a path that names no file: ``/about`` and
        ``/about/`` are ``/about.html`` (GitHub Pages, Netlify, Apache MultiViews), a
        folder without an index next to ``dir.html`` is ``/dir.html``. None when nothing
        inside the folder answers for it. The candidate is checked like any request: a
        file whose real location is outside the folder is not offered."""
        name = url_path.rstrip("/")
        if not name or name.lower().endswith((".html", ".htm")):
            return None
        for ext in (".html", ".htm"):
            candidate = self.translate_path(name + ext)
            if os.path.isfile(candidate):
                return name + ext
        return None

    def _redirect(self, location: str) -> None:
        query = urlsplit(self.path).query
        self.send_response(301, "Moved Permanently")
        self.send_header("Location", location + ("?" + query if query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_head(self) -> Any:
        self._translated = None
        path = self.translate_path(self.path)
        url_path = urlsplit(self.path).path
        try:
            mode: int | None = os.stat(path).st_mode
        except (OSError, ValueError):
            mode = None
        if mode is not None and not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            # A named pipe, a socket or a device: opening one could wait for ever.
            self.send_error(404, "File not found")
            return None
        # os.path.isdir and isfile, from the one stat above.
        is_dir = mode is not None and stat.S_ISDIR(mode)
        is_file = mode is not None and stat.S_ISREG(mode)
        has_index = is_dir and any(os.path.isfile(os.path.join(path, i)) for i in ("index.html", "index.htm"))
        if not is_file and not has_index:
            # Extensionless links as static hosts serve them: /about -> about.html. A
            # redirect, not the file itself, so that each file stays one page of the audit.
            found = self._static_host_path(url_path)
            if found is not None:
                self._redirect(found)
                return None
        if is_dir and url_path.endswith("/"):
            # The stdlib serves the folder's index.html without resolving it again.
            for index in ("index.html", "index.htm"):
                candidate = os.path.join(path, index)
                if os.path.isfile(candidate):
                    real = _real(candidate)
                    if real is None or not _inside(real, self.directory):
                        self.send_error(404, "File not found")
                        return None
                    break
        return super().send_head()

    def _not_allowed(self) -> None:
        self.close_connection = True  # a request body, if any, is never read
        self.send_response(405, "Method Not Allowed")
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def __getattr__(self, name: str) -> Any:
        # Every method but GET and HEAD (POST, PUT, DELETE, OPTIONS, any made-up verb):
        # BaseHTTPRequestHandler looks up do_<METHOD> and would answer 501 otherwise.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)


def site_file(root: Path, url: str) -> tuple[str, str | None] | None:
    """The file of the folder that the folder server answers a site path with.

    The server's own rules, for reading a page's source after the run: query and fragment
    dropped, percent-decoded, ``..`` and odd segments ignored (as the stdlib server does),
    a folder's ``index.html`` (or ``index.htm``), and the static host's ``/about`` ->
    ``about.html``. Returns ``(name, real)``: ``name`` the POSIX path relative to ``root``
    that a report shows (the real file's when it lies inside the folder), ``real`` the
    real path to read, or None when no file inside the folder answers (missing, or a
    symbolic link whose real location is outside: such a file is never read). None for a
    URL that is no site path (it does not start with "/") or names a folder without an
    index. tests/test_locate.py checks it against the real server, path by path.
    """
    if not url.startswith("/"):
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    trailing_slash = path.rstrip().endswith("/")
    try:
        path = unquote(path, errors="surrogatepass")
    except UnicodeDecodeError:
        path = unquote(path)
    words = [w for w in posixpath.normpath(path).split("/")
             if w and not os.path.dirname(w) and w not in (os.curdir, os.pardir)]
    top = str(root)
    local = os.path.join(top, *words) + ("/" if trailing_slash else "")
    has_index = os.path.isdir(local) and any(os.path.isfile(os.path.join(local, i)) for i in ("index.html", "index.htm"))
    if not os.path.isfile(local) and not has_index and words and not words[-1].lower().endswith((".html", ".htm")):
        # The static host's rule: /about and /about/ are about.html.
        stem = os.path.join(top, *words)
        local = next((stem + ext for ext in (".html", ".htm") if os.path.isfile(stem + ext)), local)
    if has_index:
        local = next(os.path.join(local, i) for i in ("index.html", "index.htm") if os.path.isfile(os.path.join(local, i)))
    if os.path.isdir(local) or local.rstrip(os.sep) == top.rstrip(os.sep):
        return None
    real = _real(local)
    inside = real is not None and _inside(real, top) and os.path.isfile(real)
    shown = os.path.relpath(real if inside and real else local, top).replace(os.sep, "/")
    # A report is UTF-8 JSON: a name the file system could not decode is shown, not lost.
    shown = shown.encode("utf-8", "replace").decode("utf-8")
    return shown, real if inside else None


def served_type(path: str) -> str:
    """The Content-Type the folder server sends for a file (the crawl decoded the page with it)."""
    return _QuietHandler.extensions_map.get(os.path.splitext(path)[1].lower(), "")


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
        # A short poll: shutdown() waits for the loop to look (0.5 s by default, at the end of every run).
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       name="cxprobe-static", daemon=True)

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
    """Site paths of the HTML files in the folder: its sitemap.

    A file whose real location is outside the folder (a symbolic link to elsewhere) is
    not listed: the server would not serve it. os.walk does not enter linked folders.
    """
    out: list[str] = []
    top = str(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "node_modules")
        for f in sorted(filenames):
            if f.lower().endswith((".html", ".htm")):
                real = _real(os.path.join(dirpath, f))
                if real is None or not _inside(real, top):
                    continue
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
        default = "/index.html" if "/index.html" in files else files[0]
        start_path = _start_path(start, default)
        kind = "folder"
    else:
        if path.suffix.lower() not in (".html", ".htm", ".xhtml"):
            raise TargetError(f"not an HTML file: {raw} (give a .html file, a folder or a URL)")
        # A linked file is audited where it really lives, under its real name.
        real_file = path.resolve()
        root = real_file.parent
        files = _html_files(root)
        start_path = _start_path(start, "/" + real_file.name)
        kind = "file"
    local = start_path.split("?", 1)[0].split("#", 1)[0]
    candidate = root / local.lstrip("/")
    if not (candidate.is_file() or (candidate.is_dir() and (candidate / "index.html").is_file())):
        raise TargetError(f"start page {start_path} does not exist in {raw}")
    served = _real(candidate / "index.html" if candidate.is_dir() else candidate)
    if served is None or not _inside(served, str(root)):
        raise TargetError(f"start page {start_path} is a link to {served or 'an unreadable path'}, outside {raw}: "
                          "cxprobe serves only files inside the folder")
    with LocalServer(root) as server:
        yield Target(raw=raw, kind=kind, start_url=server.origin + quote(start_path, safe="/?=&%#"),
                     local_origin=server.origin, root=root,
                     files=tuple(server.origin + quote(f) for f in files) if kind == "folder" else ())
