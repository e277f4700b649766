"""Journey touchpoint: "Does the road itself work?"."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from cxprobe import (
    Context,
    Evidence,
    Journey,
    Link,
    Outcome,
    Page,
    Probe,
    RobotsTxt,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
)

from ._common import CONTACT_RE, POLICY_KINDS, PRICING_LINK_RE, social_hint
from ._lazyre import lazy_compile


def claimed_by_touchpoint(lk: Link) -> bool:
    """True for a dead link another touchpoint reports (contact, pricing, policy, social)."""
    text = lk.text.strip()
    if CONTACT_RE.search(text) or PRICING_LINK_RE.match(text) or social_hint(text, lk.hints):
        return True
    return any(text_re.match(text) for text_re, _slug in POLICY_KINDS.values())


TOUCHPOINT = Touchpoint(
    id="journey", title="Journey", question="Does the road itself work?", weight=2,
    fact_defaults={"broken_links": 0, "dead_links": 0, "unreachable_pages": 0, "unreachable_expected": 0,
                   "dead_end_pages": 0, "missing_anchors": 0, "search_blocked_by": [],
                   "journeys_walked": 0, "journeys_reached": 0},
)


def _count_score(n: int, per: float = 0.1, floor: float = 0.2) -> float:
    return max(floor, 1.0 - per * n)


class BrokenLinks(Probe):
    id = "journey.broken_links"
    touchpoint = "journey"
    title = "Internal links lead to pages"
    failure_title = "Internal links lead to error pages"
    description = """
A link that ends on "404 Not Found" breaks the customer's road. Checked: every internal link
target the crawl fetched that answered 4xx/5xx, timed out or redirected in a loop. One finding
per broken target, with the pages linking to it. Score: 1 - 0.2 per broken target (floor 0.2):
a single broken link already fails the probe.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        broken = {p.url: p for p in ctx.site.broken_pages if p.found_via != "start"}
        sources: dict[str, list[Evidence]] = {u: [] for u in broken}
        words: dict[str, str] = {}
        for f in ctx.facts():
            for lk in f.links:
                if lk.url and lk.url in broken:
                    sources[lk.url].append(Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>'))
                    words.setdefault(lk.url, lk.text)
        issues = []
        for u, p in sorted(broken.items()):
            what = f"HTTP {p.status}" if p.status else (p.error or "error")
            issues.append(issue("broken-link", f"Link leads to an error page ({what})",
                                f"{u} answers {what}" + (f" ({p.error_detail})" if p.error_detail and not p.status else "") + ".",
                                severity="error", key=urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else ""),
                                evidence=sources[u] or [Evidence(url=u)], cause=ctx.page_cause(u, via=words.get(u, ""))))
        return outcome(_count_score(len(broken), 0.2), issues, {"broken_links": len(broken)})


def clicked_alive(ctx: Context) -> set[tuple[str, str]]:
    """(href, lower-cased text) of links the browser clicked and saw do something
    (browser mode; empty in static mode). Each (href, text) is clicked once a run, on
    the first page it was met, so the answer holds site-wide."""
    if ctx.rendering is None:
        return set()
    return {(c.href.strip(), c.text.strip().lower()) for rp in ctx.rendering.pages for c in rp.link_clicks or ()
            if c.effect}


