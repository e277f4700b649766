"""One page in one viewport: load it, read its facts in the page, tap the mobile menu.

Everything is read by the page functions of :mod:`cxprobe.browser.scripts` in one
evaluation per page (plus two per poll of the menu); the screenshot is of the first
viewport at CSS scale. What failed on the way (requests, submissions refused) is kept on
a :class:`PageRecord` while the page renders.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from ..model import Box, LinkClick, MenuCheck, RenderedPage, TapTarget
from .options import SMALL_TEXT_PX, RenderJob, RenderOptions
from .scripts import script


@dataclass
class PageRecord:
    """Mutable per-page bookkeeping while it renders (requests that failed or were blocked)."""

    failed: dict[str, str] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)
    #: (method, url) of requests refused because their method is not GET or HEAD.
    refused: list[tuple[str, str]] = field(default_factory=list)
    #: A navigation of the page itself was refused (its document stopped loading).
    refused_navigation: bool = False
    #: The rendered HTML, for a job with keep_html.
    html: str | None = None
    #: Dialogs (alert, confirm, prompt) and windows the page opened so far.
    dialogs: int = 0
    popups: int = 0
    #: fetch/XMLHttpRequest requests of the page still in flight, and whether any was made.
    pending_xhr: int = 0
    saw_xhr: bool = False

    def fail(self, url: str, reason: str) -> None:
        """Record a request that failed (the first reason given for a URL is kept)."""
        if url not in self.failed:
            self.failed[url] = reason

    def requests(self) -> dict[str, Any]:
        """The record's requests as RenderedPage fields."""
        return {"failed_requests": tuple(sorted(self.failed.items())), "blocked_requests": tuple(sorted(set(self.blocked))),
                "refused_requests": tuple(sorted(set(self.refused)))}


