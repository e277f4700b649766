"""The page's Beautiful Soup tree, built from lxml's own tree instead of lxml's events.

bs4's lxml builder has libxml2 call back into Python for every start tag, end tag and run
of text, and bs4 then files each one through its generic machinery (a tag stack, a data
buffer, the linkage fixer). Here libxml2 builds its tree in C (a third of a millisecond for
a 28 KB page) and one loop makes the same bs4 objects from it: the same Tag constructor
(multi-valued attributes, string containers, void elements), the same strings (whitespace
alone becomes one "\\n" or " " outside ``<pre>`` and ``<textarea>``, as bs4 does), the same
parent, sibling and document-order links. About twice as fast on ordinary pages
(docs/performance.md); tests/test_build.py compares both trees node by node on every page of
the corpus, the demo site and the hostile pages.

libxml2's events and its tree differ only outside the root element, where nothing is read:
with events, white space after ``</html>`` is a string of the soup and comments keep their
places around the doctype; in the tree both are gone or regrouped. A page without a doctype
gets none (libxml2's tree invents HTML 4.0 Transitional's). One difference inside: one of
libxml2's boolean attributes written without a value (``<input disabled>``, ``<script
defer>``) has its name for a value in the tree ("disabled", as HTML reads it) and "" with
events; ``has_attr`` is the same either way, and that is all cxprobe asks of them.
Anything else this builder does not expect (an empty document has no root, libxml2's tree
stops at 256 levels of nesting where its events go on, and lxml's tree API refuses names
with control characters that its events pass on) falls back to bs4's own builder for the
page.
"""

from __future__ import annotations

from typing import Any

from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction, Tag
from lxml import etree

from .clock import Clock, ClockedLXMLBuilder, ExtractionInterrupted

#: The doctype libxml2 gives a page that declares none.
_IMPLIED_PUBLIC = "-//W3C//DTD HTML 4.0 Transitional//EN"
_IMPLIED_SYSTEM = "http://www.w3.org/TR/REC-html40/loose.dtd"

#: What bs4 counts as white space when it drops a run of it (its ASCII_SPACES).
_SPACES = "\x20\x0a\x09\x0c\x0d"


#: libxml2 builds a tree at most this deep (without ``huge_tree``), dropping what lies
#: deeper; its events have no such limit. A page that deep is read with events.
_MAX_DEPTH = 256


class _TooDeep(Exception):
    pass


def take_apart(soup: Any) -> None:
    """Break every reference between the nodes of a parsed page, so that it is freed as
    soon as the last outside reference goes, not by Python's cycle collector.

    A tree is a web of references (parent, children, siblings, next and previous element):
    left whole, every page's nodes wait for the collector, and a big page's tree, built
    across several of its passes, lives on in the older generations it rarely collects (a
    worker reading 1.7 MB pages peaked at twice the memory; docs/performance.md). bs4's
    ``decompose`` cannot do this for a whole soup: it follows ``next_element`` from the
    soup, which has none. Each node's attributes are cleared, strings and elements alike,
    by a walk with a stack of its own (a page may nest as deep as it likes); a tree cut
    short by the page's budget is taken apart as far as it was made. The nodes must not
    be read afterwards: the page's facts are plain values, never nodes.
    """
    stack = [soup]
    pop = stack.pop
    push = stack.append
    while stack:
        node = pop()
        contents = node.__dict__.get("contents")
        if contents:
            for child in contents:
                if isinstance(child, Tag):
                    push(child)
                else:
                    child.__dict__.clear()
        node.__dict__.clear()


