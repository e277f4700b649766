"""Mobile touchpoint: "Can I get around on my phone?"."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from cxprobe import (
    Context,
    Evidence,
    Outcome,
    Probe,
    RenderedPage,
    TapTarget,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
)

from ._common import CONTACT_RE, PRICING_RE, share
from ._lazyre import lazy_compile

TOUCHPOINT = Touchpoint(
    id="mobile", title="Mobile", question="Can I get around on my phone?", weight=3,
    weights={"local": 3.5},
    fact_defaults={"viewport_meta": 0.0},
)
SMALL_TEXT_PX = 12
MIN_TAP_PX = 24
RECOMMENDED_TAP_PX = 48


def has_device_width(viewport: str | None) -> bool:
    return bool(viewport) and re.search(r"width\s*=\s*device-width", viewport or "", re.I) is not None


def zoom_locked(viewport: str | None) -> bool:
    v = (viewport or "").lower().replace(" ", "")
    if "user-scalable=no" in v or "user-scalable=0" in v:
        return True
    m = re.search(r"maximum-scale=([\d.]+)", v)
    return m is not None and float(m.group(1) or 0) < 2


class MobileViewport(Probe):
    id = "mobile.viewport"
    touchpoint = "mobile"
    title = "Pages declare a mobile viewport and allow zooming"
    failure_title = "Pages lack a mobile viewport or block zooming"
    description = """
Without `<meta name="viewport" content="width=device-width">` a phone lays the page out 980 px
wide and shrinks it: nothing overflows, but every word is tiny. A viewport that forbids zooming
(user-scalable=no, maximum-scale below 2) locks out customers who need larger text.
Score = share of pages with a device-width viewport, minus 0.2 when zoom is locked.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages", {"viewport_meta": 0.0})
        good = [f for f in pages if has_device_width(f.viewport)]
        s = share(len(good), len(pages))
        issues = []
        missing = [Evidence(url=f.url, snippet=f.viewport or "") for f in pages if not has_device_width(f.viewport)]
        if missing:
            issues.append(issue("no-viewport-meta", "Page has no mobile viewport meta tag",
                                'Add <meta name="viewport" content="width=device-width, initial-scale=1">.',
                                severity="error", evidence=missing))
        locked = [Evidence(url=f.url, snippet=f.viewport or "") for f in pages if zoom_locked(f.viewport)]
        score = s
        if locked:
            score -= 0.2
            issues.append(issue("zoom-locked", "Page blocks zooming", "The viewport forbids pinch-zoom (user-scalable=no or a low maximum-scale).",
                                severity="warning", evidence=locked))
        return outcome(score, issues, {"viewport_meta": s})


#: What a failed request was, by its URL: a script, a style sheet, a font.
#: Fonts, and the style sheets that only bring an (icon) font: Google Fonts, Font Awesome,
#: Material Icons, Ionicons, Bootstrap Icons, ...
_FONT_RE = lazy_compile(r"\.(woff2?|ttf|otf|eot)$|fonts\.(gstatic|googleapis)\.com|font-?awesome[^/]*$"
                      r"|(icons?|icofont|ionicons|glyphicons)[^/]*\.css$", re.I)
_STYLE_RE = lazy_compile(r"\.css$", re.I)
#: Scripts that write the page's styles (Tailwind's browser build, Twind, UnoCSS runtime):
#: without them the page is unstyled, as without its style sheet.
_STYLE_SCRIPT_RE = lazy_compile(r"tailwind|twind|unocss", re.I)
_SCRIPT_RE = lazy_compile(r"\.m?js$", re.I)
#: An icon font's ligature name shown as words when the font is missing ("menu",
#: "shopping_cart", "arrow-forward"): lower-case ASCII words joined by _ or -.
_LIGATURE_RE = lazy_compile(r"^[a-z]+(?:[_-][a-z]+)*$")


