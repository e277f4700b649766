"""The Playwright session: one browser per run, one context per viewport, pages in parallel.

:class:`Renderer` launches the browser (Playwright is imported only here, so static
mode never pays for it), starts the subresource proxy and the request guard before any
context exists, gives each context the proxy's credentials, renders jobs within the
concurrency bound and the run's deadline (each page through
:func:`~cxprobe.browser.collect.collect_page`), records failed requests per page, and
closes the browser, the driver, the guard and the proxy in order on every exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..model import RenderedPage
from ._tasks import gather_all, quiet
from .collect import PageRecord, collect_page, first_line
from .driver import start_driver
from .guard import RequestGuard
from .options import RenderError, RenderJob, RenderOptions, Viewport
from .proxy import SubresourceProxy
from .scripts import load_all, script

#: Flags for a quiet, offline-friendly browser: no update checks, no sync, no GPU.
LAUNCH_ARGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-gpu")


def _user_agent(mobile: bool, version: str) -> str:
    major = version.split(".", 1)[0] or "120"
    chrome = f"Chrome/{major}.0.0.0"
    if mobile:
        base = f"Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) {chrome} Mobile Safari/537.36"
    else:
        base = f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) {chrome} Safari/537.36"
    # Honest: a real browser's UA, so sites serve their normal pages, plus who we are.
    return f"{base} cxprobe/{__version__}"


class _Slot:
    """A render job's place in the renderer's bounds: one of the pages loading and being
    read, then (:meth:`to_clicking`) one of the pages clicking their dead links. Clicking is
    mostly waiting on the page, so a page that clicks makes way for the next one to load."""

    def __init__(self, loading: asyncio.Semaphore, clicking: asyncio.Semaphore) -> None:
        self._loading, self._clicking = loading, clicking
        self._held: asyncio.Semaphore | None = None

    async def __aenter__(self) -> _Slot:
        await self._loading.acquire()
        self._held = self._loading
        return self

    async def to_clicking(self) -> None:
        """Take a clicking place, then give the loading place up."""
        if self._held is not self._loading:
            return
        await self._clicking.acquire()
        self._loading.release()
        self._held = self._clicking

    async def __aexit__(self, *exc: object) -> None:
        if self._held is not None:
            self._held.release()
            self._held = None


class Renderer:
    """One browser for one run: render jobs concurrently and collect RenderedPages.

    Use as ``async with Renderer(options) as r: pages = await r.render(jobs)``.
    """

    def __init__(self, options: RenderOptions, progress: Callable[[int, int], None] | None = None) -> None:
        if options.headers and not options.named:
            # Headers with nowhere named to go would silently go nowhere.
            raise ValueError("RenderOptions.headers need RenderOptions.named: the origins that may receive them")
        self.opts = options
        self.progress = progress
        self.version = ""
        self._pw: Any = None
        self._browser: Any = None
        self._contexts: dict[str, Any] = {}
        self._records: dict[Any, PageRecord] = {}
        self._idle: dict[str, list[Any]] = {}
        self._proxy: SubresourceProxy | None = None
        self._guard: RequestGuard | None = None
        self._sem = asyncio.Semaphore(max(1, options.concurrency))
        #: Pages clicking their dead links (mostly waiting on the page): bounded apart, so
        #: that they do not hold back the pages still to load.
        self._clicking = asyncio.Semaphore(max(1, options.concurrency))
        self.done = 0
        self.total = 0
        #: Rendered HTML of jobs with keep_html: (url, viewport) -> html.
        self.html: dict[tuple[str, str], str] = {}
        #: Called with (url, viewport, html) as each rendered HTML is kept, while other
        #: pages render.
        self.on_html: Callable[[str, str, str], None] | None = None
        #: (href, text) keys of dead links clicked so far in the run: each is clicked once.
        self._tested: set[str] = set()

    def dead_hosts(self) -> tuple[tuple[str, int, str], ...]:
        """The hosts of other origins found unreachable so far, as (host, port, why)."""
        proxy = self._proxy
        if proxy is None:
            return self.opts.dead_hosts
        return tuple(sorted((h, p, proxy.failures.get(h, "unreachable")) for h, p in proxy.unreachable))

    async def __aenter__(self) -> Renderer:
        await self.start()
        try:
            await self.open()
        except BaseException:
            await self._stop()
            raise
        return self

    async def start(self, driver: Any = None) -> Renderer:
        """Launch what needs no site: the driver, the browser, the proxy and the guard.

        A run launches them while it crawls (:class:`~cxprobe.browser.host.BrowserHost`);
        :meth:`open` then makes the contexts with the site's own hosts. ``driver``: a
        Playwright driver already started (:func:`start_driver`), which this renderer then
        owns and stops. On failure everything started is stopped again and
        :class:`RenderError` says why.
        """
        load_all()  # a broken installation fails here, before any browser starts
        try:
            self._pw = driver if driver is not None else await start_driver()
            # handle_sigint=False: Ctrl-C reaches the driver too (one process group),
            # and Playwright's own handler would kill the browser and the driver under
            # us. The driver ignores SIGINT itself; cxprobe closes both in order
            # (_stop). SIGTERM and SIGHUP keep Playwright's handlers: when those reach
            # the driver alone, it still takes the browser down with it.
            self._browser = await self._pw.chromium.launch(
                executable_path=self.opts.browser_path, headless=True, handle_sigint=False,
                args=[*LAUNCH_ARGS, *self.opts.extra_args], timeout=30_000)
        except RenderError:  # no Playwright at all: said as it is
            await self._stop()
            raise
        except Exception as exc:
            await self._stop()
            raise RenderError(f"could not launch the browser {self.opts.browser_path}: {first_line(exc)}") from exc
        except BaseException:  # interrupted while launching: leave nothing running
            await self._stop()
            raise
        self.version = self._browser.version
        try:
            self._proxy = await SubresourceProxy(self.opts.subresource_timeout, self.opts.block_trackers).start()
            self._add_dead_hosts(self.opts.dead_hosts)
            # Before any context exists: no request may leave unchecked.
            self._guard = await RequestGuard(self.opts.named, self.opts.headers, self._proxy).start(self._browser)
        except BaseException:
            await self._stop()
            raise
        return self

    def _add_dead_hosts(self, dead: tuple[tuple[str, int, str], ...]) -> None:
        assert self._proxy is not None
        for host, port, why in dead:
            self._proxy.unreachable.add((host, port))
            self._proxy.failures.setdefault(host, why)

    async def open(self, options: RenderOptions | None = None) -> None:
        """Take this part of the run's options (the site's hosts, the screenshots'
        folder, the deadline) and make one context per viewport, the first time.

        What the browser was launched with (its path and flags, the named origins and
        their headers, the proxy's bounds) cannot change: different values raise
        ValueError. Contexts made for other first-party hosts (their proxy bypass is
        theirs: :meth:`prepare` guessed them, or the site grew) are closed and made again.
        Otherwise the contexts are made once; a later call only takes the options. Called
        between renders, not during one.
        """
        if options is not None:
            fixed = ("browser_path", "extra_args", "named", "headers", "subresource_timeout", "block_trackers", "viewports")
            changed = [name for name in fixed if getattr(options, name) != getattr(self.opts, name)]
            if changed:
                raise ValueError(f"the browser was launched with other {', '.join(changed)}")
            if self._contexts and options.first_party != self.opts.first_party:
                await self._close_contexts()
            self.opts = options
            self._sem = asyncio.Semaphore(max(1, options.concurrency))
            self._clicking = asyncio.Semaphore(max(1, options.concurrency))
            if self._proxy is not None:
                self._add_dead_hosts(options.dead_hosts)
        if self._contexts:
            return
        if self._browser is None:
            raise RuntimeError("the browser is not started (Renderer.start)")
        try:
            # One viewport's context and its first page (a renderer process, the proxy's
            # credentials) while the other's are made.
            await asyncio.gather(*(self._make_context(vp) for vp in self.opts.viewports))
        except BaseException:
            await self._close_contexts()
            raise
        # In the viewports' order, whichever was made first.
        self._contexts = {vp.name: self._contexts[vp.name] for vp in self.opts.viewports}

    async def prepare(self) -> None:
        """Make the contexts now, for the first-party hosts the browser was launched with
        (the target's: a guess made before the crawl, right unless the site redirects
        elsewhere), so that rendering finds them ready; :meth:`open` makes them again
        when the site's hosts turn out other. Never raises: a failure here is met again,
        and said, by :meth:`open`."""
        if self._contexts or self._browser is None or not self.opts.first_party:
            return
        with contextlib.suppress(Exception):
            await self.open()

    async def _make_context(self, vp: Viewport) -> None:
        assert self._browser is not None and self._proxy is not None
        # No proxy credentials here: given to Playwright, they would make it intercept
        # every request itself and switch the cache off. The guard answers the proxy's
        # challenge instead.
        ctx = await self._browser.new_context(
            viewport={"width": vp.width, "height": vp.height},
            screen={"width": vp.width, "height": vp.height},
            device_scale_factor=vp.scale, is_mobile=vp.mobile, has_touch=vp.mobile,
            user_agent=_user_agent(vp.mobile, self.version), service_workers="block",
            accept_downloads=False, proxy={"server": self._proxy.server, "bypass": ",".join(self.opts.first_party)})
        self._contexts[vp.name] = ctx
        # Form submissions that would send anything but GET never start: a navigation
        # the guard refuses at the network would have stopped the page loading (a
        # half-parsed page, no load event).
        await ctx.add_init_script(script("no_submit"))
        await self._authenticate(vp.name)

    async def _close_contexts(self) -> None:
        """Close every context (their pages with them)."""
        contexts, self._contexts = list(self._contexts.values()), {}
        self._idle.clear()
        for ctx in contexts:
            await quiet(ctx.close())

    async def _authenticate(self, viewport: str) -> None:
        """Give this context the proxy's credentials before any page needs them.

        Chromium asks for proxy credentials (Fetch.authRequired, answered by the guard)
        only for a navigation; a subresource would just get the 407. One navigation to
        the proxy's own host per context caches them; from then on every request to the
        proxy carries them. The page goes back to the idle pool.
        """
        page = await self._page(viewport)
        try:
            # The 204 answer ends the navigation as "aborted": that is the success case.
            await page.goto(f"http://{SubresourceProxy.AUTH_HOST}/", timeout=10_000)
        except Exception:  # noqa: BLE001, S110 - see above; a real failure shows as HTTP 407 later
            pass
        self._idle.setdefault(viewport, []).append(page)

    async def __aexit__(self, *exc: object) -> None:
        await self._stop()

    async def _stop(self) -> None:
        """Close the browser, then the driver, then the guard and the proxy.

        Runs on every exit, an interrupt included (then inside the cancelled task), so
        no Chromium or driver process outlives the run. Each step is bounded: a driver
        that no longer answers does not hold the exit up (it exits by itself when its
        pipe closes with this process).
        """
        for closing in (self._browser, self._pw):
            if closing is None:
                continue
            try:
                await asyncio.wait_for(closing.close() if closing is self._browser else closing.stop(), timeout=10)
            except Exception:  # noqa: BLE001, S110 - a browser or driver that already died
                pass
        self._browser = self._pw = None
        if self._guard is not None:
            await self._guard.close()
        if self._proxy is not None:
            await self._proxy.close()
            self._proxy = None

    # ----------------------------------------------------------------- network
    def _request_failed(self, page: Any, request: Any) -> None:
        """Record a failed request on its page, with the proxy's reason when it has one."""
        rec = self._records.get(page)
        if rec is None:
            return
        url = request.url
        if request.method.upper() not in RequestGuard.SAFE_METHODS:
            rec.refused.append((request.method.upper(), url))  # the guard refused it
            try:
                if request.is_navigation_request() and request.frame.parent_frame is None:
                    rec.refused_navigation = True
            except Exception:  # noqa: BLE001, S110 - a worker's request has no frame
                pass
            return
        host = (urlsplit(url).hostname or "").lower()
        failure = (request.failure or "failed").replace("net::", "")
        why = self._proxy.failures.get(host) if self._proxy is not None else None
        if why and why.startswith("blocked"):
            rec.blocked.append(url)
            return
        if failure in ("ERR_ABORTED",) and request.resource_type in ("media", "other"):
            return  # media elements abort their own range requests
        rec.fail(url, why or failure)

    def _dialog(self, page: Any, dialog: Any) -> None:
        """Dismiss alert/confirm/prompt (accept "leave this page?", so the next navigation
        of this reused page is not held up), counted on the page."""
        rec = self._records.get(page)
        if rec is not None:
            rec.dialogs += 1
        asyncio.ensure_future(quiet(dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss()))

    def _popup(self, opener: Any, popup: Any) -> None:
        """Close a window the page opened; what it tried counts for the page that opened it."""
        rec = self._records.get(opener)
        if rec is not None:
            rec.popups += 1
        popup.on("requestfailed", lambda r: self._request_failed(opener, r))
        asyncio.ensure_future(quiet(popup.close()))

    # ----------------------------------------------------------------- rendering
    async def render(self, jobs: Iterable[RenderJob]) -> list[RenderedPage]:
        """Render every job (within the concurrency bound) and return them in job order."""
        jobs = list(jobs)
        self.total += len(jobs)
        return await gather_all(self._bounded(j) for j in jobs)

    async def _bounded(self, job: RenderJob) -> RenderedPage:
        slot = _Slot(self._sem, self._clicking)
        async with slot:
            left = self.opts.time_left()
            if left <= 0.5:
                rp = RenderedPage(url=job.url, viewport=job.viewport.name, width=job.viewport.width,
                                  height=job.viewport.height, error="deadline: not rendered before the run's deadline")
            else:
                # Loading has its own timeout; collecting, the screenshot and the menu get 10 s more.
                budget = min(self.opts.page_timeout + 10.0, left)
                rp = await self._render_one(job, budget, slot)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)
        return rp

    async def _page(self, viewport: str) -> Any:
        """An idle page of this viewport's context, or a new one (pages are reused: a new
        page costs a renderer process, a navigation in an old one does not)."""
        idle = self._idle.setdefault(viewport, [])
        if idle:
            return idle.pop()
        page = await self._contexts[viewport].new_page()
        page.on("dialog", lambda d: self._dialog(page, d))
        page.on("popup", lambda p: self._popup(page, p))
        page.on("requestfailed", lambda r: self._request_failed(page, r))
        page.on("request", lambda r: self._xhr(page, r, 1))
        page.on("requestfinished", lambda r: self._xhr(page, r, -1))
        page.on("requestfailed", lambda r: self._xhr(page, r, -1))
        return page

    async def borrow(self, viewport: str) -> Any:
        """A page of this viewport's context for a walk of its own (journeys): its failed
        requests and dialogs are handled as a rendered page's are. Hand it back with
        :meth:`give_back`."""
        page = await self._page(viewport)
        self._records[page] = PageRecord()
        return page

    def record(self, page: Any) -> PageRecord | None:
        """What a borrowed page's requests did so far (failed, blocked, refused)."""
        return self._records.get(page)

    async def give_back(self, viewport: str, page: Any, healthy: bool = True) -> None:
        """Return a page from :meth:`borrow`: to the idle pool when it is healthy, else closed."""
        self._records.pop(page, None)
        if healthy and not page.is_closed():
            self._idle.setdefault(viewport, []).append(page)
        else:
            await quiet(page.close())

    def _xhr(self, page: Any, request: Any, change: int) -> None:
        """Count the page's fetch/XMLHttpRequest calls in flight (collect waits for them)."""
        rec = self._records.get(page)
        if rec is None or request.resource_type not in ("fetch", "xhr"):
            return
        rec.pending_xhr = max(0, rec.pending_xhr + change)
        rec.saw_xhr = True

    async def _render_one(self, job: RenderJob, budget: float, slot: _Slot | None = None) -> RenderedPage:
        vp = job.viewport
        t0 = time.monotonic()
        base: dict[str, Any] = {"url": job.url, "viewport": vp.name, "width": vp.width, "height": vp.height}
        page = None
        healthy = False
        rec = PageRecord()
        try:
            page = await self._page(vp.name)
            self._records[page] = rec
            # The clicks stop 2 s before the page's budget: they never cost the page its facts.
            rp = await asyncio.wait_for(collect_page(page, job, rec, base, t0, self.opts, self._tested, t0 + budget - 2,
                                                     before_clicks=slot.to_clicking if slot else None),
                                        timeout=budget)
            healthy = True
            return rp
        except TimeoutError:
            return RenderedPage(**base, error=f"timeout: not rendered within {budget:.0f} s",
                                **rec.requests(), elapsed=round(time.monotonic() - t0, 3))
        except Exception as exc:  # noqa: BLE001 - one page failing is recorded; the run goes on
            return RenderedPage(**base, error=first_line(exc), **rec.requests(),
                                elapsed=round(time.monotonic() - t0, 3))
        finally:
            if rec.html is not None:
                self.html[(job.url, vp.name)] = rec.html
                if self.on_html is not None:
                    self.on_html(job.url, vp.name, rec.html)
            if page is not None:
                self._records.pop(page, None)
                if healthy and not page.is_closed():
                    self._idle.setdefault(vp.name, []).append(page)
                else:
                    await quiet(page.close())
