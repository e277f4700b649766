"""Build the JSON report (``schema_version`` "1") from a run: plain dicts at the edge.

Findings are deduplicated here: issues with the same probe, kind and key across pages
become one finding with a page count and at most five examples. Findings of different
probes that name one root cause (an issue's ``cause`` key: the same broken link, the same
missing page, the same shown-vs-linked mismatch) are then grouped: each member carries the
group's id in ``cause`` and the report lists the groups in ``causes``. Grouping only reads
findings, so scores never change. Every list has a stable order, and for local targets
every URL is site-relative, so two runs of the same site give identical JSON apart from
times.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import __version__
from ._registry import PluginManager
from .locate import Locator, locator_for
from .model import Cause, Evidence, Finding, Issue, ProbeResult, Rendering
from .probe import Probe, Touchpoint
from .runner import RunResult
from .sanitise import clean_tree
from .scoring import METHOD, cohesion, touchpoint_score, touchpoint_status

SCHEMA_VERSION = "1"
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
MAX_EXAMPLES = 5


def finding_id(probe: str, kind: str, key: str) -> str:
    """Stable id: a hash of probe, kind and an origin-free key."""
    return hashlib.sha1(f"{probe}|{kind}|{key}".encode()).hexdigest()[:12]


def cause_id(key: str) -> str:
    """Stable id of a root cause: a hash of its origin-free key."""
    return hashlib.sha1(f"cause|{key}".encode()).hexdigest()[:12]


def _common_cause(items: list[Issue], strip: Any) -> Cause | None:
    """The cause all of a finding's issues name, or None when one names none or they
    differ: a finding is grouped only when the whole of it has one cause."""
    if not items or any(i.cause is None for i in items):
        return None
    keys = {strip(i.cause.key) for i in items if i.cause is not None}
    if len(keys) != 1 or not next(iter(keys)):
        return None
    # Titles may differ by the words of each link; the key decides, the title is any one.
    return Cause(key=keys.pop(), title=min(strip(i.cause.title) for i in items if i.cause is not None))


def group_causes(findings: list[Finding]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Group findings (already in report order) by root cause.

    Returns (finding id -> cause id, for members of a group only) and the groups of two
    findings or more, sorted like findings: worst severity, then most pages, then id. The
    group's title is its first member's cause title.
    """
    members: dict[str, list[Finding]] = {}
    for f in findings:
        if f.cause is not None:
            members.setdefault(f.cause.key, []).append(f)
    of: dict[str, str] = {}
    causes: list[dict[str, Any]] = []
    for key, group in members.items():
        if len(group) < 2:
            continue
        cid = cause_id(key)
        severity = min((f.severity for f in group), key=lambda s: SEVERITY_RANK.get(s, 9))
        causes.append({"id": cid, "title": group[0].cause.title if group[0].cause else key, "severity": severity,
                       "findings": [f.id for f in group],
                       "probes": sorted({f.probe for f in group}),
                       "touchpoints": sorted({f.touchpoint for f in group}),
                       "_pages": max(f.pages for f in group)})
        for f in group:
            of[f.id] = cid
    causes.sort(key=lambda c: (SEVERITY_RANK.get(c["severity"], 9), -c["_pages"], c["id"]))
    for c in causes:
        del c["_pages"]
    return of, causes


