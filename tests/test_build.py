"""The page tree built from lxml's tree (cxprobe/document/build.py) is bs4's own, node by node.

Every page of the demo site, the corpus and the hostile pages, and a set of edge cases, is
parsed by bs4's lxml event builder and by cxprobe's tree builder; from the root element in,
every node must match: its class (Tag, NavigableString, Comment, Script, Stylesheet,
TemplateString...), name, attributes (multi-valued ones as lists), text, parent, siblings,
number of children, the string types its text is read from, and the document order
(``next_element``). The facts of those pages are compared in tests/test_extract.py's dumps
and by bench/extract_speed.py --dump.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from cxprobe.document.build import TreeBuilder
from cxprobe.document.clock import Clock, ClockedLXMLBuilder, ExtractionInterrupted
from cxprobe.document.decode import decode_html

from .security import hostile_pages

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

EDGE_CASES = {
    "pre and textarea keep white space": "<html><body><pre>\n  a\n</pre><textarea>  </textarea><p> </p>\n</body></html>",
    "script, style and template strings": "<html><head><style> p{} </style><script>if (a < b) {}</script></head>"
                                          "<body><template><p>t</p>x</template><noscript>n</noscript></body></html>",
    "comments and a processing instruction": "<!-- a --><!DOCTYPE html><html><!-- b --><body>x<!-- c -->y<?php echo 1 ?></body></html>",
    "no doctype": "<p class='a  b c'>x</p>",
    "an old doctype": '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN" '
                      '"http://www.w3.org/TR/REC-html40/loose.dtd"><html><body>x</body></html>',
    "misnested and unclosed": "<div><p>a<b>b<i>c</p>d</b>e<table><td>f<tr><td>g</div><ul><li>h<li>i",
    "text after </html>": "<html><body>x</body></html>\n<p>late</p>  <!-- end -->\n",
    "void elements and attributes": "<img src=a.png alt=''><br/><input type=text disabled><a rel='nofollow noopener' "
                                    "href=x accesskey='a b'>l</a><meta charset=iso-8859-1>",
    "entities and odd characters": "<p>&amp; &lt;b&gt; &nbsp; &#x1F600; &unknown; \u00a0\u2028</p>",
    "svg and math": "<svg viewBox='0 0 1 1'><path d='M0'/><text>t</text></svg><math><mi>x</mi></math>",
    "ruby": "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
    "only white space": " \n ",
    "empty": "",
    "a fragment": "<li>one</li><li>two</li>",
    "a control character in an attribute's name": '</html></html><html href=""\x1f">',  # found by hypothesis
}


def _pages() -> Iterator[tuple[str, str]]:
    for name, html in EDGE_CASES.items():
        yield name, html
    folders = [ROOT / "examples" / "demo-site"] + ([CORPUS] if CORPUS.is_dir() else [])
    for folder in folders:
        for path in sorted(folder.rglob("*.htm*")):
            yield str(path.relative_to(folder.parent)), decode_html(path.read_bytes(), None)[0]
    for name in hostile_pages.__all__ if hasattr(hostile_pages, "__all__") else dir(hostile_pages):
        fn = getattr(hostile_pages, name)
        if callable(fn) and getattr(fn, "__module__", "") == hostile_pages.__name__ and not name.startswith("_"):
            try:
                body = fn()
            except TypeError:
                continue
            if isinstance(body, bytes) and len(body) < 1_000_000:
                yield f"hostile:{name}", decode_html(body, None)[0]


#: libxml2's boolean attributes: written without a value (``<input disabled>``), lxml's tree
#: gives the name as the value where its events give "" (see build.py); present either way.
_BOOLEAN = frozenset("checked compact declare defer disabled ismap multiple nohref noresize noshade nowrap readonly "
                     "selected".split())


def _attrs(e: Any) -> tuple[Any, ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else "" if k in _BOOLEAN and v == k else v)
                        for k, v in e.attrs.items()))


def _node(e: Any) -> tuple[Any, ...]:
    def kind(x: Any) -> str | None:
        if x is None or type(x.parent).__name__ == "BeautifulSoup":
            return None  # the document's own children, whose order may differ (see build.py)
        return f"{type(x).__name__}:{getattr(x, 'name', None) or str(x)[:40]}"

    is_tag = hasattr(e, "contents")
    return (type(e).__name__, e.name if is_tag else None,
            _attrs(e) if is_tag else str(e),
            kind(e.parent), kind(e.previous_sibling), kind(e.next_sibling), kind(e.next_element), kind(e.previous_element),
            len(e.contents) if is_tag else -1,
            tuple(sorted(c.__name__ for c in e.interesting_string_types)) if is_tag else None,
            e.can_be_empty_element if is_tag else None)


def _from_root(soup: BeautifulSoup) -> list[tuple[Any, ...]]:
    """Every node inside the document's elements, in document order."""
    out = []
    for top in soup.contents:
        if hasattr(top, "contents"):
            node = _node(top)
            out.append(node[:3] + node[8:])  # its neighbours outside the root element may differ
            out.extend(_node(d) for d in top.descendants)
    return out


