"""Static mode against hostile servers: credentials stay with the named origins, stateful
links are never requested, an audited folder serves nothing outside itself, and every
request ends inside its bound.

Each case asserts on what the servers logged (127.0.0.1 is the audited site, 127.0.0.2
and another port of 127.0.0.1 are elsewhere) and times the run it started: a run ends
within its --deadline plus a margin for starting Python and running the probes on a busy
machine, while a hostile route holds out for a minute, so a bound that does not hold
fails plainly.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cxprobe import urls
from cxprobe.crawl import Crawler, CrawlOptions
from cxprobe.errors import ExitCode
from cxprobe.target import open_target

from .conftest import HostileServer, Request, _HostileHandler

STATIC = ("--render", "static")
SECRET_HEADERS = ("--header", "X-Staging-Token: s3cret", "--header", "Authorization: Bearer t0ken",
                  "--header", "Cookie: gate=open")
CREDENTIALS = ("x-staging-token", "authorization", "cookie")

Run = Callable[..., subprocess.CompletedProcess[str]]
#: Seconds a run may take beyond its --deadline (start-up, probes, a loaded machine).
MARGIN = 12.0
#: Seconds a hostile route keeps dripping: far beyond every bound under test.
HOLD_OUT = 60.0


def page(title: str, *links: str) -> str:
    anchors = " ".join(f'<a href="{href}">{href}</a>' for href in links)
    return (f'<!doctype html><html lang="en"><head><title>{title}</title></head>'
            f"<body><h1>{title}</h1><p>We sell tea.</p>{anchors}</body></html>")


def audit(run_cli: Run, tmp_path: Path, target: str, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], float]:
    """Run the real command; return the process, its JSON report and the wall time."""
    out = tmp_path / "report.json"
    out.unlink(missing_ok=True)
    t = time.monotonic()
    r = run_cli("audit", target, *STATIC, "--format", "json", "--output", str(out), *args, timeout=60)
    took = time.monotonic() - t
    assert "Traceback" not in r.stderr, r.stderr
    report = json.loads(out.read_text()) if out.exists() else {}
    return r, report, took


def leaked(requests: list[Request]) -> list[tuple[str, str]]:
    """(path, header) of every credential a server received."""
    return [(r.path, h) for r in requests for h in CREDENTIALS if h in r.headers]


def carried_all(r: Request) -> bool:
    return (r.headers.get("x-staging-token") == "s3cret" and r.headers.get("authorization") == "Bearer t0ken"
            and "gate=open" in r.headers.get("cookie", ""))


def only_get(*servers: HostileServer) -> None:
    for s in servers:
        assert {r.method for r in s.log} <= {"GET", "HEAD"}, [(r.method, r.path) for r in s.log]


# ----------------------------------------------------------------- hostile routes
def drip_body(seconds: float = HOLD_OUT) -> Callable[[_HostileHandler], None]:
    """A 200 whose body arrives one byte a second (each read is quick; the whole is not)."""

    def route(h: _HostileHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html" if not h.path.endswith((".txt", ".xml")) else "text/plain")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(1)

    return route


def drip_head(h: _HostileHandler) -> None:
    """The status line and headers themselves, one byte a second (bounded: ~HOLD_OUT s)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Pad: " + b"x" * int(HOLD_OUT) + b"\r\n\r\n"
    for byte in head:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(1)