def dedupe(probe_id: str, touchpoint: str, issues: Iterable[Issue], strip: Any) -> list[Finding]:
    """Merge a probe's issues into findings (one per kind and key)."""
    groups: dict[tuple[str, str], list[Issue]] = {}
    for iss in issues:
        groups.setdefault((iss.kind, strip(iss.key)), []).append(iss)
    out: list[Finding] = []
    for (kind, key), items in sorted(groups.items()):
        evidence: dict[tuple[str, str, str], Evidence] = {}
        for iss in items:
            for ev in iss.evidence:
                ev2 = Evidence(url=strip(ev.url), selector=ev.selector, snippet=strip(ev.snippet)[:300], box=ev.box)
                evidence.setdefault((ev2.url, ev2.selector, ev2.snippet), ev2)
        urls = sorted({e.url for e in evidence.values() if e.url})
        examples = sorted(evidence.values(), key=lambda e: (e.url, e.selector, e.snippet))
        # One example per page first, so the examples show the spread (the examples are
        # distinct: one per url, selector and snippet).
        first_per_page: list[Evidence] = []
        rest: list[Evidence] = []
        seen: set[str] = set()
        for e in examples:
            if e.url in seen:
                rest.append(e)
            else:
                first_per_page.append(e)
                seen.add(e.url)
        head = items[0]
        severity = min((i.severity for i in items), key=lambda s: SEVERITY_RANK.get(s, 9))
        out.append(Finding(id=finding_id(probe_id, kind, key), probe=probe_id, touchpoint=touchpoint,
                           severity=severity, title=strip(head.title), message=strip(head.message),
                           pages=len(urls), examples=tuple((first_per_page + rest)[:MAX_EXAMPLES]),
                           cause=_common_cause(items, strip)))
    return out


def touchpoint_weight(tp: Touchpoint, profile: str, overrides: dict[str, float]) -> float:
    return overrides.get(tp.id, tp.weight_for(profile))


