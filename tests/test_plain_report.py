"""Reports a site's owner reads: plain words in the terminal, and one root cause, one headline.

Every site here is a real folder of HTML audited by the real ``cxprobe`` command (static
mode); the terminal text and the JSON come from the same runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cxprobe.model import Cause, Evidence, Issue
from cxprobe.report import dedupe, group_causes
from cxprobe.reporters._shared import PROBE_STATUS_WORDS, STATUS_WORDS, plain_count
from cxprobe.reporters.markdown import MarkdownReporter
from cxprobe.scoring import cohesion

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-site"
#: An internal key of the "kind:subkind:" form (phone:general:, email:link_mismatch:).
KEY_PATTERN = re.compile(r"\b[a-z]+:[a-z_]+:")


def cxprobe(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CXPROBE_DEBUG"}
    proc = subprocess.run([sys.executable, "-m", "cxprobe", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def audit(target: Path, cwd: Path, *flags: str) -> tuple[str, dict[str, Any]]:
    """(terminal text, JSON report) of one run of ``cxprobe audit`` with both formats."""
    out = cwd / f"out-{len(list(cwd.glob('out-*')))}"
    cxprobe("audit", str(target), "--render", "static", "--format", "terminal", "--format", "json",
            "-o", str(out), *flags, cwd=cwd)
    return (out / "report.txt").read_text(encoding="utf-8"), json.loads((out / "report.json").read_text(encoding="utf-8"))


def flat(text: str) -> str:
    """The terminal text with its line wrapping undone (the report wraps at 100 columns)."""
    return " ".join(text.split())


def doc(title: str, body: str, nav: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} — Acme Plumbing</title>'
            f"</head><body><header><nav>{nav}</nav></header><main>{body}</main>"
            f'<footer><a href="contact.html">Contact</a></footer></body></html>')


NAV = '<a href="index.html">Home</a> <a href="prices.html">Prices</a> <a href="contact.html">Contact</a>'
HOME = ("<h1>Acme Plumbing fixes leaks in Springfield the same day</h1>"
        "<p>We repair pipes, boilers and drains for homes in Springfield. Book a visit and a plumber comes "
        'the same day.</p><a class="btn" href="prices.html">See our prices</a>')
PRICES = "<h1>Prices</h1><p>Call-out: $49 per visit. Boiler service: $89.</p>"


def write(root: Path, pages: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, html in pages.items():
        (root / name).write_text(html, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("plain")


# --------------------------------------------------------------------------- the demo site


@pytest.fixture(scope="module")
def demo_plain(work: Path) -> tuple[str, dict[str, Any]]:
    return audit(DEMO, work)


@pytest.fixture(scope="module")
def demo_verbose_all(work: Path) -> tuple[str, dict[str, Any]]:
    return audit(DEMO, work, "--verbose", "--all")


def test_the_demo_terminal_report_speaks_plain_words(demo_plain: tuple[str, dict[str, Any]]) -> None:
    text, report = demo_plain
    for internal in ("needs_work", "n.a.", "phone:general", "email:link_mismatch", "not_applicable", "unscored",
                     "passed/failed", "errors,"):
        assert internal not in text, internal
    assert not KEY_PATTERN.search(text), KEY_PATTERN.search(text)
    assert "needs work" in text and "does not apply" in text
    assert re.search(r"\b1 passed, \d+ failed\b", text)
    # Counts say what they count: the demo links one page that answers 404.
    assert report["crawl"]["errors"] == 1
    assert "9 pages checked, 1 page could not be fetched (HTTP 404)" in flat(text)


def test_without_verbose_no_selector_and_no_finding_id_is_shown(demo_plain: tuple[str, dict[str, Any]]) -> None:
    text, report = demo_plain
    selectors = {ex["selector"] for f in report["findings"] for ex in f["examples"]
                 if ex["selector"] and re.search(r"[.#\s]", ex["selector"])}
    assert selectors, "the demo's examples have selectors to hide"
    for sel in selectors:
        assert sel not in text, sel
    for f in report["findings"]:
        assert f["id"] not in text, f["id"]
    assert not re.search(r"\b[0-9a-f]{12}\b", text)
    # The page and the exact text stay.
    assert 'on /about.html: "<a href="#">Privacy</a>"' in text


def test_without_all_the_report_says_how_many_findings_are_left(demo_plain: tuple[str, dict[str, Any]]) -> None:
    text, report = demo_plain
    total = len(report["findings"])
    assert total > 10
    assert f"Findings: {total}, the most important first." in flat(text)
    shown = len(re.findall(r"^\[(?:error|warning|info)\] ", text, re.M))
    assert shown == 10
    assert f"and {total - 10} more findings — --all shows them" in flat(text)


def test_verbose_shows_ids_and_selectors(demo_verbose_all: tuple[str, dict[str, Any]]) -> None:
    text, report = demo_verbose_all
    assert "footer.site-footer a" in text
    assert f"(contact.methods, id {report['findings'][0]['id']})" in flat(text)


def test_all_shows_every_finding(demo_verbose_all: tuple[str, dict[str, Any]]) -> None:
    text, report = demo_verbose_all
    shown = re.findall(r", id ([0-9a-f]{12})\)", flat(text))
    assert sorted(shown) == sorted(f["id"] for f in report["findings"])
    assert len(shown) == len(report["findings"])
    assert "--all shows them" not in text


# --------------------------------------------------------------------------- one root cause


@pytest.fixture(scope="module")
def broken_contact(work: Path) -> Path:
    """Every page links Contact to contact.html, which does not exist."""
    return write(work / "broken-contact", {
        "index.html": doc("Home", HOME, NAV),
        "prices.html": doc("Prices", PRICES, NAV),
    })


@pytest.fixture(scope="module")
def broken_contact_run(broken_contact: Path, work: Path) -> tuple[str, dict[str, Any]]:
    return audit(broken_contact, work)


def test_a_broken_contact_link_is_one_cause_listing_both_probes(broken_contact_run: tuple[str, dict[str, Any]]) -> None:
    text, report = broken_contact_run
    by_probe: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        by_probe.setdefault(f["probe"], []).append(f)
    # Several probes see the missing page...
    dead_contact = [f for f in by_probe["contact.page"] if f["title"] == "Contact link goes nowhere"]
    broken = [f for f in by_probe["journey.broken_links"] if "/contact.html" in f["message"]]
    assert dead_contact and broken
    # ...and the report names one cause for them.
    assert len(report["causes"]) == 1
    cause = report["causes"][0]
    assert cause["title"] == "The link 'Contact' leads to a missing page (/contact.html)"
    assert cause["severity"] == "error"
    assert {"contact.page", "journey.broken_links"} <= set(cause["probes"])
    assert cause["touchpoints"] == ["contact", "journey"]
    members = {f["id"] for f in report["findings"] if f.get("cause") == cause["id"]}
    assert members == set(cause["findings"]) >= {dead_contact[0]["id"], broken[0]["id"]}
    # "No contact page" is the same missing page.
    assert any(f["title"] == "No contact page or section" and f.get("cause") == cause["id"] for f in report["findings"])
    # The terminal says it once, with the probes and touchpoints it affects, members folded under it.
    assert flat(text).count("leads to a missing page (/contact.html)") == 1
    assert "— affects contact and journey (contact.page, journey.broken_links)" in flat(text)
    assert "    • Contact link goes nowhere" in text and "    • Link leads to an error page (HTTP 404)" in text
    assert text.count("• ") == len(cause["findings"])
    # Findings count once each: a member has no headline of its own.
    assert not re.search(r"^\[error\] Contact link goes nowhere", text, re.M)


def test_grouping_leaves_every_score_as_the_probes_give_it(broken_contact_run: tuple[str, dict[str, Any]]) -> None:
    _text, report = broken_contact_run
    scores: dict[str, float | None] = {}
    weights: dict[str, float] = {}
    for tid, tp in report["touchpoints"].items():
        num = den = 0.0
        for p in tp["probes"]:
            if p["score"] is not None and p["weight"] > 0:
                num += p["weight"] * p["score"]
                den += p["weight"]
        scores[tid] = round(100 * num / den, 2) if den else None
        weights[tid] = tp["weight"]
        assert tp["score"] == scores[tid], tid
    assert report["cohesion"]["score"] == cohesion(scores, weights, []).score
    # Grouping removes nothing: every probe's findings are in the report.
    ids = {f["id"] for f in report["findings"]}
    for tp in report["touchpoints"].values():
        for p in tp["probes"]:
            assert set(p["findings"]) <= ids


def test_the_report_with_causes_holds_to_the_schema(broken_contact_run: tuple[str, dict[str, Any]]) -> None:
    _text, report = broken_contact_run
    schema = json.loads(files("cxprobe").joinpath("schema/report.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(report))
    lonely = json.loads(json.dumps(report))
    lonely["causes"][0]["findings"] = lonely["causes"][0]["findings"][:1]
    assert list(validator.iter_errors(lonely)), "a cause of one finding is no group"
    odd = json.loads(json.dumps(report))
    odd["findings"][0]["cause"] = "contact:page"
    assert list(validator.iter_errors(odd))


@pytest.fixture(scope="module")
def many_causes(work: Path) -> tuple[str, dict[str, Any]]:
    """Two missing pages linked from the navigation (Prices, Contact), two other broken
    links side by side on one page, a dead call to action, and an email shown with a link
    that writes to another address."""
    home = ('<h1>Acme Plumbing fixes leaks in Springfield the same day</h1><p>We repair pipes, boilers and '
            'drains for homes in Springfield. Book a visit and a plumber comes the same day.</p>'
            '<a class="btn btn-primary" href="#">Book a visit</a>'
            '<p>Write to <a href="mailto:help@acmeplumbing.co.uk">support@acmeplumbing.co.uk</a>.</p>'
            '<p><a href="careers.html">Careers</a> <a href="team.html">Our team</a> <a href="about.html">About</a></p>')
    about = ("<h1>About Acme Plumbing</h1><p>Family plumbers since 1990.</p>"
             '<p>Email <a href="mailto:help@acmeplumbing.co.uk">support@acmeplumbing.co.uk</a> or call 0161 496 0000.</p>')
    root = write(work / "many", {"index.html": doc("Home", home, NAV), "about.html": doc("About", about, NAV)})
    return audit(root, work)


def test_different_broken_links_stay_different_causes(many_causes: tuple[str, dict[str, Any]]) -> None:
    text, report = many_causes
    causes = {c["title"]: c for c in report["causes"]}
    contact = causes["The link 'Contact' leads to a missing page (/contact.html)"]
    prices = causes["The link 'Prices' leads to a missing page (/prices.html)"]
    assert contact["id"] != prices["id"]
    assert not set(contact["findings"]) & set(prices["findings"])
    by_id = {f["id"]: f for f in report["findings"]}
    for c in (contact, prices):
        target = "/contact.html" if c is contact else "/prices.html"
        for fid in c["findings"]:
            f = by_id[fid]
            hrefs = {m for ex in f["examples"] for m in re.findall(r'href="([^"]*)"', ex["snippet"])}
            assert not hrefs or hrefs == {target.lstrip("/")}, (f["title"], hrefs)
    # Careers and Our team: two broken links on one page, one finding each, no group.
    lonely = [f for f in report["findings"] if f["probe"] == "journey.broken_links"
              and any(p in f["message"] for p in ("/careers.html", "/team.html"))]
    assert len(lonely) == 2 and all("cause" not in f for f in lonely)
    assert flat(text).count("leads to a missing page") == 2


def test_a_dead_call_to_action_and_the_dead_link_are_one_cause(many_causes: tuple[str, dict[str, Any]]) -> None:
    _text, report = many_causes
    cause = next(c for c in report["causes"] if c["title"] == "The link 'Book a visit' goes nowhere")
    assert cause["probes"] == ["clarity.cta", "journey.dead_links"]


def test_a_shown_email_that_differs_from_its_link_is_one_cause(many_causes: tuple[str, dict[str, Any]]) -> None:
    text, report = many_causes
    cause = next(c for c in report["causes"] if "support@acmeplumbing.co.uk" in c["title"])
    assert cause["title"] == "The page shows support@acmeplumbing.co.uk, but its link writes to help@acmeplumbing.co.uk"
    assert cause["probes"] == ["consistency.contacts", "contact.agreement"]
    assert cause["touchpoints"] == ["consistency", "contact"]
    conflict = next(f for f in report["findings"] if f["probe"] == "consistency.contacts")
    assert not KEY_PATTERN.search(conflict["message"]) and "link_mismatch" not in conflict["message"]
    assert "link_mismatch" not in text and not KEY_PATTERN.search(text)


def test_causes_are_stable_and_sorted_like_findings(many_causes: tuple[str, dict[str, Any]], work: Path) -> None:
    _text, report = many_causes
    _again, second = audit(work / "many", work)
    assert second["causes"] == report["causes"]
    rank = {"error": 0, "warning": 1, "info": 2}
    keys = [rank[c["severity"]] for c in report["causes"]]
    assert keys == sorted(keys)
    order = [f["id"] for f in report["findings"]]
    for c in report["causes"]:
        assert c["findings"] == sorted(c["findings"], key=order.index)


# --------------------------------------------------------------------------- counts


def test_the_header_counts_in_words(work: Path) -> None:
    one = write(work / "one-page", {"index.html": doc("Home", HOME.replace("prices.html", "gone.html"), "")})
    text, report = audit(one, work)
    assert report["crawl"]["pages"] == 1 and report["crawl"]["errors"] == 2  # gone.html and contact.html
    assert "1 page checked, 2 pages could not be fetched (HTTP 404)," in flat(text)
    healthy = write(work / "healthy", {"index.html": doc("Home", HOME, NAV), "prices.html": doc("Prices", PRICES, NAV),
                                       "contact.html": doc("Contact", "<h1>Contact</h1><p>Call 0161 496 0000.</p>", NAV)})
    text, report = audit(healthy, work)
    assert report["crawl"]["errors"] == 0
    assert "3 pages checked, " in text and "could not be fetched" not in text


def test_plain_count_agrees_with_its_number() -> None:
    assert plain_count(1, "page") == "1 page"
    assert plain_count(0, "page") == "0 pages"
    assert plain_count(2, "page") == "2 pages"
    assert plain_count(3, "person", "people") == "3 people"
    assert plain_count(1, "person", "people") == "1 person"


def test_the_shared_words_cover_every_status() -> None:
    assert STATUS_WORDS == {"good": "good", "needs_work": "needs work", "poor": "poor", "unscored": "not checked"}
    assert PROBE_STATUS_WORDS == {"passed": "passed", "failed": "failed", "not_applicable": "does not apply",
                                  "error": "could not run"}


def test_the_markdown_report_uses_the_shared_words(demo_plain: tuple[str, dict[str, Any]]) -> None:
    _text, report = demo_plain
    report = json.loads(json.dumps(report))
    report["touchpoints"]["feedback"].update(score=None, status="unscored")
    md = MarkdownReporter().render(report, None)
    assert "| ⚪ not checked |" in md and "🟡 needs work" in md
    assert "unscored" not in md and "needs_work" not in md


# --------------------------------------------------------------------------- the rule itself


def _issue(kind: str, key: str, url: str, cause: Cause | None) -> Issue:
    return Issue(kind=kind, title=kind, message=kind, key=key, evidence=(Evidence(url=url),), cause=cause)


def test_a_finding_is_grouped_only_when_all_its_issues_name_one_cause() -> None:
    missing = Cause(key="missing-page:/contact.html", title="The link 'Contact' leads to a missing page (/contact.html)")

    def same(s: Any) -> Any:
        return s

    contact = dedupe("contact.page", "contact", [_issue("dead", "contact", "/a", missing),
                                                 _issue("dead", "contact", "/b", missing)], same)
    journey = dedupe("journey.broken_links", "journey", [_issue("broken", "/contact.html", "/a", missing)], same)
    # One issue with another cause, one with none: the finding as a whole has no single cause.
    mixed = dedupe("other.probe", "other", [_issue("x", "k", "/a", missing), _issue("x", "k", "/b", None)], same)
    split = dedupe("third.probe", "third", [_issue("y", "k", "/a", missing),
                                            _issue("y", "k", "/b", Cause("dead-link:contact", "t"))], same)
    of, causes = group_causes([*contact, *journey, *mixed, *split])
    assert len(causes) == 1
    assert causes[0]["findings"] == [contact[0].id, journey[0].id]
    assert causes[0]["probes"] == ["contact.page", "journey.broken_links"]
    assert of == {contact[0].id: causes[0]["id"], journey[0].id: causes[0]["id"]}
    # A cause named by one finding only is no group.
    of, causes = group_causes([*contact, *mixed])
    assert (of, causes) == ({}, [])
