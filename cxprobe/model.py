"""The data model: frozen dataclasses that flow through the pipeline.

Gatherers produce *artifacts* (:class:`Site`, made of :class:`Page` objects, each with
its :class:`PageFacts`; in browser mode also :class:`RenderedPage` objects). Probes read
artifacts and return an :class:`Outcome`. The runner turns outcomes into
:class:`ProbeResult` objects, and the report module turns everything into plain dicts at
the JSON edge. Nothing here does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

#: Regions a piece of visible text or a link can live in.
REGIONS = ("header", "nav", "main", "footer")

#: Kinds of link that go nowhere for a customer ("placeholder": a template's fill-in where
#: the address belongs, href="[Your review link]").
DEAD_LINK_KINDS = ("hash", "hashbang", "empty", "javascript", "nohref", "placeholder")
#: Why a link without a destination still does something (see cxprobe.document.controls):
#: a toggle, a popup or lightbox opener, a carousel arrow, back to top, a click handler,
#: a script that handles it; "clicked" when a browser clicked it and saw something happen.
CONTROL_KINDS = ("onclick", "script", "gallery", "popup", "carousel", "toggle", "top", "clicked")


class FactUnavailable(LookupError):
    """A probe asked for facts no extractor provided on a page (none is registered under
    that name, or it failed on that page)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"fact {name!r} is not available: {reason}")
        #: The namespace asked for.
        self.name = name
        #: Why it is not there: no extractor of that name ran, or why it failed on the page.
        self.reason = reason


_HOME_WORDS = re.compile(
    r"^(?:home|home ?page|start|start ?page|startseite|accueil|page d'accueil|inicio|início|página inicial|pagina inicial|"
    r"pagina iniziale|strona główna|úvod|domů|hem|hjem|forside|etusivu|ana ?sayfa|главная)$", re.I)
_HOME_HINT = re.compile(r"(?:^|[\s_-])(?:logo|brand|navbar-brand|site-?title|site-?name|sitename|site-?logo|wordmark|"
                        r"home-?link|logo-?link)(?:[\s_-]|\d|$)")


@dataclass(frozen=True)
class Link:
    """One ``<a href>`` (or ``<area>``) on a page, or another element whose ``onclick``
    navigates (``<button onclick="location.href='contact.html'">``).

    A link without a destination (``url`` None, not mailto/tel) is either dead (``dead``
    says how it is written) or a control (``control`` says what it does instead). That
    is the static reading; the crawl settles links its site's own scripts handle, and a
    browser that clicks a link may settle it too: ``link.as_control("clicked")``, or keep
    it dead when nothing happened.
    """

    #: Absolute URL without fragment, or None when the link goes nowhere.
    url: str | None
    #: The href as written.
    href: str
    #: Visible text (or aria-label / title / img alt when there is no text), normalised.
    text: str
    #: header | nav | main | footer
    region: str
    #: Short CSS-like selector that locates the link on the page.
    selector: str
    #: The ``rel`` attribute's words, lower-cased ("nofollow", "noopener").
    rel: tuple[str, ...] = ()
    #: Fragment of the href, without '#', or "".
    fragment: str = ""
    #: None for a real link or a control; else one of DEAD_LINK_KINDS.
    dead: str | None = None
    #: "http", "mailto", "tel", "other" (ftp, sms, ...)
    scheme: str = "http"
    #: Target of mailto:/tel: links (address or dialled number), else "".
    target: str = ""
    #: Lower-cased class and id words of the link and its parents (icon hints like "fa-facebook").
    hints: str = ""
    #: For a link without a destination that still does something: one of CONTROL_KINDS.
    control: str = ""
    #: For a link without a destination: how a script finds it ("#id", and the ".class" and
    #: "[data-x]" no working link of the page carries), to settle it against the site's scripts.
    hooks: tuple[str, ...] = ()
    #: The element: "a", "area", or the tag whose onclick navigates ("button"); for those,
    #: ``href`` is the destination as the script writes it.
    element: str = "a"

    def as_control(self, kind: str) -> Link:
        """This link read as a control (``kind``: one of CONTROL_KINDS), no longer dead."""
        return replace(self, dead=None, control=kind)

    def reads_as_home(self) -> bool:
        """True for a logo or "Home" link: its words, or logo/brand classes on it or around it.
        Written "#", it is fine on the start page (back to the top) and dead anywhere else."""
        return bool(_HOME_WORDS.match(self.text.strip())) or bool(_HOME_HINT.search(self.hints))


