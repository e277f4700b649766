"""Pre-deploy audits: a folder or file is the owner's own build, so its robots.txt never
blocks the audit; a robots.txt that shuts search engines out is a finding on every target.

The real ``cxprobe`` command, on real folders and a real loopback HTTP site.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxprobe.errors import ExitCode

pytestmark = pytest.mark.usefixtures("quick_teardown")

STATIC = ("--render", "static")
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


def page(title: str, *links: str) -> str:
    anchors = " ".join(f'<a href="{href}">{href}</a>' for href in links)
    return (f'<!doctype html><html lang="en"><head><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{anchors}</body></html>")


def draft(root: Path, robots: str | None) -> Path:
    site = root / "build"
    site.mkdir()
    (site / "index.html").write_text(page("Acme bikes", "about.html"), encoding="utf-8")
    (site / "about.html").write_text(page("About Acme", "index.html"), encoding="utf-8")
    if robots is not None:
        (site / "robots.txt").write_text(robots, encoding="utf-8")
    return site


def listing_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["probe"] == "journey.search_listing"]


def test_a_draft_folder_that_disallows_everything_is_audited_and_the_rule_is_a_finding(tmp_path: Path, run_cli) -> None:
    site = draft(tmp_path, DISALLOW_ALL)
    out = tmp_path / "r.json"
    r = run_cli("audit", str(site), *STATIC, "--format", "json", "--output", str(out))
    assert r.returncode == ExitCode.OK, r.stderr  # exit 3 ("robots.txt disallows the start page") before
    report = json.loads(out.read_text())
    assert report["error"] is None and report["crawl"]["pages"] == 2 and report["crawl"]["robots_blocked"] == 0
    assert report["cohesion"]["complete"] is True
    [found] = listing_findings(report)
    assert found["severity"] == "error" and found["title"] == "robots.txt shuts search engines out of the site"
    # The evidence lands on the rule's line of the folder's robots.txt (source locations).
    assert found["examples"] == [{"url": "/robots.txt", "selector": "", "snippet": "line 2: Disallow: /",
                                  "source": {"file": "robots.txt", "line": 2, "column": 1}}]
    assert report["touchpoints"]["journey"]["facts"]["search_blocked_by"] == ["robots.txt"]
    probe = next(p for p in report["touchpoints"]["journey"]["probes"] if p["id"] == "journey.search_listing")
    assert probe["status"] == "failed" and probe["score"] == 0.0 and probe["findings"] == [found["id"]]


def test_a_single_file_target_is_never_held_back_by_the_robots_txt_beside_it(tmp_path: Path, run_cli) -> None:
    site = draft(tmp_path, DISALLOW_ALL)
    out = tmp_path / "r.json"
    r = run_cli("audit", str(site / "about.html"), *STATIC, "--format", "json", "--output", str(out))
    assert r.returncode == ExitCode.OK, r.stderr
    report = json.loads(out.read_text())
    assert report["crawl"]["pages"] >= 1 and len(listing_findings(report)) == 1


@pytest.mark.parametrize(("robots", "expected"), [
    (None, []),
    ("User-agent: *\nDisallow:\n", []),
    ("User-agent: BadBot\nDisallow: /\n", []),
    ("User-agent: *\nDisallow: /\nAllow: /$\n", [("warning", "robots.txt keeps search engines off every page but the start page")]),
])
def test_robots_rules_that_leave_the_site_listed(tmp_path: Path, run_cli, robots: str | None,
                                                 expected: list[tuple[str, str]]) -> None:
    out = tmp_path / "r.json"
    r = run_cli("audit", str(draft(tmp_path, robots)), *STATIC, "--format", "json", "--output", str(out))
    assert r.returncode == ExitCode.OK, r.stderr
    report = json.loads(out.read_text())
    assert report["crawl"]["pages"] == 2
    assert [(f["severity"], f["title"]) for f in listing_findings(report)] == expected


def test_a_live_site_still_honours_robots_txt_and_ignoring_it_shows_the_finding(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/robots.txt", DISALLOW_ALL, content_type="text/plain")
    http_site.page("/", page("Acme bikes", "/about"))
    http_site.page("/about", page("About Acme", "/"))
    r = run_cli("audit", http_site.url("/"), *STATIC)
    assert r.returncode == ExitCode.CANNOT_MEASURE, r.stderr
    assert "disallows the start page" in r.stderr and "--ignore-robots" in r.stderr
    assert http_site.hits == ["/robots.txt"]
    out = tmp_path / "r.json"
    r = run_cli("audit", http_site.url("/"), *STATIC, "--ignore-robots", "--format", "json", "--output", str(out))
    assert r.returncode == ExitCode.OK, r.stderr
    report = json.loads(out.read_text())
    assert report["crawl"]["pages"] == 2
    [found] = listing_findings(report)
    assert found["severity"] == "error" and found["examples"][0]["url"] == http_site.url("/robots.txt")


def test_a_live_start_page_that_says_noindex_in_its_header(http_site, run_cli, tmp_path: Path) -> None:
    http_site.page("/", page("Acme bikes", "/about"), headers={"X-Robots-Tag": "noindex"})
    http_site.page("/about", page("About Acme", "/"))
    out = tmp_path / "r.json"
    r = run_cli("audit", http_site.url("/"), *STATIC, "--format", "json", "--output", str(out))
    assert r.returncode == ExitCode.OK, r.stderr
    report = json.loads(out.read_text())
    [found] = listing_findings(report)
    assert found["title"] == "The start page asks search engines not to list it"
    assert found["examples"][0]["snippet"] == "X-Robots-Tag: noindex"