def flood(first: bytes, line: bytes, sent: list[int], total: int = 256 << 20) -> Callable[[_HostileHandler], None]:
    """A 200 with no declared length: ``first``, then ``line`` repeated up to ``total`` bytes.

    ``sent`` receives the bytes written before the client hung up.
    """

    def route(h: _HostileHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = line * max(1, (64 << 10) // len(line))
        n = 0
        try:
            h.wfile.write(first)
            n += len(first)
            while n < total:
                h.wfile.write(chunk)
                n += len(chunk)
        finally:
            sent.append(n)
            h.close_connection = True

    return route


# ----------------------------------------------------------------- credentials
def test_robots_txt_redirected_elsewhere_gets_no_credentials(hostile: HostileServer, elsewhere: HostileServer,
                                                            elsewhere_port: HostileServer, run_cli: Run,
                                                            tmp_path: Path) -> None:
    # Two hops: the other port, then the other host; the rules found there still apply.
    hostile.redirect("/robots.txt", elsewhere_port.url("/robots.txt"))
    elsewhere_port.redirect("/robots.txt", elsewhere.url("/robots.txt"))
    elsewhere.page("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    hostile.page("/", page("Home", "/about", "/private/x"))
    hostile.page("/about", page("About"))
    hostile.page("/private/x", page("Private"))
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), *SECRET_HEADERS, "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.OK, r.stderr
    assert took < 6 + MARGIN
    assert elsewhere.paths() == ["/robots.txt"] and elsewhere_port.paths() == ["/robots.txt"]
    assert leaked(elsewhere.log + elsewhere_port.log) == []
    # The site itself gets them on every request, robots.txt included.
    assert hostile.log and all(carried_all(q) for q in hostile.log)
    assert "/private/x" not in hostile.paths() and "/about" in hostile.paths()
    only_get(hostile, elsewhere, elsewhere_port)


@pytest.mark.parametrize("other_fixture", ["elsewhere", "elsewhere_port"])
def test_start_page_redirected_elsewhere_is_audited_without_credentials(
        request: pytest.FixtureRequest, other_fixture: str, hostile: HostileServer, run_cli: Run,
        tmp_path: Path) -> None:
    other: HostileServer = request.getfixturevalue(other_fixture)
    # The site also sets a cookie of its own on the way out: it must not follow either.
    hostile.handler.routes["/"] = (302, {"Location": other.url("/home"), "Set-Cookie": "sid=abc; Path=/",
                                         "Content-Length": "0"}, b"")
    other.page("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {other.url('/sitemap.xml')}\n",
               content_type="text/plain")
    other.page("/sitemap.xml", f"<urlset><url><loc>{other.url('/lost')}</loc></url></urlset>",
               content_type="application/xml")
    other.page("/home", page("Home", "/about"))
    other.page("/about", page("About"))
    other.page("/lost", page("Lost"))
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), *SECRET_HEADERS, "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.OK, r.stderr
    assert took < 6 + MARGIN
    # Audited where the start page went: pages, robots.txt and the sitemap...
    assert {"/robots.txt", "/home", "/about", "/sitemap.xml", "/lost"} <= set(other.paths())
    assert report["start_url"] == other.url("/home")
    # ...but not one credential crossed the boundary, nor the site's own cookie.
    assert leaked(other.log) == []
    assert all(carried_all(q) for q in hostile.log)
    netloc = other.origin.split("//", 1)[1]
    notes = [n for n in report["notes"] if "--header" in n]
    assert notes == [f"the start page redirected to {other.origin}; --header values were not sent there: "
                     f"add --allow-host {netloc} to send them"]
    only_get(hostile, other)


def test_allow_host_sends_credentials_to_the_named_host(hostile: HostileServer, elsewhere: HostileServer,
                                                        run_cli: Run, tmp_path: Path) -> None:
    hostile.redirect("/", elsewhere.url("/home"))
    elsewhere.page("/home", page("Home", "/about"))
    elsewhere.page("/about", page("About"))
    netloc = elsewhere.origin.split("//", 1)[1]
    r, report, _took = audit(run_cli, tmp_path, hostile.url("/"), *SECRET_HEADERS, "--allow-host", netloc,
                             "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.OK, r.stderr
    assert elsewhere.log and all(carried_all(q) for q in elsewhere.log)
    assert not [n for n in report["notes"] if "--header" in n]


def test_sitemap_redirected_elsewhere_gets_no_credentials(hostile: HostileServer, elsewhere: HostileServer,
                                                          run_cli: Run, tmp_path: Path) -> None:
    hostile.page("/robots.txt", "User-agent: *\nAllow: /\nSitemap: /maps/site.xml\n", content_type="text/plain")
    hostile.redirect("/maps/site.xml", elsewhere.url("/site.xml"))
    elsewhere.page("/site.xml", f"<urlset><url><loc>{hostile.url('/lost')}</loc></url></urlset>",
                   content_type="application/xml")
    hostile.page("/", page("Home", "/about", elsewhere.url("/linked-away")))
    hostile.page("/about", page("About"))
    hostile.page("/lost", page("Lost"))
    hostile.redirect("/go", elsewhere.url("/went"))
    r, _report, took = audit(run_cli, tmp_path, hostile.url("/"), *SECRET_HEADERS, "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.OK, r.stderr
    assert took < 6 + MARGIN
    # The sitemap was read where it led (and seeded /lost), without credentials.
    assert elsewhere.paths() == ["/site.xml"]
    assert leaked(elsewhere.log) == []
    assert "/lost" in hostile.paths()
    only_get(hostile, elsewhere)


def test_site_cookies_never_cross_to_another_port(hostile: HostileServer, elsewhere_port: HostileServer) -> None:
    """A cookie a site sets comes back to it, never to another port of the same host."""
    import asyncio

    hostile.page("/", page("Home", "/a", elsewhere_port.url("/x")), headers={"Set-Cookie": "sid=abc; Path=/"})
    hostile.page("/a", page("A"))
    elsewhere_port.page("/x", page("X"))
    crawler = Crawler(hostile.url("/"), CrawlOptions(timeout=2, deadline=6, allow_hosts=(
        elsewhere_port.origin.split("//", 1)[1],)))
    site = asyncio.run(crawler.run())
    assert elsewhere_port.url("/x") in {p.url for p in site.ok_pages}
    assert [q.headers.get("cookie") for q in hostile.log if q.path == "/a"] == ["sid=abc"]
    assert [q for q in elsewhere_port.log if "cookie" in q.headers] == []


# ----------------------------------------------------------------- stateful links
STATEFUL = [
    "/account/close", "/api/reset?all=1", "/orders/7/cancel", "/cart/remove?item=3", "/newsletter/unsubscribe",
    "/users/9/deactivate", "/cache/purge", "/logout", "/log-out", "/signout", "/sign-out", "/items/3/delete",
    "/posts/4/destroy", "/delete-account", "/close_account", "/deleteAccount", "/account-delete",
    "/settings?action=delete", "/settings?do=reset", "/profile?delete=1", "/list?unsubscribe=abc",
    "/api?op=purge", "/me?remove", "/session?logout=1", "/billing?cancel=yes", "/x?next=/account/close",
]
ORDINARY = [
    "/cancellation-policy", "/refund-and-cancellation", "/closets", "/removals-company",
    "/resetting-expectations-blog-post", "/close-up-photography", "/how-to-cancel", "/blog/deleted-scenes",
    "/signed-out-users-guide", "/pricing?plan=pro",
]


def test_stateful_links_are_never_requested(hostile: HostileServer, run_cli: Run, tmp_path: Path) -> None:
    hostile.page("/", page("Home", *STATEFUL, *ORDINARY))
    for path in {p.split("?", 1)[0] for p in STATEFUL + ORDINARY}:
        hostile.page(path, page(path))
    r, _report, took = audit(run_cli, tmp_path, hostile.url("/"), "--max-pages", "100", "--timeout", "2",
                             "--deadline", "10")
    assert r.returncode == ExitCode.OK, r.stderr
    requested = set(hostile.paths())
    assert not requested & set(STATEFUL), sorted(requested & set(STATEFUL))
    assert set(ORDINARY) <= requested, sorted(set(ORDINARY) - requested)
    only_get(hostile)
    assert took < 10 + MARGIN


# ----------------------------------------------------------------- bounds
def test_start_page_dripping_bytes_ends_inside_the_timeout(hostile: HostileServer, run_cli: Run,
                                                           tmp_path: Path) -> None:
    hostile.route("/", drip_body())
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.CANNOT_MEASURE, r.stderr
    assert "could not reach" in r.stderr and "timeout" in r.stderr
    assert took < 6 + MARGIN
    assert report["pages"][0]["error"] == "timeout"


@pytest.mark.parametrize("route", [drip_body(), drip_head], ids=["body", "status-line"])
def test_robots_txt_dripping_bytes_ends_inside_the_deadline(route: Callable[[_HostileHandler], None],
                                                             hostile: HostileServer, run_cli: Run,
                                                             tmp_path: Path) -> None:
    # The timeout alone would allow 30 s: the deadline (4 s) must cut robots.txt short.
    hostile.route("/robots.txt", route)
    hostile.page("/", page("Home"))
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), "--timeout", "30", "--deadline", "4")
    assert took < 4 + MARGIN
    # RFC 9309: a robots.txt that cannot be read allows nothing; the start page is not requested.
    assert r.returncode == ExitCode.CANNOT_MEASURE, r.stderr
    assert "robots.txt" in r.stderr and "could not be read" in r.stderr and "--ignore-robots" in r.stderr
    assert hostile.paths() == ["/robots.txt"]
    assert report["pages"][0]["error"] == "robots"


def test_sitemap_dripping_bytes_is_a_note_and_the_run_goes_on(hostile: HostileServer, run_cli: Run,
                                                              tmp_path: Path) -> None:
    hostile.route("/sitemap.xml", drip_body())
    hostile.page("/", page("Home", "/about"))
    hostile.page("/about", page("About"))
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.OK, r.stderr
    assert took < 6 + MARGIN
    assert report["crawl"]["pages"] == 2
    assert any(n.startswith(f"sitemap {hostile.url('/sitemap.xml')} could not be read") for n in report["notes"])


def test_huge_robots_txt_is_read_up_to_its_cap(hostile: HostileServer, run_cli: Run, tmp_path: Path) -> None:
    sent: list[int] = []
    hostile.route("/robots.txt", flood(b"User-agent: *\nDisallow: /private\n", b"# " + b"x" * 62 + b"\n", sent))
    hostile.page("/", page("Home", "/private/a", "/public"))
    hostile.page("/public", page("Public"))
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), "--timeout", "5", "--deadline", "10")
    assert r.returncode == ExitCode.OK, r.stderr
    assert took < 10 + MARGIN
    # The rules at the top hold; the client hung up long before the 256 MiB the server offered.
    assert "/private/a" not in hostile.paths() and "/public" in hostile.paths()
    assert sent and sent[0] < 32 << 20, sent
    assert any("robots.txt" in n and "only the rules within that size were read" in n for n in report["notes"])


