"""The JSON report holds to cxprobe/schema/report.schema.json (schema_version "1").

Real reports are validated: the bundled demo, a small site served over loopback, and
every corpus site in static mode. Broken reports must be rejected, so the schema can fail.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT.parent / "shared" / "corpus" / "labels.json"
BUILTIN_TOUCHPOINTS = ("clarity", "consistency", "contact", "feedback", "journey", "mobile", "policies",
                       "pricing", "social", "support")


def _schema() -> dict[str, Any]:
    return json.loads(files("cxprobe").joinpath("schema/report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid(validator: jsonschema.Draft202012Validator, report: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:10])


def _cxprobe(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CXPROBE_DEBUG"}
    return subprocess.run([sys.executable, "-m", "cxprobe", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    cwd = tmp_path_factory.mktemp("schema-demo")
    proc = _cxprobe("demo", "--render", "static", "--format", "json", "-o", "demo.json", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads((cwd / "demo.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the schema itself


def test_schema_is_draft_2020_12_and_ships_with_the_package() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert sorted(schema["properties"]["touchpoints"]["required"]) == list(BUILTIN_TOUCHPOINTS)


# --------------------------------------------------------------------------- real reports


def test_demo_report_is_valid(validator: jsonschema.Draft202012Validator, demo_report: dict[str, Any]) -> None:
    assert_valid(validator, demo_report)


def test_loopback_site_report_is_valid(validator: jsonschema.Draft202012Validator, http_site: Any, tmp_path: Path) -> None:
    nav = '<nav><a href="/">Home</a> <a href="/pricing.html">Pricing</a> <a href="/contact.html">Contact</a></nav>'
    foot = '<footer><a href="#">Privacy</a> <a href="/gone.html">Careers</a> <a href="/old-contact">Write to us</a></footer>'
    page = ('<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width">'
            '<title>{title} | Kettle &amp; Co</title></head><body><header>' + nav + '</header>'
            '<main>{main}</main>' + foot + '</body></html>')
    http_site.page("/", page.format(title="Home", main=(
        '<section><h1>Descaling for office coffee machines</h1><p>We service and descale the coffee machines '
        'in your office every month, so nobody has to.</p><a class="btn" href="/pricing.html">See prices</a></section>')))
    http_site.page("/pricing.html", page.format(title="Pricing", main=(
        '<h1>Pricing</h1><div class="plan"><h2>Small office</h2><p>$29 per month</p></div>'
        '<div class="plan"><h2>Large office</h2><p>$79 per month</p></div>')))
    http_site.page("/contact.html", page.format(title="Contact", main=(
        '<h1>Contact</h1><p>Email <a href="mailto:hello@kettle.example">hello@kettle.example</a></p>'
        '<form><label for="e">Email</label><input id="e" type="email" name="email">'
        '<label for="m">Message</label><textarea id="m" name="message"></textarea><button>Send</button></form>')))
    http_site.page("/hidden.html", page.format(title="Old offer", main="<h1>Winter offer</h1><p>It has ended.</p>"))
    http_site.redirect("/old-contact", "/contact.html", status=301)
    http_site.page("/sitemap.xml", f'<?xml version="1.0"?><urlset><url><loc>{http_site.url("/")}</loc></url>'
                                   f'<url><loc>{http_site.url("/hidden.html")}</loc></url></urlset>',
                   content_type="application/xml")
    proc = _cxprobe("audit", http_site.url("/"), "--render", "static", "--format", "json", "-o", "r.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert_valid(validator, report)
    # A live target keeps absolute URLs, and the sitemap-only page shows up as unreachable.
    assert report["start_url"] == http_site.url("/")
    journey = report["touchpoints"]["journey"]["facts"]
    assert (journey["broken_links"], journey["unreachable_pages"]) == (1, 1)
    assert report["touchpoints"]["pricing"]["facts"]["status"] == "visible"


def _corpus_sites() -> list[Any]:
    if not LABELS.is_file():
        return [pytest.param(None, "/", id="corpus-absent")]
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    return [pytest.param(s["site"], s["start"], id=s["site"]) for s in labels["sites"]]


@pytest.mark.corpus
@pytest.mark.parametrize(("site", "start"), _corpus_sites())
def test_corpus_site_report_is_valid(validator: jsonschema.Draft202012Validator, corpus: Path, tmp_path: Path,
                                     site: str, start: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process through the real CLI (one interpreter, so the suite stays fast).

    --max-pages 15 bounds the two larger sites; a truncated crawl is a valid report too.
    """
    from cxprobe.cli import main

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", str(corpus / site), "--start", start, "--render", "static", "--max-pages", "15",
              "--format", "json", "-o", str(out)])
    assert exit_info.value.code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(validator, report)
    assert "127.0.0.1" not in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- broken reports


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(report: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = report
        for key in parents:
            node = node[key]
        del node[last]
    return mutate


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(report: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = report
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return mutate


def _status_disagrees(report: dict[str, Any]) -> None:
    tp = report["touchpoints"]["contact"]
    tp["status"] = "poor" if tp["score"] >= 50 else "good"


def _six_examples(report: dict[str, Any]) -> None:
    f = report["findings"][0]
    f["examples"] = [{"url": "/", "selector": "", "snippet": str(i)} for i in range(6)]


BROKEN: list[Any] = [
    pytest.param(_drop("touchpoints.contact"), id="missing-touchpoint"),
    pytest.param(_drop("touchpoints.pricing.facts.status"), id="missing-required-fact"),
    pytest.param(_set("touchpoints.pricing.facts.status", "maybe"), id="bad-pricing-status"),
    pytest.param(_set("touchpoints.contact.status", "great"), id="bad-touchpoint-status"),
    pytest.param(_status_disagrees, id="touchpoint-status-disagrees-with-score"),
    pytest.param(_set("touchpoints.clarity.probes.0.status", "ok"), id="bad-probe-status"),
    pytest.param(_set("touchpoints.clarity.probes.0.score", 1.5), id="probe-score-above-1"),
    pytest.param(_set("touchpoints.contact.facts.methods", ["email", "fax"]), id="unknown-contact-method"),
    pytest.param(_set("touchpoints.mobile.facts.viewport_meta", 1.5), id="viewport-share-above-1"),
    pytest.param(_set("touchpoints.mobile.facts.menu_opens", "yes"), id="browser-fact-wrong-type"),
    pytest.param(_set("touchpoints.journey.facts.broken_links", -1), id="negative-count"),
    pytest.param(_set("cohesion.method", "cohesion-v1"), id="other-scoring-method"),
    pytest.param(_set("cohesion.score", 101), id="cohesion-above-100"),
    pytest.param(_set("mode", "headless"), id="bad-mode"),
    pytest.param(_set("schema_version", "2"), id="other-schema-version"),
    pytest.param(_set("findings.0.severity", "critical"), id="bad-severity"),
    pytest.param(_six_examples, id="more-than-five-examples"),
    pytest.param(_set("crawl.truncated", "max_bytes"), id="bad-truncation-reason"),
    pytest.param(_drop("crawl.not_fetched"), id="missing-crawl-counter"),
]


@pytest.mark.parametrize("mutate", BROKEN)
def test_schema_rejects_broken_report(validator: jsonschema.Draft202012Validator, demo_report: dict[str, Any],
                                      mutate: Callable[[dict[str, Any]], None]) -> None:
    report = copy.deepcopy(demo_report)
    mutate(report)
    assert not validator.is_valid(report)


def test_schema_accepts_what_plugins_may_add(validator: jsonschema.Draft202012Validator,
                                             demo_report: dict[str, Any]) -> None:
    report = copy.deepcopy(demo_report)
    report["touchpoints"]["accessibility"] = {"title": "Accessibility", "question": "Can everybody use it?",
                                              "score": 75.0, "weight": 1, "status": "needs_work",
                                              "probes": [{"id": "accessibility.alt_text", "status": "failed",
                                                          "score": 0.75, "findings": []}],
                                              "facts": {"images_without_alt": 3}}
    report["touchpoints"]["contact"]["facts"]["whatsapp"] = "+15035550142"
    report["touchpoints"]["mobile"]["facts"].update({"overflow_pages": 0, "small_text_share": 0.07,
                                                     "small_tap_targets": 0, "menu_opens": None, "menu_links": []})
    report["touchpoints"]["clarity"]["facts"]["seconds_to_understand"] = 6.5
    assert_valid(validator, report)
