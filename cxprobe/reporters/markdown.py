"""The Markdown reporter: a short summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

What a reviewer needs first comes first: the cohesion score (with its change against the
baseline), whether the run is complete, whether the gates held and which checks failed;
then, against a baseline, the new findings (errors first) and the fixed ones, and a
warning when the baseline is not comparable; then the touchpoint table, the journeys (one
line each), the top findings and the waived ones. Every list is capped ("and N more") so the comment stays readable and
far below GitHub's 65,536-character limit.

Site text is hostile: a page title may hold ``|``, backticks, ``<script>``, newlines, a
Markdown link or an ``@mention``. :func:`md` makes any text one inert line: HTML
special characters become entities, Markdown punctuation is backslash-escaped (a pipe
cannot end a table cell), whitespace runs become one space, and a zero-width space after
``@`` and before an issue number keeps a comment from pinging people or cross-linking
issues. Site text never starts a line, so it cannot open a heading, list or quote.
"""

from __future__ import annotations

import re
from typing import Any

from ..probe import Reporter
from ._shared import (
    SEVERITY_RANK,
    STATUS_WORDS,
    findings_by_id,
    gate_checks,
    plain,
    score_text,
    status_words,
    waiver,
)
from .locations import where

MAX_NEW = 20
MAX_FIXED = 20
MAX_TOP = 10
MAX_WAIVED = 10
MAX_CHECKS = 20
MAX_TOUCHPOINTS = 40
MAX_MISMATCHES = 5
#: Longest text in a table cell or list item.
CELL_CHARS = 160

SEVERITY_ICON = {"error": "❌ error", "warning": "⚠️ warning", "info": "ℹ️ info"}
_STATUS_DOT = {"good": "🟢", "needs_work": "🟡", "poor": "🔴", "unscored": "⚪"}
#: A touchpoint status as the table shows it: a dot and the shared plain words.
STATUS_ICON = {s: f"{_STATUS_DOT[s]} {w}" for s, w in STATUS_WORDS.items()}

_ESCAPE = re.compile(r"([\\`*_\[\]|~])")
_MENTION = re.compile(r"@")
_ISSUE_REF = re.compile(r"#(?=\d)")
_SAFE_CODE = re.compile(r"^[A-Za-z0-9_.:/@+-]{1,120}$")


