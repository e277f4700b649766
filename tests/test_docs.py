"""Docs stay true: every probe has its page, generated from the same metadata as `explain`."""

from __future__ import annotations

from pathlib import Path

from cxprobe.docgen import expected_files
from cxprobe.plugins import get_plugin_manager

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


def test_scoring_doc_names_the_method_and_every_touchpoint() -> None:
    text = (DOCS / "scoring.md").read_text(encoding="utf-8")
    assert "cohesion-v1" in text
    for tid in get_plugin_manager().registry().touchpoints:
        assert tid in text
