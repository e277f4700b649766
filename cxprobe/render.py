"""Browser discovery and rendering with Playwright: the ``rendering`` artifact.

Discovery order: ``--browser-path`` / ``CXPROBE_BROWSER``, then Playwright's own
Chromium when installed, then ``chromium-headless-shell``, ``chromium``,
``google-chrome`` on PATH. Discovery is cheap: Playwright's browser folder is read from
disk, and its driver is started only when that folder exists but its layout is unknown.

Rendering (:class:`RenderGatherer`, browser mode only): one browser per run, one context
per viewport (mobile 375x667 with touch, as Playwright's phone descriptors do, so the
viewport meta is honoured; desktop 1366x768), pages rendered concurrently within a bound,
each under a timeout, all under the run's deadline. Subresources from other origins load
as in any browser but at most :data:`SUBRESOURCE_TIMEOUT` seconds each, and every one
that fails is recorded on its :class:`~cxprobe.model.RenderedPage`. Links found in the
rendered DOM feed the crawl: in-scope pages the static crawl did not reach are fetched,
rendered too, and the extended :class:`~cxprobe.model.Site` replaces the crawl artifact.

Playwright is imported lazily: static mode never pays for it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import __version__, urls
from .model import Box, MenuCheck, Page, RenderedPage, Rendering, Site, TapTarget
from .probe import Gatherer

SYSTEM_BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome",
                   "google-chrome-stable")

#: Flags for a quiet, offline-friendly browser: no update checks, no sync, no GPU.
LAUNCH_ARGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-gpu")

#: Seconds one subresource from another origin may take before it is given up.
SUBRESOURCE_TIMEOUT = 2.0
#: Text below this size (CSS px as seen at device width) counts as small.
SMALL_TEXT_PX = 12

#: Analytics and ad hosts: blocked, recorded as blocked (not as failures of the site).
TRACKERS = re.compile(
    r"(^|\.)(google-analytics\.com|googletagmanager\.com|doubleclick\.net|googlesyndication\.com|"
    r"googleadservices\.com|adservice\.google\.com|connect\.facebook\.net|facebook\.com/tr|"
    r"analytics\.tiktok\.com|static\.hotjar\.com|script\.hotjar\.com|clarity\.ms|"
    r"bat\.bing\.com|snap\.licdn\.com|px\.ads\.linkedin\.com|segment\.io|cdn\.segment\.com|"
    r"mixpanel\.com|amplitude\.com|plausible\.io|stats\.wp\.com|scorecardresearch\.com|"
    r"quantserve\.com|adnxs\.com|criteo\.(?:com|net)|taboola\.com|outbrain\.com)$",
    re.I,
)


# =========================================================================== discovery


@dataclass(frozen=True)
class FoundBrowser:
    """A Chromium executable and where it was found."""

    path: str
    #: "option" (--browser-path / CXPROBE_BROWSER), "playwright" or "system"
    source: str


def _executable(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path or "") and os.access(path or "", os.X_OK)


def _playwright_registry() -> Path | None:
    """Folder where ``playwright install`` puts browsers (PLAYWRIGHT_BROWSERS_PATH honoured)."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env == "0":
        try:
            import playwright
        except ImportError:
            return None
        return Path(playwright.__file__).parent / "driver" / "package" / ".local-browsers"
    if env:
        return Path(env).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", str(Path.home() / "AppData" / "Local"))) / "ms-playwright"
    return Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))) / "ms-playwright"


