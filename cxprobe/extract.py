"""Page-facts extraction: (url, headers, bytes) -> :class:`PageFacts`.

One parse per page (BeautifulSoup over lxml), one walk over the tree, and the facts are
kept, not the tree. :func:`extract_facts` is a pure function of its arguments with no
global state, so it can run in a process pool. HTML comments and the content of
``<script>``, ``<style>``, ``<template>`` and ``<noscript>`` never count as visible text.

Any page may be hostile, so every step is linear in the size of the page and none
recurses: the tree is walked with an explicit stack, facts that need an element's
surroundings (its block, its selector, the heading before a form) are computed once per
element and remembered, and every scan over matches keeps its matches in order instead of
comparing each with all the others. A page that still takes longer than its budget stops
with :class:`ExtractionInterrupted`, and so does a page the run's deadline catches, so one
page never holds up the run.
"""

from __future__ import annotations

import bisect
import codecs
import json
import math
import re
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote

import phonenumbers
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.builder._lxml import LXMLTreeBuilder  # bs4.builder exports it only at run time
from bs4.dammit import EncodingDetector
from price_parser import Price as ParsedPrice

from . import urls
from .language import LANGUAGE_REGION, detect_language
from .model import (
    Email,
    Form,
    FormField,
    Heading,
    Image,
    Link,
    PageFacts,
    Phone,
    Price,
)

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

_WS = re.compile(r"\s+")
_WS_CHARS = re.compile(r"\s")
EMAIL_RE = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})(?![\w-])")
# A digit group a phone cue can mark even when phonenumbers rejects it.
CUE_NUMBER_RE = re.compile(r"(?<![\w.])(\+?\(?\d[\d\s().\-/]{5,22}\d)(?![\w])")
PHONE_CUE_RE = re.compile(
    r"(?:\bcall\b|\bcall us\b|\bphone\b|\btel\b\.?|\btelephone\b|\bmobile\b|\bcell\b|"
    r"\bwhatsapp\b|\bhotline\b|\bfax\b|téléphone|\btél\b|\btelefon\b|\btelefono\b|"
    r"\bteléfono\b|\bruf\b|\bappelez\b|\bllámanos\b|☎|📞|✆)",
    re.I,
)
PHONE_LABELS = (
    ("fax", re.compile(r"\bfax\b|telefax", re.I)),
    ("sales", re.compile(r"\bsales\b|vertrieb|ventes|ventas", re.I)),
    ("support", re.compile(r"\bsupport\b|\bhelp ?desk\b|service client|kundendienst|soporte", re.I)),
    ("booking", re.compile(r"\bbook(?:ing)?\b|reserv|r[ée]servation", re.I)),
    ("billing", re.compile(r"\bbilling\b|\baccounts\b", re.I)),
    ("emergency", re.compile(r"\bemergenc", re.I)),
    ("press", re.compile(r"\bpress\b|\bmedia\b", re.I)),
    # Numbers of other organisations printed on legal pages: the data-protection
    # authority, the web host, the publisher.
    ("third-party", re.compile(r"aufsichtsbeh[öo]rde|datenschutzbeh[öo]rde|landesbeauftragte|supervisory\s+authority|"
                               r"data\s+protection\s+authority|commissioner|\bcnil\b|h[ée]bergeur|[ée]diteur|"
                               r"hosting\s+provider|\bhosted\s+by|\bweb\s*host|autoridad\s+de\s+control", re.I)),
)
THIRD_PARTY_RE = PHONE_LABELS[-1][1]
CURRENCY_SYMBOLS = "$€£¥₹₩₽₺₪฿₫₱"
CURRENCY_CODES = r"USD|EUR|GBP|CHF|AUD|CAD|NZD|JPY|INR|SEK|NOK|DKK|PLN|CZK|BRL|MXN|ZAR|SGD|HKD"
# "1,500.00", "250 000", "$2000", "12.99": a separated form needs a group and no digit after.
_AMOUNT = r"\d{1,3}(?:[,.' ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?"
PRICE_RE = re.compile(
    rf"(?:(?:(?:US|A|C|NZ|R|HK|S)?[{CURRENCY_SYMBOLS}])\s?(?:{_AMOUNT})"
    rf"|(?:{_AMOUNT})\s?[{CURRENCY_SYMBOLS}]"
    rf"|\b(?:{CURRENCY_CODES})\s?(?:{_AMOUNT})\b"
    rf"|\b(?:{_AMOUNT})\s?(?:{CURRENCY_CODES})\b"
    rf"|(?<![\w])(?:{_AMOUNT})\s?(?:kr|zł|Kč|Fr\.)(?!\w))"
)
PLACEHOLDER_PRICE_RE = re.compile(
    rf"[{CURRENCY_SYMBOLS}]\s?(?:[xX]+(?:[.,][\dxX]+)?|\d+[.,][xX]{{1,2}})(?![\w])"
    rf"|\b[xX]{{1,3}}[.,]\d\d\s?[{CURRENCY_SYMBOLS}]"
)
PERIOD_PATTERNS = (
    ("month", re.compile(r"^\s*(?:/|per|a|an|each|every|par|pro|al|por)?\s*(?:mo\b|mth|month|monthly|mois|monat|mes|pm\b|pcm\b|p/m\b)", re.I)),
    ("year", re.compile(r"^\s*(?:/|per|a|an|each|every|par|pro|al|por)?\s*(?:yr\b|year|yearly|annum|annually|an\b|jahr|año)", re.I)),
    ("week", re.compile(r"^\s*(?:/|per|a|each|every)\s*(?:wk\b|week)", re.I)),
    ("day", re.compile(r"^\s*(?:/|per|a|each|every)\s*(?:day|night)", re.I)),
    ("hour", re.compile(r"^\s*(?:/|per|an|each|every)\s*(?:hr\b|hour)", re.I)),
    ("one-time", re.compile(r"^\s*(?:one[- ]time|once|lifetime|forever)", re.I)),
)
PERIOD_ANYWHERE = (
    ("month", re.compile(r"/\s?mo\b|/\s?month|per month|a month|monthly|billed monthly|par mois|pro monat|al mes|por mes", re.I)),
    ("year", re.compile(r"/\s?yr\b|/\s?year|per year|a year|yearly|annually|billed annually|par an|pro jahr|al año|por año", re.I)),
)
UNIT_RE = re.compile(r"^\s*(?:/\s*)?(?:per|a|/)\s*(user|seat|member|person|guest|editor|agent)", re.I)
PROSE_MAGNITUDE = re.compile(r"^\s*(?:million|billion|trillion|bn\b|mn\b|m\b|k\b|b\b|thousand|\+)", re.I)
PROSE_CUES = re.compile(
    r"\b(raised|saved|recovered|revenue|funding|worth|valued|invested|earned|generated|"
    r"turnover|profit|paid out|processed|lost|spent|donated|grant|budget|salary)\b",
    re.I,
)
HOURS_RE = re.compile(
    r"((?:mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"weekdays|weekends|daily|lun|mar|mer|jeu|ven|sam|dim|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lunes|martes|sábado|domingo)[a-z]*\.?"
    r"[^\n]{0,40}?\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.|h|uhr)?\s?(?:-|–|to|until|bis|à|a)\s?"
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.|h|uhr)?)",
    re.I,
)
# Street lines. The English form needs capitalised words ("1116 Orchard Street",
# "221B Baker Street", "2 Lord Edward St"), so prose such as "3 easy steps to the right
# place" is not an address; the other languages put the number after the street.
_STREET_TYPES = (r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|"
                 r"Court|Ct\.?|Place|Pl\.?|Square|Sq\.?|Highway|Hwy\.?|Parkway|Pkwy\.?|Terrace|Crescent|Close|Row)")
STREET_RE = re.compile(
    rf"\b\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?[.,]?\s+(?:[A-Za-z][a-zA-Z'’.-]*\s+){{0,3}}[A-Z][a-zA-Z'’.-]*\s+{_STREET_TYPES}(?![\w])"
    rf"|\b\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?[.,]?\s+[a-z][a-zA-Z'’.-]*\s+{_STREET_TYPES}(?![\w])"
    r"|\b(?:[A-ZÄÖÜ][\wäöüß-]*)(?:straße|strasse|str\.|weg|platz|allee|gasse)\s+\d{1,4}[a-z]?\b"
    r"|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|quai|impasse|route|cours)\s+(?:de\s+|du\s+|des\s+|la\s+|le\s+|l')?[\wÀ-ÿ'-]{2,}"
    r"|\b(?:Calle|Avenida|Av\.|Plaza|Paseo|Carrera|C/)\s+[\w'-]+(?:\s+[\w'-]+){0,3},?\s+(?:n[º°o]\.?\s*)?\d{1,4}\b"
)
JS_ROOT_IDS = re.compile(r"^(root|app|__next|__nuxt|main-app|svelte|ember\w*|q-app)$", re.I)
SEARCH_NAMES = re.compile(r"^(q|s|query|search|keyword|keywords|term|searchterm|search_query)$", re.I)
BOOKING_WORDS = re.compile(r"\b(book|booking|reserv|appointment|table|guests?|persons?|people|date|time|check-?in|schedule)\w*", re.I)
FEEDBACK_WORDS = re.compile(r"\b(feedback|survey|questionnaire|rate us|rating|review|suggestion|opinion|satisfaction|umfrage|enquête|encuesta|avis)\b", re.I)
NEWSLETTER_WORDS = re.compile(r"\b(newsletter|subscribe|sign up for|updates|mailing list|stay in touch|inbox)\b", re.I)

