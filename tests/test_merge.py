"""The rules that merge a page's static facts with those of its rendered DOM (pure)."""

from __future__ import annotations

from cxprobe.document import extract_rendered
from cxprobe.document.merge import material, merge_document, merge_values
from cxprobe.testing import extractors, page_facts

URL = "https://plumber.example/"
STATIC = """<!doctype html><html><head><title>Smith</title></head><body><header id="header"></header>
<main><h1>Leak repairs today</h1><p>Call us for a same-day visit.</p>
<form action="/contact" method="post"><textarea name="msg"></textarea><input type="email" name="email"></form>
<p style="display:block">Night callout £45.</p><a href="#">Share</a></main></body></html>"""
RENDERED = """<!doctype html><html><head><title>Smith - Plumbing</title></head><body><header id="header">
<nav><a href="/prices.html">Prices</a> <a href="/contact.html">Contact</a> <a href="/about.html">About us</a></nav></header>
<main><h1>Leak repairs today</h1><p>Call us for a same-day visit.</p>
<form action="/contact" method="post"><textarea name="msg"></textarea><input type="email" name="email"></form>
<p style="display:none">Night callout £45.</p><a href="https://social.example/share?u=x">Share</a>
<form action="/quote" method="post"><textarea name="job"></textarea><input type="tel" name="phone"></form>
<p>Boiler service from £79 a year, gas safety certificate £60.</p></main></body></html>"""


def test_scalars_stay_the_htmls_and_collections_keep_its_order() -> None:
    assert merge_values("Smith", "Smith - Plumbing") == "Smith"
    assert merge_values("", "Smith - Plumbing") == "Smith - Plumbing"
    assert merge_values(("a", "b"), ("c", "a")) == ("a", "b", "c")
    assert merge_values(("contact",), ("contact", "contact")) == ("contact", "contact")  # occurrences count
    assert merge_values({"x": [1]}, {"x": [1, 2], "y": 3}) == {"x": [1, 2], "y": 3}


def test_material_needs_a_new_link_target_or_twenty_new_words() -> None:
    static = page_facts(STATIC, URL)
    assert material(static, page_facts(RENDERED, URL))
    small = STATIC.replace("Call us for a same-day visit.", "Call us for a same-day visit. Updated today.")
    assert not material(static, page_facts(small, URL))


def test_the_merged_page_has_what_scripts_built_and_what_they_hid() -> None:
    static = page_facts(STATIC, URL)
    merged = extract_rendered(URL, RENDERED.encode(), static, extractors())
    assert merged is not None
    assert merged.title == "Smith" and merged.h1s == ("Leak repairs today",)
    urls = {lk.url for lk in merged.links}
    assert {URL + "prices.html", URL + "contact.html", URL + "about.html"} <= urls
    # The share link a script filled in is no dead link any more.
    share = [lk for lk in merged.links if lk.text == "Share"]
    assert len(share) == 1 and share[0].dead is None
    # Both forms, each with its purpose (one per form, in order).
    assert [f.action for f in merged.forms] == ["/contact", "/quote"]
    assert len(merged.fact("forms")) == 2
    amounts = sorted(float(p.amount) for p in merged.fact("prices"))
    assert {45.0, 60.0, 79.0} <= set(amounts)  # £45 hidden by a script is kept
    assert merged.word_count > static.word_count
    assert "Night callout £45." in merged.text["main"]


def test_nothing_material_keeps_the_static_facts() -> None:
    static = page_facts(STATIC, URL)
    assert extract_rendered(URL, STATIC.encode(), static, extractors()) is None
    doc = merge_document(static, static)
    assert doc.links == static.links and doc.text == static.text
