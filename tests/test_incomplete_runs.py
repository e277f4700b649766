"""What was measured is part of the result: a run that measured less than it was asked to
is incomplete (``cohesion.complete`` false, one line in ``incomplete_because``), and an
incomplete run never passes a gate.

The real ``cxprobe`` command, on real folders and a real loopback HTTP site. (A plugin
that cannot be loaded: tests/test_plugins.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxprobe.errors import ExitCode

pytestmark = pytest.mark.usefixtures("quick_teardown")

STATIC = ("--render", "static")


def page(title: str, *links: str) -> str:
    anchors = " ".join(f'<a href="{href}">{href}</a>' for href in links)
    return (f'<!doctype html><html lang="en"><head><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{anchors}</body></html>")


def folder(root: Path, pages: dict[str, str]) -> Path:
    site = root / "site"
    site.mkdir()
    for name, html in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(html, encoding="utf-8")
    return site


def audit(run_cli, tmp_path: Path, *args: str) -> tuple[int, str, dict]:
    """Run ``cxprobe audit ... --fail-under 0`` (a gate any complete run passes)."""
    out = tmp_path / "r.json"
    r = run_cli("audit", *args, *STATIC, "--fail-under", "0", "--format", "json", "--output", str(out))
    assert "Traceback" not in r.stderr
    return r.returncode, r.stderr, json.loads(out.read_text())


SITE = {"index.html": page("Acme bikes", "about.html", "blog/first.html"),
        "about.html": page("About Acme", "index.html"),
        "blog/first.html": page("First post", "../index.html")}


def test_an_include_glob_that_matches_no_page_makes_the_run_incomplete(tmp_path: Path, run_cli) -> None:
    site = folder(tmp_path, SITE)
    code, err, report = audit(run_cli, tmp_path, str(site), "--include", "*.php")
    # before: one page audited and exit 0
    assert code == ExitCode.ASSERTION_FAILED, err
    assert report["crawl"]["pages"] == 1 and report["cohesion"]["complete"] is False
    because = report["cohesion"]["incomplete_because"]
    assert because[0].startswith("--include '*.php' matches no page of the crawl")
    # the start page links on to two pages the glob left out
    assert because[1] == ("only the start page / was audited: of the 2 other pages of the site it links to, "
                          "2 are excluded by --include/--exclude")
    assert "gate failed: complete: the run is incomplete (--include '*.php' matches no page" in err


def test_include_globs_that_match_pages_keep_the_run_complete(tmp_path: Path, run_cli) -> None:
    site = folder(tmp_path, SITE)
    code, err, report = audit(run_cli, tmp_path, str(site), "--include", "/blog/*", "--include", "/index.html")
    assert code == ExitCode.OK, err
    assert report["crawl"]["pages"] == 2 and report["cohesion"]["complete"] is True
    # one glob of two that matches nothing is still named
    code, err, report = audit(run_cli, tmp_path, str(site), "--include", "/blog/*", "--include", "/shop/*")
    assert code == ExitCode.ASSERTION_FAILED, err
    assert [line.split(" matches")[0] for line in report["cohesion"]["incomplete_because"]] == ["--include '/shop/*'"]


def test_a_start_page_whose_links_all_fail_makes_the_run_incomplete(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/", page("Acme bikes", "/about", "/pricing", "/brochure.pdf", "https://social.example/acme"))
    http_site.page("/pricing", "<h1>down</h1>", status=500)  # /about: 404
    code, err, report = audit(run_cli, tmp_path, http_site.url("/"))
    assert code == ExitCode.ASSERTION_FAILED, err
    assert report["cohesion"]["incomplete_because"] == [
        f"only the start page {http_site.url('/')} was audited: of the 2 other pages of the site it links to, "
        "2 could not be loaded (error statuses, timeouts, redirect loops...)"]
    assert report["cohesion"]["score"] is not None  # still scored, as every incomplete run


def test_a_start_page_whose_links_robots_txt_disallows(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/robots.txt", "User-agent: *\nDisallow: /\nAllow: /$\n", content_type="text/plain")
    http_site.page("/", page("Acme bikes", "/about"))
    http_site.page("/about", page("About Acme", "/"))
    code, err, report = audit(run_cli, tmp_path, http_site.url("/"))
    assert code == ExitCode.ASSERTION_FAILED, err
    assert report["cohesion"]["incomplete_because"] == [
        f"only the start page {http_site.url('/')} was audited: of the 1 other page of the site it links to, "
        "1 is disallowed by robots.txt"]
    # the same rules, read as search engines read them, are a finding too
    assert any(f["probe"] == "journey.search_listing" and f["severity"] == "warning" for f in report["findings"])


def test_a_start_page_cut_off_by_a_limit(tmp_path: Path, run_cli) -> None:
    code, err, report = audit(run_cli, tmp_path, str(folder(tmp_path, SITE)), "--max-depth", "0")
    assert code == ExitCode.ASSERTION_FAILED, err
    assert report["cohesion"]["incomplete_because"] == [
        "only the start page / was audited: of the 2 other pages of the site it links to, "
        "2 were left out by a limit (--max-depth, --max-pages or the deadline)"]


def test_a_genuine_one_page_site_is_complete(tmp_path: Path, run_cli) -> None:
    # Links to sections, to a file, to another site, mail and phone: no other page of the site.
    one = page("Acme bikes", "#pricing", "brochure.pdf", "https://social.example/acme", "mailto:hi@acme.test",
               "tel:+441632960001", "index.html")
    code, err, report = audit(run_cli, tmp_path, str(folder(tmp_path, {"index.html": one})))
    assert code == ExitCode.OK, err
    assert report["crawl"]["pages"] == 1
    assert report["cohesion"]["complete"] is True and report["cohesion"]["incomplete_because"] == []


def test_a_site_whose_other_pages_partly_fail_is_complete(http_site, run_cli, tmp_path: Path) -> None:
    # Broken links are findings of the journey touchpoint, not a gap in what was measured.
    http_site.page("/", page("Acme bikes", "/about", "/gone"))
    http_site.page("/about", page("About Acme", "/"))
    code, err, report = audit(run_cli, tmp_path, http_site.url("/"))
    assert code == ExitCode.OK, err
    assert report["cohesion"]["complete"] is True
    assert any(f["probe"] == "journey.broken_links" for f in report["findings"])