def failed_third_party(p: RenderedPage, hosts: set[str]) -> dict[str, list[str]]:
    """Subresources from other sites that did not load on this page, by kind
    (``script``, ``style``, ``font``), as file names ("bootstrap.bundle.min.js"). A
    script that writes the page's styles (Tailwind's browser build) is both.

    A CDN that could not be reached during the audit says nothing about the site a
    customer meets (their browser may reach it), but every layout or menu measured
    without it is a guess. The site's own files that failed are the site's fault and
    are judged as measured.
    """
    out: dict[str, list[str]] = {}
    for url, _why in p.failed_requests:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or host in hosts:
            continue
        path = parts.path.rstrip("/")
        target = f"{host}{path}"
        kind = ("font" if _FONT_RE.search(target) else "style" if _STYLE_RE.search(target)
                else "script" if _SCRIPT_RE.search(path) or _STYLE_SCRIPT_RE.search(target) else None)
        if kind is None:
            continue
        name = path.rsplit("/", 1)[-1] or host
        if not name.endswith((".js", ".css")) and "/" in path.strip("/"):
            name = path.strip("/")  # "npm/@tailwindcss/browser@4" says more than "browser@4"
        kinds = [kind, "style"] if kind == "script" and _STYLE_SCRIPT_RE.search(target) else [kind]
        for k in kinds:
            if name not in out.setdefault(k, []):
                out[k].append(name)
    return out


def site_hosts(ctx: Context) -> set[str]:
    """The site's own host names (its origin and the hosts in scope)."""
    hosts = {h.lower().split(":", 1)[0] for h in ctx.site.hosts}
    hosts.add((urlsplit(ctx.site.origin).hostname or "").lower())
    return hosts


def not_checked(failed: dict[str, list[str]], kinds: tuple[str, ...]) -> str:
    """ "not checked: a.css, b.woff2 did not load" for the failed files of those kinds, or ""."""
    names = [n for k in kinds for n in failed.get(k, ())]
    if not names:
        return ""
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"not checked: {shown} did not load"


def _rendered_mobile(ctx: Context) -> list[RenderedPage]:
    """Mobile renderings of judged pages that rendered without error, in URL order."""
    r = ctx.rendering
    assert r is not None
    return [p for p in r.for_viewport("mobile") if not p.error]


#: Sideways scroll smaller than this (CSS px) is sub-pixel rounding, not overflow.
OVERFLOW_TOLERANCE_PX = 4


def overflows(p: RenderedPage) -> bool:
    """True when the page is wider than the phone screen (scrollWidth > clientWidth)."""
    return p.scroll_width - p.client_width > OVERFLOW_TOLERANCE_PX


def small_text_share(pages: list[RenderedPage]) -> float | None:
    """Share of visible text below 12 px as seen: per page (characters), averaged over pages."""
    shares = [p.small_text_chars / p.text_chars for p in pages if p.text_chars]
    return round(sum(shares) / len(shares), 4) if shares else None


def undersized(t: TapTarget) -> bool:
    """A tap target under 24x24 CSS px that the WCAG 2.5.8 exceptions do not cover."""
    return (t.box.width < MIN_TAP_PX or t.box.height < MIN_TAP_PX) and not t.spaced and not t.inline