# Class/id words that mark page regions; tested token by token.
_NAV_TOKEN = re.compile(r"^(?:nav|navbar|navigation|menu|main-?menu|main-?nav|site-?nav|primary-?nav|nav-?menu|navbar-nav|nav-?links|navmenu|top-?menu|mainmenu|menubar)$")
_HEADER_TOKEN = re.compile(r"^(?:header|site-?header|main-?header|page-?header-?top|top-?bar|topbar|header-?area|top-?header|header-?top|masthead-?nav|navbar-?header|global-?header)$")
_FOOTER_TOKEN = re.compile(r"^(?:[\w-]*footer(?:[\w-]*)|copyright|colophon)$")
_NOT_FOOTER = re.compile(r"^(?:card|modal|panel|dialog|popup|blockquote|section|table)-footer$")


class ExtractionInterrupted(Exception):
    """Extracting one page ran out of time: its own budget, or the run's deadline.
    The page has no facts."""

    def __init__(self, reason: str, cpu_seconds: float, wall_seconds: float, limit: float, stage: str,
                 size: int) -> None:
        #: "budget" (the page's own CPU-time budget) or "deadline" (the run's).
        self.reason = reason
        #: CPU and wall-clock seconds extraction had taken when it stopped.
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        #: The limit that ran out, in seconds (CPU seconds for the budget).
        self.limit = limit
        #: What extraction was doing when it stopped ("parsing", "scanning phone numbers"...).
        self.stage = stage
        #: Bytes of the page.
        self.size = size
        if reason == "budget":
            what = f"extraction took more than its budget of {limit:g} s of CPU time"
        else:
            what = f"the run's deadline ended {wall_seconds:.1f} s into extraction"
        super().__init__(f"{what} (stopped while {stage}; the page is {size:,} bytes)")


class _Budget:
    """Time left for one page, checked cooperatively by every loop of the extraction.

    Two limits: the page's own budget in CPU seconds (what the page costs, whatever else
    the machine is doing, so a busy CI runner does not change the report), and the run's
    deadline on the wall clock. ``tick()`` sits in the loops over elements and matches
    and reads the clocks only every ``_EVERY`` calls, so a check costs a subtraction;
    ``check()`` reads them at once, for steps that may each take a while.
    """

    _EVERY = 64
    __slots__ = ("budget", "cpu_deadline", "cpu_start", "size", "stage", "wall_deadline", "wall_start", "_left")

    def __init__(self, budget: float | None, time_left: float | None, size: int) -> None:
        self.cpu_start = time.thread_time()
        self.wall_start = time.monotonic()
        self.budget = budget
        self.cpu_deadline = math.inf if budget is None else self.cpu_start + budget
        self.wall_deadline = math.inf if time_left is None else self.wall_start + time_left
        self.size = size
        self.stage = "decoding"
        self._left = self._EVERY

    def tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._left = self._EVERY
            self.check()

    def check(self) -> None:
        cpu = time.thread_time()
        wall = time.monotonic()
        if cpu > self.cpu_deadline:
            raise ExtractionInterrupted("budget", cpu - self.cpu_start, wall - self.wall_start, self.budget or 0.0,
                                        self.stage, self.size)
        if wall > self.wall_deadline:
            raise ExtractionInterrupted("deadline", cpu - self.cpu_start, wall - self.wall_start,
                                        self.wall_deadline - self.wall_start, self.stage, self.size)

    def enter(self, stage: str) -> None:
        """Start the next step of the extraction: the clocks are read between steps."""
        self.check()
        self.stage = stage


class _BudgetedLXMLBuilder(LXMLTreeBuilder):
    """bs4's lxml tree builder that stops when the page's budget runs out: building the
    tree is the largest single step of extraction (about 1.5 s per MB of markup)."""

    def __init__(self, budget: _Budget) -> None:
        super().__init__()
        self._budget = budget

    # lxml calls these for every tag and every run of text.
    def start(self, *args: Any, **kwargs: Any) -> None:
        self._budget.tick()
        super().start(*args, **kwargs)

    def data(self, *args: Any, **kwargs: Any) -> None:
        self._budget.tick()
        super().data(*args, **kwargs)


#: Encodings a browser decodes pages in (those of the WHATWG Encoding Standard, as Python
#: names them), plus ASCII and UTF-32. A declared charset outside this list is ignored: some
#: Python codecs raise on any input ("undefined"), take quadratic time ("punycode"), or
#: are no text encoding at all ("rot13").
_WEB_CHARSETS = frozenset(codecs.lookup(label).name for label in (
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "ascii",
    "latin-1", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6", "iso-8859-7", "iso-8859-8",
    "iso-8859-9", "iso-8859-10", "iso-8859-11", "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16",
    "cp866", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "cp950",
    "euc-jp", "iso-2022-jp", "shift_jis", "cp932", "euc-kr", "cp949", "tis-620",
))
_CHARSET_NAME = re.compile(r"[A-Za-z0-9][\w.:-]{0,39}")


def _web_charset(label: str) -> str | None:
    """The declared charset label when it names an encoding a browser knows, else None."""
    label = label.strip()
    if not _CHARSET_NAME.fullmatch(label):
        return None
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return label if name in _WEB_CHARSETS else None


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """Decode page bytes: the declared charset (a BOM, the header, then a meta tag), then UTF-8.

    A wrong or hostile declared charset or invalid bytes never raise: a charset name that
    is no encoding a browser knows is ignored, and undecodable bytes are replaced.
    Returns (text, encoding used).
    """
    declared: list[str] = []
    ctype = ""
    if headers:
        ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    m = re.search(r"charset=[\"']?([\w.:-]+)", ctype, re.I)
    if m:
        declared.append(m.group(1))
    meta = EncodingDetector.find_declared_encoding(body[:4096], is_html=True)
    if meta:
        declared.append(meta)
    if body.startswith(b"\xef\xbb\xbf"):
        declared.insert(0, "utf-8")
    declared = [d for d in (_web_charset(x) for x in declared) if d]
    for enc in declared + ["utf-8"]:
        try:
            return body.decode(enc), enc.lower()
        except (LookupError, ValueError):  # UnicodeDecodeError is a ValueError
            continue
    # Invalid in every declared encoding: keep what decodes, never fail the page.
    enc = declared[0] if declared else "utf-8"
    try:
        return body.decode(enc, errors="replace"), enc.lower()
    except (LookupError, ValueError):
        return body.decode("utf-8", errors="replace"), "utf-8"


def norm(text: str) -> str:
    """Collapse white space."""
    return _WS.sub(" ", text).strip()


def _descendants(tag: Tag, budget: _Budget) -> Iterator[Any]:
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


def _strings(tag: Tag, budget: _Budget) -> Iterator[str]:
    """``tag.strings``: the strings ``tag.get_text()`` joins (of the types bs4 counts as
    this tag's text), found with :func:`_descendants`."""
    types = tag.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    for node in _descendants(tag, budget):
        if isinstance(node, NavigableString) and type(node) in types:
            yield node


def _nonspace(s: str) -> int:
    """Characters of ``s`` that are not white space (what :func:`norm` keeps of them)."""
    return len(s) - len(_WS_CHARS.findall(s))


def _text_prefix(tag: Tag, limit: int, budget: _Budget) -> str:
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


def _has_text(tag: Tag, budget: _Budget) -> bool:
    """True when ``tag.get_text(" ")`` is not empty (white space counts)."""
    strings = _strings(tag, budget)
    first = next(strings, None)
    return first is not None and (bool(first) or next(strings, None) is not None)


def _short_text(tag: Tag, at_most: int, budget: _Budget) -> bool:
    """True when ``len(tag.get_text(strip=True)) <= at_most``, reading only that far."""
    total = 0
    for s in _strings(tag, budget):
        total += len(s.strip())
        if total > at_most:
            return False
    return True


def _tokens(tag: Tag) -> list[str]:
    words: list[str] = []
    cls = tag.get("class")
    if isinstance(cls, list):
        words.extend(c.lower() for c in cls)
    elif isinstance(cls, str):
        words.extend(cls.lower().split())
    tid = tag.get("id")
    if isinstance(tid, str) and tid:
        words.append(tid.lower())
    return words