@dataclass(frozen=True)
class FormField:
    """One input-like control of a form."""

    #: The element: "input", "textarea", "select" or "button".
    tag: str
    #: Its type, lower-cased ("email", "tel", "text", "checkbox"; "textarea", "select").
    type: str
    #: Its ``name`` attribute (what the browser sends it as), or "".
    name: str
    #: The words that label it: its <label>, aria-label or placeholder.
    label: str
    #: True when it carries the ``required`` attribute.
    required: bool = False


@dataclass(frozen=True)
class Form:
    """A ``<form>`` (or a form-like group of inputs around a textarea), as an element: what
    it is for is the ``forms`` extractor's judgement."""

    #: The ``action`` attribute as written ("" when absent).
    action: str
    #: The method, lower-cased ("get" when absent).
    method: str
    #: Its input-like controls, in document order.
    fields: tuple[FormField, ...]
    #: header | nav | main | footer
    region: str
    #: Short CSS-like selector that locates the form on the page.
    selector: str
    #: Nearby heading or button words that explain the form.
    context: str = ""
    #: The form's ``role`` attribute, lower-cased ("search"), or "".
    role: str = ""


@dataclass(frozen=True)
class Heading:
    """A heading h1..h6 and its visible text."""

    #: 1 to 6.
    level: int
    #: Its visible text, white space collapsed.
    text: str
    #: header | nav | main | footer
    region: str = "main"


@dataclass(frozen=True)
class Image:
    """An image and its alt text (None when the attribute is missing)."""

    #: The ``src`` attribute as written (or ``data-src`` for a lazy image).
    src: str
    #: The ``alt`` attribute, or None when there is none ("" marks decoration).
    alt: str | None