class MobileOverflow(Probe):
    id = "mobile.overflow"
    touchpoint = "mobile"
    title = "Pages fit a 375 px phone screen"
    failure_title = "Pages scroll sideways on a phone"
    description = """
A page wider than the phone makes the customer pan sideways to read. Measured in Chromium at
375x667 with touch emulation: the document's scrollWidth against its clientWidth (more than
4 px wider counts; less is sub-pixel rounding). A page without a viewport meta is laid out
980 px wide and shrunk, so it does not overflow (its text is tiny instead: see
mobile.font_size); such a page "fits" only because the phone zoomed it out, so it is left
out of this score (not applicable when every page is shrunk) rather than passed. A page that
overflows while a style sheet or font from another site did not load during the audit is not
measured (an info finding names the files): icon names shown as words ("shopping_cart") or
an unstyled layout are not what a customer sees. Score =
share of the other rendered pages without horizontal overflow. Fact `overflow_pages`
(every rendered page). Browser mode only.
"""
    weight = 2
    requires = ("site", "rendering")

    def check(self, ctx: Context) -> Outcome:
        pages = _rendered_mobile(ctx)
        if not pages:
            return Outcome.na("no page could be rendered")
        over = [p for p in pages if overflows(p)]
        # A page laid out at 980 px and shrunk to the screen "fits" only because the phone
        # zoomed it out: that is not a pass. Its overflow is not judged (the viewport and
        # legibility probes say what is wrong with it); the fact still counts overflow.
        judged = [p for p in pages if not (p.layout_width and p.layout_width > p.width + 4)]
        if not judged:
            return Outcome.na("every page is laid out wider than the phone and shrunk (no viewport meta)",
                              {"overflow_pages": len(over)})
        # A page laid out without a style sheet or an icon font that another site failed
        # to send during the audit may overflow only for that (icon names such as
        # "shopping_cart" shown as words): its overflow is not measured.
        hosts = site_hosts(ctx)
        unmeasured = {p.url: why for p in over if (why := not_checked(failed_third_party(p, hosts), ("style", "font")))}
        over = [p for p in over if p.url not in unmeasured]
        judged = [p for p in judged if p.url not in unmeasured]
        if not judged:
            return Outcome.na(next(iter(unmeasured.values())), {"overflow_pages": len(over)})
        issues = []
        if unmeasured:
            issues.append(issue("overflow-not-checked", "Overflow is not measured where a style sheet or font did not load",
                                "These pages overflow the phone screen, but a style sheet or font from another site "
                                "did not load during the audit, so the layout measured is not the one a customer sees.",
                                severity="info", evidence=[Evidence(url=u, snippet=why) for u, why in sorted(unmeasured.items())]))
        if over:
            issues.append(issue("horizontal-overflow", "Page is wider than the phone screen",
                                "Content overflows the 375 px viewport: customers must scroll sideways. "
                                "Find the element wider than the screen (fixed widths, wide images or tables) "
                                "and give it max-width: 100%.",
                                severity="error",
                                evidence=[Evidence(url=p.url, selector=p.overflow_selector,
                                                   snippet=f"scrollWidth {p.scroll_width} px > clientWidth {p.client_width} px",
                                                   box=p.screen_box(p.overflow_box)) for p in over]))
        judged_over = [p for p in over if p in judged]
        return outcome(1 - len(judged_over) / len(judged), issues, {"overflow_pages": len(over)})


class MobileFontSize(Probe):
    id = "mobile.font_size"
    touchpoint = "mobile"
    title = "Text is legible on a phone"
    failure_title = "Text is too small on a phone"
    description = """
Text below 12 px as the customer sees it is hard to read. The size as seen is the computed
font size scaled by device width over layout width: a page without a viewport meta is laid out
980 px wide and shrunk, so its 16 px text is seen at about 6 px. Measured per visible text
character at 375 px; `small_text_share` is the share of each page's characters below 12 px,
averaged over pages. Score: 1.0 when under 10 % of text is small, falling to 0 at 60 %.
Browser mode only.
"""
    weight = 2
    requires = ("site", "rendering")

    def check(self, ctx: Context) -> Outcome:
        pages = _rendered_mobile(ctx)
        s = small_text_share(pages)
        if s is None:
            return Outcome.na("no visible text was rendered")
        score = 1.0 if s <= 0.1 else max(0.0, 1 - (s - 0.1) / 0.5)
        issues = []
        bad = [p for p in pages if p.text_chars and p.small_text_chars / p.text_chars > 0.25]
        if bad:
            issues.append(issue("small-text", "Text is too small to read on a phone",
                                f"More than a quarter of the text is below {SMALL_TEXT_PX} px as seen at 375 px. "
                                'Add <meta name="viewport" content="width=device-width, initial-scale=1"> when the '
                                "layout width is 980 px; else raise the font sizes.",
                                severity="error" if s > 0.5 else "warning",
                                evidence=[Evidence(url=p.url, snippet=f"{p.small_text_chars}/{p.text_chars} characters below {SMALL_TEXT_PX} px (layout width {p.layout_width} px)") for p in bad]))
        return outcome(score, issues, {"small_text_share": s})


