"""What ``pip install .`` (not editable) carries: every package and data file of cxprobe.

An editable install finds every folder by itself, so a package or a data file left out of
pyproject.toml passes every other test and breaks only for users (the browser's page
scripts are ``.js`` files: a missing one fails every browser-mode run).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _cxprobe_packages() -> dict[str, Path]:
    base = ROOT / "cxprobe"
    return {".".join(("cxprobe", *init.parent.relative_to(base).parts)): init.parent
            for init in sorted(base.rglob("__init__.py")) if "__pycache__" not in init.parts}


def test_every_cxprobe_package_is_declared() -> None:
    declared = set(SETUPTOOLS["packages"])
    assert {"cxprobe.browser", "cxprobe.crawl"} <= set(_cxprobe_packages())
    assert sorted(set(_cxprobe_packages()) - declared) == []


def test_every_data_file_is_declared_as_package_data() -> None:
    packages = _cxprobe_packages()
    data = SETUPTOOLS["package-data"]
    covered: set[Path] = set()
    for name, folder in packages.items():
        for pattern in data.get(name, []):
            covered.update(folder.glob(pattern))
    files = [p for p in (ROOT / "cxprobe").rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert any(p.suffix == ".js" for p in files)  # the browser's page scripts
    assert sorted(str(p.relative_to(ROOT)) for p in files if p not in covered) == []
