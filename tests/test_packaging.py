"""What ``pip install .`` (not editable) and a built wheel carry: every package and every
data file of cxprobe, and an install from the wheel runs.

An editable install finds every folder by itself, so a package or a data file left out of
pyproject.toml passes every other test and breaks only for users (the browser's page
scripts are ``.js`` files: a missing one fails every browser-mode run; the HTML report's
templates, the JSON Schema and the demo site are data too). The list of data files is
derived from the source tree, so a file added tomorrow cannot be forgotten.
"""

from __future__ import annotations

import json
import subprocess
import tomllib
import zipfile
from pathlib import Path

from .conftest import Venv, package_dirs

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _tracked_files(folder: Path) -> list[Path]:
    """The files of a folder as the repository has them (git when there is one: a stray
    file of a working tree is not a data file), else every file."""
    r = subprocess.run(["git", "ls-files", "-z", "--", str(folder)], cwd=ROOT, capture_output=True, timeout=60)
    if r.returncode == 0 and r.stdout:
        return sorted(ROOT / name for name in r.stdout.decode().split("\0") if name)
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def data_files() -> dict[str, Path]:
    """Every non-Python file under a package folder, by its path inside a wheel
    (``cxprobe/browser/js/collect.js``, ``cxprobe_demo/index.html``)."""
    out: dict[str, Path] = {}
    for pkg, folder in package_dirs().items():
        for path in _tracked_files(folder):
            if path.suffix in (".py", ".pyc") or not path.is_file():
                continue
            out["/".join((pkg, *path.relative_to(folder).parts))] = path
    return out


def _folder_of(package: str) -> Path:
    """The source folder of a dotted package name, through package-dir."""
    top, _, rest = package.partition(".")
    return package_dirs()[top].joinpath(*rest.split(".")) if rest else package_dirs()[top]


def test_every_cxprobe_package_is_declared() -> None:
    base = ROOT / "cxprobe"
    found = {".".join(("cxprobe", *init.parent.relative_to(base).parts))
             for init in base.rglob("__init__.py") if "__pycache__" not in init.parts}
    assert {"cxprobe.browser", "cxprobe.crawl"} <= found
    assert sorted(found - set(SETUPTOOLS["packages"])) == []


def test_every_data_file_is_declared_as_package_data() -> None:
    """Fast, without a build: each data file is matched by a package-data pattern of a
    declared package (a data folder is declared as a package, as setuptools asks)."""
    covered: set[Path] = set()
    for pkg in SETUPTOOLS["packages"]:
        for pattern in SETUPTOOLS["package-data"].get(pkg, []):
            covered.update(_folder_of(pkg).glob(pattern))
    files = data_files()
    assert any(name.endswith(".js") for name in files)  # the browser's page scripts
    assert sorted(name for name, path in files.items() if path not in covered) == []


def test_the_wheel_carries_every_data_file(cxprobe_wheel: Path) -> None:
    with zipfile.ZipFile(cxprobe_wheel) as z:
        inside = set(z.namelist())
    expected = data_files()
    # What the code reads at run time, named here so that the derivation above cannot
    # silently find nothing: the schema, the page scripts, the report's templates, the demo.
    for name in ("cxprobe/schema/report.schema.json", "cxprobe/browser/js/collect.js", "cxprobe/browser/js/helpers.js",
                 "cxprobe/reporters/templates/report.html", "cxprobe/reporters/templates/report.css",
                 "cxprobe_demo/index.html", "cxprobe_demo/cxprobe-demo.toml", "cxprobe_demo/assets/logo.svg"):
        assert name in expected
    assert sorted(set(expected) - inside) == []
    # and every module of every declared package
    modules = {"/".join((pkg, *p.relative_to(folder).parts)) for pkg, folder in package_dirs().items()
               for p in _tracked_files(folder) if p.suffix == ".py"}
    assert sorted(modules - inside) == []


def test_an_installed_wheel_runs_the_demo_as_an_html_report(installed_venv: Venv) -> None:
    """cxprobe installed from its wheel, run from an empty folder: the demo site, the HTML
    report's templates, the schema and the page scripts all come from the install."""
    venv = installed_venv
    out = venv.work / "demo.html"
    r = venv.run("cxprobe", "demo", "--render", "static", "--format", "html", "-o", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") or html.lstrip().lower().startswith("<!doctype html>")
    assert "Wrenchlog" in html  # the demo site's company
    assert "text-size-adjust" in html  # the style sheet, inlined from templates/report.css
    probe = venv.run("python", "-c", """if True:
        import json, cxprobe
        from importlib.resources import files
        from cxprobe.browser import scripts
        scripts.load_all()
        schema = json.loads(files("cxprobe").joinpath("schema/report.schema.json").read_text(encoding="utf-8"))
        print(json.dumps({"cxprobe": cxprobe.__file__, "schema": schema.get("title", ""),
                          "demo": str(files("cxprobe_demo"))}))
    """)
    assert probe.returncode == 0, probe.stderr
    where = json.loads(probe.stdout)
    assert Path(where["cxprobe"]).is_relative_to(venv.root)  # the install, not the source tree
    assert Path(where["demo"]).is_relative_to(venv.root)
    assert where["schema"]
