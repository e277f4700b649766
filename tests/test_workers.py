"""The extraction workers the crawl's event loop feeds through one pipe each
(cxprobe.crawl.workers): large pages and small, a worker killed from outside, a loop that
cannot watch pipes, closing with pages still waiting."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import time

import pytest

from cxprobe import Document, Extractor
from cxprobe.crawl.workers import AHEAD, CannotStart, WorkerDied, WorkerPool
from cxprobe.document import ExtractionFailure, extract_page
from cxprobe.model import PageFacts
from cxprobe.testing import extractors, html_page

HEADERS = {"content-type": "text/html"}


class SlowOn(Extractor):
    """Sleeps on a page that asks it to (module level, so that it travels to a worker)."""

    name = "slow_on"
    description = "sleeps on a marked page"

    def extract(self, doc: Document) -> int:
        if doc.soup.find(id="slow") is not None:
            time.sleep(30)
        return os.getpid()


def _page(i: int, kb: int = 0) -> bytes:
    filler = "".join(f"<p>Paragraph {j} of page {i}: bikes fixed fast in town.</p>" for j in range(kb * 1024 // 50))
    return html_page(f"<h1>Page {i}</h1><p>Call +44 20 7946 0{i:03d}.</p>{filler}").encode()


def _here(url: str, body: bytes, exs: tuple[object, ...]) -> object:
    return extract_page(url, HEADERS, body, exs)  # type: ignore[arg-type]


def _pool(size: int, exs: tuple[object, ...]) -> WorkerPool:
    return WorkerPool(size, pickle.dumps(exs))


def test_large_pages_and_small_ones_come_back_with_the_facts_read_here() -> None:
    """Pages larger than what a busy worker's pipe may take wait for an idle worker; every
    page comes back with the facts this process reads, whatever its size and order."""
    exs = extractors()
    bodies = [_page(i, kb=300 if i % 3 == 0 else 0) for i in range(14)]
    assert max(map(len, bodies)) > 200_000 and min(map(len, bodies)) < 10_000
    pool = _pool(2, exs)

    async def read_all() -> list[object]:
        return list(await asyncio.gather(*(pool.extract(f"http://shop.test/{i}", HEADERS, b, None, None)
                                         for i, b in enumerate(bodies))))

    try:
        got = asyncio.run(asyncio.wait_for(read_all(), 120))
        assert pool.workers <= 2
    finally:
        pool.close()
    assert got == [_here(f"http://shop.test/{i}", b, exs) for i, b in enumerate(bodies)]


def test_a_worker_killed_from_outside_fails_the_pages_it_held_and_a_new_one_takes_its_place() -> None:
    exs = (*extractors(), SlowOn())
    slow = html_page('<h1>Slow</h1><p id="slow">zzz</p>').encode()
    pool = _pool(1, exs)

    async def scenario() -> tuple[list[object], object, int]:
        held = [asyncio.ensure_future(pool.extract(f"http://shop.test/{i}", HEADERS, b, None, None))
                for i, b in enumerate([slow, _page(1), _page(2)])]
        await asyncio.sleep(0)
        deadline = time.monotonic() + 60
        while pool.workers < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        first = pool._workers[0].process
        await asyncio.sleep(1.0)  # it is asleep on the slow page, holding the next one
        os.kill(first.pid, signal.SIGKILL)
        results = await asyncio.wait_for(asyncio.gather(*held, return_exceptions=True), 60)
        after = await asyncio.wait_for(pool.extract("http://shop.test/after", HEADERS, _page(3), None, None), 60)
        return results, after, first.pid

    try:
        results, after, killed = asyncio.run(scenario())
    finally:
        pool.close()
    # The slow page and the one queued behind it (AHEAD pages a worker holds) died with it;
    # the page that waited for room went to the worker that took its place.
    assert AHEAD == 2
    assert isinstance(results[0], WorkerDied) and isinstance(results[1], WorkerDied), results
    assert "died" in str(results[0])
    assert isinstance(results[2], PageFacts) and results[2].fact("slow_on") != killed
    assert isinstance(after, PageFacts) and after.fact("slow_on") not in (killed, os.getpid())


class _NoReaders(asyncio.SelectorEventLoop):
    """A loop that cannot watch a pipe, as Windows' proactor loop cannot."""

    def add_reader(self, *args: object, **kwargs: object) -> None:
        raise NotImplementedError


def test_where_the_loop_cannot_watch_pipes_a_thread_reads_each_workers_answers() -> None:
    exs = extractors()
    bodies = [_page(i) for i in range(6)]
    pool = _pool(2, exs)

    async def read_all() -> tuple[list[object], list[object]]:
        got = list(await asyncio.gather(*(pool.extract(f"http://shop.test/{i}", HEADERS, b, None, None)
                                        for i, b in enumerate(bodies))))
        return got, [w.thread for w in pool._workers]

    try:
        with asyncio.Runner(loop_factory=_NoReaders) as runner:
            got, threads = runner.run(asyncio.wait_for(read_all(), 120))
    finally:
        pool.close()
    assert threads and all(t is not None for t in threads)
    assert got == [_here(f"http://shop.test/{i}", b, exs) for i, b in enumerate(bodies)]