class MobileTapTargets(Probe):
    id = "mobile.tap_targets"
    touchpoint = "mobile"
    title = "Tap targets are large enough"
    failure_title = "Tap targets are too small or too close together"
    description = """
Links and buttons smaller than 24x24 CSS px (WCAG 2.5.8) make customers tap the wrong thing,
unless a 24 px circle centred on each fits without touching another target (the spacing
exception); 48 px is the comfortable size. Links inside running text are exempt. Targets
measured while a style sheet (any target of the page) or an icon font (icon-only targets)
from another site did not load during the audit are not measured. Counted
over the visible links, buttons and inputs of every page at 375 px (`small_tap_targets`).
Score: 1 - share of undersized targets x 2 (floor 0). Browser mode only.
"""
    weight = 1
    requires = ("site", "rendering")

    def check(self, ctx: Context) -> Outcome:
        pages = _rendered_mobile(ctx)
        targets = [(p, t) for p in pages for t in p.tap_targets if not t.inline]
        if not targets:
            return Outcome.na("no tap targets were rendered", {"small_tap_targets": 0})
        # Sizes measured without a style sheet, or an icon measured without its font
        # (an icon-only toggle at 0x0, a ligature name in its place), are not the
        # customer's: those targets are not measured.
        hosts = site_hosts(ctx)
        why_by_page = {p.url: failed_third_party(p, hosts) for p in pages}
        skipped: list[tuple[RenderedPage, TapTarget, str]] = []

        def measurable(p: RenderedPage, t: TapTarget) -> bool:
            failed = why_by_page[p.url]
            if failed.get("style") or (failed.get("font") and (not t.text.strip() or _LIGATURE_RE.match(t.text.strip()))):
                skipped.append((p, t, not_checked(failed, ("style", "font"))))
                return False
            return True

        small = [(p, t) for p, t in targets if undersized(t) and measurable(p, t)]
        advice = [(p, t) for p, t in targets if t.box.width < RECOMMENDED_TAP_PX or t.box.height < RECOMMENDED_TAP_PX]
        issues = []
        if small:
            issues.append(issue("small-tap-target", "Tap targets are smaller than 24 px and crowded",
                                (f"{len(small)} links or buttons are" if len(small) != 1 else "1 link or button is")
                                + " under 24x24 px without spacing (WCAG 2.5.8). "
                                "Give them padding or min-height/min-width of 24 px (48 px is comfortable).",
                                severity="warning",
                                evidence=[Evidence(url=p.url, selector=t.selector, snippet=f"{t.text[:40]} ({t.box.width:.0f}x{t.box.height:.0f} px)",
                                                   box=p.screen_box(t.box)) for p, t in small]))
        if skipped:
            issues.append(issue("tap-targets-not-checked", "Some tap targets are not measured: a style sheet or font did not load",
                                (f"{len(skipped)} undersized links or buttons were" if len(skipped) != 1 else "1 undersized link or button was")
                                + " measured without a style sheet or icon font "
                                "from another site that did not load during the audit; their size is not the one a customer sees.",
                                severity="info",
                                evidence=[Evidence(url=p.url, selector=t.selector, snippet=why) for p, t, why in skipped]))
        if advice and len(advice) > len(small):
            issues.append(issue("tap-target-below-48", "Tap targets are below the recommended 48 px",
                                (f"{len(advice)} targets are" if len(advice) != 1 else "1 target is") + " under 48 px in one dimension.", severity="info",
                                evidence=[Evidence(url=p.url, selector=t.selector, snippet=f"{t.text[:40]} ({t.box.width:.0f}x{t.box.height:.0f} px)",
                                                   box=p.screen_box(t.box)) for p, t in advice]))
        return outcome(max(0.0, 1 - 2 * len(small) / len(targets)), issues, {"small_tap_targets": len(small)})


def _touchpoints_in(links: tuple[tuple[str, str], ...]) -> list[str]:
    found = set()
    for text, url in links:
        blob = f"{text} {url}"
        if CONTACT_RE.search(blob) or url.startswith(("mailto:", "tel:")):
            found.add("contact")
        if PRICING_RE.search(blob):
            found.add("pricing")
        if re.search(r"\b(help|support|faq|docs)\b", blob, re.I):
            found.add("support")
        if re.search(r"\b(about|company|team|who we are)\b", blob, re.I):
            found.add("about")
    return sorted(found)