class DeadLinks(Probe):
    id = "journey.dead_links"
    touchpoint = "journey"
    title = "Links go somewhere"
    failure_title = "Links go nowhere (#, empty, javascript:void)"
    description = """
Links written as "#", "#!", an empty href or javascript:void(0) look clickable and do
nothing. Checked on every crawled page; one finding per link text, with the pages it is on
(dead contact, pricing, policy and social links are reported by their own touchpoints, not
twice). Not dead: controls that do something in place, read from the link itself (a dropdown
or accordion toggle, a modal, cookie-settings or lightbox opener, a gallery tile, a carousel
arrow, back to top, an onclick handler) or from the site's own scripts (a link whose id, or a
class only such links carry, a script binds to a click); and a logo or "Home" link written
"#" on the start page, which scrolls back to its top. The same link on another page does not
lead home: that is reported on its own. In browser mode each such link is clicked: one that does something (opens a menu, a
modal, a dialog, goes to another page) is not dead. The fact `dead_links` counts every
distinct dead link.
Score: 1 - 0.05 per distinct dead link (floor 0.2).
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        groups: dict[tuple[str, str], list[Evidence]] = {}
        #: The words of each dead link as the page writes them (the key is lower-cased).
        shown: dict[tuple[str, str], str] = {}
        total: set[str] = set()
        alive = clicked_alive(ctx)  # browser mode: clicked, and something happened
        for f in ctx.facts():
            for lk in f.links:
                if lk.dead and (lk.href.strip(), lk.text.strip().lower()) in alive:
                    continue  # [browser helper] a customer's click does something: not dead
                if lk.dead:
                    key = (lk.text or lk.href or "(no text)").strip().lower()[:80]
                    total.add(key)
                    # Contact, pricing, policy and social links that go nowhere are findings
                    # of their own touchpoints; reporting them here again would double them.
                    if claimed_by_touchpoint(lk):
                        continue
                    # The start page's "#" logo is settled by the crawl; elsewhere it stays.
                    kind = "home-link" if lk.dead in ("hash", "empty") and lk.reads_as_home() else "dead-link"
                    groups.setdefault((kind, key), []).append(
                        Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>'))
                    shown.setdefault((kind, key), " ".join(lk.text.split()))
        issues = []
        for (kind, key), ev in sorted(groups.items()):
            text = shown[(kind, key)]
            words = "(no text)" if not text else text if len(text) <= 80 else text[:77] + "..."
            cause = ctx.dead_link_cause(text)
            if kind == "home-link":
                issues.append(issue("home-link", f"Link {words!r} does not lead to the home page",
                                    f"The logo or home link {words!r} is written \"#\": on these pages it scrolls to "
                                    "their top instead of opening the home page. Link it to the home page.",
                                    severity="warning", key=key, evidence=ev, cause=cause))
            else:
                issues.append(issue("dead-link", f"Link {words!r} goes nowhere", f"The link {words!r} has no destination.",
                                    severity="warning", key=key, evidence=ev, cause=cause))
        return outcome(_count_score(len(total), 0.05), issues, {"dead_links": len(total)})


# Pages no link reaches that are not meant to be linked, by what they are.
_ERROR_STEM = lazy_compile(r"^(?:[45]\d\d|error|errors|error[-_]?page|not[-_]?found|page[-_]?not[-_]?found|fehler|erreur|"
                         r"errore|erro|[45]\d\d[-_][\w-]+|[\w-]+[-_][45]\d\d)$", re.I)
_ERROR_TITLE = lazy_compile(
    r"\b404\b|\bnot found\b|nicht gefunden|no encontrad[ao]|introuvable|non trovat[ao]|n[ãa]o encontrad[ao]|"
    r"niet gevonden|nie znaleziono|nie zosta[łl][ao]? znalezion[ao]|nenalezen[ao]|nebyla nalezena|ikke fundet|"
    r"hittades inte|ei l[öo]ytynyt|bulunamad[ıi]|\b50[0-4]\b.*\berror\b|\bserver error\b", re.I)
_THANKS_STEM = lazy_compile(
    r"^(?:thank[-_]?you|thanks|merci|danke(?:schoen|sch[öo]n)?|vielen[-_]?dank|gracias|obrigad[oa]|grazie|dziekujemy|"
    r"dziekuje|bedankt|dankjewel|dekujeme|tack|kiitos|success|sucesso|successo|exito|erfolg|confirmation|confirmed|"
    r"confirmacion|confirmacao|bestaetigung|bestatigung|submitted|message[-_]?sent|enviado|envoye|inviato|gesendet|"
    r"verzonden)(?:[-_](?:page|you|form|contact|message|booking|order|request|newsletter|subscription|sent|submit|"
    r"submitted|quote|devis|anfrage|\d+))*$", re.I)
_THANKS_TITLE = lazy_compile(
    r"^(?:thank you|thanks|merci|danke|vielen dank|gracias|muchas gracias|obrigad[oa]|grazie|dzi[ęe]kujemy|bedankt|"
    r"dank ?je ?wel|d[ěe]kujeme|tack|kiitos|success)\b|"
    r"\b(?:message|mensaje|mensagem|messaggio|nachricht|anfrage|demande|request|quote|solicitud|solicita[çc][ãa]o|"
    r"richiesta|bericht|wiadomo[śs][ćc]|zpr[áa]va)\b.{0,30}\b(?:sent|received|envoy[ée]e?|enviad[oa]|recebid[oa]|"
    r"recibid[oa]|inviat[oa]|ricevut[oa]|gesendet|erhalten|verzonden|ontvangen|wys[łl]an[ao]|odesl[áa]n[ao])\b", re.I)
_VERIFICATION_STEM = lazy_compile(r"^(?:google[0-9a-f]{12,}|yandex_[0-9a-f]{8,}|pinterest-[0-9a-f]{5,}|bingsiteauth|"
                                r"[0-9a-f]{32})$", re.I)
_LIBRARY_DIRS = frozenset({"node_modules", "bower_components", "vendor", "vendors", "lib", "libs", "third_party",
                           "third-party", "thirdparty", "plugins", "packages"})
_ASSET_DIRS = frozenset({"assets", "static", "js", "css", "fonts", "img", "images", "media", "scripts", "styles"})
_LIBRARY_TITLE = lazy_compile(
    r"\b(?:bootstrap|jquery|tailwind|font ?awesome|swiper|slick|owl carousel|photoswipe|lightbox|fancybox|isotope|gsap|"
    r"leaflet|chart\.js|datatables|select2|tinymce|ckeditor|w3layouts|bootstrapmade|themewagon|colorlib|html5 ?up)\b|"
    r"\b(?:html|website|landing page|one ?page|free|responsive|starter|admin) templates?\b|\btemplate demo\b|"
    r"\bboilerplate\b|\bstyle ?guide\b|\btest page\b|\bdocumentation\b", re.I)


def _stem(url: str) -> tuple[str, list[str]]:
    """The file name without extension (a folder's name for ``dir/``) and the folders above it."""
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    if not parts:
        return "", []
    name = parts[-1]
    if name.lower() in ("index.html", "index.htm") and len(parts) > 1:
        return parts[-2].lower(), [p.lower() for p in parts[:-2]]
    return re.sub(r"\.x?html?$", "", name, flags=re.I).lower(), [p.lower() for p in parts[:-1]]


def _fingerprint(p: Page) -> tuple[str, str] | None:
    f = p.facts
    if f is None or f.word_count < 20:
        return None
    return f.title.strip().lower(), " ".join(f.all_text.split()).lower()


def not_meant_to_be_linked(p: Page, ctx: Context, copies: dict[tuple[str, str], str]) -> str:
    """Why a page no link reaches is not meant to be linked, or "" when it is a page a
    customer could miss. ``copies`` maps the fingerprint of each linked page to its URL."""
    f = p.facts
    how = ctx.site.script_urls.get(p.url, "")
    if how == "included" or (f is not None and f.fragment):
        return "a piece of other pages (a partial they load), not a page"
    stem, folders = _stem(p.url)
    title = f.title if f else ""
    heading = f.h1s[0] if f and f.h1s else ""
    if _ERROR_STEM.match(stem) or _ERROR_TITLE.search(title) or (heading and _ERROR_TITLE.search(heading)):
        return "an error page"
    text = f.all_text.strip().lower() if f else ""
    if _VERIFICATION_STEM.match(stem) or text.startswith(("google-site-verification", "yandex-verification")):
        return "a site-verification file"
    if how == "opened":
        return "opened by a script or a form, not by a link"
    if _THANKS_STEM.match(stem) or _THANKS_TITLE.search(title) or (heading and _THANKS_TITLE.search(heading)):
        return "a form's confirmation page"
    if any(d in _LIBRARY_DIRS for d in folders) or (folders and folders[0] in _ASSET_DIRS):
        return "a file among the site's assets or a library's files"
    if _LIBRARY_TITLE.search(title):
        return "a library's or a template's page"
    if f is not None and f.word_count == 0 and not f.title and not f.links:
        return "an empty file"
    fp = _fingerprint(p)
    if fp is not None and fp in copies and copies[fp] != p.url:
        return "a copy of a linked page"
    return ""


class Reachability(Probe):
    id = "journey.reachability"
    touchpoint = "journey"
    title = "Every page in the sitemap is reachable by links"
    failure_title = "Some pages cannot be reached by clicking"
    description = """
Pages listed in the sitemap (for a folder, its HTML files) that no link reaches exist only for
search engines: a customer can never click to them. Not reported, because no link is meant to
lead there: error pages (404.html, "Page not found" in any language), a form's confirmation
page (thanks.html, merci.html, obrigado.html, a form's action or _next/redirect field), pages
scripts open (location.href, window.open), partials that scripts load into pages (their links
count as the pages' links), site-verification files, files under a library's or the assets'
folders and pages titled as a template or a library's demo, empty files, and copies of a
linked page. The fact `unreachable_pages` counts every HTML file no link reaches,
`unreachable_expected` those not meant to be linked.
Score: 1 - 0.05 per unreachable page a customer could miss (floor 0.5).
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        orphans = ctx.site.orphan_pages
        copies: dict[tuple[str, str], str] = {}
        # Fingerprints only when some page is unlinked: they read every page's whole text.
        for p in ctx.pages if orphans else ():
            fp = _fingerprint(p)
            if fp is not None:
                copies.setdefault(fp, p.url)
        missed: list[Page] = []
        expected = 0
        for p in orphans:
            if not_meant_to_be_linked(p, ctx, copies):
                expected += 1
                continue
            missed.append(p)
            fp = _fingerprint(p)
            if fp is not None:
                copies.setdefault(fp, p.url)  # a second copy of an unlinked page is that page
        facts = {"unreachable_pages": len(orphans), "unreachable_expected": expected}
        if not missed:
            return outcome(1.0, (), facts)
        return outcome(max(0.5, 1 - 0.05 * len(missed)),
                       [issue("unreachable-page", "Page is not linked from the site",
                              "No link on the crawled site leads to this page.", severity="info",
                              evidence=[Evidence(url=p.url, snippet=p.facts.title if p.facts else "") for p in missed])], facts)


class DeadEnds(Probe):
    id = "journey.dead_ends"
    touchpoint = "journey"
    title = "Every page links back into the site"
    failure_title = "Some pages are dead ends"
    description = """
A page with no link to any other page of the site (no menu, no logo link, no footer link)
strands the customer who arrives on it from a search, an e-mail or a form: the only way on is
the browser's back button, or nothing at all. Checked: every crawled page but the start page,
with the links of its HTML, of the partials its scripts load and of the HTML its scripts write.
Pages built by JavaScript are not judged in static mode.
Score: 1 - 0.1 per dead-end page (floor 0.3).
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        stuck: list[Evidence] = []
        for p in ctx.pages:
            f = p.facts
            if f is None or p.url == ctx.site.start_url or (f.js_shell and ctx.mode != "browser"):
                continue
            onward = [t for t in ctx.site.graph.get(p.url, ()) if t != p.url]
            if not onward:
                stuck.append(Evidence(url=p.url, snippet=f.title))
        if not stuck:
            return outcome(1.0, (), {"dead_end_pages": 0})
        return outcome(max(0.3, 1 - 0.1 * len(stuck)),
                       [issue("dead-end", "Page has no link back into the site",
                              "The page links to no other page of the site: a customer who lands on it cannot go on. "
                              "Add the site's menu or at least a link to the home page.",
                              severity="warning", evidence=stuck)], {"dead_end_pages": len(stuck)})


# Fragments that need no element: the top of the page, routes and text fragments.
_NO_TARGET_NEEDED = lazy_compile(r"^(?:top|_top|)$|^[!/]|:~:|=", re.I)


class Anchors(Probe):
    id = "journey.anchors"
    touchpoint = "journey"
    title = "In-page links lead to their section"
    failure_title = "In-page links lead to sections that do not exist"
    description = """
A link to "#prices" scrolls to the element with id "prices"; when the page has none, the
customer clicks and nothing happens (on the same page) or lands at the top of the other page
instead of the section it promised ("/contact/#directions"). Checked: every link with a
fragment on every crawled page, against the ids and named anchors of the page it opens (and
the ids the page's own scripts write); a tab or collapse toggle needs its section too. One
finding per page the links open ("#..." links together), listing the missing sections. Not
checked: "#top" (browsers scroll to the top), routes ("#/about", "#!"), pages built by
JavaScript in static mode, and pages with too many ids to hold.
Score: 1 - 0.1 per finding (floor 0.3).
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        # Each page's ids under every spelling of its URL (as crawled, as fetched, as read).
        anchors_of: dict[str, tuple[str, set[str]]] = {}
        for p in ctx.pages:
            f = p.facts
            if f is None or len(f.anchors) >= 500 or (f.js_shell and ctx.mode != "browser"):
                continue
            ids = {a.lower() for a in f.anchors}
            for u in (p.url, p.final_url, f.url):
                if u:
                    anchors_of[u.split("#", 1)[0]] = (p.url, ids)
        # href as written without its fragment ("" for "#x") -> (missing fragments, evidence)
        groups: dict[str, tuple[dict[str, None], list[Evidence]]] = {}
        for p in ctx.pages:
            f = p.facts
            if f is None:
                continue
            for lk in f.links:
                if not lk.fragment or lk.url is None or lk.control or _NO_TARGET_NEEDED.search(lk.fragment):
                    continue
                known = anchors_of.get(lk.url)
                if known is None:
                    continue  # a page not crawled, not read, or with too many ids
                _target, ids = known
                fragment = unquote(lk.fragment)
                if fragment.lower() in ids:
                    continue
                written = lk.href.strip().split("#", 1)[0]
                missing, ev = groups.setdefault(written, ({}, []))
                missing["#" + fragment] = None
                ev.append(Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>'))
        issues = []
        for written, (missing, ev) in sorted(groups.items()):
            names = ", ".join(list(missing)[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
            if not written:
                issues.append(issue("missing-anchor", f"In-page links lead to no section: {names}",
                                    f"The pages these links are on have no element with the id they name ({names}): "
                                    "clicking them does nothing. Give the section that id, or fix the link.",
                                    severity="warning", key="#", evidence=ev))
            else:
                issues.append(issue("missing-anchor", f"Links to {written} name sections it does not have: {names}",
                                    f"{written} has no element with the id these links name ({names}): they open the "
                                    "top of the page, not the section they promise. Give the section that id, or fix "
                                    "the link.", severity="warning", key=written, evidence=ev))
        return outcome(max(0.3, 1 - 0.1 * len(issues)), issues, {"missing_anchors": sum(len(g[0]) for g in groups.values())})


class Redirects(Probe):
    id = "journey.redirects"
    touchpoint = "journey"
    title = "Links arrive without redirect chains"
    failure_title = "Links pass through redirect chains"
    description = """
Each redirect costs the customer a round trip; chains of two or more slow every click.
Checked: crawled URLs that needed 2+ redirects. Score: 1 - 0.1 per chain (floor 0.5).
"""
    weight = 0.5

    def check(self, ctx: Context) -> Outcome:
        chains = [p for p in ctx.site.pages if len(p.redirects) >= 2]
        if not chains:
            return outcome(1.0)
        return outcome(max(0.5, 1 - 0.1 * len(chains)),
                       [issue("redirect-chain", "Link passes through a redirect chain",
                              "The URL redirects several times before it arrives.", severity="info", key=p.url,
                              evidence=[Evidence(url=p.url, snippet=" -> ".join(p.redirects))]) for p in chains])


class Https(Probe):
    id = "journey.https"
    touchpoint = "journey"
    title = "The site is served over HTTPS"
    failure_title = "The site is served over plain HTTP"
    description = """
Browsers mark plain-HTTP pages "Not secure", and customers leave forms on them. Checked: the
start page's final URL of a live site. Not applicable for local folders and loopback servers.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        host = urlsplit(ctx.site.origin).hostname or ""
        if host in ("127.0.0.1", "localhost", "::1") or host.endswith(".localhost"):
            return Outcome.na("local target")
        if ctx.site.origin.startswith("https://"):
            return outcome(1.0)
        return outcome(0.0, [issue("no-https", "Site is served over plain HTTP", "Serve the site over HTTPS and redirect HTTP to it.",
                                   severity="error", evidence=[Evidence(url=ctx.site.start_url)])])


class JavaScriptShell(Probe):
    id = "journey.js_shell"
    touchpoint = "journey"
    title = "Pages carry their content in HTML"
    failure_title = "Pages are empty without JavaScript"
    description = """
A page whose HTML body is an empty shell filled by JavaScript cannot be judged from its HTML:
in static mode this is reported ("rendered by JavaScript: audit with --render browser") instead
of scoring the site as having no touchpoints. In browser mode the rendered DOM is used.
Score = share of pages with content in their HTML.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        shells = [f for f in pages if f.js_shell]
        if not shells:
            return outcome(1.0, (), {"js_shell_pages": 0})
        if ctx.mode == "browser":
            return outcome(1.0, [issue("js-shell", "Page content is built by JavaScript",
                                       "The HTML is empty until scripts run; search engines and slow phones see nothing at first.",
                                       severity="info", evidence=[Evidence(url=f.url) for f in shells])], {"js_shell_pages": len(shells)})
        return outcome(1 - len(shells) / len(pages),
                       [issue("js-shell", "Page is rendered by JavaScript: audit with --render browser",
                              "The HTML body is an empty shell, so the static audit cannot see its touchpoints.",
                              severity="error", evidence=[Evidence(url=f.url) for f in shells])], {"js_shell_pages": len(shells)})


#: The search engines' own crawlers that decide whether a site is listed: Google's and
#: Bing's (whose index DuckDuckGo, Yahoo and Ecosia show too). A site both are kept off is
#: missing from search; one kept off a single named crawler made a choice.
SEARCH_CRAWLERS = ("Googlebot", "Bingbot")
#: Directives that keep a page out of search results (meta robots, X-Robots-Tag).
_NOINDEX = frozenset({"noindex", "none"})
#: X-Robots-Tag directives written "name: value": not a crawler's name before the colon.
_VALUED_DIRECTIVES = frozenset({"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"})
_WORDS = lazy_compile(r"[\s,]+")


def _noindex_for_search(directives: str, by_crawler: bool) -> bool:
    """True when ``directives`` (a meta robots content, or an X-Robots-Tag header when
    ``by_crawler``) keep a page out of search results for every search crawler: said to
    all crawlers, or to each of :data:`SEARCH_CRAWLERS` by name ("googlebot: noindex")."""
    said: dict[str, set[str]] = {}
    crawler = "*"
    for token in directives.split(","):
        name, colon, rest = token.partition(":")
        if by_crawler and colon and name.strip() and name.strip() not in _VALUED_DIRECTIVES:
            crawler, token = name.strip(), rest
        said.setdefault(crawler, set()).update(w for w in _WORDS.split(token.strip()) if w)
    if said.get("*", set()) & _NOINDEX:
        return True
    return all(said.get(c.lower(), set()) & _NOINDEX for c in SEARCH_CRAWLERS)


def _robots_rules_for(robots: RobotsTxt, url: str) -> list[str]:
    """The ``Disallow`` lines of the groups the search crawlers follow that, alone, would
    keep them off ``url``: the evidence, "line 2: Disallow: /"."""
    agents: list[str] = []
    group_open = False
    out = []
    followed = {"*", *(c.lower() for c in SEARCH_CRAWLERS)}
    for n, line in robots.lines():
        field, _colon, value = line.partition(":")
        field = field.strip().lower()
        if field == "user-agent":
            if not group_open:
                agents = []
            group_open = True
            agents.append(value.strip().lower())
            continue
        group_open = False
        if field == "disallow" and value.strip() and followed & set(agents):
            alone = RobotsTxt(url=robots.url, text=f"User-agent: *\nDisallow: {value.strip()}\n")
            if not alone.allows(url):
                out.append(f"line {n}: {line}")
    return out


class SearchListing(Probe):
    id = "journey.search_listing"
    touchpoint = "journey"
    title = "Search engines may list the site"
    failure_title = "The site tells search engines not to list it"
    description = """
Most customers arrive from a search engine; a site search engines are told to keep away from
is missing from their results, and nobody who searches for the company finds it. The usual
cause is a release mistake: the staging site's robots.txt (`User-agent: *` with
`Disallow: /`) or its `<meta name="robots" content="noindex">` shipped with the live site.
Checked on every target (a folder or file is checked before it is deployed; its robots.txt
never stops the audit):

