"""One pass over the body: visible text per region, links, headings, images, anchors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from bs4 import Comment, Doctype, NavigableString, Tag

from .. import urls
from ..model import Heading, Image, Link
from .clock import Clock
from .controls import control_of, hooks_of
from .tree import (
    _HEADING_NAMES,
    _HINT_PART,
    _SKIPPED_STRINGS,
    BLOCK_TAGS,
    INVISIBLE_TAGS,
    MAX_HEADING,
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
    sectioning,
)

#: Elements whose text is not read but which a customer sees, so an in-page link can land on them.
_SHOWN_BLOCKS = frozenset({"iframe", "svg", "object", "canvas", "select", "textarea"})
#: The elements that open a region by their name alone (:func:`_region_of`); any other
#: element without attributes opens none.
_LANDMARKS = frozenset({"nav", "header", "footer", "main"})
#: Attributes that load an HTML piece into the element (w3.js, include-html and the like).
_INCLUDE_ATTRS = frozenset({"w3-include-html", "include-html", "data-include", "data-include-html", "data-html-include"})


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
        #: HTML pieces include attributes load into the page (w3-include-html="nav.html").
        self.includes: list[str] = []
        self.text_regions: list[TextChunk] = []
        #: id(tag) -> region, for tags where a new region starts (forms look it up).
        self.region_starts: dict[int, str] = {}
        #: id(tag) -> its class and id words joined, cut to _HINT_PART (a parent's words
        #: are read once however many links it holds).
        self._hint_words: dict[int, str] = {}
        #: id(element) -> whether it holds a submenu (read once per element; see controls).
        self._submenu_memo: dict[int, bool] = {}
        #: Links (tag, region) and headings (tag, region, hidden) in document order; their
        #: text is read after the walk, innermost first (see _SubtreeTexts).
        self._links: list[tuple[Tag, str]] = []
        #: Elements other than links whose onclick navigates: (tag, region, destination as written).
        self._onclick: list[tuple[Tag, str, str]] = []
        self._headings: list[tuple[Tag, str, bool]] = []
        self._texted: list[Tag] = []  # both, in document order

    def walk(self, root: Tag, region: str, in_sectioning: int, hidden: bool) -> None:
        """Walk the children of ``root``, in document order."""
        chunks = self.chunks
        tick = self.budget.tick
        # A frame: (children left, the element, its region, the sectioning bits (main,
        # sectioning content, article), hidden, its block, the region to close with a line
        # break or None).
        stack: list[tuple[Iterator[Any], Tag, str, int, bool, Any, str | None]] = [
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
            # Tag.get and has_attr are the attribute dict's get and "in"; read directly.
            attrs = child.attrs
            if name in INVISIBLE_TAGS:
                if name in _SHOWN_BLOCKS:  # a map iframe or a chart is a section a link can name
                    tid = attrs.get("id")
                    if isinstance(tid, str) and tid and len(self.anchors) < 500:
                        self.anchors.append(tid)
                continue
            if attrs:
                tid = attrs.get("id")
                if isinstance(tid, str) and tid and len(self.anchors) < 500:
                    self.anchors.append(tid)
                aname = attrs.get("name")
                if name == "a" and isinstance(aname, str) and aname and len(self.anchors) < 500:
                    self.anchors.append(aname)
                if len(self.includes) < 20:
                    for attr in attrs:
                        if attr in _INCLUDE_ATTRS:
                            included = attrs.get(attr)
                            if isinstance(included, str) and included.strip():
                                self.includes.append(included.strip())
                child_hidden = hidden or is_hidden(child)
                new_region = _region_of(child, region, in_sectioning)
            else:
                # Most elements have no attributes (paragraphs, list items, emphasis): such
                # an element hides nothing, and only a landmark's name opens a region.
                child_hidden = hidden
                new_region = _region_of(child, region, in_sectioning) if name in _LANDMARKS else None
            r = new_region or region
            if r != region:
                self.region_starts[id(child)] = r
            if name in ("a", "area") and ("href" in attrs or _may_be_link(child)):
                self._links.append((child, r))
                self._texted.append(child)
            elif "onclick" in attrs and not child_hidden:
                went = _navigation(str(attrs.get("onclick") or ""))
                if went is not None:
                    self._onclick.append((child, r, went))
                    self._texted.append(child)
            elif name == "img":
                src = attrs.get("src") or attrs.get("data-src") or ""
                alt = attrs.get("alt")
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
            stack.append((iter(child.children), child, r, sectioning(in_sectioning, name), child_hidden,
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
        for tag, region, went in self._onclick:
            text, _complete, image = texts.get(tag)
            url = _join_or_none(self.base, went)
            if url is not None and urls.is_http(url):
                url, _, fragment = url.partition("#")
                self.links.append(Link(url=url, href=went, text=text[:200], region=region, selector=self.selector(tag),
                                       fragment=fragment, hints=self._words(tag), element=tag.name))
        self._keep_distinctive_hooks()
        for tag, region, hidden in self._headings:
            text = texts.get(tag)[0][:MAX_HEADING]
            if text and not hidden:
                self.headings.append(Heading(level=int(tag.name[1]), text=text, region=region))

    def _keep_distinctive_hooks(self) -> None:
        """A dead link's class and data- hooks count only when no working link of the page
        carries them: a script that binds ".nav-link" to close the menu does not make a
        "#" nav link go anywhere, but one that binds ".open-contact", carried only by
        javascript:void(0) links, is what those links do."""
        wanted = {h for lk in self.links if lk.hooks for h in lk.hooks if not h.startswith("#")}
        if not wanted:
            return
        working: set[str] = set()
        for tag, _region in self._links:
            href = str(tag.get("href") or "").strip()
            if href and href != "#" and not href.lower().startswith(("javascript:", "#!")):
                working.update(h for h in hooks_of(tag) if h in wanted)
        if not working:
            return
        for i, lk in enumerate(self.links):
            if lk.hooks and any(h in working for h in lk.hooks):
                self.links[i] = replace(lk, hooks=tuple(h for h in lk.hooks if h not in working))

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
            dead = "nohref"  # "<a class="btn">Privacy Policy</a>": looks like a link, goes nowhere
        elif raw == "":
            dead = "empty"
        elif raw == "#":
            dead = "hash"
        elif lower.startswith("#!"):
            dead = "hashbang"
        elif _FILL_IN_HREF.match(raw):
            dead = "placeholder"  # href="[Your Google review link]": the template's blank, never filled in
        elif lower.startswith("javascript:"):
            went = _navigation(raw)
            url = _join_or_none(self.base, went) if went else None
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
        control = ""
        hooks: tuple[str, ...] = ()
        if dead is not None:
            # "<a href="#" onclick="location.href='x.html'">" goes to x.html.
            went = _navigation(str(tag.get("onclick") or ""))
            url = _join_or_none(self.base, went) if went else None
            if url is not None:
                dead = None
            else:
                control = control_of(tag, text, hints, img, raw, self._submenu_memo)
                if control:
                    dead = None
                else:
                    hooks = tuple(hooks_of(tag))
        if url is not None:
            if "#" in url:
                url, fragment = url.split("#", 1)
            if not urls.is_http(url):
                scheme, target, url = "other", url, None
        self.links.append(Link(url=url, href=href, text=text[:200], region=region,
                               selector=selector, rel=rel_t, fragment=fragment, dead=dead,
                               scheme=scheme, target=target, hints=hints.strip()[:300],
                               control=control, hooks=hooks, element=tag.name))


#: An href that is a template's fill-in, not an address: "[Seu link do Google]", "{{ url }}",
#: "%LINK%", "<your link>".
_FILL_IN_HREF = re.compile(r"^(?:\[[^\]]*\]|\{\{.*\}\}|%[A-Za-z][A-Za-z0-9_]*%|<[^>]*>)$", re.S)
_NAVIGATES = re.compile(r"(?:\blocation(?:\.href)?\s*=(?!=)|\blocation\.(?:assign|replace)\s*\(|\bwindow\.open\s*\()\s*"
                        r"(['\"])([^'\"]{1,500})\1")


def _navigation(code: str) -> str | None:
    """The destination a click handler or javascript: URL sends the visitor to, as written
    (``location.href='x.html'``, ``window.open('x')``), or None."""
    if "location" not in code and "open" not in code:
        return None
    m = _NAVIGATES.search(code[:2000])
    return m.group(2).strip() if m else None