def _region_of(tag: Tag, parent_region: str, in_sectioning: bool) -> str | None:
    """The region a tag opens, or None when it opens none."""
    name = tag.name
    role = str(tag.get("role") or "").lower()
    if name == "nav" or role == "navigation":
        return "nav"
    if role == "banner":
        return "header"
    if role == "contentinfo":
        return "footer"
    if name == "header" and not in_sectioning:
        return "header"
    if name == "footer" and not in_sectioning:
        return "footer"
    if name == "main" or role == "main":
        return "main"
    toks = _tokens(tag)
    if not toks:
        return None
    for t in toks:
        if _FOOTER_TOKEN.match(t) and not _NOT_FOOTER.match(t):
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
    if tag.has_attr("hidden"):
        return True
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return True
    style = tag.get("style")
    if isinstance(style, str) and _STYLE_HIDDEN.search(style):
        return True
    cls = tag.get("class")
    if isinstance(cls, list) and cls:
        lowered = [c.lower() for c in cls]
        if any(c in _HIDE_CLASSES for c in lowered) and not any(_RESPONSIVE_SHOW.match(c) for c in lowered):
            return True
    return False


def _may_be_link(tag: Tag) -> bool:
    """An <a> without href that a customer reads as a link, by its attributes: it is not a
    named anchor, and nothing marks it as a script-driven control (onclick, role,
    data-toggle). It is a link when it also has words (see :meth:`_Walker.finish`)."""
    if tag.name != "a" or tag.has_attr("name") or tag.has_attr("onclick") or tag.has_attr("role"):
        return False
    return not any(a.startswith(("data-toggle", "data-bs-", "ng-", "v-", "x-on", "@", ":")) for a in tag.attrs)


class _SubtreeTexts:
    """``norm(tag.get_text(" "))`` of links and headings, up to MAX_HEADING characters,
    and the first image with alt text inside each.

    Computed innermost first, each from its own strings and the texts already known of
    the links and headings inside it: a link wrapped around a thousand nested links reads
    each element once, not once per link around it.
    """

    def __init__(self, budget: _Budget) -> None:
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


class _Walker:
    """One pass over the body: visible text per region, links, headings, images.

    The walk keeps its own stack: a page may nest elements as deep as it likes (2,000
    nested <div>s is a 22 KB page), and a recursive walk would hit Python's recursion
    limit on it.
    """

    def __init__(self, base: str, budget: _Budget, selectors: _Selectors) -> None:
        self.base = base
        self.budget = budget
        self.selector = selectors
        self.chunks: dict[str, list[str]] = {"header": [], "nav": [], "main": [], "footer": []}
        self.links: list[Link] = []
        self.headings: list[Heading] = []
        self.images: list[Image] = []
        self.anchors: list[str] = []
        self.text_regions: list[TextChunk] = []
        #: id(tag) -> region, for tags where a new region starts (forms look it up).
        self.region_starts: dict[int, str] = {}
        #: id(tag) -> its class and id words joined, cut to _HINT_PART (a parent's words
        #: are read once however many links it holds).
        self._hint_words: dict[int, str] = {}
        #: Links (tag, region) and headings (tag, region, hidden) in document order; their
        #: text is read after the walk, innermost first (see _SubtreeTexts).
        self._links: list[tuple[Tag, str]] = []
        self._headings: list[tuple[Tag, str, bool]] = []
        self._texted: list[Tag] = []  # both, in document order

    def walk(self, root: Tag, region: str, in_sectioning: bool, hidden: bool) -> None:
        """Walk the children of ``root``, in document order."""
        chunks = self.chunks
        tick = self.budget.tick
        # A frame: (children left, the element, its region, inside a sectioning element,
        # hidden, its block, the region to close with a line break or None).
        stack: list[tuple[Iterator[Any], Tag, str, bool, bool, Any, str | None]] = [
            (iter(root.children), root, region, in_sectioning, hidden, _block_of(root), None)]
        while stack:
            children, node, region, in_sectioning, hidden, block, _close = frame = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if frame[6] is not None:
                    chunks[frame[6]].append("\n")
                continue
            tick()
            if isinstance(child, NavigableString):
                if isinstance(child, (Comment, Doctype)) or type(child).__name__ in _SKIPPED_STRINGS:
                    continue
                if hidden:
                    continue
                s = str(child)
                if not s.strip():
                    # White space between inline elements still separates words:
                    # "<a>write</a> <a>call</a>" reads "write call", not "writecall".
                    if s:
                        chunks[region].append(" ")
                    continue
                chunks[region].append(s)
                self.text_regions.append((region, s, node, block))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in INVISIBLE_TAGS:
                continue
            tid = child.get("id")
            if isinstance(tid, str) and tid and len(self.anchors) < 500:
                self.anchors.append(tid)
            aname = child.get("name")
            if name == "a" and isinstance(aname, str) and aname and len(self.anchors) < 500:
                self.anchors.append(aname)
            child_hidden = hidden or is_hidden(child)
            new_region = _region_of(child, region, in_sectioning)
            r = new_region or region
            if r != region:
                self.region_starts[id(child)] = r
            if name in ("a", "area") and (child.has_attr("href") or _may_be_link(child)):
                self._links.append((child, r))
                self._texted.append(child)
            elif name == "img":
                src = child.get("src") or child.get("data-src") or ""
                alt = child.get("alt")
                self.images.append(Image(src=str(src), alt=None if alt is None else str(alt)))
            elif name in _HEADING_NAMES:
                self._headings.append((child, r, child_hidden))
                self._texted.append(child)
            if name == "br" and not child_hidden:
                # A line break inside a block ends a line for the scanners too:
                # "Liethberg 17<br>24576 Bad Bramstedt" is not one number.
                self.text_regions.append((r, "\n", node, block))
            is_block = name in BLOCK_TAGS
            if is_block:
                chunks[r].append("\n")
            stack.append((iter(child.children), child, r, in_sectioning or name in SECTIONING, child_hidden,
                          child if is_block else block, r if is_block else None))

    def finish(self) -> None:
        """Read the text of the links and headings the walk found, innermost first, and
        keep them in document order. A heading keeps its first MAX_HEADING characters:
        headings nested in headings (lxml nests what it is given) would each copy the
        text of all the others."""
        texts = _SubtreeTexts(self.budget)
        for tag in reversed(self._texted):  # an element comes after the elements around it
            texts.get(tag)
        for tag, region in self._links:
            text, _complete, image = texts.get(tag)
            if tag.has_attr("href") or text:  # an <a> without href and without words is no link
                self._link(tag, region, text[:200], image)
        for tag, region, hidden in self._headings:
            text = texts.get(tag)[0][:MAX_HEADING]
            if text and not hidden:
                self.headings.append(Heading(level=int(tag.name[1]), text=text, region=region))

    def _words(self, tag: Tag) -> str:
        key = id(tag)
        found = self._hint_words.get(key)
        if found is None:
            found = self._hint_words[key] = " ".join(_tokens(tag))[:_HINT_PART]
        return found

    def _link(self, tag: Tag, region: str, text: str, img: Tag | None) -> None:
        href = str(tag.get("href") or "")
        raw = href.strip()
        if not text:
            for attr in ("aria-label", "title"):
                v = tag.get(attr)
                if isinstance(v, str) and v.strip():
                    text = norm(v)
                    break
        if not text and img is not None:
            text = norm(str(img.get("alt") or ""))
        rel: Any = tag.get("rel") or []
        rel_t = tuple(r.lower() for r in rel) if isinstance(rel, list) else tuple(str(rel).lower().split())
        hints = self._words(tag)
        inner = 0
        for d in _descendants(tag, self.budget):
            if not isinstance(d, Tag):
                continue
            hints += " " + self._words(d)
            for attr in ("name", "data-icon", "aria-label"):
                v = d.get(attr)
                if isinstance(v, str):
                    hints += " " + v[:_HINT_PART].lower()
            inner += 1
            if inner >= 4:
                break
        parent = tag.parent
        if isinstance(parent, Tag):
            hints += " " + self._words(parent)
        selector = self.selector(tag)
        lower = raw.lower()
        dead: str | None = None
        url: str | None = None
        fragment = ""
        scheme = "http"
        target = ""
        if not tag.has_attr("href"):
            dead = "nohref"  # "<a>Privacy Policy</a>": looks like a link, goes nowhere
        elif raw == "":
            dead = "empty"
        elif raw == "#":
            dead = "hash"
        elif lower.startswith("#!"):
            dead = "hashbang"
        elif lower.startswith("javascript:"):
            m = re.search(r"(?:location(?:\.href)?|window\.open)\s*(?:=|\()\s*['\"]([^'\"]+)['\"]", raw)
            url = _join_or_none(self.base, m.group(1)) if m else None
            if url is None:
                dead = "javascript"
        elif lower.startswith("mailto:"):
            scheme = "mailto"
            target = unquote(raw[7:].split("?", 1)[0]).strip().lower()
        elif lower.startswith("tel:") or lower.startswith("callto:"):
            scheme = "tel"
            target = unquote(raw.split(":", 1)[1]).strip()
        elif re.match(r"^[a-z][a-z0-9+.-]*:", lower) and not lower.startswith(("http:", "https:")):
            scheme = "other"
            target = raw
        else:
            url = _join_or_none(self.base, raw)
            if url is None:  # an href no browser can follow (port out of range, broken host)
                scheme, target = "other", raw
        if url is not None:
            if "#" in url:
                url, fragment = url.split("#", 1)
            if not urls.is_http(url):
                scheme, target, url = "other", url, None
        self.links.append(Link(url=url, href=href, text=text[:200], region=region,
                               selector=selector, rel=rel_t, fragment=fragment, dead=dead,
                               scheme=scheme, target=target, hints=hints.strip()[:300]))


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

    def __init__(self, soup: BeautifulSoup, budget: _Budget) -> None:
        self.by_name: dict[str, list[Tag]] = {}
        self.itemtype: list[Tag] = []
        self.street: list[Tag] = []
        #: Document order of every tag (id(tag) -> position), and of every heading.
        self.position: dict[int, int] = {}
        self.heading_positions: list[int] = []
        self.headings: list[Tag] = []
        tick = budget.tick
        for i, tag in enumerate(soup.find_all(True)):
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