def build_report(run: RunResult, pm: PluginManager) -> dict[str, Any]:
    """The report dict of the JSON contract."""
    session = run.session
    config = session.config
    target = session.target
    registry = pm.registry()
    site = run.site

    def strip(value: Any) -> Any:
        if isinstance(value, str):
            if target.local_origin:
                return value.replace(target.local_origin, "")
            return value
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value

    def origin_free(key: str) -> str:
        key = strip(key)
        return key.replace(site.origin, "") if site.origin else key

    by_tp: dict[str, list[ProbeResult]] = {}
    for r in run.results:
        by_tp.setdefault(r.touchpoint, []).append(r)

    findings: list[Finding] = []
    probe_findings: dict[str, list[str]] = {}
    for r in run.results:
        fs = dedupe(r.id, r.touchpoint, run.issues.get(r.id, ()), lambda s: origin_free(s) if s is not None else s)
        # Evidence URLs and text keep the live origin for live sites; ids never do.
        fs = [Finding(id=f.id, probe=f.probe, touchpoint=f.touchpoint, severity=f.severity, title=f.title,
                      message=f.message, pages=f.pages,
                      examples=tuple(Evidence(url=strip(e.url) if target.local_origin else _abs(site.origin, e.url),
                                              selector=e.selector, snippet=e.snippet, box=e.box) for e in f.examples),
                      cause=f.cause)
              for f in fs]
        findings.extend(fs)
        probe_findings[r.id] = [f.id for f in fs]
    # A probe that errored is itself an error-level finding, naming the plugin.
    for r in run.results:
        if r.status == "error":
            fid = finding_id(r.id, "probe-error", "")
            findings.append(Finding(id=fid, probe=r.id, touchpoint=r.touchpoint, severity="error",
                                    title=f"Probe {r.id} could not run",
                                    message=strip(r.reason), pages=0, examples=()))
            probe_findings[r.id] = [*probe_findings.get(r.id, []), fid]

    touchpoints: dict[str, Any] = {}
    scores: dict[str, float | None] = {}
    weights: dict[str, float] = {}
    errored: list[str] = []
    for tid in sorted(registry.touchpoints):
        tp = registry.touchpoints[tid]
        results = sorted(by_tp.get(tid, []), key=lambda r: r.id)
        score = touchpoint_score(results) if results else None
        w = touchpoint_weight(tp, config.profile, config.weights)
        facts: dict[str, Any] = dict(tp.fact_defaults)
        for r in results:
            facts.update(r.facts)
        if any(r.status == "error" for r in results):
            errored.append(tid)
        scores[tid] = score
        weights[tid] = w
        touchpoints[tid] = {
            "title": tp.title,
            "question": tp.question,
            "score": score,
            "weight": w,
            "status": touchpoint_status(score),
            "probes": [
                {"id": r.id, "status": r.status, "score": r.score, "weight": r.weight,
                 "findings": sorted(probe_findings.get(r.id, [])), "reason": strip(r.reason), "plugin": r.plugin,
                 **explanation(registry.probes.get(r.id), bool(probe_findings.get(r.id)))}
                for r in results
            ],
            "facts": strip(facts),
        }
    coh = cohesion(scores, weights, errored)
    incomplete_because = list(session.problems)
    coh_complete = coh.complete and not incomplete_because and not run.fatal

    findings.sort(key=lambda f: (SEVERITY_RANK.get(f.severity, 9), -f.pages, f.touchpoint, f.probe, f.id))
    # Folder and file targets: each example names its source file, line and column.
    locator = locator_for(target.root, target.kind, config.max_bytes)
    cause_of, causes = group_causes(findings)
    shots = screenshots(session.artifacts.get("rendering"), config)
    pages = []
    for p in sorted(site.pages, key=lambda p: p.url):
        entry: dict[str, Any] = {
            "url": strip(p.url),
            "status": p.status,
            "depth": p.depth if p.depth >= 0 else None,
            "ok": p.ok,
            "found_via": p.found_via,
            "title": p.facts.title if p.facts else None,
            "lang": p.facts.lang if p.facts else None,
            "words": p.facts.word_count if p.facts else 0,
            "script_built": list(p.facts.script_built) if p.facts else [],
            "error": p.error,
            "error_detail": strip(p.error_detail) if p.error_detail else None,
            "redirects": len(p.redirects),
        }
        if shots.get(p.url):
            entry["screenshots"] = shots[p.url]
        pages.append(entry)
    st = site.stats
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "cxprobe", "version": __version__},
        "target": target.raw,
        "start_url": strip(site.start_url if site.start_url else target.start_url),
        "mode": session.mode,
        "profile": config.profile,
        "started_at": run.started_at,
        "duration_s": run.duration_s,
        "crawl": {"pages": st.pages, "fetched": st.fetched, "errors": st.errors,
                  "robots_blocked": st.robots_blocked, "not_fetched": st.not_fetched,
                  "truncated": st.truncated, "max_depth_reached": st.max_depth_reached},
        "cohesion": {"score": coh.score, "method": METHOD, "weakest": coh.weakest,
                     "complete": coh_complete, "unscored": list(coh.unscored),
                     "errored": sorted(errored), "incomplete_because": incomplete_because, "pull": coh.pull},
        "touchpoints": touchpoints,
        "pages": pages,
        "findings": [
            {"id": f.id, "probe": f.probe, "touchpoint": f.touchpoint, "severity": f.severity,
             "title": f.title, "message": f.message, "pages": f.pages,
             "examples": [_example(e, locator) for e in f.examples],
             **({"cause": cause_of[f.id]} if f.id in cause_of else {})}
            for f in findings
        ],
        "causes": causes,
        # The customer's roads between touchpoints (cxprobe.journeys), in the order configured.
        "journeys": strip(journey_entries(run.journeys, config)),
        "plugins": [
            {"name": i.name, "dist": i.dist, "version": i.version, "builtin": i.builtin, "hooks": i.hooks,
             "error": i.error}
            for i in sorted(pm.infos, key=lambda i: (not i.builtin, i.name))
        ],
        "notes": list(session.notes) + list(pm.warnings),
        "error": run.fatal,
        # No gate until the run's gates are evaluated (cxprobe.gates.evaluate).
        "gates": {"passed": True, "checks": [], "waivers": []},
    }
    if session.browser:
        report["browser"] = session.browser
    # Site content is data: no control character reaches any format (terminal, JSON, ...).
    cleaned: dict[str, Any] = clean_tree(report)
    return cleaned


