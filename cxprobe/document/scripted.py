"""Signs that scripts build part of a page: what a static reading of its HTML cannot see.

A navigation or footer fetched from ``header.html`` into an empty ``<div id="header">``,
jQuery's ``.load()``, markup written with ``document.write``, a framework's empty root
element, ``<template>`` content stamped out by a script, or the page's data shipped as
inline JSON: static mode judges the HTML, and these pages show a customer more than that.
Browser mode reads their rendered DOM (:mod:`cxprobe.document.merge`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import Tag

from .clock import Clock
from .tree import _short_text

#: What a page builds with scripts, in a stable order (the page fact's words).
CUES = ("include", "document-write", "empty-root", "empty-region", "template", "inline-json")

#: A partial fetched and put into the page: fetch('header.html'), $('#nav').load('nav.html'),
#: XMLHttpRequest of a .html file, w3-include-html / data-include attributes.
_INCLUDE_RE = re.compile(
    r"""(?:fetch|\.load|\.open\s*\(\s*['"]get['"]\s*,)\s*\(?\s*[`'"][^`'"]{0,200}\.(?:s?html?|php)\b""", re.I)
_INCLUDE_ATTRS = ("w3-include-html", "data-include", "data-include-html", "include-html", "hx-get")
#: document.write of markup (not of the year in a copyright line).
_WRITE_RE = re.compile(r"""document\.write(?:ln)?\s*\(\s*[`'"]\s*<""", re.I)
_ROOT_IDS = re.compile(r"^(root|app|__next|__nuxt|main-app|svelte|ember\w*|q-app)$", re.I)
#: Elements a script usually fills: the landmarks, or a div named after one.
_REGION_IDS = re.compile(r"^(site-?|page-?|main-?|top-?)?(header|footer|nav|navbar|navigation|menu|topbar)"
                         r"(-?(container|placeholder|wrapper|include))?$", re.I)
#: Inline data bigger than this (characters) is page content shipped for a script to show.
INLINE_JSON_CHARS = 2000


def script_built(scripts: Iterable[Tag], has_script_src: bool, tags: dict[str, list[Tag]],
                 clock: Clock) -> tuple[str, ...]:
    """The cues (:data:`CUES`) that scripts build part of this page; empty when none."""
    found: set[str] = set()
    code = []
    has_code = has_script_src
    for s in scripts:
        clock.tick()
        kind = str(s.get("type") or "").lower()
        text = s.string or ""
        if kind in ("application/json", "application/ld+json") or "json" in kind:
            if kind != "application/ld+json" and len(text) >= INLINE_JSON_CHARS:
                found.add("inline-json")  # JSON-LD is metadata, not content
            continue
        if s.has_attr("src"):
            continue
        has_code = True
        code.append(text[:200_000])
    source = "\n".join(code)
    clock.check()
    if _INCLUDE_RE.search(source):
        found.add("include")
    if _WRITE_RE.search(source):
        found.add("document-write")
    if re.search(r"__NEXT_DATA__|__NUXT__|__INITIAL_STATE__|__APOLLO_STATE__", source) and len(source) >= INLINE_JSON_CHARS:
        found.add("inline-json")
    clock.check()
    if not has_code:
        return tuple(c for c in CUES if c in found)
    for name in ("div", "header", "footer", "nav", "section", "main"):
        for t in tags.get(name, ()):
            clock.tick()
            if any(t.has_attr(a) for a in _INCLUDE_ATTRS):
                found.add("include")
            ident = str(t.get("id") or "")
            # A placeholder a script fills by a name of its own: data-partial="header",
            # data-component="footer", data-include="nav".
            named = [str(v) for k, v in t.attrs.items() if k.startswith("data-") and isinstance(v, str)]
            empty = None
            if name in ("header", "footer", "nav") or _REGION_IDS.match(ident) or any(_REGION_IDS.match(v) for v in named):
                empty = not t.find(True) and _short_text(t, 0, clock)
                if empty:
                    found.add("empty-region")
            if ident and _ROOT_IDS.match(ident):
                if empty is None:
                    empty = not t.find(True) and _short_text(t, 0, clock)
                if empty:
                    found.add("empty-root")
    for t in tags.get("template", ()):
        clock.tick()
        if t.find(True) is not None:
            found.add("template")
            break
    return tuple(c for c in CUES if c in found)
