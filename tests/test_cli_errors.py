"""Bad input, end to end: the real ``cxprobe`` command against real loopback HTTP.

Every failure is one line on stderr, the documented exit code, and never a traceback.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cxprobe.errors import ExitCode

pytestmark = pytest.mark.usefixtures("quick_teardown")

STATIC = ("--render", "static")


def page(title: str, *links: str, body: str = "", head: str = "") -> str:
    anchors = " ".join(f'<a href="{href}">{href}</a>' for href in links)
    return (f'<!doctype html><html lang="en"><head><title>{title}</title>{head}</head>'
            f"<body><h1>{title}</h1>{body}{anchors}</body></html>")


def one_line_error(r: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    """Assert the exit code and a single 'cxprobe: error:' line naming ``needles``."""
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("cxprobe: error: "), lines[0]
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def audit_json(run_cli, tmp_path: Path, *args: str, code: int = 0) -> dict:
    """Run ``cxprobe audit ... --format json`` and return the report.

    Runs the real CLI entry point in this process (the subprocess tests above cover
    what a user sees on stderr); an interpreter start per run would double the time.
    """
    from cxprobe.cli import main

    out = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exited:
        main(["audit", *args, *STATIC, "--format", "json", "--output", str(out)])
    assert exited.value.code == code
    return json.loads(out.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- cannot measure: exit 3

def test_unreachable_host(run_cli) -> None:
    r = run_cli("audit", "http://127.0.0.1:9/", *STATIC, "--timeout", "3")
    one_line_error(r, ExitCode.CANNOT_MEASURE, "could not reach http://127.0.0.1:9/")


def test_start_page_slower_than_the_timeout(http_site, request_log, run_cli) -> None:
    # /slow answers after 1.5 s; the timeout covers a whole request, so it leaves robots.txt
    # (answered at once) room to arrive on a busy machine.
    http_site.page("/slow", page("Slow"))
    one_line_error(run_cli("audit", http_site.url("/slow"), *STATIC, "--timeout", "1"), ExitCode.CANNOT_MEASURE,
                   "no response within the timeout")


@pytest.mark.parametrize("status", [404, 500])
def test_start_page_error_status_still_writes_the_json_report(http_site, run_cli, tmp_path: Path, status: int) -> None:
    http_site.page("/", "broken", status=status)
    out = tmp_path / "r.json"
    r = run_cli("audit", http_site.url("/"), *STATIC, "--format", "json", "--output", str(out))
    one_line_error(r, ExitCode.CANNOT_MEASURE, f"returned HTTP {status}")
    report = json.loads(out.read_text())
    assert report["error"] and f"HTTP {status}" in report["error"]
    assert report["cohesion"]["complete"] is False
    assert report["crawl"]["pages"] == 0
    assert report["pages"][0]["status"] == status


def test_start_url_that_is_not_html(http_site, run_cli) -> None:
    http_site.page("/", b"%PDF-1.4 ...", content_type="application/pdf")
    one_line_error(run_cli("audit", http_site.url("/"), *STATIC), ExitCode.CANNOT_MEASURE, "is not HTML", "application/pdf")


def test_redirect_loop(http_site, run_cli) -> None:
    http_site.redirect("/", "/a")
    http_site.redirect("/a", "/")
    one_line_error(run_cli("audit", http_site.url("/"), *STATIC), ExitCode.CANNOT_MEASURE, "redirects in a loop")


def test_robots_disallowing_everything(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    http_site.page("/", page("Home", "/a"))
    http_site.page("/a", page("A"))
    line = one_line_error(run_cli("audit", http_site.url("/"), *STATIC), ExitCode.CANNOT_MEASURE,
                          "robots.txt", "disallows", "--ignore-robots")
    assert "Home" not in line
    assert http_site.hits == ["/robots.txt"]
    report = audit_json(run_cli, tmp_path, http_site.url("/"), "--ignore-robots")
    assert report["error"] is None and report["crawl"]["pages"] == 2


# --------------------------------------------------------------------------- usage: exit 2

def test_missing_folder_or_file(run_cli, tmp_path: Path) -> None:
    one_line_error(run_cli("audit", str(tmp_path / "no-such-folder"), *STATIC), ExitCode.USAGE_ERROR, "target not found")
    one_line_error(run_cli("audit", str(tmp_path / "missing.html"), *STATIC), ExitCode.USAGE_ERROR, "target not found")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    one_line_error(run_cli("audit", str(notes), *STATIC), ExitCode.USAGE_ERROR, "not an HTML file")


def test_unknown_format_fails_before_any_request(http_site, run_cli) -> None:
    http_site.page("/", page("Home"))
    one_line_error(run_cli("audit", http_site.url("/"), *STATIC, "--format", "pdf"), ExitCode.USAGE_ERROR,
                   "unknown format pdf", "json", "terminal")
    assert http_site.hits == []


def test_bad_header_and_bad_url(run_cli) -> None:
    one_line_error(run_cli("audit", "http://127.0.0.1:9/", *STATIC, "--header", "no-colon"), ExitCode.USAGE_ERROR,
                   "--header")
    one_line_error(run_cli("audit", "http://127.0.0.1:99999/", *STATIC), ExitCode.USAGE_ERROR, "not a valid URL")
    one_line_error(run_cli("audit", "ftp://example.com/", *STATIC), ExitCode.USAGE_ERROR, "unsupported URL scheme")


# --------------------------------------------------------------------------- the run goes on

def test_page_over_the_size_cap_is_recorded_and_the_run_goes_on(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/", page("Home", "/big", "/small"))
    http_site.page("/big", page("Big", body="<p>" + "lorem " * 5000 + "</p>"))
    http_site.page("/small", page("Small"))
    report = audit_json(run_cli, tmp_path, http_site.url("/"), "--max-bytes", "10000")
    by = {p["url"]: p for p in report["pages"]}
    assert by[http_site.url("/big")]["error"] == "too_large"
    assert by[http_site.url("/big")]["ok"] is False
    assert by[http_site.url("/small")]["ok"] is True
    assert report["crawl"]["pages"] == 2 and report["error"] is None


def test_invalid_utf8_and_wrong_declared_charset_audit_completes(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/", b"<html><head><meta charset='utf-8'><title>Caf\xe9 \xff</title></head><body><h1>Men\xfa</h1>"
                        b"<a href='/w'>w</a></body></html>")
    http_site.page("/w", "<html><title>Wrong</title><body><p>Café crème</p></body></html>".encode(),
                   content_type="text/html; charset=x-does-not-exist")
    report = audit_json(run_cli, tmp_path, http_site.url("/"))
    assert report["crawl"]["pages"] == 2
    assert report["cohesion"]["score"] is not None and report["cohesion"]["complete"] is True


# --------------------------------------------------------------------------- gates

def test_fail_under_above_and_below_the_score(http_site, run_cli) -> None:
    http_site.page("/", page("Acme bikes", "/contact"))
    http_site.page("/contact", page("Contact", body='<a href="mailto:hi@acme.test">hi@acme.test</a>'))
    above = run_cli("audit", http_site.url("/"), *STATIC, "--fail-under", "99", "--format", "json")
    assert above.returncode == ExitCode.ASSERTION_FAILED, above.stderr
    score = json.loads(above.stdout)["cohesion"]["score"]
    assert score < 99
    assert "below --fail-under 99" in above.stderr
    below = run_cli("audit", http_site.url("/"), *STATIC, "--fail-under", str(max(0.0, score - 1)), "--format", "json")
    assert below.returncode == ExitCode.OK, below.stderr
    assert json.loads(below.stdout)["cohesion"]["score"] == score


# --------------------------------------------------------------------------- crawl bounds through the CLI

def test_max_pages_max_depth_and_not_fetched(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/", page("Home", *[f"/p{i}" for i in range(6)]))
    for i in range(6):
        http_site.page(f"/p{i}", page(f"P{i}", f"/p{i}/deep"))
        http_site.page(f"/p{i}/deep", page(f"Deep {i}"))
    capped = audit_json(run_cli, tmp_path, http_site.url("/"), "--max-pages", "3")
    assert capped["crawl"]["pages"] == 3 and capped["crawl"]["truncated"] == "max_pages"
    assert capped["crawl"]["not_fetched"] >= 4
    assert len([p for p in capped["pages"] if p["ok"]]) == 3
    shallow = audit_json(run_cli, tmp_path, http_site.url("/"), "--max-depth", "1")
    assert shallow["crawl"]["pages"] == 7 and shallow["crawl"]["truncated"] == "max_depth"
    assert shallow["crawl"]["not_fetched"] == 6 and shallow["crawl"]["max_depth_reached"] == 1


def test_deadline(http_site, request_log, run_cli, tmp_path: Path) -> None:
    http_site.page("/", page("Home", *[f"/slow{i}" for i in range(4)]))
    for i in range(4):
        http_site.page(f"/slow{i}", page(f"Slow {i}"))
    report = audit_json(run_cli, tmp_path, http_site.url("/"), "--deadline", "1", "--concurrency", "1")
    assert report["crawl"]["truncated"] == "deadline"
    assert report["crawl"]["not_fetched"] >= 1
    assert report["duration_s"] < 6


def test_headers_scope_and_safety(http_site, request_log, second_site, run_cli, tmp_path: Path) -> None:
    second_site.page("/landing", page("Landing"))
    http_site.page("/", page("Home", "/docs/a", "/docs/print/a", "/shop", "/logout", "/cart/delete?id=2",
                             "/add-to-cart/9", "/out", second_site.url("/elsewhere"),
                             body='<form method="post" action="/subscribe"><input type="email" name="e"></form>'))
    for p in ("/docs/a", "/docs/print/a", "/shop"):
        http_site.page(p, page(p))
    http_site.redirect("/out", second_site.url("/landing"))
    report = audit_json(run_cli, tmp_path, http_site.url("/"), "--header", "Authorization: Bearer s3cret",
                        "--exclude", "*/print/*", "--exclude", "/shop")
    requested = [p for _, p, _ in request_log]
    assert {m for m, _, _ in request_log} <= {"GET", "HEAD"}
    for never in ("/logout", "/cart/delete", "/add-to-cart", "/subscribe", "/docs/print/a", "/shop"):
        assert not any(r.startswith(never) for r in requested), never
    assert all(h.get("authorization") == "Bearer s3cret" for _, _, h in request_log)
    # off-site: never crawled, neither by link nor by following a redirect
    assert second_site.hits == []
    # "/" and "/docs/a"; "/out" leaves the site, so it is an external link, not a page
    assert report["crawl"]["pages"] == 2
    assert sorted(p["url"] for p in report["pages"] if p["ok"]) == [http_site.url("/"), http_site.url("/docs/a")]


def test_include_and_allow_host(http_site, second_site, run_cli, tmp_path: Path) -> None:
    second_site.page("/blog", page("Blog"))
    http_site.page("/", page("Home", "/docs/a", "/shop", second_site.url("/blog")))
    http_site.page("/docs/a", page("Docs"))
    http_site.page("/shop", page("Shop"))
    host = second_site.origin.split("//", 1)[1]
    report = audit_json(run_cli, tmp_path, http_site.url("/"), "--include", "/docs/*", "--include", "/blog",
                        "--allow-host", host)
    kept = sorted(p["url"] for p in report["pages"] if p["ok"])
    assert kept == sorted([http_site.url("/"), http_site.url("/docs/a"), second_site.url("/blog")])


def test_sitemap_seeding_on_a_live_url(http_site, run_cli, tmp_path: Path) -> None:
    o = http_site.origin
    http_site.page("/", page("Home", "/about"))
    http_site.page("/about", page("About"))
    # a page no link reaches; it holds contact details that must not be judged
    http_site.page("/secret-offer", page("Offer", body='<a href="mailto:orphan@acme.test">Mail</a><p>Call us: +1 212 555 0100</p>'))
    http_site.page("/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                   f"<url><loc>{o}/</loc></url><url><loc>{o}/about</loc></url>"
                                   f"<url><loc>{o}/secret-offer</loc></url></urlset>", content_type="application/xml")
    report = audit_json(run_cli, tmp_path, http_site.url("/"))
    assert report["touchpoints"]["journey"]["facts"]["unreachable_pages"] == 1
    assert report["crawl"]["pages"] == 2
    orphan = next(p for p in report["pages"] if p["url"] == o + "/secret-offer")
    assert orphan["found_via"] == "sitemap" and orphan["depth"] is None
    contact = report["touchpoints"]["contact"]["facts"]
    assert "orphan@acme.test" not in contact["emails"] and contact["phones"] == []
    assert o + "/secret-offer" not in json.dumps(report["touchpoints"]["contact"])


def test_one_page_per_canonical_url(http_site, run_cli, tmp_path: Path) -> None:
    o = http_site.origin
    http_site.page("/", page("Home", "/docs/", "/docs/index.html", "/old-pricing", "/pricing"))
    http_site.page("/docs/", page("Docs"))
    http_site.page("/docs/index.html", page("Docs"))
    http_site.page("/pricing", page("Pricing"))
    http_site.page("/old-pricing", page("Pricing", head=f'<link rel="canonical" href="{o}/pricing">'))
    report = audit_json(run_cli, tmp_path, http_site.url("/"))
    assert sorted(p["url"] for p in report["pages"] if p["ok"]) == [o + "/", o + "/docs/", o + "/pricing"]
    assert report["crawl"]["pages"] == 3


def test_start_redirect_to_another_origin_defines_scope(http_site, second_site, run_cli, tmp_path: Path) -> None:
    second_site.page("/en/", page("Home", "/en/about", http_site.url("/legacy")))
    second_site.page("/en/about", page("About"))
    http_site.redirect("/", second_site.url("/en/"))
    http_site.page("/legacy", page("Legacy"))
    report = audit_json(run_cli, tmp_path, http_site.url("/"))
    assert report["start_url"] == second_site.url("/en/")
    assert sorted(p["url"] for p in report["pages"] if p["ok"]) == [second_site.url("/en/"), second_site.url("/en/about")]
    assert "/legacy" not in http_site.hits