@pytest.mark.parametrize(("name", "html"), list(_pages()), ids=lambda v: v if len(v) < 80 else v[:60])
def test_the_tree_is_bs4s_own(name: str, html: str) -> None:
    events = BeautifulSoup(html, builder=ClockedLXMLBuilder(Clock(None, None, 0)))
    builder = TreeBuilder(Clock(None, None, 0))
    tree = BeautifulSoup(html, builder=builder)
    assert _from_root(tree) == _from_root(events)
    # Read the same way as a page's text.
    def texts(soup: BeautifulSoup) -> list[str]:
        return [t.get_text() for t in soup.contents if hasattr(t, "contents")]

    assert texts(tree) == texts(events)
    # Only an empty page and one nested deeper than libxml2's tree goes are read with events.
    odd = name in ("hostile:deep_divs", "hostile:deep_inline", "hostile:nested_links",
                   "a control character in an attribute's name")
    assert builder.fell_back == (not html.strip() or odd)
    # The elements the builder lists are the tree's, in document order (the page's index
    # is made from them); a page read with events lists none.
    if builder.fell_back:
        assert builder.tags is None
    else:
        assert builder.tags is not None
        assert [id(t) for t in builder.tags] == [id(t) for t in tree.find_all(True)]


def test_a_builder_fed_again_lists_only_the_elements_of_its_last_page() -> None:
    builder = TreeBuilder(Clock(None, None, 0))
    first = BeautifulSoup("<p>a</p>", builder=builder)
    assert [t.name for t in builder.tags or []] == [t.name for t in first.find_all(True)] == ["html", "body", "p"]
    BeautifulSoup("", builder=builder)  # no root: read with events, which list nothing
    assert builder.fell_back and builder.tags is None
    again = BeautifulSoup("<div><b>x</b></div>", builder=builder)
    assert not builder.fell_back and builder.tags == again.find_all(True)


def test_a_page_without_a_doctype_gets_none() -> None:
    tree = BeautifulSoup("<p>x</p>", builder=TreeBuilder(Clock(None, None, 0)))
    assert not any(type(x).__name__ == "Doctype" for x in tree.contents)
    declared = BeautifulSoup("<!DOCTYPE html><p>x</p>", builder=TreeBuilder(Clock(None, None, 0)))
    assert str(declared.contents[0]) == "html"


def test_building_the_tree_keeps_to_the_budget() -> None:
    """A page whose tree alone takes longer than the budget stops while parsing."""
    html = "<div>" + "<span>w</span>" * 200_000 + "</div>"
    with pytest.raises(ExtractionInterrupted) as info:
        BeautifulSoup(html, builder=TreeBuilder(Clock(0.05, None, len(html))))
    assert info.value.reason == "budget"


def _garbage_nodes(read: Any) -> list[str]:
    """Names of the bs4 nodes only the cycle collector would have freed after ``read()``."""
    import gc

    from bs4.element import PageElement

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        read()
        gc.collect()
        return sorted({type(o).__name__ for o in gc.garbage if isinstance(o, PageElement)})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("html", [
    "<!DOCTYPE html><html><head><title>t</title></head><body><p>a<b>b</b>c<!-- d --></p><ul><li>e<li>f</ul></body></html>",
    "",  # no root: read with bs4's own events
    "<div>" * 300 + "deep" + "</div>" * 300,  # deeper than libxml2's tree: events again
], ids=["a page", "an empty page", "a page too deep for libxml2's tree"])
def test_a_read_page_is_freed_without_the_cycle_collector(html: str) -> None:
    """Every node of a page's tree is freed as soon as its facts are made, whichever
    builder made it: a tree left for the collector waits, with everything younger, for
    its next pass (a worker's threshold is 10,000 objects), and a big page's tree outlives
    it by several (docs/performance.md)."""
    from cxprobe.testing import page_facts

    assert _garbage_nodes(lambda: page_facts(html)) == []


def test_a_page_stopped_while_its_tree_was_built_is_freed_too() -> None:
    from cxprobe.document import extract_page

    html = ("<div>" + "<span>w</span>" * 200_000 + "</div>").encode()
    results = []
    assert _garbage_nodes(lambda: results.append(extract_page("https://x.test/", None, html, budget=0.05))) == []
    assert getattr(results[0], "kind", None) == "too_complex"


def test_a_rendered_page_is_freed_too() -> None:
    from cxprobe.document import extract_rendered
    from cxprobe.testing import page_facts

    static = page_facts("<html><body><p>Hello</p></body></html>")
    html = b"<html><body><p>Hello</p><div id=app><h1>Built by a script</h1>" + b"<p>more words here</p>" * 20 + b"</div></body></html>"
    assert _garbage_nodes(lambda: extract_rendered("https://x.test/", html, static)) == []


def test_take_apart_leaves_no_node_holding_another() -> None:
    from cxprobe.document.build import take_apart

    tree = BeautifulSoup("<p>a<b>b</b>c<!-- d --></p>", builder=TreeBuilder(Clock(None, None, 0)))
    nodes = [tree, *tree.descendants]
    take_apart(tree)
    assert all(vars(n) == {} for n in nodes)
    assert [str(n) for n in nodes if isinstance(n, str)] == ["a", "b", "c", " d "]