#: JSON-LD nested deeper than this is not data anyone means (schema.org graphs nest a few
#: levels); it is skipped before parsing.
MAX_JSON_LD_DEPTH = 64
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _json_depth_ok(text: str, limit: int = MAX_JSON_LD_DEPTH) -> bool:
    """True when the brackets of ``text`` (outside strings) nest at most ``limit`` deep."""
    depth = 0
    for m in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            if depth > limit:
                return False
        else:
            depth -= 1
    return True


def _json_ld_types(soup: BeautifulSoup, index: _TagIndex, budget: _Budget) -> tuple[list[str], list[str], list[str]]:
    """schema.org types, postal address lines and opening hours from JSON-LD."""
    types: list[str] = []
    addresses: list[str] = []
    hours: list[str] = []

    def visit(root: Any) -> None:
        # Depth first, in document order, with a stack of its own.
        stack = [root]
        while stack:
            budget.tick()
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                t = node.get("@type")
                if isinstance(t, str):
                    types.append(t.rsplit("/", 1)[-1])
                elif isinstance(t, list):
                    types.extend(str(x).rsplit("/", 1)[-1] for x in t)
                if t == "PostalAddress" or "streetAddress" in node:
                    parts = [str(node.get(k)) for k in ("streetAddress", "addressLocality", "postalCode", "addressCountry") if isinstance(node.get(k), str)]
                    if parts:
                        addresses.append(", ".join(parts))
                oh = node.get("openingHours")
                if isinstance(oh, str):
                    hours.append(oh)
                elif isinstance(oh, list):
                    hours.extend(str(x) for x in oh)
                stack.extend(reversed([v for v in node.values() if isinstance(v, (dict, list))]))

    for s in (t for t in index.get("script") if "ld+json" in str(t.get("type", "")).lower()):
        budget.check()
        text = s.string or s.get_text() or "null"
        if not _json_depth_ok(text):
            continue
        try:
            data = json.loads(text)
        except (ValueError, TypeError, RecursionError):
            continue
        visit(data)
    for t in index.itemtype:
        budget.tick()
        for it in str(t.get("itemtype")).split():
            types.append(it.rstrip("/").rsplit("/", 1)[-1])
    for t in index.street:
        budget.tick()
        addresses.append(_text_prefix(t, MAX_ADDRESS, budget))
    return types, addresses, hours


_CONTACT_INPUT_TYPE = re.compile(r"^(email|tel)$", re.I)
_CONTACT_INPUT_NAME = re.compile(r"mail|phone", re.I)


def _forms(root: Tag, walker_region: dict[int, str], index: _TagIndex, budget: _Budget,
           selector: _Selectors) -> list[Form]:
    forms: list[Form] = []
    seen_controls: set[int] = set()

    def fields_of(container: Tag) -> list[FormField]:
        out: list[FormField] = []
        labels: dict[str, Tag] | None = None  # for= -> the first such label, read once
        for c in container.find_all(["input", "textarea", "select"]):
            budget.tick()
            seen_controls.add(id(c))
            typ = str(c.get("type") or ("textarea" if c.name == "textarea" else "select" if c.name == "select" else "text")).lower()
            if typ in ("hidden", "submit", "button", "reset", "image") or len(out) >= MAX_FORM_FIELDS:
                continue  # every control is still seen: it belongs to this form
            label = ""
            cid = c.get("id")
            if isinstance(cid, str) and cid:
                if labels is None:
                    labels = {}
                    for candidate in container.find_all("label"):
                        target = candidate.get("for")
                        if isinstance(target, str):
                            labels.setdefault(target, candidate)
                found = labels.get(cid)
                if found is not None:
                    label = _text_prefix(found, 80, budget)
            if not label:
                for attr in ("placeholder", "aria-label", "title"):
                    v = c.get(attr)
                    if isinstance(v, str) and v.strip():
                        label = norm(v)
                        break
            out.append(FormField(tag=c.name, type=typ, name=str(c.get("name") or c.get("id") or ""),
                                 label=label[:80], required=c.has_attr("required")))
        return out

    def context_of(container: Tag) -> str:
        bits = []
        heading = index.heading_before(container)
        if heading is not None:
            bits.append(_text_prefix(heading, 80, budget))
        for b in container.find_all(["button", "input"]):
            budget.tick()
            if b.name == "button" or str(b.get("type", "")).lower() == "submit":
                # The button's words, or its value when it has no text at all.
                bits.append(_text_prefix(b, 40, budget) if _has_text(b, budget) else norm(str(b.get("value") or ""))[:40])
        for attr in ("id", "name", "class", "action", "aria-label"):
            v = container.get(attr)
            if v:
                bits.append(" ".join(v) if isinstance(v, list) else str(v))
        return " | ".join(b for b in bits if b)

    def region_of(tag: Tag) -> str:
        node: Any = tag
        while node is not None:
            r = walker_region.get(id(node))
            if r:
                return r
            node = node.parent
        return "main"

    for f in root.find_all("form"):
        budget.check()
        flds = fields_of(f)
        ctx = context_of(f)
        forms.append(Form(purpose=classify_form(flds, ctx, f.get("role") == "search"),
                          action=str(f.get("action") or ""), method=str(f.get("method") or "get").lower(),
                          fields=tuple(flds), region=region_of(f), selector=selector(f), context=ctx[:200]))
    # Form-like groups of inputs without a <form>: a textarea and its nearest container
    # that also holds an email or phone input. Every element holding such an input is
    # marked once, so the search up from each textarea costs no tree walk.
    holds_contact_input: set[int] = set()
    for inp in index.get("input"):
        if not (_CONTACT_INPUT_TYPE.search(str(inp.get("type") or "")) if inp.has_attr("type") else False) and \
           not (_CONTACT_INPUT_NAME.search(str(inp.get("name"))) if inp.has_attr("name") else False):
            continue
        node: Any = inp.parent
        while isinstance(node, Tag) and id(node) not in holds_contact_input:
            budget.tick()
            holds_contact_input.add(id(node))
            node = node.parent
    for ta in root.find_all("textarea"):
        budget.check()
        if id(ta) in seen_controls:
            continue
        container = ta.parent
        for _ in range(6):
            if not isinstance(container, Tag):
                break
            if id(container) in holds_contact_input:
                break
            container = container.parent
        if not isinstance(container, Tag):
            continue
        flds = fields_of(container)
        ctx = context_of(container)
        forms.append(Form(purpose=classify_form(flds, ctx, False), action="", method="",
                          fields=tuple(flds), region=region_of(container), selector=selector(container),
                          context=ctx[:200]))
    return forms


def classify_form(fields: Iterable[FormField], context: str, search_role: bool = False) -> str:
    """Purpose of a form from its fields: contact, booking, feedback, newsletter, search, login, other."""
    fl = list(fields)
    types = [f.type for f in fl]
    words = " ".join(f"{f.name} {f.label}" for f in fl) + " " + context
    has_free_text = any(t == "textarea" for t in types) or any(
        re.search(r"message|comment|inquiry|enquiry|question|details|notes?\b|nachricht|mensaje", f"{f.name} {f.label}", re.I)
        and f.type in ("text", "textarea") for f in fl)
    has_email = "email" in types or any(re.search(r"e-?mail", f"{f.name} {f.label}", re.I) for f in fl)
    has_phone = "tel" in types or any(re.search(r"phone|tel\b|mobile|telefon", f"{f.name} {f.label}", re.I) for f in fl)
    if "password" in types:
        return "login"
    if search_role or "search" in types or (len(fl) <= 2 and any(SEARCH_NAMES.match(f.name or "") for f in fl)):
        return "search"
    if re.search(r"\bsearch\b|suche|recherche|buscar", context, re.I) and len(fl) <= 2 and not has_email:
        return "search"
    visible = [t for t in types if t not in ("checkbox",)]
    if FEEDBACK_WORDS.search(context) and (has_free_text or "radio" in types):
        return "feedback"
    if ("radio" in types and types.count("radio") >= 3 and has_free_text) and not has_email:
        return "feedback"
    booking = ("date" in types or "time" in types or "datetime-local" in types or
               bool(BOOKING_WORDS.search(words) and ("number" in types or "select" in types or "date" in types)))
    if booking and (has_email or has_phone):
        return "booking"
    if has_free_text and (has_email or has_phone):
        return "contact"
    if has_email and not has_free_text and len(visible) <= 3:
        return "newsletter"
    if has_free_text and FEEDBACK_WORDS.search(words):
        return "feedback"
    if has_free_text:
        return "message"
    return "other"


