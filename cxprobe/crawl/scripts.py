"""A site's own scripts, read once per crawl: what they do to its pages' links.

A page's HTML is not all a customer meets: its scripts load a header and a footer from
partial files, write a footer with ``innerHTML``, send the visitor on with
``location.href``, and handle clicks on ``#`` links. The crawl reads the site's own
script files (same origin, not a library: nothing under ``vendor/``, ``lib/``,
``node_modules/``..., no jQuery or Bootstrap, nothing larger than :data:`MAX_SCRIPT_BYTES`)
with :func:`cxprobe.document.scripts.read_script`, never running them, and:

- adds the links of loaded partials and script-written HTML to the page's links, so the
  crawl follows them and the link graph holds them (a site whose menu is a fetched
  ``partials/header.html`` is not a site of orphans);
- records the pages scripts and forms send visitors to, and the partials they load, in
  :attr:`cxprobe.model.Site.script_urls`;
- settles the page's ``#`` links a script handles as controls
  (:func:`cxprobe.document.controls.settle_bound`).

Every bound of the crawl holds: scope, robots.txt, the deadline, the request counter;
at most :data:`MAX_SCRIPTS` scripts and :data:`MAX_INCLUDES` partials per crawl.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from .. import urls
from ..document import ExtractionFailure, extract_page
from ..document.scripts import ScriptReading, merge, read_script
from ..model import PageFacts
from .fetch import Fetcher

#: Script files read per crawl, and partials fetched per crawl.
MAX_SCRIPTS = 40
MAX_INCLUDES = 40
#: A script larger than this is a library, not the site's own code.
MAX_SCRIPT_BYTES = 256 * 1024
#: Where libraries live, and the libraries themselves: read, they would "handle" every
#: class name a template uses.
_LIBRARY_PATH = re.compile(
    r"/(?:vendors?|libs?|node_modules|bower_components|third[-_]?party|plugins|packages|dist/vendor)/|"
    r"(?:^|/)(?:jquery|bootstrap|popper|swiper|slick|owl\.carousel|aos|gsap|lenis|glightbox|lightbox|fancybox|isotope|"
    r"masonry|wow|lodash|underscore|moment|chart|three|leaflet|mapbox|purecounter|typed|waypoints|counterup|"
    r"imagesloaded|tiny-slider|splide|alpine|vue|react|react-dom|angular|htmx|fontawesome|all\.min|modernizr|"
    r"photoswipe|magnific|scrollreveal|particles|parallax|jarallax|easing|validate|select2|flatpickr|sweetalert|"
    r"toastr|axios|anime|headroom|smooth-scroll|sticky|tailwind|gtag|analytics|recaptcha)[\w.-]*\.js$", re.I)
_DOCUMENT_TAG = re.compile(rb"<(?:html|head|body)[\s>/]", re.I)


def _join(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``, canonical, or None when it is no http(s) URL."""
    try:
        joined = urls.join(base, href)
        return urls.canonical(joined) if urls.is_http(joined) else None
    except ValueError:
        return None


def is_library(url: str) -> bool:
    """True for a script URL that is a library (by folder or file name)."""
    return bool(_LIBRARY_PATH.search(urlsplit(url).path))


def include_candidates(page_url: str, pattern: str, known: Iterable[str]) -> list[str]:
    """The URLs a partial pattern may name for a page (``*`` is a part computed at run time).

    A pattern without ``*`` is one URL, resolved against the page as a browser would. With
    ``*``, the site's known files (a folder's HTML files, a sitemap) that match it: the
    pattern without its computed parts when that is one of them, else those in the page's
    own folder, else any (two at most); with no known files, the pattern without its
    computed parts.
    """
    literal = _join(page_url, pattern.replace("*", ""))
    known = list(known)
    if "*" not in pattern or not known:
        return [literal] if literal else []
    rx = re.compile(".*" + "[^?#]*".join(re.escape(p) for p in pattern.split("*")) + "$")
    matches = [u for u in known if rx.match(u)]
    if literal and literal in matches:
        return [literal]
    page_dir = page_url.rsplit("/", 1)[0] + "/"
    pick = [u for u in matches if u.startswith(page_dir)] or matches
    return sorted(pick, key=lambda u: (u.count("/"), u))[:2]