def test_huge_sitemap_is_read_up_to_max_bytes(hostile: HostileServer, run_cli: Run, tmp_path: Path) -> None:
    sent: list[int] = []
    hostile.route("/sitemap.xml", flood(f"<urlset><url><loc>{hostile.url('/lost')}</loc></url>".encode(),
                                        b"<!-- " + b"x" * 58 + b" -->\n", sent))
    hostile.page("/", page("Home"))
    hostile.page("/lost", page("Lost"))
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), "--max-bytes", "200000", "--timeout", "5",
                            "--deadline", "10")
    assert r.returncode == ExitCode.OK, r.stderr
    assert took < 10 + MARGIN
    assert "/lost" in hostile.paths()
    assert sent and sent[0] < 32 << 20, sent
    assert any("sitemap" in n and "larger than --max-bytes (200000)" in n for n in report["notes"])


@pytest.mark.parametrize(("status", "crawled"), [(404, True), (403, True), (503, False), (429, False)])
def test_robots_txt_status_per_the_robots_standard(status: int, crawled: bool, hostile: HostileServer,
                                                   run_cli: Run, tmp_path: Path) -> None:
    hostile.page("/robots.txt", "User-agent: *\nDisallow: /\n", status=status, content_type="text/plain")
    hostile.page("/", page("Home"))
    r, _report, _took = audit(run_cli, tmp_path, hostile.url("/"), "--timeout", "2", "--deadline", "6")
    assert ("/" in hostile.paths()) is crawled
    if crawled:
        assert r.returncode == ExitCode.OK, r.stderr
    else:
        assert r.returncode == ExitCode.CANNOT_MEASURE
        assert f"could not be read (HTTP {status})" in r.stderr and "--ignore-robots" in r.stderr


