"""Docs stay true: every probe has its page, generated from the same metadata as `explain`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cxprobe._registry import get_plugin_manager
from cxprobe.docgen import expected_files, generated_docs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_every_probe_has_a_current_docs_page() -> None:
    pm = get_plugin_manager()
    stale = []
    for name, text in expected_files(pm).items():
        path = DOCS / "probes" / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    assert not stale, f"run `python -m cxprobe.docgen docs/probes`: stale or missing {stale}"
    assert len(list((DOCS / "probes").glob("*.*.md"))) == len(pm.registry().probes)


def test_settings_tables_in_the_docs_are_generated_from_the_declarations() -> None:
    """docs/cli.md and docs/configuration.md list every setting exactly as declared."""
    from cxprobe.config import SETTINGS

    pm = get_plugin_manager()
    stale = [str(path.relative_to(ROOT)) for path, text in generated_docs(pm, DOCS).items()
             if path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m cxprobe.docgen`: stale {stale}"
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    conf = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for s in SETTINGS.values():
        assert f"| `{s.key}` |" in conf
        if s.option:
            assert f"`{s.option}" in cli
    assert "| `[contact] accept` |" in conf


def test_scoring_doc_names_the_method_and_every_touchpoint() -> None:
    text = (DOCS / "scoring.md").read_text(encoding="utf-8")
    assert "cohesion-v2" in text
    for tid in get_plugin_manager().registry().touchpoints:
        assert tid in text


# --------------------------------------------------------------------------- the reference

REFERENCE = DOCS / "reference"


def _hook_specs() -> list:
    from cxprobe import hookspecs

    return [fn for name, fn in vars(hookspecs).items() if name.startswith("cxprobe_") and hasattr(fn, "cxprobe_spec")]


def test_every_hook_is_documented() -> None:
    """docs/reference/hooks.md heads every hook of cxprobe/hookspecs.py with its exact
    signature (annotations as written), then its step in the lifecycle and its docstring."""
    import inspect

    text = (REFERENCE / "hooks.md").read_text(encoding="utf-8")
    specs = _hook_specs()
    assert len(specs) >= 8
    for fn in specs:
        sig = inspect.signature(fn)
        params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
        line = f"def {fn.__name__}({params}) -> {sig.return_annotation}"
        source = inspect.getsource(fn)
        assert " ".join(source[source.index("def "):source.index(":\n")].split()) == line  # as written
        head = f"\n## {fn.__name__}\n"
        assert text.count(head) == 1, f"{fn.__name__} has no section in docs/reference/hooks.md"
        section = text.split(head, 1)[1].split("\n## ", 1)[0]
        assert section.lstrip("\n").startswith(f"```python\n{line}\n```\n"), f"{fn.__name__}: signature is not its heading"
        summary = inspect.cleandoc(fn.__doc__ or "").splitlines()[0].replace("``", "`")
        assert summary and summary in section
        assert "Lifecycle: step " in section
        if fn.cxprobe_spec.get("historic"):
            assert "**historic**" in section


def test_the_lifecycle_names_every_hook_once() -> None:
    from cxprobe.refdocs import hook_step, lifecycle_steps

    steps = lifecycle_steps()
    assert len(steps) == 6
    for fn in _hook_specs():
        assert sum(f":func:`{fn.__name__}`" in s for s in steps) == 1, fn.__name__
        assert hook_step(fn.__name__) is not None


def test_hooks_are_called_in_the_documented_lifecycle_order(tmp_path: Path) -> None:
    """An audit traced with CXPROBE_TRACE=1 calls each hook first in the order of the
    documented steps (so the reference's lifecycle is the one that runs)."""
    import os
    import re
    import subprocess
    import sys

    from cxprobe.refdocs import hook_step

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html lang="en"><title>Acme</title><h1>Acme sells bikes</h1>'
                                     '<a href="contact.html">Contact</a></html>', encoding="utf-8")
    (site / "contact.html").write_text('<html lang="en"><title>Contact</title><a href="mailto:a@acme.example">'
                                       'a@acme.example</a></html>', encoding="utf-8")
    env = {**os.environ, "CXPROBE_TRACE": "1"}
    env.pop("CXPROBE_DEBUG", None)
    r = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(site), "--render", "static", "--format", "json",
                        "-o", str(tmp_path / "r.json")], env=env, cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    names = {fn.__name__ for fn in _hook_specs()}
    first = [n for n in dict.fromkeys(re.findall(r"\b(cxprobe_[a-z_]+)\b", r.stderr)) if n in names]
    assert set(first) == names
    steps = [hook_step(name) for name in first]
    assert steps == sorted(steps), list(zip(first, steps, strict=True))


