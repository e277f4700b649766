"""Walk journeys over the static crawl: the fewest clicks, route by route.

The crawl's pages and their links (each with the region it sits in) make three graphs:
``nav`` (links in the header and the navigation), ``footer`` (footer links) and
``in_page`` (any link). A journey's steps are walked in order over one graph at a time,
each step by the fewest clicks from where the customer is (breadth first, links in the
order a customer meets them). Only pages the crawl fetched are walked through, so a
destructive link (log out, delete, add to cart) is never followed, and no form is ever
sent. Where a step cannot be done, :class:`~cxprobe.journeys.model.Break` says where and
why: a link that goes nowhere or to an error page, a link off the site, words that are
not on the page, a page no link of the route reaches, or no such page at all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from .. import urls
from ..crawl.scope import glob_matches
from ..model import NOT_BROKEN_ERRORS, Link, Site
from .model import STATIC_ROUTES, Break, Hop, Journey, Route
from .spec import PAGE_STEPS, STEP_WORDS, JourneySpec, Step

#: Regions whose links make each static route.
ROUTE_REGIONS: dict[str, frozenset[str] | None] = {
    "nav": frozenset({"nav", "header"}),
    "footer": frozenset({"footer"}),
    "in_page": None,
}
#: The order a customer meets links in when several lead to the same page.
_REGION_ORDER = {"nav": 0, "header": 1, "main": 2, "footer": 3}
#: Pages the diagnosis of a broken step looks through, at most.
_DIAGNOSE_PAGES = 200


class LinkMap:
    """The crawl's pages and links, read once for every journey and route."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.ok: set[str] = {p.url for p in site.pages if p.ok}
        self.alias: dict[str, str] = {}
        for p in site.pages:
            self.alias.setdefault(p.url, p.url)
            # A page that redirected is kept under the URL it arrived at: the URLs it was
            # asked for ("contato" -> "contato.html", "/dir" -> "/dir/", http -> https)
            # are spellings of it that links use.
            for spelling in (p.final_url, *p.redirects):
                if not spelling:
                    continue
                try:
                    self.alias.setdefault(urls.canonical(spelling), p.url)
                except ValueError:
                    pass
        self.hosts = set(site.hosts) | {urls.netloc_of(site.origin + "/")} if site.origin else set(site.hosts)
        self._edges: dict[tuple[str, str], list[tuple[str, Link]]] = {}
        self._urls: dict[str, str | None] = {}
        self._kinds: dict[str, tuple[str, str | None]] = {}
        self._read: dict[str, list[tuple[Link, str, str | None]]] = {}
        self._bad: dict[str, list[tuple[Link, str, str | None]]] = {}

    def page_url(self, url: str | None) -> str | None:
        """The crawled page a URL names (its canonical form, redirects folded), or None."""
        if not url:
            return None
        if url in self._urls:
            return self._urls[url]
        try:
            c: str | None = urls.canonical(url.split("#", 1)[0])
        except ValueError:
            c = None
        found = None if c is None else self.alias.get(c, c)
        self._urls[url] = found
        return found

    def script_built(self, url: str, route: str) -> str:
        """Why the links of ``url`` (and the pages the route reaches from it) may be more
        than its HTML shows for this route: a part fetched in or written by a script, or a
        menu, header or footer left empty for one ("" when none of them is). A route over
        the navigation or the footer is judged when the page's HTML has that part's links:
        a script that builds the footer does not excuse a menu that lacks the link."""
        regions = ROUTE_REGIONS[route]
        for u in self.reachable(url, route, limit=20):
            p = self.site.page(u)
            if p is None or p.facts is None:
                continue
            cues = set(p.facts.script_built)
            if regions is not None and any(lk.region in regions for lk in p.facts.links):
                continue  # this part is in the HTML: its links are what a customer gets
            if "include" in cues or "empty-region" in cues:
                return "its pages load parts of themselves with a script (a menu, header or footer)"
            if "document-write" in cues or "empty-root" in cues:
                return "its pages are written by a script"
        return ""

    def links(self, url: str) -> tuple[Link, ...]:
        p = self.site.page(url)
        return p.facts.links if p is not None and p.facts is not None else ()

    def classify(self, lk: Link) -> tuple[str, str | None]:
        """What clicking a link does: ("page", url) for a crawled page, else ("dead" |
        "broken" | "off_site" | "destructive" | "not_fetched" | "other", target or None)."""
        if lk.dead:
            return "dead", None
        if lk.url is None or lk.scheme != "http":
            return "other", None
        known = self._kinds.get(lk.url)
        if known is None:
            known = self._kinds[lk.url] = self._classify(lk)
        return known

    def read(self, url: str) -> list[tuple[Link, str, str | None]]:
        """Every link of a page with what clicking it does: (link, kind, target)."""
        if url not in self._read:
            self._read[url] = [(lk, *self.classify(lk)) for lk in self.links(url)]
        return self._read[url]

    def _classify(self, lk: Link) -> tuple[str, str | None]:
        if lk.dead:
            return "dead", None
        if lk.url is None or lk.scheme != "http":
            return "other", None
        target = self.page_url(lk.url)
        if target is None:
            return "other", None
        if target in self.ok:
            return "page", target
        page = self.site.page(target)
        if page is not None and page.error not in NOT_BROKEN_ERRORS:
            return "broken", target
        if urls.netloc_of(target) not in self.hosts and urls.host_of(target) not in self.hosts:
            return "off_site", target
        if urls.looks_destructive(target):
            return "destructive", target
        if page is None and not urls.looks_non_html(target):
            return "not_fetched", target
        return "other", target

    def bad_links(self, url: str) -> list[tuple[Link, str, str | None]]:
        """The links of a page that do not lead to a page of the site: (link, kind, target)."""
        if url not in self._bad:
            self._bad[url] = [item for item in self.read(url) if item[1] not in ("page", "other")]
        return self._bad[url]

    def next_pages(self, url: str, route: str) -> list[tuple[str, Link]]:
        """[(next page, the link clicked)] from the crawled page ``url`` over a route, one
        link per next page: the first a customer meets (navigation first, then header,
        main, footer). Read when a walk first reaches the page: a walk that finds its
        target a click from the home page reads a few pages of a site of thousands."""
        key = (route, url)
        found = self._edges.get(key)
        if found is not None:
            return found
        found = []
        if url in self.ok:
            regions = ROUTE_REGIONS[route]
            best: dict[str, tuple[int, int, Link]] = {}
            for i, (lk, kind, target) in enumerate(self.read(url)):
                if regions is not None and lk.region not in regions:
                    continue
                if kind != "page" or target is None or target == url:
                    continue
                rank = (_REGION_ORDER.get(lk.region, 9), i)
                if target not in best or rank < best[target][:2]:
                    best[target] = (*rank, lk)
            found = [(t, lk) for t, (_r, _i, lk) in sorted(best.items(), key=lambda kv: kv[1][:2])]
        self._edges[key] = found
        return found

    def shortest(self, source: str, targets: set[str], route: str) -> list[Hop] | None:
        """The fewest clicks from ``source`` to any of ``targets`` over a route ([] when
        already there), or None when no link of the route leads there."""
        if source in targets:
            return []
        parent: dict[str, tuple[str, Link]] = {}
        seen = {source}
        queue = deque([source])
        while queue:
            u = queue.popleft()
            for v, lk in self.next_pages(u, route):
                if v in seen:
                    continue
                seen.add(v)
                parent[v] = (u, lk)
                if v in targets:
                    hops: list[Hop] = []
                    cur = v
                    while cur != source:
                        prev, link = parent[cur]
                        hops.append(Hop(url=prev, to=cur, text=link.text, region=link.region, selector=link.selector))
                        cur = prev
                    return hops[::-1]
                queue.append(v)
        return None

    def reachable(self, source: str, route: str, limit: int = _DIAGNOSE_PAGES) -> list[str]:
        """Pages a route reaches from ``source``, nearest first (``source`` first)."""
        order = [source]
        seen = {source}
        for u in order:
            if len(order) >= limit:
                break
            for v, _lk in self.next_pages(u, route):
                if v not in seen:
                    seen.add(v)
                    order.append(v)
        return order[:limit]


