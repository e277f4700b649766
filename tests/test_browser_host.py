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
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cxprobe import Context, Outcome, Probe, Site, hookimpl, outcome
from cxprobe.browser import RenderError, RenderOptions
from cxprobe.browser.host import BrowserHost
from cxprobe.browser.journeys import _ShutMenus
from cxprobe.model import MenuCheck
from cxprobe.testing import audit

from .procs import alive, descendants

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
            time.sleep(3)  # the crawl's first fetch of it waits; the browser launches meanwhile
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
    """A loopback shop whose /slow.html answers the crawl after 3 s; (origin, request log)."""
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
    # Launched before the crawl had /slow.html (the crawl waited 3 s for it; a loaded machine
    # may take more than 1 s to start the driver).
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


def _browsers() -> dict[int, str]:
    """pid -> name of this process's Chromium and driver descendants."""
    return {p: n for p, n in descendants(os.getpid()).items() if "chrom" in n or "node" in n}


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
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(children)
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
        assert host.renderer is not None
        made = dict(host.renderer._contexts)
        # Other first-party hosts: their proxy bypass is the contexts', which are made again.
        host.run(lambda r: reopen(r, RenderOptions(browser_path=browser_path, extra_args=ARGS, first_party=("b.test",))))
        again = host.renderer._contexts
        assert list(again) == list(made) and all(again[v] is not made[v] for v in made)
        assert all(ctx.pages == [] for ctx in made.values())  # the old ones are closed, their pages with them


def test_contexts_made_while_the_site_is_crawled_are_used_or_made_again(browser_path: str,
                                                                         http_site: Any) -> None:
    """A host launched with the target's host as the first party makes the contexts at
    launch (Renderer.prepare): rendering the site takes them as they are; a site that
    turned out to live elsewhere gets contexts of its own, whose first-party pages load
    directly (not through the subresource proxy, which would count them as another
    site's)."""
    from cxprobe.browser import VIEWPORTS, RenderJob
    from cxprobe.browser.gatherer import _netloc

    http_site.page("/", "<!doctype html><title>Shop</title><h1>Widgets</h1>")
    start = http_site.url("/")
    here = (_netloc(start),)
    phone = VIEWPORTS[:1]
    guessed = RenderOptions(browser_path=browser_path, extra_args=ARGS, first_party=here, viewports=phone)

    async def render(r: Any, options: RenderOptions) -> tuple[Any, dict[str, Any]]:
        await r.open(options)
        pages = await r.render([RenderJob(url=start, viewport=phone[0])])
        return pages[0], dict(r._contexts)

    with BrowserHost(guessed) as host:
        host.run(lambda r: asyncio.sleep(0))  # launched, and prepared
        assert host.renderer is not None
        made = dict(host.renderer._contexts)
        assert list(made) == ["mobile"]
        page, used = host.run(lambda r: render(r, guessed))
        assert used["mobile"] is made["mobile"] and page.error is None
    # Guessed wrong (another host): made again with the site's own.
    wrong = replace(guessed, first_party=("elsewhere.test",))
    with BrowserHost(wrong) as host:
        host.run(lambda r: asyncio.sleep(0))
        assert host.renderer is not None
        made = dict(host.renderer._contexts)
        page, used = host.run(lambda r: render(r, guessed))
        assert used["mobile"] is not made["mobile"] and page.error is None
        assert host.renderer.opts.first_party == here


def test_contexts_need_a_started_browser() -> None:
    from cxprobe.browser.session import Renderer

    with pytest.raises(RuntimeError, match="not started"):
        asyncio.run(Renderer(RenderOptions(browser_path="/nonexistent/chrome")).open())


# ----------------------------------------------------------------------------- the early driver

#: Run in a child Python (tests/ importable from the repository's root): its Node
#: children, and whether they are gone within 5 s.
DRIVERS = """
import os, sys, time
from tests.procs import alive, descendants
def drivers():
    return [p for p, n in descendants(os.getpid()).items() if "node" in n]
def gone(pids):
    deadline = time.monotonic() + 5
    while alive({p: "node" for p in pids}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive({p: "node" for p in pids})
"""