class MobileMenu(Probe):
    id = "mobile.menu"
    touchpoint = "mobile"
    title = "The mobile menu opens and leads to contact"
    failure_title = "The mobile menu does not open or hides contact"
    description = """
On a phone the navigation hides behind a menu toggle. Checked on the start page at 375 px: the
toggle (aria-expanded/aria-controls buttons, .navbar-toggler, hamburger patterns) is tapped;
did a menu become visible, and which touchpoints (contact, pricing, support) do its links
reach (`menu_links`)? A toggle that does nothing is a broken touchpoint, unless a script
or style sheet from another site did not load during the audit: then the menu is not
checked (not applicable, `menu_opens` null, `menu_not_checked` names the files), since
the customer's browser may get them. The site's own files that fail count against it. Score: opens and reaches contact 1.0, opens without
contact 0.7, does not open 0.1. Without a toggle (`menu_opens` null) the navigation must be
visible: links in header/nav 1.0 (0.8 when none leads to contact), none 0.5. Browser mode only.
"""
    weight = 2
    requires = ("site", "rendering")

    def check(self, ctx: Context) -> Outcome:
        r = ctx.rendering
        assert r is not None
        start = r.get(ctx.site.start_url, "mobile")
        if start is None or start.error or start.menu is None:
            return Outcome.na("the start page was not rendered on mobile", {"menu_opens": None, "menu_links": []})
        m = start.menu
        if m.toggle is None:
            facts: dict[str, object] = {"menu_opens": None, "menu_links": []}
            if not start.nav_links:
                return outcome(0.5, [issue("no-mobile-navigation", "The phone shows no navigation and no menu toggle",
                                           "Neither navigation links nor a menu button are visible on the start page at 375 px.",
                                           severity="warning", evidence=[Evidence(url=start.url)])], facts)
            if "contact" not in _touchpoints_in(start.nav_links):
                return outcome(0.8, [issue("nav-without-contact", "The phone navigation has no contact link",
                                           "The navigation visible at 375 px offers no route to contact.",
                                           severity="warning", evidence=[Evidence(url=start.url, snippet=", ".join(t for t, _u in start.nav_links[:8]))])], facts)
            return outcome(1.0, (), facts)
        links = _touchpoints_in(m.links)
        facts = {"menu_opens": m.opens, "menu_links": links, "menu_toggle": m.toggle}
        if not m.opens:
            # A toggle whose script (or style sheet) another site did not send during the
            # audit is not measured: the customer's browser may well get it.
            why = not_checked(failed_third_party(start, site_hosts(ctx)), ("script", "style"))
            if why:
                return Outcome.na(why, {"menu_opens": None, "menu_links": [], "menu_toggle": m.toggle,
                                        "menu_not_checked": why})
            failed = [u for u, _r in start.failed_requests if urlsplit(u).path.endswith(".js") or "script" in u]
            why = f" Scripts that failed to load: {', '.join(failed[:3])}." if failed else ""
            why += f" ({m.error})" if m.error else ""
            return outcome(0.1, [issue("menu-does-not-open", "Mobile menu does not open",
                                       f"Tapping the menu toggle {m.label or m.toggle!r} shows no menu.{why}", severity="error",
                                       evidence=[Evidence(url=start.url, selector=m.toggle, snippet=", ".join(failed[:3]),
                                                          box=start.screen_box(m.box))])], facts)
        if "contact" not in links:
            return outcome(0.7, [issue("menu-without-contact", "Mobile menu has no contact link",
                                       "The opened menu offers no route to contact.", severity="warning",
                                       evidence=[Evidence(url=start.url, selector=m.toggle,
                                                          snippet=", ".join(t for t, _u in m.links[:8]),
                                                          box=start.screen_box(m.box))])], facts)
        return outcome(1.0, (), facts)


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (MobileViewport, MobileOverflow, MobileFontSize, MobileTapTargets, MobileMenu):
        register(cls())
