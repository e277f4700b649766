"""Source locations: the file, line and column of a finding's example in an audited folder.

When the target is a folder or one HTML file, the report's URLs are site paths of files
the run served itself, so every example can name the file to fix and, where the element
is found, its line and column: CI annotations and SARIF results land on the line to change.

BeautifulSoup with lxml keeps no source positions, so an example is located after the run,
in the file the folder server answered its URL with (:func:`cxprobe.target.site_file`: the
same rules, and never a file whose real location is outside the folder). Each file is read
once per run (at most ``max_bytes``, like the crawl) and decoded as the crawl decoded it.
The snippet says what to look for:

- an element as the extractor wrote it back (``<a href="#">Privacy</a>``): the first start
  tag of that name whose attributes hold the snippet's values (in any order, quoted either
  way or not at all, with entities, in any case) and whose text holds the snippet's text
  (or whose ``aria-label``, ``title`` or image ``alt`` does, as a link's text may come from
  them);
- text (``(503) 555-0199``): the characters in order, whitespace, tags and entities
  between them allowed, first in the page's text, then anywhere in the source (a value
  written in an attribute, such as a form's ``action``); a list the probe joined
  (``a, b``) is looked up by its first part found;
- nothing, or text the page does not hold (a probe's own words): the element the selector
  names, when the selector is specific enough (a class, an id or ``:nth-of-type``, or a
  tag the file has once).

Selectors are the document's (``footer.site-footer a``: an element and its nearest
landmark or id'd ancestor) or the browser's (``div.card > a.fs-5:nth-of-type(2)``). When
a snippet occurs several times, the occurrence that fits the selector best wins, the
first of equals: inside an element written exactly as the selector's last part (its id,
or its first two classes) whose ancestors match the rest, then looser fits. Text found
only outside what the selector names (a value as short as "1" is on every page) gives
way to the element the selector names, and is kept only when the selector leads nowhere.
A finding about a page as a whole (no selector, no snippet: a missing viewport meta, no
Open Graph title) names the file with ``line`` and ``column`` null: there is no element
to point at, and a made-up line (the ``<head>``) would send a reader looking for one.

Line and column are 1-based; the column counts characters (a byte-order mark is not one).
Line breaks are LF, CRLF or a lone CR. Locating never raises: whatever goes wrong leaves
``line`` and ``column`` null.
"""

from __future__ import annotations

import html
import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .document.decode import decode_html
from .target import served_type, site_file

