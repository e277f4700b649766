"""The terminal reporter: cohesion score, touchpoint table, the findings with evidence.

Written for the site's owner: statuses and counts in words ("needs work", "1 page could
not be fetched"), findings as titles, messages, pages and the exact text, and findings
that share one root cause under one headline. Finding ids and CSS selectors are for the
people who build the site: ``--verbose`` shows them. The ten most important findings are
shown; ``--all`` shows every one.

Site text is data: every piece of it is printed as a rich :class:`~rich.text.Text`, never
parsed as markup, with control characters replaced.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..probe import Reporter
from ..sanitise import clean_text
from ..scoring import touchpoint_status
from ._shared import (
    PROBE_STATUS_WORDS,
    SEVERITY_RANK,
    plain_count,
    probe_status_words,
    status_words,
    waiver,
)

STATUS_STYLE = {"good": "green", "needs_work": "yellow", "poor": "red", "unscored": "magenta"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
#: Headlines shown without --all (a cause group counts as one).
TOP_FINDINGS = 10
#: Examples shown under each headline.
EXAMPLES = 2
#: Why a fetched URL is not a page, in words (``pages[].error``; ``error_detail`` says more).
ERROR_WORDS = {"timeout": "timed out", "connect": "no connection", "too_large": "too large",
               "redirect_loop": "redirect loop", "too_many_redirects": "too many redirects",
               "not_html": "not HTML", "decode": "unreadable", "invalid_url": "invalid address",
               "too_complex": "too complex to read", "deadline": "the deadline ran out",
               "extract_failed": "could not be read", "http_error": "error status", "other": "other error"}
TRUNCATED_WORDS = {"max_pages": "the crawl stopped at the page limit (--max-pages)",
                   "max_depth": "the crawl stopped at the depth limit (--max-depth)",
                   "deadline": "the crawl stopped at the deadline (--deadline)"}


def _score(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def _t(value: object, style: str = "") -> Text:
    """Site and plugin content as plain text: never parsed as markup, controls replaced."""
    return Text(clean_text(str(value)), style=style)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""


def crawl_words(report: dict[str, Any]) -> str:
    """The crawl counters as a sentence: "9 pages checked, 1 page could not be fetched (HTTP 404)"."""
    crawl = report.get("crawl") or {}
    parts = [plain_count(int(crawl.get("pages") or 0), "page") + " checked"]
    errors = int(crawl.get("errors") or 0)
    if errors:
        why: Counter[str] = Counter()
        for p in report.get("pages") or ():
            if isinstance(p, dict) and not p.get("ok", True) and (p.get("error") or p.get("error_detail")):
                detail = p.get("error_detail") if p.get("error") == "http_error" else None
                why[clean_text(str(detail or ERROR_WORDS.get(str(p.get("error")), p.get("error"))))] += 1
        reasons = ", ".join(r if len(why) == 1 else f"{n} {r}" for r, n in sorted(why.items(), key=lambda kv: (-kv[1], kv[0])))
        parts.append(plain_count(errors, "page") + f" could not be fetched{f' ({reasons})' if reasons else ''}")
    if crawl.get("robots_blocked"):
        parts.append(plain_count(int(crawl["robots_blocked"]), "page") + " blocked by robots.txt")
    if crawl.get("not_fetched"):
        parts.append(plain_count(int(crawl["not_fetched"]), "page") + " found but not fetched")
    if crawl.get("truncated"):
        parts.append(TRUNCATED_WORDS.get(str(crawl["truncated"]), f"the crawl stopped early ({crawl['truncated']})"))
    return ", ".join(parts)


def probe_counts(probes: list[dict[str, Any]]) -> str:
    """A touchpoint's probes by status, in words: "1 passed, 4 failed, 1 does not apply"."""
    counts = Counter(str(p.get("status")) for p in probes)
    order = [*PROBE_STATUS_WORDS, *sorted(set(counts) - set(PROBE_STATUS_WORDS))]
    return ", ".join(f"{counts[s]} {probe_status_words(s)}" for s in order if counts[s]) or "none"