def _playwright_revisions() -> dict[str, str]:
    """Browser name -> revision this Playwright expects, from its browsers.json."""
    try:
        import playwright
    except ImportError:
        return {}
    try:
        data = json.loads((Path(playwright.__file__).parent / "driver" / "package" / "browsers.json").read_text())
        return {b["name"]: str(b["revision"]) for b in data.get("browsers", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


@functools.lru_cache(maxsize=1)
def _playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium when ``playwright install chromium`` was run.

    Read from disk (Playwright's registry folder and the revision its browsers.json
    expects): no driver process in the usual cases. Only when browsers are installed but
    not where this layout says is the driver asked, once per process.
    """
    registry = _playwright_registry()
    if registry is None or not registry.is_dir():
        return None
    installed = [d for d in registry.iterdir() if d.name.startswith("chromium")]
    if not installed:
        return None
    revisions = _playwright_revisions()
    layouts = {
        "linux": (("chromium_headless_shell", "chrome-headless-shell-linux64/chrome-headless-shell"),
                  ("chromium", "chrome-linux64/chrome"),
                  ("chromium_headless_shell", "chrome-headless-shell-linux-arm64/chrome-headless-shell"),
                  ("chromium", "chrome-linux-arm64/chrome"),
                  ("chromium", "chrome-linux/chrome")),
        "darwin": (("chromium_headless_shell", "chrome-headless-shell-mac-arm64/chrome-headless-shell"),
                   ("chromium_headless_shell", "chrome-headless-shell-mac-x64/chrome-headless-shell"),
                   ("chromium", "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing"),
                   ("chromium", "chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing")),
        "win32": (("chromium_headless_shell", "chrome-headless-shell-win64/chrome-headless-shell.exe"),
                  ("chromium", "chrome-win64/chrome.exe"), ("chromium", "chrome-win/chrome.exe")),
    }.get(sys.platform if sys.platform in ("darwin", "win32") else "linux", ())
    for name, rel in layouts:
        rev = revisions.get(name.replace("_", "-"))
        if rev:
            candidate = registry / f"{name}-{rev}" / rel
            if _executable(str(candidate)):
                return str(candidate)
    return _ask_playwright_driver()


def _ask_playwright_driver() -> str | None:
    """Ask Playwright's driver where its Chromium is (starts a Node process: ~1 s)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver, no browser: not found
        return None
    return path if _executable(path) else None


def find_browser(explicit: str | None = None) -> FoundBrowser | None:
    """The browser to render with, or None when none can be found."""
    if explicit:
        path = shutil.which(explicit) or explicit
        if _executable(path):
            return FoundBrowser(path=os.path.abspath(path), source="option")
        return None
    pw = _playwright_chromium()
    if pw:
        return FoundBrowser(path=pw, source="playwright")
    for name in SYSTEM_BROWSERS:
        path = shutil.which(name)
        if path:
            return FoundBrowser(path=path, source="system")
    return None


def describe_missing_browser(explicit: str | None, short: bool = False) -> str:
    """One line naming the ways to get a browser."""
    if short:
        return "install one with `python -m playwright install chromium` or give --browser-path"
    lead = f"no browser at {explicit}" if explicit else "--render browser needs Chromium and none was found"
    return (f"{lead}; fix it one of three ways: `python -m playwright install chromium`, "
            f"install a system Chromium (e.g. `apt-get install chromium-headless-shell` or `chromium`), "
            f"or point --browser-path / CXPROBE_BROWSER at a Chromium executable")


# =========================================================================== options


class RenderError(RuntimeError):
    """The browser could not be launched, or rendering failed as a whole."""


@dataclass(frozen=True)
class Viewport:
    """One browser context: size, touch and device pixel ratio."""

    name: str
    width: int
    height: int
    mobile: bool
    scale: float


#: The two viewports of the design: a phone (as Playwright's phone descriptors) and a laptop.
VIEWPORTS = (Viewport("mobile", 375, 667, True, 2.0), Viewport("desktop", 1366, 768, False, 1.0))


@dataclass(frozen=True)
class RenderOptions:
    """How to render: the browser, the bounds, where screenshots go."""

    browser_path: str
    #: Pages rendered at once (per run, across both viewports).
    concurrency: int = 4
    #: Seconds for one page to load (navigation to the load event).
    page_timeout: float = 10.0
    #: Seconds per subresource from another origin.
    subresource_timeout: float = SUBRESOURCE_TIMEOUT
    #: time.monotonic() value after which nothing new starts; None: no deadline.
    deadline_at: float | None = None
    #: Folder for first-viewport screenshots; None: no screenshots.
    screenshot_dir: Path | None = None
    #: Extra Chromium flags (tests pass --host-resolver-rules; users may via CXPROBE_BROWSER_ARGS).
    extra_args: tuple[str, ...] = ()
    block_trackers: bool = True
    viewports: tuple[Viewport, ...] = VIEWPORTS
    #: Host[:port] values that are first-party (not capped, never blocked).
    first_party: tuple[str, ...] = ()

    def time_left(self) -> float:
        return float("inf") if self.deadline_at is None else self.deadline_at - time.monotonic()


@dataclass(frozen=True)
class RenderJob:
    """One page to render in one viewport."""

    url: str
    viewport: Viewport
    #: Check the mobile menu here (the start page on mobile).
    menu: bool = False
    #: Text of the hero's call to action from the static facts, to find it in the DOM.
    cta_text: str = ""
    #: Keep the rendered HTML (pages whose HTML is an empty JavaScript shell).
    keep_html: bool = False


@dataclass
class _PageRecord:
    """Mutable per-page bookkeeping while it renders (requests that failed or were blocked)."""

    failed: dict[str, str] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)


def _user_agent(mobile: bool, version: str) -> str:
    major = version.split(".", 1)[0] or "120"
    chrome = f"Chrome/{major}.0.0.0"
    if mobile:
        base = f"Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) {chrome} Mobile Safari/537.36"
    else:
        base = f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) {chrome} Safari/537.36"
    # Honest: a real browser's UA, so sites serve their normal pages, plus who we are.
    return f"{base} cxprobe/{__version__}"


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return host
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return f"{host}:{port}" if port and port != default else host