def _status_words(lm: LinkMap, target: str | None) -> tuple[int | None, str]:
    page = lm.site.page(target) if target else None
    if page is None:
        return None, "an error page"
    if page.status:
        return page.status, f"HTTP {page.status}"
    return None, page.error or "an error"


def _link_break(lm: LinkMap, kind: str, target: str | None, lk: Link, at: str, step: int) -> Break:
    """The break of clicking ``lk`` on page ``at``, for a link that does not lead to a page."""
    words = lk.text or lk.href or "(a link without words)"
    if kind == "dead":
        return Break("dead_link", url=at, step=step, link=lk.text, selector=lk.selector,
                     detail=f"the link {words!r} goes nowhere (href {lk.href!r})")
    if kind == "broken":
        status, what = _status_words(lm, target)
        return Break("http_error", url=at, step=step, link=lk.text, selector=lk.selector, status=status,
                     detail=f"the link {words!r} leads to {target} ({what})")
    if kind == "off_site":
        return Break("off_site", url=at, step=step, link=lk.text, selector=lk.selector,
                     detail=f"the link {words!r} leaves the site for {target}")
    if kind == "destructive":
        return Break("destructive", url=at, step=step, link=lk.text, selector=lk.selector,
                     detail=f"the link {words!r} ({target}) would change something; it is not followed")
    if kind == "not_fetched":
        return Break("not_fetched", url=at, step=step, link=lk.text, selector=lk.selector,
                     detail=f"the link {words!r} leads to {target}, beyond the crawl's limits")
    return Break("link_not_found", url=at, step=step, link=lk.text, selector=lk.selector,
                 detail=f"the link {words!r} does not lead to a page of the site")


