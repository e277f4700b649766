"""Reading the parsed tree without recursion: visible text, regions, selectors, visibility.

Any page may be hostile, so nothing here recurses (a page may nest elements as deep as it
likes) and every reader stops as soon as it has what it needs. These helpers are what the
:class:`~cxprobe.document.Document` offers extractors.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .. import urls
from .clock import Clock
from .controls import looks_like_link

INVISIBLE_TAGS = frozenset(
    {"script", "style", "template", "noscript", "head", "title", "meta", "link", "svg",
     "iframe", "object", "canvas", "select", "option", "textarea"}
)
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "li",
     "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td",
     "th", "br", "hr", "form", "fieldset", "address", "blockquote", "figure", "figcaption",
     "label", "button", "pre", "tbody", "thead", "tfoot", "caption", "summary", "details",
     "option", "input"}
)
SECTIONING = frozenset({"article", "aside", "main", "nav", "section"})

#: Where the walk is, as bits: inside <main>; inside sectioning content (article, aside,
#: nav, section); inside an <article>. A <header> in any of them is not the page's; a
#: <footer> is the page's unless sectioning content holds it (<main> is no sectioning
#: content: a footer the page puts inside it is still the page footer); a "footer" class
#: inside an article is the article's (a blog card's "post-footer").
IN_MAIN, IN_SECTION, IN_ARTICLE = 1, 2, 4


def sectioning(flags: int, name: str) -> int:
    """``flags`` of the walk inside an element named ``name``."""
    if name == "main":
        return flags | IN_MAIN
    if name == "article":
        return flags | IN_SECTION | IN_ARTICLE
    if name in ("aside", "nav", "section"):
        return flags | IN_SECTION
    return flags

_WS_CHARS = re.compile(r"\s")

#: Class/id words that mark page regions; tested token by token.
_NAV_TOKEN = re.compile(r"^(?:nav|navbar|navigation|menu|main-?menu|main-?nav|site-?nav|primary-?nav|nav-?menu|navbar-nav|nav-?links|navmenu|top-?menu|mainmenu|menubar)$")
_HEADER_TOKEN = re.compile(r"^(?:header|site-?header|main-?header|page-?header-?top|top-?bar|topbar|header-?area|top-?header|header-?top|masthead-?nav|navbar-?header|global-?header)$")
_FOOTER_TOKEN = re.compile(r"^(?:[\w-]*footer(?:[\w-]*)|copyright|colophon)$")
_NOT_FOOTER = re.compile(r"^(?:card|modal|panel|dialog|popup|blockquote|section|table|post|entry|article|comment|item|"
                         r"product|widget|blog|testimonial|review|box|tile)-?footer$")



def norm(text: str) -> str:
    """Collapse white space (``str.split`` splits on exactly what ``\\s`` matches, seven
    times faster than the regular expression)."""
    return " ".join(text.split())


_WORD = re.compile(r"\w+")


def count_words(tokens: Counter[str]) -> int:
    """How many runs of word characters (``\\w+``) a text holds, from its white-space
    tokens and their counts (``Counter(text.split())``): a token of letters and digits
    only is one."""
    return sum(n if tok.isalnum() else n * len(_WORD.findall(tok)) for tok, n in tokens.items())


def _descendants(tag: Tag, budget: Clock) -> Iterator[Any]:
    """``tag.descendants`` in document order, with a stack of its own.

    bs4's own generator first finds the subtree's last element by walking down from the
    tag, which on a page nested thousands deep costs the whole depth for every element
    asked; this one costs only what it yields.
    """
    stack = [iter(tag.contents)]
    tick = budget.tick
    while stack:
        for node in stack[-1]:
            tick()
            yield node
            if isinstance(node, Tag) and node.contents:
                stack.append(iter(node.contents))
                break
        else:
            stack.pop()


def _strings(tag: Tag, budget: Clock) -> Iterator[str]:
    """``tag.strings``: the strings ``tag.get_text()`` joins (of the types bs4 counts as
    this tag's text), found with :func:`_descendants`."""
    types = tag.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    for node in _descendants(tag, budget):
        if isinstance(node, NavigableString) and type(node) in types:
            yield node


def _nonspace(s: str) -> int:
    """Characters of ``s`` that are not white space (what :func:`norm` keeps of them)."""
    return len(s) - len(_WS_CHARS.findall(s))


def _text_prefix(tag: Tag, limit: int, budget: Clock) -> str:
    """``norm(tag.get_text(" "))[:limit]``, reading no more of the tag than that needs.

    Once more than ``limit`` characters that are not white space have been read, the first
    ``limit`` characters of the normalised text are settled: more text only adds to its
    end. So a link or a hero line wrapped around half the page costs its first words only.
    """
    parts: list[str] = []
    seen = 0
    for s in _strings(tag, budget):
        parts.append(s)
        seen += _nonspace(s)
        if seen > limit:
            break
    return norm(" ".join(parts))[:limit]


def _has_text(tag: Tag, budget: Clock) -> bool:
    """True when ``tag.get_text(" ")`` is not empty (white space counts)."""
    strings = _strings(tag, budget)
    first = next(strings, None)
    return first is not None and (bool(first) or next(strings, None) is not None)


def _short_text(tag: Tag, at_most: int, budget: Clock) -> bool:
    """True when ``len(tag.get_text(strip=True)) <= at_most``, reading only that far."""
    total = 0
    for s in _strings(tag, budget):
        total += len(s.strip())
        if total > at_most:
            return False
    return True


def _tokens(tag: Tag) -> list[str]:
    words: list[str] = []
    attrs = tag.attrs
    cls = attrs.get("class")
    if isinstance(cls, list):
        words.extend(c.lower() for c in cls)
    elif isinstance(cls, str):
        words.extend(cls.lower().split())
    tid = attrs.get("id")
    if isinstance(tid, str) and tid:
        words.append(tid.lower())
    return words


def _ends_the_page(tag: Tag, at_most: int = 50) -> bool:
    """True when nothing a customer sees follows ``tag`` in the document: a <footer> that
    closes the page is the page footer even where the parser left it inside a section (lxml
    keeps an unclosed <section> open to the end, where a browser closes it at </main>)."""
    node: Any = tag
    looked = 0
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        for sib in node.next_siblings:
            looked += 1
            if looked > at_most:
                return False
            if isinstance(sib, Comment):
                continue
            if isinstance(sib, NavigableString):
                if sib.strip():
                    return False
            elif isinstance(sib, Tag) and sib.name not in INVISIBLE_TAGS and sib.get_text(strip=True):
                return False
        node = node.parent
    return True


def _region_of(tag: Tag, parent_region: str, in_sectioning: int) -> str | None:
    """The region a tag opens, or None when it opens none. ``in_sectioning``: the bits of
    :func:`sectioning`."""
    name = tag.name
    role = str(tag.attrs.get("role") or "").lower()
    if name == "nav" or role == "navigation":
        # A menu inside the page footer ("footer > nav.footer-links") is the footer's.
        return None if parent_region == "footer" else "nav"
    if role == "banner":
        return "header"
    if role == "contentinfo":
        return "footer"
    if name == "header" and not in_sectioning:
        return "header"
    if name == "footer" and (not in_sectioning & IN_SECTION or _ends_the_page(tag)):
        return "footer"
    if name == "main" or role == "main":
        return "main"
    toks = _tokens(tag)
    if not toks:
        return None
    for t in toks:
        if _FOOTER_TOKEN.match(t) and not _NOT_FOOTER.match(t) and not in_sectioning & IN_ARTICLE:
            return "footer"
    if parent_region == "main" or parent_region == "header":
        for t in toks:
            if _NAV_TOKEN.match(t):
                return "nav"
    if parent_region == "main":
        for t in toks:
            if _HEADER_TOKEN.match(t):
                return "header"
    return None


_SELECTOR_WORD = re.compile(r"^[A-Za-z_][\w-]*$")
_SELECTOR_ID = re.compile(r"^[A-Za-z][\w-]*$")
_SELECTOR_ANCHORS = frozenset({"header", "nav", "footer", "main", "form", "section"})
_SELECTOR_STOP = frozenset({"[document]", "html", "body"})


def _selector_part(t: Tag) -> str:
    """One element as a selector: tag#id, or tag.class1.class2, or the tag name."""
    tid = t.get("id")
    if isinstance(tid, str) and tid and _SELECTOR_ID.match(tid):
        return f"{t.name}#{tid}"
    cls = t.get("class")
    if isinstance(cls, list) and cls:
        good = [c for c in cls if _SELECTOR_WORD.match(c)][:2]
        if good:
            return t.name + "".join("." + c for c in good)
    return t.name


class _Selectors:
    """Short selectors (tag#id, or tag.class1.class2, with the nearest id'd or landmark
    ancestor), each element's part computed once: a selector for every match on a page
    nested thousands deep would otherwise climb the whole tree each time."""

    def __init__(self) -> None:
        self._parts: dict[int, str] = {}
        #: id(element) -> the prefix its children get ("" when none).
        self._prefix: dict[int, str] = {}

    def part(self, t: Tag) -> str:
        key = id(t)
        found = self._parts.get(key)
        if found is None:
            found = self._parts[key] = _selector_part(t)
        return found

    def _prefix_below(self, node: Any) -> str:
        """The selector part of the nearest id'd or landmark element at or above ``node``."""
        path: list[int] = []
        result = ""
        while isinstance(node, Tag) and node.name not in _SELECTOR_STOP:
            key = id(node)
            known = self._prefix.get(key)
            if known is not None:
                result = known
                break
            path.append(key)
            a = self.part(node)
            if "#" in a or node.name in _SELECTOR_ANCHORS:
                result = a
                break
            node = node.parent
        for key in path:
            self._prefix[key] = result
        return result

    def __call__(self, tag: Tag) -> str:
        me = self.part(tag)
        if "#" in me:
            return me
        prefix = self._prefix_below(tag.parent)
        return f"{prefix} {me}" if prefix else me


_HIDE_CLASSES = frozenset({"d-none", "hidden", "tw-hidden", "invisible", "is-hidden", "visually-hidden-focusable",
                           "invalid-feedback", "valid-feedback", "hide", "js-hidden", "u-hidden"})
_RESPONSIVE_SHOW = re.compile(r"^(?:d-(?:sm|md|lg|xl|xxl)-(?:block|flex|inline|inline-block|grid|table)|"
                              r"(?:tw-)?(?:sm|md|lg|xl|2xl):(?:tw-)?(?:block|flex|inline|inline-block|grid|table|contents)|"
                              r"(?:sm|md|lg|xl):(?:tw-)?(?:block|flex|inline|inline-flex|grid))$")
_STYLE_HIDDEN = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important)?\s*(?:;|$)", re.I)