def _first_party(url: str, first_party: tuple[str, ...]) -> bool:
    if not url.startswith(("http://", "https://")):
        return True  # data:, blob:, about: never leave the page
    netloc = _netloc(url)
    host = netloc.split(":", 1)[0] if not netloc.startswith("[") else netloc
    return netloc in first_party or host in first_party


def _tracker(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return bool(TRACKERS.search(host)) or bool(TRACKERS.search(host + parts.path))


def _slug(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    s = re.sub(r"[^a-z0-9]+", "-", (path + ("-" + parts.query if parts.query else "")).lower()).strip("-")
    s = s[:60] or "index"
    if parts.query or len(path) > 60:
        s += "-" + hashlib.sha1(url.encode()).hexdigest()[:6]
    return s


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return re.sub(r"\s+", " ", line)[:300]


# =========================================================================== the renderer


class Renderer:
    """One browser for one run: render jobs concurrently and collect RenderedPages.

    Use as ``async with Renderer(options) as r: pages = await r.render(jobs)``.
    """

    def __init__(self, options: RenderOptions, progress: Callable[[int, int], None] | None = None) -> None:
        self.opts = options
        self.progress = progress
        self.version = ""
        self._pw: Any = None
        self._browser: Any = None
        self._contexts: dict[str, Any] = {}
        self._records: dict[Any, _PageRecord] = {}
        self._idle: dict[str, list[Any]] = {}
        self._sem = asyncio.Semaphore(max(1, options.concurrency))
        self.done = 0
        self.total = 0
        #: Rendered HTML of jobs with keep_html: (url, viewport) -> html.
        self.html: dict[tuple[str, str], str] = {}

    async def __aenter__(self) -> Renderer:
        try:
            from playwright.async_api import async_playwright
        except ImportError as exc:
            raise RenderError("the playwright package is not installed (pip install playwright)") from exc
        try:
            self._pw = await async_playwright().start()
            self._browser = await self._pw.chromium.launch(
                executable_path=self.opts.browser_path, headless=True,
                args=[*LAUNCH_ARGS, *self.opts.extra_args], timeout=30_000)
        except Exception as exc:
            await self._stop()
            raise RenderError(f"could not launch the browser {self.opts.browser_path}: {_first_line(exc)}") from exc
        self.version = self._browser.version
        for vp in self.opts.viewports:
            ctx = await self._browser.new_context(
                viewport={"width": vp.width, "height": vp.height},
                screen={"width": vp.width, "height": vp.height},
                device_scale_factor=vp.scale, is_mobile=vp.mobile, has_touch=vp.mobile,
                user_agent=_user_agent(vp.mobile, self.version), service_workers="block",
                java_script_enabled=True, accept_downloads=False)
            await ctx.route(lambda url: not _first_party(url, self.opts.first_party), self._route)
            self._contexts[vp.name] = ctx
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stop()

    async def _stop(self) -> None:
        try:
            if self._browser is not None:
                await self._browser.close()
        except Exception:  # noqa: BLE001, S110 - closing a browser that already died
            pass
        try:
            if self._pw is not None:
                await self._pw.stop()
        except Exception:  # noqa: BLE001, S110
            pass
        self._browser = self._pw = None

    # ----------------------------------------------------------------- network
    def _record_for(self, request: Any) -> _PageRecord | None:
        try:
            return self._records.get(request.frame.page)
        except Exception:  # noqa: BLE001 - service-worker requests have no frame
            return None

    async def _route(self, route: Any) -> None:
        """Other origins: trackers blocked, everything else fetched under a short timeout."""
        request = route.request
        url = request.url
        rec = self._record_for(request)
        if self.opts.block_trackers and _tracker(url):
            if rec is not None:
                rec.blocked.append(url)
            await _quiet(route.abort("blockedbyclient"))
            return
        limit = self.opts.subresource_timeout
        try:
            response = await asyncio.wait_for(route.fetch(timeout=limit * 1000, max_redirects=5), timeout=limit + 0.5)
        except TimeoutError:
            self._fail(rec, url, f"timeout after {limit:g} s")
            await _quiet(route.abort("timedout"))
            return
        except Exception as exc:  # noqa: BLE001 - any network failure is recorded, never raised
            msg = _first_line(exc)
            code = "failed"
            if re.search(r"timeout|timed out", msg, re.I):
                reason, code = f"timeout after {limit:g} s", "timedout"
            elif re.search(r"ENOTFOUND|EAI_AGAIN|getaddrinfo|NAME_NOT_RESOLVED", msg, re.I):
                reason, code = "host not found", "namenotresolved"
            elif re.search(r"ECONNREFUSED", msg, re.I):
                reason, code = "connection refused", "connectionrefused"
            else:
                reason = msg[:120]
            self._fail(rec, url, reason)
            await _quiet(route.abort(code))
            return
        await _quiet(route.fulfill(response=response))

    @staticmethod
    def _fail(rec: _PageRecord | None, url: str, reason: str) -> None:
        if rec is not None and url not in rec.failed:
            rec.failed[url] = reason

    # ----------------------------------------------------------------- rendering
    async def render(self, jobs: Iterable[RenderJob]) -> list[RenderedPage]:
        """Render every job (within the concurrency bound) and return them in job order."""
        jobs = list(jobs)
        self.total += len(jobs)
        return list(await asyncio.gather(*(self._bounded(j) for j in jobs)))

    async def _bounded(self, job: RenderJob) -> RenderedPage:
        async with self._sem:
            left = self.opts.time_left()
            if left <= 0.5:
                rp = RenderedPage(url=job.url, viewport=job.viewport.name, width=job.viewport.width,
                                  height=job.viewport.height, error="deadline: not rendered before the run's deadline")
            else:
                # Loading has its own timeout; collecting, the screenshot and the menu get 10 s more.
                budget = min(self.opts.page_timeout + 10.0, left)
                rp = await self._render_one(job, budget)
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
        page.on("dialog", lambda d: asyncio.ensure_future(_quiet(d.dismiss())))
        page.on("popup", lambda p: asyncio.ensure_future(_quiet(p.close())))
        page.on("requestfailed", lambda r: self._fail(self._records.get(page), r.url,
                                                      (r.failure or "failed").replace("net::", "")))
        page.on("response", lambda r: self._fail(self._records.get(page), r.url, f"HTTP {r.status}")
                if r.status >= 400 and r.request.resource_type != "document" else None)
        return page

    async def _render_one(self, job: RenderJob, budget: float) -> RenderedPage:
        vp = job.viewport
        t0 = time.monotonic()
        base = {"url": job.url, "viewport": vp.name, "width": vp.width, "height": vp.height}
        page = None
        healthy = False
        rec = _PageRecord()
        try:
            page = await self._page(vp.name)
            self._records[page] = rec
            rp = await asyncio.wait_for(self._collect(page, job, rec, base, t0), timeout=budget)
            healthy = True
            return rp
        except TimeoutError:
            return RenderedPage(**base, error=f"timeout: not rendered within {budget:.0f} s",
                                failed_requests=tuple(sorted(rec.failed.items())), elapsed=round(time.monotonic() - t0, 3))
        except Exception as exc:  # noqa: BLE001 - one page failing is recorded; the run goes on
            return RenderedPage(**base, error=_first_line(exc), failed_requests=tuple(sorted(rec.failed.items())),
                                elapsed=round(time.monotonic() - t0, 3))
        finally:
            if page is not None:
                self._records.pop(page, None)
                if healthy and not page.is_closed():
                    self._idle.setdefault(vp.name, []).append(page)
                else:
                    await _quiet(page.close())

    async def _collect(self, page: Any, job: RenderJob, rec: _PageRecord, base: dict[str, Any], t0: float) -> RenderedPage:
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        vp = job.viewport
        try:
            response = await page.goto(job.url, wait_until="load", timeout=self.opts.page_timeout * 1000)
        except PlaywrightTimeout:
            return RenderedPage(**base, error=f"timeout: did not load within {self.opts.page_timeout:g} s",
                                failed_requests=tuple(sorted(rec.failed.items())), elapsed=round(time.monotonic() - t0, 3))
        if response is not None and response.status >= 400:
            return RenderedPage(**base, error=f"HTTP {response.status}", elapsed=round(time.monotonic() - t0, 3))
        facts = await page.evaluate(COLLECT_JS, {"deviceWidth": vp.width, "ctaText": job.cta_text,
                                                 "smallPx": SMALL_TEXT_PX})
        if job.keep_html:
            self.html[(job.url, vp.name)] = await page.content()
        shot = None
        if self.opts.screenshot_dir is not None:
            path = self.opts.screenshot_dir / f"{_slug(job.url)}-{vp.name}.png"
            # CSS scale: a 375x667 image of the phone screen, a quarter of the pixels of
            # the device-scale one and as telling for a person reading the report.
            await page.screenshot(path=str(path), type="png", scale="css", timeout=10_000)
            shot = str(path)
        menu = await self._menu(page) if job.menu else None
        targets = tuple(TapTarget(selector=t["selector"], text=t["text"],
                                  box=Box(**{k: round(float(v), 1) for k, v in t["box"].items()}),
                                  spaced=bool(t.get("spaced", True)), inline=bool(t["inline"]))
                        for t in facts["targets"])
        return RenderedPage(
            **base, scroll_width=int(facts["scrollWidth"]), client_width=int(facts["clientWidth"]),
            layout_width=int(facts["layoutWidth"]), text_chars=int(facts["textChars"]),
            small_text_chars=int(facts["smallChars"]), tap_targets=targets,
            h1_in_viewport=facts["h1InViewport"], h1_text=facts["h1Text"],
            cta_in_viewport=facts["ctaInViewport"], cta_text=facts["ctaText"],
            overlay_share=round(float(facts["overlayShare"]), 3), overlay_selector=facts["overlaySelector"],
            first_viewport_text=facts["firstViewportText"],
            fcp_ms=None if facts["fcp"] is None else round(float(facts["fcp"]), 1),
            lcp_ms=None if facts["lcp"] is None else round(float(facts["lcp"]), 1),
            screenshot=shot, failed_requests=tuple(sorted(rec.failed.items())), menu=menu,
            links=tuple(sorted(set(facts["links"]))), elapsed=round(time.monotonic() - t0, 3),
            blocked_requests=tuple(sorted(set(rec.blocked))),
            nav_links=tuple((str(t), str(u)) for t, u in facts["navLinks"]),
        )

    async def _menu(self, page: Any) -> MenuCheck:
        """Tap the mobile menu toggle (never a submit, never a link away) and see what opens."""
        found = await page.evaluate(FIND_TOGGLE_JS)
        if not found:
            return MenuCheck(toggle=None, opens=None)
        selector = found["selector"]
        try:
            await page.locator("[data-cxprobe-toggle]").first.tap(timeout=3000)
        except Exception as exc:  # noqa: BLE001 - a toggle that cannot be tapped does not open
            return MenuCheck(toggle=selector, opens=False, error=f"could not tap the toggle: {_first_line(exc)}")
        # Menus animate (Bootstrap's collapse takes 350 ms): poll until what opened is stable.
        after: dict[str, Any] | None = None
        previous = -1
        for _ in range(8):
            await page.wait_for_timeout(150)
            after = await page.evaluate(MENU_AFTER_JS)
            if after is None or after["navigated"]:
                break
            n = len(after["links"])
            if n and n == previous:
                break
            previous = n
        if after is None:
            return MenuCheck(toggle=selector, opens=False, error="the page changed after the tap")
        if after["navigated"]:
            return MenuCheck(toggle=selector, opens=False, error="the toggle navigated to another page")
        signals = []
        if after["links"]:
            signals.append("links")
        if after["expandedBefore"] != after["expandedAfter"] and after["expandedAfter"] == "true":
            signals.append("aria-expanded")
        if after["controlledBefore"] is False and after["controlledAfter"]:
            signals.append("controlled-visible")
        opens = bool(after["links"]) or "controlled-visible" in signals
        links = tuple((str(t), str(u)) for t, u in after["links"])
        return MenuCheck(toggle=selector, opens=opens, links=links, signals=tuple(signals), label=found["label"])


async def _quiet(awaitable: Any) -> None:
    """Await a route action; a page closed meanwhile is not an error."""
    try:
        await awaitable
    except Exception:  # noqa: BLE001, S110 - the request or page is gone
        pass


# =========================================================================== the gatherer


def screenshot_dir_for(config: Any, target: Any) -> Path:
    """Where screenshots go: beside the report when --output is given, else a cache folder.

    One format to a file ``r.json`` -> ``r-screenshots/``; several formats to a folder
    -> ``<folder>/screenshots/``; no --output -> ``$XDG_CACHE_HOME/cxprobe/screenshots/<target>/``
    (a temporary folder when the cache is not writable). Screenshots of an earlier run
    in the same folder are replaced.
    """
    if config.output:
        out = Path(config.output)
        formats = list(dict.fromkeys(config.formats or ("terminal",)))
        folder = out / "screenshots" if len(formats) > 1 else out.parent / f"{out.stem}-screenshots"
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")))
        key = re.sub(r"[^A-Za-z0-9]+", "-", str(getattr(target, "raw", "site")))[-40:].strip("-") or "site"
        folder = cache / "cxprobe" / "screenshots" / f"{key}-{hashlib.sha1(str(getattr(target, 'raw', '')).encode()).hexdigest()[:8]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*-mobile.png"):
            old.unlink()
        for old in folder.glob("*-desktop.png"):
            old.unlink()
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="cxprobe-screenshots-"))
    return folder


