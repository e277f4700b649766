"""One pass over the body: visible text per region, links, headings, images, anchors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from bs4 import Comment, Doctype, NavigableString, Tag

from .. import urls
from ..model import Heading, Image, Link
from .clock import Clock
from .tree import (
    _HEADING_NAMES,
    _HINT_PART,
    _SKIPPED_STRINGS,
    BLOCK_TAGS,
    INVISIBLE_TAGS,
    MAX_HEADING,
    SECTIONING,
    TextChunk,
    _block_of,
    _descendants,
    _join_or_none,
    _may_be_link,
    _region_of,
    _Selectors,
    _SubtreeTexts,
    _tokens,
    is_hidden,
    norm,
)


class _Walker:
    """One pass over the body: visible text per region, links, headings, images.

    The walk keeps its own stack: a page may nest elements as deep as it likes (2,000
    nested <div>s is a 22 KB page), and a recursive walk would hit Python's recursion
    limit on it.
    """

    def __init__(self, base: str, budget: Clock, selectors: _Selectors) -> None:
        self.base = base
        self.budget = budget
        self.selector = selectors
        self.chunks: dict[str, list[str]] = {"header": [], "nav": [], "main": [], "footer": []}
        self.links: list[Link] = []
        self.headings: list[Heading] = []
        self.images: list[Image] = []
        self.anchors: list[str] = []
        self.text_regions: list[TextChunk] = []
        #: id(tag) -> region, for tags where a new region starts (forms look it up).
        self.region_starts: dict[int, str] = {}
        #: id(tag) -> its class and id words joined, cut to _HINT_PART (a parent's words
        #: are read once however many links it holds).
        self._hint_words: dict[int, str] = {}
        #: Links (tag, region) and headings (tag, region, hidden) in document order; their
        #: text is read after the walk, innermost first (see _SubtreeTexts).
        self._links: list[tuple[Tag, str]] = []
        self._headings: list[tuple[Tag, str, bool]] = []
        self._texted: list[Tag] = []  # both, in document order

    def walk(self, root: Tag, region: str, in_sectioning: bool, hidden: bool) -> None:
        """Walk the children of ``root``, in document order."""
        chunks = self.chunks
        tick = self.budget.tick
        # A frame: (children left, the element, its region, inside a sectioning element,
        # hidden, its block, the region to close with a line break or None).
        stack: list[tuple[Iterator[Any], Tag, str, bool, bool, Any, str | None]] = [
            (iter(root.children), root, region, in_sectioning, hidden, _block_of(root), None)]
        while stack:
            children, node, region, in_sectioning, hidden, block, _close = frame = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if frame[6] is not None:
                    chunks[frame[6]].append("\n")
                continue
            tick()
            if isinstance(child, NavigableString):
                if isinstance(child, (Comment, Doctype)) or type(child).__name__ in _SKIPPED_STRINGS:
                    continue
                if hidden:
                    continue
                s = str(child)
                if not s.strip():
                    # White space between inline elements still separates words:
                    # "<a>write</a> <a>call</a>" reads "write call", not "writecall".
                    if s:
                        chunks[region].append(" ")
                    continue
                chunks[region].append(s)
                self.text_regions.append((region, s, node, block))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in INVISIBLE_TAGS:
                continue
            tid = child.get("id")
            if isinstance(tid, str) and tid and len(self.anchors) < 500:
                self.anchors.append(tid)
            aname = child.get("name")
            if name == "a" and isinstance(aname, str) and aname and len(self.anchors) < 500:
                self.anchors.append(aname)
            child_hidden = hidden or is_hidden(child)
            new_region = _region_of(child, region, in_sectioning)
            r = new_region or region
            if r != region:
                self.region_starts[id(child)] = r
            if name in ("a", "area") and (child.has_attr("href") or _may_be_link(child)):
                self._links.append((child, r))
                self._texted.append(child)
            elif name == "img":
                src = child.get("src") or child.get("data-src") or ""
                alt = child.get("alt")
                self.images.append(Image(src=str(src), alt=None if alt is None else str(alt)))
            elif name in _HEADING_NAMES:
                self._headings.append((child, r, child_hidden))
                self._texted.append(child)
            if name == "br" and not child_hidden:
                # A line break inside a block ends a line for the scanners too:
                # "Liethberg 17<br>24576 Bad Bramstedt" is not one number.
                self.text_regions.append((r, "\n", node, block))
            is_block = name in BLOCK_TAGS
            if is_block:
                chunks[r].append("\n")
            stack.append((iter(child.children), child, r, in_sectioning or name in SECTIONING, child_hidden,
                          child if is_block else block, r if is_block else None))

    def finish(self) -> None:
        """Read the text of the links and headings the walk found, innermost first, and
        keep them in document order. A heading keeps its first MAX_HEADING characters:
        headings nested in headings (lxml nests what it is given) would each copy the
        text of all the others."""
        texts = _SubtreeTexts(self.budget)
        for tag in reversed(self._texted):  # an element comes after the elements around it
            texts.get(tag)
        for tag, region in self._links:
            text, _complete, image = texts.get(tag)
            if tag.has_attr("href") or text:  # an <a> without href and without words is no link
                self._link(tag, region, text[:200], image)
        for tag, region, hidden in self._headings:
            text = texts.get(tag)[0][:MAX_HEADING]
            if text and not hidden:
                self.headings.append(Heading(level=int(tag.name[1]), text=text, region=region))

    def _words(self, tag: Tag) -> str:
        key = id(tag)
        found = self._hint_words.get(key)
        if found is None:
            found = self._hint_words[key] = " ".join(_tokens(tag))[:_HINT_PART]
        return found

    def _link(self, tag: Tag, region: str, text: str, img: Tag | None) -> None:
        href = str(tag.get("href") or "")
        raw = href.strip()
        if not text:
            for attr in ("aria-label", "title"):
                v = tag.get(attr)
                if isinstance(v, str) and v.strip():
                    text = norm(v)
                    break
        if not text and img is not None:
            text = norm(str(img.get("alt") or ""))
        rel: Any = tag.get("rel") or []
        rel_t = tuple(r.lower() for r in rel) if isinstance(rel, list) else tuple(str(rel).lower().split())
        hints = self._words(tag)
        inner = 0
        for d in _descendants(tag, self.budget):
            if not isinstance(d, Tag):
                continue
            hints += " " + self._words(d)
            for attr in ("name", "data-icon", "aria-label"):
                v = d.get(attr)
                if isinstance(v, str):
                    hints += " " + v[:_HINT_PART].lower()
            inner += 1
            if inner >= 4:
                break
        parent = tag.parent
        if isinstance(parent, Tag):
            hints += " " + self._words(parent)
        selector = self.selector(tag)
        lower = raw.lower()
        dead: str | None = None
        url: str | None = None
        fragment = ""
        scheme = "http"
        target = ""
        if not tag.has_attr("href"):
            dead = "nohref"  # "<a>Privacy Policy</a>": looks like a link, goes nowhere
        elif raw == "":
            dead = "empty"
        elif raw == "#":
            dead = "hash"
        elif lower.startswith("#!"):
            dead = "hashbang"
        elif lower.startswith("javascript:"):
            m = re.search(r"(?:location(?:\.href)?|window\.open)\s*(?:=|\()\s*['\"]([^'\"]+)['\"]", raw)
            url = _join_or_none(self.base, m.group(1)) if m else None
            if url is None:
                dead = "javascript"
        elif lower.startswith("mailto:"):
            scheme = "mailto"
            target = unquote(raw[7:].split("?", 1)[0]).strip().lower()
        elif lower.startswith("tel:") or lower.startswith("callto:"):
            scheme = "tel"
            target = unquote(raw.split(":", 1)[1]).strip()
        elif re.match(r"^[a-z][a-z0-9+.-]*:", lower) and not lower.startswith(("http:", "https:")):
            scheme = "other"
            target = raw
        else:
            url = _join_or_none(self.base, raw)
            if url is None:  # an href no browser can follow (port out of range, broken host)
                scheme, target = "other", raw
        if url is not None:
            if "#" in url:
                url, fragment = url.split("#", 1)
            if not urls.is_http(url):
                scheme, target, url = "other", url, None
        self.links.append(Link(url=url, href=href, text=text[:200], region=region,
                               selector=selector, rel=rel_t, fragment=fragment, dead=dead,
                               scheme=scheme, target=target, hints=hints.strip()[:300]))
