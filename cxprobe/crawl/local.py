"""A folder target's files answered in the crawl's own process, with no socket.

A folder (or a file's folder) is served on 127.0.0.1 for the run (:mod:`cxprobe.target`),
because a browser needs a real server. The static crawl needs none: this transport hands
each request to the very request handler the server runs (the same rules: only files
inside the folder, symbolic links resolved, ``/about`` -> ``about.html``, 405 for any
method but GET and HEAD), on an in-memory request instead of a connection. The crawl's
client mounts it for the served origin only, so URLs, redirects, status codes and headers
are the server's, byte for byte, and a request to any other origin goes out as before.

What it saves: the loopback connection, the server's thread and httpcore's connection
pool, about half of the crawl process's own CPU per page (docs/performance.md).
"""

from __future__ import annotations

import http.client
import io
import re
from collections.abc import AsyncIterator
from typing import Any, BinaryIO

import httpx

from ..target import _QuietHandler

#: Bytes read from a file per chunk of a response body.
CHUNK = 64 * 1024


class _Handler(_QuietHandler):
    """The server's handler on an in-memory request: the file of a 200 is kept open for
    the response body to stream (the crawl reads only ``max_bytes`` of it), not copied."""

    body: BinaryIO | None = None

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.body = self.send_head()

    def do_HEAD(self) -> None:  # noqa: N802 - the stdlib's name
        f = self.send_head()
        if f:
            f.close()


class _Body(httpx.AsyncByteStream):
    """What the handler wrote after the headers (an error page), then the open file."""

    def __init__(self, head: bytes, file: BinaryIO | None) -> None:
        self.head = head
        self.file = file

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.head:
            yield self.head
        file = self.file
        if file is None:
            return
        try:
            while chunk := file.read(CHUNK):
                yield chunk
        finally:
            file.close()

    async def aclose(self) -> None:
        if self.file is not None:
            self.file.close()


#: A request line the handler would take apart into exactly these words: a method of
#: letters, a path with no white space or control character.
_PLAIN_METHOD = re.compile(rb"[A-Z]{1,16}")
_PLAIN_PATH = re.compile(rb"/[\x21-\x7e]*")


def _read_as_parsed(handler: Any, request: httpx.Request) -> bool:
    """Set what ``parse_request`` would set from ``request`` (command, path, version and
    headers) and answer it; False, having done nothing, for a request it might treat
    otherwise (which then goes through the handler's own parsing). The stdlib reads the
    headers of each request with the email package's feed parser, most of the time an
    in-process answer costs; the crawl's requests need none of what it does."""
    method = request.method.encode("ascii")
    raw_path = request.url.raw_path
    if not (_PLAIN_METHOD.fullmatch(method) and _PLAIN_PATH.fullmatch(raw_path)):
        return False
    headers = http.client.HTTPMessage()
    for name, value in request.headers.raw:
        if b"\r" in value or b"\n" in value or name.lower() == b"expect":  # 100-continue: the stdlib's way
            return False
        headers[name.decode("iso-8859-1")] = value.decode("iso-8859-1")
    if len(headers) > http.client._MAXHEADERS:  # type: ignore[attr-defined]
        return False
    conntype = headers.get("Connection", "").lower()
    if conntype == "close":
        handler.close_connection = True
    elif conntype == "keep-alive":  # the handler speaks HTTP/1.1
        handler.close_connection = False
    command = method.decode("ascii")
    path = raw_path.decode("iso-8859-1")
    handler.raw_requestline = method + b" " + raw_path + b" HTTP/1.1\r\n"
    handler.requestline = f"{command} {path} HTTP/1.1"
    handler.request_version = "HTTP/1.1"
    handler.command = command
    # gh-87389, as parse_request does: "//host/x" would read as another host's URL.
    handler.path = "/" + path.lstrip("/") if path.startswith("//") else path
    handler.headers = headers
    getattr(handler, "do_" + command)()
    return True


class FolderTransport(httpx.AsyncBaseTransport):
    """The files of ``root`` as the folder server answers them (see the module)."""

    def __init__(self, root: str) -> None:
        self.root = root

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        handler: Any = _Handler.__new__(_Handler)
        handler.directory = self.root
        handler.client_address = ("127.0.0.1", 0)
        handler.wfile = out = io.BytesIO()
        handler.close_connection = True
        if not _read_as_parsed(handler, request):
            head = [request.method.encode("ascii") + b" " + request.url.raw_path + b" HTTP/1.1\r\n"]
            head.extend(k + b": " + v + b"\r\n" for k, v in request.headers.raw)
            head.append(b"\r\n")
            handler.rfile = io.BytesIO(b"".join(head))
            handler.handle_one_request()
        raw = out.getvalue()
        status_headers, _, rest = raw.partition(b"\r\n\r\n")
        lines = status_headers.split(b"\r\n")
        status = int(lines[0].split(None, 2)[1])
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers.append((name.strip(), value.strip()))
        body = handler.body if request.method == "GET" else None
        return httpx.Response(status, headers=headers, stream=_Body(rest, body), request=request,
                              extensions={"http_version": b"HTTP/1.1"})
