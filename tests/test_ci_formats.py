"""The CI formats: JUnit XML, SARIF 2.1.0, the Markdown summary and GitHub workflow
annotations (cxprobe/reporters/junit.py, sarif.py, markdown.py, github.py).

Reports come from a real audit of the demo site. The keys other parts of the CI work add
(``source`` on examples, ``waived``, ``gates``, ``baseline``) are filled in here the way the
report contract describes them, so each reporter is tested with and without them. Every
format is parsed back: XML with ElementTree, SARIF against the official OASIS schema
(tests/data/sarif-schema-2.1.0.json), Markdown rendered to HTML with markdown-it.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from markdown_it import MarkdownIt

from cxprobe.reporters import github
from cxprobe.reporters.junit import JunitReporter
from cxprobe.reporters.markdown import MAX_TOP, MarkdownReporter
from cxprobe.reporters.sarif import SarifReporter

pytestmark = pytest.mark.usefixtures("quick_teardown")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-site"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
HOSTILE = ("</testcase><script>alert(1)</script>| `rm -rf /` **bold** [click](https://evil.example) @everyone #12\n"
           "second line\r\x00\x07\x1b[31m\x85\ud800\ufffe end")


# --------------------------------------------------------------------------- report builders
def _audit(target: str, out: Path, *args: str) -> dict[str, Any]:
    """The real CLI entry point, in this process; returns the JSON report."""
    from cxprobe.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["audit", target, "--render", "static", "--format", "json", "--output", str(out), *args])
    assert exited.value.code == 0
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real static audit of the demo site, target typed relative to the working directory."""
    out = tmp_path_factory.mktemp("demo") / "report.json"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        report = _audit("examples/demo-site", out)
    finally:
        os.chdir(cwd)
    assert report["target"] == "examples/demo-site" and report["findings"]
    return report


def _file_of(url: str) -> str:
    path = url.split("?", 1)[0].lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def without_sources(report: dict[str, Any]) -> dict[str, Any]:
    """A copy with no ``source`` on any example: a live site's report, or one written before
    source locations existed."""
    r = copy.deepcopy(report)
    for f in r["findings"]:
        for ex in f["examples"]:
            ex.pop("source", None)
    return r


def with_sources(report: dict[str, Any]) -> dict[str, Any]:
    """A copy whose examples carry ``source`` as a folder audit writes it (one with line null)."""
    r = copy.deepcopy(report)
    n = 0
    for f in r["findings"]:
        for ex in f["examples"]:
            n += 1
            line = None if n == 3 else 10 + n
            ex["source"] = {"file": _file_of(ex["url"]), "line": line, "column": None if line is None else 5}
    return r


def _failed_probe_with_one_finding(report: dict[str, Any]) -> tuple[str, dict[str, Any], str]:
    for tid, tp in sorted(report["touchpoints"].items()):
        for p in tp["probes"]:
            if p["status"] == "failed" and len(p["findings"]) == 1:
                return tid, p, p["findings"][0]
    raise AssertionError("the demo has no failed probe with exactly one finding")


def ci_report(report: dict[str, Any]) -> dict[str, Any]:
    """The demo report with every optional CI key: sources, a waiver, gates and a baseline."""
    r = with_sources(report)
    by_id = {f["id"]: f for f in r["findings"]}
    _, _, waived_id = _failed_probe_with_one_finding(r)
    by_id[waived_id]["waived"] = {"reason": "Privacy page ships next sprint", "until": "2099-01-01"}
    score = r["cohesion"]["score"]
    r["gates"] = {
        "passed": False,
        "checks": [
            {"name": "cohesion", "level": "error", "passed": True, "message": f"cohesion {score} >= 80"},
            {"name": "touchpoints.contact.min_score", "level": "error", "passed": False,
             "message": "contact scores 74.8, below 90"},
            {"name": "touchpoints.pricing.max_depth", "level": "warn", "passed": False,
             "message": "the pricing page is 3 clicks deep, more than 2"},
        ],
        "waivers": [
            {"finding": waived_id, "probe": None, "url": None, "reason": "Privacy page ships next sprint",
             "until": "2099-01-01", "expired": False, "matched": [waived_id]},
            {"finding": None, "probe": "social.dead_links", "url": None, "reason": "old icons",
             "until": "2020-01-01", "expired": True, "matched": []},
        ],
    }
    errors = [f for f in r["findings"] if f["severity"] == "error" and f["id"] != waived_id]
    warnings = [f for f in r["findings"] if f["severity"] == "warning" and f["id"] != waived_id]
    r["baseline"] = {
        "file": "baseline.json", "comparable": True, "mismatches": [],
        "cohesion": {"before": 82.5, "after": score, "delta": round(score - 82.5, 2)},
        "touchpoints": {tid: {"before": tp["score"], "after": tp["score"], "delta": 0.0}
                        for tid, tp in r["touchpoints"].items()},
        # A warning listed before an error: the summary still shows errors first.
        "new": [warnings[0]["id"], errors[0]["id"]],
        "fixed": [
            {"id": "0000000000aa", "probe": "policies.dead_links", "touchpoint": "policies", "severity": "warning",
             "title": "Terms link goes nowhere"},
            {"id": "0000000000bb", "probe": "journey.broken_links", "touchpoint": "journey", "severity": "error",
             "title": "Link leads to an error page (HTTP 500)"},
        ],
    }
    r["baseline"]["touchpoints"]["contact"]["delta"] = -2.5
    return r