class RenderGatherer(Gatherer):
    """The ``rendering`` artifact: every judged page in a real browser, mobile and desktop."""

    artifact = "rendering"
    requires = ("site",)

    def applies(self, session: Any) -> bool:
        return session.mode == "browser"

    def gather(self, session: Any) -> Rendering:
        cfg = session.config
        browser = session.browser or {}
        path = browser.get("path")
        source = browser.get("source", "option")
        if not path:
            found = find_browser(cfg.browser_path)
            if found is None:
                raise RenderError(describe_missing_browser(cfg.browser_path))
            path, source = found.path, found.source
        site: Site = session.artifacts["site"]
        started = getattr(session, "started", None)
        deadline_at = (started if started is not None else time.monotonic()) + cfg.deadline
        first_party = tuple(sorted({_netloc(site.origin + "/"), *site.hosts}))
        opts = RenderOptions(
            browser_path=path, concurrency=max(1, min(cfg.concurrency, 4)),
            page_timeout=max(2.0, cfg.timeout), deadline_at=deadline_at,
            screenshot_dir=screenshot_dir_for(cfg, session.target),
            extra_args=tuple(shlex.split(os.environ.get("CXPROBE_BROWSER_ARGS", ""))),
            first_party=first_party)
        progress = session.progress

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress("render", done, total)

        rendering, extended = asyncio.run(render_site(site, opts, _crawl_options(cfg, session.target), on_progress))
        session.artifacts["site"] = extended
        session.browser = {"path": path, "source": source, "version": rendering.version}
        return rendering


