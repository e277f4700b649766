"""One public door: plugins (built-in ones included) import only ``cxprobe`` itself."""

from __future__ import annotations

import ast
from pathlib import Path

import cxprobe

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append(node.module)
    return out


def test_builtin_plugins_import_only_the_public_door() -> None:
    offenders = {}
    for path in sorted(PLUGINS.rglob("*.py")):
        bad = [m for m in _imports(path) if m.startswith("cxprobe.") or m.startswith("cxprobe_plugins")]
        if bad:
            offenders[str(path.relative_to(PLUGINS))] = bad
    assert not offenders, f"plugins must import only `cxprobe` and their own package: {offenders}"


def test_everything_in_all_is_exported_and_documented() -> None:
    for name in cxprobe.__all__:
        obj = getattr(cxprobe, name)
        if isinstance(obj, type) or callable(obj):
            assert obj.__doc__, f"cxprobe.{name} has no docstring"


def test_the_names_plugins_and_the_docs_use_are_in_all() -> None:
    used = {"AuditConfig", "Setting", "TapTarget", "Image", "Heading", "FormField", "Context", "Probe",
            "Touchpoint", "Gatherer", "Reporter", "issue", "outcome", "hookimpl", "PLUGIN_API"}
    assert used <= set(cxprobe.__all__)
