"""The real-site corpus: every site audited in static mode, every label check, the tiers.

Skips only when ../shared/corpus is absent (and fails in CI, where it must exist).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

TOUCHPOINTS = {"clarity", "mobile", "contact", "pricing", "support", "policies", "social", "feedback",
               "journey", "consistency"}


def _sites() -> list[dict]:
    if not CORPUS.is_dir():
        return []
    return json.loads((CORPUS / "labels.json").read_text())["sites"]


@pytest.fixture(scope="module")
def corpus_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    if not CORPUS.is_dir():
        import os

        if os.environ.get("CI"):
            pytest.fail(f"CI=true but the corpus is missing at {CORPUS}")
        pytest.skip("../shared/corpus is not present")
    out_dir = tmp_path_factory.mktemp("corpus")
    reports = {}
    procs = []
    for s in _sites():
        path = out_dir / f"{s['site']}.json"
        cmd = [sys.executable, "-m", "cxprobe", "audit", str(CORPUS / s["site"]), "--start", s["start"],
               "--render", "static", "--format", "json", "--output", str(path)]
        procs.append((s["site"], path, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    for site, path, proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{site}: exit {proc.returncode}: {err}"
        assert "Traceback" not in err
        reports[site] = (path, json.loads(path.read_text()))
    return reports


@pytest.mark.corpus
@pytest.mark.parametrize("site", [s["site"] for s in _sites()] or ["(no corpus)"])
def test_report_is_complete(site: str, corpus_reports: dict[str, tuple[Path, dict]]) -> None:
    _path, r = corpus_reports[site]
    assert r["schema_version"] == "1"
    assert r["mode"] == "static"
    assert 0 <= r["cohesion"]["score"] <= 100
    assert r["cohesion"]["complete"] is True
    assert set(r["touchpoints"]) >= TOUCHPOINTS
    for tid in TOUCHPOINTS:
        tp = r["touchpoints"][tid]
        assert tp["probes"], tid
        assert tp["status"] in ("good", "needs_work", "poor", "unscored")
    assert r["crawl"]["pages"] >= 1
    assert "127.0.0.1" not in json.dumps(r)


@pytest.mark.corpus
@pytest.mark.parametrize("site", [s["site"] for s in _sites()] or ["(no corpus)"])
def test_label_checks(site: str, corpus_reports: dict[str, tuple[Path, dict]]) -> None:
    path, _r = corpus_reports[site]
    proc = subprocess.run([sys.executable, str(CORPUS / "check_labels.py"), str(CORPUS / "labels.json"), site, str(path)],
                          capture_output=True, text=True, timeout=60)
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    assert proc.returncode == 0 and not failed, "\n".join(failed)


@pytest.mark.corpus
def test_tiers_are_ordered(corpus_reports: dict[str, tuple[Path, dict]]) -> None:
    tiers = json.loads((CORPUS / "labels.json").read_text())["tiers"]
    score = {site: r["cohesion"]["score"] for site, (_p, r) in corpus_reports.items()}
    worst_good = min(score[s] for s in tiers["good"])
    best_poor = max(score[s] for s in tiers["poor"])
    assert worst_good > best_poor, {s: score[s] for s in tiers["good"] + tiers["poor"]}


@pytest.mark.corpus
def test_crawl_counts_every_reachable_page(corpus_reports: dict[str, tuple[Path, dict]]) -> None:
    # Folder sites whose every HTML file is linked from the start page's graph.
    expect = {"sb-modern-business": 9, "krusty": 4, "business-casual": 4, "pl-carwash": 1, "grilli": 1}
    for site, n in expect.items():
        assert corpus_reports[site][1]["crawl"]["pages"] == n, site