def hostile_report(report: dict[str, Any]) -> dict[str, Any]:
    """The CI report with hostile site text in every place site text can reach."""
    r = ci_report(report)
    f = r["findings"][0]
    f["title"] = f["message"] = HOSTILE
    f["examples"][0]["url"] = "/" + HOSTILE
    f["examples"][0]["selector"] = f["examples"][0]["snippet"] = HOSTILE
    f["examples"][0]["source"]["file"] = "we|ird `name` <x>.html"
    r["gates"]["checks"][1]["message"] = HOSTILE
    r["gates"]["waivers"][1]["reason"] = HOSTILE
    r["baseline"]["fixed"][0]["title"] = HOSTILE
    r["baseline"]["new"].append(f["id"])
    waived = next(x for x in r["findings"] if "waived" in x)
    waived["waived"]["reason"] = HOSTILE
    tid, probe, _ = _failed_probe_with_one_finding(report)
    for p in r["touchpoints"][tid]["probes"]:
        if p["status"] == "not_applicable":
            p["reason"] = HOSTILE
    return r


# --------------------------------------------------------------------------- JUnit
def parse_junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def expected_counts(report: dict[str, Any], tp: dict[str, Any]) -> dict[str, int]:
    by_id = {f["id"]: f for f in report["findings"]}

    def fails(p: dict[str, Any]) -> bool:
        found = [by_id[i] for i in p["findings"]]
        return p["status"] == "failed" and (not found or any("waived" not in f for f in found))

    return {"tests": len(tp["probes"]), "failures": sum(fails(p) for p in tp["probes"]),
            "errors": sum(p["status"] == "error" for p in tp["probes"]),
            "skipped": sum(p["status"] == "not_applicable" for p in tp["probes"])}


@pytest.mark.parametrize("variant", ["plain", "ci"])
def test_junit_has_a_suite_per_touchpoint_and_a_case_per_probe_with_counts_that_match(demo_report, variant) -> None:
    report = demo_report if variant == "plain" else ci_report(demo_report)
    root = parse_junit(JunitReporter().render(report, None))
    assert root.tag == "testsuites" and root.get("name") == "cxprobe"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    touchpoints = sorted(report["touchpoints"])
    assert [s.get("name") for s in root.findall("testsuite")][: len(touchpoints)] == touchpoints
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for tid in touchpoints:
        tp, suite = report["touchpoints"][tid], suites[tid]
        want = expected_counts(report, tp)
        assert {k: int(suite.get(k)) for k in want} == want, tid
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == sorted(p["id"] for p in tp["probes"])
        assert {c.get("classname") for c in cases} == {f"cxprobe.{tid}"}
        assert len(suite.findall("testcase/failure")) == want["failures"]
        assert len(suite.findall("testcase/skipped")) == want["skipped"]
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["cxprobe.target"] == "examples/demo-site" and props["cxprobe.mode"] == "static"
        assert float(props["cxprobe.cohesion"]) == pytest.approx(report["cohesion"]["score"], abs=0.05)
        for k in totals:
            totals[k] += want[k]
    gates = suites.get("gates")
    if variant == "ci":
        assert gates is not None and int(gates.get("tests")) == 3 and int(gates.get("failures")) == 1
        for k, n in (("tests", 3), ("failures", 1)):
            totals[k] += n
    else:
        assert gates is None
    assert {k: int(root.get(k)) for k in totals} == totals
    assert totals["failures"] > 0 and totals["skipped"] > 0  # the demo has both