def _diagnose(lm: LinkMap, at: str, step: Step, index: int, route: str, wanted: set[str]) -> Break | None:
    """Why a touchpoint or URL step cannot be reached from ``at``: the nearest link of the
    route that says it goes there (its words, or its target) but is dead or broken."""
    words = STEP_WORDS.get(step.value) if step.kind == "touchpoint" else None
    regions = ROUTE_REGIONS[route]
    for url in lm.reachable(at, route):
        for lk, kind, target in lm.bad_links(url):
            if regions is not None and lk.region not in regions:
                continue
            # A link off the site or beyond the crawl's limits that merely says "Help" may
            # well reach help: only a link that goes nowhere, to an error page or that
            # would change something breaks the journey by its words.
            says = bool(words and lk.text and len(lk.text) <= 60 and kind in ("dead", "broken", "destructive")
                        and words.search(lk.text))
            goes = target is not None and (target in wanted or (step.kind == "url" and glob_matches(target, step.value)))
            if says or goes:
                return _link_break(lm, kind, target, lk, url, index)
    return None


def _worded(lm: LinkMap, hop: Hop, step: Step, route: str) -> Hop:
    """The last click of a step by the link that says where it goes ("Contact" rather than
    "Get a quote"), when the page has one of the route to the same page."""
    words = STEP_WORDS.get(step.value)
    if words is None or words.search(hop.text):
        return hop
    regions = ROUTE_REGIONS[route]
    for lk, kind, target in lm.read(hop.url):
        if (kind == "page" and target == hop.to and lk.text and len(lk.text) <= 60 and words.search(lk.text)
                and (regions is None or lk.region in regions)):
            return replace(hop, text=lk.text, region=lk.region, selector=lk.selector)
    return hop


