"""What walking a journey found: its routes, each click, and where and why it broke."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Routes a journey is measured over. Static mode: ``nav`` (header and navigation
#: links only), ``footer`` (footer links only), ``in_page`` (any link). Browser mode adds
#: ``desktop`` (clicked at desktop size) and ``mobile_menu`` (clicked at phone size,
#: opening the menu the way a customer does).
STATIC_ROUTES = ("nav", "footer", "in_page")
BROWSER_ROUTES = ("desktop", "mobile_menu")
ROUTES = (*STATIC_ROUTES, *BROWSER_ROUTES)

#: Why a journey broke.
REASONS = {
    "not_found": "the site has no such page (none was found in the crawl)",
    "unreachable": "no link of this route leads there",
    "dead_link": "the link goes nowhere (#, empty, javascript:)",
    "http_error": "the link leads to an error page",
    "off_site": "the link leaves the site",
    "destructive": "the link would change something (log out, delete, add to cart); it is never followed",
    "link_not_found": "no link with these words is on the page",
    "not_fetched": "the page lies beyond the crawl's limits",
    "menu_closed": "the link is hidden in a phone menu that does not open",
    "not_checked": "the phone menu did not open while scripts or styles from another site did not load during the "
                   "audit, or (static mode) the pages build their menu, header or footer with a script; a "
                   "customer's browser may show the link, so the route is not judged",
    "hidden": "the link is on the page but not visible, and no menu shows it",
    "click_failed": "clicking the link did not lead to the page",
    "timeout": "the page did not load in time",
}


@dataclass(frozen=True)
class Hop:
    """One click of a route."""

    #: The page the click is made on.
    url: str
    #: The page it leads to.
    to: str
    #: The link's words.
    text: str
    #: Where the link sits: header, nav, main, footer; "menu" when it was clicked in the
    #: phone menu, opened for it.
    region: str = ""
    #: CSS-like selector of the link.
    selector: str = ""
    #: Seconds from the click to the next page loaded (browser mode), else None.
    seconds: float | None = None
    #: The journey step (0-based) this click serves.
    step: int = 0


@dataclass(frozen=True)
class Break:
    """Where and why a route of a journey broke."""

    #: One of :data:`REASONS`.
    reason: str
    #: The page the customer was on (None when the journey could not start).
    url: str | None = None
    #: The step (0-based) that could not be done.
    step: int | None = None
    #: The link's words, when a link is to blame.
    link: str = ""
    #: Its selector.
    selector: str = ""
    #: The target's HTTP status (http_error), else None.
    status: int | None = None
    #: One line for people.
    detail: str = ""
    #: Screenshot of the page where it broke (browser mode), else None.
    screenshot: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Its ``broken_at`` entry in the report."""
        return {"reason": self.reason, "url": self.url, "step": self.step, "link": self.link,
                "selector": self.selector, "status": self.status, "detail": self.detail,
                "screenshot": self.screenshot}


@dataclass(frozen=True)
class Route:
    """One route of a journey: reached or not, its clicks and path, where it broke."""

    #: One of :data:`ROUTES`.
    name: str
    #: True when the journey's last step was reached this way.
    reached: bool
    #: The clicks it takes (None when not reached).
    clicks: int | None = None
    #: The pages walked through, the start page first (up to where it broke).
    path: tuple[str, ...] = ()
    #: Each click.
    hops: tuple[Hop, ...] = ()
    #: Where and why it broke (None when reached).
    broken_at: Break | None = None
    #: Seconds the whole walk took (browser mode), else None.
    seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Its entry in a journey's ``routes`` in the report."""
        return {"reached": self.reached, "clicks": self.clicks, "path": list(self.path),
                "links": [{"url": h.url, "to": h.to, "text": h.text, "region": h.region, "selector": h.selector,
                           **({"seconds": h.seconds} if h.seconds is not None else {})} for h in self.hops],
                "broken_at": self.broken_at.as_dict() if self.broken_at else None,
                **({"seconds": self.seconds} if self.seconds is not None else {})}


@dataclass(frozen=True)
class Journey:
    """A journey as walked: every route measured, the best one, and its gates."""

    #: Its name.
    name: str
    #: What the customer wants ("Reach a human").
    title: str
    #: Its steps as they read (``contact``, ``link "Start free trial"``).
    steps: tuple[str, ...]
    #: True for a default journey.
    default: bool
    #: Route name -> what it found (routes not measured in this mode are absent).
    routes: dict[str, Route] = field(default_factory=dict)
    #: The page the journey ends on when it is reached, else its destination when known.
    target: str | None = None
    #: Gate: the best route takes at most this many clicks (None: no such gate).
    max_clicks: int | None = None
    #: Gate: the journey must be reached.
    must_reach: bool = False
    #: The gates' level: "error" or "warn".
    level: str = "error"

    @property
    def clicked(self) -> bool:
        """True when a browser clicked the journey through (browser mode): then only the
        browser's routes decide whether, and in how many clicks, it is reached."""
        return any(r in self.routes for r in BROWSER_ROUTES)

    @property
    def best(self) -> Route | None:
        """The reached route with the fewest clicks (the first in :data:`ROUTES` order on a
        tie), among the browser's routes when the journey was clicked through."""
        pool = BROWSER_ROUTES if self.clicked else STATIC_ROUTES
        reached = [self.routes[r] for r in pool if r in self.routes and self.routes[r].reached]
        return min(reached, key=lambda r: r.clicks or 0) if reached else None

    @property
    def reached(self) -> bool:
        """True when some route reaches the journey's last step."""
        return self.best is not None

    @property
    def broken_at(self) -> Break | None:
        """Where the journey broke: that of the desktop walk when it was clicked through, else
        of the any-link route (the best a customer can do statically), else of the first
        route that broke."""
        if self.reached:
            return None
        for name in ("desktop", "mobile_menu", "in_page", *ROUTES) if self.clicked else ("in_page", *ROUTES):
            r = self.routes.get(name)
            if r is not None and r.broken_at is not None:
                return r.broken_at
        return None

    def as_dict(self) -> dict[str, Any]:
        """The entry of the report's ``journeys`` list."""
        best = self.best
        seconds = self.routes["desktop"].seconds if "desktop" in self.routes else None
        broken = self.broken_at
        return {
            "name": self.name, "title": self.title, "default": self.default, "steps": list(self.steps),
            "reached": best is not None, "clicks": best.clicks if best else None,
            "path": list(best.path) if best else [], "route": best.name if best else None,
            "target": self.target, "seconds": seconds,
            "broken_at": broken.as_dict() if broken else None,
            "routes": {name: (self.routes[name].as_dict() if name in self.routes else None) for name in ROUTES},
            "gates": {"max_clicks": self.max_clicks, "must_reach": self.must_reach, "level": self.level},
        }