async def collect_page(page: Any, job: RenderJob, rec: PageRecord, base: dict[str, Any], t0: float,
                       opts: RenderOptions, tested: set[str] | None = None, until: float | None = None,
                       before_clicks: Callable[[], Awaitable[None]] | None = None) -> RenderedPage:
    """Load one page in one viewport and read everything the probes need of it.

    A page that does not load or answers an HTTP error is returned with its error; what
    else goes wrong raises, and the caller records it. The rendered HTML of a
    ``keep_html`` job goes to ``rec.html``. A ``clicks`` job clicks its dead links last
    (:func:`click_dead_links`), skipping the (href, text) keys in ``tested`` (the run's,
    updated here) and stopping by ``until`` (time.monotonic()); ``before_clicks`` is
    awaited before the first click (the renderer moves the page to its clicking bound).
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    vp = job.viewport
    response = None
    load_ms = None
    asked = time.perf_counter()
    try:
        response = await page.goto(job.url, wait_until="load", timeout=opts.page_timeout * 1000)
        load_ms = round((time.perf_counter() - asked) * 1000, 1)
    except PlaywrightTimeout:
        # A navigation the guard refused (a form submitted around no_submit.js) stops
        # the document loading: it never fires load, but it is there to measure.
        if not (rec.refused_navigation and await _settled(page)):
            return RenderedPage(**base, error=f"timeout: did not load within {opts.page_timeout:g} s",
                                **rec.requests(), elapsed=round(time.monotonic() - t0, 3))
    if response is not None and response.status >= 400:
        return RenderedPage(**base, error=f"HTTP {response.status}", **rec.requests(), elapsed=round(time.monotonic() - t0, 3))
    await _scripts_settled(page, rec)
    arg = {"deviceWidth": vp.width, "ctaText": job.cta_text, "smallPx": SMALL_TEXT_PX, "seenLinks": job.menu}
    try:
        facts = await page.evaluate(script("collect"), arg)
    except Exception as exc:
        # A page that sends itself elsewhere on load (a script redirect) destroys the
        # context we were reading: read the page it arrived at, once.
        if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
            raise
        await page.wait_for_load_state("load", timeout=opts.page_timeout * 1000)
        facts = await page.evaluate(script("collect"), arg)
    if job.start and float(facts["overlayShare"]) >= OVERLAY_RECHECK_SHARE:
        # A preloader fading out at load covers the screen for a moment; a consent wall
        # or a modal stays. Judge what is still there a little later (on the start page,
        # whose first screen is judged).
        await page.wait_for_timeout(OVERLAY_RECHECK_MS)
        with contextlib.suppress(Exception):  # a page gone meanwhile keeps the first reading
            facts = await page.evaluate(script("collect"), arg)
    for url, status in facts["httpErrors"]:
        rec.fail(url, f"HTTP {status}")
    if job.keep_html:
        rec.html = await page.content()
    shot = None
    if opts.screenshot_dir is not None:
        path = opts.screenshot_dir / f"{_slug(job.url)}-{vp.name}.png"
        # CSS scale: a 375x667 image of the phone screen, a quarter of the pixels of
        # the device-scale one and as telling for a person reading the report.
        await page.screenshot(path=str(path), type="png", scale="css", timeout=10_000)
        shot = str(path)
    menu = await tap_menu(page) if job.menu else None
    # Read last, so what page scripts tried while the page was measured (timers after
    # load included) is on the record.
    await _refused_submits(page, rec)
    requests = rec.requests()  # what loading and measuring did; the clicks below are not the page's doing
    clicks = None
    if job.clicks and until is not None and time.monotonic() < until - 1:
        clicks = await click_dead_links(page, rec, tested if tested is not None else set(), until, before_clicks)
    targets = tuple(TapTarget(selector=t["selector"], text=t["text"], box=_box(t["box"]) or Box(0, 0, 0, 0),
                              spaced=bool(t.get("spaced", True)), inline=bool(t["inline"]))
                    for t in facts["targets"])
    return RenderedPage(
        **base, scroll_width=int(facts["scrollWidth"]), client_width=int(facts["clientWidth"]),
        layout_width=int(facts["layoutWidth"]), text_chars=int(facts["textChars"]),
        small_text_chars=int(facts["smallChars"]), tap_targets=targets,
        h1_in_viewport=facts["h1InViewport"], h1_text=facts["h1Text"],
        cta_in_viewport=facts["ctaInViewport"], cta_text=facts["ctaText"],
        overlay_share=round(float(facts["overlayShare"]), 3), overlay_selector=facts["overlaySelector"],
        h1_box=_box(facts.get("h1Box")), cta_box=_box(facts.get("ctaBox")), overlay_box=_box(facts.get("overlayBox")),
        overflow_selector=str(facts.get("overflowSelector") or ""), overflow_box=_box(facts.get("overflowBox")),
        first_viewport_text=facts["firstViewportText"],
        fcp_ms=None if facts["fcp"] is None else round(float(facts["fcp"]), 1),
        lcp_ms=None if facts["lcp"] is None else round(float(facts["lcp"]), 1), load_ms=load_ms,
        screenshot=shot, **requests, menu=menu, link_clicks=clicks,
        links=tuple(sorted(set(facts["links"]))), elapsed=round(time.monotonic() - t0, 3),
        nav_links=tuple((str(t), str(u)) for t, u in facts["navLinks"]),
        seen_links=None if facts.get("seenLinks") is None else tuple(sorted(str(u) for u in facts["seenLinks"])),
    )


def _box(raw: Any) -> Box | None:
    """A box the page reported ({x, y, width, height}, CSS px), rounded; None for none."""
    if not isinstance(raw, dict):
        return None
    try:
        return Box(**{k: round(float(raw[k]), 1) for k in ("x", "y", "width", "height")})
    except (KeyError, TypeError, ValueError):
        return None


async def _refused_submits(page: Any, rec: PageRecord) -> None:
    """Submissions no_submit.js stopped before they became requests, in the page and in
    its frames (at most 20: an ad-heavy page has many, each costs a round trip)."""
    stopped: list[Any] = []
    for frame in page.frames[:21]:
        try:
            stopped.extend(await frame.evaluate(
                "Array.isArray(window.__cxprobeRefused) ? window.__cxprobeRefused.slice(0, 200) : []"))
        except Exception:  # noqa: BLE001, S110 - a frame gone or navigating meanwhile
            pass
    rec.refused.extend((str(m).upper(), str(u)) for m, u in stopped
                       if isinstance(m, str) and isinstance(u, str))


#: How often a tapped menu is looked at (ms), and how long one that shows nothing moving
#: is watched before it counts as shut (ms).
MENU_POLL_MS = 100
MENU_STILL_MS = 600


async def tap_menu(page: Any) -> MenuCheck:
    """Tap the mobile menu toggle (never a submit, never a link away) and see what opens.

    On a calm page (:class:`_Listeners`: no script hears the tap) only the page's styles
    and the browser can open the menu (a checkbox behind a label, a ``:target`` or
    ``:focus-within`` rule), at the next style update: unless the tap started a
    transition or an animation, nothing moving after MENU_POLL_MS is the answer, not after
    MENU_STILL_MS."""
    found = await page.evaluate(script("find_toggle"))
    if not found:
        return MenuCheck(toggle=None, opens=None)
    selector = found["selector"]
    box = _box(found.get("box"))
    listeners = await _Listeners.open(page)
    state = NOISY
    if listeners is not None:
        state = await listeners.state()
        await listeners.close()
    try:
        await page.locator("[data-cxprobe-toggle]").first.tap(timeout=3000)
    except Exception as exc:  # noqa: BLE001 - a toggle that cannot be tapped does not open
        return MenuCheck(toggle=selector, opens=False, error=f"could not tap the toggle: {first_line(exc)}", box=box)
    # Menus react within a frame or two and then animate (Bootstrap's collapse takes
    # 350 ms): poll until what opened is stable; give up sooner when nothing moves.
    after: dict[str, Any] | None = None
    previous = -1
    waited = 0
    while waited < 1500:
        await page.wait_for_timeout(MENU_POLL_MS)
        waited += MENU_POLL_MS
        after = await page.evaluate(script("menu_after"))
        if after is None or after["navigated"]:
            break
        n = len(after["links"])
        moved = n or after["expandedAfter"] != after["expandedBefore"] or after["controlledAfter"] != after["controlledBefore"]
        if (n and n == previous) or (not moved and waited >= MENU_STILL_MS):
            break
        if not moved and state != NOISY and not after.get("started"):
            break
        previous = n
    if after is None:
        return MenuCheck(toggle=selector, opens=False, error="the page changed after the tap", box=box)
    if after["navigated"]:
        return MenuCheck(toggle=selector, opens=False, error="the toggle navigated to another page", box=box)
    signals = []
    if after["links"]:
        signals.append("links")
    if after["expandedBefore"] != after["expandedAfter"] and after["expandedAfter"] == "true":
        signals.append("aria-expanded")
    if after["controlledBefore"] is False and after["controlledAfter"]:
        signals.append("controlled-visible")
    opens = bool(after["links"]) or "controlled-visible" in signals
    links = tuple((str(t), str(u)) for t, u in after["links"])
    return MenuCheck(toggle=selector, opens=opens, links=links, signals=tuple(signals), label=found["label"], box=box)


#: Dead links clicked per page at most, the seconds a page may spend clicking, how long
#: to watch each click (ms) and the quiet moment before the first (ms).
MAX_CLICKS = 15
#: Links that go nowhere marked on a page at most (those another page clicked are skipped).
MAX_MARKED = 60
CLICK_BUDGET_S = 4.0
CLICK_WATCH_MS = 200
QUIET_MS = 150
#: After scrolling a link into view, the time the page's answer to the scroll gets (ms):
#: at least SCROLL_SETTLE_MS, then until nothing but the page's own motion has changed for
#: SCROLL_QUIET_MS, at most SCROLL_SETTLE_MAX_MS (a back-to-top button fading in, a header
#: shrinking: what they change after the snapshot would look like the click's doing).
SCROLL_SETTLE_MS = 120
SCROLL_QUIET_MS = 100
SCROLL_SETTLE_MAX_MS = 800
#: The least a still page (calm, and no script hears it scroll: :class:`_Listeners`) gets
#: after the scroll (ms): its answer can only come from its styles and from observers of
#: what is in view, a frame or two later. What it changes is waited out as on any page.
STILL_SETTLE_MS = 50
#: How long a click on a calm page is watched (ms), unless it started a transition or an
#: animation (then CLICK_WATCH_MS, as any other): see :class:`_Listeners`.
CALM_WATCH_MS = 50

#: Events a page's scripts may listen for that no click on a link, and no pointer moving
#: onto it or focus moving to it, sets off: the page loading and leaving, the window
#: resizing, messages, storage, forms being filled in or sent (a link sends none), the page
#: scrolling (what scrolling a link into view sets off is waited out before the click),
#: transitions and animations ending, media playing.
CALM_EVENTS = frozenset({
    "load", "DOMContentLoaded", "readystatechange", "error", "abort", "resize", "orientationchange",
    "beforeunload", "unload", "pagehide", "pageshow", "message", "messageerror", "storage", "online", "offline",
    "languagechange", "securitypolicyviolation", "visibilitychange", "webkitvisibilitychange", "beforeprint",
    "afterprint", "submit", "reset", "invalid", "input", "beforeinput", "change", "scroll", "scrollend",
    "animationstart", "animationend", "animationiteration", "animationcancel", "webkitAnimationEnd",
    "transitionrun", "transitionstart", "transitionend", "transitioncancel", "webkitTransitionEnd",
    "loadstart", "progress", "loadeddata", "loadedmetadata", "canplay", "canplaythrough", "play", "playing",
    "pause", "timeupdate", "ended", "volumechange", "durationchange", "seeked", "seeking", "waiting", "stalled",
    "suspend", "emptied", "ratechange", "slotchange",
})
#: What a calm page's scripts may still hear of a link scrolled into view.
SCROLL_EVENTS = frozenset({"scroll", "scrollend"})
#: In the source of cxprobe's own listener (click_before.js), which does not count.
OWN_LISTENER = "cxprobe:own"
#: How a page's scripts listen (:meth:`_Listeners.state`): for what a click sets off (NOISY),
#: only for the page scrolling (CALM: no script hears the click), for neither (STILL).
NOISY, CALM, STILL = "", "calm", "still"
_CALMER = {NOISY: 0, CALM: 1, STILL: 2}


def _plain(href: str) -> bool:
    """A link whose click runs no code of its own: no href, "#", "#!..." or a javascript:
    link that does nothing (void 0, an empty statement). (An empty href, which reloads the
    page, is told apart by the caller.)"""
    h = href.strip().lower()
    if h.startswith("javascript:"):
        return re.fullmatch(r"javascript:\s*(void\s*\(?\s*0\s*\)?\s*;?|;?)\s*", h) is not None
    return not h or h == "#" or h.startswith("#!")


class _Listeners:
    """Whether the page's scripts listen for anything a click can set off, asked of the
    browser (the DevTools protocol's list of every listener on every element, the document,
    the window and the Navigation API).

    A page none of whose listeners is for a click, the pointer, focus, keys, touch, a
    selection or a change of its URL's fragment (every event not in :data:`CALM_EVENTS`,
    inline ``onclick`` attributes and ``onhashchange`` properties included) is *calm*: a
    click on a plain link there (:func:`_plain`) can do only what the browser and the
    page's styles do (a hover or focus submenu, a jump to an anchor, a navigation), and
    those show at the next style update. Such a click is watched for CALM_WATCH_MS instead
    of CLICK_WATCH_MS unless it started a transition or an animation (a menu fading in after
    a delay). A *still* page, calm with no script listening for it to scroll either, gets
    STILL_SETTLE_MS instead of SCROLL_SETTLE_MS after a link is scrolled into view. The
    clicking asks before the first click and again later (:func:`_click_found`): a script
    that starts listening meanwhile (one loaded on the first scroll) has the brief
    verdicts made since checked in full. Once a page is noisy, it stays so. Any doubt
    (the protocol unavailable, an answer not understood) is noisy.
    """

    GROUP = "cxprobe-listeners"

    def __init__(self, cdp: Any, targets: list[str]) -> None:
        self._cdp = cdp
        self._targets = targets
        self._heard = False

    @classmethod
    async def open(cls, page: Any) -> _Listeners | None:
        """Listeners of ``page``'s document as it is now; None when they cannot be asked."""
        cdp = None
        try:
            cdp = await page.context.new_cdp_session(page)
            targets = []
            for expr in ("document", "window", "window.navigation"):
                found = await cdp.send("Runtime.evaluate", {"expression": expr, "objectGroup": cls.GROUP})
                oid = (found.get("result") or {}).get("objectId")
                if oid:
                    targets.append(oid)
            if len(targets) < 2:
                raise ValueError("no document or window")
            return cls(cdp, targets)
        except Exception:  # noqa: BLE001 - no answer is no calm
            if cdp is not None:
                with contextlib.suppress(Exception):
                    await cdp.detach()
            return None

    async def state(self) -> str:
        """NOISY, CALM or STILL: what the page's scripts listen for now (see the class)."""
        if self._heard:
            return NOISY
        still = True
        try:
            for oid in self._targets:
                got = await self._cdp.send("DOMDebugger.getEventListeners", {"objectId": oid, "depth": -1, "pierce": True})
                for lis in got["listeners"]:
                    kind = lis["type"]
                    if kind in CALM_EVENTS:
                        still = still and kind not in SCROLL_EVENTS
                        continue
                    if OWN_LISTENER in str((lis.get("handler") or {}).get("description", "")):
                        continue
                    self._heard = True
                    return NOISY
        except Exception:  # noqa: BLE001 - see the class
            self._heard = True
            return NOISY
        return STILL if still else CALM

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._cdp.send("Runtime.releaseObjectGroup", {"objectGroup": self.GROUP})
        with contextlib.suppress(Exception):
            await self._cdp.detach()