def is_hidden(tag: Tag) -> bool:
    """True when a customer never sees the element as the page loads: the hidden attribute,
    an inline display:none / visibility:hidden, aria-hidden on text, or a hiding class
    (d-none, hidden, invalid-feedback...) without a responsive class that shows it on
    larger screens ("d-none d-md-block" is visible on a desktop)."""
    attrs = tag.attrs  # Tag.get and has_attr are this dict's get and "in"
    if "hidden" in attrs:
        return True
    if tag.name == "input" and str(attrs.get("type", "")).lower() == "hidden":
        return True
    style = attrs.get("style")
    if isinstance(style, str) and _STYLE_HIDDEN.search(style):
        return True
    cls = attrs.get("class")
    if isinstance(cls, list) and cls:
        lowered = [c.lower() for c in cls]
        if any(c in _HIDE_CLASSES for c in lowered) and not any(_RESPONSIVE_SHOW.match(c) for c in lowered):
            return True
    return False


def _may_be_link(tag: Tag) -> bool:
    """An <a> without href that a customer reads as a link, by its attributes: it is not a
    named anchor, nothing marks it as a script-driven control (onclick, role,
    data-toggle), and the site makes it look like one (see
    :func:`~cxprobe.document.controls.looks_like_link`). It is a link when it also has
    words (see :meth:`_Walker.finish`)."""
    if tag.name != "a" or tag.has_attr("name") or tag.has_attr("onclick") or tag.has_attr("role"):
        return False
    if any(a.startswith(("data-toggle", "data-bs-", "ng-", "v-", "x-on", "@", ":")) for a in tag.attrs):
        return False
    return looks_like_link(tag)