def _crawl_options(cfg: Any, target: Any) -> Any:
    from .crawl import CrawlOptions

    return CrawlOptions(
        max_pages=cfg.max_pages, max_depth=cfg.max_depth, concurrency=cfg.concurrency,
        timeout=cfg.timeout, deadline=cfg.deadline, max_bytes=cfg.max_bytes,
        max_redirects=cfg.max_redirects, ignore_robots=cfg.ignore_robots, headers=cfg.headers,
        allow_hosts=cfg.allow_hosts, include=cfg.include, exclude=cfg.exclude,
        sitemap_urls=target.files, use_sitemap=False,
    )


def _jobs(pages: Iterable[Page], start_url: str, viewports: tuple[Viewport, ...]) -> list[RenderJob]:
    jobs = []
    # The start page first: its menu check takes longest, and it matters most.
    for p in sorted(pages, key=lambda p: (p.url != start_url, p.url)):
        f = p.facts
        cta = f.hero_ctas[0][0] if f is not None and f.hero_ctas else ""
        for vp in viewports:
            jobs.append(RenderJob(url=p.url, viewport=vp, menu=(p.url == start_url and vp.mobile), cta_text=cta,
                                  keep_html=bool(f is not None and f.js_shell) and not vp.mobile))
    return jobs


async def render_site(site: Site, opts: RenderOptions, crawl_opts: Any,
                      progress: Callable[[int, int], None] | None = None) -> tuple[Rendering, Site]:
    """Render the site's judged pages; follow rendered links to pages the crawl missed.

    Returns the rendering and the site extended with those pages (fetched statically,
    like any crawled page, and rendered too). Bounded by max_pages, max_depth and the
    deadline; pages whose HTML is an empty JavaScript shell get their facts from the
    rendered DOM.
    """
    from .crawl import Crawler

    pages = list(site.ok_pages)[: crawl_opts.max_pages]
    rendered: list[RenderedPage] = []
    async with Renderer(opts, progress) as renderer:
        rendered.extend(await renderer.render(_jobs(pages, site.start_url, opts.viewports)))
        crawler = Crawler(site.start_url, crawl_opts)
        if opts.deadline_at is not None:
            crawler.t0 = opts.deadline_at - crawl_opts.deadline
        crawler.scope_hosts = set(site.hosts)
        extension = _Extension(site, crawler)
        batch = rendered
        while True:
            new_pages = await extension.follow(batch)
            if not new_pages:
                break
            batch = await renderer.render(_jobs(new_pages, site.start_url, opts.viewports))
            rendered.extend(batch)
        html = dict(renderer.html)
        version = renderer.version
    extended = extension.site(rendered, html)
    ordered = tuple(sorted(rendered, key=lambda r: (r.url, r.viewport)))
    return Rendering(browser=opts.browser_path, version=version, pages=ordered), extended