async def click_dead_links(page: Any, rec: PageRecord, tested: set[str], until: float,
                           before: Callable[[], Awaitable[None]] | None = None) -> tuple[LinkClick, ...]:
    """Click the links whose href goes nowhere and see whether anything happens.

    A customer who clicks ``href="#"`` and sees nothing happen meets a dead link; one
    that opens a submenu, a modal, a lightbox or a dialog does not. Each link with an
    (href, text) not yet in ``tested`` (the run's: claimed here before clicking, so pages
    rendered side by side do not click the same ones; a page clicks the links it claimed
    in its own order, so a pair such as "Expand all" and "Collapse all" is clicked in one
    page, one after the other) is clicked with the mouse at its
    centre when it is visible and nothing covers it, by a script otherwise, then watched
    for up to 200 ms: another page or window, a dialog, a request, aria-expanded
    flipped, something new visible, the page changed (changes the page makes on its
    own, seen in a quiet 150 ms before, do not count), or a script scrolling. Forms
    cannot post (the request guard holds); a click that leaves the page ends the
    clicking, and so do 4 s of clicking or ``until``: the links not clicked are given back
    to ``tested``, for a page rendered later that has them too. Done last on a page, after
    everything else was read; ``before`` is awaited once there is something to click (the
    renderer moves the page to its clicking bound).
    """
    try:  # every candidate is marked: one another page gives back meanwhile can be clicked here
        marked = await page.evaluate(script("click_before"), {"find": True, "skip": [], "max": MAX_MARKED})
    except Exception:  # noqa: BLE001 - a page that cannot be read now is not tested
        return ()
    if all(f["key"] in tested for f in marked):
        return ()
    if before is not None:
        await before()
    found = [f for f in marked if f["key"] not in tested][:MAX_CLICKS]
    if not found:
        return ()
    tested.update(f["key"] for f in found)
    out: list[LinkClick] = []
    try:
        until = min(until, time.monotonic() + CLICK_BUDGET_S)
        await _click_found(page, rec, found, until, out)
    finally:
        tested.difference_update(f["key"] for f in found[len(out):])
    return tuple(out)


