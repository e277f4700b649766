"""The JSON report (cxprobe/report.py): deduplicated findings, stable ids and order,
site-relative URLs for local targets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxprobe.model import Evidence, Issue
from cxprobe.report import MAX_EXAMPLES, dedupe, finding_id

pytestmark = pytest.mark.usefixtures("quick_teardown")

NAV = ('<header><nav><a href="/index.html">Home</a> <a href="/pricing.html">Pricing</a> '
       '<a href="/contact.html">Contact</a> <a href="/team.html">Team</a></nav></header>')
FOOTER = ('<footer><a href="#">Privacy</a> <a href="javascript:void(0)">Terms</a> '
          '<a href="/missing.html">Careers</a></footer>')


def html(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Acme Bikes</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body>{NAV}<main><h1>{title}</h1>{body}</main>{FOOTER}</body></html>")


PAGES = {
    "/index.html": html("Bike repairs in a day", '<p>We fix city bikes while you work.</p><a class="btn" href="/contact.html">Book a repair</a>'
                        '<a href="/blog/">Blog</a>'),
    "/pricing.html": html("Pricing", "<p>Basic service $49 per bike. Full service $129.</p>"),
    "/contact.html": html("Contact", '<p>Call us: +1 212 555 0100</p><a href="mailto:hello@acme.test">hello@acme.test</a>'
                          '<form><input type="email" name="email"><textarea name="message"></textarea></form>'),
    "/team.html": html("Team", "<p>Five mechanics.</p>"),
    "/blog/index.html": html("Blog", '<a href="/blog/one.html">One</a> <a href="/blog/two.html">Two</a>'
                             ' <a href="/blog/three.html">Three</a>'),
    "/blog/one.html": html("One", "<p>Post one.</p>"),
    "/blog/two.html": html("Two", "<p>Post two.</p>"),
    "/blog/three.html": html("Three", "<p>Post three.</p>"),
    "/orphan.html": html("Orphan", "<p>No link leads here.</p>"),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for path, text in PAGES.items():
        f = root / path.lstrip("/")
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return root


def audit(target: str, out: Path, *args: str) -> dict:
    """The real CLI entry point, in this process; returns the JSON report."""
    from cxprobe.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["audit", target, "--render", "static", "--format", "json", "--output", str(out), *args])
    assert exited.value.code == 0
    return json.loads(out.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- dedupe (unit)

def test_dedupe_merges_issues_across_pages_with_a_page_count_and_at_most_five_examples() -> None:
    issues = [Issue(kind="dead-link", title="Link 'privacy' goes nowhere", message="m", key="privacy",
                    evidence=(Evidence(url=f"/p{i}.html", selector="footer a", snippet='<a href="#">Privacy</a>'),))
              for i in range(8)]
    # the same page twice, and another key
    issues.append(Issue(kind="dead-link", title="t", message="m", key="privacy",
                        evidence=(Evidence(url="/p0.html", selector="nav a", snippet="x"),)))
    issues.append(Issue(kind="dead-link", title="Link 'terms' goes nowhere", message="m", key="terms", severity="error",
                        evidence=(Evidence(url="/p1.html"),)))
    found = dedupe("journey.dead_links", "journey", issues, lambda s: s)
    # one finding per (kind, key), in key order
    assert [f.id for f in found] == [finding_id("journey.dead_links", "dead-link", "privacy"),
                                     finding_id("journey.dead_links", "dead-link", "terms")]
    privacy = next(f for f in found if f.id == finding_id("journey.dead_links", "dead-link", "privacy"))
    assert privacy.pages == 8
    assert len(privacy.examples) == MAX_EXAMPLES == 5
    # one example per page first, so the examples show the spread
    assert len({e.url for e in privacy.examples}) == 5
    terms = next(f for f in found if f.id != privacy.id)
    assert terms.pages == 1 and terms.severity == "error"


def test_finding_ids_are_stable_and_origin_free() -> None:
    a = finding_id("contact.page", "missing", "")
    assert a == finding_id("contact.page", "missing", "") and re.fullmatch(r"[0-9a-f]{12}", a)
    assert a != finding_id("contact.page", "missing", "x")
    issues = [Issue(kind="broken-link", title="t", message="m", key="http://127.0.0.1:5555/missing.html",
                    evidence=(Evidence(url="http://127.0.0.1:5555/a.html"),))]

    def strip(s: str) -> str:
        return s.replace("http://127.0.0.1:5555", "")

    [f] = dedupe("journey.broken_links", "journey", issues, strip)
    assert f.id == finding_id("journey.broken_links", "broken-link", "/missing.html")
    assert f.examples[0].url == "/a.html"


# --------------------------------------------------------------------------- whole reports

def _without_times(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in ("started_at", "duration_s")}


def test_two_runs_of_the_same_site_give_identical_json(folder: Path, tmp_path: Path) -> None:
    first = audit(str(folder), tmp_path / "a.json")
    second = audit(str(folder), tmp_path / "b.json")
    assert first["started_at"] and isinstance(first["duration_s"], float)
    assert json.dumps(_without_times(first), sort_keys=False) == json.dumps(_without_times(second), sort_keys=False)


def test_folder_reports_use_site_relative_urls(folder: Path, tmp_path: Path) -> None:
    report = audit(str(folder), tmp_path / "r.json")
    text = (tmp_path / "r.json").read_text()
    assert "127.0.0.1" not in text and "localhost" not in text
    assert not re.search(r"https?://[^\"]*:\d{2,5}", text)
    assert report["target"] == str(folder)
    assert report["start_url"] == "/"
    urls = [p["url"] for p in report["pages"]]
    assert urls == sorted(urls) and all(u.startswith("/") for u in urls)
    # dir/ and dir/index.html are one page
    assert "/blog/" in urls and "/blog/index.html" not in urls
    # the folder is its own sitemap: the orphan is found, reported, and not judged
    assert report["touchpoints"]["journey"]["facts"]["unreachable_pages"] == 1
    assert report["crawl"]["pages"] == 8


def test_findings_are_deduplicated_across_pages(folder: Path, tmp_path: Path) -> None:
    report = audit(str(folder), tmp_path / "r.json")
    ids = [f["id"] for f in report["findings"]]
    assert len(ids) == len(set(ids))
    # the footer's dead "Privacy" link is on all eight pages: one finding, not eight
    dead = [f for f in report["findings"] if f["probe"].endswith(".dead_links") and "privacy" in f["title"].lower()]
    assert len(dead) == 1
    assert dead[0]["pages"] == 8
    assert 1 <= len(dead[0]["examples"]) <= 5
    assert len({e["url"] for e in dead[0]["examples"]}) == len(dead[0]["examples"])
    broken = [f for f in report["findings"] if f["probe"] == "journey.broken_links"]
    assert len(broken) == 1 and broken[0]["pages"] == 8
    # probes list the ids of their findings, and every listed id exists
    listed = {fid for tp in report["touchpoints"].values() for p in tp["probes"] for fid in p["findings"]}
    assert listed == set(ids)


def test_every_list_has_a_stable_order(folder: Path, tmp_path: Path) -> None:
    report = audit(str(folder), tmp_path / "r.json")
    assert list(report["touchpoints"]) == sorted(report["touchpoints"])
    for tp in report["touchpoints"].values():
        assert [p["id"] for p in tp["probes"]] == sorted(p["id"] for p in tp["probes"])
    rank = {"error": 0, "warning": 1, "info": 2}
    keys = [(rank[f["severity"]], -f["pages"], f["touchpoint"], f["probe"], f["id"]) for f in report["findings"]]
    assert keys == sorted(keys)
    assert report["cohesion"]["unscored"] == sorted(report["cohesion"]["unscored"])


def test_live_and_folder_audits_of_one_site_give_the_same_finding_ids(folder: Path, tmp_path: Path, http_site) -> None:
    for path, text in PAGES.items():
        http_site.page(path, text)
        if path.endswith("/index.html"):
            http_site.page(path[: -len("index.html")], text)
    http_site.page("/sitemap.xml", "<urlset>" + "".join(f"<url><loc>{http_site.url(p)}</loc></url>" for p in PAGES)
                   + "</urlset>", content_type="application/xml")
    local = audit(str(folder), tmp_path / "local.json")
    live = audit(http_site.url("/index.html"), tmp_path / "live.json")
    assert live["start_url"] == http_site.url("/")
    # live reports keep absolute URLs
    assert all(p["url"].startswith(http_site.origin) for p in live["pages"])
    assert [f["id"] for f in local["findings"]] == [f["id"] for f in live["findings"]]
    assert any(f["probe"] == "journey.broken_links" for f in live["findings"])
