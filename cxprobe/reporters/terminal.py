"""The terminal reporter: cohesion score, touchpoint table, top findings with evidence."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..probe import Reporter

STATUS_STYLE = {"good": "green", "needs_work": "yellow", "poor": "red", "unscored": "magenta"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
TOP_FINDINGS = 10


def _score(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


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
        console.print(Text(f"cxprobe {report['tool']['version']} — {report['target']}", style="bold"))
        trunc = f", truncated by {crawl['truncated']}" if crawl.get("truncated") else ""
        console.print(f"mode {report['mode']}, profile {report.get('profile', 'general')}, {crawl['pages']} pages, "
                      f"{crawl['errors']} errors{trunc}, {report['duration_s']:.1f} s")
        if report.get("error"):
            console.print(Text(f"could not measure: {report['error']}", style="bold red"))
            return buf.getvalue()
        score = coh["score"]
        style = "green" if (score or 0) >= 90 else "yellow" if (score or 0) >= 50 else "red"
        line = Text("Cohesion score: ", style="bold")
        line.append(_score(score), style=f"bold {style}")
        line.append(" / 100")
        if coh.get("weakest"):
            line.append(f"   weakest: {coh['weakest']}")
        if not coh.get("complete", True):
            line.append(f"   INCOMPLETE (unscored: {', '.join(coh.get('errored') or coh['unscored'])})", style="bold magenta")
        console.print(line)
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
            table.add_row(tid, _score(tp["score"]), Text(tp["status"], style=STATUS_STYLE.get(tp["status"], "")),
                          f"{tp['weight']:g}", f"+{pull[tid]:.1f}" if tid in pull else "—",
                          f"{counts['passed']}/{counts['failed']}/{counts['not_applicable']}/{counts['error']}")
        console.print(table)
        findings = report["findings"]
        if findings:
            console.print(Text(f"Top findings ({min(TOP_FINDINGS, len(findings))} of {len(findings)})", style="bold"))
            for f in findings[:TOP_FINDINGS]:
                pages = f" — on {f['pages']} page{'s' if f['pages'] != 1 else ''}" if f["pages"] > 1 else ""
                head = Text(f"[{f['severity']}] ", style=SEVERITY_STYLE.get(f["severity"], ""))
                head.append(f"{f['title']}{pages}", style="bold")
                head.append(f"  ({f['probe']}, id {f['id']})", style="dim")
                console.print(head)
                console.print(f"    {f['message']}")
                for ex in f["examples"][:2]:
                    where = ex["url"] + (f"  {ex['selector']}" if ex.get("selector") else "")
                    snippet = f'  "{ex["snippet"][:80]}"' if ex.get("snippet") else ""
                    console.print(Text(f"    at {where}{snippet}", style="dim"))
        for note in report.get("notes", []):
            console.print(Text(f"note: {note}", style="dim"))
        return buf.getvalue()