async def _click_found(page: Any, rec: PageRecord, found: list[dict[str, Any]], until: float,
                       out: list[LinkClick]) -> None:
    """Click the links ``found`` in turn, appending to ``out`` (see click_dead_links).

    On a calm page (:class:`_Listeners`), a plain link is watched briefly. What the page's
    scripts listen for is asked before the first click and again before a link that is
    not plain (it may leave the page) and after the last: when a script started listening
    meanwhile, the links found dead on a brief watch since the last asking are clicked
    again and watched in full.
    """
    try:  # the quiet moment is waited in the page
        await page.evaluate(script("click_before"), {"noise": True, "after": QUIET_MS})
    except Exception:  # noqa: BLE001 - see above
        return
    listeners = await _Listeners.open(page)
    state = NOISY if listeners is None else await listeners.state()
    brief: list[int] = []  # positions in out of links found dead on a brief watch, not yet confirmed

    async def confirm() -> bool:
        """Confirm the brief verdicts; False when the page is gone."""
        nonlocal state
        if not brief or listeners is None:
            return True
        now = await listeners.state()
        if _CALMER[now] < _CALMER[state]:  # a script listens now for more than it did
            state = now
            # What the last brief clicks set off later than their watch lands first.
            await page.wait_for_timeout(CLICK_WATCH_MS)
            for i in brief:
                if time.monotonic() > until:
                    del out[i:]  # not confirmed: untested, given back
                    break
                effect = await _click_one(page, rec, int(found[i]["index"]), state=NOISY)
                out[i] = replace(out[i], effect=_as_recorded(effect))
                if effect in ("navigation", "reload"):
                    del out[i + 1:]
                    return False
                await _close_what_opened(page, effect)
        brief.clear()
        return True

    try:
        for pos, link in enumerate(found):
            if time.monotonic() > until:
                break
            plain = not link.get("reloads") and _plain(str(link["href"]))
            if not plain and (not await confirm() or len(out) != pos):
                break  # the confirmation left the page or ran out of time: out stays a prefix of found
            effect = await _click_one(page, rec, int(link["index"]), hover_first=bool(link.get("reloads")),
                                      state=state if plain else NOISY)
            out.append(LinkClick(selector=str(link["selector"]), href=str(link["href"]), text=str(link["text"]),
                                 effect=_as_recorded(effect)))
            if plain and state != NOISY and not effect:
                brief.append(len(out) - 1)
            if effect in ("navigation", "reload"):
                break  # the marks are gone with the document
            await _close_what_opened(page, effect)
        else:
            await confirm()
    finally:
        if listeners is not None:
            await listeners.close()


