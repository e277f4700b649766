"""``cxprobe diff A.json B.json``: what changed between two saved reports.

The same comparison ``audit --baseline`` writes into a report (:func:`cxprobe.gates.compare`):
cohesion and touchpoint deltas, new and fixed findings, and whether the two reports can be
compared at all (render mode, scoring method, profile, target, plugin set).
"""

from __future__ import annotations

import json
from typing import Any

import click

from ..errors import ExitCode
from ..gates import FAIL_ON, Gates, compare, evaluate, load_report
from ..sanitise import clean_text

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _num(v: Any) -> str:
    return "—" if v is None else f"{v:g}"


def _signed(v: Any) -> str:
    return "" if v is None else f"{v:+g}"


def render_terminal(before: dict[str, Any], after: dict[str, Any], base: dict[str, Any]) -> str:
    lines = [f"cxprobe diff: {clean_text(str(before.get('target')))} ({before.get('started_at')}) → "
             f"{clean_text(str(after.get('target')))} ({after.get('started_at')})"]
    if not base["comparable"]:
        lines.append("NOT COMPARABLE: " + clean_text("; ".join(base["mismatches"])))
    c = base["cohesion"]
    lines.append(f"Cohesion: {_num(c['before'])} → {_num(c['after'])} ({_signed(c['delta']) or 'n/a'})")
    by_id = {f["id"]: f for f in after["findings"]}
    new = [by_id[i] for i in base["new"] if i in by_id]
    new.sort(key=lambda f: SEVERITY_RANK.get(f.get("severity"), 9))
    lines.append(f"New findings: {len(new)}")
    for f in new:
        first = (f.get("examples") or [{}])[0].get("url") or ""
        lines.append(f"  + [{f.get('severity')}] {clean_text(f.get('title', ''))}  ({f.get('probe')}, id {f['id']})"
                     + (f"  at {clean_text(first)}" if first else ""))
    lines.append(f"Fixed findings: {len(base['fixed'])}")
    for f in base["fixed"]:
        lines.append(f"  - [{f.get('severity')}] {clean_text(str(f.get('title') or ''))}  ({f.get('probe')}, id {f['id']})")
    lines.append("Touchpoints:")
    width = max((len(t) for t in base["touchpoints"]), default=10)
    for tid, d in base["touchpoints"].items():
        mark = "" if not d["delta"] else ("  ▲" if d["delta"] > 0 else "  ▼")
        lines.append(f"  {tid:<{width}}  {_num(d['before']):>6} → {_num(d['after']):>6}  {_signed(d['delta']):>7}{mark}")
    return "\n".join(lines) + "\n"


def run_diff(a: str, b: str, fmt: str, fail_on: tuple[str, ...], fail_on_regression: float | None) -> ExitCode:
    before, after = load_report(a, "diff"), load_report(b, "diff")
    base = compare(before, after, file=a)
    after = {**after, "findings": [dict(f) for f in after["findings"]], "baseline": base}
    for rule in fail_on:
        if rule not in FAIL_ON:  # pragma: no cover - click's Choice refuses it first
            raise click.BadParameter(rule)
    gates = evaluate(after, Gates(fail_on=fail_on, fail_on_regression=fail_on_regression))
    if fmt == "json":
        click.echo(json.dumps({"before": a, "after": b, **base, "gates": gates}, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        from ..reporters.markdown import MarkdownReporter

        click.echo(MarkdownReporter().render(after, None), nl=False)
    else:
        click.echo(render_terminal(before, after, base), nl=False)
    for check in gates["checks"]:
        if not check["passed"] and check["level"] == "error":
            click.echo(f"cxprobe: gate failed: {check['name']}: {clean_text(check['message'])}", err=True)
    return ExitCode.OK if gates["passed"] else ExitCode.ASSERTION_FAILED
