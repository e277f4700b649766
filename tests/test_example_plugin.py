"""The plugin author kit: examples/cxprobe-example-plugin installed (without pip) and used.

The example is "installed" as pip would leave it: a dist-info folder with its entry
points, and its source folder on PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cxprobe-example-plugin"


@pytest.fixture
def installed(tmp_path: Path) -> dict[str, str]:
    """Environment in which the example plugin is an installed distribution."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = project["name"], project["version"]
    info = tmp_path / "libs" / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    eps = "".join(f"{k} = {v}\n" for k, v in project["entry-points"]["cxprobe"].items())
    (info / "entry_points.txt").write_text(f"[cxprobe]\n{eps}", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "libs"), str(EXAMPLE)])}
    env.pop("CXPROBE_DEBUG", None)
    env.pop("CXPROBE_TRACE", None)
    return env


def test_the_example_plugin_shows_up_in_an_audit(installed: dict[str, str], tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    logo = '<header><img src="/logo.png"></header>'
    (site / "index.html").write_text(f'<html lang="en"><title>Acme</title><body>{logo}<h1>Acme</h1>'
                                     '<img src="/hero.jpg" alt="Our shop"><a href="about.html">About</a></body></html>')
    (site / "about.html").write_text(f'<html lang="en"><title>About</title><body>{logo}<h1>About</h1></body></html>')
    log = tmp_path / "alt.jsonl"
    r = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(site), "--render", "static", "--format", "json",
                        "--alt-text-log", str(log)], env=installed, cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    tp = report["touchpoints"]["accessibility"]
    assert tp["facts"] == {"images": 3, "missing_alt": 2}
    [probe] = tp["probes"]
    assert probe["id"] == "accessibility.alt_text" and probe["status"] == "failed"
    assert probe["plugin"] == "cxprobe-example-plugin:alt_text"
    [finding] = [f for f in report["findings"] if f["probe"] == "accessibility.alt_text"]
    assert finding["pages"] == 2 and finding["id"] in probe["findings"]
    info = next(p for p in report["plugins"] if p["dist"] == "cxprobe-example-plugin")
    assert info["hooks"] == ["cxprobe_add_extractors", "cxprobe_add_options", "cxprobe_add_probes",
                             "cxprobe_add_touchpoints", "cxprobe_configure", "cxprobe_report_ready"]
    # its report hook ran, with the option it added
    [line] = [json.loads(x) for x in log.read_text().splitlines()]
    assert line["score"] == tp["score"] and line["missing_alt"] == 2


def test_the_example_plugins_own_tests_pass(installed: dict[str, str]) -> None:
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
                       env=installed, cwd=EXAMPLE, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "5 passed" in r.stdout
