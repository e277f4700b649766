"""What an extractor reads: one parsed page, its generic facts and the tools to read more
within the page's time budget (:class:`Document`). Made by :mod:`.page` for every page and
dropped with its tree once the extractors have run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Tag

from ..model import REGIONS, PageFacts
from .clock import Clock
from .tree import (
    BLOCK_TAGS,
    INVISIBLE_TAGS,
    Blocks,
    TextChunk,
    _block_of,
    _blocks,
    _descendants,
    _Selectors,
    _short_text,
    _TagIndex,
    _text_after,
    _text_prefix,
    _tokens,
    is_hidden,
    norm,
)


class Document:
    """One page as extractors see it: parsed once, shared by every extractor, then dropped.

    An extractor reads what it needs from here and returns facts; it never keeps the tree.
    ``soup`` is the BeautifulSoup tree (read it, do not change it); the rest are the
    generic facts the core has read already and the tools to read more without recursion
    and within the page's time budget. Every loop over elements or matches should call
    :meth:`tick`, and every step that may take a while :meth:`check`: when the page's
    budget or the run's deadline runs out they raise, and the page is recorded as too
    complex (or out of time) instead of holding up the run.
    """

    #: Elements that make a block of text (a paragraph, a cell, a list item, ...).
    BLOCK_TAGS = BLOCK_TAGS
    #: Elements whose content a customer never reads as text (scripts, styles, templates).
    INVISIBLE_TAGS = INVISIBLE_TAGS

    def __init__(self, url: str, base: str, soup: BeautifulSoup, facts: PageFacts, chunks: list[TextChunk],
                 json_ld: list[dict[str, Any]], index: _TagIndex, selectors: _Selectors, clock: Clock,
                 region_tokens: dict[str, Counter[str]] | None = None) -> None:
        #: The page's URL.
        self.url = url
        #: The base URL its links resolve against (``<base href>``, else the URL).
        self.base = base
        #: The parsed tree.
        self.soup = soup
        #: The generic facts read so far (title, lang, text by region, links, headings, forms...).
        self.facts = facts
        #: Visible text as the walk met it: (region, text, parent element, block element).
        self.chunks = chunks
        #: Every JSON-LD object of the page, depth first in document order.
        self.json_ld = json_ld
        self._index = index
        self._selectors = selectors
        #: The page's time budget (:meth:`tick` and :meth:`check` read it).
        self.clock = clock
        #: Count one step of a loop; reads the clocks every few dozen steps. The clock's
        #: own method: extractors call it a thousand times a page and more.
        self.tick = clock.tick
        self._blocks: Blocks | None = None
        self._block_texts: list[str] | None = None
        self._facts: dict[str, Any] = {}
        # The white-space tokens of each region's text as the core counted them, and the
        # text they were counted from (the facts' text may be replaced, as when a rendered
        # page's facts are merged with its static ones).
        self._region_tokens = (facts.text, region_tokens) if region_tokens is not None else None
        #: lower -> (the text dict counted, its counts): counted again if the facts are replaced.
        self._token_counts: dict[bool, tuple[dict[str, str], Counter[str]]] = {}

    # ----------------------------------------------------------------- the time budget
    def check(self) -> None:
        """Read the clocks now (after a step that may have taken a while)."""
        self.clock.check()

    # ----------------------------------------------------------------- reading
    @property
    def blocks(self) -> Blocks:
        """Visible text grouped by block, in document order: (region of its first text, its
        texts, the block element), so "Call us at" and "<b>555 1234</b>" are read together."""
        if self._blocks is None:
            self._blocks = _blocks(self.chunks)
        return self._blocks

    @property
    def block_texts(self) -> list[str]:
        """The text of each block of :attr:`blocks`, in the same order: its texts joined
        by spaces, white space collapsed (joined once a page, for every extractor that
        reads blocks as text)."""
        if self._block_texts is None:
            self._block_texts = [" ".join(" ".join(texts).split()) for _region, texts, _block in self.blocks]
            self.clock.check()
        return self._block_texts

    def token_counts(self, lower: bool = False) -> Counter[str]:
        """How often each white-space-separated token of the page's text occurs:
        ``Counter(doc.facts.all_text.split())``, or of the text lower-cased with ``lower``.
        Counted once a page, from the counts of each region's tokens the core made for the
        word count and the language (a page repeats most of its words, so a token is
        lower-cased once, not once per occurrence); do not change it."""
        found = self._token_counts.get(lower)
        if found is not None and found[0] is self.facts.text:
            return found[1]
        regions = self._region_tokens
        if regions is None or regions[0] is not self.facts.text:
            counts = Counter((self.facts.all_text.lower() if lower else self.facts.all_text).split())
        else:
            # Lower-casing a token is lower-casing it in the text: no case mapping makes or
            # removes white space. The regions are added in the order all_text joins them.
            counts = Counter()
            get = counts.get
            for region in REGIONS:
                for token, n in regions[1].get(region, {}).items():
                    key = token.lower() if lower else token
                    counts[key] = get(key, 0) + n
        self._token_counts[lower] = (self.facts.text, counts)
        return counts

    def tags(self, name: str) -> list[Tag]:
        """Every element of a tag name, in document order (from one walk, not a search)."""
        return self._index.get(name)

    @property
    def itemtype_elements(self) -> list[Tag]:
        """Elements with an ``itemtype`` (microdata)."""
        return self._index.itemtype

    @property
    def street_address_elements(self) -> list[Tag]:
        """Elements with ``itemprop="streetAddress"`` (microdata)."""
        return self._index.street

    def heading_before(self, tag: Tag) -> Tag | None:
        """The last heading that starts before ``tag`` in document order."""
        return self._index.heading_before(tag)

    def text(self, tag: Tag, limit: int = 1000) -> str:
        """The visible words of ``tag``, white space collapsed, at most ``limit`` characters
        (reading no further than that needs)."""
        return _text_prefix(tag, limit, self.clock)

    def short_text(self, tag: Tag, at_most: int) -> bool:
        """True when ``tag`` holds at most ``at_most`` characters of text (reading only that far)."""
        return _short_text(tag, at_most, self.clock)

    def descendants(self, tag: Tag) -> Iterator[Any]:
        """Every node under ``tag`` in document order, without recursion."""
        return _descendants(tag, self.clock)

    def text_after(self, block: Tag, limit: int = 30) -> str:
        """The first visible text after ``block`` ends (its next siblings, then its parent's)."""
        return _text_after(block, self.clock, limit)

    def selector(self, tag: Tag) -> str:
        """A short CSS-like selector that locates ``tag`` (for evidence)."""
        return self._selectors(tag)

    @staticmethod
    def block_of(node: Any) -> Any:
        """The nearest element at or above ``node`` that is a block (or the document)."""
        return _block_of(node)

    @staticmethod
    def tokens(tag: Tag) -> list[str]:
        """The lower-cased class and id words of ``tag``."""
        return _tokens(tag)

    @staticmethod
    def is_hidden(tag: Tag) -> bool:
        """True when a customer never sees ``tag`` as the page loads (hidden attribute, an
        inline display:none, a hiding class without a responsive class that shows it)."""
        return is_hidden(tag)

    norm = staticmethod(norm)

    def fact(self, name: str) -> Any:
        """The facts of an extractor that ran before this one on this page (declare it in
        ``requires``); raises :class:`~cxprobe.FactUnavailable` otherwise."""
        from ..model import FactUnavailable

        if name not in self._facts:
            raise FactUnavailable(name, "its extractor has not run before this one (list it in requires)")
        return self._facts[name]
