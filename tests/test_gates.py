"""Gates, end to end: assertions, waivers, ``fail_on`` against a baseline, ``cxprobe diff``.

Real folders of HTML audited by the real ``cxprobe`` command; the reports it writes are
read back. The scenario the issue starts from: a change fixes the privacy link and breaks
the contact link; cohesion may rise, yet ``fail_on = ["new-error"]`` must fail the run.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from cxprobe.config import build_config, from_table
from cxprobe.errors import ConfigError, ExitCode
from cxprobe.gates import Gates, Waiver, compare, evaluate, mismatches

STATIC = ("--render", "static")

NAV = ('<nav><a href="/">Home</a> <a href="/pricing.html">Pricing</a> <a href="{contact}">Contact</a></nav>')
FOOT = '<footer><a href="{privacy}">Privacy</a> <a href="/terms.html">Terms</a> Call us: +44 20 7946 1234</footer>'


def page(title: str, body: str, contact: str, privacy: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} — Ardent Joinery</title></head>'
            f'<body><header>{NAV.format(contact=contact)}</header><main><h1>{title}</h1>{body}</main>'
            f'{FOOT.format(privacy=privacy)}</body></html>')


def write_site(root: Path, contact: str, privacy: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    bodies = {
        "index.html": ("Bespoke kitchens made in Leeds", "<p>Ardent Joinery designs and builds solid-wood kitchens "
                       "for homes in West Yorkshire. Book a free design visit and get a fixed quote in a week.</p>"),
        "pricing.html": ("Prices", "<p>Design visit: free. Kitchens from £9,500, fitted.</p>"),
        "contact.html": ("Contact us", "<p>Email hello@ardentjoinery.co.uk or call +44 20 7946 1234.</p>"
                         '<form action="/send" method="post"><input type="email" name="email">'
                         '<textarea name="message"></textarea><button>Send</button></form>'),
        "privacy.html": ("Privacy policy", "<p>We keep your email only to answer you and delete it after a year.</p>"),
        "terms.html": ("Terms", "<p>Refunds within 14 days of delivery; cancellation free until production starts.</p>"),
    }
    for name, (title, body) in bodies.items():
        (root / name).write_text(page(title, body, contact, privacy), encoding="utf-8")
    return root


def audit(run_cli, site: Path, out: Path, *args: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess[str], dict]:
    r = run_cli("audit", str(site), *STATIC, "--format", "json", "-o", str(out), *args, cwd=cwd)
    assert "Traceback" not in r.stderr, r.stderr
    return r, json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}


@pytest.fixture
def before_after(tmp_path: Path, run_cli) -> tuple[Path, dict, Path]:
    """A baseline report of the site with a dead privacy link, and the fixed-but-broken site."""
    before = write_site(tmp_path / "v1", contact="/contact.html", privacy="#")
    after = write_site(tmp_path / "v2", contact="/kontakt.html", privacy="/privacy.html")
    base_json = tmp_path / "base.json"
    r, report = audit(run_cli, before, base_json)
    assert r.returncode == 0, r.stderr
    # The two folders are the same site: what the report compares is the target as typed,
    # so the second version is built where the first was.
    return base_json, report, after


def test_new_error_fails_although_cohesion_rose(tmp_path: Path, run_cli, before_after) -> None:
    base_json, base, after = before_after
    site = tmp_path / "site"
    (tmp_path / "v1").rename(site)
    # The baseline was written for v1's path; audit the new version at the same path.
    base["target"] = str(site)
    base_json.write_text(json.dumps(base), encoding="utf-8")
    import shutil
    shutil.rmtree(site)
    after.rename(site)
    r, report = audit(run_cli, site, tmp_path / "new.json", "--baseline", str(base_json), "--fail-on", "new-error",
                      "--fail-under", "10")
    assert r.returncode == ExitCode.ASSERTION_FAILED, r.stderr
    b = report["baseline"]
    assert b["comparable"], b["mismatches"]
    new = {f["id"]: f for f in report["findings"] if f["id"] in b["new"]}
    assert any(f["severity"] == "error" and f["probe"] == "journey.broken_links" for f in new.values()), new
    assert any(f["probe"] == "policies.dead_links" for f in b["fixed"]), b["fixed"]
    check = next(c for c in report["gates"]["checks"] if c["name"] == "fail_on.new-error")
    assert not check["passed"] and "new error finding" in check["message"]
    assert next(c for c in report["gates"]["checks"] if c["name"] == "fail_under")["passed"]
    assert "cxprobe: gate failed: fail_on.new-error" in r.stderr
    # The fixed privacy link is worth more than the broken contact link costs: the score rose,
    # which is exactly why a score gate alone misses the regression.
    assert b["cohesion"]["delta"] is not None and b["cohesion"]["delta"] > 0, b["cohesion"]

    # Waiving the new finding lets the run pass, and the report says so.
    fids = sorted(f["id"] for f in new.values() if f["severity"] == "error")
    (tmp_path / "cxprobe.toml").write_text("".join(
        f'[[ignore]]\nfinding = "{fid}"\nreason = "kontakt page ships tomorrow"\nuntil = 2099-01-01\n' for fid in fids),
        encoding="utf-8")
    r2, report2 = audit(run_cli, site, tmp_path / "new2.json", "--baseline", str(base_json), "--fail-on", "new-error",
                        cwd=tmp_path)
    assert r2.returncode == 0, r2.stderr
    for fid in fids:
        waived = next(f for f in report2["findings"] if f["id"] == fid)
        assert waived["waived"] == {"reason": "kontakt page ships tomorrow", "until": "2099-01-01"}
    assert sorted(m for w in report2["gates"]["waivers"] for m in w["matched"]) == fids


def test_error_assertion_exits_1_and_warn_assertion_exits_0(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path / "site", contact="/contact.html", privacy="/privacy.html")
    (tmp_path / "cxprobe.toml").write_text(
        '[assert.contact]\nmax_depth = 0\nlevel = "warn"\n'
        '[assert.pricing]\nfacts = { status = "visible" }\nmin_score = 50\n', encoding="utf-8")
    r, report = audit(run_cli, site, tmp_path / "r.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    checks = {c["name"]: c for c in report["gates"]["checks"]}
    assert checks["assert.contact.max_depth"]["passed"] is False
    assert checks["assert.contact.max_depth"]["level"] == "warn"
    assert "1 click from the start page; max_depth 0" in checks["assert.contact.max_depth"]["message"]
    assert checks["assert.pricing.facts.status"]["passed"], checks
    assert "cxprobe: warning: assert.contact.max_depth" in r.stderr
    assert report["gates"]["passed"] is True

    (tmp_path / "cxprobe.toml").write_text('[assert.contact]\nmax_depth = 0\n', encoding="utf-8")
    r, report = audit(run_cli, site, tmp_path / "r.json", cwd=tmp_path)
    assert r.returncode == ExitCode.ASSERTION_FAILED, r.stderr
    assert report["gates"]["passed"] is False
    assert "cxprobe: gate failed: assert.contact.max_depth" in r.stderr


@pytest.mark.parametrize(("toml", "needle"), [
    ('[assert.contakt]\nmin_score = 80\n', "no touchpoint or probe 'contakt'"),
    ('[assert.contact]\nmin_scor = 80\n', "unknown key(s) min_scor"),
    ('[assert.contact]\nmin_score = 180\n', "min_score must be between 0 and 100"),
    ('[assert.clarity]\nmax_depth = 1\n', "touchpoint clarity has no page depth"),
    ('[assert.pricing]\nfacts = { staus = "visible" }\n', "has no fact 'staus'"),
    ('[assert.contact]\nlevel = "error"\n', "asserts nothing"),
    ('[[ignore]]\nfinding = "abc"\n', "has no reason"),
    ('[[ignore]]\nreason = "x"\n', "names no finding"),
    ('[[ignore]]\nprobe = "social.dead_link"\nreason = "x"\n', "no touchpoint or probe 'social.dead_link'"),
    ('[[ignore]]\nurl = "/old/*"\nreason = "x"\nuntil = "soon"\n', "must be a date"),
    ('fail_on = ["new-errors"]\n', "fail_on 'new-errors' must be one of"),
])
def test_misspelt_gates_are_config_errors(tmp_path: Path, run_cli, toml: str, needle: str) -> None:
    site = write_site(tmp_path / "site", contact="/contact.html", privacy="/privacy.html")
    (tmp_path / "cxprobe.toml").write_text(toml, encoding="utf-8")
    r = run_cli("audit", str(site), *STATIC, cwd=tmp_path)
    assert r.returncode == ExitCode.USAGE_ERROR, r.stderr
    assert "Traceback" not in r.stderr
    assert needle in r.stderr, r.stderr


def test_a_bad_baseline_is_exit_2_before_the_crawl(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path / "site", contact="/contact.html", privacy="/privacy.html")
    (tmp_path / "old.json").write_text("not json", encoding="utf-8")
    for path, needle in ((tmp_path / "old.json", "not a cxprobe JSON report"), (tmp_path / "none.json", "no such file")):
        r = run_cli("audit", str(site), *STATIC, "--baseline", str(path))
        assert r.returncode == ExitCode.USAGE_ERROR and needle in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1, r.stderr


def test_a_baseline_of_another_mode_is_flagged_and_fails_its_gates(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path / "site", contact="/contact.html", privacy="/privacy.html")
    r, report = audit(run_cli, site, tmp_path / "a.json")
    report["mode"] = "browser"
    (tmp_path / "a.json").write_text(json.dumps(report), encoding="utf-8")
    r, now = audit(run_cli, site, tmp_path / "b.json", "--baseline", str(tmp_path / "a.json"),
                   "--fail-on-regression", "5")
    assert r.returncode == ExitCode.ASSERTION_FAILED
    assert now["baseline"]["comparable"] is False
    assert now["baseline"]["mismatches"] == ["render mode: browser → static"]
    assert "cannot be compared" in r.stderr

    # cxprobe diff says so too, and fails a gate resting on the comparison.
    d = run_cli("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--fail-on", "new-error")
    assert d.returncode == ExitCode.ASSERTION_FAILED, d.stderr
    assert "NOT COMPARABLE: render mode: browser → static" in d.stdout


def test_diff_of_two_runs(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path / "site", contact="/contact.html", privacy="#")
    audit(run_cli, site, tmp_path / "a.json")
    (site / "index.html").write_text((site / "index.html").read_text().replace('href="/pricing.html"', 'href="/prices.html"'))
    audit(run_cli, site, tmp_path / "b.json")
    d = run_cli("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert d.returncode == 0, d.stderr
    assert "New findings: 3" in d.stdout and "Fixed findings: 0" in d.stdout, d.stdout
    assert "+ [error] Link leads to an error page (HTTP 404)  (journey.broken_links" in d.stdout
    j = run_cli("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json", "--fail-on", "new-error")
    assert j.returncode == ExitCode.ASSERTION_FAILED
    data = json.loads(j.stdout)
    assert data["comparable"] and len(data["new"]) == 3 and data["gates"]["passed"] is False
    assert "2 new error findings" in data["gates"]["checks"][-1]["message"]
    same = run_cli("diff", str(tmp_path / "b.json"), str(tmp_path / "b.json"), "--fail-on-regression", "0")
    assert same.returncode == 0 and "New findings: 0" in same.stdout


def test_finding_ids_survive_unrelated_edits(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path / "site", contact="/contact.html", privacy="#")
    _, a = audit(run_cli, site, tmp_path / "a.json")
    for p in site.glob("*.html"):
        html = p.read_text().replace("<main>", '<main><p class="promo">Spring offer: <b>10% off</b> fitted '
                                     "kitchens booked before May.</p>").replace("<footer>", "<footer>\n\n  ")
        p.write_text(html)
    _, b = audit(run_cli, site, tmp_path / "b.json")
    base = compare(a, b)
    assert base["new"] == [] and base["fixed"] == [], base


# --------------------------------------------------------------------------- units of the rules

def _report(**over: object) -> dict:
    r = {"target": "site", "mode": "static", "profile": "general",
         "cohesion": {"score": 80.0, "method": "cohesion-v1", "complete": True, "incomplete_because": [], "errored": []},
         "touchpoints": {"contact": {"score": 70.0, "facts": {"depth": 2, "page": "/c.html"},
                                     "probes": [{"id": "contact.methods", "status": "failed", "score": 0.5}]}},
         "findings": [{"id": "a" * 12, "probe": "contact.methods", "touchpoint": "contact", "severity": "error",
                       "title": "T", "examples": [{"url": "/old/x.html"}, {"url": "/old/y.html"}]},
                      {"id": "b" * 12, "probe": "journey.broken_links", "touchpoint": "journey", "severity": "warning",
                       "title": "U", "examples": [{"url": "/old/x.html"}, {"url": "/new.html"}]}],
         "plugins": [{"name": "contact", "version": "1", "error": None}]}
    r.update(over)
    return r


def test_an_incomplete_run_never_passes_an_error_gate() -> None:
    r = _report()
    r["cohesion"].update(complete=False, incomplete_because=["plugin x could not be loaded"])
    g = evaluate(r, Gates(fail_under=10))
    assert not g["passed"] and g["checks"][0]["name"] == "complete"
    assert "plugin x could not be loaded" in g["checks"][0]["message"]
    # Only warn-level gates: reported, never failing.
    from cxprobe.gates import Assertion
    g = evaluate(_report(cohesion={**r["cohesion"]}), Gates(assertions={"contact": Assertion("contact", "warn", 90)}))
    assert g["passed"] and [c["name"] for c in g["checks"]] == ["assert.contact.min_score"]


def test_url_waivers_need_every_example_page_to_match() -> None:
    r = _report()
    g = evaluate(r, Gates(fail_on=("error", "warning"), waivers=(Waiver(reason="legacy", url="/old/*"),)))
    assert g["waivers"][0]["matched"] == ["a" * 12]
    assert "waived" in r["findings"][0] and "waived" not in r["findings"][1]
    checks = {c["name"]: c for c in g["checks"]}
    assert checks["fail_on.error"]["passed"] and not checks["fail_on.warning"]["passed"]


def test_an_expired_waiver_no_longer_applies_and_is_reported() -> None:
    r = _report()
    w = Waiver(reason="until the redesign", probe="contact", until=dt.date(2026, 1, 31))
    g = evaluate(r, Gates(fail_on=("error",), waivers=(w,)), today=dt.date(2026, 2, 1))
    assert not g["passed"] and g["waivers"][0]["expired"] and g["waivers"][0]["matched"] == []
    assert g["checks"][-1]["name"] == "ignore.contact" and g["checks"][-1]["level"] == "warn"
    r = _report()
    g = evaluate(r, Gates(fail_on=("error",), waivers=(w,)), today=dt.date(2026, 1, 31))
    assert g["passed"] and g["waivers"][0]["matched"] == ["a" * 12]


def test_probe_min_score_reads_the_probe_on_the_0_100_scale() -> None:
    from cxprobe.gates import Assertion
    g = evaluate(_report(), Gates(assertions={"contact.methods": Assertion("contact.methods", min_score=60)}))
    assert not g["passed"] and "scored 50, below min_score 60" in g["checks"][1]["message"]


def test_plugin_versions_make_reports_incomparable() -> None:
    a, b = _report(), _report(plugins=[{"name": "contact", "version": "2", "error": None}])
    assert mismatches(a, b) == ["plugins: only before: contact==1; only now: contact==2"]


def test_gates_in_a_config_file_are_read_and_checked() -> None:
    values = from_table({"fail_on": ["new-error"], "assert": {"contact": {"max_depth": 1}},
                         "ignore": [{"url": "/old/*", "reason": "legacy", "until": dt.date(2027, 1, 1)}]}, "cxprobe.toml")
    config = build_config("site", values, {})
    gates = config.gates()
    assert gates.fail_on == ("new-error",) and gates.assertions["contact"].max_depth == 1
    assert gates.waivers[0].until == dt.date(2027, 1, 1)
    with pytest.raises(ConfigError, match="array of tables"):
        from_table({"ignore": {"url": "x"}}, "cxprobe.toml")


def test_with_history_and_no_baseline_new_findings_are_those_since_the_last_run(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path / "site", contact="/contact.html", privacy="/privacy.html")
    db = tmp_path / "runs.db"
    r, first = audit(run_cli, site, tmp_path / "a.json", "--history", str(db), "--fail-on", "new-error",
                     "--fail-on-regression", "3")
    assert r.returncode == 0, r.stderr
    assert "baseline" not in first
    checks = {c["name"]: c for c in first["gates"]["checks"]}
    assert checks["fail_on.new-error"]["passed"] and "nothing to compare with yet" in checks["fail_on.new-error"]["message"]
    assert checks["fail_on_regression"]["passed"]
    (site / "index.html").write_text((site / "index.html").read_text().replace('href="/pricing.html"', 'href="/prices.html"'))
    r, second = audit(run_cli, site, tmp_path / "b.json", "--history", str(db), "--fail-on", "new-error")
    assert r.returncode == ExitCode.ASSERTION_FAILED, r.stderr
    b = second["baseline"]
    assert b["comparable"] and b["file"].startswith(f"{db} (run 1, ")
    assert b["cohesion"]["before"] == first["cohesion"]["score"]
    assert {second_f["probe"] for second_f in second["findings"] if second_f["id"] in b["new"]} >= {"journey.broken_links"}
    # The failing run is recorded too: the next run compares with it, and finds nothing new.
    r, third = audit(run_cli, site, tmp_path / "c.json", "--history", str(db), "--fail-on", "new-error")
    assert r.returncode == 0, r.stderr
    assert third["baseline"]["new"] == [] and third["baseline"]["file"].startswith(f"{db} (run 2, ")