def finish_report(run: RunResult, pm: PluginManager, gates: Any, baseline: Any = None,
                  baseline_name: str = "", target: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report of a run as every front end gives it (the command, the fleet's workers,
    ``cxprobe.testing.audit``): built, ``cxprobe_report_ready`` called (an implementation
    that fails or hangs makes the run incomplete), compared with ``baseline`` when the site
    was measured, and ``gates`` (:class:`cxprobe.gates.Gates`) evaluated into its ``gates``
    section. ``target``: the target as the caller names it (the fleet: as its sites file
    has it), before anything reads the report. Returns the report and that section."""
    from .gates import compare, evaluate

    report = build_report(run, pm)
    if target is not None:
        report["target"] = target
    late = pm.report_ready(report, budget=run.session.budget())
    if late:
        report["cohesion"]["complete"] = False
        report["cohesion"]["incomplete_because"] = [*report["cohesion"].get("incomplete_because", []), *late]
    if baseline is not None and not run.fatal:
        report["baseline"] = compare(baseline, report, file=baseline_name)
    return report, evaluate(report, gates)


def _example(e: Evidence, locator: Locator | None) -> dict[str, Any]:
    """An example at the JSON edge; with its ``source`` when the target is a folder or file,
    and its ``box`` on the screenshot when a browser-mode probe knew the element's box."""
    out: dict[str, Any] = {"url": e.url, "selector": e.selector, "snippet": e.snippet}
    if locator is not None:
        where = locator.locate(e.url, e.selector, e.snippet)
        if where is not None:
            out["source"] = where.as_dict()
    if e.box is not None:
        out["box"] = {"viewport": e.box.viewport, "x": e.box.x, "y": e.box.y,
                      "width": e.box.width, "height": e.box.height}
    return out


def explanation(probe: Probe | None, has_findings: bool) -> dict[str, str]:
    """What a probe result says about itself, so that a report explains its findings
    without the plugins at hand: ``title`` (what passing means) and ``failure_title``
    always; ``description`` (what is checked, why it matters, how to fix it) only for a
    probe with findings, to keep reports small."""
    if probe is None:
        return {}
    out = {"title": probe.title, "failure_title": probe.failure_title}
    if has_findings and probe.description.strip():
        out["description"] = " ".join(probe.description.split())
    return out


def screenshots(rendering: Any, config: Any) -> dict[str, dict[str, str]]:
    """page URL -> {viewport: screenshot path} of the rendering (browser mode), for the
    pages that have one. A path is relative to the folder of the report file when the
    report goes to a file (``--output``), so the report and its screenshots move together;
    absolute otherwise."""
    if not isinstance(rendering, Rendering):
        return {}
    shots: dict[str, dict[str, str]] = {}
    for rp in rendering.pages:
        if not rp.screenshot or rp.error:
            continue
        shots.setdefault(rp.url, {})[rp.viewport] = shown_path(rp.screenshot, config)
    return {url: dict(sorted(v.items())) for url, v in shots.items()}


def shown_path(screenshot: str, config: Any) -> str:
    """A screenshot's path as the report shows it: relative to the folder of the report
    file when the report goes to a file (``--output``), absolute otherwise."""
    folder: Path | None = None
    formats = list(dict.fromkeys(config.formats or ("terminal",)))
    if config.output and config.output != "-":
        out = Path(config.output).absolute()
        folder = out if len(formats) > 1 else out.parent
    path = Path(screenshot).absolute()
    shown = str(path)
    if folder is not None:
        try:
            shown = os.path.relpath(path, folder)
        except ValueError:  # another drive (Windows)
            pass
    return Path(shown).as_posix()


def journey_entries(journeys: Iterable[Any], config: Any) -> list[dict[str, Any]]:
    """The report's ``journeys`` list, screenshots shown as the pages' are."""
    out = []
    for j in journeys:
        entry = j.as_dict()
        breaks = [entry["broken_at"], *(r["broken_at"] for r in entry["routes"].values() if r)]
        for b in breaks:
            if b and b.get("screenshot"):
                b["screenshot"] = shown_path(b["screenshot"], config)
        out.append(entry)
    return out


def _abs(origin: str, url: str) -> str:
    if url.startswith("/") and origin:
        return origin + url
    return url