@dataclass(frozen=True)
class PageFacts:
    """Everything probes may know about one HTML page: parsed once, kept as facts.

    The generic document (title, language, text by region, links, headings, forms as
    elements, images, metadata) is read by the core; each extractor a plugin registers adds
    its facts under its own namespace (:attr:`extracted`). Built by
    :func:`cxprobe.document.extract_facts`, a pure function of (url, headers, bytes,
    extractors[, budget]) so that it can run in a process pool.
    """

    #: The page's URL (canonical, as crawled).
    url: str
    #: The <title> text, white space collapsed.
    title: str = ""
    #: The declared language (``<html lang>`` or ``xml:lang``) as written, or None.
    lang: str | None = None
    #: Language the visible text is written in (offline stop-word detection), or None.
    text_lang: str | None = None
    #: content of <meta name=description>.
    meta_description: str = ""
    #: content of <meta name=viewport>, or None.
    viewport: str | None = None
    #: Absolute URL of <link rel=canonical>, or None.
    canonical: str | None = None
    #: <meta name=robots> content, lower-cased.
    meta_robots: str = ""
    #: The page's ``X-Robots-Tag`` response header (several joined by ", "), lower-cased:
    #: the same directives as ``meta_robots`` ("noindex", "none"), possibly for one
    #: crawler only ("googlebot: noindex").
    robots_header: str = ""
    #: The character set the page was decoded with (declared in the headers or a <meta>), or None.
    charset: str | None = None
    #: Headings h1..h6 in document order.
    headings: tuple[Heading, ...] = ()
    #: Visible text per region (header, nav, main, footer); comments, scripts and
    #: templates never count.
    text: dict[str, str] = field(default_factory=dict)
    #: Every link of the page (``<a href>``, ``<area>``, elements whose onclick navigates), in document order.
    links: tuple[Link, ...] = ()
    #: Forms as elements (what each is for: the ``forms`` extractor).
    forms: tuple[Form, ...] = ()
    #: schema.org types from JSON-LD and microdata.
    schema_types: tuple[str, ...] = ()
    #: Open Graph and Twitter card metadata (og:title, twitter:card, ...).
    social_meta: dict[str, str] = field(default_factory=dict)
    #: The ``src`` of every external script (``<script src>``), as written.
    scripts: tuple[str, ...] = ()
    #: The ``src`` of every iframe, as written.
    iframes: tuple[str, ...] = ()
    #: Its images (``<img>``) with their alt text.
    images: tuple[Image, ...] = ()
    #: Words of visible text, all regions.
    word_count: int = 0
    #: True when the body is an (almost) empty shell filled by JavaScript.
    js_shell: bool = False
    #: Signs that scripts build part of the page, so its HTML shows less than a customer
    #: sees (cxprobe.document.scripted.CUES): "include" (a partial fetched in: fetch,
    #: jQuery .load, XMLHttpRequest, include attributes), "document-write" (markup
    #: written), "empty-root" (a framework's empty root element), "empty-region" (an
    #: empty header, footer, nav or a div named after one), "template" (<template>
    #: content), "inline-json" (the page's data as inline JSON). Empty when none.
    script_built: tuple[str, ...] = ()
    #: ids of elements on the page (for resolving #anchor links), capped; with the ids its
    #: inline scripts write.
    anchors: tuple[str, ...] = ()
    #: Absolute URLs the page sends a visitor to without a link: its inline scripts
    #: (location, window.open), a form's redirect field (_next, redirect), a meta refresh.
    opens: tuple[str, ...] = ()
    #: HTML its inline scripts (a load call: fetch, jQuery .load, $.get, XMLHttpRequest) or
    #: include attributes (w3-include-html) load into it, as URL patterns relative to the
    #: page, "*" for a part computed at run time ("*partials/header*.html").
    includes: tuple[str, ...] = ()
    #: Other names of HTML pieces in inline scripts that load or write HTML: matched only
    #: against the site's known files (a folder's), never fetched on a guess.
    maybe_includes: tuple[str, ...] = ()
    #: Absolute URLs of the links inside HTML its inline scripts write (a footer built by
    #: innerHTML): links of the page for the crawl, not judged as links.
    script_links: tuple[str, ...] = ()
    #: The HTML is a fragment (no <html>, <head>, <body> or <title>): a piece other pages load.
    fragment: bool = False
    #: Facts of the registered extractors, by namespace (``"contact"``, ``"prices"``, a
    #: plugin's own): read them with :meth:`fact`.
    extracted: dict[str, Any] = field(default_factory=dict)
    #: Extractors that failed on this page: namespace -> one line saying why.
    unextracted: dict[str, str] = field(default_factory=dict)

    def fact(self, name: str) -> Any:
        """The facts an extractor contributed under ``name``.

        Raises :class:`FactUnavailable` when no extractor of that name ran or it failed on
        this page; a probe that lets it propagate becomes an ``error`` result naming the
        extractor's plugin.
        """
        try:
            return self.extracted[name]
        except KeyError:
            raise FactUnavailable(name, self.unextracted.get(name) or "no extractor of that name ran") from None

    @property
    def all_text(self) -> str:
        """All visible text, regions joined in reading order."""
        return "\n".join(self.text.get(r, "") for r in REGIONS if self.text.get(r))

    @cached_property
    def h1s(self) -> tuple[str, ...]:
        """The text of every h1, in document order (read once: many probes ask it of every page)."""
        return tuple(h.text for h in self.headings if h.level == 1)


#: Page errors of a page that answered but was not read: extraction ran out of time or
#: failed. Such a page is not judged, and it is no broken link either: the customer who
#: follows the link gets the page.
UNREAD_ERRORS = frozenset({"too_complex", "deadline", "extract_failed"})
#: Page errors that are no broken link (journey.broken_links and Context.is_broken).
NOT_BROKEN_ERRORS = frozenset({None, "robots", "not_html"}) | UNREAD_ERRORS


