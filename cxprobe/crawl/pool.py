"""Facts extracted off the crawl's event loop, in worker processes.

Extraction is pure CPU work (parse, walk, every extractor), about as long per page as
fetching it from a fast server. Run inside the event loop it stalls fetching; run in a
thread it holds the GIL. So a crawl of more than a handful of pages hands extraction to a
pool of processes, one per core: the crawl keeps fetching while pages are read.

The first :data:`INLINE_PAGES` pages of a crawl are read in the crawl's own process, so a
small site never waits for processes to start. The forkserver the workers are forked from
starts, unwaited for, when the extraction is set up (the command line starts it even
earlier: :mod:`cxprobe.document._worker`); from the :data:`WARM_AT`-th page the workers
start in a background thread, so a larger site finds them ready. Browser mode reads its
first :data:`BROWSER_INLINE_PAGES` in-process and starts the forkserver only with the
workers. A pool needs the extractors to travel to the workers (pickle); extractors that
cannot (a class defined inside a function) are read in-process, with the same result. The result is the same function's either way
(:func:`cxprobe.document.extract_page`): a report does not depend on where a page was read.

A worker that dies (a crash in a C library on a hostile page) fails that page only, as
``extract_failed``: the pages in flight with it are read again, each alone.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from .._local import is_local_module, worker_state
from ..document import ExtractionFailure, extract_page
from ..document._worker import cores, start_forkserver
from ..model import PageFacts
from .workers import CannotStart, WorkerDied, WorkerPool

#: Pages read in the crawl's own process before a pool starts: a site this small is done
#: before the workers would be.
INLINE_PAGES = 8

#: The page at which the pool's workers start in the background, while the rest of the
#: first :data:`INLINE_PAGES` are read in-process, so the crawl does not wait for them
#: (half the pages read in-process, whatever their number).
WARM_AT = INLINE_PAGES // 2

#: Pages read in-process first in browser mode. There the crawl is a small part of the run
#: (rendering a page costs about twenty times reading it), and the forkserver's start
#: (0.5-0.8 CPU-s: importing and warming the extraction code) competed with the browser's
#: launch for the cores: on sb-modern-business (9 pages) the crawl took 0.73-0.85 s with the
#: pool and 0.42-0.53 s without, and a 50-page site 0.8 s against 0.6 s. A larger site
#: starts the forkserver and the workers at half this number, as a static crawl does at
#: :data:`WARM_AT`.
BROWSER_INLINE_PAGES = 50


def resolve_jobs(jobs: int) -> int:
    """Processes that extract facts: ``jobs``, or one per core when it is 0."""
    return cores() if jobs <= 0 else jobs


class Extraction:
    """Where one crawl's pages are read: in-process at first, then in a process pool.

    ``jobs`` is the number of worker processes (1: never a pool); ``inline_pages`` the
    pages read in this process first (:data:`INLINE_PAGES`; :data:`BROWSER_INLINE_PAGES`
    in browser mode; 0: the pool from the first page). Use :meth:`extract` for every page
    and :meth:`close` once at the end of the crawl.
    """

    def __init__(self, extractors: Sequence[Any], jobs: int, inline_pages: int = INLINE_PAGES) -> None:
        self.extractors = tuple(extractors)
        self.jobs = jobs
        #: Pages read here before the pool takes over (0: the pool from the first page).
        self.inline_pages = max(0, inline_pages)
        self.pages = 0
        self._pool: WorkerPool | None = None
        #: A one-worker pool that reads again, one at a time, the pages a dying worker took down.
        self._alone: WorkerPool | None = None
        self._alone_lock = asyncio.Lock()
        self._blob: bytes | None = None
        #: The thread starting the pool ahead of need, and the pool it started.
        self._warming: threading.Thread | None = None
        self._warmed: WorkerPool | None = None
        #: Why no pool is used (None while one may be), for the benchmarks and the tests.
        self.inline_because: str | None = None if jobs > 1 else "one job"
        if self.inline_because is None and multiprocessing.current_process().daemon:
            # A worker of another pool (multiprocessing's, a Dask worker's): Python lets no
            # daemon process start processes of its own.
            self.inline_because = "this process is a daemon (another pool's worker), which may start no processes"
        if self.inline_because is None:
            try:
                self._blob = pickle.dumps(self.extractors)
            except Exception as exc:  # noqa: BLE001 - any pickling failure means: read in-process
                self.inline_because = f"the extractors cannot be sent to a process ({type(exc).__name__})"
        if self.inline_because is None and self.inline_pages <= INLINE_PAGES:
            # The forkserver starts now, not when the pool does: it imports and warms the
            # extraction code while the first pages are read here (a few milliseconds
            # of this process; a small site leaves it unused). A crawl that reads more
            # pages here first (browser mode) starts it with its workers.
            start_forkserver(self._modules())

    @property
    def pooled(self) -> bool:
        """True once pages go to worker processes."""
        return self._pool is not None

    def _modules(self) -> list[str]:
        return [type(e).__module__ for e in self.extractors if not is_local_module(type(e).__module__)]

    def _start(self, workers: int) -> WorkerPool:
        assert self._blob is not None
        # Running already unless this crawl put it off (__init__), its imports as they were set then.
        start_forkserver(self._modules())
        return WorkerPool(workers, self._blob, worker_state())

    def _warm_up(self) -> None:
        """Start the pool's workers in a background thread; :meth:`_take_warm` picks them up."""

        def start() -> None:
            pool = self._start(self.jobs)
            try:
                pool.start_workers()
            except Exception:  # noqa: BLE001 - the pool then starts its workers when first needed
                pool.close(wait=False)
                return
            self._warmed = pool

        self._warming = threading.Thread(target=start, name="cxprobe-pool-start", daemon=True)
        self._warming.start()

    def _take_warm(self) -> WorkerPool | None:
        if self._warming is not None:
            self._warming.join()
            self._warming = None
        pool, self._warmed = self._warmed, None
        return pool

    async def extract(self, url: str, headers: Mapping[str, str] | None, body: bytes, budget: float | None,
                      time_left: float | None) -> PageFacts | ExtractionFailure:
        """The facts of one page, or why it has none (never raises for what a page holds)."""
        self.pages += 1
        if self.inline_because is not None or self.pages <= self.inline_pages:
            if self.pages == self.inline_pages // 2 and self.inline_because is None and self._pool is None:
                self._warm_up()
            return extract_page(url, headers, body, self.extractors, budget=budget, time_left=time_left)
        if self._pool is None:
            self._pool = self._take_warm() or self._start(self.jobs)
        try:
            return await self._pool.extract(url, headers, body, budget, time_left)
        except CannotStart as exc:
            return self._read_here(exc.__cause__ or exc, url, headers, body, budget, time_left)
        except WorkerDied:
            pass
        # A worker that dies takes down the pages it held (the one it read and the next).
        # Each of them is read again alone, one at a time, in a one-worker pool: only the
        # page that kills that worker is recorded as failed.
        async with self._alone_lock:
            # This page may be the one that killed the worker: never read here. When no
            # process can start to read it alone, it is recorded as failed.
            unread = ExtractionFailure("extract_failed", "the process reading this page died, and no process "
                                                         "could start to read it again")
            if self.inline_because is not None:
                return unread
            if self._alone is None:
                self._alone = self._start(1)
            try:
                return await self._alone.extract(url, headers, body, budget, time_left)
            except CannotStart as exc:
                self._no_processes(exc.__cause__ or exc)
                return unread
            except WorkerDied as exc:
                return ExtractionFailure("extract_failed", f"the process reading this page died ({exc})")

    def _read_here(self, exc: BaseException, url: str, headers: Mapping[str, str] | None, body: bytes,
                   budget: float | None, time_left: float | None) -> PageFacts | ExtractionFailure:
        """A worker could not start (the system's limit on processes, a daemon the check at
        the start missed): this page and every later one are read in this process, with the
        same facts. Workers that did start finish the pages they hold."""
        self._no_processes(exc)
        return extract_page(url, headers, body, self.extractors, budget=budget, time_left=time_left)

    def _no_processes(self, exc: BaseException) -> None:
        """From now on no page goes to a process: ``exc`` says why none could start."""
        self.inline_because = f"worker processes could not start ({type(exc).__name__}: {exc})"

    def close(self, wait: bool = True) -> None:
        """Stop the workers (pages still queued are dropped: the crawl is over). Without
        ``wait`` (an interrupted run), a worker finishing a page exits right after it."""
        for pool in (self._pool, self._alone, self._take_warm()):
            if pool is not None:
                pool.close(wait=wait)
        self._pool = self._alone = None
