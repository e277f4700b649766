"""The render gatherer: the ``rendering`` artifact, and the site grown by rendered links.

:class:`RenderGatherer` (browser mode only) renders every judged page in both viewports
through :class:`~cxprobe.browser.session.Renderer`. Links found in the rendered DOM feed
the crawl: in-scope pages the static crawl did not reach are fetched through
:class:`~cxprobe.crawl.SiteExtension` (same bounds, robots.txt rules and deadline),
rendered too, and the extended :class:`~cxprobe.model.Site` replaces the crawl artifact.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shlex
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import urls
from ..crawl import CrawlOptions, SiteExtension, crawl_options
from ..crawl.pool import BROWSER_INLINE_PAGES
from ..model import Page, RenderedPage, Rendering, Site
from ..probe import Gatherer
from .discovery import describe_missing_browser, find_browser
from .host import BrowserHost, adopt_early
from .options import RenderError, RenderJob, RenderOptions, Viewport
from .session import Renderer


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
        site: Site = session.artifacts["site"]
        opts, path, source = render_options(session, site, screenshot_dir_for(cfg, session.target))
        progress = session.progress

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress("render", done, total)

        # Pages found while rendering are read in this process at first, as the crawl's
        # were (cxprobe.crawl.pool.BROWSER_INLINE_PAGES).
        crawl_opts = crawl_options(cfg, session.target, tuple(session.pm.registry().extractors.values()),
                                   use_sitemap=False, inline_pages=BROWSER_INLINE_PAGES)
        rendering, extended = browser_host(session).run(
            lambda renderer: render_site(site, opts, crawl_opts, on_progress, renderer=renderer))
        session.artifacts["site"] = extended
        session.browser = {"path": path, "source": source, "version": rendering.version}
        return rendering


def browser_host(session: Any) -> BrowserHost:
    """The run's one browser (:class:`~cxprobe.browser.host.BrowserHost`): the one the run
    launched while crawling, else one launched now (on the driver the command started
    early, when there is one) and kept on the session for the rest of the run (the runner
    closes it at the run's end)."""
    host = getattr(session, "browser_host", None)
    if host is None:
        options = launch_options(session)
        host = adopt_early()
        if host is None:
            host = BrowserHost(options)
        else:
            host.launch(options)
        session.browser_host = host
    return host


def launch_options(session: Any) -> RenderOptions:
    """What the run's browser is launched with before any page is known: the browser, its
    flags, the origins the user named and their headers, and the target's host as the
    first party (a guess, for contexts made while the site is crawled).
    :func:`render_options` adds the site's own hosts, the bounds and the screenshots' folder."""
    cfg = session.config
    path, _source = _browser(session)
    return RenderOptions(browser_path=path, extra_args=tuple(shlex.split(os.environ.get("CXPROBE_BROWSER_ARGS", ""))),
                         headers=tuple(cfg.headers), named=urls.named_origins(session.target.start_url, cfg.allow_hosts),
                         first_party=(_netloc(session.target.start_url),))


def _browser(session: Any) -> tuple[str, str]:
    """(path, where it was found) of the run's browser; RenderError when there is none."""
    browser = session.browser or {}
    path = browser.get("path")
    if path:
        return path, browser.get("source", "option")
    found = find_browser(session.config.browser_path)
    if found is None:
        raise RenderError(describe_missing_browser(session.config.browser_path))
    return found.path, found.source


def render_options(session: Any, site: Site, screenshot_dir: Path | None) -> tuple[RenderOptions, str, str]:
    """(options, browser path, where the browser was found) for a run's browser work: the
    run's browser, bounds, deadline, scope and headers."""
    cfg = session.config
    path, source = _browser(session)
    started = getattr(session, "started", None)
    deadline_at = (started if started is not None else time.monotonic()) + cfg.deadline
    first_party = tuple(sorted({_netloc(site.origin + "/"), *site.hosts}))
    opts = replace(launch_options(session), concurrency=max(1, min(cfg.concurrency, 4)),
                   page_timeout=max(2.0, cfg.timeout), deadline_at=deadline_at, screenshot_dir=screenshot_dir,
                   first_party=first_party)
    return opts, path, source


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return host
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return f"{host}:{port}" if port and port != default else host


def _jobs(pages: Iterable[Page], start_url: str, viewports: tuple[Viewport, ...]) -> list[RenderJob]:
    jobs = []
    # The start page first: its menu check takes longest, and it matters most.
    for p in sorted(pages, key=lambda p: (p.url != start_url, p.url)):
        f = p.facts
        for vp in viewports:
            # Desktop: the rendered HTML is read again (facts of what scripts built), and the
            # links that go nowhere are clicked; the mobile menu is the phone's own check.
            jobs.append(RenderJob(url=p.url, viewport=vp, menu=(p.url == start_url and vp.mobile),
                                  keep_html=f is not None and not vp.mobile, clicks=not vp.mobile,
                                  start=p.url == start_url))
    return jobs


async def render_site(site: Site, opts: RenderOptions, crawl_opts: CrawlOptions,
                      progress: Callable[[int, int], None] | None = None,
                      renderer: Renderer | None = None) -> tuple[Rendering, Site]:
    """Render the site's judged pages; follow rendered links to pages the crawl missed.

    Returns the rendering and the site extended with those pages (fetched statically,
    like any crawled page, through :class:`~cxprobe.crawl.SiteExtension`, and rendered
    too). Bounded by max_pages, max_depth and the deadline; pages whose HTML is an empty
    JavaScript shell get their facts from the rendered DOM.

    ``renderer``: a started renderer to use (the run's, from a
    :class:`~cxprobe.browser.host.BrowserHost`), given ``opts`` and left running; by
    default a browser is launched for this call and closed at its end.
    """
    if renderer is None:
        async with Renderer(opts) as own:
            return await render_site(site, opts, crawl_opts, progress, own)
    pages = list(site.ok_pages)[: crawl_opts.max_pages]
    rendered: list[RenderedPage] = []
    await renderer.open(opts)
    # The run's deadline, counted from the run's start as the crawl counted it.
    started = None if opts.deadline_at is None else opts.deadline_at - crawl_opts.deadline
    extension = SiteExtension(site, crawl_opts, started)
    # Each page's rendered HTML is read on a thread of its own as soon as the page is
    # rendered, while the others render (reading them all after the last one left a core
    # idle: 1.9 s of a 22 s run of 34 pages). It is the only reading of pages meanwhile:
    # every batch's readings are done before the next links are followed (fetching reads
    # pages), and the results are applied in URL order at the end, as before.
    reading = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxprobe-reread")
    reads: dict[tuple[str, str], Future[Any]] = {}

    def read_soon(url: str, viewport: str, text: str) -> None:
        reads[(url, viewport)] = reading.submit(extension.read_rendered, url, text)

    renderer.progress = progress
    renderer.on_html = read_soon
    interrupted = False
    try:
        rendered.extend(await renderer.render(_jobs(pages, site.start_url, opts.viewports)))
        batch = rendered
        while True:
            await asyncio.wrap_future(reading.submit(lambda: None))  # this batch's readings done
            new_pages = await extension.follow((rp.url, rp.links) for rp in batch if not rp.error)
            if not new_pages:
                break
            batch = await renderer.render(_jobs(new_pages, site.start_url, opts.viewports))
            rendered.extend(batch)
        html = dict(renderer.html)
        version = renderer.version
        dead = renderer.dead_hosts()
    except (asyncio.CancelledError, KeyboardInterrupt):
        interrupted = True
        raise
    finally:
        renderer.progress = None
        renderer.on_html = None
        # Every reading is done here unless rendering failed: then the readings not begun
        # are dropped, and the one being made is waited for (the run goes on to the probes,
        # which read text too), unless the run was interrupted.
        reading.shutdown(wait=not interrupted, cancel_futures=True)
    for key, text in sorted(html.items()):
        read = reads.get(key)
        extension.reread(key[0], text, read.result() if read is not None else None)
    ordered = tuple(sorted(rendered, key=lambda r: (r.url, r.viewport)))
    return Rendering(browser=opts.browser_path, version=version, pages=ordered, dead_hosts=dead), extension.site()