@dataclass(frozen=True)
class Page:
    """One fetched URL: a page (2xx HTML) or a failure recorded for the journey touchpoint."""

    #: Canonical URL as crawled (absolute, internal).
    url: str
    #: HTTP status, or None when no response came.
    status: int | None
    #: Clicks from the start page (0 = start page).
    depth: int
    #: URL after redirects.
    final_url: str = ""
    #: The Content-Type header as received ("text/html; charset=utf-8").
    content_type: str = ""
    #: None, or: timeout, connect, too_large, redirect_loop, too_many_redirects,
    #: not_html, http_error, decode, robots, invalid_url, other; or, for a page that was
    #: fetched but could not be read (UNREAD_ERRORS): too_complex (its extraction budget
    #: ran out), deadline (the run's deadline did), extract_failed (extraction raised).
    error: str | None = None
    #: One line saying what went wrong, for the report ("" without error).
    error_detail: str = ""
    #: The URLs redirected through, in order, before ``final_url``.
    redirects: tuple[str, ...] = ()
    #: Seconds the fetch took.
    elapsed: float = 0.0
    #: Bytes of the response body.
    size: int = 0
    #: What the page says (None for a failure, a non-HTML answer or a page not read).
    facts: PageFacts | None = None
    #: Where the crawl found it first: "start", "link", "sitemap", "render".
    found_via: str = "link"

    @property
    def ok(self) -> bool:
        """True for a page in the Definitions' sense: 2xx HTML with facts."""
        return self.facts is not None and self.error is None


@dataclass(frozen=True)
class CrawlStats:
    """The ``crawl`` counters of the report contract."""

    #: Pages (2xx HTML with facts) kept.
    pages: int = 0
    #: URLs requested, pages and failures alike.
    fetched: int = 0
    #: Fetched URLs that are no page (4xx/5xx, timeouts, loops).
    errors: int = 0
    #: URLs robots.txt kept the crawl from.
    robots_blocked: int = 0
    #: Internal links discovered but not fetched (a bound was reached).
    not_fetched: int = 0
    #: Why the crawl stopped early ("max_pages", "deadline"), or None when it saw everything.
    truncated: str | None = None
    #: The deepest click depth reached.
    max_depth_reached: int = 0


@dataclass(frozen=True)
class RobotsTxt:
    """The site's robots.txt as the crawl read it (a 2xx answer): who may fetch what.

    The crawl honours it for cxprobe itself on a live site (unless ``--ignore-robots``);
    a folder or file target is the owner's own build, so there it is read but never
    honoured. :meth:`allows` answers for any crawler as RFC 9309 says (protego): the
    group naming the crawler, else the ``*`` group; in it, the longest matching rule wins
    and Allow wins a tie; ``*`` and ``$`` in patterns; an empty ``Disallow:`` allows all.
    """

    #: Where it was read: ``<origin>/robots.txt``.
    url: str
    #: Its text as read (at most 512 KiB; a rule cut in half is dropped).
    text: str

    @cached_property
    def _rules(self) -> Any:
        from protego import Protego

        try:
            return Protego.parse(self.text)
        except Exception:  # noqa: BLE001 - a robots.txt protego cannot read allows everything
            return None

    def allows(self, url: str, crawler: str = "*") -> bool:
        """True when ``crawler`` (a product token such as ``"Googlebot"``; ``"*"``: a
        crawler without a group of its own) may fetch ``url`` (absolute)."""
        rules = self._rules
        return True if rules is None else bool(rules.can_fetch(url, crawler))

    def lines(self) -> tuple[tuple[int, str], ...]:
        """(1-based line number, the line without its comment) of every rule line."""
        out = []
        for n, line in enumerate(self.text.splitlines(), 1):
            rule = line.split("#", 1)[0].strip()
            if rule:
                out.append((n, rule))
        return tuple(out)


