"""A large static run hands a share of cxprobe's own probes to a forked child
(cxprobe._forked: second_core_share, second_core): the report is the same as when every
probe runs in turn, a child that fails or hangs leaves its share to the run's process, and
a plugin's probe always runs in the run's process (issue 11)."""

from __future__ import annotations

import gc
import os
import pickle
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cxprobe._forked as forked
from cxprobe import Context, Outcome, Probe, hookimpl, outcome
from cxprobe.testing import audit

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the second core forks: Linux only")

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo-site"


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The forks this process makes from now on (the extraction pool starts its forkserver
    with fork_exec, not os.fork)."""
    made: list[int] = []
    real = os.fork

    def counting() -> int:
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting)
    return made


def _without_times(report: dict[str, Any]) -> dict[str, Any]:
    report = dict(report)
    for key in ("started_at", "duration_s"):
        report.pop(key, None)
    return report


def _probes(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for t in report["touchpoints"].values() for p in t["probes"]}


def _audit_demo(**settings: Any) -> dict[str, Any]:
    return _without_times(audit(str(DEMO), start="/index.html", jobs=2, **settings))


def test_the_report_is_the_same_with_a_share_of_the_probes_on_a_second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    one_core = _audit_demo()  # nine pages: below SECOND_CORE_PAGES, every probe in turn
    forks = _forks(monkeypatch)
    monkeypatch.setattr(forked, "SECOND_CORE_PAGES", 1)
    two_cores = _audit_demo()
    assert len(forks) == 1
    assert two_cores == one_core
    # The child's share: clarity, consistency, feedback, mobile and social probes, with
    # findings among them.
    shared = {i: p for i, p in _probes(one_core).items() if i.split(".")[0] in forked.SECOND_CORE_TOUCHPOINTS}
    assert len(shared) > 10 and any(p["findings"] for p in shared.values())


def test_a_child_that_fails_leaves_its_share_to_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    one_core = _audit_demo()
    forks = _forks(monkeypatch)
    monkeypatch.setattr(forked, "SECOND_CORE_PAGES", 1)

    def boom(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("cannot send the results")

    # The child cannot send its results (an unpicklable outcome, say): it exits with 1.
    monkeypatch.setattr("cxprobe._forked.pickle", types.SimpleNamespace(
        dumps=boom, loads=pickle.loads, HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL))
    assert _audit_demo() == one_core
    assert len(forks) == 1


def test_a_child_that_hangs_is_killed_and_its_share_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    one_core = _audit_demo()
    forks = _forks(monkeypatch)
    monkeypatch.setattr(forked, "SECOND_CORE_PAGES", 1)
    monkeypatch.setattr(forked, "SECOND_CORE_PATIENCE", 0.5)

    def stuck(*args: object, **kwargs: object) -> bytes:
        time.sleep(120)  # a lock a thread held at the fork, say
        return b""

    monkeypatch.setattr("cxprobe._forked.pickle", types.SimpleNamespace(
        dumps=stuck, loads=pickle.loads, HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL))
    t = time.monotonic()
    assert _audit_demo() == one_core
    assert time.monotonic() - t < 60
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):  # killed and reaped: no child is left
        os.waitpid(forks[0], os.WNOHANG)



@pytest.mark.parametrize("enabled", [True, False])
def test_the_childs_results_are_read_with_the_collector_off(monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    # Thousands of findings read back make objects by the hundred thousand, none of them
    # garbage: the cycle collector is off meanwhile, and as it was after.
    seen: list[bool] = []

    def loads(data: bytes) -> Any:
        seen.append(gc.isenabled())
        return pickle.loads(data)

    monkeypatch.setattr("cxprobe._forked.pickle", types.SimpleNamespace(
        dumps=pickle.dumps, loads=loads, HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert forked._loads(pickle.dumps([1, "two"])) == [1, "two"]
        assert seen == [False]
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_the_child_pickles_its_results_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def dumps(value: object, protocol: int) -> bytes:  # runs in the child
        return pickle.dumps((gc.isenabled(), value), protocol=protocol)

    monkeypatch.setattr("cxprobe._forked.pickle", types.SimpleNamespace(
        dumps=dumps, loads=pickle.loads, HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL))
    assert gc.isenabled()
    assert forked.Forked(lambda: "results").result(timeout=30) == (False, "results")
    assert gc.isenabled()

class _Where(Probe):
    """A plugin's probe of a touchpoint whose built-in probes go to the second core."""

    id = "clarity.where_it_ran"
    touchpoint = "clarity"
    title = "t"
    failure_title = "f"
    description = "d"
    ran_in: list[int] = []

    def check(self, ctx: Context) -> Outcome:
        self.ran_in.append(os.getpid())  # state a plugin keeps for its other hooks
        return outcome(1.0)


class _WherePlugin:
    __name__ = "where-plugin"

    @hookimpl
    def cxprobe_add_probes(self, register: Callable[[Probe], None]) -> None:
        register(_Where())


def test_a_plugins_probe_runs_in_the_runs_process(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _forks(monkeypatch)
    monkeypatch.setattr(forked, "SECOND_CORE_PAGES", 1)
    _Where.ran_in.clear()
    report = audit(str(DEMO), start="/index.html", jobs=2, with_plugins=[_WherePlugin()])
    assert len(forks) == 1
    assert _Where.ran_in == [os.getpid()]
    assert _probes(report)["clarity.where_it_ran"]["status"] == "passed"


@pytest.mark.parametrize("settings", [{"jobs": 1}, {}])
def test_no_second_core_for_a_small_site_or_one_job(monkeypatch: pytest.MonkeyPatch, settings: dict[str, Any]) -> None:
    forks = _forks(monkeypatch)
    if settings:  # one job: no second core, however large the site
        monkeypatch.setattr(forked, "SECOND_CORE_PAGES", 1)
    audit(str(DEMO), start="/index.html", **{"jobs": 2, **settings})
    assert forks == []
