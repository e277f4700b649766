"""The same site audited twice in static mode gives the same JSON report, apart from when
it ran and how long it took, with pages read in worker processes (issue 11)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_two_static_audits_of_one_site_give_the_same_report(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_site.py"), str(site), "--pages", "24"], check=True,
                   capture_output=True, timeout=60)
    reports = []
    for i in (1, 2):
        out = tmp_path / f"r{i}.json"
        proc = run_cli("audit", str(site), "--start", "/index.html", "--render", "static", "--max-pages", "30",
                       "--max-depth", "30", "--jobs", "2", "--format", "json", "-o", str(out), timeout=300)
        assert proc.returncode in (0, 1), proc.stderr
        report = json.loads(out.read_text())
        assert report["crawl"]["pages"] == 24
        for when in ("started_at", "duration_s"):
            report.pop(when)
        reports.append(report)
    assert reports[0] == reports[1]
