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
from dataclasses import dataclass, field
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
                       opts: RenderOptions, tested: set[str] | None = None, until: float | None = None) -> RenderedPage:
    """Load one page in one viewport and read everything the probes need of it.

    A page that does not load or answers an HTTP error is returned with its error; what
    else goes wrong raises, and the caller records it. The rendered HTML of a
    ``keep_html`` job goes to ``rec.html``. A ``clicks`` job clicks its dead links last
    (:func:`click_dead_links`), skipping the (href, text) keys in ``tested`` (the run's,
    updated here) and stopping by ``until`` (time.monotonic()).
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    vp = job.viewport
    response = None
    try:
        response = await page.goto(job.url, wait_until="load", timeout=opts.page_timeout * 1000)
    except PlaywrightTimeout:
        # A navigation the guard refused (a form submitted around no_submit.js) stops
        # the document loading: it never fires load, but it is there to measure.
        if not (rec.refused_navigation and await _settled(page)):
            return RenderedPage(**base, error=f"timeout: did not load within {opts.page_timeout:g} s",
                                **rec.requests(), elapsed=round(time.monotonic() - t0, 3))
    if response is not None and response.status >= 400:
        return RenderedPage(**base, error=f"HTTP {response.status}", **rec.requests(), elapsed=round(time.monotonic() - t0, 3))
    await _scripts_settled(page, rec)
    arg = {"deviceWidth": vp.width, "ctaText": job.cta_text, "smallPx": SMALL_TEXT_PX}
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
        clicks = await click_dead_links(page, rec, tested if tested is not None else set(), until)
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
        lcp_ms=None if facts["lcp"] is None else round(float(facts["lcp"]), 1),
        screenshot=shot, **requests, menu=menu, link_clicks=clicks,
        links=tuple(sorted(set(facts["links"]))), elapsed=round(time.monotonic() - t0, 3),
        nav_links=tuple((str(t), str(u)) for t, u in facts["navLinks"]),
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


async def tap_menu(page: Any) -> MenuCheck:
    """Tap the mobile menu toggle (never a submit, never a link away) and see what opens."""
    found = await page.evaluate(script("find_toggle"))
    if not found:
        return MenuCheck(toggle=None, opens=None)
    selector = found["selector"]
    box = _box(found.get("box"))
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
        await page.wait_for_timeout(100)
        waited += 100
        after = await page.evaluate(script("menu_after"))
        if after is None or after["navigated"]:
            break
        n = len(after["links"])
        moved = n or after["expandedAfter"] != after["expandedBefore"] or after["controlledAfter"] != after["controlledBefore"]
        if (n and n == previous) or (not moved and waited >= 600):
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


async def click_dead_links(page: Any, rec: PageRecord, tested: set[str], until: float) -> tuple[LinkClick, ...]:
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
    clicking, and so do 4 s of clicking or ``until``: the links not clicked stay
    untested. Done last on a page, after everything else was read.
    """
    until = min(until, time.monotonic() + CLICK_BUDGET_S)
    try:
        found = await page.evaluate(script("click_before"), {"find": True, "skip": sorted(tested), "max": MAX_CLICKS})
    except Exception:  # noqa: BLE001 - a page that cannot be read now is not tested
        return ()
    found = [f for f in found if f["key"] not in tested]
    if not found:
        return ()
    tested.update(f["key"] for f in found)
    try:  # the quiet moment is waited in the page
        await page.evaluate(script("click_before"), {"noise": True, "after": QUIET_MS})
    except Exception:  # noqa: BLE001 - see above
        return ()
    out: list[LinkClick] = []
    for link in found:
        if time.monotonic() > until:
            break
        index = link["index"]
        effect = await _click_one(page, rec, index, hover_first=bool(link.get("reloads")))
        # The same page loaded again (href="", a script reloading it) is nothing new for
        # the customer; it ends the clicking all the same, the marks are gone.
        out.append(LinkClick(selector=str(link["selector"]), href=str(link["href"]), text=str(link["text"]),
                             effect="" if effect == "reload" else effect))
        if effect in ("navigation", "reload"):
            break
        if effect in ("visible", "dialog", "expanded"):
            # Close what opened (a modal, a menu) so that it does not cover the next link.
            with contextlib.suppress(Exception):
                await page.keyboard.press("Escape")
    return tuple(out)


async def _left(page: Any, url: str) -> str:
    """The document is being replaced: "navigation" to another page, "reload" of the same
    one. The URL changes only when the new document commits: watched for up to 1 s."""
    for _ in range(20):
        if page.url.split("#", 1)[0] != url:
            return "navigation"
        await page.wait_for_timeout(50)
    return "reload"


async def _click_one(page: Any, rec: PageRecord, index: int, hover_first: bool = False) -> str:
    """Click link ``index`` and return what it did ("" for nothing). With ``hover_first``
    (a link whose click reloads the page), pointing at it is tried first: a submenu it
    opens on hover is what it does for a customer."""
    url = page.url.split("#", 1)[0]
    dialogs, popups, refused = rec.dialogs, rec.popups, len(rec.refused)
    by_script = f'(() => {{ const a = document.querySelector(\'[data-cxprobe-dead="{index}"]\'); if (a) a.click(); }})()'
    try:
        # Scrolled into view; when the page moved, its answer to the scroll settles; then the snapshot.
        where = await page.evaluate(script("click_before"), {"index": index, "scroll": True, "settle": SCROLL_SETTLE_MS,
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
        effect = str(await page.evaluate(script("click_after"), {"index": index, "watch": CLICK_WATCH_MS, "step": 50}))
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