@dataclass(frozen=True)
class Site:
    """The crawl artifact: pages, link graph and click depth."""

    #: The start page's canonical URL.
    start_url: str
    #: scheme://host[:port] of the start page.
    origin: str
    #: Every URL fetched (pages and failures), in crawl order.
    pages: tuple[Page, ...]
    #: url -> sorted tuple of internal link targets (canonical URLs), for kept pages.
    graph: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: url -> click depth from the start page (only URLs reached by links).
    depths: dict[str, int] = field(default_factory=dict)
    #: URLs listed in the sitemap (or the folder's HTML files).
    sitemap_urls: tuple[str, ...] = ()
    #: Hosts considered in scope.
    hosts: tuple[str, ...] = ()
    #: The crawl counters.
    stats: CrawlStats = field(default_factory=CrawlStats)
    #: Canonical URLs of internal link targets that were discovered but not fetched.
    unfetched: tuple[str, ...] = ()
    #: URLs visitors reach without a link, and how: "opened" (a script or a form sends
    #: them there: location.href, window.open, a form's action or redirect field) or
    #: "included" (a partial that scripts load into pages: its links are the pages' links).
    script_urls: dict[str, str] = field(default_factory=dict)
    #: robots.txt of the start page's origin when the site has one (read on every target,
    #: honoured only on live ones), else None: no robots.txt, or it could not be read.
    robots: RobotsTxt | None = None

    @cached_property
    def ok_pages(self) -> tuple[Page, ...]:
        """Pages in the Definitions' sense, in URL order."""
        return tuple(sorted((p for p in self.pages if p.ok and p.found_via != "sitemap"),
                            key=lambda p: p.url))

    @cached_property
    def orphan_pages(self) -> tuple[Page, ...]:
        """Pages listed in the sitemap (or the folder) that no link reaches."""
        return tuple(sorted((p for p in self.pages if p.ok and p.found_via == "sitemap"),
                            key=lambda p: p.url))

    @cached_property
    def broken_pages(self) -> tuple[Page, ...]:
        """Fetched URLs that are not pages: 4xx/5xx, timeouts, loops (robots, non-HTML
        and pages that answered but could not be read excluded)."""
        return tuple(sorted((p for p in self.pages if not p.ok and p.error not in NOT_BROKEN_ERRORS),
                            key=lambda p: p.url))

    @property
    def start_page(self) -> Page | None:
        """The start page (or its failure), None when it was never fetched."""
        for p in self.pages:
            if p.url == self.start_url or p.found_via == "start":
                return p
        return None

    @cached_property
    def _by_url(self) -> dict[str, Page]:
        index: dict[str, Page] = {}
        for p in self.pages:
            index.setdefault(p.url, p)
        return index

    def page(self, url: str) -> Page | None:
        """The fetched page (or failure) at a canonical URL, or None (probes call this a lot)."""
        return self._by_url.get(url)

    def depth(self, url: str | None) -> int | None:
        """Clicks from the start page to ``url`` (its fragment ignored), None when no link reaches it."""
        if url is None:
            return None
        return self.depths.get(url.split("#", 1)[0])

    @property
    def truncated(self) -> bool:
        """True when a bound stopped the crawl before it saw every page."""
        return self.stats.truncated is not None


@dataclass(frozen=True)
class Box:
    """A rectangle in CSS pixels."""

    #: Left edge, from the left of the document.
    x: float
    #: Top edge, from the top of the document.
    y: float
    #: Width.
    width: float
    #: Height.
    height: float


@dataclass(frozen=True)
class ScreenBox:
    """Where an element shows on a first-viewport screenshot (:attr:`RenderedPage.screenshot`):
    the viewport and a rectangle in the screenshot's CSS pixels.

    Made by :meth:`RenderedPage.screen_box`. The rectangle may reach beyond the screenshot
    (an element below the first screen, or wider than it): that is where it is.
    """

    #: "mobile" or "desktop"
    viewport: str
    #: Left edge, from the left of the screenshot.
    x: float
    #: Top edge, from the top of the screenshot.
    y: float
    #: Width.
    width: float
    #: Height.
    height: float


@dataclass(frozen=True)
class TapTarget:
    """A link, button or input as laid out in the browser."""

    #: Short CSS-like selector of the element.
    selector: str
    #: Its visible text or label.
    text: str
    #: Where it lies (document CSS px).
    box: Box
    #: True when the WCAG 2.5.8 spacing exception holds (a 24 px circle fits without overlap).
    spaced: bool = True
    #: A link inside a sentence or paragraph: WCAG 2.5.8 exempts it from the size rule.
    inline: bool = False


