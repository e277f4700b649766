"""Folder targets answered in-process (cxprobe/crawl/local.py) exactly as the folder server answers.

The static crawl of a folder no longer goes through the loopback server: the crawl's client
hands each request to the server's own handler. Every path below, hostile ones included, is
asked of the real server over a socket and of the transport, and the answers (status,
headers but the date, body) must be the same; the crawl of a folder must read the same
pages with the same facts either way, and must not touch the server at all.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import threading
from pathlib import Path

import httpx
import pytest

from cxprobe.crawl import CrawlOptions, crawl
from cxprobe.crawl.gatherer import crawl_options
from cxprobe.crawl.local import FolderTransport
from cxprobe.target import _QuietHandler, open_target

#: Headers that differ from one moment to the next, or that the connection itself sets.
_VOLATILE = {"date", "server", "connection", "keep-alive"}


def _over_socket(origin: str, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    host, port = origin.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders() if k.lower() not in _VOLATILE}
        return resp.status, headers, body
    finally:
        conn.close()


async def _in_process(origin: str, root: str, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    async with httpx.AsyncClient(mounts={origin: FolderTransport(root)}) as client:
        # The request as the socket client sends it: no headers of httpx's own beyond Host.
        request = httpx.Request(method, httpx.URL(origin + path), headers={})
        for name in list(request.headers):
            if name.lower() != "host":
                del request.headers[name]
        resp = await client.send(request)
        body = await resp.aread()
        headers = {k.lower(): v for k, v in resp.headers.items() if k.lower() not in _VOLATILE}
        return resp.status_code, headers, body


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "team").mkdir(parents=True)
    (site / "empty").mkdir()
    (site / "index.html").write_text("<html><title>Home</title><body><a href='contato'>c</a></body></html>")
    (site / "contato.html").write_text("<html><title>Contato</title><body>olá</body></html>")
    (site / "team" / "index.html").write_text("<html><title>Team</title></body></html>")
    (site / "data.json").write_text('{"a": 1}')
    (site / "big.html").write_bytes(b"<p>" + b"x" * 300_000 + b"</p>")
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0")
    (site / "leak.html").symlink_to(outside)
    (site / "linked-dir").symlink_to(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(site / "pipe.html")
    return site


PATHS = [
    ("GET", "/"), ("GET", "/index.html"), ("HEAD", "/index.html"), ("GET", "/contato"), ("GET", "/contato?x=1"),
    ("GET", "/team"), ("GET", "/team/"), ("GET", "/empty/"), ("GET", "/nowhere"), ("GET", "/data.json"),
    ("GET", "/big.html"), ("GET", "/leak.html"), ("GET", "/linked-dir/secret.txt"), ("GET", "/../secret.txt"),
    ("GET", "/%2e%2e/secret.txt"), ("GET", "/team/../contato.html"), ("GET", "/contato.html%00"),
    ("GET", "/pipe.html"), ("POST", "/index.html"), ("DELETE", "/index.html"), ("GET", "/a%20b.html"),
    ("GET", "//index.html"), ("GET", "///team/"), ("GET", "//contato?x=//y"), ("PATCH", "/index.html"),
]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_the_transport_answers_as_the_server_does(tmp_path: Path, method: str, path: str) -> None:
    with open_target(str(_site(tmp_path))) as target:
        assert target.root is not None
        expected = _over_socket(target.local_origin, method, path)
        got = asyncio.run(_in_process(target.local_origin, str(target.root), method, path))
    assert got == expected
    if path in ("/leak.html", "/linked-dir/secret.txt", "/pipe.html"):
        assert got[0] == 404 and b"root:x" not in got[2]


def test_a_folder_crawl_is_read_in_process_with_the_same_facts(tmp_path: Path) -> None:
    site_dir = _site(tmp_path)
    (site_dir / "pipe.html").unlink(missing_ok=True)
    served: list[str] = []
    original = _QuietHandler.send_head

    def counting(self: _QuietHandler) -> object:
        if threading.current_thread().name != "MainThread":
            served.append(self.path)  # a request that came over the socket
        return original(self)

    _QuietHandler.send_head = counting  # type: ignore[method-assign]
    try:
        with open_target(str(site_dir)) as target:
            class _Config:
                max_pages, max_depth, concurrency, timeout, deadline = 50, 5, 4, 5.0, 60.0
                max_bytes, max_redirects, ignore_robots, headers = 5_000_000, 10, False, ()
                allow_hosts, include, exclude, extract_budget, jobs, per_host, delay = (), (), (), 5.0, 1, 8, 0.0

            opts = crawl_options(_Config(), target)
            assert opts.local_folder == (target.local_origin, str(target.root))
            local = crawl(target.start_url, opts)
            assert served == []  # nothing went over the socket
            loopback = crawl(target.start_url, CrawlOptions(**{**opts.__dict__, "local_folder": None}))
            assert served  # the same crawl over the socket did
    finally:
        _QuietHandler.send_head = original  # type: ignore[method-assign]

    def summary(site: object) -> list[tuple[str, int, object]]:
        return sorted((p.url, p.status, p.facts) for p in site.pages)  # type: ignore[attr-defined]

    assert summary(local) == summary(loopback)
    assert {target.display(p.url) for p in local.ok_pages} >= {"/", "/contato.html"}


def test_a_plain_request_skips_the_stdlibs_header_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crawl's own requests are answered without ``parse_request`` (the email package's
    feed parser reads the headers of each one: most of an in-process answer's cost); one the
    handler treats otherwise (too many headers) still goes through it."""
    from cxprobe.crawl import local

    parsed: list[str] = []
    real = local._Handler.parse_request

    def counting(self: object) -> bool:
        parsed.append(getattr(self, "raw_requestline", b"").decode("latin-1"))
        return bool(real(self))  # type: ignore[arg-type]

    monkeypatch.setattr(local._Handler, "parse_request", counting)
    site = _site(tmp_path)
    origin = "http://127.0.0.1:9"

    async def ask(headers: dict[str, str]) -> tuple[int, bytes]:
        async with httpx.AsyncClient(mounts={origin: FolderTransport(str(site))}) as client:
            resp = await client.get(origin + "/contato.html", headers=headers)
            return resp.status_code, await resp.aread()

    page = (200, (site / "contato.html").read_bytes())
    assert asyncio.run(ask({"User-Agent": "cxprobe", "Accept": "text/html", "Connection": "close"})) == page
    assert asyncio.run(ask({})) == page  # httpx's own headers: Connection: keep-alive among them
    assert parsed == []
    # More headers than the stdlib admits: its own parsing answers (431).
    assert asyncio.run(ask({f"X-H{i}": "1" for i in range(http.client._MAXHEADERS)}))[0] == 431  # type: ignore[attr-defined]
    assert parsed == ["GET /contato.html HTTP/1.1\r\n"]
