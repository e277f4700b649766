"""Scoring, method ``cohesion-v2``.

- Probe score 0..1; not applicable weighs 0; an errored probe leaves its touchpoint
  unscored (None), never 0 or 1.
- Touchpoint score = weighted arithmetic mean of its applicable probes, 0-100.
- Cohesion = weighted power mean of the scored touchpoints with exponent p = 0.5,
  0-100: a weak touchpoint pulls the total down more than an average would, yet one
  missing touchpoint does not zero the site. Monotone and deterministic.

The formula lives here, in the core, so scores stay comparable across installs:
plugins shape scoring through touchpoints and weights only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import ProbeResult

METHOD = "cohesion-v2"
EXPONENT = 0.5
PASS_THRESHOLD = 0.9


def probe_status(score: float | None, errored: bool = False) -> str:
    """passed (>= 0.9), failed, not_applicable or error."""
    if errored:
        return "error"
    if score is None:
        return "not_applicable"
    return "passed" if score >= PASS_THRESHOLD else "failed"


def touchpoint_status(score: float | None) -> str:
    """good (>= 90), needs_work (50-89), poor (< 50), unscored."""
    if score is None:
        return "unscored"
    if score >= 90:
        return "good"
    if score >= 50:
        return "needs_work"
    return "poor"


def touchpoint_score(results: Sequence[ProbeResult]) -> float | None:
    """Weighted mean of applicable probe scores, 0-100; None when errored or nothing applies."""
    if any(r.status == "error" for r in results):
        return None
    num = den = 0.0
    for r in results:
        if r.score is None or r.weight <= 0:
            continue
        num += r.weight * r.score
        den += r.weight
    if den == 0:
        return None
    return round(100.0 * num / den, 2)


def power_mean(scores: Mapping[str, float], weights: Mapping[str, float], p: float = EXPONENT) -> float | None:
    """Weighted power mean of 0-100 scores (exponent p)."""
    num = den = 0.0
    for k, s in scores.items():
        w = weights.get(k, 0.0)
        if w <= 0:
            continue
        num += w * (max(0.0, s) / 100.0) ** p
        den += w
    if den == 0:
        return None
    return 100.0 * (num / den) ** (1.0 / p)


@dataclass(frozen=True)
class Cohesion:
    score: float | None
    weakest: str | None
    complete: bool
    unscored: tuple[str, ...]
    #: touchpoint -> points the cohesion would gain if that touchpoint scored 100.
    pull: dict[str, float]


def cohesion(scores: Mapping[str, float | None], weights: Mapping[str, float], errored: Sequence[str]) -> Cohesion:
    """The cohesion score over scored touchpoints, with its explanation."""
    scored = {k: v for k, v in scores.items() if v is not None and weights.get(k, 0) > 0}
    total = power_mean(scored, weights)
    pull: dict[str, float] = {}
    if total is not None:
        for k in sorted(scored):
            improved = dict(scored)
            improved[k] = 100.0
            better = power_mean(improved, weights) or 0.0
            pull[k] = round(better - total, 2)
    weakest = None
    if scored:
        weakest = min(sorted(scored), key=lambda k: (scored[k], -weights.get(k, 0)))
    unscored = tuple(sorted(k for k, v in scores.items() if v is None))
    return Cohesion(score=None if total is None else round(total, 2), weakest=weakest,
                    complete=not errored, unscored=unscored, pull=pull)
