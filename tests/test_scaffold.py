"""``cxprobe new-plugin``: the package it writes is installable and passes its own tests.

One virtual environment for the module: cxprobe from this checkout (not editable, as a
user installs it) and the generated package, installed with pip; then the generated tests
run in it with pytest, and the real ``cxprobe`` of that environment lists the plugin and
audits a folder with its touchpoint.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., subprocess.CompletedProcess[str]]


def test_an_invalid_name_is_one_line_and_exit_2(run_cli: Run, tmp_path: Path) -> None:
    for name in ("Trust", "9lives", "trust--signals", "trust signals", "trust_", "a" * 41):
        r = run_cli("new-plugin", name)
        assert r.returncode == 2, (name, r.stderr)
        assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"cxprobe: error: invalid plugin name {name!r}")
    assert list(tmp_path.iterdir()) == []


def test_a_name_an_installed_plugin_uses_is_refused(run_cli: Run, tmp_path: Path) -> None:
    for name in ("contact", "prices", "clarity"):
        r = run_cli("new-plugin", name)
        assert r.returncode == 2 and f"the name {name!r} is taken" in r.stderr, r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_empty_is_never_written(run_cli: Run, tmp_path: Path) -> None:
    full = tmp_path / "mine"
    full.mkdir()
    (full / "notes.txt").write_text("keep me", encoding="utf-8")
    r = run_cli("new-plugin", "trust", "--dir", str(full))
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "exists and is not an empty folder" in r.stderr
    assert [p.name for p in full.iterdir()] == ["notes.txt"]
    # the default folder too
    (tmp_path / "cxprobe-trust").mkdir()
    (tmp_path / "cxprobe-trust" / "x").write_text("", encoding="utf-8")
    assert run_cli("new-plugin", "trust").returncode == 2
    # an empty folder is fine; a leading "cxprobe-" is the same name
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("new-plugin", "cxprobe-trust", "--dir", str(empty))
    assert r.returncode == 0, r.stderr
    assert sorted(str(p.relative_to(empty)) for p in empty.rglob("*") if p.is_file()) == [
        ".gitignore", "README.md", "cxprobe_trust/__init__.py", "pyproject.toml", "tests/test_trust.py"]
    assert 'trust = "cxprobe_trust"' in (empty / "pyproject.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fresh venv with cxprobe (from this checkout) and a package `cxprobe new-plugin` wrote."""
    base = tmp_path_factory.mktemp("scaffold")
    package = base / "cxprobe-trust-signals"
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "CXPROBE_DEBUG", "CXPROBE_TRACE", "PYTEST_ADDOPTS")}
    r = subprocess.run([sys.executable, "-m", "cxprobe", "new-plugin", "trust-signals", "--dir", str(package)],
                       capture_output=True, text=True, timeout=120, cwd=base, env=env)
    assert r.returncode == 0, r.stderr
    # pip builds a source folder in place (build/, *.egg-info): build a copy, never the checkout.
    source = base / "cxprobe-source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests", "bench", "docs"))
    home = base / "venv"
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    for args in ([str(source)], ["pytest>=7.4", str(package)]):
        r = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
                           capture_output=True, text=True, timeout=600, env=env, cwd=base)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return {"python": python, "bin": home / "bin", "package": package, "base": base, "env": env}  # type: ignore[dict-item]


def test_the_generated_package_passes_its_own_tests(plugin_env: dict[str, Any]) -> None:
    r = subprocess.run([str(plugin_env["python"]), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"],
                       capture_output=True, text=True, timeout=300, cwd=plugin_env["package"], env=plugin_env["env"])
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    summary = r.stdout.strip().splitlines()[-1]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|skipped|error)", summary)}
    # seven tests; the browser one may be skipped where no Chromium is found
    assert counts.get("passed", 0) + counts.get("skipped", 0) == 7 and counts.get("passed", 0) >= 6, summary


def test_the_installed_plugin_is_listed_and_audited(plugin_env: dict[str, Any]) -> None:
    cxprobe = str(plugin_env["bin"] / "cxprobe")
    r = subprocess.run([cxprobe, "plugins", "--json"], capture_output=True, text=True, timeout=120,
                       env=plugin_env["env"], cwd=plugin_env["base"])
    assert r.returncode == 0, r.stderr
    [mine] = [p for p in json.loads(r.stdout) if p["dist"] == "cxprobe-trust-signals"]
    assert mine["name"] == "trust_signals" and mine["version"] == "0.1.0" and mine["error"] is None
    assert mine["hooks"] == ["cxprobe_add_extractors", "cxprobe_add_probes", "cxprobe_add_touchpoints"]
    assert sorted(mine["registered"]) == ["trust_signals", "trust_signals", "trust_signals.quotes"]
    site = plugin_env["base"] / "tiny"
    site.mkdir()
    (site / "index.html").write_text('<html lang="en"><title>Acme</title><h1>Acme</h1><a href="about.html">About</a>',
                                     encoding="utf-8")
    (site / "about.html").write_text('<html lang="en"><title>About</title><h1>About</h1>'
                                     "<blockquote>Fixed in a day.</blockquote>", encoding="utf-8")
    r = subprocess.run([cxprobe, "audit", str(site), "--render", "static", "--format", "json"], capture_output=True,
                       text=True, timeout=120, env=plugin_env["env"], cwd=plugin_env["base"])
    assert r.returncode == 0, r.stderr
    tp = json.loads(r.stdout)["touchpoints"]["trust_signals"]
    assert tp["score"] == 100.0 and tp["facts"] == {"pages_with_quotes": 1, "quotes": 1}
    assert [(p["id"], p["status"], p["plugin"]) for p in tp["probes"]] == [
        ("trust_signals.quotes", "passed", "cxprobe-trust-signals:trust_signals")]