#: Any purpose label at all: one pass that spares the eight passes of _label_for over a
#: long text without one (a match of any label is a match of this).
_ANY_LABEL = re.compile("|".join(f"(?:{rx.pattern})" for _name, rx in PHONE_LABELS), re.I)


def _label_for(text: str) -> str:
    """The purpose label nearest to the end of ``text`` (the words just before a number)."""
    first = _ANY_LABEL.search(text)
    if first is None:
        return ""
    best, best_end = "", -1
    for name, rx in PHONE_LABELS:
        # No label starts before the first match of any: scanning from there finds the same.
        for m in rx.finditer(text, first.start()):
            if m.end() > best_end:
                best, best_end = name, m.end()
    return best


_NON_DIGIT = re.compile(r"\D")


def digits_of(s: str) -> str:
    """The digits of ``s``, nothing else."""
    return _NON_DIGIT.sub("", s)


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None


def _e164(number: str, regions: str | tuple[str, ...]) -> str | None:
    """E.164 form: in the first region where the number is valid, else where it is possible
    in the first region. A local-only number ("555-0134" without an area code) has none."""
    if isinstance(regions, str):
        regions = (regions,)
    for region in regions:
        n = _parse(number, region)
        if n is not None and phonenumbers.is_valid_number(n):
            return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    n = _parse(number, regions[0]) if regions else None
    if n is None or phonenumbers.is_possible_number_with_reason(n) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    # "06 28 04 64 27" read as a US number would be +10628046427: a national number that
    # starts with a trunk prefix the region does not use is not that region's.
    if number.strip().startswith("0") and phonenumbers.ndd_prefix_for_region(regions[0], True) != "0":
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


#: Words before a digit group that make it an identifier, not a phone number.
ID_PREFIX_RE = re.compile(
    r"(?:#|§|\b(?:order|invoice|sku|ref|reference|id|no\.?|nr\.?|n[°º]|iban|bic|vat|isbn|ticket|hrb|hra|"
    r"ust(?:-?id(?:nr)?)?|steuer(?:nummer)?|siret|siren|tva|nif|cif|loi|art\.?|zip|postcode|plz))\s*:?\s*#?\s*$",
    re.I,
)


#: Bank and company identifiers whose digits run on for a while after the word.
STRONG_ID_RE = re.compile(r"\b(?:iban|bic|swift|hrb|hra|ust-?id\w*|vat\s+(?:no|number|id)|siret|siren|"
                          r"handelsregister|registernummer|company\s+(?:no|number))\b[^\n]{0,30}$", re.I)


_MESSAGING_RE = re.compile(
    r"^(?:https?://(?:www\.)?(?:wa\.me/|api\.whatsapp\.com/send/?\?(?:[^#]*&)?phone=)|whatsapp://send/?\?(?:[^#]*&)?phone=|sms:)"
    r"\s*(\+?[\d\s().-]{6,20}\d)", re.I)


def messaging_number(link: Link) -> str | None:
    """The number behind a click-to-message link (wa.me/<number>, WhatsApp send, sms:), or None.

    wa.me numbers are written in international form without the plus sign."""
    m = _MESSAGING_RE.match(link.href.strip())
    if not m:
        return None
    number = unquote(m.group(1)).strip()
    if "wa.me" in link.href.lower() or "whatsapp" in link.href.lower():
        number = "+" + digits_of(number)
    return number if len(digits_of(number)) >= 6 else None


def _plausible_phone(raw: str, regions: tuple[str, ...]) -> bool:
    """Without a phone cue, a digit group is a phone number only when it is a valid number
    in one of the page's regions, or written like one ("+44 ...", "(555) 892-9403")."""
    stripped = raw.strip()
    written_like_phone = stripped.startswith(("+", "(")) and re.search(r"\d[\s.-]\d", stripped) is not None
    for region in regions:
        n = _parse(stripped, region)
        if n is None:
            continue
        if phonenumbers.is_valid_number(n):
            return True
        if written_like_phone and phonenumbers.is_possible_number(n):
            return True
    return False