def md(value: Any, limit: int = CELL_CHARS) -> str:
    """``value`` as inert Markdown on one line (see the module docstring)."""
    text = " ".join(plain(value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _ESCAPE.sub(r"\\\1", text)
    text = _MENTION.sub("@\u200b", text)
    return _ISSUE_REF.sub("#\u200b", text)


def code(value: Any) -> str:
    """An identifier (probe, finding, check) in a code span when it is a plain one, else :func:`md`."""
    text = "" if value is None else str(value)
    return f"`{text}`" if _SAFE_CODE.match(text) else md(text)


def delta(value: Any) -> str:
    """A score change with an arrow: ``↑ +2.4``, ``↓ -1.0``, ``→ 0.0``; ``—`` when unknown."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    if value > 0:
        return f"↑ +{value:.1f}"
    if value < 0:
        return f"↓ {value:.1f}"
    return "→ 0.0"


def _more(shown: int, total: int, what: str) -> list[str]:
    return ["", f"_…and {total - shown} more {what} in the full report._"] if total > shown else []


def _pages(finding: dict[str, Any]) -> str:
    n = finding.get("pages")
    return str(n) if isinstance(n, int) and n > 0 else "—"


def _where(report: dict[str, Any], finding: dict[str, Any]) -> str:
    for ex in finding.get("examples") or ():
        if isinstance(ex, dict):
            place = where(report, ex)
            if place:
                return md(place, 120)
    return "—"


class MarkdownReporter(Reporter):
    """``--format markdown``: a summary for pull-request comments and job summaries."""

    name = "markdown"
    extension = ".md"
    description = "a Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY"

    def render(self, report: dict[str, Any], config: Any) -> str:
        lines: list[str] = []
        self._head(report, lines)
        if report.get("error"):
            return "\n".join(lines) + "\n"
        self._gates(report, lines)
        baseline = report.get("baseline") if isinstance(report.get("baseline"), dict) else None
        new_ids: set[str] = set()
        if baseline is not None:
            new_ids = self._baseline(report, baseline, lines)
        self._touchpoints(report, baseline, lines)
        self._journeys(report, lines)
        self._findings(report, new_ids, lines)
        self._waived(report, lines)
        return "\n".join(lines).rstrip("\n") + "\n"

    # ------------------------------------------------------------------ sections
    @staticmethod
    def _head(report: dict[str, Any], lines: list[str]) -> None:
        coh = report.get("cohesion") or {}
        score = score_text(coh.get("score"))
        title = f"## cxprobe: cohesion {score} / 100" if score != "—" else "## cxprobe: cohesion unscored"
        baseline = report.get("baseline") if isinstance(report.get("baseline"), dict) else None
        if baseline is not None:
            c = baseline.get("cohesion") or {}
            if isinstance(c.get("delta"), (int, float)):
                title += f" ({delta(c['delta'])} vs baseline {score_text(c.get('before'))})"
        lines += [title, ""]
        crawl = report.get("crawl") or {}
        facts = [md(report.get("target", ""), 200), f"{md(report.get('mode', '?'))} mode"]
        if isinstance(crawl.get("pages"), int):
            facts.append(f"{crawl['pages']} pages")
        if report.get("profile"):
            facts.append(f"profile {md(report['profile'])}")
        tool = report.get("tool") or {}
        facts.append(f"cxprobe {md(tool.get('version', '?'))}")
        lines += [" · ".join(facts), ""]
        if report.get("error"):
            lines += [f"❌ **Could not measure the site:** {md(report['error'], 300)}", ""]
            return
        if coh.get("complete", True):
            lines.append("✅ **Complete run.**")
        else:
            reasons = [str(r) for r in coh.get("incomplete_because") or ()]
            if coh.get("errored"):
                reasons.append("probes errored in " + ", ".join(map(str, coh["errored"])))
            lines.append("⚠️ **Incomplete run** (it cannot pass a gate): "
                         + ("; ".join(md(r, 200) for r in reasons[:5]) or "a probe could not run") + ".")
        lines.append("")

    @staticmethod
    def _gates(report: dict[str, Any], lines: list[str]) -> None:
        gates = report.get("gates") if isinstance(report.get("gates"), dict) else None
        if gates is None:
            return
        checks = gate_checks(report)
        failed = sorted((c for c in checks if not c.get("passed", True)),
                        key=lambda c: (c.get("level") != "error", str(c.get("name"))))
        if not checks:
            lines.append("**Gates:** none set.")
        elif gates.get("passed", True):
            warned = f", {len(failed)} warning{'s' if len(failed) != 1 else ''}" if failed else ""
            lines.append(f"**Gates: ✅ passed** ({len(checks)} check{'s' if len(checks) != 1 else ''}{warned})")
        else:
            errors = sum(1 for c in failed if c.get("level") == "error")
            lines.append(f"**Gates: ❌ failed** ({errors} of {len(checks)} checks failed at level error)")
        if failed:
            lines.append("")
        for c in failed[:MAX_CHECKS]:
            icon = "❌" if c.get("level") == "error" else "⚠️"
            lines.append(f"- {icon} {code(c.get('name'))} ({md(c.get('level'))}): {md(c.get('message'), 200)}")
        lines += _more(min(len(failed), MAX_CHECKS), len(failed), "failed checks")
        expired = [w for w in gates.get("waivers") or () if isinstance(w, dict) and w.get("expired")]
        if expired:
            lines.append("")
        for w in expired[:MAX_CHECKS]:
            what = w.get("finding") or w.get("probe") or w.get("url") or "?"
            lines.append(f"- ⏰ waiver for {code(what)} expired on {md(w.get('until'))}: {md(w.get('reason'), 120)}")
        lines.append("")

    @staticmethod
    def _baseline(report: dict[str, Any], baseline: dict[str, Any], lines: list[str]) -> set[str]:
        if baseline.get("comparable") is False:
            mismatches = [md(m, 160) for m in baseline.get("mismatches") or ()]
            shown = "; ".join(mismatches[:MAX_MISMATCHES]) + ("; …" if len(mismatches) > MAX_MISMATCHES else "")
            lines += [f"> ⚠️ **The baseline {md(baseline.get('file', ''), 120)} is not comparable** with this run"
                      + (f": {shown}" if shown else "") + ". Deltas and new or fixed findings may not mean a change "
                      "of the site.", ""]
        by_id = findings_by_id(report)
        new_ids = list(dict.fromkeys(str(i) for i in baseline.get("new") or ()))
        new = sorted((by_id[i] for i in new_ids if i in by_id),
                     key=lambda f: SEVERITY_RANK.get(str(f.get("severity")), 9))
        lines += [f"### New findings ({len(new)})", ""]
        if new:
            lines += ["| severity | finding | touchpoint | where |", "|---|---|---|---|"]
            for f in new[:MAX_NEW]:
                sev = SEVERITY_ICON.get(str(f.get("severity")), md(f.get("severity")))
                if waiver(f) is not None:
                    sev += " (waived)"
                lines.append(f"| {sev} | {md(f.get('title'))} | {md(f.get('touchpoint'))} | {_where(report, f)} |")
            lines += _more(min(len(new), MAX_NEW), len(new), "new findings")
        else:
            lines.append("None.")
        fixed = sorted((f for f in baseline.get("fixed") or () if isinstance(f, dict)),
                       key=lambda f: (SEVERITY_RANK.get(str(f.get("severity")), 9), str(f.get("title"))))
        lines += ["", f"### Fixed findings ({len(fixed)})", ""]
        if fixed:
            lines += ["| severity | finding | touchpoint |", "|---|---|---|"]
            for f in fixed[:MAX_FIXED]:
                lines.append(f"| ✅ {md(f.get('severity'))} | {md(f.get('title'))} | {md(f.get('touchpoint'))} |")
            lines += _more(min(len(fixed), MAX_FIXED), len(fixed), "fixed findings")
        else:
            lines.append("None.")
        lines.append("")
        return set(new_ids)

    @staticmethod
    def _touchpoints(report: dict[str, Any], baseline: dict[str, Any] | None, lines: list[str]) -> None:
        touchpoints = sorted((report.get("touchpoints") or {}).items())
        if not touchpoints:
            return
        deltas = (baseline or {}).get("touchpoints") or {}
        lines += ["### Touchpoints", ""]
        if baseline is not None:
            lines += ["| touchpoint | score | change | status |", "|---|---:|---:|---|"]
        else:
            lines += ["| touchpoint | score | status |", "|---|---:|---|"]
        for tid, tp in touchpoints[:MAX_TOUCHPOINTS]:
            status = STATUS_ICON.get(str(tp.get("status")), md(status_words(tp.get("status"))))
            cells = [md(tid), score_text(tp.get("score"))]
            if baseline is not None:
                d = deltas.get(tid)
                cells.append(delta(d.get("delta")) if isinstance(d, dict) else "—")
            cells.append(status)
            lines.append("| " + " | ".join(cells) + " |")
        lines += _more(min(len(touchpoints), MAX_TOUCHPOINTS), len(touchpoints), "touchpoints")
        lines.append("")

    @staticmethod
    def _journeys(report: dict[str, Any], lines: list[str]) -> None:
        journeys = [j for j in report.get("journeys") or () if isinstance(j, dict)]
        if not journeys:
            return
        # A list, not a table: one line per journey reads well in a pull-request comment.
        lines += ["### Journeys", ""]
        for j in journeys[:MAX_TOUCHPOINTS]:
            broke = j.get("broken_at") if isinstance(j.get("broken_at"), dict) else None
            clicks = j.get("clicks")
            if j.get("reached") and isinstance(clicks, int):
                said = f"{clicks} click{'' if clicks == 1 else 's'}"
            else:
                at = f" at {broke.get('url')}" if broke and broke.get("url") else ""
                said = f"breaks{at}: {(broke or {}).get('detail') or (broke or {}).get('reason') or 'not reached'}"
            lines.append(f"- {'✅' if j.get('reached') else '❌'} **{md(j.get('name'))}**: {md(said)}")
        lines += _more(min(len(journeys), MAX_TOUCHPOINTS), len(journeys), "journeys")
        lines.append("")

    @staticmethod
    def _findings(report: dict[str, Any], new_ids: set[str], lines: list[str]) -> None:
        findings = [f for f in report.get("findings") or () if isinstance(f, dict) and waiver(f) is None]
        if not findings:
            lines += ["No findings.", ""]
            return
        shown = findings[:MAX_TOP]
        lines += [f"### Top findings ({len(shown)} of {len(findings)})", "",
                  "| severity | finding | pages | where |", "|---|---|---:|---|"]
        for f in shown:
            sev = SEVERITY_ICON.get(str(f.get("severity")), md(f.get("severity")))
            mark = "🆕 " if str(f.get("id")) in new_ids else ""
            lines.append(f"| {sev} | {mark}{md(f.get('title'))} | {_pages(f)} | {_where(report, f)} |")
        lines += _more(len(shown), len(findings), "findings")
        lines.append("")

    @staticmethod
    def _waived(report: dict[str, Any], lines: list[str]) -> None:
        waived = [f for f in report.get("findings") or () if isinstance(f, dict) and waiver(f) is not None]
        if not waived:
            return
        lines += [f"### Waived findings ({len(waived)})", "", "| finding | reason | until |", "|---|---|---|"]
        for f in waived[:MAX_WAIVED]:
            w = waiver(f) or {}
            lines.append(f"| {md(f.get('title'))} | {md(w.get('reason'))} | {md(w.get('until')) or 'no expiry'} |")
        lines += _more(min(len(waived), MAX_WAIVED), len(waived), "waived findings")
        lines.append("")