- robots.txt, read as search engines read it (RFC 9309): the group naming the crawler, else
  the `User-agent: *` group; the longest matching rule wins and `Allow` wins a tie (so
  `Disallow: /` with `Allow: /$`, or with `Allow: /index.html` as Google reads it, leaves
  the start page open); an empty `Disallow:` allows everything. An error when it keeps
  Googlebot and Bingbot alike off the start page; a warning when it leaves them the start
  page only. Rules that shut out one named crawler, or every crawler but Googlebot and
  Bingbot, are a choice, not a finding;
- the start page's `<meta name="robots">` and `X-Robots-Tag` header: an error for `noindex`
  or `none`, said to every crawler or to Googlebot and Bingbot alike.

Fix: remove the staging rules before going live (a live site's robots.txt usually allows
everything: `User-agent: *` and an empty `Disallow:`). Score: 1 when search engines may list
the site, 0.5 when robots.txt leaves them only the start page, 0 otherwise.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        site = ctx.site
        start = site.start_url
        issues = []
        blocked_by: list[str] = []
        score = 1.0
        robots = site.robots
        if robots is not None:
            def shut_out(url: str) -> bool:
                return not any(robots.allows(url, c) for c in SEARCH_CRAWLERS)

            def rules_for(url: str) -> str:
                return ("; ".join(_robots_rules_for(robots, url)) or robots.text.strip())[:300]

            others = [p.url for p in site.pages if (p.ok or p.error == "robots") and p.url != start]
            all_others_shut = bool(others) and all(shut_out(u) for u in others)
            if shut_out(start):
                blocked_by.append("robots.txt")
                everything = all_others_shut or not others
                issues.append(issue(
                    "robots-shuts-out",
                    "robots.txt shuts search engines out of the site" if everything
                    else "robots.txt keeps search engines off the start page",
                    "robots.txt tells Googlebot and Bingbot not to crawl the start page"
                    + (" or any other page audited" if all_others_shut else "")
                    + f", so search engines will not list {'the site' if everything else 'its home page'}. Rules "
                      "written for a staging site are the usual cause: before going live, remove the Disallow rule "
                      "that covers it (a site open to search has `User-agent: *` and an empty `Disallow:`).",
                    severity="error", key="robots", evidence=[Evidence(url=robots.url, snippet=rules_for(start))]))
                score = 0.0
            elif all_others_shut:
                issues.append(issue(
                    "robots-start-page-only", "robots.txt keeps search engines off every page but the start page",
                    f"robots.txt lets Googlebot and Bingbot crawl the start page only: none of the other {len(others)} "
                    "pages audited can appear in search results. If the rest of the site is meant to be found, remove "
                    "the Disallow rule that covers it.",
                    severity="warning", key="robots", evidence=[Evidence(url=robots.url, snippet=rules_for(others[0]))]))
                score = 0.5
        page = site.page(start)
        f = page.facts if page is not None else None
        if f is not None:
            evidence = []
            if _noindex_for_search(f.meta_robots, by_crawler=False):
                blocked_by.append("meta robots")
                evidence.append(Evidence(url=start, selector='meta[name="robots"]',
                                         snippet=f'<meta name="robots" content="{f.meta_robots}">'))
            if _noindex_for_search(f.robots_header, by_crawler=True):
                blocked_by.append("X-Robots-Tag")
                evidence.append(Evidence(url=start, snippet=f"X-Robots-Tag: {f.robots_header}"))
            if evidence:
                what = " and ".join(w for w, said in (("robots meta tag", "meta robots" in blocked_by),
                                                      ("X-Robots-Tag header", "X-Robots-Tag" in blocked_by)) if said)
                issues.append(issue(
                    "noindex", "The start page asks search engines not to list it",
                    f"The start page's {what} {'say' if len(evidence) > 1 else 'says'} noindex, so search engines drop "
                    "it from their results. A staging setting shipped with the live site is the usual cause: remove the "
                    "noindex before going live.",
                    severity="error", key="noindex", evidence=evidence))
                score = 0.0
        return outcome(score, issues, {"search_blocked_by": blocked_by})


