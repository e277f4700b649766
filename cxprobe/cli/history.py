"""What ``cxprobe history DB`` prints: the trend of the runs ``audit --history DB`` recorded,
per target, as a terminal table with a sparkline, a Markdown table (for pull-request
comments and ``$GITHUB_STEP_SUMMARY``) or JSON rows.

Each run is set beside the previous run of the same target: the cohesion delta and the
finding ids that are new or fixed. Runs that cannot be compared (another render mode,
scoring method, weights profile or plugin set) are marked, never compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .. import history as store
from ..errors import ExitCode
from ..sanitise import clean_text

FORMATS = ("terminal", "markdown", "json")
#: Runs shown per target unless --limit says otherwise (a month of nightly runs).
DEFAULT_LIMIT = 30

_COLUMNS = ("run", "date", "mode", "cohesion", "delta", "pages", "new", "fixed", "complete")
#: Numbers are right-aligned, words left-aligned.
_RIGHT = {"run", "cohesion", "delta", "pages", "new", "fixed"}


def show_history(database: str, target: str | None = None, limit: int = DEFAULT_LIMIT,
                 fmt: str = "terminal") -> ExitCode:
    """Print the trend; returns the exit code (0; errors raise :class:`cxprobe.history.HistoryError`)."""
    path = Path(database)
    known = dict(store.targets(path))
    if not known or (target is not None and store.target_key(target) not in known):
        if not known:
            line = f"no runs recorded in {database} yet"
        else:
            line = (f"no runs of {store.target_key(target or '')} in {database}; recorded targets: "
                    + ", ".join(sorted(known)))
        if fmt == "json":
            click.echo("[]")
            click.echo(f"cxprobe: {clean_text(line)}", err=True)
        else:
            click.echo(clean_text(line))
        return ExitCode.OK
    # One run more than shown, so the first shown run has its predecessor.
    runs = store.load_runs(path, target, last=limit + 1 if limit else None)
    by_target = {t: rows[-limit:] if limit else rows for t, rows in store.trend(runs).items()}
    if fmt == "json":
        click.echo(json.dumps([_json_row(r) for rows in by_target.values() for r in rows], indent=2,
                              ensure_ascii=False))
    elif fmt == "markdown":
        click.echo("\n".join(_markdown(t, rows, known[t]) for t, rows in by_target.items()), nl=False)
    else:
        click.echo("\n".join(_terminal(t, rows, known[t]) for t, rows in by_target.items()), nl=False)
    return ExitCode.OK


# --------------------------------------------------------------------------- cells

def _date(started_at: str) -> str:
    """``2026-11-30T22:09:41Z`` -> ``2026-11-30 22:09`` (UTC, as the report records it)."""
    return started_at[:16].replace("T", " ")


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _count(ids: list[str] | None) -> str:
    return "—" if ids is None else str(len(ids))


def _cells(row: store.TrendRow) -> dict[str, str]:
    run = row.run
    return {
        "run": str(run.id),
        "date": _date(run.started_at),
        "mode": run.mode,
        "cohesion": _number(run.cohesion),
        "delta": "n/c" if row.comparable is False else _number(row.delta, signed=True),
        "pages": str(run.pages),
        "new": _count(row.new),
        "fixed": _count(row.fixed),
        "complete": "yes" if run.complete else "no",
    }


def _note(row: store.TrendRow) -> str:
    if row.comparable is False:
        return "not comparable with the previous run: " + "; ".join(row.mismatches)
    return ""


def _headline(rows: list[store.TrendRow], total: int) -> str:
    scores = [r.run.cohesion for r in rows]
    known = [s for s in scores if s is not None]
    span = "" if not known else f" {_number(known[0])}" if len(known) == 1 else \
        f" {_number(known[0])} → {_number(known[-1])}"
    shown = f"the last {len(rows)} of {total} runs" if len(rows) < total else f"{total} run{'s' if total != 1 else ''}"
    return f"cohesion {store.sparkline(scores)}{span} over {shown}"


# --------------------------------------------------------------------------- formats

def _terminal(target: str, rows: list[store.TrendRow], total: int) -> str:
    table = [dict(zip(_COLUMNS, _COLUMNS, strict=True)), *(_cells(r) for r in rows)]
    widths = {c: max(len(line[c]) for line in table) for c in _COLUMNS}
    lines = [clean_text(target), _headline(rows, total), ""]
    for line, row in zip(table, [None, *rows], strict=True):
        text = "  ".join(line[c].rjust(widths[c]) if c in _RIGHT else line[c].ljust(widths[c]) for c in _COLUMNS)
        note = _note(row) if row is not None else ""
        lines.append(clean_text(f"{text}  {note}".rstrip()))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return clean_text(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _markdown(target: str, rows: list[store.TrendRow], total: int) -> str:
    columns = [*_COLUMNS, "note"]
    # A code span: no escapes apply inside it, only a backtick would end it.
    lines = [f"### cxprobe history: `{clean_text(target).replace('`', chr(39))}`", "", _md(_headline(rows, total).replace("cohesion", "Cohesion", 1)), "",
             "| " + " | ".join(columns) + " |",
             "|" + "|".join("---:" if c in _RIGHT else "---" for c in columns) + "|"]
    for row in rows:
        cells = {**_cells(row), "note": _note(row)}
        lines.append("| " + " | ".join(_md(cells[c]) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _json_row(row: store.TrendRow) -> dict[str, Any]:
    run = row.run
    return {
        "run": run.id, "target": run.target, "started_at": run.started_at, "start_url": run.start_url,
        "mode": run.mode, "profile": run.profile, "method": run.method, "tool_version": run.tool_version,
        "plugins": list(run.plugins), "cohesion": run.cohesion, "delta": row.delta, "pages": run.pages,
        "duration_s": run.duration_s, "complete": run.complete, "gates_passed": run.gates_passed,
        "comparable": row.comparable, "mismatches": list(row.mismatches), "new": row.new, "fixed": row.fixed,
        "touchpoints": {tid: score for tid, (score, _status) in run.touchpoints.items()},
    }