def test_robots_txt_connection_dropped_allows_nothing(hostile: HostileServer, run_cli: Run, tmp_path: Path) -> None:
    def hang_up(h: _HostileHandler) -> None:
        h.close_connection = True  # no status line at all

    hostile.route("/robots.txt", hang_up)
    hostile.page("/", page("Home"))
    r, report, took = audit(run_cli, tmp_path, hostile.url("/"), "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.CANNOT_MEASURE, r.stderr
    assert "robots.txt" in r.stderr and "could not be read" in r.stderr and "--ignore-robots" in r.stderr
    assert hostile.paths() == ["/robots.txt"]
    assert report["pages"][0]["error"] == "robots"
    assert took < 6 + MARGIN


def test_robots_txt_redirect_loop_allows_everything_with_a_note(hostile: HostileServer, run_cli: Run,
                                                                tmp_path: Path) -> None:
    hostile.redirect("/robots.txt", "/robots2.txt")
    hostile.redirect("/robots2.txt", "/robots.txt")
    hostile.page("/", page("Home"))
    r, report, _took = audit(run_cli, tmp_path, hostile.url("/"), "--timeout", "2", "--deadline", "6")
    assert r.returncode == ExitCode.OK, r.stderr
    assert hostile.paths().count("/robots.txt") == 1
    assert any(n.startswith(f"robots.txt of {hostile.origin} was not read") for n in report["notes"])


# ----------------------------------------------------------------- folders
def outside_folder(tmp_path: Path) -> Path:
    """A site folder whose links lead outside it: a file, a folder, an index, /etc/passwd."""
    site = tmp_path / "site"
    outside = tmp_path / "outside"
    (site / "idx").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.html").write_text("<html><title>SECRET-TITLE</title><p>SECRET-CONTENT</p></html>")
    (site / "index.html").write_text(page("Home", "/leak.html", "/linked/secret.html", "/idx/", "/passwd.html",
                                          "/about.html"))
    (site / "about.html").write_text(page("About"))
    os.symlink(outside / "secret.html", site / "leak.html")
    os.symlink(outside, site / "linked")
    os.symlink(outside / "secret.html", site / "idx" / "index.html")
    os.symlink("/etc/passwd", site / "passwd.html")
    return site


def test_a_folder_serves_nothing_outside_itself(run_cli: Run, tmp_path: Path) -> None:
    site = outside_folder(tmp_path)
    r, report, took = audit(run_cli, tmp_path, str(site), "--timeout", "2", "--deadline", "10")
    assert r.returncode == ExitCode.OK, r.stderr
    assert took < 10 + MARGIN
    text = json.dumps(report) + r.stdout + r.stderr
    assert "SECRET" not in text and "root:" not in text
    pages = {p["url"]: p for p in report["pages"]}
    for path in ("/leak.html", "/linked/secret.html", "/idx/", "/passwd.html"):
        assert pages[path]["status"] == 404 and pages[path]["error"] == "http_error", pages[path]
    assert pages["/about.html"]["ok"]
    assert report["touchpoints"]["journey"]["facts"]["broken_links"] == 4


def test_a_folder_lists_only_its_own_files(tmp_path: Path) -> None:
    site = outside_folder(tmp_path)
    with open_target(str(site)) as target:
        assert [target.display(u) for u in target.files] == ["/about.html", "/index.html"]


def test_a_start_page_outside_the_folder_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    site = outside_folder(tmp_path)
    r = run_cli("audit", str(site), *STATIC, "--start", "/leak.html")
    assert r.returncode == ExitCode.USAGE_ERROR, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "outside" in lines[0] and "SECRET" not in r.stderr


@pytest.mark.parametrize("path", [
    "/../outside/secret.html", "/%2e%2e/outside/secret.html", "/%2E%2E/%2e%2e/outside/secret.html",
    "/..%2foutside/secret.html", "/..\\outside\\secret.html", "/..%5coutside%5csecret.html",
    "//etc/passwd", "/passwd.html", "/linked/secret.html", "/idx/", "/leak.html", "/%00", "/about.html%00.txt",
])
def test_folder_server_refuses_paths_that_leave_the_folder(path: str, tmp_path: Path) -> None:
    site = outside_folder(tmp_path)
    with open_target(str(site)) as target:
        status, body = _raw(target.local_origin, "GET", path)
    assert status == 404 and b"SECRET" not in body and b"root:" not in body


@pytest.mark.parametrize("path", ["/leak", "/leak/", "/passwd", "/linked/secret", "/idx", "/../outside/secret",
                                  "/%2e%2e/outside/secret", "/linked"])
def test_static_host_resolution_never_leads_outside_the_folder(path: str, tmp_path: Path) -> None:
    """/leak would be leak.html on a static host; leak.html is a link to a file outside: 404, no redirect there."""
    site = outside_folder(tmp_path)
    with open_target(str(site)) as target:
        status, location = _raw_location(target.local_origin, path)
        if status == 301:  # only a folder's own slash: /idx -> /idx/, which is refused in turn
            assert location == path + "/" and _raw(target.local_origin, "GET", location)[0] == 404
        else:
            assert status == 404, (path, status, location)


def _raw_location(origin: str, path: str) -> tuple[int, str | None]:
    host, port = origin.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        resp.read()
        return resp.status, resp.getheader("Location")
    finally:
        conn.close()


def test_a_kept_alive_connection_resolves_each_request_again(tmp_path: Path) -> None:
    """A file swapped for a link to a file outside the folder between two requests on one
    kept-alive connection is refused on the second: nothing resolved for the first request
    is reused."""
    site = outside_folder(tmp_path)
    page = site / "swap.html"
    page.write_text("<p>inside</p>")
    with open_target(str(site)) as target:
        host, port = target.local_origin.split("//", 1)[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        try:
            conn.request("GET", "/swap.html")
            first = conn.getresponse()
            assert first.status == 200 and first.read() == b"<p>inside</p>"
            page.unlink()
            page.symlink_to(tmp_path / "outside" / "secret.html")
            conn.request("GET", "/swap.html")  # the same connection, kept alive
            second = conn.getresponse()
            assert second.status == 404 and b"SECRET" not in second.read()
        finally:
            conn.close()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"])
def test_folder_server_answers_only_get_and_head(method: str, tmp_path: Path) -> None:
    site = outside_folder(tmp_path)
    with open_target(str(site)) as target:
        assert _raw(target.local_origin, method, "/index.html")[0] == 405
        assert _raw(target.local_origin, "HEAD", "/index.html")[0] == 200
        assert _raw(target.local_origin, "GET", "/about.html")[0] == 200


def _raw(origin: str, method: str, path: str) -> tuple[int, bytes]:
    """One request with the path exactly as given (no client-side normalisation)."""
    host, port = origin.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_named_origins_rule() -> None:
    named = urls.named_origins("http://a.test:8000/start", ["b.test", "c.test:9000", "https://d.test/"])
    assert named.allows("http://a.test:8000/x")
    assert not named.allows("http://a.test:8001/x") and not named.allows("https://a.test:8000/x")
    assert named.allows("http://b.test/") and named.allows("https://b.test:4443/")
    assert named.allows("http://c.test:9000/") and not named.allows("http://c.test/")
    assert named.allows("https://d.test/x") and not named.allows("http://d.test/x")
    assert not named.allows("http://www.a.test:8000/") and not named.allows("mailto:a@a.test")
    # the scheme is part of the origin: no upgrade, never a downgrade to cleartext
    assert not urls.named_origins("http://shop.test/").allows("https://shop.test/")
    assert not urls.named_origins("https://shop.test/").allows("http://shop.test/")