class _Extension:
    """Pages reached only through links in the rendered DOM, fetched like crawled pages."""

    def __init__(self, site: Site, crawler: Any) -> None:
        self.base = site
        self.crawler = crawler
        self.pages: dict[str, Page] = {p.url: p for p in site.pages}
        self.depths = dict(site.depths)
        self.new: list[str] = []
        self.unfetched: set[str] = set(site.unfetched)
        self.truncated = site.stats.truncated
        self.fetched = 0
        self.robots_loaded = False

    def kept(self) -> int:
        return sum(1 for p in self.pages.values() if p.ok and p.found_via != "sitemap")

    async def follow(self, batch: list[RenderedPage]) -> list[Page]:
        """Fetch in-scope pages linked from ``batch`` that the site does not hold yet."""
        import httpx

        wanted: dict[str, int] = {}
        for rp in batch:
            parent = self.pages.get(rp.url)
            if rp.error or parent is None:
                continue
            depth = self.depths.get(rp.url, parent.depth)
            for link in rp.links:
                c = _canonical(link)
                if c is None or not self.crawler.in_scope(c) or urls.looks_non_html(c) or urls.looks_destructive(c):
                    continue
                known = self.pages.get(c)
                if known is not None and known.found_via != "sitemap":
                    continue
                wanted[c] = min(wanted.get(c, depth + 1), depth + 1)
        if not wanted:
            return []
        todo = []
        for u in sorted(wanted, key=lambda u: (wanted[u], u)):
            if wanted[u] > self.crawler.opts.max_depth:
                self.truncated = self.truncated or "max_depth"
                self.unfetched.add(u)
            elif self.kept() + len(todo) >= self.crawler.opts.max_pages:
                self.truncated = self.truncated or "max_pages"
                self.unfetched.add(u)
            elif self.crawler.time_left() <= 1:
                self.truncated = self.truncated or "deadline"
                self.unfetched.add(u)
            else:
                todo.append(u)
        if not todo:
            return []
        limits = httpx.Limits(max_connections=self.crawler.opts.concurrency)
        async with httpx.AsyncClient(follow_redirects=False, limits=limits) as client:
            if not self.robots_loaded and not self.crawler.opts.ignore_robots:
                self.robots_loaded = True
                await self.crawler._robots(client, self.base.origin)
            sem = asyncio.Semaphore(self.crawler.opts.concurrency)

            async def one(u: str) -> Any:
                async with sem:
                    return await self.crawler.fetch(client, u, wanted[u], "render")

            allowed = [u for u in todo if self.crawler.allowed(u)]
            results = await asyncio.gather(*(one(u) for u in allowed))
        self.fetched += self.crawler.fetched
        self.crawler.fetched = 0
        out = []
        for res in results:
            p: Page = res.page
            self.unfetched.discard(p.url)
            final = _canonical(p.final_url) if p.final_url else p.url
            if p.ok and final and final != p.url and final in self.pages:
                continue  # the same page under another spelling
            if p.url in self.pages:  # a sitemap orphan that a rendered link reaches
                p = dataclasses.replace(p, found_via="render")
            self.pages[p.url] = p
            self.depths[p.url] = p.depth
            self.new.append(p.url)
            if p.ok:
                out.append(p)
        return out

    def site(self, rendered: list[RenderedPage], html: dict[tuple[str, str], str]) -> Site:
        """The extended Site: new pages, rendered links in the graph, facts for JS shells."""
        from .extract import extract_facts

        graph = {u: set(ts) for u, ts in self.base.graph.items()}
        for rp in rendered:
            if rp.error or rp.url not in self.pages:
                continue
            targets = graph.setdefault(rp.url, set())
            for link in rp.links:
                c = _canonical(link)
                if c is not None and self.crawler.in_scope(c):
                    targets.add(c)
        pages = dict(self.pages)
        for (url, _vp), text in sorted(html.items()):
            p = pages.get(url)
            if p is None or p.facts is None:
                continue
            facts = extract_facts(p.final_url or url, {"content-type": "text/html; charset=utf-8"}, text.encode("utf-8"))
            # The facts now describe the rendered page; js_shell still says its HTML was empty.
            pages[url] = dataclasses.replace(p, facts=dataclasses.replace(facts, url=p.facts.url, js_shell=True))
        if not self.new and not html:
            return dataclasses.replace(self.base, graph={u: tuple(sorted(t)) for u, t in graph.items()})
        all_pages = tuple(pages.values())
        st = self.base.stats
        stats = dataclasses.replace(
            st, pages=sum(1 for p in all_pages if p.ok and p.found_via != "sitemap"),
            fetched=st.fetched + self.fetched,
            errors=sum(1 for p in all_pages if p.error and p.error != "robots"),
            not_fetched=len(self.unfetched - set(pages)), truncated=self.truncated,
            max_depth_reached=max([st.max_depth_reached, *(self.depths.get(u, 0) for u in self.new)]))
        return dataclasses.replace(
            self.base, pages=all_pages, graph={u: tuple(sorted(t)) for u, t in graph.items()},
            depths={u: d for u, d in self.depths.items() if u in pages}, stats=stats,
            unfetched=tuple(sorted(self.unfetched - set(pages))))


def _canonical(url: str) -> str | None:
    try:
        return urls.canonical(url)
    except ValueError:
        return None


# =========================================================================== in-page scripts

from ._render_js import COLLECT as COLLECT_JS  # noqa: E402
from ._render_js import FIND_TOGGLE as FIND_TOGGLE_JS  # noqa: E402
from ._render_js import MENU_AFTER as MENU_AFTER_JS  # noqa: E402