class TreeBuilder(ClockedLXMLBuilder):
    """:class:`ClockedLXMLBuilder` whose ``feed`` builds the soup from lxml's tree (see the
    module). The clock is ticked once per node, as the event builder ticks it."""

    def __init__(self, budget: Clock) -> None:
        super().__init__(budget)
        #: True when this page fell back to bs4's event builder.
        self.fell_back = False
        #: Every element made, in document order (what ``soup.find_all(True)`` gives), or
        #: None when the page fell back to bs4's event builder.
        self.tags: list[Tag] | None = None

    def feed(self, markup: Any) -> None:
        root = None
        self.tags = None
        self.fell_back = False
        if isinstance(markup, str):
            parser = etree.HTMLParser(recover=True, huge_tree=self.huge_tree)
            try:
                parser.feed(markup)
                root = parser.close()
            except (etree.ParserError, ValueError, TypeError):
                root = None
        if root is not None and isinstance(root.tag, str):
            try:
                self.tags = []
                self._build(root, markup)
                return
            except ExtractionInterrupted:
                raise
            except (_TooDeep, ValueError, TypeError):
                # Too deep, or names lxml's tree API refuses (a control character in an
                # attribute's name): bs4's events take them as they are.
                assert self.soup is not None
                for node in list(self.soup.contents):  # what was made of the page so far
                    take_apart(node)
                self.soup.reset()
                self.tags = None
        self.fell_back = True
        try:
            super().feed(markup)
        finally:
            # lxml's parser holds this builder as its target, and this builder the parser:
            # a cycle that would keep both, and the soup, for the cycle collector.
            self.__dict__.pop("parser", None)

    def _build(self, root: Any, markup: str) -> None:
        soup = self.soup
        assert soup is not None
        tick = self._budget.tick
        containers = self.string_containers
        preserve = self.preserve_whitespace_tags
        comment_tag = etree.Comment
        pi_tag = etree.PI
        # The element made last, in document order (as in bs4, the soup itself is none:
        # the first element has no previous element and the soup no next one).
        last: Any = None

        def add_string(text: str, parent: Any, cls: type, keep_space: bool) -> None:
            nonlocal last
            if not keep_space and not text.strip(_SPACES):
                text = "\n" if "\n" in text else " "
            o = cls(text)
            o.parent = parent
            o.previous_element = last
            if last is not None:
                last.next_element = o
            o.next_element = None
            o.next_sibling = None
            contents = parent.contents
            if contents:
                prev = contents[-1]
                o.previous_sibling = prev
                prev.next_sibling = o
            else:
                o.previous_sibling = None
            contents.append(o)
            last = o

        tree = root.getroottree()
        info = tree.docinfo
        # libxml2 gives a page without a doctype HTML 4.0 Transitional's; its events do not.
        implied = (info.public_id == _IMPLIED_PUBLIC and info.system_url == _IMPLIED_SYSTEM
                   and _IMPLIED_PUBLIC.lower() not in markup.lower())
        if info.doctype and not implied:
            add_string(Doctype._string_for_name_and_ids(info.root_name, info.public_id, info.system_url),
                       soup, Doctype, False)
        top: list[Any] = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
        # Depth first, in document order: a stack of (lxml node, parent Tag, string class,
        # keep white space, depth) for the nodes still to make; a node's own text is made
        # with it, and the text after a child (its tail) once the child and everything in
        # it are made (a ``None`` entry on the stack marks that point).
        stack: list[Any] = [(el, soup, None, False, 1) for el in reversed(top)]
        pop = stack.pop
        push = stack.append
        made = self.tags.append if self.tags is not None else (lambda t: None)
        while stack:
            entry = pop()
            if entry[0] is None:  # the tail of a child whose content is made
                _none, text, parent, cls, keep = entry
                tick()
                add_string(text, parent, cls or NavigableString, keep)
                continue
            node, parent, cls, keep, depth = entry
            tick()
            tag = node.tag
            if depth > 1:  # the document's own top-level nodes keep no tail (see the module)
                tail = node.tail
                if tail:
                    push((None, tail, parent, cls, keep))
            if tag is comment_tag:
                add_string(node.text or "", parent, Comment, keep)
                continue
            if tag is pi_tag:
                add_string(node.target + " " + (node.text or ""), parent, ProcessingInstruction, keep)
                continue
            if not isinstance(tag, str):  # an entity reference: lxml's HTML parser makes none
                continue
            if depth >= _MAX_DEPTH:
                raise _TooDeep  # libxml2's tree may have dropped what lies deeper
            t = Tag(soup, self, tag, None, None, dict(node.attrib), parent, last)
            parent.contents.append(t)
            made(t)
            last = t
            keep_in = keep or tag in preserve
            cls_in = containers.get(tag, cls)
            if len(node):
                below = depth + 1
                stack.extend([(child, t, cls_in, keep_in, below) for child in reversed(node)])
            text = node.text
            if text:
                tick()
                add_string(text, t, cls_in or NavigableString, keep_in)
        soup._most_recent_element = last
