"""One browser for a browser-mode run: launched while the site is crawled, used to render
the pages and to click the journeys through, closed at the run's end (issue 11)."""

from __future__ import annotations

import asyncio
import http.server
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cxprobe.browser import RenderError, RenderOptions
from cxprobe.browser.host import BrowserHost
from cxprobe.browser.journeys import _ShutMenus
from cxprobe.model import MenuCheck
from cxprobe.testing import audit

ARGS = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",)
STYLE = ("<style>.navbar-toggler { display: none } @media (max-width: 600px) { #menu { display: none } "
         ".navbar-toggler { display: block } }</style>")


def page(title: str, main: str = "") -> str:
    # The phone menu's button never opens it; each tap asks the server for /tap.
    return (f"<!doctype html><html lang=en><head><title>{title}</title><meta name=viewport "
            f"content='width=device-width, initial-scale=1'>{STYLE}</head><body><header>"
            "<button class='navbar-toggler' type='button' aria-controls='menu' aria-expanded='false' "
            "onclick=\"fetch('/tap')\">Menu</button><nav id='menu'><a href='/'>Home</a> "
            "<a href='/pricing.html'>Pricing</a> <a href='/contact.html'>Contact</a> <a href='/slow.html'>News</a></nav>"
            f"</header><main><h1>{title}</h1>{main}</main><footer><p>Acme widgets, 1 Main St</p></footer></body></html>")


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, str] = {}
    log: list[tuple[str, float]] = []

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path == "/slow.html" and not any(p == path for p, _t in self.log):
            time.sleep(1.5)  # the crawl's first fetch of it waits; the browser launches meanwhile
        body = self.pages.get(path)
        self.log.append((path, time.time()))
        self.send_response(200 if body is not None else 404)
        data = (body or "<h1>Not found</h1>").encode()
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def slow_site() -> Iterator[tuple[str, list[tuple[str, float]]]]:
    """A loopback shop whose /slow.html answers the crawl after 1.5 s; (origin, request log)."""
    handler: Any = type("Handler", (_Handler,), {"log": [], "pages": {
        "/": page("Acme widgets for small bakeries", "<p>We make widgets.</p>"),
        "/pricing.html": page("Pricing", "<p>Basic plan: $10 per month.</p>"),
        "/contact.html": page("Contact us", "<p>Email hello@acme-widgets.com or call +1 415 555 0100.</p>"),
        "/slow.html": page("News"),
        "/tap": "ok",
        "/robots.txt": "User-agent: *\nAllow: /\n",
    }})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.log
    httpd.shutdown()
    httpd.server_close()