@dataclass(frozen=True)
class MenuCheck:
    """What happened when the mobile menu toggle was clicked."""

    #: Selector of the toggle, or None when no toggle was found.
    toggle: str | None
    #: True when a menu became visible, False when nothing did, None without toggle.
    opens: bool | None
    #: Links that became visible: (text, absolute url).
    links: tuple[tuple[str, str], ...] = ()
    #: Why the check could not finish (the click failed, the page navigated), or "".
    error: str = ""
    #: What showed the menu opened: "links" (new links visible), "aria-expanded" (flipped
    #: to true), "controlled-visible" (the element named by aria-controls/data-target shown).
    signals: tuple[str, ...] = ()
    #: The toggle's visible text or aria-label ("Toggle navigation", "☰").
    label: str = ""
    #: Where the toggle lies on the page (document CSS px), None without a toggle.
    box: Box | None = None


@dataclass(frozen=True)
class LinkClick:
    """One link that goes nowhere by its href (``#``, ``#!``, empty, ``javascript:``, no
    href), clicked in the browser: did anything happen?"""

    #: Short CSS-like selector of the link in the rendered page.
    selector: str
    #: The href as written ("" when there is none): with ``text`` and the page URL, the key
    #: static facts match it by (``Link.href``).
    href: str
    #: The link's text, white space collapsed (``Link.text``).
    text: str
    #: What the click did, or "" when nothing happened (the link is dead for a customer):
    #: "navigation" (another page, or a window opened), "dialog" (alert/confirm),
    #: "expanded" (aria-expanded flipped), "visible" (something became visible), "dom"
    #: (the page changed), "request" (a script tried to send something), "scroll" (a
    #: script scrolled the page).
    effect: str = ""


