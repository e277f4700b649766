"""The terminal reporter: cohesion score, touchpoint table, top findings with evidence."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..probe import Reporter
from ..sanitise import clean_text

STATUS_STYLE = {"good": "green", "needs_work": "yellow", "poor": "red", "unscored": "magenta"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
TOP_FINDINGS = 10


def _score(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def _t(value: object, style: str = "") -> Text:
    """Site and plugin content as plain text: never parsed as markup, controls replaced."""
    return Text(clean_text(str(value)), style=style)


class TerminalReporter(Reporter):
    """``--format terminal``: a readable summary for people."""

    name = "terminal"
    extension = ".txt"
    description = "a summary for people: score, touchpoints, top findings"

    def __init__(self, color: bool | None = None, width: int = 100) -> None:
        self.color = color
        self.width = width

    def render(self, report: dict[str, Any], config: Any) -> str:
        buf = io.StringIO()
        force = self.color if self.color is not None else False
        console = Console(file=buf, width=self.width, force_terminal=force, color_system="standard" if force else None,
                          highlight=False, soft_wrap=False)
        crawl = report["crawl"]
        coh = report["cohesion"]
        console.print(_t(f"cxprobe {report['tool']['version']} — {report['target']}", style="bold"))
        trunc = f", truncated by {crawl['truncated']}" if crawl.get("truncated") else ""
        console.print(_t(f"mode {report['mode']}, profile {report.get('profile', 'general')}, {crawl['pages']} pages, "
                         f"{crawl['errors']} errors{trunc}, {report['duration_s']:.1f} s"))
        if report.get("error"):
            console.print(_t(f"could not measure: {report['error']}", style="bold red"))
            return buf.getvalue()
        score = coh["score"]
        style = "green" if (score or 0) >= 90 else "yellow" if (score or 0) >= 50 else "red"
        line = Text("Cohesion score: ", style="bold")
        line.append(_score(score), style=f"bold {style}")
        line.append(" / 100")
        if coh.get("weakest"):
            line.append(clean_text(f"   weakest: {coh['weakest']}"))
        if not coh.get("complete", True):
            why = coh.get("errored") or coh["unscored"]
            line.append(clean_text(f"   INCOMPLETE (unscored: {', '.join(why)})" if why else "   INCOMPLETE"),
                        style="bold magenta")
        console.print(line)
        for reason in coh.get("incomplete_because", []):
            console.print(_t(f"incomplete: {reason}", style="magenta"))
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("touchpoint")
        table.add_column("score", justify="right")
        table.add_column("status")
        table.add_column("weight", justify="right")
        table.add_column("gain if fixed", justify="right")
        table.add_column("probes (passed/failed/n.a./error)")
        pull = coh.get("pull", {})
        # Biggest possible gain first: the table reads as a to-do list.
        rows = sorted(report["touchpoints"].items(), key=lambda kv: (-pull.get(kv[0], -1.0), kv[0]))
        for tid, tp in rows:
            counts = {"passed": 0, "failed": 0, "not_applicable": 0, "error": 0}
            for p in tp["probes"]:
                counts[p["status"]] = counts.get(p["status"], 0) + 1
            table.add_row(_t(tid), _t(_score(tp["score"])), _t(tp["status"], style=STATUS_STYLE.get(tp["status"], "")),
                          _t(f"{tp['weight']:g}"), _t(f"+{pull[tid]:.1f}" if tid in pull else "—"),
                          _t(f"{counts['passed']}/{counts['failed']}/{counts['not_applicable']}/{counts['error']}"))
        console.print(table)
        findings = report["findings"]
        if findings:
            console.print(_t(f"Top findings ({min(TOP_FINDINGS, len(findings))} of {len(findings)})", style="bold"))
            for f in findings[:TOP_FINDINGS]:
                pages = f" — on {f['pages']} page{'s' if f['pages'] != 1 else ''}" if f["pages"] > 1 else ""
                head = _t(f"[{f['severity']}] ", style=SEVERITY_STYLE.get(f["severity"], ""))
                head.append(clean_text(f"{f['title']}{pages}"), style="bold")
                head.append(clean_text(f"  ({f['probe']}, id {f['id']})"), style="dim")
                console.print(head)
                console.print(_t(f"    {f['message']}"))
                for ex in f["examples"][:2]:
                    where = ex["url"] + (f"  {ex['selector']}" if ex.get("selector") else "")
                    snippet = f'  "{ex["snippet"][:80]}"' if ex.get("snippet") else ""
                    console.print(_t(f"    at {where}{snippet}", style="dim"))
        for note in report.get("notes", []):
            console.print(_t(f"note: {note}", style="dim"))
        return buf.getvalue()
