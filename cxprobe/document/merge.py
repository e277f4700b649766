"""Facts of a page as its HTML says and as the browser built it, merged into one.

In browser mode the desktop rendering's DOM is read again with the same extractors, so a
navigation, a footer, prices or a product list built by scripts count as a customer sees
them. The static reading is not thrown away: scripts also hide things (a collapsed
accordion, an inactive tab) that a customer still reaches. The merged facts hold both:

- scalars (title, language, the hero's text, ...) are the static ones unless those are
  empty: what the HTML says first is what a typewriter effect or a late script may
  change midway;
- collections (links, headings, forms, prices, emails, ...) are the static ones, then the
  rendered items the HTML lacks (equal values counted once, occurrences counted: two
  "contact" forms stay two), so a list one item per form stays one per form, and what
  came first in the HTML (its h1, its first call to action) still comes first;
- a link the HTML leaves going nowhere (``href="#"``) that the rendered page shows going
  somewhere, same text and region, is the rendered one only: a script filled it in;
- visible text, per region: the static lines, then the rendered lines not among them;
- ``word_count`` is counted again over the merged text; ``js_shell`` stays the HTML's.

Pure functions over frozen facts; no I/O.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from ..model import Form, Link, PageFacts

_WORD = re.compile(r"\w+")
#: New words the rendered page must add before its facts are read again (fewer is noise:
#: a date, a counter, a cookie banner's line).
MATERIAL_WORDS = 20


def _empty(v: Any) -> bool:
    return v is None or v is False or v == "" or v == 0 or (isinstance(v, (tuple, list, dict)) and not v)


def _link_key(lk: Link) -> tuple[str, str, str]:
    return (lk.href.strip(), lk.text.strip().lower(), lk.region)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def rendered_adds(static: PageFacts, rendered: PageFacts) -> tuple[int, int]:
    """What the rendered page shows that the HTML does not: (new link targets, new words).

    Link targets are URLs, mailto: and tel: targets; words are those of visible-text lines
    the HTML does not hold.
    """
    def targets(f: PageFacts) -> set[str]:
        return {lk.url or lk.target for lk in f.links if lk.url or lk.target}

    new_links = len(targets(rendered) - targets(static))
    old_lines = {line for t in static.text.values() for line in _lines(t)}
    new_words = sum(len(_WORD.findall(line)) for t in rendered.text.values() for line in _lines(t)
                    if line not in old_lines)
    return new_links, new_words


def material(static: PageFacts, rendered: PageFacts) -> bool:
    """True when scripts built something worth reading: a link target the HTML lacks, or
    at least MATERIAL_WORDS words of new visible text."""
    new_links, new_words = rendered_adds(static, rendered)
    return new_links > 0 or new_words >= MATERIAL_WORDS


def merge_values(static: Any, rendered: Any) -> Any:
    """Merge two facts of the same kind (the rules in this module's docstring)."""
    if isinstance(rendered, (list, tuple)) and isinstance(static, (list, tuple)):
        out = list(static)
        try:  # hashable items (frozen facts): linear
            left = Counter(static)
            for item in rendered:
                if left[item] > 0:
                    left[item] -= 1
                else:
                    out.append(item)
        except TypeError:  # dicts or lists inside: compare one by one
            out = list(static)
            unmatched: list[Any] = list(static)
            for item in rendered:
                for i, r in enumerate(unmatched):
                    if r == item:
                        del unmatched[i]
                        break
                else:
                    out.append(item)
        return tuple(out) if isinstance(static, tuple) else out
    if isinstance(rendered, dict) and isinstance(static, dict):
        merged = {k: merge_values(v, rendered[k]) if k in rendered else v for k, v in static.items()}
        merged.update({k: v for k, v in rendered.items() if k not in static})
        return merged
    if (dataclasses.is_dataclass(rendered) and not isinstance(rendered, type) and type(static) is type(rendered)):
        return dataclasses.replace(rendered, **{f.name: merge_values(getattr(static, f.name), getattr(rendered, f.name))
                                                for f in dataclasses.fields(rendered) if f.init})
    if type(static) is not type(rendered) and not _empty(static):
        return static
    return rendered if _empty(static) else static


def merge_links(static: tuple[Link, ...], rendered: tuple[Link, ...]) -> tuple[Link, ...]:
    """The static links, then the rendered ones the HTML lacks (by href, text and
    region); a static dead link the rendered page shows live (same text and region) is
    the rendered one: a script gave it somewhere to go."""
    live: dict[tuple[str, str], Link] = {}
    for lk in rendered:
        if not lk.dead and lk.text.strip():
            live.setdefault((lk.text.strip().lower(), lk.region), lk)
    have = {_link_key(lk) for lk in static}
    out: list[Link] = []
    taken: set[tuple[str, str, str]] = set()
    for lk in static:
        filled = live.get((lk.text.strip().lower(), lk.region)) if lk.dead else None
        if filled is not None:
            if _link_key(filled) not in taken:
                taken.add(_link_key(filled))
                out.append(filled)
            continue
        out.append(lk)
    for lk in rendered:
        key = _link_key(lk)
        if key not in have and key not in taken:
            taken.add(key)
            out.append(lk)
    return tuple(out)


def merge_forms(static: tuple[Form, ...], rendered: tuple[Form, ...]) -> tuple[Form, ...]:
    """The static forms, then the rendered ones the HTML lacks (by action, method and
    fields: a script that moved a form changes its selector, not the form)."""
    def key(f: Form) -> tuple[Any, ...]:
        return (f.action, f.method, f.fields)

    have = {key(f) for f in static}
    return tuple(static) + tuple(f for f in rendered if key(f) not in have)


def merge_text(static: dict[str, str], rendered: dict[str, str]) -> dict[str, str]:
    """Per region: the static lines, then the rendered lines not among them."""
    out: dict[str, str] = {}
    for region in (*static, *(r for r in rendered if r not in static)):
        lines = _lines(static.get(region, ""))
        seen = set(lines)
        lines += [line for line in _lines(rendered.get(region, "")) if line not in seen]
        if lines:
            out[region] = "\n".join(lines)
    return out


def merge_document(static: PageFacts, rendered: PageFacts) -> PageFacts:
    """The generic document of both readings (extractors' facts are merged apart, with
    :func:`merge_values`)."""
    text = merge_text(static.text, rendered.text)
    merged = merge_values(dataclasses.replace(static, extracted={}, unextracted={}),
                          dataclasses.replace(rendered, extracted={}, unextracted={}))
    all_text = "\n".join(text.values())
    return dataclasses.replace(
        merged, url=static.url, text=text, links=merge_links(static.links, rendered.links),
        forms=merge_forms(static.forms, rendered.forms),
        word_count=len(_WORD.findall(all_text)), js_shell=static.js_shell, text_lang=static.text_lang or rendered.text_lang)