@dataclass(frozen=True)
class RenderedPage:
    """What one page looks like in one viewport of a real browser."""

    #: The page's canonical URL (as crawled).
    url: str
    #: "mobile" or "desktop"
    viewport: str
    #: The viewport's width in CSS px (375 mobile, 1366 desktop).
    width: int
    #: The viewport's height in CSS px (667 mobile, 768 desktop).
    height: int
    #: Why the page could not be measured ("timeout: ...", "HTTP 404"), or None.
    error: str | None = None
    #: ``document.documentElement.scrollWidth``: wider than ``client_width`` when the page
    #: overflows sideways.
    scroll_width: int = 0
    #: ``document.documentElement.clientWidth``: the width the page has to fit in.
    client_width: int = 0
    #: Layout (CSS) width the page was laid out at (980 on mobile without viewport meta).
    layout_width: int = 0
    #: Characters of visible text.
    text_chars: int = 0
    #: Characters of visible text smaller than 12 px as seen (computed size scaled by the
    #: device width over the layout width).
    small_text_chars: int = 0
    #: Links, buttons and inputs as laid out (for the WCAG 2.5.8 target size).
    tap_targets: tuple[TapTarget, ...] = ()
    #: True when the first visible h1 lies in the first viewport; None without an h1.
    h1_in_viewport: bool | None = None
    #: The text of that h1.
    h1_text: str = ""
    #: True when the primary call to action lies in the first viewport; None when none was found.
    cta_in_viewport: bool | None = None
    #: The words of that call to action.
    cta_text: str = ""
    #: Share (0..1) of the first viewport covered by an overlay (consent wall, modal).
    overlay_share: float = 0.0
    #: Selector of that overlay, or "".
    overlay_selector: str = ""
    #: Where the first visible h1 lies (document CSS px), None when there is none.
    h1_box: Box | None = None
    #: Where the call to action lies (document CSS px), None when there is none.
    cta_box: Box | None = None
    #: Where the overlay lies (document CSS px), None when there is none.
    overlay_box: Box | None = None
    #: The outermost element that reaches past the right edge of the screen when the page
    #: overflows: its selector; "" when nothing does.
    overflow_selector: str = ""
    #: That element's box (document CSS px), None when nothing overflows.
    overflow_box: Box | None = None
    #: The visible text of the first viewport (at most 4,000 characters): what a visitor reads first.
    first_viewport_text: str = ""
    #: First Contentful Paint in milliseconds after navigation, None when not reported.
    fcp_ms: float | None = None
    #: Largest Contentful Paint in milliseconds, None when not reported.
    lcp_ms: float | None = None
    #: Milliseconds from asking the browser for the page to its load event, as a journey's
    #: walk times a page it loads (cxprobe's clock); None when the page did not load.
    load_ms: float | None = None
    #: Path of a PNG of the first viewport (CSS scale), or None when screenshots were not asked for.
    screenshot: str | None = None
    #: Subresources that failed: (url, reason).
    failed_requests: tuple[tuple[str, str], ...] = ()
    #: What tapping the mobile menu toggle did: the start page on mobile only, None elsewhere.
    menu: MenuCheck | None = None
    #: Links present in the rendered DOM (absolute URLs).
    links: tuple[str, ...] = ()
    #: Seconds the page took to load and measure.
    elapsed: float = 0.0
    #: Analytics/ad requests that were blocked on purpose (not failures of the site).
    blocked_requests: tuple[str, ...] = ()
    #: Requests the page tried with a method that changes things (anything but GET and
    #: HEAD: a form submission, a POST or DELETE by script, a beacon), refused by
    #: cxprobe before they left the browser: (method, url). Not failures of the site.
    refused_requests: tuple[tuple[str, str], ...] = ()
    #: Links visible in header/nav as the page loads, before any tap: (text, absolute url).
    nav_links: tuple[tuple[str, str], ...] = ()
    #: Links a customer sees on the page as it loads, anywhere on it (visible and within
    #: the screen's width; absolute URLs): read on the start page at phone size, where
    #: the journeys' phone walks begin; None elsewhere.
    seen_links: tuple[str, ...] | None = None
    #: Links whose href goes nowhere, clicked last (desktop only, at most 15 a page; a
    #: link with the href and text of one clicked on another page of the run is not
    #: clicked again). None when not tested (mobile, an error, no time left).
    link_clicks: tuple[LinkClick, ...] | None = None

    def screen_box(self, box: Box | None) -> ScreenBox | None:
        """Where ``box`` (document CSS px, as the page laid it out) shows on this page's
        first-viewport screenshot, taken at the top of the page as loaded; None for None.

        A page laid out wider than the screen (980 px without a viewport meta) is shrunk to
        fit it, and so is everything on the screenshot.
        """
        if box is None:
            return None
        scale = self.width / self.layout_width if self.layout_width > self.width > 0 else 1.0
        return ScreenBox(viewport=self.viewport, x=round(box.x * scale, 1), y=round(box.y * scale, 1),
                         width=round(box.width * scale, 1), height=round(box.height * scale, 1))

    @property
    def inert_links(self) -> tuple[str, ...] | None:
        """Selectors of the clicked links that did nothing (None when none was tested)."""
        if self.link_clicks is None:
            return None
        return tuple(c.selector for c in self.link_clicks if not c.effect)


@dataclass(frozen=True)
class Rendering:
    """The render artifact: every rendered page per viewport, and the browser used."""

    #: The browser executable rendered with (its path).
    browser: str
    #: Its version.
    version: str
    #: Every rendered page, per viewport.
    pages: tuple[RenderedPage, ...] = ()
    #: Why rendering failed as a whole, or None.
    error: str | None = None
    #: Hosts of other origins that could not be reached while rendering, as (host, port,
    #: why): the run's later browser work (journeys) fails them at once, as rendering
    #: did after the first time. Not part of the report.
    dead_hosts: tuple[tuple[str, int, str], ...] = ()

    def for_viewport(self, viewport: str) -> tuple[RenderedPage, ...]:
        """The rendered pages of one viewport ("mobile" or "desktop")."""
        return tuple(p for p in self.pages if p.viewport == viewport)

    def get(self, url: str, viewport: str) -> RenderedPage | None:
        """The page at ``url`` as rendered in ``viewport``, or None."""
        for p in self.pages:
            if p.url == url and p.viewport == viewport:
                return p
        return None


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Evidence:
    """Where a finding was seen: a URL, a selector or region, and the exact text."""

    #: The page it was seen on.
    url: str
    #: Where on the page: a CSS-like selector, or a region.
    selector: str = ""
    #: The exact text or markup, as the customer meets it.
    snippet: str = ""
    #: Where the element shows on the page's first-viewport screenshot (browser mode), for
    #: a visual finding: make it with :meth:`RenderedPage.screen_box`. The HTML report
    #: outlines it.
    box: ScreenBox | None = None


