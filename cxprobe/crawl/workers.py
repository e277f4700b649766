"""Extraction workers fed and read by the crawl's own event loop, one pipe each.

``concurrent.futures.ProcessPoolExecutor`` hands every page through two threads of the
crawl's process (its manager thread, which reads each result back and wakes the event
loop, and its queue's feeder thread, which writes each page out), each taking the
interpreter lock from the event loop and back per page. On the 1,000-page site that was
about 1.5 CPU-seconds of the crawl's process (docs/performance.md). Here each worker has a
socket pair of its own: the event loop writes a page to a worker whose queue has room and
is told by its selector when a result is there. No thread, no wake-up pipe.

- A worker holds at most :data:`AHEAD` pages: the one it reads and the next, so it never
  waits for the event loop between two pages.
- A page larger than the pipe's room (:data:`PIPE_ROOM`, or less where the pipe's buffer
  is smaller) goes only to an idle worker, which is waiting to read it: writing a page
  never waits for a worker busy with another.
- A worker that dies (a crash in a C library) fails the pages it held with
  :class:`WorkerDied`; the other workers go on, and a new worker takes its place when the
  next page comes.
- Where the event loop cannot watch a pipe (Windows' proactor loop), one thread per worker
  reads its results and hands them to the loop.

Processes start with the run's start method (:func:`cxprobe.document._worker.start_method`),
from the forkserver where there is one; :class:`CannotStart` says none could.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
import socket
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any

from ..document import ExtractionFailure
from ..document._worker import serve, start_method
from ..model import PageFacts

#: Pages a worker holds at once: the one it reads and the next.
AHEAD = 2

#: The most bytes of a page written to a worker that is busy, where the pipe's buffer holds
#: at least twice that (a socket pair's on Linux holds about 200 KB; :func:`_room` reads it).
PIPE_ROOM = 64 * 1024


def _socket_of(conn: Any) -> socket.socket:
    """A duplicate of ``conn``'s socket (close it after use); OSError or ValueError where
    ``conn`` is no socket (a Windows pipe) or is closed."""
    return socket.fromfd(conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM)


def _room(conn: Any) -> int:
    """Bytes that can be written to ``conn`` without waiting for its reader: half its send
    buffer, at most :data:`PIPE_ROOM`; 0 where that cannot be read (a Windows pipe), so
    that pages go only to idle workers there."""
    try:
        with _socket_of(conn) as sock:
            return min(PIPE_ROOM, sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2)
    except (OSError, AttributeError, ValueError):
        return 0


def _hang_up(conn: Any) -> None:
    """Close ``conn`` so that both ends see it: a thread blocked reading it wakes (closing
    the descriptor alone would leave that read, and the socket, open), and the worker reads
    the end of its pages."""
    try:
        with _socket_of(conn) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError, ValueError):  # closed already, or no socket (a Windows pipe)
        pass
    conn.close()


def _receive(conn: Any) -> bytes | None:
    """The next answer on ``conn``, or None when the worker is gone."""
    try:
        data: bytes = conn.recv_bytes()
    except (EOFError, OSError):
        return None
    return data


class WorkerDied(Exception):
    """The worker reading this page died (or its pipe broke) before answering."""


class CannotStart(Exception):
    """No worker process could start; ``__cause__`` says why (the system's limit on
    processes, a forkserver that died, a daemonic process)."""


class _Worker:
    __slots__ = ("process", "conn", "room", "queue", "watched", "thread")

    def __init__(self, process: Any, conn: Any) -> None:
        self.process = process
        self.conn = conn
        #: The largest page written to it while it holds another (see :func:`_room`).
        self.room = _room(conn)
        #: The futures of the pages written to it, in the order it answers them.
        self.queue: deque[asyncio.Future[Any]] = deque()
        #: Whether the event loop watches its pipe (or a thread reads it).
        self.watched = False
        self.thread: threading.Thread | None = None


class WorkerPool:
    """Up to ``size`` worker processes reading pages with the extractors pickled in
    ``blob`` (and the local plugins of ``local``, :func:`cxprobe._local.worker_state`)."""

    def __init__(self, size: int, blob: bytes, local: Any = ((), ()), context: Any = None) -> None:
        self.size = max(1, size)
        self.blob = blob
        self.local = local
        self.context: Any = context if context is not None else multiprocessing.get_context(start_method())
        self._workers: list[_Worker] = []
        #: Pages no worker had room for: (message, future).
        self._waiting: deque[tuple[bytes, asyncio.Future[Any]]] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    @property
    def workers(self) -> int:
        """Worker processes alive (or not yet known to have died)."""
        return len(self._workers)

    def start_workers(self) -> None:
        """Start all ``size`` workers now. Safe to call from another thread before the pool
        is first used (the pool's warm-up); raises :class:`CannotStart`."""
        while len(self._workers) < self.size:
            self._spawn()

    def _spawn(self) -> _Worker:
        ours, theirs = self.context.Pipe(duplex=True)
        try:
            process = self.context.Process(target=serve, args=(theirs, self.blob, self.local), daemon=True,
                                           name="cxprobe-extraction")
            process.start()
        except (OSError, EOFError, AssertionError, ValueError) as exc:
            ours.close()
            raise CannotStart(str(exc) or type(exc).__name__) from exc
        finally:
            theirs.close()  # the worker has its own copy: its death must close the pipe
        worker = _Worker(process, ours)
        self._workers.append(worker)
        if self._loop is not None:
            self._watch(worker)
        return worker

    async def extract(self, url: str, headers: Mapping[str, str] | None, body: bytes, budget: float | None,
                      time_left: float | None) -> PageFacts | ExtractionFailure:
        """The facts of one page read by a worker. Raises :class:`WorkerDied` when the
        worker holding it died, :class:`CannotStart` when it needed a worker none could
        start for."""
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            for started in self._workers:  # by the warm-up, before there was a loop
                self._watch(started)
        message = pickle.dumps((url, headers, body, budget, time_left), protocol=pickle.HIGHEST_PROTOCOL)
        future: asyncio.Future[Any] = loop.create_future()
        worker = self._room_for(message)
        if worker is None:
            self._waiting.append((message, future))
        else:
            self._send(worker, message, future)
        return await future  # type: ignore[no-any-return]

    def _room_for(self, message: bytes) -> _Worker | None:
        """The worker to write ``message`` to now (one started if every worker holds a
        page and fewer than ``size`` run), or None when it must wait."""
        if self._closed:
            raise CannotStart("the pool is closed")
        best = min(self._workers, key=lambda w: len(w.queue), default=None)
        if (best is None or best.queue) and len(self._workers) < self.size:
            return self._spawn()
        if best is None or len(best.queue) >= AHEAD or (best.queue and len(message) > best.room):
            return None
        return best

    def _send(self, worker: _Worker, message: bytes, future: asyncio.Future[Any]) -> None:
        worker.queue.append(future)
        try:
            worker.conn.send_bytes(message)
        except OSError:  # its pipe is broken: it died, and its pages with it
            self._lost(worker)

    def _watch(self, worker: _Worker) -> None:
        assert self._loop is not None
        try:
            self._loop.add_reader(worker.conn.fileno(), self._readable, worker)
            worker.watched = True
        except NotImplementedError:  # a loop that cannot watch a pipe: a thread reads it
            worker.thread = threading.Thread(target=self._read_in_thread, args=(worker, self._loop), daemon=True,
                                             name="cxprobe-extraction-results")
            worker.thread.start()

    def _readable(self, worker: _Worker) -> None:
        self._deliver(worker, _receive(worker.conn))

    def _read_in_thread(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            data = _receive(worker.conn)
            try:
                loop.call_soon_threadsafe(self._deliver, worker, data)
            except RuntimeError:  # the loop is closed: nobody waits for this any more
                return
            if data is None:
                return

    def _deliver(self, worker: _Worker, data: bytes | None) -> None:
        if worker not in self._workers:  # known dead already (a thread's answer came late)
            return
        if data is None:
            self._lost(worker)
            return
        if worker.queue:
            future = worker.queue.popleft()
            try:
                answer = pickle.loads(data)  # noqa: S301 - our own worker's answer
            except Exception as exc:  # noqa: BLE001 - a plugin's fact that pickles but cannot be unpickled
                answer = ExtractionFailure("extract_failed", f"the page's facts could not be read back "
                                                             f"({type(exc).__name__}: {exc})")
            if not future.done():  # not cancelled meanwhile (the run's deadline)
                future.set_result(answer)
        self._feed(worker)

    def _feed(self, worker: _Worker) -> None:
        """Give ``worker`` the pages that waited, while it has room."""
        while self._waiting and len(worker.queue) < AHEAD and worker in self._workers:
            message, future = self._waiting[0]
            if future.done():  # cancelled while it waited
                self._waiting.popleft()
                continue
            if worker.queue and len(message) > worker.room:
                return
            self._waiting.popleft()
            self._send(worker, message, future)

    def _lost(self, worker: _Worker) -> None:
        """``worker`` died: its pages fail with :class:`WorkerDied`, the pages that waited
        go to the others (or to a new worker, when the next page comes)."""
        if worker not in self._workers:
            return
        self._workers.remove(worker)
        self._unwatch(worker)
        _hang_up(worker.conn)
        worker.process.join(0.2)  # it is exiting: its exit code, for the message
        code = worker.process.exitcode
        while worker.queue:
            future = worker.queue.popleft()
            if not future.done():
                future.set_exception(WorkerDied(f"the process reading it died (exit code {code})"
                                                if code is not None else "the process reading it died"))
        if self._waiting and not self._closed:
            for other in list(self._workers):
                self._feed(other)
            if self._waiting and len(self._workers) < self.size:
                try:
                    self._feed(self._spawn())
                except CannotStart as exc:
                    while self._waiting:
                        _message, future = self._waiting.popleft()
                        if not future.done():
                            future.set_exception(exc)

    def _unwatch(self, worker: _Worker) -> None:
        if worker.watched and self._loop is not None and not self._loop.is_closed():
            try:
                self._loop.remove_reader(worker.conn.fileno())
            except (OSError, ValueError, RuntimeError):
                pass
        worker.watched = False

    def close(self, wait: bool = True) -> None:
        """Stop the workers. Pages that waited are dropped (the crawl is over). Each
        worker's pipe is shut: a worker finishes the page it reads, its answer goes
        nowhere (it would otherwise wait for ever to write a large one that nobody reads),
        and it exits. With ``wait``, until every worker has exited."""
        self._closed = True
        while self._waiting:
            _message, future = self._waiting.popleft()
            future.cancel()
        workers, self._workers = self._workers, []
        for worker in workers:
            self._unwatch(worker)
            _hang_up(worker.conn)
            for future in worker.queue:
                future.cancel()
            worker.queue.clear()
        if wait:
            for worker in workers:
                worker.process.join()


__all__ = ["AHEAD", "PIPE_ROOM", "CannotStart", "WorkerDied", "WorkerPool"]