def test_junit_failures_carry_the_findings_and_their_worst_severity(demo_report) -> None:
    report = ci_report(demo_report)
    root = parse_junit(JunitReporter().render(report, None))
    by_id = {f["id"]: f for f in report["findings"]}
    rank = {"error": 0, "warning": 1, "info": 2}
    checked = 0
    for tid, tp in report["touchpoints"].items():
        for p in tp["probes"]:
            case = root.find(f"testsuite[@name='{tid}']/testcase[@name='{p['id']}']")
            failure = case.find("failure")
            open_ = [by_id[i] for i in p["findings"] if "waived" not in by_id[i]]
            if failure is None or not open_:
                continue
            checked += 1
            assert failure.get("type") == min((f["severity"] for f in open_), key=rank.__getitem__)
            for f in open_:
                assert f["title"] in failure.get("message") and f["id"] in failure.text
                if f["examples"]:
                    src = f["examples"][0]["source"]
                    place = f"examples/demo-site/{src['file']}" + (f":{src['line']}:5" if src["line"] else "")
                    assert f"at {place} ({f['examples'][0]['url']})" in failure.text
    assert checked >= 5


def test_junit_waived_findings_are_not_failures_and_are_listed_as_waived(demo_report) -> None:
    report = ci_report(demo_report)
    tid, probe, fid = _failed_probe_with_one_finding(report)
    case = parse_junit(JunitReporter().render(report, None)).find(
        f"testsuite[@name='{tid}']/testcase[@name='{probe['id']}']")
    assert case.find("failure") is None
    out = case.find("system-out").text
    assert out.startswith("waived (Privacy page ships next sprint, until 2099-01-01):") and fid in out
    # Without the waiver the same probe fails.
    plain = parse_junit(JunitReporter().render(demo_report, None))
    assert plain.find(f"testsuite[@name='{tid}']/testcase[@name='{probe['id']}']/failure") is not None


def test_junit_a_passed_probe_lists_its_remaining_warnings_in_system_out(demo_report) -> None:
    report = copy.deepcopy(demo_report)
    warning = next(f for f in report["findings"] if f["severity"] == "warning")
    info = next(f for f in report["findings"] if f["severity"] == "info")
    probe = next(p for tp in report["touchpoints"].values() for p in tp["probes"] if p["id"] == warning["probe"])
    probe["status"], probe["score"] = "passed", 0.95
    probe["findings"] = sorted({*probe["findings"], info["id"]})
    case = parse_junit(JunitReporter().render(report, None)).find(
        f"testsuite[@name='{warning['touchpoint']}']/testcase[@name='{probe['id']}']")
    assert case.find("failure") is None and case.find("error") is None
    out = case.find("system-out").text
    assert warning["title"] in out and info["title"] not in out


def test_junit_errored_probes_skipped_probes_and_an_incomplete_run(demo_report) -> None:
    report = copy.deepcopy(demo_report)
    tp = report["touchpoints"]["contact"]
    errored = tp["probes"][0]
    errored.update(status="error", score=None, reason="plugin 'acme' raised ValueError: boom")
    report["cohesion"].update(complete=False, errored=["contact"],
                              incomplete_because=["plugin 'acme' could not be loaded: ImportError"])
    root = parse_junit(JunitReporter().render(report, None))
    error = root.find(f"testsuite[@name='contact']/testcase[@name='{errored['id']}']/error")
    assert error.get("message") == "plugin 'acme' raised ValueError: boom"
    tid, na = next((tid, p) for tid, t in sorted(report["touchpoints"].items()) for p in t["probes"]
                   if p["status"] == "not_applicable")
    skipped = root.find(f"testsuite[@name='{tid}']/testcase[@name='{na['id']}']/skipped")
    assert skipped.get("message") == na["reason"]
    run = root.find("testsuite[@name='cxprobe']/testcase[@name='audit']/error")
    assert "could not be loaded" in run.get("message") and "probes errored in: contact" in run.text
    assert int(root.get("errors")) == 2


def test_junit_of_a_run_that_could_not_measure_is_an_error(run_cli, tmp_path: Path, http_site) -> None:
    http_site.page("/", "<h1>x</h1>", status=500)
    r = run_cli("audit", http_site.url("/"), "--render", "static", "--format", "junit", "-o", "report.xml")
    assert r.returncode == 3, r.stderr
    root = parse_junit((tmp_path / "report.xml").read_text(encoding="utf-8"))
    error = root.find("testsuite[@name='cxprobe']/testcase[@name='audit']/error")
    assert error.get("message").startswith("could not measure: ")
    assert root.get("errors") == "1" and root.get("failures") == "0"


