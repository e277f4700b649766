"""Scoring, method cohesion-v2 (cxprobe/scoring.py)."""

from __future__ import annotations

import random

import pytest

from cxprobe.model import ProbeResult
from cxprobe.scoring import (
    EXPONENT,
    METHOD,
    cohesion,
    power_mean,
    probe_status,
    touchpoint_score,
    touchpoint_status,
)


def result(pid: str, score: float | None, weight: float = 1.0, status: str | None = None, tp: str = "t") -> ProbeResult:
    return ProbeResult(id=pid, touchpoint=tp, status=status or probe_status(score), score=score, weight=weight)


def test_method_and_exponent_are_the_documented_ones() -> None:
    assert METHOD == "cohesion-v2"
    assert EXPONENT == 0.5


def test_probe_and_touchpoint_status_thresholds() -> None:
    assert probe_status(0.9) == "passed" and probe_status(0.8999) == "failed"
    assert probe_status(None) == "not_applicable" and probe_status(1.0, errored=True) == "error"
    assert [touchpoint_status(s) for s in (100, 90, 89.99, 50, 49.99, 0, None)] == [
        "good", "good", "needs_work", "needs_work", "poor", "poor", "unscored"]


def test_touchpoint_score_is_the_weighted_mean_of_applicable_probes() -> None:
    rs = [result("a", 1.0, 3), result("b", 0.5, 1), result("c", None, 5)]
    assert touchpoint_score(rs) == pytest.approx(100 * (3 * 1.0 + 1 * 0.5) / 4)


def test_not_applicable_weighs_nothing() -> None:
    with_na = [result("a", 0.6, 1), result("b", None, 100)]
    assert touchpoint_score(with_na) == touchpoint_score([result("a", 0.6, 1)]) == 60.0
    # nothing applicable: the touchpoint is unscored, not 0 and not 100
    assert touchpoint_score([result("b", None, 1)]) is None


def test_zero_weight_probes_are_ignored() -> None:
    assert touchpoint_score([result("a", 0.0, 0), result("b", 0.8, 1)]) == 80.0


def test_an_errored_probe_leaves_its_touchpoint_unscored() -> None:
    rs = [result("a", 1.0), result("b", None, status="error")]
    assert touchpoint_score(rs) is None
    c = cohesion({"t": None, "u": 80.0}, {"t": 1, "u": 1}, errored=["t"])
    assert c.complete is False
    assert c.unscored == ("t",)
    # still computed over the scored touchpoints
    assert c.score == 80.0


def test_power_mean_with_p_one_half() -> None:
    scores = {"a": 100.0, "b": 25.0}
    weights = {"a": 1.0, "b": 1.0}
    # ((1 + 0.5) / 2) ** 2 = 0.5625
    assert power_mean(scores, weights) == pytest.approx(56.25)
    # a weak touchpoint pulls harder than an arithmetic mean would (62.5)...
    assert power_mean(scores, weights) < 62.5
    # ...and one touchpoint at zero does not zero the site
    assert power_mean({"a": 100.0, "b": 0.0}, weights) == pytest.approx(25.0)
    # weights count
    assert power_mean(scores, {"a": 3.0, "b": 1.0}) == pytest.approx(100 * ((3 + 0.5) / 4) ** 2)
    assert power_mean({}, {}) is None


def test_cohesion_explains_itself() -> None:
    c = cohesion({"clarity": 40.0, "contact": 90.0, "social": 20.0}, {"clarity": 3, "contact": 3, "social": 1}, errored=[])
    assert c.complete is True and c.unscored == ()
    # weakest: the lowest score (ties broken by the heavier weight)
    assert c.weakest == "social"
    assert set(c.pull) == {"clarity", "contact", "social"}
    assert all(v >= 0 for v in c.pull.values())
    assert c.pull["clarity"] > c.pull["contact"]
    tie = cohesion({"a": 50.0, "b": 50.0}, {"a": 1, "b": 3}, errored=[])
    assert tie.weakest == "b"


def test_zero_weight_and_unscored_touchpoints_do_not_count() -> None:
    c = cohesion({"a": 80.0, "b": 0.0, "c": None}, {"a": 1, "b": 0, "c": 1}, errored=[])
    assert c.score == 80.0
    assert c.unscored == ("c",)
    assert c.complete is True


def test_deterministic() -> None:
    scores = {f"t{i}": float(i * 7 % 100) for i in range(10)}
    weights = {f"t{i}": float(1 + i % 3) for i in range(10)}
    assert cohesion(scores, weights, []) == cohesion(dict(reversed(list(scores.items()))), weights, [])


def _cohesion_of(probes: dict[str, list[ProbeResult]], weights: dict[str, float]) -> float | None:
    scores = {tp: touchpoint_score(rs) for tp, rs in probes.items()}
    return cohesion(scores, weights, []).score


def test_monotone_raising_any_probe_never_lowers_cohesion() -> None:
    rng = random.Random(20240601)
    for _ in range(400):
        tps = [f"tp{i}" for i in range(rng.randint(1, 6))]
        weights = {tp: rng.choice([0.0, 0.5, 1.0, 2.0, 3.0]) for tp in tps}
        probes: dict[str, list[ProbeResult]] = {}
        for tp in tps:
            probes[tp] = [result(f"{tp}.p{j}", rng.choice([None, rng.random(), 0.0, 1.0]),
                                 rng.choice([0.0, 0.5, 1.0, 3.0]), tp=tp) for j in range(rng.randint(1, 4))]
        before = _cohesion_of(probes, weights)
        tp = rng.choice(tps)
        j = rng.randrange(len(probes[tp]))
        old = probes[tp][j]
        if old.score is None:
            continue
        raised = min(1.0, old.score + rng.random() * (1.0 - old.score))
        probes[tp][j] = result(old.id, raised, old.weight, tp=tp)
        after = _cohesion_of(probes, weights)
        if before is None:
            assert after is None
            continue
        assert after is not None and after >= before - 1e-9, (before, after, old, raised)


def test_scores_stay_in_range() -> None:
    rng = random.Random(7)
    for _ in range(200):
        scores = {f"t{i}": rng.uniform(0, 100) for i in range(rng.randint(1, 8))}
        weights = {k: rng.uniform(0.1, 3) for k in scores}
        c = cohesion(scores, weights, [])
        # scores are rounded to 2 decimals
        assert c.score is not None and min(scores.values()) - 0.005 <= c.score <= max(scores.values()) + 0.005
