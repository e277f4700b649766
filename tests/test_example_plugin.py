"""The example plugin, examples/cxprobe-example-plugin, installed as a third party installs
it: ``pip install`` (not editable) into a fresh virtual environment beside cxprobe's own
wheel (the ``installed_venv`` fixture, built once per session). There, cxprobe lists it,
its probes run in an audit, and its own tests pass.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import Venv

DIST = "cxprobe-example-plugin"
PLUGIN = f"{DIST}:alt_text"


def test_cxprobe_plugins_lists_it_with_its_hooks(installed_venv: Venv) -> None:
    r = installed_venv.run("cxprobe", "plugins", "--json")
    assert r.returncode == 0, r.stderr
    [info] = [p for p in json.loads(r.stdout) if p["dist"] == DIST]
    assert info["builtin"] is False and info["error"] is None
    assert "cxprobe_add_extractors" in info["hooks"]
    assert info["hooks"] == ["cxprobe_add_extractors", "cxprobe_add_options", "cxprobe_add_probes",
                             "cxprobe_add_touchpoints", "cxprobe_configure", "cxprobe_report_ready"]
    # an extractor, a touchpoint of its own, a probe on it, a probe on a built-in touchpoint
    assert {"accessibility_images", "accessibility", "accessibility.alt_text", "clarity.logo_name"} <= set(info["registered"])


def test_cxprobe_probes_lists_its_probes(installed_venv: Venv) -> None:
    r = installed_venv.run("cxprobe", "probes")
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: line.split() for line in r.stdout.splitlines() if line.strip()}
    assert rows["accessibility.alt_text"][1] == "accessibility" and rows["accessibility.alt_text"][-1] == PLUGIN
    assert rows["clarity.logo_name"][1] == "clarity" and rows["clarity.logo_name"][-1] == PLUGIN
    assert rows["clarity.headline"][-1] == "cxprobe:clarity"  # beside the built-in probes of that touchpoint


@pytest.fixture(scope="module")
def audit(installed_venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """The JSON report of an audit of a two-page folder, and the --alt-text-log file."""
    site = tmp_path_factory.mktemp("site")
    logo = '<header><a class="logo" href="index.html"><img src="/logo.png"></a></header>'
    (site / "index.html").write_text(f'<html lang="en"><title>Acme</title><body>{logo}<h1>Acme</h1>'
                                     '<img src="/hero.jpg" alt="Our shop"><a href="about.html">About</a></body></html>')
    (site / "about.html").write_text(f'<html lang="en"><title>About</title><body>{logo}<h1>About</h1></body></html>')
    log = site.parent / "alt.jsonl"
    r = installed_venv.run("cxprobe", "audit", str(site), "--render", "static", "--format", "json",
                           "--alt-text-log", str(log))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout), log


def test_an_audit_has_its_touchpoint_and_its_probe_on_a_built_in_one(audit: tuple[dict, Path]) -> None:
    report, log = audit
    tp = report["touchpoints"]["accessibility"]
    assert tp["facts"] == {"images": 3, "missing_alt": 2}
    [probe] = tp["probes"]
    assert probe["id"] == "accessibility.alt_text" and probe["status"] == "failed"
    assert probe["plugin"] == PLUGIN
    [finding] = [f for f in report["findings"] if f["probe"] == "accessibility.alt_text"]
    assert finding["pages"] == 2 and finding["id"] in probe["findings"]
    # its probe on the built-in clarity touchpoint is scored with the clarity probes
    clarity = {p["id"]: p for p in report["touchpoints"]["clarity"]["probes"]}
    assert clarity["clarity.logo_name"]["status"] == "failed" and clarity["clarity.logo_name"]["plugin"] == PLUGIN
    assert "clarity.headline" in clarity
    [logo] = [f for f in report["findings"] if f["probe"] == "clarity.logo_name"]
    assert logo["pages"] == 2
    info = next(p for p in report["plugins"] if p["dist"] == DIST)
    assert "cxprobe_add_extractors" in info["hooks"]
    # its report hook ran, with the option it added
    [line] = [json.loads(x) for x in log.read_text().splitlines()]
    assert line["score"] == tp["score"] and line["missing_alt"] == 2


def test_the_example_plugins_own_tests_pass_where_it_is_installed(installed_venv: Venv) -> None:
    """Its tests, run by the venv's pytest from an empty folder: they import the installed
    package (not the source folder) and cxprobe.testing from the installed cxprobe."""
    tests = installed_venv.example / "tests"
    r = installed_venv.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests), timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    passed = re.search(r"(\d+) passed", r.stdout)
    assert passed and int(passed.group(1)) >= 9, r.stdout