@dataclass(frozen=True)
class Cause:
    """The root cause behind an issue, shared by every probe that sees the same thing.

    A broken Contact link is the contact touchpoint's problem and a broken link of the
    journey: two findings, one thing to fix. Probes that name the same ``key`` have their
    findings grouped under one headline in the report (``causes``); scores never change.
    Build causes with :meth:`cxprobe.Context.link_cause`, :meth:`~cxprobe.Context.page_cause`
    or :meth:`~cxprobe.Context.dead_link_cause` so that probes of different plugins agree
    on the key; a key of your own works the same way.
    """

    #: What identifies the cause site-wide, origin-free ("missing-page:/contact.html",
    #: "dead-link:contact", ...): the same key from two probes means the same root cause.
    key: str
    #: A plain headline for the group, for the site's owner ("The link 'Contact' leads to
    #: a missing page (/contact.html)").
    title: str


@dataclass(frozen=True)
class Issue:
    """One observation a probe makes, before deduplication across pages.

    ``kind`` plus ``key`` identify the finding: issues with the same kind and key on
    several pages become one :class:`Finding` with a page count. ``cause``, when set,
    names the root cause the finding may share with other probes' findings.
    """

    #: What kind of problem, stable across runs ("missing-alt", "dead-link").
    kind: str
    #: Present-tense headline for the site's owner.
    title: str
    #: What the site does, the exact text, and how to fix it.
    message: str
    #: error | warning | info
    severity: str = "warning"
    #: Origin-free key that makes this finding distinct (e.g. the link text).
    key: str = ""
    #: Where it was seen on this page (URL, selector, exact text).
    evidence: tuple[Evidence, ...] = ()
    #: The root cause, when other probes may report the same thing (see :class:`Cause`).
    cause: Cause | None = None


@dataclass(frozen=True)
class Outcome:
    """What a probe returns: a score 0..1 (or not applicable), issues and facts."""

    #: 0..1 (0.9 or more passes), or None when not applicable.
    score: float | None
    #: What it saw, before deduplication across pages.
    issues: tuple[Issue, ...] = ()
    #: Machine-readable facts for the report (``touchpoints.<id>.facts``).
    facts: dict[str, Any] = field(default_factory=dict)
    #: Set for a not-applicable outcome (score None): why it does not apply.
    not_applicable: str | None = None

    @classmethod
    def na(cls, reason: str, facts: dict[str, Any] | None = None) -> Outcome:
        """A not-applicable outcome: weighs nothing in scoring."""
        return cls(score=None, facts=facts or {}, not_applicable=reason)


@dataclass(frozen=True)
class Finding:
    """A deduplicated observation in the report."""

    #: Stable id: a hash of probe, kind and key.
    id: str
    #: The probe that reported it.
    probe: str
    #: That probe's touchpoint.
    touchpoint: str
    #: error | warning | info
    severity: str
    #: Present-tense headline.
    title: str
    #: What to fix, and how.
    message: str
    #: On how many pages it was seen.
    pages: int
    #: At most five pieces of evidence.
    examples: tuple[Evidence, ...]
    #: The root cause its issues name (all of them the same one), else None.
    cause: Cause | None = None


@dataclass(frozen=True)
class ProbeResult:
    """A probe's result in the report: status, score and its finding ids."""

    #: The probe's id.
    id: str
    #: Its touchpoint.
    touchpoint: str
    #: passed | failed | not_applicable | error
    status: str
    #: 0..1, None when not applicable or errored.
    score: float | None
    #: Its weight in the touchpoint for the run's profile.
    weight: float
    #: Ids of its findings.
    findings: tuple[str, ...] = ()
    #: The facts its outcome gave.
    facts: dict[str, Any] = field(default_factory=dict)
    #: Why it does not apply, or what went wrong (for not_applicable and error).
    reason: str = ""
    #: The plugin that registered it (``dist:entry-point``).
    plugin: str = ""
    #: Seconds its check took.
    duration_s: float = 0.0
