"""The fleet summary: one row per site, as a terminal table, ``summary.md``,
``summary.json`` and ``index.html`` (linking each site's HTML report when there is one).

Site content (titles, error lines) is data: control characters are stripped everywhere
and the HTML index escapes every value.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from .. import __version__
from ..reporters.markdown import md
from ..sanitise import clean_text

#: The summary's format, for scripts that read summary.json.
SUMMARY_FORMAT = "cxprobe-fleet-1"
STATUS_WORDS = {"passed": "passed", "failed": "gate failed", "not_measured": "not measured", "error": "error"}


def site_row(result: Mapping[str, Any], target: str, reports: Mapping[str, str]) -> dict[str, Any]:
    """The summary row of one site's result."""
    report = result.get("report") or {}
    status = result["status"]
    if status == "measured":
        status = "passed" if result["exit_code"] == 0 else "failed"
    findings = {"error": 0, "warning": 0, "info": 0}
    for f in report.get("findings") or ():
        if "waived" not in f and f.get("severity") in findings:
            findings[f["severity"]] += 1
    gates = report.get("gates") or {}
    started, finished = result.get("started"), result.get("finished")
    return {
        "name": result["name"], "target": target, "status": status, "exit_code": result["exit_code"],
        "cohesion": (report.get("cohesion") or {}).get("score") if status in ("passed", "failed") else None,
        "complete": (report.get("cohesion") or {}).get("complete") if status in ("passed", "failed") else None,
        "pages": (report.get("crawl") or {}).get("pages") if status in ("passed", "failed") else None,
        "mode": report.get("mode"),
        "findings": findings,
        "gates_failed": [c["name"] for c in gates.get("checks", ()) if not c["passed"] and c["level"] == "error"],
        "error": result.get("error"), "attempts": result.get("attempts", 1),
        "retried_after": result.get("retried_after", []), "worker": result.get("worker") or None,
        "started": started, "finished": finished,
        "duration_s": round(finished - started, 3) if started is not None and finished is not None else None,
        "reports": dict(reports),
    }


def totals(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    out = {"sites": len(rows), "passed": 0, "failed": 0, "not_measured": 0, "error": 0}
    for r in rows:
        out[r["status"]] += 1
    return out


def summary_json(rows: Sequence[Mapping[str, Any]], engine: str, started_at: str, duration_s: float,
                 exit_code: int) -> str:
    doc = {"format": SUMMARY_FORMAT, "tool": {"name": "cxprobe", "version": __version__}, "engine": engine,
           "started_at": started_at, "duration_s": round(duration_s, 3), "exit_code": exit_code,
           "totals": totals(rows), "sites": list(rows)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _score(v: Any) -> str:
    return "–" if v is None else f"{v:g}"


def _note(r: Mapping[str, Any]) -> str:
    if r["error"]:
        return clean_text(r["error"])
    if r["gates_failed"]:
        return "failed: " + ", ".join(r["gates_failed"])
    return ""


def terminal_table(rows: Sequence[Mapping[str, Any]], engine: str, duration_s: float) -> str:
    """A plain table for the terminal (no colours: it goes to logs as often as to people)."""
    t = totals(rows)
    head = ("site", "status", "cohesion", "pages", "errors", "tries", "note")
    body = [(clean_text(r["name"]), STATUS_WORDS[r["status"]], _score(r["cohesion"]),
             "–" if r["pages"] is None else str(r["pages"]), str(r["findings"]["error"]), str(r["attempts"]),
             _note(r)[:100]) for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    lines = ["  ".join(c.ljust(w) if i in (0, 1, 6) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in (head, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"{t['sites']} sites on {engine} in {duration_s:.1f} s: {t['passed']} passed, {t['failed']} failed a gate, "
                 f"{t['not_measured']} not measured, {t['error']} errors")
    return "\n".join(lines) + "\n"


def summary_markdown(rows: Sequence[Mapping[str, Any]], engine: str, started_at: str, duration_s: float) -> str:
    t = totals(rows)
    out = [f"# cxprobe fleet: {t['sites']} sites", "",
           f"{started_at}, {duration_s:.1f} s on {engine}: **{t['passed']} passed**, {t['failed']} failed a gate, "
           f"{t['not_measured']} not measured, {t['error']} errors.", "",
           "| site | target | status | cohesion | pages | errors | warnings | tries | note |",
           "|---|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        name = md(r["name"])
        link = r["reports"].get("markdown") or r["reports"].get("html") or r["reports"].get("json")
        shown = f"[{name}]({link})" if link else name
        out.append(f"| {shown} | {md(r['target'], 300)} | {STATUS_WORDS[r['status']]} | {_score(r['cohesion'])} | "
                   f"{'–' if r['pages'] is None else r['pages']} | {r['findings']['error']} | {r['findings']['warning']} | "
                   f"{r['attempts']} | {md(_note(r), 300)} |")
    return "\n".join(out) + "\n"


def index_html(rows: Sequence[Mapping[str, Any]], engine: str, started_at: str, duration_s: float) -> str:
    """One self-contained page: a row per site, its name linking its HTML report."""
    t = totals(rows)
    e = html.escape
    body = []
    for r in rows:
        name = e(clean_text(r["name"]))
        link = r["reports"].get("html")
        cell = f'<a href="{e(link)}">{name}</a>' if link else name
        body.append(f'<tr class="{e(r["status"])}"><td>{cell}</td><td>{e(clean_text(r["target"]))}</td>'
                    f'<td>{e(STATUS_WORDS[r["status"]])}</td><td class="n">{e(_score(r["cohesion"]))}</td>'
                    f'<td class="n">{"–" if r["pages"] is None else r["pages"]}</td>'
                    f'<td class="n">{r["findings"]["error"]}</td><td class="n">{r["attempts"]}</td>'
                    f'<td>{e(_note(r))}</td></tr>')
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cxprobe fleet: {t['sites']} sites</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.failed td:nth-child(3) {{ color: #9a3412; }} tr.not_measured td:nth-child(3), tr.error td:nth-child(3) {{ color: #b91c1c; }}
a {{ color: #1d4ed8; }}
</style></head><body>
<h1>cxprobe fleet: {t['sites']} sites</h1>
<p>{e(started_at)}, {duration_s:.1f} s on {e(engine)}: <strong>{t['passed']} passed</strong>, {t['failed']} failed a gate,
{t['not_measured']} not measured, {t['error']} errors.</p>
<table><thead><tr><th scope="col">site</th><th scope="col">target</th><th scope="col">status</th><th scope="col">cohesion</th>
<th scope="col">pages</th><th scope="col">errors</th><th scope="col">tries</th><th scope="col">note</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
<p>cxprobe {e(__version__)}</p>
</body></html>
"""
