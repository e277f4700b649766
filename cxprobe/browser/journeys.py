"""Journeys clicked in a real browser, at desktop and at phone size.

Each journey the static walk reached is clicked through link by link, in the order of its
best static route: from the start page, the link that leads to the next page is found in
the rendered page and clicked as a customer clicks it. At phone size, a link the customer
cannot see is looked for behind the phone menu, opened the way the mobile probe opens it
(:func:`~cxprobe.browser.collect.tap_menu`); a menu that does not open is where the
journey breaks (``menu_closed``). Every click is timed, and so is the whole walk; where a
walk breaks, the page is photographed.

The browser is the run's own, with the same guard: only GET and HEAD leave it (no form is
ever sent), and only links the crawl walked are clicked, so a destructive link never is.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..journeys.model import Break, Hop, Journey, Route
from ..journeys.walk import LinkMap
from ..model import RenderedPage, Rendering, Site
from .collect import MenuCheck, first_line, tap_menu
from .options import RenderOptions, Viewport
from .scripts import script
from .session import Renderer

#: Milliseconds a submenu gets to show after pointing at or clicking its menu item.
REVEAL_MS = 400
#: Route name of each viewport's walk.
ROUTE_OF = {"desktop": "desktop", "mobile": "mobile_menu"}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "journey"


async def _shot(page: Any, folder: Path | None, name: str, viewport: str) -> str | None:
    """A screenshot of the page where a walk broke (the screen at CSS scale, as rendering's
    screenshots: a quarter of a phone's device pixels, as telling), or None."""
    if folder is None:
        return None
    path = folder / f"journey-{_slug(name)}-{viewport}.png"
    try:
        await page.screenshot(path=str(path), type="png", scale="css", timeout=5000)
    except Exception:  # noqa: BLE001 - no screenshot is no reason to lose the walk
        return None
    return str(path)


def _words(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _region(lm: LinkMap, hop: Hop, text: str) -> str:
    """Where the link clicked sits, read from the page's HTML (the link of the same words
    to the same page), else where the static route's link sits."""
    if text == hop.text:
        return hop.region
    words = " ".join(text.split())
    for lk, kind, target in lm.read(hop.url):
        if kind == "page" and target == hop.to and " ".join(lk.text.split()) == words:
            return lk.region
    return hop.region


def _foreign_code_failed(renderer: Renderer, page: Any, lm: LinkMap) -> list[str]:
    """Scripts and style sheets from other sites that did not load on the page during the
    walk (file names). A menu that needs them is not judged: the customer's browser may
    well get them (the mobile probe's rule)."""
    rec = renderer.record(page)
    return [] if rec is None else _foreign_code(rec.failed, lm)


def _foreign_code(failed: Iterable[str], lm: LinkMap) -> list[str]:
    """Of the URLs of requests that failed, the scripts and style sheets of other sites
    (file names)."""
    own = {h.split(":", 1)[0].lower() for h in lm.hosts}
    out = []
    for url in sorted(failed):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host and host not in own and re.search(r"\.(?:m?js|css)$|/css2?\b|/js/", parts.path, re.I):
            out.append(parts.path.rsplit("/", 1)[-1] or host)
    return out


def _menu_break(hop: Hop, menu: MenuCheck, missing: list[str]) -> Break:
    """Where a phone walk breaks when the link it needs is hidden in a menu that does not
    open: not judged when code from another site that did not load may be why."""
    if missing:
        return Break("not_checked", url=hop.url, step=hop.step, link=hop.text, selector=menu.toggle or "",
                     detail=f"the link {hop.text!r} is hidden in the phone menu, which did not open while "
                            f"{', '.join(missing[:3])} from another site did not load during the audit; a "
                            "customer's browser may get them, so the phone route is not judged")
    label = f" ({menu.label})" if menu.label else ""
    return Break("menu_closed", url=hop.url, step=hop.step, link=hop.text, selector=menu.toggle or "",
                 detail=f"the link {hop.text!r} is hidden in the phone menu, and tapping the menu button{label} "
                        f"does not open it{': ' + menu.error if menu.error else ''}")


async def _find(page: Any, lm: LinkMap, hop: Hop, reveal: bool = True) -> tuple[dict[str, Any] | None, bool]:
    """The link of the rendered page that leads to ``hop.to`` (the same words first), and
    whether any such link is on the page at all (seen or not). A link hidden in a submenu
    is revealed as a customer does: pointing at the menu item that opens it, then
    clicking that item when it leads nowhere by itself."""
    links = await page.evaluate(script("journey_links"), None)
    leads = [lk for lk in links if lm.page_url(str(lk.get("href") or "")) == hop.to]
    if hop.region in ("nav", "header"):
        # A navigation click is made in the navigation (or the menu that holds it), not
        # with the footer's link of the same words.
        leads = [lk for lk in leads if lk.get("region") == "nav"] or leads
    for lk in leads:
        # innerText follows text-transform ("CONTACT"): the words are compared as words.
        lk["same"] = _words(lk.get("text")) == _words(hop.text)
        if lk["same"]:
            lk["text"] = hop.text
    seen = [lk for lk in leads if lk.get("visible")]
    seen.sort(key=lambda lk: not lk["same"])
    # The link the static route clicks, revealed when it is in a submenu, before another
    # link to the same page (an image, a teaser).
    worded_hidden = [lk for lk in leads if not lk.get("visible") and lk["same"]]
    if (seen and seen[0]["same"]) or not leads or not reveal or (seen and not worded_hidden):
        return (seen[0] if seen else None), bool(leads)
    hidden = (worded_hidden or sorted(leads, key=lambda lk: not lk["same"]))[0]
    opener = await page.evaluate(script("journey_links"), {"reveal": hidden["i"]})
    if not opener:
        return (seen[0] if seen else None), True
    target = page.locator("[data-cxprobe-reveal]").first
    for act in ("hover", "click"):
        if act == "click" and opener.get("navigates"):
            break
        try:
            await (target.hover(timeout=2000) if act == "hover" else target.click(timeout=2000))
        except Exception:  # noqa: BLE001, S112 - an item that cannot be pointed at or clicked reveals nothing
            continue
        await page.wait_for_timeout(REVEAL_MS)
        found, present = await _find(page, lm, hop, reveal=False)
        if found is not None and (found.get("same") or not seen):
            return found, present
    return (seen[0] if seen else None), True


class _ShutMenus:
    """The phone menus of one viewport's walks that were tapped and did not open, per page.

    A tap waits up to 1.5 s for something to move; the walks of a viewport start from the
    same pages, so the first walk to need a page's menu taps it while the others wait, and
    when it did not open they take its result instead of tapping again. A menu that opens
    is tapped by every walk in its own page (each needs its links shown). ``known``: menus
    rendering already tapped that did not open (the start page's, at phone size), by page:
    no walk taps them again."""

    def __init__(self, known: dict[str, MenuCheck] | None = None) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._shut: dict[str, MenuCheck] = {url: m for url, m in (known or {}).items()
                                            if m.toggle is not None and not m.opens}

    async def tap(self, page: Any, url: str) -> MenuCheck:
        async with self._locks.setdefault(url, asyncio.Lock()):
            known = self._shut.get(url)
            if known is not None:
                return known
            menu = await tap_menu(page)
            if menu.toggle is not None and not menu.opens:
                self._shut[url] = menu
            return menu


async def _walk_one(renderer: Renderer, lm: LinkMap, journey: Journey, plan: Route, vp: Viewport,
                    opts: RenderOptions, folder: Path | None, shut: _ShutMenus | None = None) -> Route:
    """Click one journey through at one viewport; ``shut`` remembers the phone menus that
    do not open (see :class:`_ShutMenus`)."""
    route = ROUTE_OF[vp.name]
    start = plan.path[0]
    timeout_ms = int(opts.page_timeout * 1000)
    page = await renderer.borrow(vp.name)
    healthy = True
    hops: list[Hop] = []
    t0 = time.perf_counter()

    async def broken(why: Break) -> Route:
        shot = await _shot(page, folder, journey.name, vp.name)
        return Route(name=route, reached=False, path=(start, *(h.to for h in hops)), hops=tuple(hops),
                     broken_at=replace(why, screenshot=shot), seconds=round(time.perf_counter() - t0, 3))

    try:
        try:
            await page.goto(start, wait_until="load", timeout=timeout_ms)
        except Exception as exc:  # noqa: BLE001 - a start page that does not load breaks the walk
            return await broken(Break("timeout", url=start, step=0, detail=f"the start page did not load: {first_line(exc)}"))
        for hop in plan.hops:
            if opts.time_left() <= 1.0:
                return await broken(Break("timeout", url=hop.url, step=hop.step, link=hop.text,
                                          detail="the run's deadline came before this click"))
            # On a phone the menu is opened first, the way the mobile probe does; then
            # submenus are revealed as on a desktop.
            found, present = await _find(page, lm, hop, reveal=not vp.mobile)
            opened = False
            if found is None:
                here = lm.page_url(page.url)
                menu = await (shut.tap(page, here) if shut is not None and here else tap_menu(page))
                opened = bool(menu.toggle is not None and menu.opens)
                if menu.toggle is None or menu.opens:
                    found, present = await _find(page, lm, hop)
                elif present and vp.mobile:
                    return await broken(_menu_break(hop, menu, _foreign_code_failed(renderer, page, lm)))
            if found is None:
                return await broken(_not_found(hop, present))
            await page.evaluate(script("journey_links"), {"mark": found["i"]})
            clicked = time.perf_counter()
            try:
                async with page.expect_navigation(wait_until="load", timeout=timeout_ms):
                    await page.locator("[data-cxprobe-journey]").first.click(timeout=3000)
            except Exception as exc:  # noqa: BLE001 - a click that leads nowhere breaks the walk
                return await broken(Break("click_failed", url=hop.url, step=hop.step, link=found.get("text") or hop.text,
                                          selector=str(found.get("selector") or ""),
                                          detail=f"clicking {hop.text!r} did not load {hop.to}: {first_line(exc)}"))
            seconds = round(time.perf_counter() - clicked, 3)
            landed = lm.page_url(page.url)
            if landed != hop.to:
                return await broken(Break("click_failed", url=hop.url, step=hop.step, link=hop.text,
                                          selector=str(found.get("selector") or ""),
                                          detail=f"clicking {hop.text!r} led to {page.url}, not {hop.to}"))
            text = str(found.get("text") or hop.text)
            hops.append(replace(hop, text=text, selector=str(found.get("selector") or ""),
                                region="menu" if opened else str(found.get("region") or _region(lm, hop, text)),
                                seconds=seconds))
        return Route(name=route, reached=True, clicks=len(hops), path=(start, *(h.to for h in hops)), hops=tuple(hops),
                     seconds=round(time.perf_counter() - t0, 3))
    except Exception as exc:  # noqa: BLE001 - a page that crashed or closed: this walk breaks, the run goes on
        healthy = False
        return Route(name=route, reached=False, path=(start, *(h.to for h in hops)), hops=tuple(hops),
                     broken_at=Break("click_failed", url=hops[-1].to if hops else start, detail=first_line(exc)),
                     seconds=round(time.perf_counter() - t0, 3))
    finally:
        await renderer.give_back(vp.name, page, healthy)


def _not_found(hop: Hop, present: bool) -> Break:
    what = "is not on the rendered page" if not present else "is on the page but not visible"
    return Break("hidden" if present else "link_not_found", url=hop.url, step=hop.step, link=hop.text,
                 selector=hop.selector, detail=f"the link {hop.text!r} to {hop.to} {what}")


async def _walk_viewport(renderer: Renderer, lm: LinkMap, plans: list[tuple[Journey, Route]], vp: Viewport,
                         opts: RenderOptions, folder: Path | None, known: dict[str, MenuCheck] | None = None) -> list[Route]:
    # The run's page concurrency, shared by the viewports: walks wait on page loads and
    # on menus opening far more than on the CPU.
    gate = asyncio.Semaphore(max(1, opts.concurrency // max(1, len(opts.viewports))))
    shut = _ShutMenus(known)

    async def one(j: Journey, plan: Route) -> Route:
        async with gate:
            return await _walk_one(renderer, lm, j, plan, vp, opts, folder, shut)

    return list(await asyncio.gather(*(one(j, plan) for j, plan in plans)))


def _rendered_start(lm: LinkMap, rendering: Rendering, start: str, vp: Viewport) -> RenderedPage | None:
    """The start page as rendering loaded it at this viewport, without an error; None
    when rendering did not load it."""
    for rp in rendering.pages:
        if (rp.viewport == vp.name and not rp.error and rp.load_ms is not None
                and (rp.url == start or lm.page_url(rp.url) == start)):
            return rp
    return None


def _loaded(lm: LinkMap, rendering: Rendering, plan: Route, vp: Viewport) -> Route | None:
    """A walk of no click, from the rendering: its start page, rendered at this viewport
    without an error, is the whole walk (loading it again would measure the same thing),
    timed as rendering loaded it; None when rendering did not load it."""
    if plan.hops:
        return None
    start = plan.path[0]
    rp = _rendered_start(lm, rendering, start, vp)
    if rp is None or rp.load_ms is None:
        return None
    return Route(name=ROUTE_OF[vp.name], reached=True, clicks=0, path=(start,), hops=(),
                 seconds=round(rp.load_ms / 1000, 3))


def _answered(lm: LinkMap, rendering: Rendering, plan: Route, vp: Viewport, shut: dict[str, MenuCheck]) -> Route | None:
    """A phone walk whose first click rendering already answers: no link to the next page
    shows on the start page at phone size (rendering read which links a customer sees
    there), and the phone menu rendering tapped there did not open. The walk would load
    the start page only to break where rendering found it; the route says so, with
    rendering's screenshot of that screen and its load time. None otherwise (the walk is
    clicked through)."""
    if not vp.mobile or not plan.hops:
        return None
    start, hop = plan.path[0], plan.hops[0]
    menu = shut.get(start)
    if menu is None or menu.toggle is None or menu.opens:
        return None
    rp = _rendered_start(lm, rendering, start, vp)
    if rp is None or rp.load_ms is None or rp.seen_links is None:
        return None
    if any(lm.page_url(u) == hop.to for u in rp.seen_links):
        return None  # a link the customer sees: clicked through
    present = any(lm.page_url(u) == hop.to for u in rp.links)
    why = (_menu_break(hop, menu, _foreign_code((url for url, _why in rp.failed_requests), lm))
           if present else _not_found(hop, present))
    return Route(name=ROUTE_OF[vp.name], reached=False, path=(start,), hops=(),
                 broken_at=replace(why, screenshot=rp.screenshot), seconds=round(rp.load_ms / 1000, 3))


async def _walk_all(site: Site, journeys: list[Journey], opts: RenderOptions, folder: Path | None,
                    renderer: Renderer, rendering: Rendering) -> list[Journey]:
    """Every journey clicked through at every viewport, in ``renderer`` (the run's, left
    running). ``rendering``: the run's, whose phone menus that did not open are not
    tapped again, and whose start pages are the walks of no click (:func:`_loaded`)."""
    lm = LinkMap(site)
    plans: list[tuple[Journey, Route]] = []
    for j in journeys:
        best = j.best
        if best is not None:
            plans.append((j, best))
    walked: dict[str, dict[str, Route]] = {}
    tapped: dict[str, dict[str, MenuCheck]] = {}
    for rp in rendering.pages:
        if rp.menu is not None and not rp.error:
            tapped.setdefault(rp.viewport, {})[lm.page_url(rp.url) or rp.url] = rp.menu
    todo: dict[str, list[tuple[Journey, Route]]] = {}
    for vp in opts.viewports:
        for j, plan in plans:
            route = _loaded(lm, rendering, plan, vp) or _answered(lm, rendering, plan, vp, tapped.get(vp.name, {}))
            if route is not None:
                walked.setdefault(j.name, {})[ROUTE_OF[vp.name]] = route
            else:
                todo.setdefault(vp.name, []).append((j, plan))
    if todo:  # something to walk
        await renderer.open(opts)
    per_vp = await asyncio.gather(*(_walk_viewport(renderer, lm, todo.get(vp.name, []), vp, opts, folder,
                                                   tapped.get(vp.name)) for vp in opts.viewports))
    for vp, routes in zip(opts.viewports, per_vp, strict=True):
        for (j, _plan), r in zip(todo.get(vp.name, []), routes, strict=True):
            walked.setdefault(j.name, {})[ROUTE_OF[vp.name]] = r
    return [replace(j, routes={**j.routes, **walked.get(j.name, {})}) for j in journeys]


def walk_in_browser(session: Any, site: Site, rendering: Rendering, journeys: list[Journey]) -> list[Journey]:
    """The journeys with their ``desktop`` and ``mobile_menu`` routes, clicked in the run's
    browser (the one that rendered the pages). A journey no static route reached is not
    clicked (its browser routes stay absent). Screenshots of where a walk broke go beside
    the rendering's."""
    from .gatherer import browser_host, render_options

    shots = [Path(rp.screenshot).parent for rp in rendering.pages if rp.screenshot]
    opts, _path, _source = render_options(session, site, None)
    # A host rendering found dead fails at once here too, from the first click (the
    # run's browser knows them already; one started for the journeys learns them here).
    opts = replace(opts, dead_hosts=rendering.dead_hosts)
    if opts.time_left() <= 2.0 or not any(j.best is not None for j in journeys):
        return journeys
    folder = shots[0] if shots else None
    return browser_host(session).run(lambda renderer: _walk_all(site, journeys, opts, folder, renderer, rendering))
