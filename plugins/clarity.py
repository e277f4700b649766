"""Clarity touchpoint: "Within seconds: who are you, what do you do, how do you solve my need?"."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bs4 import Comment, Doctype, NavigableString, Tag

from cxprobe import (
    Box,
    Context,
    Document,
    Evidence,
    Extractor,
    Outcome,
    PageFacts,
    Probe,
    RenderedPage,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
)

from ._common import PLACEHOLDER_RE, placeholder_copy
from ._lazyre import lazy_compile, lower, remember_counts
from ._placeholders import fill_in_fields
from ._readability import language_of, measure, not_measured
from .words import CTA_WORDS

# --------------------------------------------------------------------------- the hero extractor


def _nonspace(s: str) -> int:
    """Characters of ``s`` that are not white space."""
    return len(s) - sum(1 for c in s if c.isspace())


def _text_size(node: Any, types: Any, need: int, size: tuple[int, int], budget: Document) -> tuple[int, int]:
    """Add the text of ``node`` (its strings of ``types``) to ``size``, a count of
    (characters that are not white space, words), stopping once the text is longer than
    ``need``. ``len(Document.norm(" ".join(strings)))`` is exactly characters + words - 1: the
    separator keeps words of two strings apart, so counts of parts add up."""
    chars, words = size
    nodes = [node] if isinstance(node, NavigableString) else budget.descendants(node) if isinstance(node, Tag) else []
    for n in nodes:
        if isinstance(n, NavigableString) and type(n) in types:
            split = n.split()
            words += len(split)
            chars += sum(map(len, split))
            if chars + words - 1 > need:
                break
    return chars, words


#: How long the h1's surroundings may be before they stop being the hero (characters).
_HERO_TEXT = 120


def _hero_container(anchor: Tag, budget: Document) -> Tag:
    """The h1's section: its ancestors up to a section, header, main or article, or up to
    the first one with more than 120 characters of text.

    Each ancestor's text is its child's (counted already) plus its other children's, so
    the climb reads every element at most once, however deep the h1 sits.
    """
    container: Tag = anchor
    child: Any = anchor
    child_size: tuple[int, int] | None = None  # the full text size of `child`, when counted
    for anc in anchor.parents:
        if not isinstance(anc, Tag) or anc.name in ("body", "html", "[document]"):
            break
        budget.check()
        container = anc
        types = anc.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
        reuse = child_size is not None and isinstance(child, Tag) and \
            (child.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES) == types
        size = (0, 0)
        for c in anc.contents:
            if c is child and reuse and child_size is not None:
                size = (size[0] + child_size[0], size[1] + child_size[1])
            else:
                size = _text_size(c, types, _HERO_TEXT, size, budget)
            if size[0] + size[1] - 1 > _HERO_TEXT:
                break
        if size[0] + size[1] - 1 > _HERO_TEXT or anc.name in ("section", "header", "main", "article"):
            break
        child, child_size = anc, size
    return container


#: Characters of hero text kept.
_HERO_KEEP = 800
#: Characters of a page's opening copy read as its hero when it has no headline.
_HERO_OPENING = 300
#: Class or id words of an element styled as a button ("btn", "btn-primary", "cta-link",
#: "wp-block-button__link"); "btn-dropdown-x" ids and toggles are read apart.
_BUTTON_TOKEN = lazy_compile(r"^(?:btn|button|cta)(?:$|[-_])|[-_](?:btn|button|cta)(?:$|[-_])|^wp-block-button")
#: Class or id words of an element that is the page's hero ("hero", "masthead", "jumbotron", "banner"...).
_HERO_TOKEN = lazy_compile(r"(?:^|[-_])(?:hero|masthead|jumbotron|banner|splash|showcase)(?:$|[-_])|^(?:intro|cover|page-header)$")
#: Containers of a mini cart, basket or off-canvas panel: their "Checkout now" is no hero CTA.
_CART_TOKEN = lazy_compile(r"(?:^|[-_])(?:cart|minicart|mini-cart|basket|bag|offcanvas|drawer|modal|popup|dropdown)(?:$|[-_])")
#: Control words of menu toggles and carousels, never a call to action.
_TOGGLE_TOKEN = lazy_compile(r"toggle|toggler|hamburger|burger|carousel|slick|swiper|close|dismiss")
#: Tags that start a part of the page of their own: once the hero's anchor is passed, one
#: that does not hold the anchor is a section below the hero, not the hero.
_LANGUAGE_SWITCH = lazy_compile(r"^(?:english|deutsch|fran[çc]ais|espa[ñn]ol|italiano|portugu[êe]s|nederlands|polski|"
                              r"[čc]esky|[čc]e[šs]tina|svenska|dansk|norsk|suomi|rom[âa]n[ăa]|t[üu]rk[çc]e|"
                              r"en|de|fr|es|it|pt|nl|pl|cs)\b", re.I)
_SECTIONING = frozenset(("section", "article", "main", "footer", "aside"))
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3}


def _button_styled(el: Tag) -> bool:
    """A button, or a link styled or marked as one (class btn/button/cta, role=button)."""
    if el.name == "button" or str(el.get("role") or "").lower() == "button":
        return True
    classes: Any = el.get("class") or []
    return any(_BUTTON_TOKEN.search(c.lower()) for c in classes if isinstance(c, str))


def _control(el: Tag) -> bool:
    """A menu toggle, carousel arrow or close button: it opens or moves things, it leads nowhere."""
    if el.get("aria-expanded") is not None or el.get("aria-controls") is not None or el.get("data-toggle") \
            or el.get("data-bs-toggle") or el.get("data-bs-dismiss") or el.get("data-dismiss"):
        return True
    return any(_TOGGLE_TOKEN.search(t) for t in Document.tokens(el))


def _in_menu(el: Tag, seen: dict[int, bool]) -> bool:
    """A link or button among four or more of its kind side by side (or in sibling list
    items): a menu, whose entries are places to go, not the page's call to action.
    ``seen`` keeps the answer per parent, so a row of links is counted once."""
    parent = el.parent
    if isinstance(parent, Tag) and parent.name == "li":
        parent = parent.parent
    if not isinstance(parent, Tag):
        return False
    if id(parent) not in seen:
        n = 0
        for child in parent.children:
            if isinstance(child, Tag) and (child.name in ("a", "button") or child.name == "li" and child.find(["a", "button"])):
                n += 1
                if n >= 4:
                    break
        seen[id(parent)] = n >= 4
    return seen[id(parent)]


def _in_cart(el: Tag, stop: Tag | None) -> bool:
    for anc in el.parents:
        if anc is stop or not isinstance(anc, Tag) or anc.name in ("body", "html"):
            return False
        if any(_CART_TOKEN.search(t) for t in Document.tokens(anc)):
            return True
    return False


def _cta(el: Tag, budget: Document, menus: dict[int, bool], *, need_style: bool) -> tuple[str, str] | None:
    """(text, href) of ``el`` when it is a call to action: a button-styled link whatever its
    words, or (unless ``need_style``) a plain link whose words ask for the next step."""
    if _control(el) or _in_menu(el, menus):
        return None
    text = budget.text(el, 61)
    if not text or len(text) > 60 or not re.search(r"\w", text):
        return None
    if _LANGUAGE_SWITCH.match(text) or "translate" in str(el.get("href") or "").lower():
        return None  # a language switch changes the words, not the customer's next step
    styled = _button_styled(el)
    if el.name == "button" and str(el.get("type") or "").lower() == "submit" and el.find_parent("form") is not None:
        styled = True
    if need_style and not styled:
        return None
    if not styled and not CTA_WORDS.search(text):
        return None
    return text, str(el.get("href") or "")


def _masthead_ctas(body: Tag, budget: Document) -> list[tuple[str, str]]:
    """Button-styled links of the masthead (the page's first header or navigation bar): a
    "Book now" button beside the menu is the page's call to action whatever its words."""
    out: list[tuple[str, str]] = []
    menus: dict[int, bool] = {}
    for name in ("header", "nav"):
        first = next(iter(budget.tags(name)), None)
        if not isinstance(first, Tag) or first.find_parent("footer") is not None:
            continue
        for el in first.find_all(["a", "button"], limit=60):
            budget.tick()
            if Document.is_hidden(el) or el.name == "button" and not el.get("onclick") and el.find_parent("form") is None:
                continue
            found = _cta(el, budget, menus, need_style=True)
            if found and found not in out and not _in_cart(el, first):
                out.append(found)
    return out


def _hero_anchor(body: Tag, budget: Document) -> Tag | None:
    """What the hero is built around: the h1; else an element named as the hero
    (class hero, masthead, jumbotron, banner...); else the first h2 or h3 outside the
    navigation and footer."""
    h1 = body.find("h1")
    if isinstance(h1, Tag) and budget.text(h1, 5):  # an h1 holding only the logo image is no headline
        return h1
    for tag in budget.descendants(body):
        if not isinstance(tag, Tag) or tag.name in ("nav", "footer", "header", "script", "style"):
            continue
        # The cheap test first: climbing to the root for every element would be quadratic.
        if any(_HERO_TOKEN.search(t) for t in Document.tokens(tag)) and tag.find_parent(["nav", "footer"]) is None \
                and budget.text(tag, 20):
            return tag
        if tag.name in ("h2", "h3"):
            break
    if isinstance(h1, Tag):
        return h1
    for tag in body.find_all(["h2", "h3"], limit=3):
        if tag.find_parent(["nav", "footer"]) is None:
            return tag
    return None


def _hero(body: Tag, budget: Document) -> tuple[str, list[tuple[str, str]]]:
    """Text and call-to-action candidates of the first screenful (the h1's section)."""
    anchor = _hero_anchor(body, budget)
    if anchor is None:
        # No headline and nothing named as the hero: the opening copy of the page is what
        # a customer reads first, up to the first section or heading.
        container, anchor_level, holds_anchor, keep = body, 3, set(), _HERO_OPENING
    else:
        container = anchor if anchor.name not in _HEADING_LEVEL else _hero_container(anchor, budget)
        anchor_level = _HEADING_LEVEL.get(anchor.name or "", 1)
        holds_anchor = {id(a) for a in anchor.parents} | {id(anchor)}
        keep = _HERO_KEEP
    ctas: list[tuple[str, str]] = []
    menus: dict[int, bool] = {}
    # One line per block (eyebrow, headline, lead sentence, buttons), so a sentence is
    # never glued to the label above it. Whether an element is left out (hidden, in the
    # navigation) and which block it is in are passed down from its parent, once per
    # element. Reading stops at the first section or heading below the hero, and once
    # more than the 800 characters kept are settled.
    lines: list[list[str]] = []
    last_block: Tag | None = None
    #: id(element) -> (left out of the hero, its block, inside a link or button).
    state: dict[int, tuple[bool, Any, bool]] = {id(container): (False, container, False)}
    kept = 0
    passed_anchor = anchor is None
    for node in budget.descendants(container):
        skipped, block, in_control = state[id(node.parent)]
        if isinstance(node, Tag):
            if node is anchor:
                passed_anchor = True
            elif passed_anchor and id(node) not in holds_anchor and (
                    node.name in _SECTIONING or _HEADING_LEVEL.get(node.name or "", 9) <= anchor_level):
                break  # a section or heading of its own: the page below the hero
            leave_out = skipped or Document.is_hidden(node) or node.name == "nav" \
                or str(node.get("role") or "").lower() == "navigation"
            control = node.name in ("a", "button")
            state[id(node)] = (leave_out, node if node.name in Document.BLOCK_TAGS else block, in_control or control)
            # A link inside a link is one control: read once, from the outer one.
            if control and not in_control and not leave_out and len(ctas) < 30:
                found = _cta(node, budget, menus, need_style=False)
                if found and not _in_cart(node, container):
                    ctas.append(found)
            continue
        if not isinstance(node, NavigableString) or isinstance(node, (Comment, Doctype)) or skipped:
            continue
        if isinstance(node.parent, Tag) and node.parent.name in Document.INVISIBLE_TAGS:
            continue
        if not node.strip():
            continue
        if block is not last_block or not lines:
            lines.append([])
            last_block = block if isinstance(block, Tag) else None
        lines[-1].append(str(node))
        kept += _nonspace(node)
        if kept > keep:
            break
    if not ctas:
        ctas = _masthead_ctas(body, budget)
    text = "\n".join(t for t in (Document.norm(" ".join(line)) for line in lines) if t)
    return text[:_HERO_KEEP], ctas[:5]


@dataclass(frozen=True)
class Hero:
    """The ``hero`` facts of a page: the first screenful of copy and its calls to action."""

    #: The h1's section as lines (eyebrow, headline, lead sentence, buttons), at most 800 characters.
    text: str = ""
    #: Call-to-action candidates in the hero: (text, href) pairs, best first.
    ctas: tuple[tuple[str, str], ...] = ()


class HeroExtractor(Extractor):
    """``hero``: the h1's section of the page and the calls to action in it."""

    name = "hero"
    description = "the first screenful of copy (the h1's section) and its call-to-action candidates"

    def extract(self, doc: Document) -> Hero:
        body = next(iter(doc.tags("body")), None)
        text, ctas = _hero(body if isinstance(body, Tag) else doc.soup, doc)
        return Hero(text=text, ctas=tuple(ctas))


def hero(f: PageFacts) -> Hero:
    """A page's ``hero`` facts."""
    value: Hero = f.fact("hero")
    return value


TOUCHPOINT = Touchpoint(
    id="clarity", title="Clarity",
    question="Within seconds: who are you, what do you do, how do you solve my need?", weight=3,
    fact_defaults={"h1": None, "cta": None, "reading_ease": None, "grade": None,
                   "seconds_to_understand": None, "placeholder": []},
)
BOILERPLATE_H1 = lazy_compile(r"^(home|homepage|welcome|untitled|index|main|page|hello,? world!?|header|title|heading|logo|menu)$", re.I)
WORDS_PER_SECOND = 238 / 60  # average silent reading speed of adults


def readability(text: str, lang: str | None) -> tuple[float, float] | None:
    """(reading ease, school grade) of the prose in ``text``, in language ``lang``, with the
    formula validated for that language (see ``_readability``); None when the language has
    none here or the text holds too little prose."""
    r = measure(text, language_of(lang, None))
    return None if r is None else (r.reading_ease, r.grade)


def page_language(f: PageFacts) -> str | None:
    """The language a page's text is in (declared ``lang``, checked against the text)."""
    return language_of(f.lang, f.text_lang)


def value_sentence(f: PageFacts) -> str | None:
    """The hero sentence that says what the business does (6 to 40 words besides the h1)."""
    text = hero(f).text
    for h in f.h1s:
        text = text.replace(h, " ")
    for s in re.split(r"(?<=[.!?])\s+|\n", text):
        if 6 <= len(re.findall(r"\w+", s)) <= 40:
            return s.strip()
    return None


@dataclass(frozen=True)
class CopyChecks:
    """What the page's copy says of it, read once per page (where pages are read, in
    parallel) so that the probes only gather it: the text scans of a page cost more
    than every probe's reading of the site together."""

    #: Placeholder copy and template fill-in tokens in the title and text, as written,
    #: each once (the first spelling), code samples left out.
    placeholders: tuple[str, ...] = ()
    #: Contact fields never filled in ("[Phone number]", "Telefon: folgt", "+33 1 XX XX XX XX"),
    #: each once, code samples left out.
    fill_ins: tuple[str, ...] = ()
    #: Reading grade of the first 5,000 characters of the main text, in the page's language
    #: (at least 3 sentences and 40 words of prose), or None when not measured.
    main_grade: float | None = None


def _once(found: Iterable[str], samples: tuple[str, ...]) -> tuple[str, ...]:
    kept: dict[str, str] = {}
    lowered = [s.lower() for s in samples]
    for snippet in found:
        low = snippet.lower()
        # "{{API_TOKEN}}" in a code sample is documentation, not template copy.
        if low not in kept and not any(low in s for s in lowered):
            kept[low] = snippet
    return tuple(kept.values())


class CopyExtractor(Extractor):
    """``copy``: placeholder copy, unfilled contact fields and the reading grade of a page."""

    name = "copy"
    description = "placeholder copy, contact fields never filled in, and the reading grade of the main text"
    requires = ("samples",)

    def extract(self, doc: Document) -> CopyChecks:
        f = doc.facts
        samples: tuple[str, ...] = doc.fact("samples")
        # The clocks are read between the passes: each reads the whole text once.
        grade = measure(f.text.get("main", "")[:5000], page_language(f), min_sentences=3, min_words=40)
        doc.check()
        # The page's words are counted already: the placeholder words are looked for
        # among its distinct ones without splitting the text again.
        remember_counts(lower(f.all_text), lambda: doc.token_counts(lower=True))
        placeholders = _once(placeholder_copy(f.title, f.all_text), samples)
        doc.check()
        fill_ins = _once(fill_in_fields(f.all_text), samples)
        return CopyChecks(placeholders=placeholders, fill_ins=fill_ins, main_grade=None if grade is None else grade.grade)


def copy_checks(f: PageFacts) -> CopyChecks:
    """The page's ``copy`` facts."""
    value: CopyChecks = f.fact("copy")
    return value


def placeholders(ctx: Context) -> list[tuple[str, str, bool]]:
    """(url, text, in hero) of placeholder or template copy on crawled pages."""
    out: list[tuple[str, str, bool]] = []
    start = ctx.start
    for f in ctx.facts():
        hero_text = hero(f).text.lower() if start is not None and f.url == start.url else ""
        for snippet in copy_checks(f).placeholders:
            out.append((f.url, snippet, bool(hero_text) and snippet.lower() in hero_text))
    return out


class ClarityHeadline(Probe):
    id = "clarity.headline"
    touchpoint = "clarity"
    title = "The home page has one clear headline"
    failure_title = "The home page has no clear headline"
    description = """
In the first seconds the headline must say who you are and what you do. Checked on the start
page: exactly one h1, with words that are not boilerplate ("Home", "Welcome") or template
placeholder ("Main Hero Message", "lorem ipsum"). Score: one real h1 1.0, several 0.8,
boilerplate 0.5, none 0.4.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        f = ctx.start
        if f is None:
            return Outcome.na("no start page")
        h1s = [h for h in f.h1s if h.strip()]
        facts = {"h1": h1s[0][:200] if h1s else None}
        if not h1s:
            return outcome(0.4, [issue("no-h1", "Home page has no h1 headline",
                                       "Nothing on the start page is marked as its main headline.", severity="warning",
                                       evidence=[Evidence(url=f.url)])], facts)
        if BOILERPLATE_H1.match(h1s[0]) or PLACEHOLDER_RE.search(h1s[0]):
            return outcome(0.5, [issue("boilerplate-h1", "Headline says nothing about the business",
                                       f"The h1 reads {h1s[0]!r}.", severity="warning", key=h1s[0].lower(),
                                       evidence=[Evidence(url=f.url, selector="h1", snippet=h1s[0])])], facts)
        if len(h1s) > 1:
            return outcome(0.8, [issue("several-h1", "Home page has several h1 headlines",
                                       f"{len(h1s)} h1 elements compete for attention: {', '.join(repr(h[:40]) for h in h1s[:3])}.",
                                       severity="info", evidence=[Evidence(url=f.url, selector="h1", snippet=h1s[1])])], facts)
        return outcome(1.0, (), facts)


class ClarityPlaceholder(Probe):
    id = "clarity.placeholder"
    touchpoint = "clarity"
    title = "No placeholder or template copy is left on the pages"
    failure_title = "Placeholder or template copy is left on the pages"
    description = """
"Lorem ipsum", "Main Hero Message to sell yourself!", "A Bootstrap 5 template for..." or
fill-in tokens such as "[SaaS Product]" and "{{ company }}" tell the customer nobody finished
the site. Checked on every crawled page; placeholder copy in the
home page hero costs most. Score: none 1.0; one or two kinds elsewhere 0.6; three or four
kinds 0.3; five or more (an untouched template) 0.1; in the hero 0.0.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        found = placeholders(ctx)
        seen: dict[str, str] = {}
        for _u, snippet, _h in found:
            seen.setdefault(snippet.lower(), snippet)
        facts = {"placeholder": sorted(seen.values(), key=str.lower)}
        if not found:
            return outcome(1.0, (), facts)
        in_hero = [x for x in found if x[2]]
        by_page: dict[str, list[str]] = {}
        for u, s, _h in found:
            by_page.setdefault(u, []).append(s)
        issues = []
        if in_hero:
            issues.append(issue("placeholder-hero", "Home page hero shows placeholder copy",
                                "The first thing customers read is template copy: "
                                + ", ".join(repr(s) for _u, s, _h in in_hero) + ".",
                                severity="error", evidence=[Evidence(url=u, snippet=s) for u, s, _h in in_hero]))
        issues.append(issue("placeholder-copy", "Template placeholder copy is shown",
                            "Template copy a customer should never see (lorem ipsum, 'your company name', ...).",
                            severity="warning",
                            evidence=[Evidence(url=u, snippet=", ".join(ss)) for u, ss in sorted(by_page.items())]))
        # An untouched template shows its placeholder copy in many places.
        distinct = {s.lower() for _u, s, _h in found}
        score = 0.0 if in_hero else 0.1 if len(distinct) >= 5 else 0.3 if len(distinct) >= 3 else 0.6
        return outcome(score, issues, facts)


class ClarityValueProposition(Probe):
    id = "clarity.value_proposition"
    touchpoint = "clarity"
    title = "The hero explains what the business does"
    failure_title = "The hero does not explain what the business does"
    description = """
Beyond the headline, one sentence should say what you do and for whom. Checked: the first
screenful of copy around the h1 (the hero) holds a sentence of 6 to 40 words besides the
headline. Score 1.0, else 0.5 (a headline alone), 0.2 with no hero text at all.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        f = ctx.start
        if f is None:
            return Outcome.na("no start page")
        sentence = value_sentence(f)
        if sentence:
            return outcome(1.0, (), {"value_proposition": sentence[:200]})
        hero_text = hero(f).text
        if not hero_text:
            return outcome(0.2, [issue("no-hero", "Home page has no hero text", "No headline or opening copy was found.",
                                       evidence=[Evidence(url=f.url)])])
        return outcome(0.5, [issue("no-value-proposition", "Hero has a headline but no sentence saying what you do",
                                   "Add one sentence under the headline: what you do, for whom, and the benefit.",
                                   evidence=[Evidence(url=f.url, snippet=hero_text[:120])])])


class ClarityCallToAction(Probe):
    id = "clarity.cta"
    touchpoint = "clarity"
    title = "The hero has a primary call to action"
    failure_title = "The hero has no working call to action"
    description = """
Once customers understand, they need the next step: "Get started", "Book a table", "See
pricing". Checked: a button-like link or button in the hero; a call to action that goes
nowhere (#, empty href) counts half. Score 1.0 / 0.5 / 0.3.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        f = ctx.start
        if f is None:
            return Outcome.na("no start page")
        ctas = hero(f).ctas
        if not ctas:
            return outcome(0.3, [issue("no-cta", "Hero has no call to action",
                                       "The first screen offers no next step (button or link such as 'Get started').",
                                       evidence=[Evidence(url=f.url)])], {"cta": None})
        text, href = ctas[0]
        h = href.strip().lower()
        if h in ("", "#", "#!") or h.startswith("javascript:void"):
            real = [(t, x) for t, x in ctas if x.strip() and x.strip() not in ("#", "#!")]
            if real:
                return outcome(1.0, (), {"cta": real[0][0]})
            return outcome(0.5, [issue("dead-cta", "Call to action goes nowhere",
                                       f"The hero button {text!r} has href {href!r}.", severity="warning", key=text.lower(),
                                       evidence=[Evidence(url=f.url, snippet=text)],
                                       cause=ctx.dead_link_cause(text))], {"cta": text})
        return outcome(1.0, (), {"cta": text})


class ClarityReadability(Probe):
    id = "clarity.readability"
    touchpoint = "clarity"
    title = "The hero copy is easy to read"
    failure_title = "The hero copy is hard to read"
    description = """
Copy a customer must decode is copy a customer skips. Checked offline (textstat) on the prose
of the hero, in the page's language with the formula made for it: Flesch-Kincaid grade
(English), Wiener Sachtextformel (German), Fernández Huerta (Spanish), Kandel-Moles (French),
Gulpease (Italian), Flesch-Douma (Dutch), Oborneva (Russian); reading-ease scores are turned
into a school grade with the formula's own interpretation table. Only sentences count
(sentence punctuation, three words or more), at least 2 of them and 20 words: headings,
taglines and button labels are not prose. Grade <= 9 -> 1.0, <= 12 -> 0.8, more -> 0.5.
Not checked (not applicable) for other languages or too little prose.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        f = ctx.start
        if f is None:
            return Outcome.na("no start page")
        hero_text = hero(f).text
        for h in f.h1s:  # the headline is read at a glance, not as prose
            hero_text = hero_text.replace(h, "\n")
        lang = page_language(f)
        r = measure(hero_text, lang)
        if r is None:
            return Outcome.na(not_measured(hero_text, lang), {"reading_ease": None, "grade": None})
        facts = {"reading_ease": r.reading_ease, "grade": r.grade, "readability_formula": f"{r.formula} ({r.lang})"}
        score = 1.0 if r.grade <= 9 else 0.8 if r.grade <= 12 else 0.5
        issues = []
        if r.grade > 12:
            issues.append(issue("hero-hard-to-read", "Hero copy is hard to read",
                                f"The hero's {r.sentences} sentences read at about grade {r.grade:.0f} "
                                f"({r.formula}: {r.value:.0f}); aim for grade 9 or below: shorter sentences, "
                                "everyday words.", evidence=[Evidence(url=f.url, snippet=hero_text.strip()[:120])]))
        return outcome(score, issues, facts)


def hero_cta_on_screen(f: PageFacts | None, rp: RenderedPage) -> tuple[str, bool | None, Box | None]:
    """(the hero's call to action, whether it lies in the first viewport of ``rp``).

    The hero's own call to action (from the HTML) is looked for among the controls the
    browser laid out; without one there, the browser's own pick of a button-like control
    in the first viewport stands (None when neither is known)."""
    ctas = hero(f).ctas if f is not None and "hero" in f.extracted else ()
    if ctas:
        want = " ".join(ctas[0][0].split()).lower()
        for t in rp.tap_targets:
            if " ".join(t.text.split()).lower() == want:
                return ctas[0][0], t.box.y < rp.height, t.box
    return rp.cta_text, rp.cta_in_viewport, rp.cta_box


class ClarityTimeToUnderstand(Probe):
    id = "clarity.time_to_understand"
    touchpoint = "clarity"
    title = "A visitor understands the offer within 5-10 seconds"
    failure_title = "Understanding the offer takes longer than 10 seconds"
    description = """
Estimated time to understand = time until the largest content paints on a phone (LCP, else
FCP) + the time an average adult (238 words a minute) needs to read what says who you are and
what you do: the headline and the hero sentence under it (the value proposition). When the
headline is not on the first screen, all the copy of the first viewport counts instead (menu
entries, links and button labels are glanced at, not read). Budget: 5 s or less -> 1.0, falling linearly to 0.5 at 10 s, 0.2 beyond 15 s. Also
checked: the h1 and the primary call to action lie inside the first viewport on mobile and
desktop, not covered by an overlay (consent wall, modal). Browser mode only.
"""
    weight = 2
    requires = ("site", "rendering")

    def check(self, ctx: Context) -> Outcome:
        r = ctx.rendering
        assert r is not None
        start = ctx.site.start_url
        mobile = r.get(start, "mobile")
        desktop = r.get(start, "desktop")
        if mobile is None or mobile.error:
            return Outcome.na("the start page could not be rendered on mobile")
        paint = mobile.lcp_ms if mobile.lcp_ms is not None else mobile.fcp_ms
        # What a customer must read to understand: the headline and the sentence that says
        # what the business does. Without a headline on the first screen, all its copy.
        f = ctx.start
        sentence = value_sentence(f) if f is not None else None
        if f is not None and f.h1s and mobile.h1_in_viewport is not False:
            to_read = f.h1s[0] + " " + (sentence or "")
        else:
            to_read = mobile.first_viewport_text
        words = len(re.findall(r"\w+", to_read))
        seconds = round((paint or 0) / 1000 + words / WORDS_PER_SECOND, 1)
        if seconds <= 5:
            score = 1.0
        elif seconds <= 10:
            score = 1.0 - 0.5 * (seconds - 5) / 5
        else:
            score = max(0.2, 0.5 - 0.3 * (seconds - 10) / 5)
        issues = []
        if seconds > 10:
            issues.append(issue("slow-to-understand", "Understanding the first screen takes too long",
                                f"About {seconds:.0f} s: {paint or 0:.0f} ms to paint plus {words} words to read on a phone.",
                                evidence=[Evidence(url=start, snippet=mobile.first_viewport_text[:120])]))
        for rp in (mobile, desktop):
            if rp is None or rp.error:
                continue
            if rp.h1_in_viewport is False:
                score -= 0.15
                issues.append(issue("h1-below-fold", f"Headline is not in the first {rp.viewport} viewport",
                                    f"The h1 {rp.h1_text!r} needs scrolling on {rp.viewport}.", key=rp.viewport,
                                    evidence=[Evidence(url=start, selector="h1", snippet=rp.h1_text, box=rp.screen_box(rp.h1_box))]))
            cta_text, cta_in_view, cta_box = hero_cta_on_screen(f, rp)
            if cta_in_view is False:
                score -= 0.1
                issues.append(issue("cta-below-fold", f"Call to action is not in the first {rp.viewport} viewport",
                                    f"The primary call to action {cta_text!r} needs scrolling on {rp.viewport}.",
                                    key=rp.viewport, evidence=[Evidence(url=start, snippet=cta_text, box=rp.screen_box(cta_box))]))
            if rp.overlay_share >= 0.3:
                score -= 0.2
                issues.append(issue("overlay", f"An overlay covers the first {rp.viewport} viewport",
                                    f"{rp.overlay_share:.0%} of the first screen is covered ({rp.overlay_selector}).",
                                    severity="warning", key=rp.viewport,
                                    evidence=[Evidence(url=start, selector=rp.overlay_selector,
                                                       box=rp.screen_box(rp.overlay_box))]))
        return outcome(max(0.0, score), issues, {"seconds_to_understand": seconds, "words_to_read": words})


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(HeroExtractor())
    register(CopyExtractor())


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (ClarityHeadline, ClarityPlaceholder, ClarityValueProposition, ClarityCallToAction,
                ClarityReadability, ClarityTimeToUnderstand):
        register(cls())
