"""The bundled demo site (examples/demo-site, package ``cxprobe_demo``) audited end to end.

The demo is the README's first command and a fixture: its planted good and bad
touchpoints are listed in examples/demo-site/README.txt, and these tests hold the
probes to them. Static mode keeps the run fast and deterministic; browser-only probes
add findings there but never remove these.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-site"

#: Pages a customer can click to from the home page (the webinar page is only in the sitemap).
LINKED_PAGES = ["/", "/about.html", "/changelog.html", "/contact.html", "/faq.html", "/features.html",
                "/feedback.html", "/pricing.html", "/terms.html"]
BUILTIN_TOUCHPOINTS = {"clarity", "mobile", "contact", "pricing", "support", "policies", "social",
                       "feedback", "journey", "consistency"}
#: Probes that judge touchpoints the demo gets right: they must report nothing.
CLEAN_PROBES = {"clarity.headline", "clarity.cta", "clarity.value_proposition", "clarity.readability",
                "contact.page", "contact.hours", "pricing.visible", "pricing.page",
                "pricing.clarity", "support.self_help", "feedback.channel", "social.profiles",
                "consistency.brand", "consistency.language", "journey.redirects", "journey.js_shell",
                "policies.legal_details", "clarity.template_copy", "clarity.spelling"}


def _cxprobe(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CXPROBE_DEBUG"}
    return subprocess.run([sys.executable, "-m", "cxprobe", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], str]:
    """One static-mode run of ``cxprobe demo``, shared by the tests of this module."""
    cwd = tmp_path_factory.mktemp("demo")
    proc = _cxprobe("demo", "--render", "static", "--format", "json", "-o", "demo.json", cwd=cwd)
    out = cwd / "demo.json"
    return proc, out.read_text(encoding="utf-8") if out.is_file() else ""


@pytest.fixture(scope="module")
def report(demo_run: tuple[subprocess.CompletedProcess[str], str]) -> dict[str, Any]:
    proc, text = demo_run
    assert proc.returncode == 0, proc.stderr
    return json.loads(text)


def findings_of(report: dict[str, Any], probe: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["probe"] == probe]


def test_demo_exits_0_and_writes_json(demo_run: tuple[subprocess.CompletedProcess[str], str]) -> None:
    proc, text = demo_run
    assert proc.returncode == 0, proc.stderr
    assert text.startswith("{")


def test_report_names_mode_target_and_all_touchpoints(report: dict[str, Any]) -> None:
    assert report["schema_version"] == "1"
    assert report["mode"] == "static"
    assert report["start_url"] == "/"
    assert BUILTIN_TOUCHPOINTS <= set(report["touchpoints"])
    assert all(tp["score"] is not None for tp in report["touchpoints"].values())
    assert report["cohesion"]["complete"] is True
    assert 50 < report["cohesion"]["score"] < 95, "a demo with planted problems is neither perfect nor broken"


def test_pages_are_the_link_reachable_pages(report: dict[str, Any]) -> None:
    assert report["crawl"]["pages"] == len(LINKED_PAGES)
    linked = sorted(p["url"] for p in report["pages"] if p["ok"] and p["found_via"] != "sitemap")
    assert linked == LINKED_PAGES
    assert report["crawl"]["truncated"] is None
    depths = {p["url"]: p["depth"] for p in report["pages"]}
    assert depths["/"] == 0
    assert all(depths[u] == 1 for u in LINKED_PAGES if u != "/")
    assert all(p["lang"] == "en" for p in report["pages"] if p["ok"])


def test_no_loopback_origin_in_the_report(demo_run: tuple[subprocess.CompletedProcess[str], str]) -> None:
    _proc, text = demo_run
    assert "127.0.0.1" not in text
    assert "localhost" not in text
    assert not re.search(r"https?://[^\"/]*:\d{2,5}", text), "an origin with a port leaked into the report"


def test_good_touchpoints_are_recognised(report: dict[str, Any]) -> None:
    tp = report["touchpoints"]
    clarity = tp["clarity"]["facts"]
    assert clarity["h1"] == "Every bike repair, tracked from drop-off to pick-up"
    assert clarity["cta"] == "Start your free trial"
    assert clarity["grade"] is not None and clarity["grade"] <= 9

    pricing = tp["pricing"]["facts"]
    assert pricing["status"] == "visible"
    assert (pricing["page"], pricing["depth"]) == ("/pricing.html", 1)
    seen = {(p["amount"], p["currency"], p["period"]) for p in pricing["prices"]}
    assert {(19.0, "USD", "month"), (190.0, "USD", "year"), (18.0, "EUR", "month"), (180.0, "EUR", "year")} <= seen
    assert all(p["amount"] != 4.2 for p in pricing["prices"]), "'$4.2 million' in prose is not a price"

    contact = tp["contact"]["facts"]
    assert (contact["page"], contact["depth"]) == ("/contact.html", 1)
    assert contact["methods"] == ["address", "email", "form", "phone"], "the newsletter form is not a contact form"
    assert "+15035550142" in contact["phones"]
    # The fictional company's 555-01xx numbers and .example mailboxes are accepted in its
    # bundled config; the template leftover on the about page is not.
    assert contact["accepted"] == ["(503) 555-0199", "+1 (503) 555-0142", "help@wrenchlog.example",
                                   "support@wrenchlog.example"]
    assert [(p["kind"], p["value"], p["pages"]) for p in contact["placeholders"]] == [
        ("email", "press@yourcompany.com", ["/about.html"])]

    assert tp["support"]["facts"]["faq_page"] == "/faq.html"
    assert "form" in tp["feedback"]["facts"]["channels"]
    assert tp["social"]["facts"]["profiles"] == [{"network": "mastodon", "url": "https://mastodon.social/@wrenchlog"}]
    policies = tp["policies"]["facts"]
    assert policies["terms"] == "/terms.html"
    assert policies["refund"] == "/terms.html" and policies["cancellation"] == "/terms.html"


def test_clean_probes_report_nothing(report: dict[str, Any]) -> None:
    noisy = {f["probe"]: f["title"] for f in report["findings"] if f["probe"] in CLEAN_PROBES}
    assert not noisy, f"findings on touchpoints the demo gets right: {noisy}"


@pytest.mark.parametrize(("probe", "title", "pages", "where"), [
    ("policies.dead_links", "Privacy link goes nowhere", 8, "/"),
    ("policies.found", "No privacy policy is published", 1, "/"),
    ("contact.agreement", "Shown email differs from its mailto link", 1, "/contact.html"),
    ("journey.broken_links", "Link leads to an error page (HTTP 404)", 1, "/about.html"),
    ("journey.reachability", "Page is not linked from the site", 1, "/spring-webinar.html"),
    ("social.dead_links", "Twitter link goes nowhere", 8, "/"),
    ("support.human_route", "Help page has no route to a person", 1, "/faq.html"),
    ("mobile.viewport", "Page has no mobile viewport meta tag", 1, "/changelog.html"),
    ("clarity.placeholder", "Template placeholder copy is shown", 1, "/about.html"),
    ("contact.everywhere", "Page has no contact link in its header, navigation or footer", 1, "/faq.html"),
    ("contact.methods", "Contact details are placeholders that reach nobody", 1, "/about.html"),
    ("contact.form_delivery", "A form still holds a template placeholder", 1, "/changelog.html"),
])
def test_planted_problem_is_found(report: dict[str, Any], probe: str, title: str, pages: int, where: str) -> None:
    matches = [f for f in findings_of(report, probe) if f["title"] == title]
    assert matches, f"{probe}: no finding titled {title!r}; got {[f['title'] for f in findings_of(report, probe)]}"
    f = matches[0]
    assert f["pages"] == pages
    assert where in {e["url"] for e in f["examples"]}


def test_conflicting_phone_numbers_and_mismatched_mailto_are_conflicts(report: dict[str, Any]) -> None:
    conflicts = {c["kind"]: c for c in report["touchpoints"]["consistency"]["facts"]["conflicts"]}
    assert conflicts["phone:general"]["values"] == ["(503) 555-0199", "+1 (503) 555-0142"]
    assert conflicts["email:link_mismatch"]["values"] == ["help@wrenchlog.example", "support@wrenchlog.example"]
    journey = report["touchpoints"]["journey"]["facts"]
    assert (journey["broken_links"], journey["unreachable_pages"]) == (1, 1)
    broken = [p for p in report["pages"] if p["url"] == "/careers.html"]
    assert broken and broken[0]["status"] == 404 and broken[0]["ok"] is False
    assert report["touchpoints"]["mobile"]["facts"]["viewport_meta"] == pytest.approx(8 / 9, abs=1e-3)


def test_demo_without_its_config_reports_its_fictional_details_as_placeholders(tmp_path: Path) -> None:
    """A config of the user's own replaces the demo's: nothing is accepted any more."""
    (tmp_path / "cxprobe.toml").write_text('render = "static"\n')
    proc = _cxprobe("demo", "--format", "json", "-o", "own.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    contact = json.loads((tmp_path / "own.json").read_text(encoding="utf-8"))["touchpoints"]["contact"]["facts"]
    assert contact["accepted"] == [] and contact["phones"] == [] and contact["emails"] == []
    assert contact["methods"] == ["address", "form"]
    assert {p["value"] for p in contact["placeholders"]} >= {"(503) 555-0199", "+1 (503) 555-0142",
                                                             "support@wrenchlog.example"}


def test_demo_in_default_mode_exits_0(tmp_path: Path) -> None:
    """The README command as typed: render auto picks the browser when one is found."""
    from cxprobe.browser import find_browser

    proc = _cxprobe("demo", "--format", "json", "-o", "auto.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "auto.json").read_text(encoding="utf-8"))
    assert report["mode"] == ("browser" if find_browser(os.environ.get("CXPROBE_BROWSER")) else "static")
    assert report["crawl"]["pages"] == len(LINKED_PAGES)
    if report["mode"] == "browser":
        # The menu toggle works and reveals pricing and contact; nothing overflows a phone;
        # only the page without a viewport meta (laid out 980 px wide) has tiny text.
        mobile = report["touchpoints"]["mobile"]["facts"]
        assert mobile["menu_opens"] is True
        assert {"contact", "pricing"} <= set(mobile["menu_links"])
        assert mobile["overflow_pages"] == 0
        small = [f for f in report["findings"] if f["probe"] == "mobile.font_size"]
        assert [e["url"] for f in small for e in f["examples"]] == ["/changelog.html"]


def test_demo_served_over_http_seeds_from_its_relative_sitemap(http_site: Any, tmp_path: Path) -> None:
    """Served as a live site, the webinar page is found through sitemap.xml's site-relative <loc>."""
    for path in DEMO.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".svg", ".xml", ".txt"):
            rel = "/" + path.relative_to(DEMO).as_posix()
            ctype = {".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml",
                     ".xml": "application/xml", ".txt": "text/plain"}[path.suffix]
            http_site.page(rel, path.read_bytes(), content_type=ctype)
            if rel == "/index.html":
                http_site.page("/", path.read_bytes())
    proc = _cxprobe("audit", http_site.url("/"), "--render", "static", "--format", "json", "-o", "r.json",
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["touchpoints"]["journey"]["facts"]["unreachable_pages"] == 1
    orphans = [p["url"] for p in report["pages"] if p["found_via"] == "sitemap"]
    assert orphans == [http_site.url("/spring-webinar.html")]
    assert report["crawl"]["pages"] == len(LINKED_PAGES)
