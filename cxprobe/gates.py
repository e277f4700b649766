"""Gates: what decides a CI run's exit code, and the baseline a run is compared with.

A plain audit has no gate and exits 0 whatever the score. The gates a run may be given,
each one a *check* in the report's ``gates`` section with its level and outcome:

- ``fail_under`` (``--fail-under``): the cohesion score;
- ``[assert.ID]`` tables, modelled on Lighthouse CI's assertions, for a touchpoint or a
  probe: ``min_score`` (0-100), ``max_depth`` (clicks from the start page to the
  touchpoint's page: contact, pricing, support), ``facts`` (required values, e.g.
  ``{ status = "visible" }`` for pricing), each at ``level`` ``error`` (the default: a
  failure exits 1) or ``warn`` (printed and reported, exit 0);
- ``[[journey]]`` gates: ``max_clicks`` (the best route's clicks) and ``must_reach``, at
  ``level`` error or warn (see :mod:`cxprobe.journeys`);
- ``fail_on`` (``--fail-on``): ``error`` / ``warning`` (any such finding),
  ``new-error`` / ``new-warning`` (a finding of that severity that the baseline does not
  have; a baseline is required);
- ``fail_on_regression`` (``--fail-on-regression POINTS``): cohesion fell by more than
  POINTS since the baseline.

An incomplete run never passes an error-level gate: when any is configured, a
``complete`` check comes first. A baseline whose render mode, scoring method, profile,
target or plugin set differs from the run's is *not comparable*: the comparison is still
shown, flagged, and the gates that rest on it fail rather than compare silently.

Waivers (``[[ignore]]``) accept findings by finding id, probe or touchpoint id, or URL
glob, each with a reason and an optional ``until`` date. A waived finding keeps its place
in the report (marked ``waived``) and leaves the gates that count findings; a waiver past
its date no longer applies and is reported, as a warn-level check.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, UsageError

LEVELS = ("error", "warn")
FAIL_ON = ("error", "warning", "new-error", "new-warning")
#: Touchpoint facts a ``max_depth`` assertion reads.
DEPTH_FACT = "depth"


# --------------------------------------------------------------------------- config


@dataclass(frozen=True)
class Assertion:
    """One ``[assert.ID]`` table: what must hold for a touchpoint or probe."""

    target: str
    level: str = "error"
    min_score: float | None = None
    max_depth: int | None = None
    #: Fact name -> the values allowed (one or several).
    facts: tuple[tuple[str, tuple[Any, ...]], ...] = ()


@dataclass(frozen=True)
class Waiver:
    """One ``[[ignore]]`` entry: which findings it accepts, why, and until when."""

    reason: str
    finding: str | None = None
    probe: str | None = None
    url: str | None = None
    until: _dt.date | None = None

    def expired(self, today: _dt.date) -> bool:
        return self.until is not None and self.until < today

    def matches(self, finding: Mapping[str, Any]) -> bool:
        if self.finding is not None and finding.get("id") != self.finding:
            return False
        if self.probe is not None and self.probe not in (finding.get("probe"), finding.get("touchpoint")):
            return False
        if self.url is not None:
            urls = [e.get("url") or "" for e in finding.get("examples") or ()]
            # Every page the finding shows must match: a waiver for /legacy/* never hides
            # the same problem on a page outside it.
            if not urls or not all(_url_matches(self.url, u) for u in urls):
                return False
        return True

    def as_dict(self) -> dict[str, Any]:
        return {"finding": self.finding, "probe": self.probe, "url": self.url, "reason": self.reason,
                "until": self.until.isoformat() if self.until else None}


def _url_matches(pattern: str, url: str) -> bool:
    if fnmatch.fnmatchcase(url, pattern):
        return True
    # A site-relative pattern also matches the path of an absolute URL.
    if pattern.startswith("/") and "://" in url:
        path = "/" + url.split("://", 1)[1].partition("/")[2]
        return fnmatch.fnmatchcase(path, pattern)
    return False


def _number(value: Any, label: str, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{label} must be a number, not {value!r}")
    if value < low or (high is not None and value > high):
        raise ConfigError(f"{label} must be between {low:g} and {high:g}" if high is not None
                          else f"{label} must be at least {low:g}")
    return float(value)


def read_assertions(value: dict[str, Any], where: str) -> dict[str, Assertion]:
    """The ``[assert]`` table: ``[assert.contact]``, ``[assert."pricing.visible"]`` ..."""
    out: dict[str, Assertion] = {}
    for target, table in value.items():
        label = f"{where}: assert.{target}"
        if not isinstance(table, dict):
            raise ConfigError(f"{label} must be a table, like [assert.{target}] with min_score = 80")
        unknown = sorted(set(table) - {"level", "min_score", "max_depth", "facts"})
        if unknown:
            raise ConfigError(f"{label}: unknown key(s) {', '.join(unknown)}; known: facts, level, max_depth, min_score")
        level = table.get("level", "error")
        if level not in LEVELS:
            raise ConfigError(f"{label}.level must be error or warn, not {level!r}")
        min_score = table.get("min_score")
        if min_score is not None:
            min_score = _number(min_score, f"{label}.min_score", 0, 100)
        max_depth = table.get("max_depth")
        if max_depth is not None:
            if isinstance(max_depth, bool) or not isinstance(max_depth, int) or max_depth < 0:
                raise ConfigError(f"{label}.max_depth must be a whole number of clicks >= 0, not {max_depth!r}")
        facts_raw = table.get("facts", {})
        if not isinstance(facts_raw, dict):
            raise ConfigError(f"{label}.facts must be a table, like facts = {{ status = \"visible\" }}")
        facts = tuple(sorted((str(k), tuple(v) if isinstance(v, list) else (v,)) for k, v in facts_raw.items()))
        if min_score is None and max_depth is None and not facts:
            raise ConfigError(f"{label} asserts nothing: give min_score, max_depth or facts")
        out[str(target)] = Assertion(target=str(target), level=level, min_score=min_score, max_depth=max_depth,
                                     facts=facts)
    return out


def _date(value: Any, label: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{label} must be a date like 2027-03-31, not {value!r}")


def read_waivers(value: Iterable[Any], where: str) -> tuple[Waiver, ...]:
    """The ``[[ignore]]`` entries."""
    out = []
    for i, entry in enumerate(value, 1):
        label = f"{where}: ignore #{i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{label} must be a table ([[ignore]] with reason and finding, probe or url)")
        unknown = sorted(set(entry) - {"finding", "probe", "url", "reason", "until"})
        if unknown:
            raise ConfigError(f"{label}: unknown key(s) {', '.join(unknown)}; known: finding, probe, reason, until, url")
        for key in ("finding", "probe", "url", "reason"):
            if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
                raise ConfigError(f"{label}.{key} must be a non-empty string")
        if not any(k in entry for k in ("finding", "probe", "url")):
            raise ConfigError(f"{label} names no finding: give finding (an id), probe (a probe or touchpoint id) or url (a glob)")
        if "reason" not in entry:
            raise ConfigError(f"{label} has no reason: say why the finding is accepted")
        until = _date(entry["until"], f"{label}.until") if "until" in entry else None
        out.append(Waiver(reason=entry["reason"].strip(), finding=entry.get("finding"), probe=entry.get("probe"),
                          url=entry.get("url"), until=until))
    return tuple(out)


def check_gate_names(assertions: Mapping[str, Assertion], waivers: Iterable[Waiver],
                     touchpoints: Mapping[str, Any], probes: Iterable[str], where: str) -> None:
    """Ids an assertion or a waiver names must exist, and the facts it reads too: a typo is
    a config error (exit 2), never a gate that silently holds."""
    probe_ids = set(probes)
    for target, a in sorted(assertions.items()):
        label = f"{where}: assert.{target}"
        if target in touchpoints:
            known_facts = set(touchpoints[target].fact_defaults)
            if a.max_depth is not None and DEPTH_FACT not in known_facts:
                have = sorted(t for t, tp in touchpoints.items() if DEPTH_FACT in tp.fact_defaults)
                raise ConfigError(f"{label}.max_depth: touchpoint {target} has no page depth; "
                                  f"max_depth applies to {', '.join(have)}")
            for name, _values in a.facts:
                if name not in known_facts:
                    raise ConfigError(f"{label}.facts.{name}: touchpoint {target} has no fact {name!r}; "
                                      f"known: {', '.join(sorted(known_facts))}")
        elif target in probe_ids:
            if a.max_depth is not None or a.facts:
                raise ConfigError(f"{label}: max_depth and facts belong to a touchpoint "
                                  f"([assert.{target.split('.')[0]}]); a probe takes min_score")
        else:
            raise ConfigError(f"{label}: no touchpoint or probe {target!r} (`cxprobe probes` lists them)")
    known = set(touchpoints) | probe_ids
    for i, w in enumerate(waivers, 1):
        if w.probe is not None and w.probe not in known:
            raise ConfigError(f"{where}: ignore #{i}.probe: no touchpoint or probe {w.probe!r} (`cxprobe probes` lists them)")


# --------------------------------------------------------------------------- baseline


def load_report(path: str, what: str = "--baseline") -> dict[str, Any]:
    """A saved cxprobe JSON report (exit 2 with one line when it is not one)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {path}: is a folder; give the report.json written by --format json") from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} {path}: not a cxprobe JSON report (not UTF-8 text)") from None
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise UsageError(f"{what} {path}: not a cxprobe JSON report (not JSON; write one with --format json)") from None
    if not isinstance(data, dict) or not isinstance(data.get("cohesion"), dict) or \
            not isinstance(data.get("findings"), list) or not isinstance(data.get("touchpoints"), dict):
        raise UsageError(f"{what} {path}: not a cxprobe JSON report (no cohesion, touchpoints and findings)")
    if str(data.get("schema_version")) != "1":
        raise UsageError(f"{what} {path}: report schema {data.get('schema_version')!r} is not one this cxprobe reads (1)")
    return data