def test_junit_gates_error_checks_fail_and_warn_checks_pass_with_output(demo_report) -> None:
    root = parse_junit(JunitReporter().render(ci_report(demo_report), None))
    cases = {c.get("name"): c for c in root.findall("testsuite[@name='gates']/testcase")}
    assert set(cases) == {"cohesion", "touchpoints.contact.min_score", "touchpoints.pricing.max_depth"}
    assert cases["touchpoints.contact.min_score"].find("failure").get("message") == "contact scores 74.8, below 90"
    warn = cases["touchpoints.pricing.max_depth"]
    assert warn.find("failure") is None and "warning (does not fail the run)" in warn.find("system-out").text
    assert cases["cohesion"].find("failure") is None


# --------------------------------------------------------------------------- SARIF
def sarif_of(report: dict[str, Any]) -> dict[str, Any]:
    log = json.loads(SarifReporter().render(report, None))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    # What GitHub code scanning requires beyond the schema.
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "cxprobe"
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    for res in run["results"]:
        assert res["ruleId"] in ids and rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["message"]["text"]
        assert 1 <= len(res["locations"]) <= 10
        for loc in res["locations"]:
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            assert uri and re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", uri), uri
    return log


def test_sarif_of_the_demo_is_valid_with_one_result_per_finding_and_one_rule_per_probe(demo_report) -> None:
    log = sarif_of(demo_report)
    run = log["runs"][0]
    assert run["tool"]["driver"]["version"] == demo_report["tool"]["version"]
    probes = {p["id"] for tp in demo_report["touchpoints"].values() for p in tp["probes"]}
    assert {f["probe"] for f in demo_report["findings"]} < probes
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(probes)
    contact = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "contact.methods")
    assert contact["fullDescription"]["text"] == "cxprobe probe contact.methods of the touchpoint Contact: How do I reach a human?"
    assert len(run["results"]) == len(demo_report["findings"])
    level = {"error": "error", "warning": "warning", "info": "note"}
    for res, f in zip(run["results"], demo_report["findings"], strict=True):
        assert res["ruleId"] == f["probe"] and res["level"] == level[f["severity"]]
        assert res["partialFingerprints"] == {"cxprobe/finding-id": f["id"]}
        assert res["message"]["text"].startswith(f["title"]) and f["message"] in res["message"]["text"]
        assert "suppressions" not in res
    touchpoint = {r["id"]: r["properties"]["touchpoint"] for r in run["tool"]["driver"]["rules"]}
    assert all(touchpoint[f["probe"]] == f["touchpoint"] for f in demo_report["findings"])
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_locations_name_files_from_the_working_directory_with_lines(demo_report) -> None:
    report = ci_report(demo_report)
    run = sarif_of(report)["runs"][0]
    seen_region = seen_lineless = False
    for res, f in zip(run["results"], report["findings"], strict=True):
        if not f["examples"]:
            # No example: the result sits on the audited folder.
            assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "examples/demo-site"
            continue
        assert len(res["locations"]) == len(f["examples"])
        for loc, ex in zip(res["locations"], f["examples"], strict=True):
            phys = loc["physicalLocation"]
            assert phys["artifactLocation"] == {"uri": f"examples/demo-site/{ex['source']['file']}",
                                                "uriBaseId": "%SRCROOT%"}
            assert loc["message"]["text"] == ex["url"]
            if ex["source"]["line"] is None:
                assert "region" not in phys
                seen_lineless = True
            else:
                assert phys["region"] == {"startLine": ex["source"]["line"], "startColumn": 5}
                seen_region = True
    assert seen_region and seen_lineless
    assert "%SRCROOT%" in run["originalUriBaseIds"]