def test_closing_drops_the_pages_that_wait_and_ends_every_worker() -> None:
    pool = _pool(1, extractors())

    async def scenario() -> list[object]:
        tasks = [asyncio.ensure_future(pool.extract(f"http://shop.test/{i}", HEADERS, b, None, None))
                 for i, b in enumerate([_page(0), _page(1), _page(2), _page(3)])]
        first = await asyncio.wait_for(tasks[0], 60)
        assert isinstance(first, PageFacts)
        processes = [w.process for w in pool._workers]
        pool.close()
        assert all(not p.is_alive() for p in processes)
        await asyncio.sleep(0)
        return [t.cancelled() or t.done() for t in tasks]

    # The worker answers the pages it holds, then exits; the page that waited is dropped.
    assert all(asyncio.run(scenario()))


def test_a_pool_under_which_no_process_starts_says_so() -> None:
    from tests.test_pool import _NoProcesses

    pool = WorkerPool(2, pickle.dumps(extractors()), context=_NoProcesses())

    async def read() -> object:
        return await pool.extract("http://shop.test/", HEADERS, _page(0), None, None)

    with pytest.raises(CannotStart) as info:
        asyncio.run(read())
    assert isinstance(info.value.__cause__, OSError)
    assert pool.workers == 0


def test_facts_that_cannot_travel_back_fail_their_page_only() -> None:
    exs = (*extractors(), Unpicklable())
    pool = _pool(1, exs)

    async def read() -> list[object]:
        return [await pool.extract(f"http://shop.test/{i}", HEADERS, _page(i), None, None) for i in range(2)]

    try:
        got = asyncio.run(asyncio.wait_for(read(), 60))
    finally:
        pool.close()
    assert all(isinstance(r, ExtractionFailure) and r.kind == "extract_failed" and "could not be sent back" in r.detail
               for r in got), got


class Unpicklable(Extractor):
    """Returns a fact that is JSON but that pickle refuses (a dict of a class made inside a
    function): what nothing built in does, and the worker still answers."""

    name = "unpicklable"
    description = "a fact that cannot travel"

    def extract(self, doc: Document) -> object:
        class Local(dict):  # type: ignore[type-arg]
            pass

        return Local(a=1)


class BigFact(Extractor):
    """A fact of two million characters: an answer larger than a pipe's buffer."""

    name = "big_fact"
    description = "a large fact"

    def extract(self, doc: Document) -> str:
        return "x" * 2_000_000


def test_closing_while_a_worker_writes_an_answer_nobody_reads_does_not_wait_for_ever() -> None:
    """The crawl ends (or is interrupted) while a worker writes the answer to a page whose
    reader gave up, an answer larger than the pipe holds: closing ends the worker."""
    import threading

    pool = _pool(1, (*extractors(), BigFact()))

    async def scenario() -> None:
        task = asyncio.ensure_future(pool.extract("http://shop.test/", HEADERS, _page(0), None, None))
        await asyncio.sleep(0)  # the page is written to a worker, which starts reading it
        deadline = time.monotonic() + 60
        while pool.workers < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0)
        time.sleep(3)  # the event loop reads nothing meanwhile: the worker blocks writing its answer
        task.cancel()
        closer = threading.Thread(target=pool.close)
        closer.start()
        closer.join(60)
        assert not closer.is_alive(), "close() waited for a worker that waits to be read"

    asyncio.run(scenario())
    assert pool.workers == 0


class TwoPart(str):
    """A string that pickles but cannot be unpickled: its class wants two parts."""

    def __new__(cls, first: str, second: str) -> TwoPart:
        return super().__new__(cls, first + second)


class UnreadableFact(Extractor):
    name = "unreadable_fact"
    description = "a fact that travels but cannot be read back"

    def extract(self, doc: Document) -> str:
        return TwoPart("a", "b")


def test_an_answer_that_cannot_be_read_back_fails_its_page_and_the_worker_goes_on() -> None:
    pool = _pool(1, (*extractors(), UnreadableFact()))

    async def read() -> list[object]:
        return [await asyncio.wait_for(pool.extract(f"http://shop.test/{i}", HEADERS, _page(i), None, None), 60)
                for i in range(2)]

    try:
        got = asyncio.run(read())
        assert pool.workers == 1
    finally:
        pool.close()
    assert all(isinstance(r, ExtractionFailure) and "could not be read back" in r.detail for r in got), got