def _as_recorded(effect: str) -> str:
    """The effect as recorded: the same page loaded again (href="", a script reloading it)
    is nothing new for the customer (it ends the clicking all the same)."""
    return "" if effect == "reload" else effect


async def _close_what_opened(page: Any, effect: str) -> None:
    """Close what a click opened (a modal, a menu), so that it does not cover the next link."""
    if effect in ("visible", "dialog", "expanded"):
        with contextlib.suppress(Exception):
            await page.keyboard.press("Escape")


async def _left(page: Any, url: str) -> str:
    """The document is being replaced: "navigation" to another page, "reload" of the same
    one. The URL changes only when the new document commits: watched for up to 1 s."""
    for _ in range(20):
        if page.url.split("#", 1)[0] != url:
            return "navigation"
        await page.wait_for_timeout(50)
    return "reload"


async def _click_one(page: Any, rec: PageRecord, index: int, hover_first: bool = False, state: str = NOISY) -> str:
    """Click link ``index`` and return what it did ("" for nothing). With ``hover_first``
    (a link whose click reloads the page), pointing at it is tried first: a submenu it
    opens on hover is what it does for a customer. ``state`` is what the page's scripts
    listen for (:class:`_Listeners`): on a calm page the click is watched briefly, on a
    still one the scroll before it settles sooner."""
    url = page.url.split("#", 1)[0]
    dialogs, popups, refused = rec.dialogs, rec.popups, len(rec.refused)
    by_script = f'(() => {{ const a = document.querySelector(\'[data-cxprobe-dead="{index}"]\'); if (a) a.click(); }})()'
    try:
        # Scrolled into view; when the page moved, its answer to the scroll settles; then the snapshot.
        settle = STILL_SETTLE_MS if state == STILL else SCROLL_SETTLE_MS
        where = await page.evaluate(script("click_before"), {"index": index, "scroll": True, "settle": settle,
                                                              "quiet": SCROLL_QUIET_MS, "most": SCROLL_SETTLE_MAX_MS})
        if not where:
            return ""
        if where["x"] is not None and hover_first:
            await page.mouse.move(float(where["x"]), float(where["y"]))
            await page.wait_for_timeout(100)
            hovered = str(await page.evaluate(script("click_after"), {"index": index}))
            if hovered in ("visible", "expanded"):
                return hovered
        if where["x"] is not None:
            # A real pointer: hover and focus styles apply, as for a customer.
            await page.mouse.click(float(where["x"]), float(where["y"]))
        else:
            # A link a customer reaches only by opening something first (a submenu):
            # its handler still says whether a script took it over.
            await page.evaluate(by_script)
    except Exception:  # noqa: BLE001 - the page went away meanwhile
        return await _left(page, url)
    # Watched in the page (every 50 ms until something happened or 200 ms passed), then
    # what the browser saw meanwhile, which comes first.
    try:
        effect = str(await page.evaluate(script("click_after"), {"index": index, "watch": CLICK_WATCH_MS, "step": 50,
                                                                  "calm": CALM_WATCH_MS if state != NOISY else 0}))
    except Exception:  # noqa: BLE001 - the document was replaced
        effect = "navigation"
    if rec.popups != popups:
        return "navigation"
    if effect == "navigation" or page.url.split("#", 1)[0] != url:
        return await _left(page, url)
    if len(rec.refused) != refused:
        return "request"  # a script tried to send something (refused: GET/HEAD only)
    if rec.dialogs != dialogs:
        return "dialog"
    return effect