def _wrapper(tmp_path: Path, browser_path: str) -> tuple[Path, Path]:
    """A browser executable that notes the time of each launch, then runs the real one."""
    launches = tmp_path / "launches.txt"
    exe = tmp_path / "chromium-logged"
    exe.write_text(f"#!/bin/sh\ndate +%s.%N >> '{launches}'\nexec '{browser_path}' \"$@\"\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe, launches


def test_one_browser_launched_while_crawling_renders_and_walks_the_journeys(
        browser_path: str, tmp_path: Path, slow_site: tuple[str, list[tuple[str, float]]]) -> None:
    origin, log = slow_site
    exe, launches = _wrapper(tmp_path, browser_path)
    r = audit(origin + "/", render="browser", browser_path=str(exe), output=str(tmp_path / "r.json"), format=["json"],
              journey=[{"name": "contact", "steps": ["home", "contact"], "max_clicks": 1}])
    assert r["mode"] == "browser"
    started = [float(line) for line in launches.read_text().split()]
    assert len(started) == 1, started  # rendering and the journeys used the same browser
    # Launched before the crawl had /slow.html (the crawl waited 1.5 s for it).
    slow_answered = min(t for p, t in log if p == "/slow.html")
    assert started[0] < slow_answered - 0.5, (started, slow_answered)
    rendered = {p["url"].removeprefix(origin) for p in r["pages"] if p.get("screenshots")}
    assert {"/", "/pricing.html", "/contact.html", "/slow.html"} <= rendered
    contact = next(j for j in r["journeys"] if j["name"] == "contact")
    assert contact["routes"]["desktop"]["reached"] is True
    phone = contact["routes"]["mobile_menu"]
    assert phone["reached"] is False and phone["broken_at"]["reason"] == "menu_closed"
    # The phone menu of the start page was tapped once in the run: by rendering. The
    # walk that needed it took rendering's answer instead of tapping (and waiting) again.
    assert [p for p, _t in log].count("/tap") == 1


def test_a_menu_rendering_found_shut_is_not_tapped_again(browser_path: str) -> None:
    html = (f"<!doctype html><meta name=viewport content='width=device-width'>{STYLE}<script>window.taps=0</script>"
            "<button class='navbar-toggler' aria-controls='menu' onclick='window.taps++'>Menu</button>"
            "<nav id='menu'><a href='/a'>A</a></nav>")
    known = {"/": MenuCheck(toggle="button.navbar-toggler", opens=False, label="Menu"),
             "/open": MenuCheck(toggle="button.navbar-toggler", opens=True)}

    async def walk(r: Any) -> list[tuple[int, MenuCheck]]:
        shut = _ShutMenus(known)
        out = []
        for url in ("/", "/open", "/other"):
            p = await r.borrow("mobile")
            await p.set_content(html)
            menu = await shut.tap(p, url)
            out.append((int(await p.evaluate("window.taps")), menu))
            await r.give_back("mobile", p)
        return out

    with BrowserHost(RenderOptions(browser_path=browser_path, extra_args=ARGS)) as host:
        (shut_taps, shut), (open_taps, _), (other_taps, other) = host.run(lambda r: _opened(r, walk))
    assert shut_taps == 0 and shut == known["/"]  # rendering's answer, no tap
    assert open_taps == 1  # a menu that opens is tapped in every walk's own page
    assert other_taps == 1 and other.toggle is not None and other.opens is False


async def _opened(r: Any, then: Any) -> Any:
    await r.open()
    return await then(r)


def test_the_host_runs_one_browser_for_several_uses_and_closes_it(browser_path: str) -> None:
    async def version(r: Any) -> tuple[str, int]:
        p = await r.borrow("desktop")
        await p.set_content("<p>hi</p>")
        await r.give_back("desktop", p)
        return r.version, os.getpid()

    host = BrowserHost(RenderOptions(browser_path=browser_path, extra_args=ARGS))
    try:
        first = host.run(lambda r: _opened(r, version))
        assert host.launched
        children = _browsers()
        assert children, "no browser process while the host is up"
        assert host.run(lambda r: _opened(r, version)) == first  # the same browser, still up
        assert _browsers() == children
    finally:
        host.close()
    host.close()  # closing twice is nothing
    deadline = time.monotonic() + 5
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(children)
    assert not host.launched
    with pytest.raises(RuntimeError, match="closed"):
        host.run(lambda r: _opened(r, version))


def test_a_browser_that_cannot_launch_fails_every_use_with_one_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "chrome"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    with BrowserHost(RenderOptions(browser_path=str(broken))) as host:
        for _ in range(2):  # the launch is not tried again: the same error each time
            with pytest.raises(RenderError, match="could not launch the browser"):
                host.run(lambda r: asyncio.sleep(0))
        assert not host.launched


def test_options_the_browser_was_launched_with_cannot_change(browser_path: str) -> None:
    opts = RenderOptions(browser_path=browser_path, extra_args=ARGS)

    async def reopen(r: Any, changed: RenderOptions) -> None:
        await r.open(changed)

    with BrowserHost(opts) as host:
        host.run(lambda r: reopen(r, RenderOptions(browser_path=browser_path, extra_args=ARGS, first_party=("a.test",))))
        with pytest.raises(ValueError, match="headers"):
            host.run(lambda r: reopen(r, RenderOptions(browser_path=browser_path, extra_args=ARGS,
                                                       headers=(("X-Token", "1"),))))
        with pytest.raises(ValueError, match="first-party"):
            host.run(lambda r: reopen(r, RenderOptions(browser_path=browser_path, extra_args=ARGS, first_party=("b.test",))))


def _browsers() -> dict[int, str]:
    """pid -> name of this process's Chromium and driver descendants (from /proc)."""
    parents: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    st = f.read()
            except OSError:
                continue
            fields = st[st.rindex(")") + 2:].split()
            if fields[0] != "Z":
                parents[int(entry)] = (int(fields[1]), st[st.index("(") + 1: st.rindex(")")])
    found: dict[int, str] = {}
    frontier = {os.getpid()}
    while frontier:
        frontier = {p for p, (pp, _n) in parents.items() if pp in frontier and p not in found}
        found.update({p: parents[p][1] for p in frontier})
    return {p: n for p, n in found.items() if "chrom" in n or "node" in n}


def _alive(pids: dict[int, str]) -> dict[int, str]:
    out = {}
    for pid, name in pids.items():
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read()
        except OSError:
            continue
        if st[st.rindex(")") + 2] != "Z" and name in st:
            out[pid] = name
    return out


def test_contexts_need_a_started_browser() -> None:
    from cxprobe.browser.session import Renderer

    with pytest.raises(RuntimeError, match="not started"):
        asyncio.run(Renderer(RenderOptions(browser_path="/nonexistent/chrome")).open())
