"""Every probe's work grows linearly with the site: the catalogue run over four times the
pages makes at most about four times the function calls, probe by probe.

Function calls are counted, not seconds: the count is the same on any machine, so a probe
that compares each page (or each price, each number) with all the others in Python fails
here whatever the machine's speed. What one call does inside C is not seen (a string's
membership in a long list, a difference of two large sets): the seconds, and so those, are
bench/probe_scale.py's (docs/performance.md). The site is the benchmark's: each page with
its own number, address and prices, so de-duplication has as many values as pages.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from probe_scale import build_site  # noqa: E402

from cxprobe.config import AuditConfig  # noqa: E402
from cxprobe.probe import Context  # noqa: E402
from cxprobe.runner import gathered, run_probe  # noqa: E402
from cxprobe.testing import plugin_manager  # noqa: E402

#: Both above the 128 URLs that urllib.parse.urlsplit's own cache keeps: a site that fits
#: in it makes the later probes' calls vanish, which looks like growth on the larger one.
SMALL, LARGE = 200, 800
#: Calls may grow a little faster than pages: a crawl's depth and a few sorts (n log n).
SLACK = 1.3


@contextmanager
def counting() -> Iterator[list[int]]:
    count = [0]

    def profile(frame: object, event: str, arg: object) -> None:
        if event in ("call", "c_call"):
            count[0] += 1

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        yield count
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


def calls_per_probe(pages: int) -> dict[str, int]:
    pm = plugin_manager()
    site = build_site(pages)
    config = AuditConfig(target="https://shop.example", render="static")
    ctx = Context(site=site, config=config, rendering=None, mode="static")
    out: dict[str, int] = {}
    with gathered():
        for probe_id, probe in sorted(pm.registry().probes.items()):
            with counting() as count:
                result, _issues = run_probe(probe, ctx, pm.owner("probe", probe_id), config.profile)
            assert result.status != "error", (probe_id, result.reason)
            out[probe_id] = count[0]
    return out


@pytest.fixture(scope="module")
def counts() -> tuple[dict[str, int], dict[str, int]]:
    # A first run pays what is paid once a process (patterns compiled on first use,
    # dictionaries read); the small site then, so that what module caches keep from it
    # only lowers the large run's count.
    calls_per_probe(50)
    return calls_per_probe(SMALL), calls_per_probe(LARGE)


def test_every_probe_grows_linearly_with_the_pages(counts: tuple[dict[str, int], dict[str, int]]) -> None:
    small, large = counts
    bound = LARGE / SMALL * SLACK
    faster = {p: round(large[p] / small[p], 1) for p in small if large[p] > 2000 and large[p] / small[p] > bound}
    assert not faster, f"calls grew more than {bound:.1f} times for {LARGE / SMALL:g} times the pages: {faster}"


def test_the_catalogue_does_work_on_every_page(counts: tuple[dict[str, int], dict[str, int]]) -> None:
    # The count sees the probes' work: the catalogue's calls grow with the pages.
    small, large = counts
    assert sum(large.values()) > 3 * sum(small.values())


def test_while_probes_run_the_collector_leaves_the_site_alone_and_runs_less_often() -> None:
    import gc

    from cxprobe.runner import PROBES_GC_THRESHOLD

    before = gc.get_threshold()
    site = build_site(5)
    with gathered():
        # The site's objects are out of the collector's reach; it runs every 10,000 new
        # objects instead of 700 (probes make millions, few of them cycles).
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == max(before[0], PROBES_GC_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
        assert site.pages
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0



def test_a_collector_switched_off_stays_off_while_probes_run() -> None:
    import gc

    before = gc.get_threshold()
    try:
        gc.set_threshold(0)
        with gathered():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