class _NumberReader:
    """:func:`_plausible_phone` and :func:`_e164` for one page's regions, each number read
    once: parsing is the dearest step of the phone scan, and a page repeats its numbers
    (header, footer, a table of branches)."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions
        self._plausible: dict[str, bool] = {}
        self._e164: dict[str, str | None] = {}

    def plausible(self, raw: str) -> bool:
        found = self._plausible.get(raw)
        if found is None:
            found = self._plausible[raw] = _plausible_phone(raw, self.regions)
        return found

    def e164(self, raw: str) -> str | None:
        if raw in self._e164:
            return self._e164[raw]
        found = self._e164[raw] = _e164(raw, self.regions)
        return found


def _default_region(lang: str | None, url: str) -> str:
    tld = urls.host_of(url).rsplit(".", 1)[-1].upper()
    if len(tld) == 2 and tld not in ("IO", "CO", "AI", "ME", "TV", "LY", "FM", "GG"):
        return "GB" if tld == "UK" else tld
    if lang and "-" in lang:
        return lang.split("-", 1)[1][:2].upper()
    return LANGUAGE_REGION.get((lang or "en")[:2].lower(), "US")


def phone_regions(lang: str | None, text_lang: str | None, url: str) -> tuple[str, ...]:
    """Regions to read phone numbers in: the page's own (TLD, declared lang), then the
    region of the language its text is actually written in (a French page that declares
    lang="en" still shows French numbers)."""
    out = [_default_region(lang, url)]
    if text_lang and LANGUAGE_REGION.get(text_lang) and LANGUAGE_REGION[text_lang] not in out:
        out.append(LANGUAGE_REGION[text_lang])
    return tuple(out)


_ICON_TAGS = frozenset({"i", "span", "img", "svg", "ion-icon", "em"})
#: A phone icon class of any icon family: "ti-mobile", "lni-mobile", "fa-mobile-alt", "icofont-phone".
_ICON_PHONE_TOKEN = re.compile(
    r"^(?:ti|fa|fas|far|fal|bi|icofont|lni|la|las|ion|ion-ios|ion-md|icon|mdi|ri|uil|feather|flaticon|glyphicon|ico|gg|bx|bxs)"
    r"-(?:[\w]+-)*(?:mobile|smartphone|phone|telephone|call|cellphone|tel)(?:-[\w-]*)?$", re.I)


_PHONE_ICON_HINT = re.compile(r"phone|telephone|\bcall\b|call-outline|telefon", re.I)


def _is_phone_icon(el: Tag) -> bool:
    hint = " ".join(_tokens(el)) + " " + str(el.get("name") or "") + " " + str(el.get("alt") or "") + " " + str(el.get("src") or "")
    return bool(_PHONE_ICON_HINT.search(hint) or any(_ICON_PHONE_TOKEN.match(t) for t in hint.split()))


def _icons(node: Tag, budget: _Budget) -> list[Tag]:
    """``node`` when it is an icon element, then the first six icon elements inside it."""
    found = [node] if node.name in _ICON_TAGS else []
    inner = 0
    for d in _descendants(node, budget):
        if isinstance(d, Tag) and d.name in _ICON_TAGS:
            found.append(d)
            inner += 1
            if inner >= 6:
                break
    return found


class _IconCues:
    """A phone icon next to the text: inside its block ("<p><i class=fa-phone></i> 555...")
    or in an element just before it or its parent ("<div class=icon><i class=ti-mobile></i></div>
    <div><h3>(00) 789...</h3></div>"). Icons elsewhere on the page do not count.

    Each block, each icon and each icon holder is judged once per page: a page of a
    thousand numbers asks about the same blocks again and again.
    """

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self._cue: dict[int, bool] = {}
        self._icon: dict[int, bool] = {}
        self._after_holder: dict[int, bool] = {}

    def _phone_icon(self, el: Tag) -> bool:
        key = id(el)
        found = self._icon.get(key)
        if found is None:
            found = self._icon[key] = _is_phone_icon(el)
        return found

    def _follows_icon_holder(self, node: Tag) -> bool:
        """True when the element right before ``node`` is an icon holder: an element with
        (almost) no text of its own and a phone icon ("<div class=icon><i class=ti-mobile></i></div>")."""
        key = id(node)
        found = self._after_holder.get(key)
        if found is None:
            found = False
            for sib in node.previous_siblings:
                if not isinstance(sib, Tag):
                    continue
                found = _short_text(sib, 3, self.budget) and any(self._phone_icon(el) for el in _icons(sib, self.budget))
                break  # only the element right before
            self._after_holder[key] = found
        return found

    def __call__(self, block: Any) -> bool:
        if not isinstance(block, Tag):
            return False
        key = id(block)
        found = self._cue.get(key)
        if found is None:
            found = self._cue[key] = self._judge(block)
        return found

    def _judge(self, block: Tag) -> bool:
        if any(self._phone_icon(el) for el in _icons(block, self.budget)):
            return True
        node: Any = block
        for _ in range(2):
            if not isinstance(node, Tag):
                return False
            if self._follows_icon_holder(node):
                return True
            node = node.parent
            if isinstance(node, Tag) and node.name in ("body", "html"):
                return False
        return False


class _BudgetedMatcher(phonenumbers.PhoneNumberMatcher):
    """phonenumbers' matcher, checking the page's budget at every candidate it tries: a
    block of digit noise can hold thousands of candidates that never become a match."""

    def __init__(self, text: str, region: str, budget: _Budget) -> None:
        super().__init__(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
        self._budget = budget

    def _extract_match(self, candidate: str, offset: int) -> Any:
        self._budget.tick()
        return super()._extract_match(candidate, offset)  # type: ignore[misc]


def _matches(text: str, regions: tuple[str, ...], budget: _Budget) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """Phone-number candidates in every region, each stretch of text once.

    A region's matcher yields matches in order and never two that overlap, so the matches
    kept so far stay a sorted list of disjoint spans: a new match is checked against its
    neighbours by bisection, not against every earlier match.
    """
    starts: list[int] = []
    ends: list[int] = []
    for region in regions:
        kept: list[tuple[int, int]] = []
        for m in _BudgetedMatcher(text, region, budget):
            # The earlier region's span that starts last before this match ends is the
            # only one that can overlap it: spans are disjoint, so their ends are sorted too.
            i = bisect.bisect_left(starts, m.end)
            if i and ends[i - 1] > m.start:
                continue
            kept.append((m.start, m.end))
            yield m
        if kept:
            merged = sorted([*zip(starts, ends, strict=True), *kept])
            starts = [a for a, _b in merged]
            ends = [b for _a, b in merged]


def _overlaps_any(spans: list[tuple[int, int, str]]) -> Any:
    """A test "does [start, end) overlap any of ``spans``", in log time per question."""
    ordered = sorted((a, b) for a, b, _raw in spans)
    starts = [a for a, _b in ordered]
    reach: list[int] = []  # the furthest end of the spans so far
    furthest = -1
    for _a, b in ordered:
        furthest = max(furthest, b)
        reach.append(furthest)

    def overlaps(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)  # spans [0, i) start before this one ends
        return bool(i) and reach[i - 1] > start

    return overlaps


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


_DIGIT = re.compile(r"\d")
_CURRENCY_BEFORE = re.compile(rf"[{CURRENCY_SYMBOLS}]\s*$")
_CURRENCY_AFTER = re.compile(rf"^\s*(?:%|[{CURRENCY_SYMBOLS}])")
_COUNTRY_CODE_BEFORE = re.compile(r"\(?\+\d{1,4}\)?[\s.-]*$")
_YEAR_RANGE = re.compile(r"(19|20)\d\d\s*[-–]\s*(19|20)\d\d")
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")
_DATE_OR_YEARS = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|(19|20)\d\d\s*[-–]\s*(19|20)\d\d")
_LABEL_AFTER = re.compile(r"^\s*(?:\(([A-Za-z][A-Za-z .'-]{1,24})\)|[–—-]\s*([A-Za-z][A-Za-z .'-]{1,24}?)(?:\s*$|\s*[|,;]))")


def _few_digits(text: str, fewer_than: int = 6) -> bool:
    """True when ``text`` holds fewer than ``fewer_than`` digits (stops counting there)."""
    n = 0
    for _m in _DIGIT.finditer(text):
        n += 1
        if n >= fewer_than:
            return False
    return True


def _scan_phones(blocks: Blocks, numbers: _NumberReader, budget: _Budget, selector: _Selectors,
                 icon_cue: _IconCues) -> list[Phone]:
    regions = numbers.regions
    phones: list[Phone] = []
    seen: set[tuple[str, str]] = set()
    prev_text = ""
    for region, parts, block in blocks:
        budget.tick()
        # Lines stay apart (<br>), words within a line are joined.
        text = "\n".join(norm(line) for line in " ".join(parts).split("\n") if line.strip())
        # A short block (a number on its own line) takes its cue and label from the
        # block before it: "<h3>Call us</h3><p>+1 222-222-222</p>".
        # Only a label lends its cue: a previous block that holds a number of its own
        # ("Phone: (212) 555-0188") says nothing about "Order number 5550199".
        lead = prev_text[-60:] + " | " if len(text) <= 40 and _few_digits(prev_text) else ""
        prev_text = text
        # Numbers written in pairs ("06 28 04 64 27") have no run of three digits.
        if _few_digits(text):
            continue
        text = lead + text
        found: list[tuple[int, int, str]] = []
        for m in _matches(text, regions, budget):
            raw = m.raw_string
            start = m.start
            # phonenumbers drops a country code it does not know ("+80 (400) 123 4567"
            # matches as "(400) 123 4567"): keep what the customer sees.
            pm = _COUNTRY_CODE_BEFORE.search(text[max(0, start - 8): start])
            if pm:
                start -= len(pm.group(0))
                raw = text[start: m.end]
            d = digits_of(raw)
            if len(d) < 7 or len(d) > 15 or "\n" in raw:
                continue
            # Digits inside a word or a hash ("14ab484571641d70f") are not a number.
            if (start > 0 and text[start - 1].isalnum()) or (m.end < len(text) and text[m.end].isalnum()):
                continue
            before = text[max(0, start - 30): start]
            after = text[m.end: m.end + 12]
            # Not a price, a year range, a date, an ID or a postcode.
            if _CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.match(after):
                continue
            if _YEAR_RANGE.fullmatch(raw.strip()):
                continue
            if _DATE.fullmatch(raw.strip()):
                continue
            cue = PHONE_CUE_RE.search(before) or icon_cue(block)
            # Order, invoice and reference numbers look like phone numbers but are not.
            if not cue and (ID_PREFIX_RE.search(before) or STRONG_ID_RE.search(before)):
                continue
            if not cue and not numbers.plausible(raw):
                continue
            if m.start < len(lead):  # a number inside the borrowed label is not this block's
                continue
            found.append((start, m.end, raw))
        if PHONE_CUE_RE.search(text) or icon_cue(block):
            overlaps = _overlaps_any(found)  # the matches above, not the cued numbers below
            for cm in CUE_NUMBER_RE.finditer(text):
                budget.tick()
                if overlaps(cm.start(), cm.end()):
                    continue
                raw = cm.group(1).strip()
                d = digits_of(raw)
                if len(d) < 6 or len(d) > 15:
                    continue
                before = text[max(0, cm.start() - 40): cm.start()]
                if not (PHONE_CUE_RE.search(before) or icon_cue(block)):
                    continue
                if _DATE_OR_YEARS.fullmatch(raw) or "\n" in raw:
                    continue
                if cm.start() < len(lead):
                    continue
                found.append((cm.start(), cm.end(), raw))
        for start, end, raw in found:
            budget.tick()
            d = digits_of(raw)
            if (region, d) in seen:
                continue
            seen.add((region, d))
            before = text[max(0, start - 40): start]
            label = _label_for(before)
            if not label and THIRD_PARTY_RE.search(text[max(0, start - 200): start]):
                label = "third-party"  # "Aufsichtsbehörde: Landeszentrum ..., Telefon: ..."
            if not label:
                # A line labelled after the number: "(00) 789 456 7890 (USA)", "... – London office".
                tail = _LABEL_AFTER.match(text[end: end + 30])
                if tail:
                    word = (tail.group(1) or tail.group(2)).strip()
                    label = _label_for(word) or f"office:{word.lower()}"
            phones.append(Phone(shown=norm(raw), digits=d, e164=numbers.e164(raw), source="text",
                                region=region, label=label,
                                context=text[max(0, start - 60): end + 20], selector=selector(block) if isinstance(block, Tag) else ""))
    return phones


def _text_after(block: Tag, budget: _Budget, limit: int = 30) -> str:
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


_PRICE_CHARS = re.compile(rf"[\d{CURRENCY_SYMBOLS}]")
#: What every price pattern needs: a currency symbol or code. A block without one skips
#: the price patterns, which are slow on long runs of digits.
_MONEY = re.compile(rf"[{CURRENCY_SYMBOLS}]|{CURRENCY_CODES}|kr|zł|Kč|Fr\.")
_DISCOUNT_BEFORE = re.compile(r"\b(?:save|you\s+save|savings\s+of|discount\s+of|get)\s*(?:up\s+to\s+)?$", re.I)
_DISCOUNT_AFTER = re.compile(r"^\s*off\b", re.I)
_PRICE_QUOTED = re.compile(r"\b(price|prices|cost|costs|only|from|starting|just|fee|ticket|tickets|per|plan|buy|order)\b", re.I)
_CURRENCY_NAMES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "US$": "USD", "A$": "AUD", "C$": "CAD", "R$": "BRL"}


def _scan_prices(blocks: Blocks, budget: _Budget, selector: _Selectors) -> list[Price]:
    prices: list[Price] = []
    after_block: dict[int, str] = {}  # the text after each block, read once
    for _region, parts, block in blocks:
        budget.tick()
        text = norm(" ".join(parts))
        if not _PRICE_CHARS.search(text) or not _MONEY.search(text):
            continue
        # The block's following sibling often holds the period ("$9" <span>/mo</span> is
        # inline, but "<div>$9</div><div>per month</div>" is not).
        for m in PLACEHOLDER_PRICE_RE.finditer(text):
            budget.tick()
            prices.append(Price(amount=None, currency=None, period=None, text=m.group(0), kind="offer",
                                placeholder=True, context=text[:120], selector=selector(block)))
        for m in PRICE_RE.finditer(text):
            budget.tick()
            raw = m.group(0).strip()
            parsed = ParsedPrice.fromstring(raw)
            if parsed.amount is None:
                continue
            after = text[m.end(): m.end() + 40]
            if after.strip():
                tail = after
            else:
                known = after_block.get(id(block))
                if known is None:
                    known = after_block[id(block)] = _text_after(block, budget)
                tail = known
            before = text[max(0, m.start() - 60): m.start()]
            unit = None
            um = UNIT_RE.search(tail)
            if um:
                unit = um.group(1).lower()
                tail = tail[um.end():]  # "per user per month": the period follows the unit
            period = None
            for name, rx in PERIOD_PATTERNS:
                if rx.search(tail):
                    period = name
                    break
            # "Save $100 a year", "$5 off": a discount, not what something costs.
            discount = bool(_DISCOUNT_BEFORE.search(before) or _DISCOUNT_AFTER.match(after))
            prose = discount or bool(PROSE_MAGNITUDE.match(after)) or (
                PROSE_CUES.search(before + " " + after) is not None and period is None)
            if not prose and period is None and len(text) > 160:
                # A figure inside a long sentence is prose unless it is quoted as a price.
                prose = not _PRICE_QUOTED.search(before[-40:])
            currency = parsed.currency
            if currency:
                currency = _CURRENCY_NAMES.get(currency, currency)
            prices.append(Price(amount=float(parsed.amount), currency=currency, period=period, text=raw,
                                kind="prose" if prose else "offer", unit=unit, context=text[:160],
                                selector=selector(block)))
    return prices


_STREET_LINE = re.compile(r"^(?:[A-ZÄÖÜ][\wäöüßÀ-ÿ.'-]+(?:[\s-][\wäöüßÀ-ÿ.'-]+){0,3})\s+\d{1,4}\s?[a-zA-Z]?$"
                          r"|^\d{1,4}(?:\s?(?:bis|ter))?,?\s+[\wÀ-ÿ'.-]+(?:\s+[\wÀ-ÿ'.-]+){0,5}$")
_POSTCODE_LINE = re.compile(r"^(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-ZÄÖÜÉÈ][\wäöüßÀ-ÿ'.-]+(?:[\s-][\wäöüßÀ-ÿ'.-]+){0,3}$")


def _street_postcode_pairs(text: dict[str, str]) -> list[str]:
    """Postal addresses written as two lines: a street with its number, then a postcode and
    town ("Liethberg 17" / "24576 Bad Bramstedt", "4 rue du lycée" / "53000 Laval")."""
    found = []
    for region_text in text.values():
        lines = [line.strip() for line in region_text.split("\n")]
        for a, b in zip(lines, lines[1:], strict=False):
            if len(a) <= 60 and _STREET_LINE.match(a) and _POSTCODE_LINE.match(b):
                found.append(f"{a}, {b}")
    return found


def _text_size(node: Any, types: Any, need: int, size: tuple[int, int], budget: _Budget) -> tuple[int, int]:
    """Add the text of ``node`` (its strings of ``types``) to ``size``, a count of
    (characters that are not white space, words), stopping once the text is longer than
    ``need``. ``len(norm(" ".join(strings)))`` is exactly characters + words - 1: the
    separator keeps words of two strings apart, so counts of parts add up."""
    chars, words = size
    nodes = [node] if isinstance(node, NavigableString) else _descendants(node, budget) if isinstance(node, Tag) else []
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


def _hero_container(anchor: Tag, budget: _Budget) -> Tag:
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
_CTA_WORDS = re.compile(r"\b(get|start|try|book|buy|shop|contact|sign up|join|learn|download|order|request|schedule|call|see|discover|explore)\b", re.I)
_BUTTON_CLASS = re.compile(r"\b(btn|button|cta)")


def _hero(body: Tag, budget: _Budget) -> tuple[str, list[tuple[str, str]]]:
    """Text and call-to-action candidates of the first screenful (the h1's section)."""
    h1 = body.find("h1")
    anchor: Tag | None = h1 if isinstance(h1, Tag) else None
    if anchor is None:
        for tag in body.find_all(["h2", "h3"], limit=3):
            if tag.find_parent(["nav", "footer"]) is None:
                anchor = tag
                break
    if anchor is None:
        return "", []
    container = _hero_container(anchor, budget)
    ctas: list[tuple[str, str]] = []

    def hidden_in_hero(node: Any) -> bool:
        while isinstance(node, Tag) and node is not container:
            if is_hidden(node):
                return True
            node = node.parent
        return False

    for el in container.find_all(["a", "button"], limit=30):
        budget.check()
        if el.find_parent(["nav"]) is not None or hidden_in_hero(el):
            continue
        text = _text_prefix(el, 61, budget)
        if not text or len(text) > 60:
            continue
        cls = " ".join(_tokens(el))
        is_button = el.name == "button" or _BUTTON_CLASS.search(cls) is not None
        if el.name == "a" and not is_button and not _CTA_WORDS.search(text):
            continue
        ctas.append((text, str(el.get("href") or "")))
    # One line per block (eyebrow, headline, lead sentence, buttons), so a sentence is
    # never glued to the label above it. Whether an element is hidden and which block it
    # is in are passed down from its parent, once per element; reading stops once more
    # than the 800 characters kept are settled.
    lines: list[list[str]] = []
    last_block: Tag | None = None
    #: id(element) -> (hidden inside the hero, its block).
    state: dict[int, tuple[bool, Any]] = {id(container): (False, container)}
    kept = 0
    for node in _descendants(container, budget):
        hidden, block = state[id(node.parent)]
        if isinstance(node, Tag):
            state[id(node)] = (hidden or is_hidden(node), node if node.name in BLOCK_TAGS else block)
            continue
        if not isinstance(node, NavigableString) or isinstance(node, (Comment, Doctype)) or hidden:
            continue
        if isinstance(node.parent, Tag) and node.parent.name in INVISIBLE_TAGS:
            continue
        if not node.strip():
            continue
        if block is not last_block or not lines:
            lines.append([])
            last_block = block if isinstance(block, Tag) else None
        lines[-1].append(str(node))
        kept += _nonspace(node)
        if kept > _HERO_KEEP:
            break
    text = "\n".join(t for t in (norm(" ".join(line)) for line in lines) if t)
    return text[:_HERO_KEEP], ctas[:5]


def _first(tags: list[Tag]) -> Tag | None:
    return tags[0] if tags else None


_CHAT_VENDORS = ("intercom", "drift", "zendesk", "zopim", "crisp", "tawk", "hubspot",
                 "livechat", "tidio", "olark", "freshchat", "freshworks", "chatwoot", "smartsupp",
                 "userlike", "purechat", "jivosite", "helpscout", "beacon", "gorgias", "front-chat",
                 "liveperson", "comm100", "kommunicate", "chatra", "zoho", "salesiq", "messenger")
_IMAGE_ADDRESS = re.compile(r"\.(png|jpe?g|gif|svg|webp)$")
_WORD = re.compile(r"\w+")


def _uniq(xs: Iterable[str]) -> tuple[str, ...]:
    """Non-empty values, first occurrence first."""
    return tuple(dict.fromkeys(x for x in xs if x))


def extract_facts(url: str, headers: Mapping[str, str] | None, body: bytes,
                  budget: float | None = None, time_left: float | None = None) -> PageFacts:
    """Parse one HTML page into :class:`PageFacts`. Pure: no I/O, no globals.

    ``budget`` is the most CPU seconds extraction may take, ``time_left`` the wall-clock
    seconds left before the run's deadline (None: no limit). When either runs out,
    :class:`ExtractionInterrupted` says which, how long it ran and what it was doing.
    Every step checks the clocks often enough that it stops soon after (within about one
    text read of the largest element); the checks cost about 1 % of the extraction.
    """
    clock = _Budget(budget, time_left, len(body))
    html, encoding = decode_html(body, headers)
    clock.enter("parsing")
    builder = _BudgetedLXMLBuilder(clock)
    try:
        return _facts(url, BeautifulSoup(html, builder=builder), encoding, clock)
    finally:
        # A parsed page is a web of references (parent, children, next and previous
        # element) that only Python's cycle collector frees: in one pause of seconds
        # after a big page, charged to whatever page runs then. Taken apart here, it is
        # freed at once, on this page's account, whether extraction finished or not.
        if builder.soup is not None:
            builder.soup.decompose()


def _facts(url: str, soup: BeautifulSoup, encoding: str | None, clock: _Budget) -> PageFacts:
    clock.enter("indexing elements")
    index = _TagIndex(soup, clock)
    selector = _Selectors()
    html_tag = _first(index.get("html"))
    lang = None
    if isinstance(html_tag, Tag):
        lv = html_tag.get("lang") or html_tag.get("xml:lang")
        if isinstance(lv, str) and lv.strip():
            lang = lv.strip()
    title_tag = _first(index.get("title"))
    title = norm(title_tag.get_text(" ")) if isinstance(title_tag, Tag) else ""
    base = url
    base_tag = next((t for t in index.get("base") if t.has_attr("href")), None)
    if isinstance(base_tag, Tag):
        base = _join_or_none(url, str(base_tag.get("href"))) or url

    clock.enter("reading metadata")
    meta_desc = ""
    viewport = None
    meta_robots = ""
    social_meta: dict[str, str] = {}
    for meta_tag in index.get("meta"):
        clock.tick()
        name = str(meta_tag.get("name") or meta_tag.get("property") or "").lower().strip()
        content = str(meta_tag.get("content") or "")
        if name == "description":
            meta_desc = norm(content)
        elif name == "viewport":
            viewport = norm(content)
        elif name == "robots":
            meta_robots = content.lower()
        elif name.startswith(("og:", "twitter:")):
            social_meta.setdefault(name, norm(content)[:300])
    canonical = None
    for link_tag in (t for t in index.get("link") if t.has_attr("href")):
        link_rel: Any = link_tag.get("rel") or []
        rels = [r.lower() for r in link_rel] if isinstance(link_rel, list) else str(link_rel).lower().split()
        if "canonical" in rels:
            canonical = _join_or_none(base, str(link_tag.get("href")))
            break

    scripts = tuple(str(s.get("src")) for s in index.get("script") if s.has_attr("src"))
    inline_scripts = [s for s in index.get("script") if not s.has_attr("src")]
    inline_hints: list[str] = []
    for script_tag in inline_scripts:
        clock.tick()
        body_js = (script_tag.string or "")[:20000].lower()
        for vendor in _CHAT_VENDORS:
            if vendor in body_js:
                inline_hints.append(vendor)
    iframes = tuple(str(f.get("src")) for f in index.get("iframe") if f.has_attr("src"))
    clock.enter("reading structured data")
    types, ld_addresses, ld_hours = _json_ld_types(soup, index, clock)

    clock.enter("walking the page")
    found_body = _first(index.get("body"))
    body_tag: Tag = found_body if isinstance(found_body, Tag) else soup
    walker = _Walker(base, clock, selector)
    walker.walk(body_tag, "main", False, False)
    walker.finish()

    clock.enter("reading forms")
    forms = _forms(body_tag, walker.region_starts, index, clock, selector)

    clock.enter("joining text")
    text: dict[str, str] = {}
    for region, chunks in walker.chunks.items():
        joined = "".join(chunks)
        lines = [norm(line) for line in joined.split("\n")]
        t = "\n".join(line for line in lines if line)
        if t:
            text[region] = t
    all_text = "\n".join(text.get(r, "") for r in ("header", "nav", "main", "footer"))
    clock.check()
    word_count = len(_WORD.findall(all_text))
    clock.check()

    # Emails: mailto links and addresses shown as text.
    clock.enter("scanning emails")
    emails: list[Email] = []
    for lk in walker.links:
        if lk.scheme == "mailto" and lk.target:
            emails.append(Email(address=lk.target, source="mailto", region=lk.region,
                                label=_label_for(lk.text), context=lk.text, selector=lk.selector))
    for region, chunk, parent, _block in walker.text_regions:
        clock.tick()
        if "@" not in chunk:
            continue
        # The label, context and selector are the chunk's: read once, however many
        # addresses a chunk lists.
        chunk_facts: tuple[str, str, str] | None = None
        for em in EMAIL_RE.finditer(chunk):
            clock.tick()
            addr = em.group(1).lower().rstrip(".")
            if _IMAGE_ADDRESS.search(addr):
                continue
            if chunk_facts is None:
                chunk_facts = (_label_for(chunk), norm(chunk)[:120], selector(parent))
                clock.check()  # a long text took a while
            label, context, where = chunk_facts
            emails.append(Email(address=addr, source="text", region=region,
                                label=label, context=context, selector=where))

    clock.enter("detecting the language")
    text_lang = detect_language(text.get("main", "") or all_text)
    regions = phone_regions(lang, text_lang, url)
    numbers = _NumberReader(regions)
    clock.enter("scanning phone numbers")
    phones: list[Phone] = []
    for tel in walker.links:
        clock.tick()
        if tel.scheme == "tel" and digits_of(tel.target):
            phones.append(Phone(shown=tel.text or tel.target, digits=digits_of(tel.target),
                                e164=numbers.e164(tel.target), source="tel", region=tel.region,
                                label=_label_for(tel.text), context=tel.text, selector=tel.selector))
    for msg in walker.links:
        clock.tick()
        number = messaging_number(msg)
        if number:
            phones.append(Phone(shown=msg.text or number, digits=digits_of(number), e164=numbers.e164(number),
                                source="sms" if msg.href.strip().lower().startswith("sms:") else "whatsapp",
                                region=msg.region, label=_label_for(msg.text), context=msg.text, selector=msg.selector))
    blocks = _blocks(walker.text_regions)
    phones.extend(_scan_phones(blocks, numbers, clock, selector, _IconCues(clock)))

    clock.enter("scanning prices")
    prices = _scan_prices(blocks, clock, selector)

    clock.enter("reading addresses")
    addresses = list(ld_addresses)
    for a in index.get("address"):
        clock.tick()
        t = _text_prefix(a, MAX_ADDRESS, clock)
        if t and not EMAIL_RE.fullmatch(t):
            addresses.append(t[:200])
    for _region, chunk, _parent, _block in walker.text_regions:
        clock.tick()
        if STREET_RE.search(chunk):
            addresses.append(norm(chunk)[:200])
    addresses.extend(_street_postcode_pairs(text))
    hours = list(ld_hours)
    for hm in HOURS_RE.finditer(all_text):
        clock.tick()
        hours.append(norm(hm.group(1))[:80])

    clock.enter("reading the hero")
    hero_text, ctas = _hero(body_tag, clock)

    js_shell = False
    if word_count < 25:
        has_root = body_tag.find(id=JS_ROOT_IDS) is not None
        many_scripts = len(scripts) + len(inline_scripts) >= 1
        js_shell = many_scripts and (has_root or word_count < 8)

    return PageFacts(
        url=url,
        title=title,
        lang=lang,
        text_lang=text_lang,
        meta_description=meta_desc,
        viewport=viewport,
        canonical=canonical,
        meta_robots=meta_robots,
        charset=encoding,
        headings=tuple(walker.headings),
        text=text,
        links=tuple(walker.links),
        forms=tuple(forms),
        emails=tuple(emails),
        phones=tuple(phones),
        prices=tuple(prices),
        addresses=_uniq(addresses),
        hours=_uniq(hours),
        schema_types=_uniq(sorted(types)),
        social_meta=social_meta,
        scripts=scripts,
        inline_script_hints=_uniq(inline_hints),
        iframes=iframes,
        images=tuple(walker.images),
        hero_text=hero_text,
        hero_ctas=tuple(ctas),
        word_count=word_count,
        js_shell=js_shell,
        anchors=tuple(walker.anchors),
    )


@dataclass(frozen=True)
class ExtractionFailure:
    """Why a page has no facts: its extraction ran out of time or failed."""

    #: "too_complex" (the page's budget ran out), "deadline" (the run's deadline did),
    #: or "extract_failed" (extraction raised: a bug in cxprobe that this page triggers);
    #: the page errors of cxprobe.model.UNREAD_ERRORS.
    kind: str
    #: One line for the report: what was measured, or the exception and where it was raised.
    detail: str


def extract_page(url: str, headers: Mapping[str, str] | None, body: bytes,
                 budget: float | None = None, time_left: float | None = None) -> PageFacts | ExtractionFailure:
    """:func:`extract_facts`, with every way it can fail returned as an :class:`ExtractionFailure`.

    One page never ends the run: whatever the page holds, the caller gets facts or a
    failure to record on that page. Pure and picklable both ways, like extract_facts.
    """
    try:
        return extract_facts(url, headers, body, budget=budget, time_left=time_left)
    except ExtractionInterrupted as exc:
        return ExtractionFailure("too_complex" if exc.reason == "budget" else "deadline", str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded on the page, with where it was raised
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" at {PurePath(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
        message = "".join(c if c.isprintable() else " " for c in " ".join(str(exc).split())[:200])
        return ExtractionFailure("extract_failed", f"{type(exc).__name__}: {message}{where} (a cxprobe bug: please report it)")