#: A start or end tag as a browser reads it: quoted values may hold ">" (possessive, so a
#: page of unclosed quotes stays linear).
_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/>]*+)((?:[\s/]*+[^\s/>=][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?)*+)[\s/]*+>""")
_ATTR = re.compile(r"""([^\s/>=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,8};?|#[0-9]{1,10};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
#: What a comparison keeps: runs of characters that are neither whitespace nor invisible
#: (soft hyphen, zero-width space and joiners, word joiner, BOM).
_WORD = re.compile("[^\\s\u00ad\u200b-\u200d\u2060\ufeff]+")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_ELEMENT_SNIPPET = re.compile(r"^\s*<([A-Za-z][\w:-]*)((?:\s[^>]*)?)/?>(.*?)(?:</\1\s*>)?\s*$", re.S)
_ATTR_SNIPPET = re.compile(r"""^\s*[A-Za-z_:][\w:.-]*\s*=\s*(?:"([^"]*)"|'([^']*)')\s*$""")
_COMPOUND = re.compile(r"^([A-Za-z][\w-]*|\*)?((?:[#.][\w-]+)*)(?::nth-of-type\((\d{1,6})\))?$")
_LABELS = re.compile(r"""\b(?:alt|aria-label|title)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
#: A snippet quoted from a text file with its line number (robots.txt evidence).
_NUMBERED_LINE = re.compile(r"line \d+: (.+)", re.S)
#: How probes join several values into one snippet ("a, b", "shown … <a>", "a -> b").
_PIECES = re.compile(r", | … | -> | \| | / | \(")

#: Elements whose content is raw text (never tags); RCDATA ones (title, textarea) are text.
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext"})
_RCDATA = frozenset({"title", "textarea"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                   "source", "track", "wbr"})
#: Elements an open element of the same name implicitly closes (a second <li>, <p>, ...).
_SIBLING_CLOSES = frozenset({"p", "li", "option", "dt", "dd", "tr", "td", "th"})
_CLOSES_P = frozenset({"address", "article", "aside", "blockquote", "div", "dl", "fieldset", "figure", "footer",
                       "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
                       "section", "table", "ul"})
#: The best fit of an element to a selector (see SourceFile.selector_score).
BEST = 4
#: Occurrences of one snippet weighed against the selector; the first ones are enough.
MAX_OCCURRENCES = 50
#: How far up from the text an element named by the selector may be (inline wrappers,
#: a price inside a card).
TEXT_OWNER_LEVELS = 6
#: Open elements an end tag looks through for its start tag.
MAX_STACK_SEARCH = 64
#: Characters after a start tag searched for image alt text and labels.
LABEL_WINDOW = 4000


@dataclass(frozen=True)
class SourceLocation:
    """Where an example sits in the audited folder: a POSIX path relative to the folder,
    and the 1-based line and column of the element (None when it could not be located)."""

    file: str
    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The report's ``source`` object."""
        return {"file": self.file, "line": self.line, "column": self.column}


def needle(text: str) -> str:
    """``text`` as it is compared: no whitespace or invisible characters, case-folded."""
    return "".join(w.casefold() for w in _WORD.findall(text))


def _norm_value(value: str) -> str:
    return " ".join(value.split()).casefold()


class _Element:
    """One start tag of the source: where it starts and ends, where its content ends, its
    parent (index into the element list, -1 for none), its place among its parent's
    children of its name (1-based, for ``:nth-of-type``) and its attributes (read on demand)."""

    __slots__ = ("_attrs", "attr_source", "close", "end", "name", "nth", "parent", "start")

    def __init__(self, start: int, end: int, name: str, attr_source: str, parent: int, close: int, nth: int = 1) -> None:
        self.start = start
        self.nth = nth
        self.end = end
        self.name = name
        self.attr_source = attr_source
        self.parent = parent
        self.close = close
        self._attrs: dict[str, str] | None = None

    @property
    def attrs(self) -> dict[str, str]:
        """Attribute names (lower-cased) and values (entities decoded); the first of a name wins."""
        if self._attrs is None:
            attrs: dict[str, str] = {}
            for m in _ATTR.finditer(self.attr_source):
                name = m.group(1).lower()
                if name not in attrs:
                    value = next((g for g in m.groups()[1:] if g is not None), "")
                    attrs[name] = html.unescape(value) if "&" in value else value
            self._attrs = attrs
        return self._attrs


#: The words the extractor's selectors are made of (cxprobe.document.tree): an id or class
#: outside these is left out of a selector, so an element's own part can be rebuilt here.
_SELECTOR_WORD = re.compile(r"^[A-Za-z_][\w-]*$")
_SELECTOR_ID = re.compile(r"^[A-Za-z][\w-]*$")


def _part(el: _Element) -> str:
    """The element as the extractor writes it in a selector: tag#id, tag.class1.class2, or tag."""
    ident = el.attrs.get("id", "")
    if ident and _SELECTOR_ID.match(ident):
        return f"{el.name}#{ident}"
    good = [c for c in el.attrs.get("class", "").split() if _SELECTOR_WORD.match(c)][:2]
    return el.name + "".join("." + c for c in good)


class _Compound:
    """One part of a selector: tag, #id, .classes, :nth-of-type(n); ``child`` when it
    must be a child of the part before it (``>``), not any descendant."""

    __slots__ = ("child", "classes", "id", "nth", "source", "tag")

    def __init__(self, source: str, tag: str | None, ident: str | None, classes: frozenset[str],
                 nth: int | None = None, child: bool = False) -> None:
        self.source = source
        self.tag = tag
        self.id = ident
        self.classes = classes
        self.nth = nth
        self.child = child

    def matches(self, el: _Element) -> int:
        """2 when the element is written exactly so in a selector, 1 when it merely
        matches (tag, id and classes among its own), else 0."""
        if self.tag is not None and el.name != self.tag:
            return 0
        if self.nth is not None and el.nth != self.nth:
            return 0
        if self.id is not None and el.attrs.get("id", "").strip() != self.id:
            return 0
        if self.classes and not self.classes <= set(el.attrs.get("class", "").split()):
            return 0
        return 2 if _part(el) == self.source.split(":", 1)[0] else 1

    @property
    def specific(self) -> bool:
        return self.id is not None or bool(self.classes) or self.nth is not None


def parse_selector(selector: str) -> list[_Compound] | None:
    """The parts of an evidence selector: the document's (``footer.site-footer a``,
    ``section#menu a.card``) or the browser's (``div.card > a.fs-5:nth-of-type(2)``);
    None when it is empty or not of those simple forms."""
    parts = selector.replace(">", " > ").split()
    out: list[_Compound] = []
    child = False
    for part in parts:
        if part == ">":
            if not out or child:
                return None
            child = True
            continue
        m = _COMPOUND.match(part)
        if m is None or not part:
            return None
        tag = m.group(1).lower() if m.group(1) and m.group(1) != "*" else None
        ident = None
        classes: set[str] = set()
        for sigil, word in re.findall(r"([#.])([\w-]+)", m.group(2)):
            if sigil == "#":
                ident = word
            else:
                classes.add(word)
        out.append(_Compound(part, tag, ident, frozenset(classes), int(m.group(3)) if m.group(3) else None, child))
        child = False
    return out or None


class SourceFile:
    """One decoded source file, tokenised once: its elements (with a parent each, from a
    forgiving open-element stack), its visible text folded for comparison with each
    character's offset, and its line starts. Everything a locator asks is answered from
    these, so the ≤ 5 examples of each finding cost a few lookups each."""

    def __init__(self, text: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        self.elements: list[_Element] = []
        self._by_name: dict[str, list[int]] | None = None
        self._element_starts: list[int] = []
        # The visible text: folded characters, their source offsets, and for each text
        # segment its first character's index and the innermost open element (-1: none).
        self._chars: list[str] = []
        self._offsets: list[int] = []
        self._segment_starts: list[int] = []
        self._segment_owner: list[int] = []
        self._raw: tuple[str, list[int]] | None = None
        self._tokenise()
        self.visible = "".join(self._chars)
        self.offsets = self._offsets

    # ------------------------------------------------------------------ reading the source

    def _add_text(self, start: int, end: int, owner: int) -> None:
        self._segment_starts.append(len(self._offsets))
        self._segment_owner.append(owner)
        self._fold_into(self.text, start, end, self._chars, self._offsets)

    @staticmethod
    def _fold_into(text: str, start: int, end: int, chars: list[str], offsets: list[int]) -> None:
        """Append ``text[start:end]`` folded (no whitespace, case-folded, entities decoded)
        to ``chars``, and each kept character's source offset to ``offsets``. An entity
        holds no whitespace, so it lies inside one word: only such words take the slow path."""
        for m in _WORD.finditer(text, start, end):
            word = m.group()
            at = m.start()
            if "&" not in word:
                folded = word.casefold()
                if len(folded) == len(word):
                    chars.append(folded)
                    offsets.extend(range(at, at + len(word)))
                    continue
            pos = 0
            pieces = [(e.start(), e.end(), needle(html.unescape(e.group()))) for e in _ENTITY.finditer(word)] \
                if "&" in word else []
            for e_start, e_end, decoded in [*pieces, (len(word), len(word), "")]:
                for i in range(pos, e_start):
                    f = word[i].casefold()
                    chars.append(f)
                    offsets.extend([at + i] * len(f))
                chars.append(decoded)
                offsets.extend([at + e_start] * len(decoded))
                pos = e_end

    def _tokenise(self) -> None:
        text = self.text
        lower: str | None = None
        n = len(text)
        elements = self.elements
        stack: list[int] = []
        #: Per parent (-1: the top), how many children of each name it has had so far.
        children: dict[int, dict[str, int]] = {}
        pos = 0
        while pos < n:
            lt = text.find("<", pos)
            if lt < 0:
                self._add_text(pos, n, stack[-1] if stack else -1)
                break
            if lt > pos:
                self._add_text(pos, lt, stack[-1] if stack else -1)
            if text.startswith("<!--", lt):
                end = text.find("-->", lt + 4)
                pos = n if end < 0 else end + 3
                continue
            m = _TAG.match(text, lt)
            if m is None:
                if lt + 1 < n and text[lt + 1] in "!?/":  # doctype, CDATA, processing instruction, bogus
                    end = text.find(">", lt)
                    pos = n if end < 0 else end + 1
                else:  # a "<" that opens no tag is text
                    self._add_text(lt, lt + 1, stack[-1] if stack else -1)
                    pos = lt + 1
                continue
            name = m.group(2).lower()
            if m.group(1):  # an end tag closes its element and everything opened inside it
                for i in range(len(stack) - 1, max(-1, len(stack) - 1 - MAX_STACK_SEARCH), -1):
                    if elements[stack[i]].name == name:
                        for j in stack[i:]:
                            elements[j].close = lt
                        del stack[i:]
                        break
                pos = m.end()
                continue
            if stack:
                top = elements[stack[-1]].name
                if (name in _SIBLING_CLOSES and top == name) or (top == "p" and name in _CLOSES_P) \
                        or (name in ("dt", "dd") and top in ("dt", "dd")):
                    elements[stack.pop()].close = lt
            index = len(elements)
            parent = stack[-1] if stack else -1
            siblings = children.setdefault(parent, {})
            siblings[name] = nth = siblings.get(name, 0) + 1
            el = _Element(lt, m.end(), name, m.group(3), parent, n, nth)
            elements.append(el)
            self._element_starts.append(lt)
            if name in _RAW_TEXT or name in _RCDATA:
                if lower is None:
                    lower = text.lower()
                close = lower.find("</" + name, m.end())
                el.close = n if close < 0 else close
                if name in _RCDATA:
                    self._add_text(m.end(), el.close, index)
                end = -1 if close < 0 else text.find(">", close)
                pos = n if end < 0 else end + 1
                continue
            if name not in _VOID and not m.group(0).endswith("/>"):
                stack.append(index)
            pos = m.end()

    # ------------------------------------------------------------------ positions

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a source offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def named(self, name: str) -> list[int]:
        """Indices of the elements of one tag name, in source order."""
        if self._by_name is None:
            by_name: dict[str, list[int]] = {}
            for i, el in enumerate(self.elements):
                by_name.setdefault(el.name, []).append(i)
            self._by_name = by_name
        return self._by_name.get(name, [])

    def inner_text(self, el: _Element) -> str:
        """The folded visible text inside an element."""
        a = bisect_left(self.offsets, el.end)
        b = bisect_left(self.offsets, el.close)
        return self.visible[a:b]

    def owner_of_text(self, index: int) -> int:
        """The innermost open element around a character of the visible text."""
        seg = bisect_right(self._segment_starts, index) - 1
        return self._segment_owner[seg] if seg >= 0 else -1

    def owner_of_offset(self, offset: int) -> int:
        """The element whose start tag holds a source offset, else the last one opened before it."""
        return bisect_right(self._element_starts, offset) - 1

    def raw(self) -> tuple[str, list[int]]:
        """The whole source folded (tags, attributes and scripts included), entities decoded."""
        if self._raw is None:
            chars: list[str] = []
            offsets: list[int] = []
            self._fold_into(self.text, 0, len(self.text), chars, offsets)
            self._raw = ("".join(chars), offsets)
        return self._raw

    # ------------------------------------------------------------------ the selector

    def selector_score(self, index: int, compounds: list[_Compound] | None, levels: int = 1) -> int:
        """How well the element (or one of its ``levels`` nearest ancestors) fits the
        selector: its last part written exactly as the element's own (2) or merely matching
        (1), plus 2 when the ancestors match the rest in order; 0 when the last part does not
        match. The best is 4 (see :data:`BEST`)."""
        if not compounds or index < 0:
            return 0
        last, ancestors = compounds[-1], compounds[:-1]
        best = 0
        el_index = index
        for _ in range(levels):
            if el_index < 0:
                break
            el = self.elements[el_index]
            fit = last.matches(el)
            if fit:
                if self._has_ancestors(el.parent, ancestors, last.child):
                    fit += 2
                best = max(best, fit)
                if best == BEST:
                    break
            el_index = el.parent
        return best

    def _has_ancestors(self, index: int, compounds: list[_Compound], child: bool) -> bool:
        """True when the ancestors from ``index`` up match ``compounds`` in order: any
        ancestor for a descendant combinator, the parent itself when ``child`` (``>``)."""
        want = len(compounds) - 1
        while want >= 0 and index >= 0:
            el = self.elements[index]
            if compounds[want].matches(el):
                child = compounds[want].child
                want -= 1
            elif child:
                return False
            index = el.parent
        return want < 0

    # ------------------------------------------------------------------ finding things

    def find_element(self, name: str, attrs: dict[str, str], text: str | None,
                     compounds: list[_Compound] | None, min_score: int = 0) -> int | None:
        """Offset of the best start tag of ``name`` holding ``attrs`` (and ``text`` unless
        None) that matches at least ``min_score`` of the selector (see selector_score)."""
        wanted = {k.lower(): _norm_value(v) for k, v in attrs.items()}
        best: tuple[int, int] | None = None
        for i in self.named(name.lower()):
            el = self.elements[i]
            have = el.attrs
            if any(k not in have or _norm_value(have[k]) != v for k, v in wanted.items()):
                continue
            if text is not None and not self._holds_text(el, text):
                continue
            score = self.selector_score(i, compounds)
            if score >= min_score and (best is None or score > best[0]):
                best = (score, el.start)
                if score == BEST:
                    break
        return None if best is None else best[1]

    def _holds_text(self, el: _Element, text: str) -> bool:
        inner = self.inner_text(el)
        if not text:
            return not inner
        if text in inner:
            return True
        labels = [el.attrs.get("aria-label", ""), el.attrs.get("title", "")]
        window = self.text[el.end:min(el.close, el.end + LABEL_WINDOW)]
        labels += [next(g for g in m.groups() if g is not None) for m in _LABELS.finditer(window)]
        return any(text in needle(html.unescape(v)) for v in labels if v)

    def find_text(self, text: str, compounds: list[_Compound] | None) -> tuple[int, int] | None:
        """(offset, selector score) of the best occurrence of ``text`` in the page's visible text."""
        return self._find_in(self.visible, self.offsets, text, compounds, visible=True)

    def find_raw(self, text: str, compounds: list[_Compound] | None) -> tuple[int, int] | None:
        """(offset, selector score) of the best occurrence of ``text`` anywhere in the source."""
        raw, offsets = self.raw()
        return self._find_in(raw, offsets, text, compounds, visible=False)

    def _find_in(self, hay: str, offsets: list[int], text: str, compounds: list[_Compound] | None,
                 visible: bool) -> tuple[int, int] | None:
        if not text:
            return None
        best: tuple[int, int] | None = None
        at = hay.find(text)
        seen = 0
        while at >= 0 and seen < MAX_OCCURRENCES:
            offset = offsets[at]
            if not compounds:
                return offset, 0
            owner = self.owner_of_text(at) if visible else self.owner_of_offset(offset)
            score = self.selector_score(owner, compounds, TEXT_OWNER_LEVELS)
            if best is None or score > best[1]:
                best = (offset, score)
                if score == BEST:
                    break
            seen += 1
            at = hay.find(text, at + 1)
        return best

    def find_selector(self, compounds: list[_Compound] | None) -> int | None:
        """Offset of the first element the whole selector names, when the selector is
        specific enough: a class or id in it, or a last tag the file has once."""
        if not compounds:
            return None
        last = compounds[-1]
        names = self.named(last.tag) if last.tag else range(len(self.elements))
        scored = [(self.selector_score(i, compounds), i) for i in names]
        top = max((score for score, _i in scored), default=0)
        if top < 3:  # the last part and the ancestors must match
            return None
        found = [i for score, i in scored if score == top]
        if any(c.specific for c in compounds) or len(found) == 1:
            return self.elements[found[0]].start
        return None

    def find(self, selector: str, snippet: str) -> int | None:
        """Source offset of an example (see the module docstring for the order of tries)."""
        compounds = parse_selector(selector)
        # Evidence quoted from a text file names its line ("line 2: Disallow: /"): look
        # for the line's text, which also checks the file still says it.
        numbered = _NUMBERED_LINE.match(snippet)
        if numbered is not None:
            snippet = numbered.group(1)
        element = _ELEMENT_SNIPPET.match(snippet)
        searches: list[str] = []
        attrs: dict[str, str] = {}
        if element is not None:
            attrs = {a.group(1): next((g for g in a.groups()[1:] if g is not None), "")
                     for a in _ATTR.finditer(element.group(2))}
            text = needle(element.group(3))
            found = self.find_element(element.group(1), attrs, text, compounds)
            if found is not None:
                return found
            searches = [text] if text else []
        elif snippet.strip():
            searches = [snippet]
            attr = _ATTR_SNIPPET.match(snippet)
            if attr is not None:
                searches.append(attr.group(1) if attr.group(1) is not None else attr.group(2))
            searches += [p for p in _PIECES.split(snippet) if p.strip() and p != snippet]
            searches = [needle(s) for s in searches]
        # Text inside what the selector names wins at once; text elsewhere only when the
        # selector leads nowhere either (a short value such as "1" is on every page).
        elsewhere: int | None = None
        for text in searches:
            hit = self.find_text(text, compounds)
            if (hit is None or hit[1] == 0) and len(text) >= 3:
                raw = self.find_raw(text, compounds)
                if raw is not None and (hit is None or raw[1] > 0):
                    hit = raw
            if hit is not None:
                if hit[1] > 0 or compounds is None:
                    return hit[0]
                if elsewhere is None:
                    elsewhere = hit[0]
        if element is not None:
            # The element written another way (its text from an icon's class): the
            # attributes alone, inside what the selector names.
            found = self.find_element(element.group(1), attrs, None, compounds, min_score=1 if compounds else 0)
            if found is not None:
                return found
        found = self.find_selector(compounds)
        return found if found is not None else elsewhere


class Locator:
    """Locates examples in the files of one audited folder: one per report, each file read
    and tokenised once. ``root`` is the folder (for a file target, the file's folder)."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max(0, max_bytes)
        self._files: dict[str, SourceFile | None] = {}

    def _source(self, real: str) -> SourceFile | None:
        if real not in self._files:
            try:
                with open(real, "rb") as fh:
                    body = fh.read(self.max_bytes)
                text, _encoding = decode_html(body, {"content-type": served_type(real)})
                self._files[real] = SourceFile(text)
            except Exception:  # noqa: BLE001 - an unreadable file is located nowhere, once
                self._files[real] = None
        return self._files[real]

    def locate(self, url: str, selector: str = "", snippet: str = "") -> SourceLocation | None:
        """The file, line and column of an example on the page at ``url`` (a site path).

        None when the URL names no file of the folder (not a site path; a folder without
        an index); a location with null line and column when the file is missing, lies
        outside the folder, or the element could not be found in it. Never raises.
        """
        try:
            found = site_file(self.root, url)
        except Exception:  # noqa: BLE001 - a URL no file answers has no source
            return None
        if found is None:
            return None
        name, real = found
        if real is None:
            return SourceLocation(name)
        try:
            source = self._source(real)
            offset = source.find(selector or "", snippet or "") if source is not None else None
            if source is None or offset is None:
                return SourceLocation(name)
            line, column = source.position(offset)
            return SourceLocation(name, line, column)
        except Exception:  # noqa: BLE001 - a locator failure leaves the line null, never the run
            return SourceLocation(name)


def locator_for(root: Path | None, kind: str, max_bytes: int) -> Locator | None:
    """A locator for folder and file targets; None for a live site (its report has no ``source``)."""
    if root is None or kind not in ("folder", "file") or not os.path.isdir(root):
        return None
    return Locator(root, max_bytes)