@pytest.mark.parametrize(("target", "file", "expected"), [
    ("site", "contact.html", "site/contact.html"),
    ("./site/", "blog/index.html", "site/blog/index.html"),
    ("site/contact.html", "contact.html", "site/contact.html"),       # a file target: the file itself
    ("site/contact.html", "about.html", "site/about.html"),           # another page of its folder
    ("contact.html", "contact.html", "contact.html"),
    (".", "index.html", "index.html"),
    ("../elsewhere/out", "a b.html", "../elsewhere/out/a%20b.html"),  # percent-encoded as a URI
])
def test_sarif_paths_join_the_target_as_typed_with_the_source_file(demo_report, target, file, expected) -> None:
    report = with_sources(demo_report)
    report["target"] = target
    f = next(f for f in report["findings"] if f["examples"])
    f["examples"][0]["source"] = {"file": file, "line": 3, "column": None}
    res = sarif_of(report)["runs"][0]["results"][report["findings"].index(f)]
    phys = res["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == expected
    assert phys["region"] == {"startLine": 3}


def test_sarif_absolute_targets_are_relative_under_the_working_directory_else_file_uris(
        demo_report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = with_sources(demo_report)
    f = next(f for f in report["findings"] if f["examples"])
    f["examples"][0]["source"] = {"file": "contact.html", "line": 1, "column": 1}
    index = report["findings"].index(f)
    monkeypatch.chdir(tmp_path)
    report["target"] = str(tmp_path / "public")
    uri = sarif_of(report)["runs"][0]["results"][index]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "public/contact.html", "uriBaseId": "%SRCROOT%"}
    report["target"] = "/srv/www site"
    uri = sarif_of(report)["runs"][0]["results"][index]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "file:///srv/www%20site/contact.html"}


def test_sarif_of_a_live_site_locates_results_at_page_urls(run_cli, tmp_path: Path, http_site) -> None:
    http_site.page("/", '<html lang="en"><head><title>Acme</title></head><body><h1>Acme</h1>'
                        '<a href="/gone.html">Gone</a> <footer><a href="#">Privacy</a></footer></body></html>')
    r = run_cli("audit", http_site.url("/"), "--render", "static", "--format", "sarif", "-o", "-")
    assert r.returncode == 0, r.stderr
    run = json.loads(r.stdout)["runs"][0]
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(r.stdout))
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for res in run["results"] for loc in res["locations"]}
    assert uris and all(u.startswith(http_site.origin) for u in uris), uris
    assert http_site.url("/") in uris


def test_sarif_waived_findings_are_suppressed_with_the_reason(demo_report) -> None:
    report = ci_report(demo_report)
    run = sarif_of(report)["runs"][0]
    suppressed = [(res, f) for res, f in zip(run["results"], report["findings"], strict=True) if "suppressions" in res]
    assert [f["id"] for _, f in suppressed] == [f["id"] for f in report["findings"] if "waived" in f]
    res, _ = suppressed[0]
    assert res["suppressions"] == [{"kind": "external", "status": "accepted",
                                    "justification": "Privacy page ships next sprint",
                                    "properties": {"until": "2099-01-01"}}]


def test_sarif_of_a_run_that_could_not_measure_says_so(demo_report) -> None:
    report = copy.deepcopy(demo_report)
    report.update(error="could not reach https://example.invalid/", findings=[])
    run = sarif_of(report)["runs"][0]
    assert run["results"] == [] and len(run["tool"]["driver"]["rules"]) == sum(
        len(tp["probes"]) for tp in report["touchpoints"].values())
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "could not reach" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


# --------------------------------------------------------------------------- Markdown
def markdown_of(report: dict[str, Any]) -> str:
    return MarkdownReporter().render(report, None)