def headlines(report: dict[str, Any]) -> list[tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    """The findings as headlines, in report order: (cause group, its findings) for a root
    cause shared by several findings (placed where its first finding stands), else
    (None, [finding])."""
    findings = [f for f in report.get("findings") or () if isinstance(f, dict)]
    by_id = {f.get("id"): f for f in findings}
    groups = {c.get("id"): c for c in report.get("causes") or () if isinstance(c, dict)}
    out: list[tuple[dict[str, Any] | None, list[dict[str, Any]]]] = []
    placed: set[Any] = set()
    for f in findings:
        cid = f.get("cause")
        group = groups.get(cid) if cid is not None else None
        if group is None:
            out.append((None, [f]))
        elif cid not in placed:
            placed.add(cid)
            members = [by_id[i] for i in group.get("findings") or () if i in by_id]
            out.append((group, members or [f]))
    return out


_ROUTE_WORDS = {"nav": "nav", "footer": "footer", "in_page": "any link", "desktop": "desktop",
                "mobile_menu": "phone"}


def journey_line(j: dict[str, Any]) -> str:
    """One line for a journey: reached in how many clicks and how, or where and why it broke;
    then each route's clicks ("nav 1, footer —, any link 1")."""
    name = f"{j.get('name')} ({j.get('title')})" if j.get("title") and j.get("title") != j.get("name") else str(j.get("name"))
    routes = j.get("routes") or {}
    measured = [(r, v) for r, v in routes.items() if v is not None]
    per_route = ", ".join(f"{_ROUTE_WORDS.get(r, r)} {v['clicks'] if v.get('reached') else '—'}" for r, v in measured)
    if j.get("reached"):
        clicks = j.get("clicks") or 0
        path = " → ".join(str(u) for u in j.get("path") or [])
        seconds = f", {j['seconds']:.1f} s" if isinstance(j.get("seconds"), (int, float)) else ""
        text = f"{name}: {plain_count(clicks, 'click')}{seconds} ({path})"
        phone = routes.get("mobile_menu")
        if phone is not None and not phone.get("reached") and phone.get("broken_at"):
            broke = phone["broken_at"]
            text += (f"; on a phone it is not judged: {broke.get('detail')}" if broke.get("reason") == "not_checked"
                     else f"; on a phone it breaks: {broke.get('detail')}")
    else:
        broke = j.get("broken_at") or {}
        where = f" at {broke['url']}" if broke.get("url") else ""
        text = f"{name}: not reached{where}: {broke.get('detail') or broke.get('reason') or 'not found'}"
    # The routes only say more when one of them reaches the journey.
    return f"{text}  [{per_route}]" if per_route and any(v.get("reached") for _r, v in measured) else text


class TerminalReporter(Reporter):
    """``--format terminal``: a readable summary for people."""

    name = "terminal"
    extension = ".txt"
    description = "a summary for people: score, touchpoints, the most important findings"

    def __init__(self, color: bool | None = None, width: int = 100) -> None:
        self.color = color
        self.width = width

    def render(self, report: dict[str, Any], config: Any) -> str:
        verbose = bool(getattr(config, "verbose", False))
        show_all = bool(getattr(config, "all_findings", False))
        buf = io.StringIO()
        force = self.color if self.color is not None else False
        console = Console(file=buf, width=self.width, force_terminal=force, color_system="standard" if force else None,
                          highlight=False, soft_wrap=False)
        coh = report["cohesion"]
        console.print(_t(f"cxprobe {report['tool']['version']} — {report['target']}", style="bold"))
        console.print(_t(f"{report['mode']} mode, {report.get('profile', 'general')} profile: {crawl_words(report)}, "
                         f"{report['duration_s']:.1f} s"))
        if report.get("error"):
            console.print(_t(f"could not measure: {report['error']}", style="bold red"))
            return buf.getvalue()
        score = coh["score"]
        status = touchpoint_status(score)
        line = Text("Cohesion score: ", style="bold")
        line.append(_score(score), style=f"bold {STATUS_STYLE[status]}")
        line.append(" / 100")
        line.append(clean_text(f" ({status_words(status)})"), style=STATUS_STYLE[status])
        if coh.get("weakest"):
            line.append(clean_text(f"   weakest touchpoint: {coh['weakest']}"))
        if not coh.get("complete", True):
            why = coh.get("errored") or coh.get("unscored") or []
            line.append(clean_text("   INCOMPLETE" + (f": {_and(list(why))} not checked" if why else "")),
                        style="bold magenta")
        console.print(line)
        for reason in coh.get("incomplete_because", []):
            console.print(_t(f"incomplete: {reason}", style="magenta"))
        self._touchpoints(console, report)
        self._journeys(console, report)
        self._findings(console, report, verbose=verbose, show_all=show_all)
        for note in report.get("notes", []):
            console.print(_t(f"note: {note}", style="dim"))
        return buf.getvalue()

    @staticmethod
    def _touchpoints(console: Console, report: dict[str, Any]) -> None:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("touchpoint")
        table.add_column("score", justify="right")
        table.add_column("status")
        table.add_column("weight", justify="right")
        table.add_column("gain if fixed", justify="right")
        table.add_column("probes")
        pull = report["cohesion"].get("pull", {})
        # Biggest possible gain first: the table reads as a to-do list.
        rows = sorted(report["touchpoints"].items(), key=lambda kv: (-pull.get(kv[0], -1.0), kv[0]))
        for tid, tp in rows:
            table.add_row(_t(tid), _t(_score(tp["score"])),
                          _t(status_words(tp["status"]), style=STATUS_STYLE.get(tp["status"], "")),
                          _t(f"{tp['weight']:g}"), _t(f"+{pull[tid]:.1f}" if tid in pull else "—"),
                          _t(probe_counts(tp["probes"])))
        console.print(table)

    @staticmethod
    def _journeys(console: Console, report: dict[str, Any]) -> None:
        journeys = report.get("journeys") or []
        if not journeys:
            return
        console.print(_t("Journeys from the start page:", style="bold"))
        for j in journeys:
            line = journey_line(j)
            console.print(_t(f"  {'✓' if j.get('reached') else '✗'} {line}",
                             style="" if j.get("reached") else "yellow"))

    def _findings(self, console: Console, report: dict[str, Any], *, verbose: bool, show_all: bool) -> None:
        items = headlines(report)
        total = sum(len(members) for _g, members in items)
        if not total:
            console.print(_t("No findings.", style="bold"))
            return
        shown = items if show_all else items[:TOP_FINDINGS]
        hidden = total - sum(len(members) for _g, members in shown)
        grouped = [m for g, m in items if g is not None]
        head = f"Findings: {total}" + (", the most important first." if hidden else ".")
        if grouped:
            n = sum(len(m) for m in grouped)
            head += (f" {n} of them share one root cause and are shown together." if len(grouped) == 1 else
                     f" {n} of them share {len(grouped)} root causes; each cause is shown once, its findings under it.")
        console.print(_t(head, style="bold"))
        for group, members in shown:
            if group is None:
                self._finding(console, members[0], verbose=verbose, indent="")
            else:
                self._group(console, group, members, verbose=verbose)
        if hidden:
            console.print(_t(f"and {plain_count(hidden, 'more finding')} — --all shows them", style="bold"))
        probe = next((m[0].get("probe") for _g, m in shown if m and m[0].get("probe")), None)
        if probe:
            console.print(_t(f"How to fix a finding: cxprobe explain PROBE (e.g. cxprobe explain {probe}).", style="dim"))

    @staticmethod
    def _pages(f: dict[str, Any]) -> str:
        n = f.get("pages")
        return f" — on {plain_count(n, 'page')}" if isinstance(n, int) and n > 1 else ""

    def _finding(self, console: Console, f: dict[str, Any], *, verbose: bool, indent: str) -> None:
        sev = str(f.get("severity"))
        line = _t(f"{indent}[{sev}] " if not indent else f"{indent}• ", style=SEVERITY_STYLE.get(sev, ""))
        line.append(clean_text(f"{f.get('title')}{self._pages(f)}"), style="bold" if not indent else "")
        ident = f"{f.get('probe')}, id {f.get('id')}" if verbose else f"{f.get('probe')}"
        line.append(clean_text(f"  ({ident})"), style="dim")
        w = waiver(f)
        if w is not None:
            line.append(clean_text(f"  waived: {w.get('reason')}"), style="magenta")
        console.print(line)
        console.print(_t(f"{indent}    {f.get('message')}"))
        if not indent:
            self._examples(console, f.get("examples") or [], verbose=verbose)

    def _group(self, console: Console, group: dict[str, Any], members: list[dict[str, Any]], *, verbose: bool) -> None:
        sev = str(group.get("severity") or min((str(m.get("severity")) for m in members),
                                                key=lambda s: SEVERITY_RANK.get(s, 9)))
        line = _t(f"[{sev}] ", style=SEVERITY_STYLE.get(sev, ""))
        line.append(clean_text(str(group.get("title"))), style="bold")
        probes = [str(p) for p in group.get("probes") or ()]
        touchpoints = [str(t) for t in group.get("touchpoints") or ()]
        line.append(clean_text(f" — affects {_and(touchpoints)} ({', '.join(probes)})"))
        if verbose:
            line.append(clean_text(f"  (cause {group.get('id')})"), style="dim")
        console.print(line)
        console.print(_t(f"    One cause, {plain_count(len(members), 'finding')}: fixing it settles them all.",
                         style="dim"))
        for m in members:
            self._finding(console, m, verbose=verbose, indent="    ")
        seen: set[tuple[str, str]] = set()
        examples = []
        for m in members:
            for ex in m.get("examples") or ():
                key = (str(ex.get("url")), str(ex.get("snippet")))
                if key not in seen:
                    seen.add(key)
                    examples.append(ex)
        # One example per page first, so the examples show the spread.
        by_page: dict[str, dict[str, Any]] = {}
        for ex in examples:
            by_page.setdefault(str(ex.get("url")), ex)
        self._examples(console, list(by_page.values()) + [e for e in examples if e not in by_page.values()],
                       verbose=verbose)

    @staticmethod
    def _examples(console: Console, examples: list[dict[str, Any]], *, verbose: bool) -> None:
        """The first examples: the page and the exact text (and, with --verbose, the
        selector). Without selectors, the same text twice on one page is one line."""
        lines: dict[str, int] = {}
        for ex in examples:
            where = str(ex.get("url") or "")
            if verbose and ex.get("selector"):
                where += f"  {ex['selector']}"
            snippet = " ".join(str(ex.get("snippet") or "").split())
            if len(snippet) > 80:
                snippet = snippet[:79].rstrip() + "…"
            text = f'{where}: "{snippet}"' if snippet else where
            if text in lines or len(lines) < EXAMPLES:
                lines[text] = lines.get(text, 0) + 1
        for text, n in lines.items():
            console.print(_t(f"    on {text}" + (f" ({n} places)" if n > 1 else ""), style="dim"))