class _SubtreeTexts:
    """``norm(tag.get_text(" "))`` of links and headings, up to MAX_HEADING characters,
    and the first image with alt text inside each.

    Computed innermost first, each from its own strings and the texts already known of
    the links and headings inside it: a link wrapped around a thousand nested links reads
    each element once, not once per link around it.
    """

    def __init__(self, budget: Clock) -> None:
        self.budget = budget
        #: id(tag) -> (text, complete: all of it / cut after MAX_HEADING, first image with alt)
        self._known: dict[int, tuple[str, bool, Tag | None]] = {}

    def get(self, tag: Tag) -> tuple[str, bool, Tag | None]:
        found = self._known.get(id(tag))
        if found is None:
            found = self._known[id(tag)] = self._read(tag)
        return found

    def _read(self, tag: Tag) -> tuple[str, bool, Tag | None]:
        types = tag.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
        known = self._known
        tick = self.budget.tick
        pieces: list[str] = []
        length = -1  # of " ".join(pieces)
        image: Tag | None = None
        stack = [iter(tag.contents)]
        while stack:
            for node in stack[-1]:
                tick()
                if isinstance(node, NavigableString):
                    if type(node) in types:
                        piece = norm(node)
                        if piece:
                            pieces.append(piece)
                            length += len(piece) + 1
                            if length > MAX_HEADING:
                                return " ".join(pieces), False, image
                    continue
                if not isinstance(node, Tag):
                    continue
                inner = known.get(id(node))
                if inner is not None:  # a link or heading inside: its text is known, skip its elements
                    text, complete, inner_image = inner
                    if text:
                        pieces.append(text)
                        length += len(text) + 1
                        if not complete or length > MAX_HEADING:
                            return " ".join(pieces), False, image
                    elif image is None:
                        image = inner_image
                    continue
                if image is None and node.name == "img" and node.has_attr("alt"):
                    image = node
                if node.contents:
                    stack.append(iter(node.contents))
                    break
            else:
                stack.pop()
        return " ".join(pieces), True, image