#: Clicks a journey may take before it counts as long, when no max_clicks is configured.
JOURNEY_CLICKS = 3


def _journey_counts(j: Journey) -> bool:
    """A configured journey always counts; a default one when its destination exists (a
    missing page is its own touchpoint's finding, and a dead link to it the dead-link probes').
    A journey that could not be judged (``not_checked``: a menu or footer built by a script
    in static mode) does not count."""
    broke = j.broken_at
    if not j.reached and broke is not None and broke.reason == "not_checked":
        return False
    return not j.default or j.target is not None


class Journeys(Probe):
    id = "journey.journeys"
    touchpoint = "journey"
    title = "Customer journeys are reached in a few clicks"
    failure_title = "Customer journeys break or take many clicks"
    description = """
Customers come for something: to see the prices, reach a human, get help, read the terms. The
journeys are walked from the start page, as a customer clicks: the default ones (pricing,
contact, support, policies, feedback) or those configured with `[[journey]]`, each over the
navigation, the footer and any link, and in browser mode by really clicking at desktop and
phone size (opening the phone menu). Counted: every configured journey, and each default
journey whose destination exists. Each scores 1 when reached within its max_clicks (3 when
none is set), 0.5 when it takes more clicks, or when it is reached on a desktop but not on a
phone, 0 when it breaks (a link that goes nowhere, an error page, words not on the page, a
menu that does not open). Score: the mean; not applicable when no journey counts. Fix the
link where the journey breaks (the finding names it), or link the page from the navigation.
See docs/journeys.md.
"""
    weight = 2
    requires = ("site", "journeys")

    def check(self, ctx: Context) -> Outcome:
        journeys = [j for j in ctx.journeys or () if isinstance(j, Journey)]
        facts = {"journeys_walked": len(journeys), "journeys_reached": sum(j.reached for j in journeys)}
        counted = [j for j in journeys if _journey_counts(j)]
        if not counted:
            return Outcome.na("no journey leads to a page the site has", facts)
        values = []
        issues = []
        for j in counted:
            best = j.best
            phone = j.routes.get("mobile_menu")
            if best is None:
                values.append(0.0)
                broke = j.broken_at
                where = broke.url if broke and broke.url else ctx.site.start_url
                detail = broke.detail if broke else "it is not reached"
                issues.append(issue(
                    "journey-broken", f"The {j.name} journey breaks", f"Journey '{j.name}' ({j.title}, steps: "
                    f"{' → '.join(j.steps)}) is not reached from the start page: {detail}.",
                    severity="error" if j.must_reach and j.level == "error" else "warning", key=j.name,
                    evidence=[Evidence(url=where, selector=broke.selector if broke else "",
                                       snippet=broke.link if broke else "")]))
                continue
            limit = j.max_clicks if j.max_clicks is not None else JOURNEY_CLICKS
            clicks = best.clicks or 0
            if phone is not None and not phone.reached and phone.broken_at is not None \
                    and phone.broken_at.reason != "not_checked":
                values.append(0.5)
                broke = phone.broken_at
                issues.append(issue(
                    "journey-phone", f"The {j.name} journey breaks on a phone",
                    f"Journey '{j.name}' takes {clicks} click{'' if clicks == 1 else 's'} on a desktop, but on a phone "
                    f"it breaks: {broke.detail}.", key=j.name,
                    evidence=[Evidence(url=broke.url or ctx.site.start_url, selector=broke.selector, snippet=broke.link)]))
            elif clicks > limit:
                values.append(0.5)
                issues.append(issue(
                    "journey-long", f"The {j.name} journey takes {clicks} clicks",
                    f"Journey '{j.name}' ({j.title}) takes {clicks} clicks from the start page "
                    f"({' → '.join(h.text or h.to for h in best.hops)}); at most {limit} keep customers on the road: "
                    "link the page from the navigation.", key=j.name,
                    evidence=[Evidence(url=h.url, selector=h.selector, snippet=h.text) for h in best.hops[:1]]))
            else:
                values.append(1.0)
        return outcome(sum(values) / len(values), issues, facts)


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (BrokenLinks, DeadLinks, Reachability, DeadEnds, Anchors, Redirects, Https, JavaScriptShell, SearchListing,
                Journeys):
        register(cls())
