"""Hostile and oversized pages for extraction: one builder each, shared by the security
tests and ``bench/extract_hostile.py``.

Two kinds. Pages that once crashed the run (deep nesting, deep JSON-LD, a charset with a
null byte, garbled markup) must extract or be recorded on their page, never raise. Large
ordinary pages (contact lists, many forms, a big table) must extract in time linear in
their size: each took minutes when a scanner compared every match with every other.
"""

from __future__ import annotations

from collections.abc import Callable


def _page(body: str, head: str = "", title: str = "Hostile") -> bytes:
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>{head}</head>"
            f"<body>{body}</body></html>").encode()


# ------------------------------------------------------------------ pages that crashed
def deep_divs(n: int = 2000) -> bytes:
    """``n`` nested ``<div>``s (2,000: 22 KB), text at the bottom."""
    return _page("<div>" * n + "Call us: +1 212 555 0188 hello@shop.test" + "</div>" * n)


def deep_inline(n: int = 20000) -> bytes:
    """``n`` nested inline elements, each with a word: no block to stop a climb."""
    return _page("<p>" + "<span>w " * n + "</span>" * n + "</p>")


def nested_links(n: int = 20000) -> bytes:
    """``n`` links, each inside the one before (lxml nests them when a block sits between)."""
    return _page("<a href='/about'><div>" * n + "Contact" + "</div></a>" * n)


def deep_json_ld(n: int = 50000) -> bytes:
    """JSON-LD nested ``n`` deep."""
    return _page("<h1>Deep data</h1>", head='<script type="application/ld+json">' + "[" * n + "]" * n + "</script>")


def deep_json_ld_objects(n: int = 900) -> bytes:
    """JSON-LD objects nested just below the JSON parser's own limit: our walk of it must not recurse."""
    return _page("<h1>Deep objects</h1>",
                 head='<script type="application/ld+json">' + '{"@type":"Thing","a":' * n + "1" + "}" * n + "</script>")


def evil_charset() -> bytes:
    """A declared charset with a null byte in its name."""
    return b'<!doctype html><html><head><meta charset="x-evil-\x00"><title>Evil</title></head><body><h1>Evil charset</h1></body></html>'


def evil_charsets() -> bytes:
    """Charset names no codec has, one too long, one that is a codec but not a text encoding."""
    return (b'<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; charset=rot13">'
            b'<meta charset="' + b"x" * 5000 + b'"><title>Charsets</title></head><body><h1>Charsets</h1></body></html>')


def null_bytes() -> bytes:
    """Null bytes inside text, tag names and attributes."""
    return _page("<h1>Null\x00bytes</h1><p>call\x00 +1 212 555 0188</p><a href='/x\x00y'>li\x00nk</a><d\x00iv>x</d\x00iv>")


def broken_encoding() -> bytes:
    """Declared UTF-8, bytes that are not: lone continuation bytes, a truncated sequence."""
    return (b"<!doctype html><html><head><meta charset=utf-8><title>Broken \xc3</title></head><body>"
            b"<h1>Caf\xe9 \x80\x81\xff</h1><p>Price \xe2\x82 9.99</p>" + b"\xed\xa0\x80" * 100 + b"</body></html>")