def tables(text: str) -> list[list[list[str]]]:
    """Every GFM table in ``text`` as rows of cells (split at unescaped pipes)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(re.split(r"(?<!\\)\|", line.strip())[1:-1])
        elif current:
            found.append(current)
            current = []
    return found


def html_of(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_with_a_baseline_puts_score_gates_and_new_and_fixed_findings_first(demo_report) -> None:
    report = ci_report(demo_report)
    text = markdown_of(report)
    lines = text.splitlines()
    delta = report["baseline"]["cohesion"]["delta"]
    assert lines[0] == f"## cxprobe: cohesion {report['cohesion']['score']:.1f} / 100 (↑ +{delta:.1f} vs baseline 82.5)"
    assert "✅ **Complete run.**" in lines
    assert "**Gates: ❌ failed** (1 of 3 checks failed at level error)" in lines
    order = [text.index(s) for s in ("**Gates:", "### New findings (2)", "### Fixed findings (2)",
                                     "### Touchpoints", "### Top findings", "### Waived findings (1)")]
    assert order == sorted(order)
    failed = [line for line in lines if line.startswith("- ❌ ") or line.startswith("- ⚠️ ")]
    assert failed[0].startswith("- ❌ `touchpoints.contact.min_score` (error)")
    assert failed[1].startswith("- ⚠️ `touchpoints.pricing.max_depth` (warn)")
    assert any(line.startswith("- ⏰ waiver for `social.dead_links` expired on 2020-01-01") for line in lines)
    new, fixed, touchpoints, top, waived = tables(text)
    assert [row[0].strip() for row in new[2:]] == ["❌ error", "⚠️ warning"]  # errors first
    assert [row[0].strip() for row in fixed[2:]] == ["✅ error", "✅ warning"]
    assert [c.strip() for c in touchpoints[0]] == ["touchpoint", "score", "change", "status"]
    contact = next(row for row in touchpoints if row[0].strip() == "contact")
    assert contact[2].strip() == "↓ -2.5" and contact[3].strip() == "🟡 needs work"
    assert len(top) - 2 == MAX_TOP and f"_…and {len(report['findings']) - 1 - MAX_TOP} more findings" in text
    first = report["findings"][0]
    src = first["examples"][0]["source"]
    assert top[2][3].strip() == f"examples/demo-site/{src['file']}:{src['line']}:5"
    assert [c.strip() for c in waived[2]] == [next(f["title"] for f in report["findings"] if "waived" in f),
                                              "Privacy page ships next sprint", "2099-01-01"]
    assert "not comparable" not in text


def test_markdown_warns_when_the_baseline_is_not_comparable(demo_report) -> None:
    report = ci_report(demo_report)
    report["baseline"].update(comparable=False, mismatches=["mode: static before, browser now",
                                                            "method: cohesion-v0 before, cohesion-v1 now"])
    text = markdown_of(report)
    line = next(line for line in text.splitlines() if "not comparable" in line)
    assert line.startswith("> ⚠️ **The baseline baseline.json is not comparable** with this run: mode: static")
    assert "cohesion-v0 before" in line
    assert text.index("not comparable") < text.index("### New findings")


def test_markdown_without_a_baseline_or_gates(demo_report) -> None:
    # A run given no gate says so; a report written before gates existed says nothing of them.
    assert demo_report["gates"] == {"passed": True, "checks": [], "waivers": []}
    text = markdown_of(without_sources(demo_report))
    assert "### New findings" not in text and "**Gates:** none set." in text and "### Waived" not in text
    older = {k: v for k, v in demo_report.items() if k != "gates"}
    assert "Gates" not in markdown_of(older)
    (touchpoints, top) = tables(text)
    assert [c.strip() for c in touchpoints[0]] == ["touchpoint", "score", "status"]
    assert len(touchpoints) - 2 == len(demo_report["touchpoints"])
    assert top[2][3].strip() == demo_report["findings"][0]["examples"][0]["url"]  # no source: the URL
    assert len(text) < 10_000


def test_markdown_of_an_incomplete_run_and_of_one_that_could_not_measure(demo_report) -> None:
    report = copy.deepcopy(demo_report)
    report["cohesion"].update(complete=False, incomplete_because=["plugin 'acme' could not be loaded"])
    assert "⚠️ **Incomplete run** (it cannot pass a gate): plugin 'acme' could not be loaded." in markdown_of(report)
    report["error"] = "could not reach https://example.invalid/"
    text = markdown_of(report)
    assert "❌ **Could not measure the site:** could not reach https://example.invalid/" in text
    assert "###" not in text


def test_markdown_caps_long_lists(demo_report) -> None:
    report = ci_report(demo_report)
    template = report["findings"][1]
    extra = [dict(copy.deepcopy(template), id=f"{i:012x}") for i in range(60)]
    report["findings"] += extra
    report["baseline"]["new"] += [f["id"] for f in extra]
    text = markdown_of(report)
    assert "### New findings (62)" in text and "_…and 42 more new findings in the full report._" in text
    assert len(text) < 20_000


# --------------------------------------------------------------------------- hostile site text
def test_hostile_site_text_gives_valid_xml_valid_sarif_and_an_unbroken_markdown_table(demo_report) -> None:
    report = hostile_report(demo_report)
    # JUnit: parses, and the text survives as text (illegal characters dropped).
    root = parse_junit(JunitReporter().render(report, None))
    failures = [f for f in root.iter("failure") if "<script>" in (f.get("message") or "")]
    assert failures and "</testcase><script>alert(1)</script>|" in failures[0].text
    assert not any(c in failures[0].text for c in "\x00\x07\x1b\ud800\ufffe")
    # SARIF: valid against the schema; no control character or lone surrogate left.
    log = sarif_of(report)
    text = json.dumps(log, ensure_ascii=False)
    assert "\\u0000" not in text and "\\u001b" not in text and "\ud800" not in text
    assert log["runs"][0]["results"][0]["message"]["text"].startswith("</testcase><script>")
    # Markdown: every table row has as many cells as its header, and nothing became markup.
    md = markdown_of(report)
    for table in tables(md):
        assert {len(row) for row in table} == {len(table[0])}, table
    html = html_of(md)
    assert "<script>" not in html and "</testcase>" not in html
    assert "<strong>bold</strong>" not in html and 'href="https://evil.example"' not in html
    assert "<code>rm" not in html
    assert "@everyone" not in md and "@\u200beveryone" in md and "#\u200b12" in md
    assert all(not line.startswith("</testcase>") for line in md.splitlines())
    # The rendered table keeps its cell count too.
    for table_html in re.findall(r"<table>.*?</table>", html, re.S):
        heads = len(re.findall(r"<th[ >]", table_html))
        for row in re.findall(r"<tr>(.*?)</tr>", table_html, re.S)[1:]:
            assert len(re.findall(r"<td[ >]", row)) == heads
    # Annotations: one line each, properties that split where the runner splits them.
    for line in github.annotations(report):
        assert "\n" not in line and "\r" not in line
        m = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        assert m, line
        keys = [prop.partition("=")[0] for prop in m.group(2).split(",")]
        assert keys in (["title"], ["file", "title"], ["file", "line", "title"], ["file", "line", "col", "title"])


# --------------------------------------------------------------------------- GitHub annotations
def test_annotations_land_on_files_and_lines_and_skip_waived_findings(demo_report) -> None:
    report = ci_report(demo_report)
    lines = github.annotations(report)
    open_ = [f for f in report["findings"] if "waived" not in f]
    assert len(lines) == len(open_)
    command = {"error": "::error ", "warning": "::warning ", "info": "::notice "}
    for line, f in zip(lines, open_, strict=True):
        assert line.startswith(command[f["severity"]])
        if f["examples"]:
            src = f["examples"][0]["source"]
            where = f"file=examples/demo-site/{src['file']}" + (f",line={src['line']},col=5" if src["line"] else "")
            assert line.startswith(command[f["severity"]] + where + ",title="), line
    first = report["findings"][0]
    assert first["pages"] > 1 and "waived" not in first
    assert lines[0].endswith("::" + " ".join(first["message"].split()).replace("%", "%25") + f" (on {first['pages']} pages)")


def test_annotations_without_source_name_the_url_and_escape_properties(demo_report) -> None:
    report = without_sources(demo_report)
    f = report["findings"][0]
    f["title"] = "Price: 100%, plus fees"
    f["message"] = "Line one\nline two, 50% off: now"
    f["examples"][0]["url"] = "https://shop.example/pricing"
    line = github.annotations(report)[0]
    assert line == ("::error title=Price%3A 100%25%2C plus fees::Line one line two, 50%25 off: now"
                    f" (on {f['pages']} pages) (https://shop.example/pricing)")


def test_annotations_are_capped_and_say_how_many_more(demo_report) -> None:
    report = copy.deepcopy(demo_report)
    report["findings"] = [dict(copy.deepcopy(report["findings"][0]), id=f"{i:012x}") for i in range(73)]
    lines = github.annotations(report)
    assert len(lines) == github.MAX_ANNOTATIONS
    assert lines[-1] == "::notice title=cxprobe::24 more findings are not annotated (GitHub shows 50 per job); see the report"


def test_write_annotations_only_under_github_actions_and_never_into_a_report_on_stdout(
        demo_report, monkeypatch: pytest.MonkeyPatch) -> None:
    class Config:
        output: str | None = None

    out, err = io.StringIO(), io.StringIO()
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert github.write_annotations(demo_report, Config(), out, err) == 0
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    n = github.write_annotations(demo_report, Config(), out, err)  # report on stdout: stderr
    assert n == len(demo_report["findings"]) and out.getvalue() == "" and len(err.getvalue().splitlines()) == n
    Config.output = "report.json"
    github.write_annotations(demo_report, Config(), out, err)  # report in a file: stdout, as documented
    assert len(out.getvalue().splitlines()) == n


# --------------------------------------------------------------------------- the real CLI
def _cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    e = {k: v for k, v in os.environ.items() if k not in ("CXPROBE_DEBUG", "GITHUB_ACTIONS")}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "cxprobe", "audit", "examples/demo-site", "--render", "static", *args],
                          cwd=cwd, env=e, capture_output=True, text=True, timeout=120)


def test_cli_writes_each_format_to_standard_output() -> None:
    junit = _cli("--format", "junit", "-o", "-")
    assert junit.returncode == 0, junit.stderr
    root = parse_junit(junit.stdout)
    assert int(root.get("tests")) > 40 and root.find("testsuite[@name='contact']") is not None
    sarif = _cli("--format", "sarif", "-o", "-")
    assert sarif.returncode == 0, sarif.stderr
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(sarif.stdout))
    markdown = _cli("--format", "markdown", "-o", "-")
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("## cxprobe: cohesion ") and "### Touchpoints" in markdown.stdout


def test_cli_writes_several_formats_to_a_folder(tmp_path: Path) -> None:
    r = _cli("--format", "junit", "--format", "sarif", "--format", "markdown", "--format", "json",
             "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.json", "report.md", "report.sarif",
                                                                    "report.xml"]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    root = parse_junit((tmp_path / "out" / "report.xml").read_text(encoding="utf-8"))
    assert int(root.get("tests")) == sum(len(tp["probes"]) for tp in report["touchpoints"].values())
    log = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == len(report["findings"])
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert md.startswith(f"## cxprobe: cohesion {report['cohesion']['score']:.1f} / 100")


def test_cli_under_github_actions_annotates_without_corrupting_a_report_on_stdout(tmp_path: Path) -> None:
    r = _cli("--format", "json", "-o", "-", env={"GITHUB_ACTIONS": "true"})
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)  # stdout is the report alone
    commands = [line for line in r.stderr.splitlines() if re.match(r"::(error|warning|notice) ", line)]
    assert len(commands) == len(report["findings"])
    assert commands[0].startswith("::error ") and "title=" in commands[0]
    # A report written to a file leaves stdout to the annotations, GitHub's documented channel.
    r = _cli("--format", "json", "-o", str(tmp_path / "r.json"), env={"GITHUB_ACTIONS": "true"})
    assert r.returncode == 0, r.stderr
    assert len([line for line in r.stdout.splitlines() if line.startswith("::")]) == len(report["findings"])
    assert not any(line.startswith("::") for line in r.stderr.splitlines())
    # Outside GitHub Actions: no workflow commands at all.
    r = _cli("--format", "json", "-o", str(tmp_path / "r.json"))
    assert "::" not in r.stdout and not any(line.startswith("::") for line in r.stderr.splitlines())


# --------------------------------------------------------------------------- a corpus folder, end to end
def test_a_corpus_folder_gives_junit_sarif_and_markdown_that_point_at_its_files_and_lines(
        tmp_path: Path, run_cli) -> None:
    """What a CI user runs on a build folder: the three formats at once, and SARIF results and
    workflow annotations that land on files of that folder, with lines."""
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent")
    site = corpus / "sb-modern-business"
    out = tmp_path / "out"
    r = run_cli("audit", str(site), "--render", "static", "--format", "junit", "--format", "sarif",
                "--format", "markdown", "--format", "json", "-o", str(out), "--quiet",
                env={"GITHUB_ACTIONS": "true"})
    assert r.returncode == 0, r.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    suites = ET.parse(out / "report.xml").getroot()
    assert {s.get("name") for s in suites.iter("testsuite")} >= set(report["touchpoints"])
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    located = []
    for result in sarif["runs"][0]["results"]:
        for loc in result["locations"]:
            phys = loc["physicalLocation"]
            uri = phys["artifactLocation"]["uri"]
            if "region" in phys:
                located.append((uri, phys["region"]["startLine"]))
    assert located, "no SARIF result has a line"
    for uri, line in located:
        path = Path(uri) if Path(uri).is_absolute() else tmp_path / uri
        path = path if path.exists() else Path(uri.removeprefix("file://"))
        assert path.is_file() and site in path.resolve().parents, uri
        assert 1 <= line <= len(path.read_text(encoding="utf-8", errors="replace").splitlines()), (uri, line)
    annotations = [ln for ln in r.stdout.splitlines() if ln.startswith(("::error", "::warning", "::notice"))]
    assert any(f"file={site}/" in a and ",line=" in a for a in annotations), annotations[:3]
    assert (out / "report.md").read_text(encoding="utf-8").startswith("## cxprobe: cohesion")