#: A chunk of visible text for the scanners: (region, text, parent element, block). The
#: block is the nearest ancestor in BLOCK_TAGS (or the document), so that "Call us at" and
#: "<b>555 1234</b>" are read together.
TextChunk = tuple[str, str, Tag, Tag]
_SKIPPED_STRINGS = frozenset({"CData", "ProcessingInstruction", "Declaration", "Script", "Stylesheet", "TemplateString"})
_HEADING_NAMES = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Characters kept of each part of a link's hints (they are cut to 300 in the end).
_HINT_PART = 1000
#: Characters kept of a heading's text, of an <address> and of a microdata street address.
MAX_HEADING = MAX_ADDRESS = 1000
#: Fields kept of one form (the first ones, in document order).
MAX_FORM_FIELDS = 200


def _block_of(node: Any) -> Any:
    """The nearest element at or above ``node`` that is a block (or the document itself)."""
    while isinstance(node, Tag) and node.name not in BLOCK_TAGS and node.parent is not None:
        node = node.parent
    return node


def _join_or_none(base: str, href: str) -> str | None:
    """The absolute URL of an href, or None when it cannot be a valid URL."""
    try:
        url = urls.join(base, href)
    except ValueError:
        return None
    if urls.is_http(url) and not urls.is_valid(url):
        return None
    return url


class _TagIndex:
    """Every tag of the document by name, plus microdata holders, from one walk.

    bs4's find_all walks the whole tree per call; pages are parsed once and scanned once.
    The same walk remembers, for each form, the heading before it in document order.
    """

    def __init__(self, soup: BeautifulSoup, budget: Clock, tags: list[Tag] | None = None) -> None:
        self.by_name: dict[str, list[Tag]] = {}
        self.itemtype: list[Tag] = []
        self.street: list[Tag] = []
        #: Document order of every tag (id(tag) -> position), and of every heading.
        self.position: dict[int, int] = {}
        self.heading_positions: list[int] = []
        self.headings: list[Tag] = []
        tick = budget.tick
        # The elements in document order: as the tree builder made them, else found.
        for i, tag in enumerate(tags if tags is not None else soup.find_all(True)):
            tick()
            self.by_name.setdefault(tag.name, []).append(tag)
            self.position[id(tag)] = i
            if tag.name in _HEADING_NAMES:
                self.heading_positions.append(i)
                self.headings.append(tag)
            attrs = tag.attrs
            if "itemtype" in attrs:
                self.itemtype.append(tag)
            if attrs.get("itemprop") == "streetAddress":
                self.street.append(tag)

    def get(self, name: str) -> list[Tag]:
        return self.by_name.get(name, [])

    def heading_before(self, tag: Tag) -> Tag | None:
        """The last heading that starts before ``tag`` in document order (``find_previous``)."""
        pos = self.position.get(id(tag))
        if pos is None:
            return None
        i = bisect.bisect_left(self.heading_positions, pos)
        return self.headings[i - 1] if i else None


def _text_after(block: Tag, budget: Clock, limit: int = 30) -> str:
    """The first visible text after a block ends (its next siblings, then its parent's)."""
    node: Any = block
    for _ in range(3):
        if not isinstance(node, Tag):
            return ""
        for sib in node.next_siblings:
            if isinstance(sib, NavigableString):
                if isinstance(sib, Comment) or not sib.strip():
                    continue
                return norm(str(sib))[:limit]
            if isinstance(sib, Tag) and sib.name not in INVISIBLE_TAGS:
                t = _text_prefix(sib, limit, budget)
                if t:
                    return t
        node = node.parent
    return ""


#: Text grouped by block, in document order: (region of its first text, texts, block).
Blocks = list[tuple[str, list[str], Any]]


def _blocks(text_regions: list[TextChunk]) -> Blocks:
    """Group text by its block so "Call us at" + "<b>555 1234</b>" stay together."""
    blocks: dict[int, tuple[str, list[str], Any]] = {}
    for region, s, _parent, block in text_regions:
        key = id(block)
        found = blocks.get(key)
        if found is None:
            found = blocks[key] = (region, [], block)
        found[1].append(s)
    return list(blocks.values())  # dicts keep insertion order: the order blocks start in
