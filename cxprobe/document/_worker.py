"""What runs in an extraction worker (:mod:`cxprobe.crawl.pool`), and the start of the
forkserver the workers are forked from.

It lives beside the extraction code, not in the crawl package: a worker, and the
forkserver that forks it, then import only what reading a page needs, never the crawl's
HTTP stack.

The forkserver imports the extraction code and reads one page (:mod:`._warm`), about
0.5-0.8 s on a 2-core machine, before it can fork a worker. :func:`start_forkserver` starts it at
once without waiting for it, so that work runs on another core while this process is
still starting up: the command line starts it before it loads the plugins, and each crawl
that may use a pool when it begins.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Iterable, Mapping
from typing import Any

from .._local import restore
from ..model import PageFacts
from . import ExtractionFailure, extract_page

_EXTRACTORS: tuple[Any, ...] = ()

#: The modules that define cxprobe's own extractors (a test holds this to the registered
#: ones): what the command line has the forkserver import before the plugins are loaded.
BUILTIN_EXTRACTOR_MODULES = (
    "cxprobe_plugins.clarity", "cxprobe_plugins.commerce", "cxprobe_plugins.contact",
    "cxprobe_plugins.facts.contact_details", "cxprobe_plugins.facts.forms", "cxprobe_plugins.facts.prices",
    "cxprobe_plugins.integrity", "cxprobe_plugins.support",
)


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """forkserver where the platform has it, else spawn. Not fork: the crawl's process has
    threads (the folder server, the resolver); forking it could copy a lock held by one of
    them. The forkserver is a clean process that imports the extraction code once; every
    worker is a cheap fork of it."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def preload(modules: Iterable[str]) -> list[str]:
    """What the forkserver imports: the extraction code, the modules that define the
    extractors, and last :mod:`._warm`, which reads one page with them, so the workers
    start warm (patterns compiled, tables loaded) instead of warming once each."""
    return ["cxprobe.document", *sorted(set(modules)), "cxprobe.document._warm"]


def start_forkserver(modules: Iterable[str]) -> bool:
    """Start the forkserver now, importing ``modules``, without waiting for it (a process
    spawned: a few milliseconds). True when it runs (it was already running: its imports
    stay as they were). A run that never needs a pool leaves it unused; it exits on its
    own once this process has. It is multiprocessing's one forkserver of this process: a
    program that runs audits and starts forkserver processes of its own gets them from it,
    with cxprobe's modules imported and SIGINT blocked (as cxprobe's workers ignore it)."""
    if start_method() != "forkserver":
        return False
    from multiprocessing import forkserver, resource_tracker

    multiprocessing.get_context("forkserver").set_forkserver_preload(preload(modules))
    # Ctrl-C reaches the whole process group, and the forkserver would print a
    # KeyboardInterrupt traceback of its own while it imports: it is started with SIGINT
    # blocked (a signal mask is inherited across exec), and this process stops it. Blocked
    # here, not ignored: a Ctrl-C meanwhile is delivered to this process just after. The
    # resource tracker is started first: starting it unblocks SIGINT (it ignores the signal
    # itself).
    try:
        resource_tracker.ensure_running()
    except OSError:
        return False
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    except OSError:  # no process to spare: the pool tries again when it starts, and fails there
        return False
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return True


def init_worker(blob: bytes, local: Any = ((), ())) -> None:
    # Ctrl-C reaches the whole process group: the crawl's process stops the pool; a
    # worker must not print a KeyboardInterrupt traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Local plugins (--plugin) are imported by file, not by name: import them as the
    # crawl's process did before unpickling extractors whose classes they define.
    restore(local)
    global _EXTRACTORS
    _EXTRACTORS = pickle.loads(blob)  # noqa: S301 - our own process pickled them a moment ago
    quiet_collector()


#: The cycle collector's first threshold in a worker (Python's default is 700).
WORKER_GC_THRESHOLD = 10_000


def quiet_collector() -> None:
    """Keep the cycle collector off what a worker holds for good, and from running several
    times per page.

    Everything the process holds now (the extraction code, compiled patterns, tables, the
    extractors) is moved out of the collector's reach (``gc.freeze``): it is never
    garbage, and in a worker forked from the forkserver its pages then stay shared with it
    instead of being copied when the collector writes to them. A page's tree is thousands
    of objects that live until the page is read, then are freed at once; with the first
    threshold at 700 the collector walked them several times per page, about a tenth of
    extraction (docs/performance.md). Cycles a page leaves are still collected, every
    :data:`WORKER_GC_THRESHOLD` new objects."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def serve(conn: Any, blob: bytes, local: Any = ((), ())) -> None:
    """A worker's life (:mod:`cxprobe.crawl.workers`): read pages from ``conn`` and answer
    each with its facts, until an empty message or the other end closes (an answer that
    cannot be written, the crawl's end being closed, ends it too)."""
    init_worker(blob, local)
    recv, send = conn.recv_bytes, conn.send_bytes
    while True:
        try:
            message = recv()
        except (EOFError, OSError):
            return
        if not message:
            return
        try:
            url, headers, body, budget, time_left = pickle.loads(message)  # noqa: S301 - from the crawl's process
            answer = pickle.dumps(extract_in_worker(url, headers, body, budget, time_left), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - facts an extractor made that cannot travel back
            answer = pickle.dumps(ExtractionFailure("extract_failed", f"the page's facts could not be sent back "
                                                                      f"({type(exc).__name__}: {exc}) (a cxprobe bug: please report it)"))
        try:
            send(answer)
        except OSError:  # the crawl's process is gone
            return


def extract_in_worker(url: str, headers: Mapping[str, str] | None, body: bytes, budget: float | None,
                       time_left: float | None) -> PageFacts | ExtractionFailure:
    return extract_page(url, headers, body, _EXTRACTORS, budget=budget, time_left=time_left)


__all__ = ["BUILTIN_EXTRACTOR_MODULES", "WORKER_GC_THRESHOLD", "cores", "extract_in_worker", "init_worker", "preload",
           "quiet_collector", "serve", "start_forkserver", "start_method"]