def huge_attributes(size: int = 500_000) -> bytes:
    """Attributes of half a megabyte each: a class list, an href, an id, an alt text."""
    classes = " ".join(f"c{i}" for i in range(size // 8))
    return _page(f'<div class="{classes}"><a href="/{"a" * size}" id="{"i" * size}">Contact</a>'
                 f'<img alt="{"x" * size}" src="/x.png"></div>')


def many_links(n: int = 10000) -> bytes:
    """``n`` links, all to sections of two pages (a tag cloud, a long table of contents)."""
    return _page("<nav>" + "".join(f'<a href="/{"about" if i % 2 else ""}#s{i}">Link {i}</a> ' for i in range(n)) + "</nav>")


def unterminated() -> bytes:
    """Tags, attributes, comments and a script that never end."""
    return (b"<!doctype html><html><head><title>Unterminated<body><h1 class='a>Open <p>call +1 212 555 0188"
            b"<a href='/x <div <!-- never closed <script>var a = '<")


def garbage() -> bytes:
    """Not HTML at all: binary noise after a doctype."""
    return b"<!doctype html>" + bytes(range(256)) * 400


# ------------------------------------------------------------------ large ordinary pages
def contacts_blocks(size: int = 400_000) -> bytes:
    """A staff directory: one paragraph per person with an email and a phone number."""
    rows = []
    total = i = 0
    while total < size:
        row = f"<p>Alex Doe {i}: alex.doe{i}@shop.test, phone +1 212 555 {i % 10000:04d}</p>"
        rows.append(row)
        total += len(row)
        i += 1
    return _page("<h1>Staff</h1>" + "".join(rows))


def contacts_text(size: int = 400_000) -> bytes:
    """The same contacts in one text node (a pasted list): one block, thousands of matches."""
    rows = []
    total = i = 0
    while total < size:
        row = f"Alex Doe {i}: alex.doe{i}@shop.test, phone +1 212 555 {i % 10000:04d}; "
        rows.append(row)
        total += len(row)
        i += 1
    return _page("<h1>Staff</h1><p>" + "".join(rows) + "</p>")


def contacts_inline(size: int = 400_000) -> bytes:
    """The same contacts as inline elements of one block: thousands of text nodes in one block."""
    rows = []
    total = i = 0
    while total < size:
        row = f'<span class="n">Alex Doe {i}</span> <a href="mailto:alex.doe{i}@shop.test">alex.doe{i}@shop.test</a> <b>Tel</b> <a href="tel:+1212555{i % 10000:04d}">+1 212 555 {i % 10000:04d}</a> <br>'
        rows.append(row)
        total += len(row)
        i += 1
    return _page("<h1>Staff</h1><div>" + "".join(rows) + "</div>")


def many_forms(n: int = 3000) -> bytes:
    """``n`` contact forms, each under its own heading, with labelled fields."""
    forms = []
    for i in range(n):
        forms.append(f'<h2>Write to office {i}</h2><form action="/send/{i}" method=post>'
                     f'<label for="e{i}">Email</label><input id="e{i}" type=email name=email>'
                     f'<label for="m{i}">Message</label><textarea id="m{i}" name=message></textarea>'
                     f'<button type=submit>Send</button></form>')
    return _page("<h1>Offices</h1>" + "".join(forms))


def many_forms_one_heading(n: int = 3000) -> bytes:
    """``n`` contact forms under one heading at the top of the page."""
    forms = "".join(f'<form action="/send/{i}"><input type=email name=email id="e{i}"><label for="e{i}">Email</label>'
                    f'<textarea name=message></textarea><button>Send</button></form>' for i in range(n))
    return _page("<h1>Write to us</h1>" + forms)


def loose_textareas(n: int = 2000) -> bytes:
    """``n`` textareas outside any form, each beside an email input (form-like groups)."""
    groups = "".join(f'<div class=g><h3>Group {i}</h3><input type=email name=mail{i}><textarea name=t{i}></textarea></div>'
                     for i in range(n))
    return _page("<h1>Groups</h1>" + groups)


def big_table(size: int = 4_400_000) -> bytes:
    """A price list as one table: a row per product with a name, a price, a phone and a date."""
    rows = []
    total = i = 0
    while total < size:
        row = (f"<tr><td>Product {i}</td><td>${i % 900 + 9}.99</td><td>per month</td>"
               f"<td>+1 212 555 {i % 10000:04d}</td><td>2024-01-{i % 28 + 1:02d}</td></tr>")
        rows.append(row)
        total += len(row)
        i += 1
    return _page("<h1>Price list</h1><table>" + "".join(rows) + "</table>")


def many_addresses(n: int = 20000) -> bytes:
    """``n`` distinct street lines and opening hours (a store locator)."""
    return _page("<h1>Stores</h1>" + "".join(
        f"<p>{i} Market Street</p><p>Mon-Fri 9am-{i % 12 + 1}pm</p>" for i in range(n)))


#: name -> (builder, what it is). The first group crashed the run; the second was slow.
CRASHERS: dict[str, Callable[[], bytes]] = {
    "deep_divs": deep_divs,
    "deep_inline": deep_inline,
    "nested_links": nested_links,
    "deep_json_ld": deep_json_ld,
    "deep_json_ld_objects": deep_json_ld_objects,
    "evil_charset": evil_charset,
    "evil_charsets": evil_charsets,
    "null_bytes": null_bytes,
    "broken_encoding": broken_encoding,
    "huge_attributes": huge_attributes,
    "many_links": many_links,
    "unterminated": unterminated,
    "garbage": garbage,
}
LARGE: dict[str, Callable[[], bytes]] = {
    "contacts_blocks_400k": lambda: contacts_blocks(400_000),
    "contacts_text_400k": lambda: contacts_text(400_000),
    "contacts_inline_400k": lambda: contacts_inline(400_000),
    "contacts_blocks_4m": lambda: contacts_blocks(4_000_000),
    "contacts_text_4m": lambda: contacts_text(4_000_000),
    "forms_3000": lambda: many_forms(3000),
    "forms_3000_one_heading": lambda: many_forms_one_heading(3000),
    "loose_textareas_2000": lambda: loose_textareas(2000),
    "table_4m": lambda: big_table(4_400_000),
    "addresses_20000": lambda: many_addresses(20000),
}
