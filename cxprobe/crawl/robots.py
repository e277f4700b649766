"""robots.txt and sitemaps: read once per origin, under the same bounds as pages.

robots.txt is read as RFC 9309 says, before the first request to a page of its origin;
the sitemaps it names (or ``/sitemap.xml``) only seed the crawl with pages no link
reaches. What could not be read becomes a note of the report, never an error of the run.
"""

from __future__ import annotations

import html
import re

import httpx
from protego import Protego

from .. import urls
from ..model import RobotsTxt
from .fetch import Fetcher

#: How much of a robots.txt is read: RFC 9309 asks for a parsing limit of at least
#: 500 KiB; never more than --max-bytes.
ROBOTS_CAP = 512 * 1024
#: Redirects followed for robots.txt (RFC 9309: at least five, across hosts too).
ROBOTS_REDIRECTS = 5
#: Seconds a sitemap may take at most (it only seeds the crawl).
SITEMAP_TIMEOUT = 5.0


class Robots:
    """The robots.txt rules of the site's origin (all allowed with ``--ignore-robots``).

    Read whether honoured or not: what it says to search engines is judged on every
    target (:attr:`read`).
    """

    def __init__(self, fetcher: Fetcher, notes: list[str]) -> None:
        self.fetcher = fetcher
        self.opts = fetcher.opts
        #: The rules read, or None: no robots.txt (everything allowed).
        self.rules: Protego | None = None
        #: Why robots.txt could not be read, as (page error kind, detail); by RFC 9309 an
        #: unreachable robots.txt (5xx, 429, timeout, no connection) allows nothing.
        self.failure: tuple[str, str] | None = None
        #: Where one-line notes for the report go (shared with the crawl).
        self.notes = notes
        #: The robots.txt read (2xx, rules protego could parse), for the Site; else None.
        self.read: RobotsTxt | None = None

    def allows(self, url: str) -> bool:
        """True when cxprobe may fetch ``url``."""
        if self.opts.ignore_robots:
            return True
        if self.failure is not None:
            return False
        if self.rules is None:
            return True
        return bool(self.rules.can_fetch(url, "cxprobe"))

    async def load(self, client: httpx.AsyncClient, origin: str) -> None:
        """Read robots.txt of ``origin`` as RFC 9309 says.

        2xx: its rules (the first 512 KiB, never more than --max-bytes). 4xx, a redirect
        chain longer than five or a loop: unavailable, everything allowed. 5xx, 429, a
        timeout or no connection: unreachable, nothing allowed (:attr:`failure`).
        """
        self.rules = None
        self.failure = None
        self.read = None
        url = origin + "/robots.txt"
        got = await self.fetcher.small(client, url, min(ROBOTS_CAP, self.opts.max_bytes),
                                       min(ROBOTS_REDIRECTS, self.opts.max_redirects))
        if got.error in ("timeout", "connect", "other"):
            # No connection at all to the site's own origin: the site is unreachable, and
            # saying so is more useful than "robots.txt disallows".
            kind = "connect" if got.no_connection and got.hops == 0 else "robots"
            self.failure = (kind, got.detail if kind == "connect" else f"robots.txt could not be read ({got.detail})")
            return
        if got.error is not None:
            self.notes.append(f"robots.txt of {origin} was not read ({got.detail}): every page is allowed")
            return
        if got.status is not None and (got.status >= 500 or got.status == 429):
            self.failure = ("robots", f"robots.txt could not be read (HTTP {got.status})")
            return
        if got.status is None or not 200 <= got.status < 300:
            return  # 4xx (or a 3xx without Location): no robots.txt, everything allowed
        body = got.body
        if got.cut:
            # Parse what fits; a rule cut in half is dropped, not misread.
            body = body[: body.rfind(b"\n") + 1]
            self.notes.append(f"robots.txt of {origin} is larger than {len(got.body)} bytes: "
                              "only the rules within that size were read")
        text = body.decode("utf-8", "replace")
        try:
            self.rules = Protego.parse(text)
        except Exception:  # noqa: BLE001 - a robots.txt protego cannot read is treated as absent
            self.rules = None
            return
        self.read = RobotsTxt(url=url, text=text)

    async def sitemap(self, client: httpx.AsyncClient, origin: str) -> list[str]:
        """The page URLs of the first sitemap that lists any: those robots.txt names, then
        ``/sitemap.xml``; at most three tried, 1,000 entries read, each under its bounds."""
        candidates = []
        if self.rules is not None:
            for listed in self.rules.sitemaps:
                try:
                    candidates.append(urls.join(origin + "/robots.txt", listed))
                except ValueError:  # a broken Sitemap: line is ignored
                    continue
        candidates.append(origin + "/sitemap.xml")
        found: list[str] = []
        for sm in candidates[:3]:
            if not self.fetcher.scope.contains(sm):
                continue
            if self.fetcher.time_left() < 1:
                self.notes.append(f"sitemap {sm} was not read: the run's deadline was less than a second away")
                break
            got = await self.fetcher.small(client, sm, self.opts.max_bytes, self.opts.max_redirects, SITEMAP_TIMEOUT)
            if got.error is not None:
                self.notes.append(f"sitemap {sm} could not be read ({got.detail}): the crawl went on from links")
                continue
            if got.status is None or not 200 <= got.status < 300:
                if got.status is not None and got.status >= 500:
                    self.notes.append(f"sitemap {sm} answered HTTP {got.status}: the crawl went on from links")
                continue
            if got.cut:
                self.notes.append(f"sitemap {sm} is larger than --max-bytes ({self.opts.max_bytes}): "
                                  "only the entries within that size were read")
            text = got.body.decode("utf-8", "replace")
            for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)[:1000]:
                # The protocol wants absolute URLs; a site-relative <loc> is read as browsers
                # read a relative link: against the sitemap's own URL.
                try:
                    loc = urls.join(got.url, html.unescape(loc))
                except ValueError:
                    continue
                if urls.is_http(loc) and urls.is_valid(loc):
                    found.append(loc)
            if found:
                break
        return found