def step_targets(lm: LinkMap, step: Step, facts: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """The crawled pages a touchpoint or URL step may end on (empty when there is none)."""
    if step.kind == "url":
        return {u for u in lm.ok if glob_matches(u, step.value)}
    touchpoint, keys = PAGE_STEPS[step.value]
    if not touchpoint:
        start = lm.page_url(lm.site.start_url)
        return {start} if start in lm.ok else set()
    tp = facts.get(touchpoint) or {}
    for key in keys:
        page = lm.page_url(tp.get(key)) if isinstance(tp.get(key), str) else None
        if page is not None and page in lm.ok:
            return {page}
    return set()


def _off_site_page(lm: LinkMap, step: Step, facts: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The page a touchpoint found on another site (a help centre on its own host), or None."""
    if step.kind != "touchpoint":
        return None
    touchpoint, keys = PAGE_STEPS[step.value]
    tp = facts.get(touchpoint) or {}
    for key in keys:
        url = tp.get(key)
        if isinstance(url, str) and urls.is_http(url) and urls.netloc_of(url) not in lm.hosts \
                and urls.host_of(url) not in lm.hosts:
            return url
    return None


def walk_route(lm: LinkMap, spec: JourneySpec, route: str, facts: Mapping[str, Mapping[str, Any]]) -> Route:
    """Walk one journey over one static route."""
    start = lm.page_url(lm.site.start_url) or lm.site.start_url
    pos = start
    hops: list[Hop] = []

    def broken(why: Break) -> Route:
        return Route(name=route, reached=False, path=(start, *(h.to for h in hops)), hops=tuple(hops), broken_at=why)

    if start not in lm.ok:
        return broken(Break("not_found", url=start, step=0, detail="the start page could not be loaded"))
    for i, step in enumerate(spec.steps):
        if step.kind == "link":
            found = [lk for lk in lm.links(pos) if lk.text and step.matches_text(lk.text)]
            if not found:
                return broken(Break("link_not_found", url=pos, step=i,
                                    detail=f"no link reads {step.value!r} on this page"))
            kinds = [(lk, *lm.classify(lk)) for lk in found]
            good = next(((lk, t) for lk, k, t in kinds if k == "page"), None)
            if good is None:
                lk, kind, target = kinds[0]
                return broken(_link_break(lm, kind, target, lk, pos, i))
            lk, target = good
            assert target is not None
            hops.append(Hop(url=pos, to=target, text=lk.text, region=lk.region, selector=lk.selector, step=i))
            pos = target
            continue
        wanted = step_targets(lm, step, facts)
        elsewhere = _off_site_page(lm, step, facts) if not wanted else None
        if elsewhere:
            return broken(Break("off_site", url=pos, step=i,
                                detail=f"the {step.value} page is on another site ({elsewhere}); journeys are walked "
                                       "within the site"))
        if not wanted:
            why = _diagnose(lm, pos, step, i, route, set())
            what = f"no page matches {step.value}" if step.kind == "url" else f"no {step.value} page was found"
            return broken(why or Break("not_found", url=pos, step=i, detail=f"{what} on the site"))
        chain = lm.shortest(pos, wanted, route)
        if chain is None:
            why = _diagnose(lm, pos, step, i, route, wanted)
            dest = sorted(wanted)[0]
            links = {"nav": "navigation or header link", "footer": "footer link", "in_page": "link"}[route]
            if why is None and (built := lm.script_built(pos, route)):
                return broken(Break("not_checked", url=pos, step=i,
                                    detail=f"no {links} leads from here to {dest} in the HTML, but {built}, which "
                                           "static mode does not run: audit with --render browser to walk it"))
            return broken(why or Break("unreachable", url=pos, step=i,
                                       detail=f"no {links} leads from here to {dest}"))
        if chain and step.kind == "touchpoint":
            chain[-1] = _worded(lm, chain[-1], step, route)
        hops.extend(replace(h, step=i) for h in chain)
        pos = chain[-1].to if chain else pos
    return Route(name=route, reached=True, clicks=len(hops), path=(start, *(h.to for h in hops)), hops=tuple(hops))


def destination(lm: LinkMap, spec: JourneySpec, facts: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The page a journey's last touchpoint or URL step names, when there is one."""
    for step in reversed(spec.steps):
        if step.kind != "link":
            wanted = step_targets(lm, step, facts)
            return sorted(wanted)[0] if wanted else None
    return None


def walk_static(site: Site, specs: Iterable[JourneySpec], facts: Mapping[str, Mapping[str, Any]]) -> list[Journey]:
    """Walk every journey over every static route.

    ``facts``: touchpoint id -> its facts (``touchpoints.<id>.facts`` of the report),
    where each touchpoint says which page it found.
    """
    lm = LinkMap(site)
    out = []
    for spec in specs:
        routes = {r: walk_route(lm, spec, r, facts) for r in STATIC_ROUTES}
        best = [routes[r] for r in STATIC_ROUTES if routes[r].reached]
        end = min(best, key=lambda r: r.clicks or 0).path[-1] if best else destination(lm, spec, facts)
        out.append(Journey(name=spec.name, title=spec.title or spec.name, steps=tuple(s.label for s in spec.steps),
                           default=spec.default, routes=routes, target=end, max_clicks=spec.max_clicks,
                           must_reach=spec.must_reach, level=spec.level))
    return out
