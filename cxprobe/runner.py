"""The runner: gather once, then judge.

``run_audit`` resolves the target, runs the gatherers, runs every selected probe over
the artifacts it declared, turns a raising probe or gatherer into an ``error`` result
naming its plugin, and hands the results to :mod:`cxprobe.report`.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ._budget import MIN_BUDGET, Overrun, run_bounded
from ._forked import second_core
from ._registry import PluginManager, _is_builtin
from .config import AuditConfig, check_names
from .gates import check_gate_names
from .model import (
    UNREAD_ERRORS,
    Evidence,
    FactUnavailable,
    Issue,
    Outcome,
    ProbeResult,
    Rendering,
    Site,
)
from .probe import Context, Probe
from .scoring import probe_status
from .target import Target, open_target

ProgressFn = Callable[[str, int, int], None]


@dataclass
class Session:
    """State of one run, handed to gatherers."""

    config: AuditConfig
    target: Target
    pm: PluginManager
    artifacts: dict[str, Any] = field(default_factory=dict)
    #: Errors of gatherers: artifact -> message.
    gatherer_errors: dict[str, str] = field(default_factory=dict)
    progress: ProgressFn | None = None
    #: Notes for the user (e.g. "auto: no browser found, static mode").
    notes: list[str] = field(default_factory=list)
    mode: str = "static"
    browser: dict[str, str] | None = None
    #: time.monotonic() when the run started: the deadline counts from here.
    started: float = field(default_factory=time.monotonic)
    #: Why the run is incomplete beyond errored probes, one line each: a plugin that could
    #: not be loaded, was cut off or failed in a hook; an ``--include`` glob that matched
    #: no page; a start page that is all that could be audited of a site it links on to.
    #: An incomplete run never passes a gate.
    problems: list[str] = field(default_factory=list)
    #: The run's one browser in browser mode (:class:`cxprobe.browser.host.BrowserHost`),
    #: launched while the site is crawled; the runner closes it at the run's end.
    browser_host: Any = None

    def budget(self) -> float:
        """Seconds one plugin call may take now: the plugin timeout, within the deadline
        (a call always gets a couple of seconds, even once the deadline has passed)."""
        left = self.config.deadline - (time.monotonic() - self.started)
        return min(self.config.plugin_timeout, max(left, MIN_BUDGET))


@dataclass
class RunResult:
    """Everything the report is built from."""

    session: Session
    site: Site
    results: list[ProbeResult]
    issues: dict[str, tuple[Issue, ...]]
    started_at: str
    duration_s: float
    fatal: str | None = None
    #: The journeys walked (:class:`cxprobe.journeys.Journey`), in the order configured.
    journeys: list[Any] = field(default_factory=list)


def select_probes(probes: dict[str, Probe], config: AuditConfig) -> list[Probe]:
    """Probes to run, after --only and --skip (ids or touchpoint ids), in id order."""
    out = []
    for pid in sorted(probes):
        p = probes[pid]
        names = {pid, p.touchpoint}
        if config.only and not (names & set(config.only)):
            continue
        if names & set(config.skip):
            continue
        out.append(p)
    return out


def check_outcome(out: object) -> Outcome:
    """An outcome a probe returned, validated at the boundary: what the report is built from
    must be an :class:`Outcome` with a score in 0..1, :class:`Issue` objects with
    :class:`Evidence`, and facts that are JSON (no cycles, no NaN, no objects)."""
    if not isinstance(out, Outcome):
        raise TypeError(f"check() returned {type(out).__name__}, not cxprobe.Outcome")
    if out.score is not None and (not isinstance(out.score, (int, float)) or not 0.0 <= out.score <= 1.0):
        raise ValueError(f"score {out.score!r} is outside 0..1")
    for iss in out.issues:
        if not isinstance(iss, Issue):
            raise TypeError(f"an issue is a {type(iss).__name__}, not cxprobe.Issue (build it with cxprobe.issue())")
        if not all(isinstance(ev, Evidence) for ev in iss.evidence):
            raise TypeError(f"issue {iss.kind!r} has evidence that is not cxprobe.Evidence")
        if not all(isinstance(v, str) for v in (iss.kind, iss.title, iss.message, iss.key, iss.severity)):
            raise TypeError(f"issue {iss.kind!r}: kind, title, message, key and severity must be strings")
    if not isinstance(out.facts, dict):
        raise TypeError(f"facts are a {type(out.facts).__name__}, not a dict")
    try:
        json.dumps(out.facts, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise TypeError(f"facts cannot become JSON: {type(exc).__name__}: {exc}") from None
    return out


def run_probe(probe: Probe, ctx: Context, owner: str, profile: str, budget: float | None = None,
              fact_owner: Callable[[str], str] | None = None) -> tuple[ProbeResult, tuple[Issue, ...]]:
    """Run one probe within ``budget`` seconds; an exception, an overrun or an outcome that
    is not valid becomes an ``error`` result naming its plugin. A probe that needs facts
    no extractor gave (``FactUnavailable``) names the extractor's plugin
    (``fact_owner(name)``) instead."""
    t = time.perf_counter()
    weight = probe.weight_for(profile)
    missing = [r for r in probe.requires if r == "rendering" and ctx.rendering is None]
    if "journeys" in probe.requires and ctx.journeys is None:
        return ProbeResult(id=probe.id, touchpoint=probe.touchpoint, status="not_applicable", score=None,
                           weight=weight, reason="no journeys were walked", plugin=owner), ()
    if missing:
        reason = "needs a browser: run with --render browser" if ctx.mode == "static" else "rendering failed"
        return ProbeResult(id=probe.id, touchpoint=probe.touchpoint, status="not_applicable", score=None,
                           weight=weight, reason=reason, plugin=owner), ()
    try:
        out = check_outcome(run_bounded(lambda: probe.check(ctx), budget, name=f"cxprobe-probe-{probe.id}"))
    except Overrun as exc:
        return ProbeResult(id=probe.id, touchpoint=probe.touchpoint, status="error", score=None, weight=weight,
                           reason=f"plugin {owner!r}: probe {probe.id} {exc}; it was cut off", plugin=owner,
                           duration_s=time.perf_counter() - t), ()
    except FactUnavailable as exc:
        source = fact_owner(exc.name) if fact_owner else ""
        whose = f"the extractor {exc.name!r} of plugin {source!r}" if source else f"an extractor {exc.name!r} (none is registered)"
        return ProbeResult(id=probe.id, touchpoint=probe.touchpoint, status="error", score=None, weight=weight,
                           reason=f"probe {probe.id} of plugin {owner!r} needs facts from {whose}: {exc.reason}",
                           plugin=owner, duration_s=time.perf_counter() - t), ()
    except Exception as exc:  # noqa: BLE001 - a raising probe is an error result, the run goes on
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        return ProbeResult(id=probe.id, touchpoint=probe.touchpoint, status="error", score=None, weight=weight,
                           reason=f"plugin {owner!r} raised {type(exc).__name__}: {exc}{where}", plugin=owner,
                           duration_s=time.perf_counter() - t), ()
    status = probe_status(out.score)
    return ProbeResult(id=probe.id, touchpoint=probe.touchpoint, status=status,
                       score=None if out.score is None else round(out.score, 4), weight=weight,
                       facts=dict(out.facts), reason=out.not_applicable or "", plugin=owner,
                       duration_s=time.perf_counter() - t), out.issues


def cannot_measure(site: Site, target: Target) -> str | None:
    """Why the site cannot be measured (one line), or None when it can."""
    if site.ok_pages:
        return None
    start = site.page(site.start_url) or (site.pages[0] if site.pages else None)
    shown = target.display(site.start_url)
    if start is None:
        return f"nothing could be fetched from {shown}"
    kind, detail = start.error, start.error_detail
    if kind == "robots":
        where = target.display(site.origin + '/') if target.local_origin else site.origin
        if detail.startswith("robots.txt could not be read"):
            # RFC 9309: an unreachable robots.txt allows nothing.
            return (f"robots.txt of {where} could not be read{detail[len('robots.txt could not be read'):]}: "
                    f"the robots standard then allows no page; use --ignore-robots to audit it anyway")
        return f"robots.txt of {where} disallows the start page {shown}; use --ignore-robots to audit it anyway"
    if kind == "connect":
        return f"could not reach {shown}: {detail or 'connection failed'}"
    if kind == "timeout":
        return f"could not reach {shown}: no response within the timeout"
    if kind == "http_error":
        return f"start page {shown} returned HTTP {start.status}"
    if kind == "not_html":
        return f"start page {shown} is not HTML ({detail})"
    if kind == "redirect_loop":
        return f"start page {shown} redirects in a loop"
    if kind == "too_many_redirects":
        return f"start page {shown} redirects too many times ({detail})"
    if kind == "too_large":
        return f"start page {shown} is larger than the size cap ({detail})"
    if kind == "invalid_url":
        return f"start page {shown} is not a valid URL ({detail})"
    if kind in UNREAD_ERRORS:
        return f"start page {shown} could not be read: {kind}: {detail}"
    return f"start page {shown} could not be fetched: {kind} {detail}".strip()


def unmatched_includes(site: Site, target: Target, config: AuditConfig) -> list[str]:
    """One line per ``--include`` glob that matches no page of the crawl: the run measured
    none of what it was asked to. The start page is fetched whatever the globs say; it
    counts as a match only when the glob matches it (its URL, or the one typed)."""
    from .crawl.scope import glob_matches

    start = site.start_page
    candidates = [p.url for p in site.pages if p.ok]
    if start is not None:
        candidates += [start.url, start.final_url, target.start_url]
    return [f"--include '{glob}' matches no page of the crawl, so none of what it asks for was audited: check the "
            "pattern (it is matched against the path, as in '/blog/*', or against the whole URL)"
            for glob in config.include if not any(u and glob_matches(u, glob) for u in candidates)]


def start_page_alone(site: Site, target: Target, config: AuditConfig) -> str | None:
    """One line when the start page is the only page judged while it links to other pages
    of the site that all failed, were disallowed by robots.txt, excluded by
    ``--include``/``--exclude`` or left out by a limit: the site was not measured beyond
    its start page. None for a genuine one-page site (no link to another page of it)."""
    from . import urls
    from .crawl.options import CrawlOptions
    from .crawl.scope import Scope

    start = site.start_page
    if start is None or start.facts is None or [p.url for p in site.ok_pages] != [start.url]:
        return None
    unfetched = set(site.unfetched)
    failed = blocked = cut = 0
    for t in site.graph.get(start.url, ()):
        if t == start.url or urls.looks_non_html(t) or urls.looks_destructive(t):
            continue
        p = site.page(t)
        if p is None or t in unfetched:
            cut += 1
        elif p.error == "robots":
            blocked += 1
        elif p.error not in (None, "not_html"):  # a link that redirects off-site, or to a file, is no page
            failed += 1
    excluded: set[str] = set()
    if config.include or config.exclude:
        scope = Scope(CrawlOptions(include=config.include, exclude=config.exclude, allow_hosts=config.allow_hosts),
                      hosts=site.hosts)
        for lk in start.facts.links:
            try:
                c = urls.canonical(lk.url) if lk.url and urls.is_http(lk.url) else ""
            except ValueError:
                continue
            if (c and c != start.url and scope.has_host(c) and not scope.contains(c) and not urls.looks_non_html(c)
                    and not urls.looks_destructive(c)):
                excluded.add(c)
    why = [f"{n} {one if n == 1 else many}" for n, one, many in (
        (failed, "could not be loaded (an error status, a timeout, a redirect loop...)",
         "could not be loaded (error statuses, timeouts, redirect loops...)"),
        (blocked, "is disallowed by robots.txt", "are disallowed by robots.txt"),
        (len(excluded), "is excluded by --include/--exclude", "are excluded by --include/--exclude"),
        (cut, "was left out by a limit (--max-depth, --max-pages or the deadline)",
         "were left out by a limit (--max-depth, --max-pages or the deadline)")) if n]
    if not why:
        return None
    total = failed + blocked + cut + len(excluded)
    return (f"only the start page {target.display(start.url)} was audited: of the {total} other "
            f"{'page' if total == 1 else 'pages'} of the site it links to, {'; '.join(why)}")


_UNREAD = {"too_complex": "was too complex to read", "deadline": "was not read before the deadline",
           "extract_failed": "could not be read"}


def unread_notes(site: Site, target: Target) -> list[str]:
    """One line per page that answered but could not be read (too complex, cut by the
    deadline, extraction failed): it is left out of the audit, and the report says so."""
    return [f"page {target.display(p.url)} {_UNREAD.get(p.error or '', 'could not be read')} and is left out "
            f"of the audit ({p.error}: {p.error_detail})"
            + ("; a larger extract_budget in the config reads it" if p.error == "too_complex" else "")
            for p in sorted(site.pages, key=lambda p: p.url) if p.error in UNREAD_ERRORS]


#: What each script-built cue leaves unseen in the HTML, for the static-mode note.
_SCRIPT_BUILT = {"include": "parts fetched from other files", "document-write": "markup written by scripts",
                 "empty-root": "an app's empty root element", "empty-region": "an empty header, footer or nav",
                 "template": "<template> content", "inline-json": "data shipped as inline JSON"}


def script_built_note(site: Site, target: Target, mode: str) -> list[str]:
    """In static mode, one line when pages build part of what they show with scripts (the
    page fact ``script_built``): what those pages show is judged from their HTML only, so
    verdicts on navigation, footer links, contact details and prices there are uncertain."""
    if mode != "static":
        return []
    built = [(p, p.facts.script_built) for p in site.ok_pages
             if p.facts is not None and p.facts.script_built and not p.facts.js_shell]
    if not built:
        return []
    pages = [p for p, _cues in built]
    cues = sorted({c for _p, cues in built for c in cues})
    shown = ", ".join(target.display(p.url) for p in pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
    several = len(pages) > 1
    return [f"{len(pages)} {'pages build' if several else 'page builds'} part of what {'they show' if several else 'it shows'} with scripts "
            f"({'; '.join(_SCRIPT_BUILT.get(c, c) for c in cues)}): {shown}. {'Their' if several else 'Its'} navigation, footer links, contact "
            "details and prices are judged from the HTML only, so findings about them are uncertain; audit with "
            "--render browser to judge what a customer sees"]


def choose_mode(config: AuditConfig) -> tuple[str, dict[str, str] | None, str | None]:
    """(mode, browser info, note) for --render auto|static|browser.

    static: never looks for a browser. browser: the browser found, else
    :class:`~cxprobe.errors.BrowserNotFound` (one line naming the three fixes, exit 2).
    auto: browser mode when a browser is found, else static mode with a note saying why.
    """
    from .browser import describe_missing_browser, find_browser

    if config.render == "static":
        return "static", None, None
    found = find_browser(config.browser_path)
    if found is None:
        if config.render == "browser":
            from .errors import BrowserNotFound

            raise BrowserNotFound(describe_missing_browser(config.browser_path))
        missing = f"no browser at {config.browser_path}" if config.browser_path else "no browser found"
        return "static", None, (f"render auto: {missing}, audited in static mode "
                                f"({describe_missing_browser(None, short=True)})")
    return "browser", {"path": found.path, "source": found.source}, f"render {config.render}: using {found.source} browser {found.path}"


#: The cycle collector's first threshold while probes run (Python's default is 700).
PROBES_GC_THRESHOLD = 10_000


@contextmanager
def gathered() -> Iterator[None]:
    """While probes read what was gathered: every object alive now (the site's facts, a
    large site's hundreds of thousands) is left out of the cyclic garbage collector's full
    collections, which would otherwise walk them all again each time probes have made
    enough new objects; they are read, never changed, and a cycle among them is collected
    at the next full collection after. Measured on 5,000 pages of facts: two full
    collections took 0.4 s of the probes' 3.3 s (docs/performance.md).

    The collector also runs less often meanwhile (its first threshold
    :data:`PROBES_GC_THRESHOLD`, as in an extraction worker): probes make millions of
    objects, nearly all of them without cycles, and with Python's default of 700 the
    collector ran about 400 times over 5,000 pages of facts (0.1-0.15 s of the catalogue's
    1.5-1.7 s). Both are restored after (one audit a process at a time: the collector's
    settings are the process's)."""
    threshold = gc.get_threshold()
    try:
        gc.freeze()
        if threshold[0]:  # 0: the host program switched the collector off; it stays off
            gc.set_threshold(max(threshold[0], PROBES_GC_THRESHOLD), *threshold[1:])
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def run_audit(config: AuditConfig, pm: PluginManager, progress: ProgressFn | None = None,
              on_target: Callable[[Target], None] | None = None) -> RunResult:
    """Run one audit end to end (without writing reports).

    The core decides everything from the configuration: the plugins switched off
    (``disable_plugins``), the render mode and the browser (:func:`choose_mode`).
    """
    started = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    t0 = time.perf_counter()
    if config.disable_plugins:
        pm.disable(config.disable_plugins)
    pm.timeout = min(config.plugin_timeout, config.deadline)
    mode, browser, note = choose_mode(config)
    notes = [note] if note else []
    registry = pm.registry()
    check_names(config, registry.touchpoints, registry.probes)
    check_gate_names(config.assertions, config.ignore, registry.touchpoints, registry.probes, config.source or "config")
    started_mono = time.monotonic()
    configure_problems = pm.configure(config, budget=min(config.plugin_timeout, config.deadline))
    with open_target(config.target, config.start) as target:
        if on_target:
            on_target(target)
        session = Session(config=config, target=target, pm=pm, progress=progress, mode=mode,
                          browser=browser, notes=notes, started=started_mono,
                          problems=[*pm.load_failures(), *registry.measure_problems, *configure_problems])
        selected = select_probes(registry.probes, config)
        # The browser launches while the site is crawled: it needs nothing from the site.
        prelaunch_browser(session)
        warming: threading.Thread | None = None
        try:
            # Gatherers run in dependency order: the crawl first, then what needs it.
            pending = dict(registry.gatherers)
            for _ in range(len(pending) + 1):
                ready = [g for g in pending.values() if all(r in session.artifacts for r in g.requires)]
                if not ready:
                    break
                for g in sorted(ready, key=lambda g: g.artifact):
                    del pending[g.artifact]
                    if not g.applies(session):
                        continue
                    owner = pm.owner("gatherer", g.artifact)
                    # cxprobe's own gatherers (the crawl, the browser) keep the deadline
                    # themselves and must clean up on Ctrl-C: they run in this thread.
                    budget = None if owner == "cxprobe.core" else session.budget()
                    try:
                        session.artifacts[g.artifact] = run_bounded(lambda g=g: g.gather(session), budget,  # type: ignore[misc]
                                                                    name=f"cxprobe-gatherer-{g.artifact}")
                        if g.artifact == "site":
                            if session.browser_host is not None:
                                warming = warm_probes(selected, session.artifacts["site"])
                            fatal = cannot_measure(session.artifacts["site"], target)
                            if fatal:
                                return RunResult(session=session, site=session.artifacts["site"], results=[],
                                                 issues={}, started_at=started,
                                                 duration_s=round(time.perf_counter() - t0, 3), fatal=fatal)
                    except Overrun as exc:
                        session.gatherer_errors[g.artifact] = f"gatherer {g.artifact!r} of plugin {owner!r} {exc}; it was cut off"
                    except Exception as exc:  # noqa: BLE001 - a failing gatherer is recorded, the run goes on
                        if g.artifact == "site":
                            raise
                        session.gatherer_errors[g.artifact] = f"gatherer {g.artifact!r} of plugin {owner!r} failed: {type(exc).__name__}: {exc}"
            # A plugin's own artifact that failed leaves the run incomplete (rendering errors
            # show as errored probes instead).
            for artifact, msg in sorted(session.gatherer_errors.items()):
                if artifact != "rendering":
                    session.problems.append(msg)
                owner = pm.owner("gatherer", artifact)
                if not _is_builtin(owner):
                    pm.warn(msg, owner)
            site: Site = session.artifacts["site"]
            # What was measured is part of the result: a crawl that reached none of what the
            # globs ask for, or nothing beyond a start page that links on, is incomplete.
            session.problems.extend(unmatched_includes(site, target, config))
            alone = start_page_alone(site, target, config)
            if alone:
                session.problems.append(alone)
            session.notes.extend(unread_notes(site, target))
            session.notes.extend(script_built_note(site, target, session.mode))
            rendering = session.artifacts.get("rendering")
            if rendering is not None and not isinstance(rendering, Rendering):
                rendering = None
            ctx = Context(site=site, config=config, rendering=rendering, mode=session.mode)
            # Probes that judge journeys run last: journeys start from the pages the other
            # touchpoints found (their facts).
            selected = [p for p in selected if "journeys" not in p.requires] + [p for p in selected if "journeys" in p.requires]
            if warming is not None:
                warming.join(session.budget())
            with gathered():
                results, issues, journeys = _run_probes(session, site, rendering, ctx, selected, progress)
            return RunResult(session=session, site=site, results=results, issues=issues, started_at=started,
                             duration_s=round(time.perf_counter() - t0, 3), journeys=journeys)
        finally:
            if session.browser_host is not None:
                session.browser_host.close()


def warm_probes(probes: list[Probe], site: Site) -> threading.Thread:
    """Each probe's :meth:`~cxprobe.probe.Probe.warm`, in turn, on a daemon thread started
    here (browser mode starts it when the crawl is done: the run then waits on the
    browser). What a warm-up raises is ignored: the probe's check meets it again."""

    def warm() -> None:
        for probe in probes:
            with contextlib.suppress(Exception):
                probe.warm(site)

    thread = threading.Thread(target=warm, name="cxprobe-warm-probes", daemon=True)
    thread.start()
    return thread


def prelaunch_browser(session: Session) -> None:
    """Start the run's browser now (browser mode, cxprobe's own render gatherer), on a
    thread of its own, so that launching it overlaps the crawl; a run that will not render
    closes the driver the command started early for it."""
    if session.mode != "browser" or session.pm.owner("gatherer", "rendering") != "cxprobe.core":
        # Not imported: no driver was started early.
        close_early = getattr(sys.modules.get("cxprobe.browser.host"), "close_early", None)
        if close_early is not None:
            close_early()
        return
    from .browser.gatherer import browser_host

    try:
        browser_host(session)
    except Exception:  # noqa: BLE001, S110 - the render gatherer meets the same error and records it
        pass


def _run_probes(session: Session, site: Site, rendering: Rendering | None, ctx: Context, selected: list[Probe],
                progress: ProgressFn | None,
                share: list[Probe] | None = None) -> tuple[list[ProbeResult], dict[str, tuple[Issue, ...]], list[Any]]:
    """Every selected probe in turn (the journeys walked before the first that needs them,
    else after the last): their results, their issues, the journeys. ``share``
    (:func:`~cxprobe._forked.second_core_share` by default) runs in a forked child meanwhile; the results
    are the same either way, in the same order."""
    config, pm = session.config, session.pm
    results: list[ProbeResult] = []
    issues: dict[str, tuple[Issue, ...]] = {}
    journeys: list[Any] = []

    def run_one(probe: Probe, ctx: Context) -> tuple[ProbeResult, tuple[Issue, ...]]:
        return run_probe(probe, ctx, pm.owner("probe", probe.id), config.profile, budget=session.budget(),
                         fact_owner=lambda name: pm.owner("extractor", name))

    done = second_core(session, site, ctx, selected, run_one, share)
    for i, probe in enumerate(selected):
        if "journeys" in probe.requires and ctx.journeys is None:
            journeys = walk_journeys(session, site, rendering, results)
            ctx = replace(ctx, journeys=tuple(journeys))
        owner = pm.owner("probe", probe.id)
        if "rendering" in probe.requires and "rendering" in session.gatherer_errors:
            results.append(ProbeResult(id=probe.id, touchpoint=probe.touchpoint, status="error", score=None,
                                       weight=probe.weight_for(config.profile),
                                       reason=session.gatherer_errors["rendering"], plugin=owner))
            continue
        res, iss = done.pop(probe.id) if probe.id in done else run_one(probe, ctx)
        results.append(res)
        issues[probe.id] = iss
        if pm.tracing:
            pm._trace(f"probe {probe.id}: plugin {owner!r}, {1000 * res.duration_s:.2f} ms, {res.status}")
        if res.status == "error" and not _is_builtin(owner):
            # One line naming the plugin and what to do (the report has the finding).
            fix = pm.fix(owner)
            pm.warnings.append(f"probe {probe.id} could not run, so touchpoint {probe.touchpoint} is not scored: "
                               f"{res.reason}" + (f"; {fix}; --skip {probe.id} leaves the probe out" if fix else ""))
        if progress:
            progress("probes", i + 1, len(selected))
    if ctx.journeys is None:
        journeys = walk_journeys(session, site, rendering, results)
    return results, issues, journeys


def touchpoint_facts(results: list[ProbeResult]) -> dict[str, dict[str, Any]]:
    """touchpoint id -> its facts, merged from its probes' results in id order (as the report does)."""
    out: dict[str, dict[str, Any]] = {}
    for r in sorted(results, key=lambda r: r.id):
        out.setdefault(r.touchpoint, {}).update(r.facts)
    return out


def journey_specs(config: AuditConfig, facts: dict[str, dict[str, Any]]) -> list[Any]:
    """The journeys to walk: the configured ones, else the default journeys whose touchpoint
    ran (``facts``: touchpoint id -> its facts)."""
    from .journeys import DEFAULTS, PAGE_STEPS

    return list(config.journeys) or [
        j for j in DEFAULTS if not PAGE_STEPS[j.steps[0].value][0] or PAGE_STEPS[j.steps[0].value][0] in facts]


def walk_journeys(session: Session, site: Site, rendering: Rendering | None, results: list[ProbeResult]) -> list[Any]:
    """The run's journeys: the configured ones, else the default journeys of the
    touchpoints that ran; walked over the static crawl, and clicked through in browser mode."""
    from .journeys.walk import walk_static

    facts = touchpoint_facts(results)
    specs = journey_specs(session.config, facts)
    if session.progress:
        session.progress("journeys", 0, len(specs))
    journeys = walk_static(site, specs, facts)
    if session.mode == "browser" and rendering is not None and rendering.error is None:
        from .browser import RenderError
        from .browser.journeys import walk_in_browser

        try:
            journeys = walk_in_browser(session, site, rendering, journeys)
        except RenderError as exc:
            session.notes.append(f"journeys were not clicked through in the browser: {exc}")
        except Exception as exc:  # noqa: BLE001 - the browser walk failing leaves the static journeys, recorded
            session.problems.append(f"journeys could not be clicked through in the browser: "
                                    f"{type(exc).__name__}: {exc}")
    if session.progress:
        session.progress("journeys", len(specs), len(specs))
    return journeys
