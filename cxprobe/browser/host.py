"""One browser for the whole run, started before it is needed.

A browser-mode run needs the browser twice: to render every page (the ``rendering``
gatherer) and, after the probes, to click the journeys through. Each used to launch its
own (0.6-0.9 s each on the 2-core development machine), and the first launch waited for
the crawl to end. :class:`BrowserHost` keeps one :class:`~cxprobe.browser.session.Renderer`
on an event loop of its own thread, in two steps:

- Playwright's driver, the slowest part of a launch (a Node process, about 0.3 s), needs
  nothing from the run: ``cxprobe audit`` and ``cxprobe demo`` start it before they load
  the plugins (:func:`start_driver_early`), when the run may render;
- the browser, the proxy and the guard need the run's browser, flags, named origins and
  headers: the run launches them (:meth:`BrowserHost.launch`) before it crawls, on that
  driver (:func:`adopt_early`) or on a new one.

The render gatherer and the journeys run their coroutines on it with
:meth:`BrowserHost.run`, and the run closes it at its end. A driver started early that no
run takes (a static run, an error in the options) is closed when the command ends.

Ctrl-C and SIGTERM still reach the main thread, which waits in :meth:`run`: the waiting
stops at once, this host's tasks on the browser's loop are cancelled and awaited (each
closes what it opened), then the browser, the driver, the guard and the proxy are closed
in order, bounded in time, and the interrupt goes on. No browser outlives the run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

# Only what starting the driver needs: the command line starts it before it imports the
# rest (rendering's modules are imported by launch(), in the caller's thread).
from .driver import start_driver
from .options import RenderError

if TYPE_CHECKING:
    from .options import RenderOptions
    from .session import Renderer

T = TypeVar("T")

#: Seconds closing may take: the tasks' own cleanup, then the browser and the driver.
CLOSE_TIMEOUT = 20.0


class BrowserHost:
    """A :class:`Renderer` on a thread's event loop, started at once, for several uses.

    ``BrowserHost()`` starts Playwright's driver and returns at once;
    :meth:`launch` then launches the browser with the run's options (``BrowserHost(options)``
    does both). :meth:`run` waits for the launch (raising
    :class:`~cxprobe.browser.RenderError` when it failed, again on every call) and runs
    ``make(renderer)`` on the browser's loop. :meth:`close` is idempotent; use the host as
    a context manager or close it in a ``finally``.
    """

    def __init__(self, options: RenderOptions | None = None) -> None:
        # Playwright is imported here, in the caller's thread (50 ms), not on the browser's:
        # a Ctrl-C that stops the main thread's own imports (the plugins') while another
        # thread imports can leave that thread waiting for ever on a module lock.
        with contextlib.suppress(ImportError):  # start_driver says what is missing
            import playwright.async_api  # noqa: F401
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="cxprobe-browser", daemon=True)
        self._thread.start()
        self._closed = False
        #: Tasks of this host's coroutines (the launch, each run) still running.
        self._tasks: set[asyncio.Task[Any]] = set()
        #: The driver was handed to the renderer (which stops it from then on).
        self._handed = False
        self.renderer: Renderer | None = None
        # Not cancelled by close(): a driver cut off while it starts would stay up until this
        # process ends; close() waits for it and stops it.
        self._driver = asyncio.run_coroutine_threadsafe(start_driver(), self._loop)
        self._started: concurrent.futures.Future[Renderer] | None = None
        if options is not None:
            self.launch(options)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def __enter__(self) -> BrowserHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def launch(self, options: RenderOptions) -> None:
        """Launch the browser, the proxy and the guard with ``options`` on this host's
        driver, in the background (once), and make the contexts when ``options`` name
        the first-party hosts (:meth:`~cxprobe.browser.session.Renderer.prepare`)."""
        if self._closed:
            raise RuntimeError("the browser host is closed")
        if self._started is not None:
            raise RuntimeError("the browser host has launched its browser already")
        from .collect import first_line
        from .session import Renderer

        renderer = self.renderer = Renderer(options)

        async def up() -> Renderer:
            try:
                driver = await self._driver_started()
            except RenderError:
                raise
            except Exception as exc:  # the driver could not start: said as a launch that failed
                raise RenderError(f"could not launch the browser {options.browser_path}: {first_line(exc)}") from exc
            self._handed = True
            await renderer.start(driver)
            # The contexts too, for the first-party hosts guessed from the target, while
            # the site is crawled (Renderer.prepare; made again if the guess was wrong).
            await renderer.prepare()
            return renderer

        self._started = asyncio.run_coroutine_threadsafe(self._track(up()), self._loop)

    @property
    def launched(self) -> bool:
        """True once the browser is up (False while launching, after a failure or closing)."""
        started = self._started
        return (started is not None and started.done() and not started.cancelled() and started.exception() is None
                and not self._closed)

    def run(self, make: Callable[[Renderer], Coroutine[Any, Any, T]]) -> T:
        """``await make(renderer)`` on the browser's loop, once the browser is up."""
        if self._closed:
            raise RuntimeError("the browser host is closed")
        if self._started is None or self.renderer is None:
            raise RuntimeError("the browser host has not launched a browser (BrowserHost.launch)")
        renderer = self._wait(self._started)
        return self._wait(asyncio.run_coroutine_threadsafe(self._track(make(renderer)), self._loop))

    async def _driver_started(self) -> Any:
        """The driver, once started (its error, when it could not be). Polled: the future
        belongs to this loop's thread only through run_coroutine_threadsafe, and chaining
        it into an asyncio future would cancel the driver's start with the waiter."""
        while not self._driver.done():
            await asyncio.sleep(0.01)
        return self._driver.result()

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
        if self._handed and self.renderer is not None:
            await self.renderer._stop()
        else:
            with contextlib.suppress(Exception):  # a driver that did not start, or already died
                driver = await asyncio.wait_for(self._driver_started(), CLOSE_TIMEOUT / 4)
                await asyncio.wait_for(driver.stop(), timeout=CLOSE_TIMEOUT / 4)
        # Then, as asyncio.run ends a loop: every task left (Playwright's pipe to a driver a
        # Ctrl-C already ended) cancelled and awaited, so nothing is destroyed pending.
        here = asyncio.current_task()
        rest = [t for t in asyncio.all_tasks() if t is not here]
        for task in rest:
            task.cancel()
        if rest:
            await asyncio.wait(rest, timeout=CLOSE_TIMEOUT / 4)
        with contextlib.suppress(Exception):
            await self._loop.shutdown_asyncgens()


#: The driver ``cxprobe audit`` or ``cxprobe demo`` started before it loaded the plugins,
#: until a run takes it (:func:`adopt_early`) or the command ends (:func:`close_early`).
_early: BrowserHost | None = None


def start_driver_early() -> BrowserHost:
    """Start Playwright's driver now, on a host the run will take (:func:`adopt_early`)."""
    global _early
    if _early is None:
        _early = BrowserHost()
    return _early


def adopt_early() -> BrowserHost | None:
    """The host :func:`start_driver_early` started, now the caller's to launch and close;
    None when there is none."""
    global _early
    host, _early = _early, None
    return host


def close_early() -> None:
    """Close the driver started early if no run took it (a static run, an error)."""
    host = adopt_early()
    if host is not None:
        host.close()