def _python(code: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> list[str]:
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-c", DRIVERS + code], capture_output=True, text=True, timeout=90,
                          env={**os.environ, **(env or {}), "PYTHONPATH": path}, cwd=cwd)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()


def test_the_command_line_starts_the_driver_early_only_for_a_run_that_may_render(browser_path: str,
                                                                                  tmp_path: Path) -> None:
    static_config = tmp_path / "static"
    static_config.mkdir()
    (static_config / "cxprobe.toml").write_text('render = "static"\n')
    out = _python(f"""
from cxprobe.cli import start_browser_early
no = [["probes"], ["audit", "--help"], ["audit", "site", "--render", "static"], ["demo", "--render=static"],
      ["audit", "site", "--browser-path", "/nonexistent/chrome"], ["fleet", "sites.toml"], []]
for args in no:
    assert not start_browser_early(args), args
os.chdir({str(static_config)!r})
assert not start_browser_early(["audit", "site"])  # the config file found here says static
assert start_browser_early(["audit", "site", "--render", "browser"])  # the command line wins
deadline = time.monotonic() + 10
while not drivers() and time.monotonic() < deadline:
    time.sleep(0.02)
# Before any plugin loads, and before what rendering needs (imported when the browser launches).
print(len(drivers()), "cxprobe_plugins.clarity" in sys.modules, "cxprobe.browser.session" in sys.modules)
from cxprobe.browser.host import close_early
pids = drivers()
close_early()
print(gone(pids))
""", env={"CXPROBE_BROWSER": browser_path})
    assert out == ["1", "False", "False", "True"]


def test_a_browser_run_reads_its_pages_itself_and_starts_no_forkserver(browser_path: str, tmp_path: Path) -> None:
    """The command line starts the extraction workers' forkserver early for a static run;
    a run that renders reads a small site's pages in its own process (the crawl's and
    those only rendered pages link to), so no forkserver competes with the browser's
    launch for the cores."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>Shop</title><h1>Widgets for bakeries</h1>"
                                     "<a href='about.html'>About</a><script>document.body.insertAdjacentHTML("
                                     "'beforeend', \"<a href='news.html'>News</a>\")</script>")
    (site / "about.html").write_text("<!doctype html><title>About</title><h1>About us</h1>")
    (site / "news.html").write_text("<!doctype html><title>News</title><h1>News</h1>")
    out = _python(f"""
from cxprobe.cli import main
def forkservers():
    found = []
    for pid in descendants(os.getpid()):
        try:
            with open(f"/proc/{{pid}}/cmdline", "rb") as fh:
                if b"multiprocessing.forkserver" in fh.read():
                    found.append(pid)
        except OSError:
            pass
    return found
for render in ("browser", "static"):
    try:
        main(["audit", {str(site)!r}, "--render", render, "--format", "json", "-o", {str(tmp_path)!r} + "/" + render,
              "--quiet"])
    except SystemExit as exc:
        print(render, exc.code, len(forkservers()))
""", env={"CXPROBE_BROWSER": browser_path})
    assert out == ["browser", "0", "0", "static", "0", "1"]
    import json

    rendered = json.loads((tmp_path / "browser").read_text())
    assert rendered["mode"] == "browser"
    assert {p["url"].rsplit("/", 1)[-1] for p in rendered["pages"]} >= {"", "about.html", "news.html"}


def test_a_run_launches_its_browser_on_the_driver_started_early(browser_path: str, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Shop</title><h1>Shop</h1><p>Widgets.</p>")
    out = _python(f"""