@dataclass
class SiteScripts:
    """The site's own scripts as the crawl read them, and what they did to its pages."""

    fetcher: Fetcher
    contains: Callable[[str], bool]
    allows: Callable[[str], bool]
    #: The site's known files (a folder's HTML files, the sitemap): partial patterns match them.
    known: tuple[str, ...] = ()
    #: script URL -> its reading (empty when it could not be read or is a library).
    readings: dict[str, ScriptReading] = field(default_factory=dict)
    #: partial URL -> its HTML (None when it could not be read or is a whole document).
    partials: dict[str, bytes | None] = field(default_factory=dict)
    #: URL -> "opened" (a script or form sends visitors there) or "included" (a partial).
    script_urls: dict[str, str] = field(default_factory=dict)
    #: page URL -> the hooks its external scripts bind to clicks.
    binds: dict[str, frozenset[str]] = field(default_factory=dict)

    async def _fetch(self, client: httpx.AsyncClient, url: str) -> bytes | None:
        if not self.contains(url) or not self.allows(url) or self.fetcher.time_left() <= 1:
            return None
        res = await self.fetcher.small(client, url, MAX_SCRIPT_BYTES, self.fetcher.opts.max_redirects)
        if res.error or res.status is None or not 200 <= res.status < 300 or res.cut:
            return None
        if not self.contains(res.url):
            return None
        return res.body

    async def read_pages(self, client: httpx.AsyncClient, pages: Iterable[tuple[str, PageFacts]],
                         concurrency: int, held: Callable[[str], bool] = lambda u: False) -> dict[str, list[str]]:
        """Read the scripts of pages (and the partials they load); the links each page gains.
        ``held`` says which URLs the crawl holds as pages already: whole documents, no partials."""
        pages = list(pages)
        wanted: list[str] = []
        script_urls_of: dict[str, list[str]] = {}
        for url, facts in pages:
            mine = []
            for src in facts.scripts[:30]:
                u = _join(url, src)
                if u is None or is_library(u) or not self.contains(u):
                    continue
                mine.append(u)
                if u not in self.readings and u not in wanted and len(self.readings) + len(wanted) < MAX_SCRIPTS:
                    wanted.append(u)
            script_urls_of[url] = mine
        sem = asyncio.Semaphore(max(1, concurrency))

        async def read_one(u: str) -> tuple[str, ScriptReading]:
            async with sem:
                body = await self._fetch(client, u)
            if body is None:
                return u, ScriptReading()
            return u, read_script(body.decode("utf-8", "replace"))

        for u, reading in await asyncio.gather(*(read_one(u) for u in wanted)):
            self.readings[u] = reading

        gained: dict[str, list[str]] = {}
        partial_wanted: dict[str, list[str]] = {}
        for url, facts in pages:
            external = merge([self.readings[u] for u in script_urls_of.get(url, []) if u in self.readings])
            self.binds[url] = external.binds
            for written in (*external.opens, *facts.opens):
                target = _join(url, written)
                if target:
                    self.script_urls.setdefault(target, "opened")
            links = list(facts.script_links)
            links.extend(t for t in (_join(url, h) for h in external.hrefs
                                     if not h.startswith(("#", "javascript:", "mailto:", "tel:"))) if t)
            gained[url] = links
            for pattern in (*facts.includes, *external.includes):
                for candidate in include_candidates(url, pattern, self.known):
                    partial_wanted.setdefault(candidate, []).append(url)
            if self.known:  # names that only may be partials: the site's own files, no guess fetched
                known = set(self.known)
                for pattern in (*facts.maybe_includes, *external.maybe_includes):
                    for candidate in include_candidates(url, pattern, self.known):
                        if candidate in known:
                            partial_wanted.setdefault(candidate, []).append(url)

        todo = [u for u in partial_wanted if u not in self.partials and not held(u)]
        room = MAX_INCLUDES - len(self.partials)
        if self.known:
            known = set(self.known)
            todo = [u for u in todo if u in known]
        todo = todo[:max(0, room)]

        async def partial_one(u: str) -> tuple[str, bytes | None]:
            async with sem:
                body = await self._fetch(client, u)
            # A partial is a piece of a page; a whole document (a page named in a string) is none.
            return u, body if body is not None and not _DOCUMENT_TAG.search(body[:4096]) else None

        for u, body in await asyncio.gather(*(partial_one(u) for u in todo)):
            self.partials[u] = body
        for partial, loaders in partial_wanted.items():
            body = self.partials.get(partial)
            if not body:
                continue
            self.script_urls[partial] = "included"
            for page_url in loaders:
                # Inserted into the page, its links resolve against the page, not the partial.
                piece = extract_page(page_url, {"content-type": "text/html; charset=utf-8"}, body, (),
                                     budget=self.fetcher.opts.extract_budget,
                                     time_left=max(0.0, self.fetcher.time_left()))
                if isinstance(piece, ExtractionFailure):
                    continue
                gained.setdefault(page_url, []).extend(lk.url for lk in piece.links if lk.url)
        return gained