#: An overlay covering this share of the start page's first screen (what clarity judges)
#: is measured again after a moment.
OVERLAY_RECHECK_SHARE = 0.3
OVERLAY_RECHECK_MS = 700

#: How long to wait after load for the page's fetch/XHR requests (a header.html fetched
#: into the page, prices from JSON), and how long after the last one for its script.
XHR_WAIT_MS = 1500
XHR_AFTER_MS = 100


async def _scripts_settled(page: Any, rec: PageRecord) -> None:
    """Wait (bounded) until the fetch and XMLHttpRequest calls the page made by its load
    event have answered, so a navigation or footer a script fetches is measured, not
    raced. A page that made none waits nothing."""
    waited = 0
    while rec.pending_xhr > 0 and waited < XHR_WAIT_MS:
        await page.wait_for_timeout(50)
        waited += 50
    if rec.saw_xhr:
        await page.wait_for_timeout(XHR_AFTER_MS)


async def _settled(page: Any) -> bool:
    """True when the page's document has been parsed (readyState past "loading")."""
    try:
        return bool(await page.evaluate("document.readyState !== 'loading'"))
    except Exception:  # noqa: BLE001 - a page that cannot answer is not settled
        return False


def _slug(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    s = re.sub(r"[^a-z0-9]+", "-", (path + ("-" + parts.query if parts.query else "")).lower()).strip("-")
    s = s[:60] or "index"
    if parts.query or len(path) > 60:
        s += "-" + hashlib.sha1(url.encode()).hexdigest()[:6]
    return s


def first_line(exc: BaseException) -> str:
    """The first line of an error's message, whitespace folded, at most 300 characters."""
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return re.sub(r"\s+", " ", line)[:300]