from cxprobe.cli import start_browser_early
from cxprobe.browser import host
assert start_browser_early(["audit", {str(tmp_path)!r}, "--render", "browser"])
early = host._early
before = drivers()
from cxprobe.testing import audit
report = audit({str(tmp_path)!r}, render="browser")
print(report["mode"], host._early is None, early._closed, before == drivers() or not drivers())
print(gone(before))
""", env={"CXPROBE_BROWSER": browser_path})
    # The run took the early host (none left waiting), launched on its driver, and closed it.
    assert out == ["browser", "True", "True", "True", "True"]


def test_ctrl_c_at_any_moment_of_the_start_leaves_no_driver_and_one_line(browser_path: str, tmp_path: Path) -> None:
    """Ctrl-C while the command loads its plugins, while its driver started early comes up,
    while it crawls, launches the browser or renders: exit 130, the one line, no Node or Chromium left (the
    driver started early is closed too), no report."""
    import signal
    import subprocess
    import sys

    pages = "".join(f"<a href='p{i}.html'>Page {i}</a> " for i in range(6))
    for name in ["index", *(f"p{i}" for i in range(6))]:
        (tmp_path / f"{name}.html").write_text(f"<!doctype html><title>Shop</title><h1>{name}</h1><p>Widgets.</p>{pages}")
    out = tmp_path / "r.json"
    for delay in (0.0, 0.15, 0.3, 0.5, 0.8, 1.2):
        proc = subprocess.Popen([sys.executable, "-m", "cxprobe", "audit", str(tmp_path), "--render", "browser",
                                 "--format", "json", "-o", str(out)],
                                env={**os.environ, "CXPROBE_BROWSER": browser_path}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        # From the moment the command's own code runs (its early driver is up; a Ctrl-C
        # while Python itself starts and imports is Python's), at several moments after.
        started = time.monotonic()
        while not any("node" in n for n in descendants(proc.pid).values()) and time.monotonic() - started < 20:
            time.sleep(0.01)
        time.sleep(delay)
        family = {p: n for p, n in descendants(proc.pid).items() if "node" in n or "chrom" in n}
        os.killpg(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=40)
        deadline = time.monotonic() + 5
        while alive(family) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(family), (delay, alive(family))
        if proc.returncode == 0:
            out.unlink()
            continue  # the run ended before the signal
        # 130, or killed by the SIGINT itself after saying so (-2: what a shell also shows as
        # 130); never click's "Aborted!" and 1, never a traceback.
        assert proc.returncode in (130, -signal.SIGINT), (delay, err)
        assert [line for line in err.splitlines() if line.strip()] == [
            "cxprobe: error: interrupted by Ctrl-C; no report was written"], (delay, err)
        assert not out.exists()


class _WarmedProbe(Probe):
    """Notes when and where it is warmed and checked (one run at a time: a test's own)."""

    id = "contact.warmed_for_test"
    touchpoint = "contact"
    title = "t"
    failure_title = "f"
    description = "d"
    log: list[tuple[str, str, float, int]] = []

    def warm(self, site: Site) -> None:
        time.sleep(0.3)  # a dictionary being read
        self.log.append(("warm", threading.current_thread().name, time.monotonic(), len(site.pages)))

    def check(self, ctx: Context) -> Outcome:
        self.log.append(("check", threading.current_thread().name, time.monotonic(), len(ctx.site.pages)))
        return outcome(1.0)


class _WarmedPlugin:
    __name__ = "warmed-for-test"

    @hookimpl
    def cxprobe_add_probes(self, register: Any) -> None:
        register(_WarmedProbe())


def test_probes_are_warmed_while_the_browser_renders_and_checked_after(browser_path: str, tmp_path: Path) -> None:
    site = {"/": "<!doctype html><html lang='en'><head><title>Acme</title></head><body><h1>Acme</h1>"
                 "<a href='/contact.html'>Contact</a></body></html>",
            "/contact.html": "<!doctype html><html lang='en'><head><title>Contact</title></head><body><h1>Contact</h1>"
                             "<p>Call +44 20 7946 0000.</p></body></html>"}
    _WarmedProbe.log = []
    r = audit(site, render="browser", browser_path=browser_path, with_plugins=[_WarmedPlugin()])
    assert r["mode"] == "browser"
    (warm, w_thread, w_at, w_pages), (check, _c_thread, c_at, _c_pages) = _WarmedProbe.log
    assert (warm, check) == ("warm", "check")
    assert w_thread == "cxprobe-warm-probes" and w_pages == 2  # the crawled site, on its own thread
    assert w_at <= c_at  # checked once warmed
    _WarmedProbe.log = []
    audit(site, render="static", with_plugins=[_WarmedPlugin()])
    assert [e[0] for e in _WarmedProbe.log] == ["check"]  # static mode warms nothing