def mismatches(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Why two reports cannot be compared score for score, one line each (empty: they can)."""
    out = []
    for key, label in (("target", "target"), ("mode", "render mode"), ("profile", "weights profile")):
        if before.get(key) != after.get(key):
            out.append(f"{label}: {before.get(key)} → {after.get(key)}")
    m1, m2 = before.get("cohesion", {}).get("method"), after.get("cohesion", {}).get("method")
    if m1 != m2:
        out.append(f"scoring method: {m1} → {m2}")
    from .history import plugin_set  # sqlite3 (50 ms to import) only where history is read

    p1, p2 = plugin_set(before), plugin_set(after)
    if p1 != p2:
        gone, new = sorted(set(p1) - set(p2)), sorted(set(p2) - set(p1))
        parts = ([f"only before: {', '.join(gone)}"] if gone else []) + ([f"only now: {', '.join(new)}"] if new else [])
        out.append(f"plugins: {'; '.join(parts)}")
    return out


def _delta(before: Any, after: Any) -> float | None:
    if isinstance(before, (int, float)) and isinstance(after, (int, float)):
        return round(after - before, 2)
    return None


def compare(before: Mapping[str, Any], after: Mapping[str, Any], file: str = "") -> dict[str, Any]:
    """The ``baseline`` section: deltas, new and fixed findings, and whether they compare."""
    off = mismatches(before, after)
    b_coh, a_coh = before["cohesion"].get("score"), after["cohesion"].get("score")
    tps: dict[str, Any] = {}
    for tid in sorted(set(before["touchpoints"]) | set(after["touchpoints"])):
        b = (before["touchpoints"].get(tid) or {}).get("score")
        a = (after["touchpoints"].get(tid) or {}).get("score")
        tps[tid] = {"before": b, "after": a, "delta": _delta(b, a)}
    before_ids = {f.get("id") for f in before["findings"] if isinstance(f, dict)}
    after_ids = {f.get("id") for f in after["findings"] if isinstance(f, dict)}
    new = [f["id"] for f in after["findings"] if f.get("id") not in before_ids]
    fixed = [{k: f.get(k) for k in ("id", "probe", "touchpoint", "severity", "title")}
             for f in before["findings"] if isinstance(f, dict) and f.get("id") not in after_ids]
    return {"file": file, "comparable": not off, "mismatches": off,
            "cohesion": {"before": b_coh, "after": a_coh, "delta": _delta(b_coh, a_coh)},
            "touchpoints": tps, "new": new, "fixed": fixed}


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Gates:
    """Everything a run's gates need besides the report."""

    fail_under: float | None = None
    assertions: Mapping[str, Assertion] | None = None
    fail_on: tuple[str, ...] = ()
    fail_on_regression: float | None = None
    waivers: tuple[Waiver, ...] = ()
    #: Why having no baseline is fine for this run (the first run in a ``--history``):
    #: the gates that compare with one then hold, saying so.
    no_baseline: str | None = None
    #: Journeys with a gate (``max_clicks``, ``must_reach``): :class:`cxprobe.journeys.JourneySpec`.
    journeys: tuple[Any, ...] = ()

    @property
    def any_error_level(self) -> bool:
        return (self.fail_under is not None or bool(self.fail_on) or self.fail_on_regression is not None
                or any(a.level == "error" for a in (self.assertions or {}).values())
                or any(j.level == "error" for j in self.journeys))


def _check(name: str, level: str, passed: bool, message: str) -> dict[str, Any]:
    return {"name": name, "level": level, "passed": passed, "message": message}


def apply_waivers(report: dict[str, Any], waivers: Iterable[Waiver], today: _dt.date) -> list[dict[str, Any]]:
    """Mark the findings each live waiver accepts (``waived``); the waivers' own entries."""
    entries = []
    for w in waivers:
        expired = w.expired(today)
        matched = []
        if not expired:
            for f in report["findings"]:
                if "waived" not in f and w.matches(f):
                    f["waived"] = {"reason": w.reason, "until": w.until.isoformat() if w.until else None}
                    matched.append(f["id"])
        entries.append({**w.as_dict(), "expired": expired, "matched": sorted(matched)})
    return entries


def _probe_scores(report: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    out = {}
    for tp in report["touchpoints"].values():
        for p in tp.get("probes", ()):
            out[p["id"]] = (p.get("status"), p.get("score"))
    return out


def _assertion_checks(a: Assertion, report: Mapping[str, Any]) -> list[dict[str, Any]]:
    checks = []
    tp = report["touchpoints"].get(a.target)
    if tp is not None:
        score, label = tp.get("score"), f"touchpoint {a.target}"
    else:
        status, raw = _probe_scores(report).get(a.target, (None, None))
        score = round(raw * 100, 2) if isinstance(raw, (int, float)) else None
        label = f"probe {a.target}"
    if a.min_score is not None:
        name = f"assert.{a.target}.min_score"
        if score is None:
            checks.append(_check(name, a.level, False,
                                 f"{label} has no score (not run, not applicable or errored); min_score {a.min_score:g} cannot hold"))
        else:
            ok = score >= a.min_score
            checks.append(_check(name, a.level, ok,
                                 f"{label} scored {score:g}, {'at least' if ok else 'below'} min_score {a.min_score:g}"))
    facts = (tp or {}).get("facts", {})
    if a.max_depth is not None:
        depth = facts.get(DEPTH_FACT)
        page = facts.get("page") or facts.get("help_page")
        name = f"assert.{a.target}.max_depth"
        if depth is None:
            checks.append(_check(name, a.level, False, f"no {a.target} page was found, so it is not within "
                                                       f"{a.max_depth} clicks of the start page"))
        else:
            ok = depth <= a.max_depth
            where = f" ({page})" if page else ""
            checks.append(_check(name, a.level, ok, f"the {a.target} page{where} is {depth} click"
                                                    f"{'' if depth == 1 else 's'} from the start page; "
                                                    f"max_depth {a.max_depth}"))
    for fact, allowed in a.facts:
        value = facts.get(fact)
        ok = value in allowed
        want = " or ".join(json.dumps(v) for v in allowed)
        checks.append(_check(f"assert.{a.target}.facts.{fact}", a.level, ok,
                             f"{a.target}.{fact} is {json.dumps(value)}; required {want}"))
    return checks


def _journey_checks(spec: Any, report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The checks of one journey's gates: ``journey.NAME.must_reach``, ``journey.NAME.max_clicks``."""
    walked = next((j for j in report.get("journeys") or () if j.get("name") == spec.name), None)
    checks = []
    why = ""
    if walked is None:
        why = "it was not walked (its touchpoint did not run)"
    elif not walked["reached"]:
        broke = walked.get("broken_at") or {}
        where = f" at {broke['url']}" if broke.get("url") else ""
        why = f"it broke{where}: {broke.get('detail') or broke.get('reason') or 'not reached'}"
    if spec.must_reach:
        name = f"journey.{spec.name}.must_reach"
        if why:
            checks.append(_check(name, spec.level, False, f"journey {spec.name} is not reached: {why}"))
        else:
            assert walked is not None
            checks.append(_check(name, spec.level, True, f"journey {spec.name} is reached in {walked['clicks']} "
                                                         f"click{'' if walked['clicks'] == 1 else 's'}"))
    if spec.max_clicks is not None:
        name = f"journey.{spec.name}.max_clicks"
        if why:
            checks.append(_check(name, spec.level, False, f"journey {spec.name} is not reached, so not within "
                                                          f"{spec.max_clicks} clicks: {why}"))
        else:
            assert walked is not None
            clicks = walked["clicks"]
            ok = clicks <= spec.max_clicks
            checks.append(_check(name, spec.level, ok, f"journey {spec.name} takes {clicks} click"
                                                       f"{'' if clicks == 1 else 's'} ({walked['route']} route); "
                                                       f"max_clicks {spec.max_clicks}"))
    return checks


def evaluate(report: dict[str, Any], gates: Gates, baseline: Mapping[str, Any] | None = None,
             today: _dt.date | None = None) -> dict[str, Any]:
    """The report's ``gates`` section (also written into ``report``): every check with its
    level and outcome, the waivers, and whether the run passes."""
    today = today or _dt.date.today()
    waiver_entries = apply_waivers(report, gates.waivers, today)
    checks: list[dict[str, Any]] = []
    coh = report["cohesion"]
    if gates.any_error_level:
        why = coh.get("incomplete_because") or (["a probe errored: " + ", ".join(coh.get("errored") or [])]
                                                if coh.get("errored") else ["the run is incomplete"])
        complete = bool(coh.get("complete"))
        checks.append(_check("complete", "error", complete,
                             "every probe ran" if complete else f"the run is incomplete ({'; '.join(why)}), so no gate can pass"))
    if gates.fail_under is not None:
        score = coh.get("score")
        ok = score is not None and score >= gates.fail_under
        checks.append(_check("fail_under", "error", ok,
                             f"cohesion {score} is {'at least' if ok else 'below'} --fail-under {gates.fail_under:g}"))
    for _target, a in sorted((gates.assertions or {}).items()):
        checks.extend(_assertion_checks(a, report))
    for spec in gates.journeys:
        checks.extend(_journey_checks(spec, report))
    live = [f for f in report["findings"] if "waived" not in f]
    base = report.get("baseline")
    for rule in gates.fail_on:
        severity = rule.removeprefix("new-")
        name = f"fail_on.{rule}"
        if rule.startswith("new-"):
            if base is None:
                checks.append(_check(name, "error", True, gates.no_baseline) if gates.no_baseline else
                              _check(name, "error", False, f"fail_on {rule} needs a baseline (--baseline REPORT.json, "
                                                           "or --history with an earlier run)"))
                continue
            if not base["comparable"]:
                checks.append(_check(name, "error", False, "the baseline cannot be compared with this run ("
                                     + "; ".join(base["mismatches"]) + ")"))
                continue
            new = set(base["new"])
            hits = [f for f in live if f["id"] in new and f["severity"] == severity]
            what = f"new {severity} finding"
        else:
            hits = [f for f in live if f["severity"] == severity]
            what = f"{severity} finding"
        if hits:
            titles = "; ".join(f"{f['title']} [{f['id']}]" for f in hits[:3]) + (f"; and {len(hits) - 3} more" if len(hits) > 3 else "")
            checks.append(_check(name, "error", False, f"{len(hits)} {what}{'s' if len(hits) != 1 else ''}: {titles}"))
        else:
            checks.append(_check(name, "error", True, f"no {what}s" + (" (waived ones aside)" if gates.waivers else "")))
    if gates.fail_on_regression is not None:
        name = "fail_on_regression"
        if base is None:
            checks.append(_check(name, "error", True, gates.no_baseline) if gates.no_baseline else
                          _check(name, "error", False, "--fail-on-regression needs a baseline (--baseline REPORT.json, "
                                                       "or --history with an earlier run)"))
        elif not base["comparable"]:
            checks.append(_check(name, "error", False, "the baseline cannot be compared with this run ("
                                 + "; ".join(base["mismatches"]) + ")"))
        else:
            delta = base["cohesion"]["delta"]
            if delta is None:
                checks.append(_check(name, "error", False, "cohesion has no score in this run or the baseline"))
            else:
                ok = -delta <= gates.fail_on_regression
                checks.append(_check(name, "error", ok, f"cohesion moved {delta:+g} points since the baseline "
                                     f"(at most {gates.fail_on_regression:g} down allowed)"))
    for w in waiver_entries:
        if w["expired"]:
            what = w["finding"] or w["probe"] or w["url"]
            checks.append(_check(f"ignore.{what}", "warn", False,
                                 f"the waiver for {what} expired on {w['until']} ({w['reason']}); its findings count again"))
    section = {"passed": all(c["passed"] for c in checks if c["level"] == "error"), "checks": checks,
               "waivers": waiver_entries}
    report["gates"] = section
    return section
