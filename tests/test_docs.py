"""Docs stay true: every probe has its page, generated from the same metadata as `explain`."""

from __future__ import annotations

from pathlib import Path

from cxprobe._registry import get_plugin_manager
from cxprobe.docgen import expected_files, generated_docs

DOCS = Path(__file__).resolve().parent.parent / "docs"


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
    stale = [str(path.relative_to(DOCS)) for path, text in generated_docs(pm, DOCS).items()
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
    assert "cohesion-v1" in text
    for tid in get_plugin_manager().registry().touchpoints:
        assert tid in text