def test_the_reference_covers_every_public_name_field_and_namespace() -> None:
    import dataclasses

    import cxprobe
    from cxprobe import refdocs

    pages = refdocs.reference_pages()
    assert refdocs.undocumented() == [], "add a `#:` comment or a docstring: " + ", ".join(refdocs.undocumented())
    api = pages["api.md"]
    for name in cxprobe.__all__:
        assert f"\n### {name}\n" in api, f"cxprobe.{name} is not in docs/reference/api.md"
    facts = pages["facts.md"]
    for cls in (cxprobe.PageFacts, cxprobe.Link, cxprobe.RenderedPage, cxprobe.TapTarget, cxprobe.MenuCheck,
                cxprobe.LinkClick, cxprobe.Rendering):
        section = facts.split(f"\n### {cls.__name__}\n", 1)[1].split("\n### ", 1)[0]
        for f in dataclasses.fields(cls):
            assert f"| `{f.name}` |" in section, f"{cls.__name__}.{f.name}"
    for key in cxprobe.model.REGIONS:  # the keys of PageFacts.text
        assert f"`{key}`" in facts
    from cxprobe.testing import plugin_manager

    reg = plugin_manager().registry()
    builtin = [n for n in reg.extractors if plugin_manager().owner("extractor", n).startswith("cxprobe:")]
    assert {"contact", "prices", "forms", "hero", "chat"} <= set(builtin)
    for name in builtin:
        assert f"\n### Namespace {name}\n" in facts
    # a namespace's dataclasses are followed: contact -> ContactDetails -> Email, Phone
    for cls_name in ("ContactDetails", "Email", "Phone", "Price", "Hero"):
        assert f"\n#### {cls_name}\n" in facts


def test_the_reference_pages_are_current() -> None:
    from cxprobe.refdocs import reference_pages

    stale = [name for name, text in reference_pages().items()
             if not (REFERENCE / name).is_file() or (REFERENCE / name).read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m cxprobe.docgen`: stale docs/reference/{stale}"


def _mkdocs_available() -> None:
    import importlib.util
    import os

    if importlib.util.find_spec("mkdocs") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("CI=true but mkdocs is not installed (it is in the test extra: pip install -e '.[test]')")
    pytest.skip("mkdocs is not installed (pip install -e '.[test]')")


def _mkdocs_build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], cwd=root, capture_output=True, text=True, timeout=300)


def test_the_docs_build_as_a_site_with_mkdocs_strict(tmp_path: Path) -> None:
    """`mkdocs build --strict`: every link and anchor resolves, every page is in the nav."""
    _mkdocs_available()
    r = _mkdocs_build(ROOT, tmp_path / "site")
    assert r.returncode == 0, r.stdout + r.stderr
    hooks = (tmp_path / "site" / "reference" / "hooks" / "index.html").read_text(encoding="utf-8")
    assert 'id="cxprobe_add_extractors"' in hooks
    assert (tmp_path / "site" / "probes" / "contact.page" / "index.html").is_file()


def test_mkdocs_strict_fails_on_a_broken_anchor(tmp_path: Path) -> None:
    """The validation mkdocs.yml asks for is in force: a link to a missing anchor fails the build."""
    import shutil

    _mkdocs_available()
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    with (tmp_path / "docs" / "index.md").open("a", encoding="utf-8") as f:
        f.write("\nSee [the hooks](reference/hooks.md#cxprobe_no_such_hook).\n")
    r = _mkdocs_build(tmp_path, tmp_path / "site")
    assert r.returncode != 0
    assert "cxprobe_no_such_hook" in r.stdout + r.stderr
