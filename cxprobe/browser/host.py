"""One browser for the whole run, launched while the site is crawled.

A browser-mode run needs the browser twice: to render every page (the ``rendering``
gatherer) and, after the probes, to click the journeys through. Each used to launch its
own (0.6-0.9 s each on the 2-core development machine), and the first launch waited for
the crawl to end. :class:`BrowserHost` keeps one :class:`~cxprobe.browser.session.Renderer`
on an event loop of its own thread: the run starts it before crawling (the driver, the
browser, the proxy and the guard need nothing from the site), the gatherer and the
journeys run their coroutines on it with :meth:`BrowserHost.run`, and the run closes it at
its end.

Ctrl-C and SIGTERM still reach the main thread, which waits in :meth:`run`: the waiting
stops at once, every task on the browser's loop is cancelled and awaited (each closes what
it opened), then the browser, the driver, the guard and the proxy are closed in order,
bounded in time, and the interrupt goes on. No browser outlives the run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from .options import RenderOptions
from .session import Renderer

T = TypeVar("T")

#: Seconds closing may take: the tasks' own cleanup, then the browser and the driver.
CLOSE_TIMEOUT = 20.0


class BrowserHost:
    """A :class:`Renderer` started at once on a thread's event loop, for several uses.

    ``BrowserHost(options)`` returns at once; the launch goes on in the background.
    :meth:`run` waits for it (raising :class:`~cxprobe.browser.RenderError` when it
    failed, again on every call) and runs ``make(renderer)`` on the browser's loop.
    :meth:`close` is idempotent; use the host as a context manager or close it in a
    ``finally``.
    """

    def __init__(self, options: RenderOptions) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="cxprobe-browser", daemon=True)
        self._thread.start()
        self._closed = False
        #: Tasks of this host's coroutines (the launch, each run) still running.
        self._tasks: set[asyncio.Task[Any]] = set()
        self.renderer = Renderer(options)
        self._started = asyncio.run_coroutine_threadsafe(self._track(self.renderer.start()), self._loop)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def __enter__(self) -> BrowserHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def launched(self) -> bool:
        """True once the browser is up (False while launching, after a failure or closing)."""
        return (self._started.done() and not self._started.cancelled() and self._started.exception() is None
                and not self._closed)

    def run(self, make: Callable[[Renderer], Coroutine[Any, Any, T]]) -> T:
        """``await make(renderer)`` on the browser's loop, once the browser is up."""
        if self._closed:
            raise RuntimeError("the browser host is closed")
        self._wait(self._started)
        return self._wait(asyncio.run_coroutine_threadsafe(self._track(make(self.renderer)), self._loop))

    async def _track(self, coro: Coroutine[Any, Any, T]) -> T:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            return await coro
        finally:
            self._tasks.discard(task)

    def _wait(self, future: concurrent.futures.Future[T]) -> T:
        try:
            return future.result()
        except BaseException as exc:
            if not isinstance(exc, Exception):  # Ctrl-C (SIGTERM takes its path): stop everything now
                self.close()
            raise

    def close(self) -> None:
        """Cancel what still runs on the browser's loop, close the browser, the driver, the
        guard and the proxy, and end the thread (within :data:`CLOSE_TIMEOUT`)."""
        if self._closed:
            return
        self._closed = True
        if self._loop.is_running():
            done = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
            with contextlib.suppress(Exception):
                done.result(timeout=CLOSE_TIMEOUT)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()

    async def _shutdown(self) -> None:
        # This host's own coroutines only: Playwright's tasks (its pipe to the driver)
        # must go on running until the browser and the driver are closed.
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=CLOSE_TIMEOUT / 2)
        await self.renderer._stop()
        with contextlib.suppress(Exception):
            await self._loop.shutdown_asyncgens()
