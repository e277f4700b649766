"""Page-facts extraction: (url, headers, bytes) -> :class:`PageFacts`.

One parse per page (BeautifulSoup over lxml), one walk over the tree, and the facts are
kept, not the tree. :func:`extract_facts` is a pure function of its arguments with no
global state, so it can run in a process pool. HTML comments and the content of
``<script>``, ``<style>``, ``<template>`` and ``<noscript>`` never count as visible text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote

import phonenumbers
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
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


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """Decode page bytes: declared charset (header, then meta), then UTF-8, then cp1252.

    A wrong declared charset or invalid bytes never raise: undecodable bytes are replaced.
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
    for enc in declared + ["utf-8"]:
        try:
            return body.decode(enc), enc.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    # Invalid in every declared encoding: keep what decodes, never fail the page.
    enc = declared[0] if declared else "utf-8"
    try:
        return body.decode(enc, errors="replace"), enc.lower()
    except LookupError:
        return body.decode("utf-8", errors="replace"), "utf-8"


def norm(text: str) -> str:
    """Collapse white space."""
    return _WS.sub(" ", text).strip()


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


def _selector(tag: Tag) -> str:
    """A short selector: tag#id, or tag.class1.class2, with the nearest id'd ancestor."""
    def one(t: Tag) -> str:
        tid = t.get("id")
        if isinstance(tid, str) and tid and re.match(r"^[A-Za-z][\w-]*$", tid):
            return f"{t.name}#{tid}"
        cls = t.get("class")
        if isinstance(cls, list) and cls:
            good = [c for c in cls if re.match(r"^[A-Za-z_][\w-]*$", c)][:2]
            if good:
                return t.name + "".join("." + c for c in good)
        return t.name

    me = one(tag)
    if "#" in me:
        return me
    for anc in tag.parents:
        if not isinstance(anc, Tag) or anc.name in ("[document]", "html", "body"):
            break
        a = one(anc)
        if "#" in a or anc.name in ("header", "nav", "footer", "main", "form", "section"):
            return f"{a} {me}"
    return me


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


def _looks_like_link(tag: Tag) -> bool:
    """An <a> without href that a customer reads as a link: it has words, it is not a named
    anchor, and nothing marks it as a script-driven control (onclick, role, data-toggle)."""
    if tag.name != "a" or tag.has_attr("name") or tag.has_attr("onclick") or tag.has_attr("role"):
        return False
    if any(a.startswith(("data-toggle", "data-bs-", "ng-", "v-", "x-on", "@", ":")) for a in tag.attrs):
        return False
    return bool(tag.get_text(strip=True))


class _Walker:
    """One pass over the body: visible text per region, links, headings, images."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.chunks: dict[str, list[str]] = {"header": [], "nav": [], "main": [], "footer": []}
        self.links: list[Link] = []
        self.headings: list[Heading] = []
        self.images: list[Image] = []
        self.anchors: list[str] = []
        self.text_regions: list[tuple[str, str, Tag]] = []  # (region, text, parent) for scans
        #: id(tag) -> region, for tags where a new region starts (forms look it up).
        self.region_starts: dict[int, str] = {}

    def walk(self, node: Tag, region: str, in_sectioning: bool, hidden: bool) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if isinstance(child, (Comment, Doctype)) or type(child).__name__ in (
                    "CData", "ProcessingInstruction", "Declaration", "Script", "Stylesheet",
                    "TemplateString",
                ):
                    continue
                if hidden:
                    continue
                s = str(child)
                if not s.strip():
                    # White space between inline elements still separates words:
                    # "<a>write</a> <a>call</a>" reads "write call", not "writecall".
                    if s:
                        self.chunks[region].append(" ")
                    continue
                self.chunks[region].append(s)
                parent = child.parent
                if isinstance(parent, Tag):
                    self.text_regions.append((region, s, parent))
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
            if name in ("a", "area") and (child.has_attr("href") or _looks_like_link(child)):
                self._link(child, r)
            elif name == "img":
                src = child.get("src") or child.get("data-src") or ""
                alt = child.get("alt")
                self.images.append(Image(src=str(src), alt=None if alt is None else str(alt)))
            elif re.fullmatch(r"h[1-6]", name or ""):
                text = norm(child.get_text(" "))
                if text and not child_hidden:
                    self.headings.append(Heading(level=int(name[1]), text=text, region=r))
            if name == "br" and not child_hidden:
                # A line break inside a block ends a line for the scanners too:
                # "Liethberg 17<br>24576 Bad Bramstedt" is not one number.
                self.text_regions.append((r, "\n", node))
            block = name in BLOCK_TAGS
            if block:
                self.chunks[r].append("\n")
            self.walk(child, r, in_sectioning or name in SECTIONING, child_hidden)
            if block:
                self.chunks[r].append("\n")

    def _link(self, tag: Tag, region: str) -> None:
        href = str(tag.get("href") or "")
        raw = href.strip()
        text = norm(tag.get_text(" "))
        if not text:
            for attr in ("aria-label", "title"):
                v = tag.get(attr)
                if isinstance(v, str) and v.strip():
                    text = norm(v)
                    break
        if not text:
            img = tag.find("img", alt=True)
            if img is not None:
                text = norm(str(img.get("alt") or ""))
        rel: Any = tag.get("rel") or []
        rel_t = tuple(r.lower() for r in rel) if isinstance(rel, list) else tuple(str(rel).lower().split())
        hints = " ".join(_tokens(tag))
        for d in tag.find_all(True, limit=4):
            hints += " " + " ".join(_tokens(d))
            for attr in ("name", "data-icon", "aria-label"):
                v = d.get(attr)
                if isinstance(v, str):
                    hints += " " + v.lower()
        parent = tag.parent
        if isinstance(parent, Tag):
            hints += " " + " ".join(_tokens(parent))
        selector = _selector(tag)
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
    """

    def __init__(self, soup: BeautifulSoup) -> None:
        self.by_name: dict[str, list[Tag]] = {}
        self.itemtype: list[Tag] = []
        self.street: list[Tag] = []
        for tag in soup.find_all(True):
            self.by_name.setdefault(tag.name, []).append(tag)
            attrs = tag.attrs
            if "itemtype" in attrs:
                self.itemtype.append(tag)
            if attrs.get("itemprop") == "streetAddress":
                self.street.append(tag)

    def get(self, name: str) -> list[Tag]:
        return self.by_name.get(name, [])


def _json_ld_types(soup: BeautifulSoup, index: _TagIndex | None = None) -> tuple[list[str], list[str], list[str]]:
    """schema.org types, postal address lines and opening hours from JSON-LD."""
    types: list[str] = []
    addresses: list[str] = []
    hours: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                visit(n)
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
            for v in node.values():
                if isinstance(v, (dict, list)):
                    visit(v)

    index = index or _TagIndex(soup)
    for s in (t for t in index.get("script") if "ld+json" in str(t.get("type", "")).lower()):
        try:
            visit(json.loads(s.string or s.get_text() or "null"))
        except (ValueError, TypeError):
            continue
    for t in index.itemtype:
        for it in str(t.get("itemtype")).split():
            types.append(it.rstrip("/").rsplit("/", 1)[-1])
    for t in index.street:
        addresses.append(norm(t.get_text(" ")))
    return types, addresses, hours


def _forms(soup: Tag, walker_region: dict[int, str]) -> list[Form]:
    forms: list[Form] = []
    seen_controls: set[int] = set()

    def fields_of(container: Tag) -> list[FormField]:
        out = []
        for c in container.find_all(["input", "textarea", "select"]):
            seen_controls.add(id(c))
            typ = str(c.get("type") or ("textarea" if c.name == "textarea" else "select" if c.name == "select" else "text")).lower()
            if typ in ("hidden", "submit", "button", "reset", "image"):
                continue
            label = ""
            cid = c.get("id")
            if isinstance(cid, str) and cid:
                lab = container.find("label", attrs={"for": cid})
                if lab is not None:
                    label = norm(lab.get_text(" "))
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
        heading = container.find_previous(re.compile(r"^h[1-6]$"))
        if heading is not None:
            bits.append(norm(heading.get_text(" "))[:80])
        for b in container.find_all(["button", "input"]):
            if b.name == "button" or str(b.get("type", "")).lower() == "submit":
                bits.append(norm(b.get_text(" ") or str(b.get("value") or ""))[:40])
        for attr in ("id", "name", "class", "action", "aria-label"):
            v = container.get(attr)
            if v:
                bits.append(" ".join(v) if isinstance(v, list) else str(v))
        return " | ".join(b for b in bits if b)

    def region_of(tag: Tag) -> str:
        for anc in [tag, *tag.parents]:
            r = walker_region.get(id(anc))
            if r:
                return r
        return "main"

    for f in soup.find_all("form"):
        flds = fields_of(f)
        ctx = context_of(f)
        forms.append(Form(purpose=classify_form(flds, ctx, f.get("role") == "search"),
                          action=str(f.get("action") or ""), method=str(f.get("method") or "get").lower(),
                          fields=tuple(flds), region=region_of(f), selector=_selector(f), context=ctx[:200]))
    # Form-like groups of inputs without a <form>: a textarea and its nearest container
    # that also holds an email or phone input.
    for ta in soup.find_all("textarea"):
        if id(ta) in seen_controls:
            continue
        container = ta.parent
        for _ in range(6):
            if not isinstance(container, Tag):
                break
            if container.find("input", attrs={"type": re.compile(r"^(email|tel)$", re.I)}) or \
               container.find("input", attrs={"name": re.compile(r"mail|phone", re.I)}):
                break
            container = container.parent
        if not isinstance(container, Tag):
            continue
        flds = fields_of(container)
        ctx = context_of(container)
        forms.append(Form(purpose=classify_form(flds, ctx, False), action="", method="",
                          fields=tuple(flds), region=region_of(container), selector=_selector(container),
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


def _label_for(text: str) -> str:
    """The purpose label nearest to the end of ``text`` (the words just before a number)."""
    best, best_end = "", -1
    for name, rx in PHONE_LABELS:
        for m in rx.finditer(text):
            if m.end() > best_end:
                best, best_end = name, m.end()
    return best


def digits_of(s: str) -> str:
    return re.sub(r"\D", "", s)


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


def _icon_cue(block: Tag) -> bool:
    """A phone icon next to the text: inside its block ("<p><i class=fa-phone></i> 555...")
    or in an element just before it or its parent ("<div class=icon><i class=ti-mobile></i></div>
    <div><h3>(00) 789...</h3></div>"). Icons elsewhere on the page do not count."""

    def is_phone_icon(el: Tag) -> bool:
        hint = " ".join(_tokens(el)) + " " + str(el.get("name") or "") + " " + str(el.get("alt") or "") + " " + str(el.get("src") or "")
        return bool(re.search(r"phone|telephone|\bcall\b|call-outline|telefon", hint, re.I)
                    or any(_ICON_PHONE_TOKEN.match(t) for t in hint.split()))

    def icons(node: Tag) -> list[Tag]:
        found = [node] if node.name in _ICON_TAGS else []
        return found + list(node.find_all(list(_ICON_TAGS), limit=6))

    if not isinstance(block, Tag):
        return False
    if any(is_phone_icon(el) for el in icons(block)):
        return True
    node: Any = block
    for _ in range(2):
        if not isinstance(node, Tag):
            return False
        siblings = 0
        for sib in node.previous_siblings:
            if not isinstance(sib, Tag):
                continue
            # An icon holder ("<div class=icon><i class=ti-mobile></i></div>") has no text of
            # its own; a block of content before it is not an icon.
            if len(sib.get_text(strip=True)) <= 3 and any(is_phone_icon(el) for el in icons(sib)):
                return True
            siblings += 1
            if siblings >= 1:  # only the element right before
                break
        node = node.parent
        if isinstance(node, Tag) and node.name in ("body", "html"):
            return False
    return False


def _matches(text: str, regions: tuple[str, ...]) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """Phone-number candidates in every region, each stretch of text once."""
    taken: list[tuple[int, int]] = []
    for region in regions:
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            if any(s < m.end and m.start < e for s, e in taken):
                continue
            taken.append((m.start, m.end))
            yield m


def _scan_phones(text_regions: list[tuple[str, str, Tag]], regions: tuple[str, ...]) -> list[Phone]:
    phones: list[Phone] = []
    seen: set[tuple[str, str]] = set()
    # Group text by its parent block so "Call us at" + "<b>555 1234</b>" stay together.
    blocks: dict[int, tuple[str, list[str], Tag]] = {}
    order: list[int] = []
    for region, s, parent in text_regions:
        block = parent
        while isinstance(block, Tag) and block.name not in BLOCK_TAGS and block.parent is not None:
            block = block.parent
        key = id(block)
        if key not in blocks:
            blocks[key] = (region, [], block)
            order.append(key)
        blocks[key][1].append(s)
    prev_text = ""
    for key in order:
        region, parts, block = blocks[key]
        # Lines stay apart (<br>), words within a line are joined.
        text = "\n".join(norm(line) for line in " ".join(parts).split("\n") if line.strip())
        # A short block (a number on its own line) takes its cue and label from the
        # block before it: "<h3>Call us</h3><p>+1 222-222-222</p>".
        # Only a label lends its cue: a previous block that holds a number of its own
        # ("Phone: (212) 555-0188") says nothing about "Order number 5550199".
        lead = prev_text[-60:] + " | " if len(text) <= 40 and len(re.findall(r"\d", prev_text)) < 6 else ""
        prev_text = text
        # Numbers written in pairs ("06 28 04 64 27") have no run of three digits.
        if len(re.findall(r"\d", text)) < 6:
            continue
        text = lead + text
        found: list[tuple[int, int, str]] = []
        for m in _matches(text, regions):
            raw = m.raw_string
            start = m.start
            # phonenumbers drops a country code it does not know ("+80 (400) 123 4567"
            # matches as "(400) 123 4567"): keep what the customer sees.
            pm = re.search(r"\(?\+\d{1,4}\)?[\s.-]*$", text[max(0, start - 8): start])
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
            if re.search(rf"[{CURRENCY_SYMBOLS}]\s*$", before) or re.match(rf"^\s*(?:%|[{CURRENCY_SYMBOLS}])", after):
                continue
            if re.fullmatch(r"(19|20)\d\d\s*[-–]\s*(19|20)\d\d", raw.strip()):
                continue
            if re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}", raw.strip()):
                continue
            cue = PHONE_CUE_RE.search(before) or _icon_cue(block)
            # Order, invoice and reference numbers look like phone numbers but are not.
            if not cue and (ID_PREFIX_RE.search(before) or STRONG_ID_RE.search(before)):
                continue
            if not cue and not _plausible_phone(raw, regions):
                continue
            if m.start < len(lead):  # a number inside the borrowed label is not this block's
                continue
            found.append((start, m.end, raw))
        if PHONE_CUE_RE.search(text) or _icon_cue(block):
            for cm in CUE_NUMBER_RE.finditer(text):
                if any(s < cm.end() and cm.start() < e for s, e, _ in found):  # overlaps a match
                    continue
                raw = cm.group(1).strip()
                d = digits_of(raw)
                if len(d) < 6 or len(d) > 15:
                    continue
                before = text[max(0, cm.start() - 40): cm.start()]
                if not (PHONE_CUE_RE.search(before) or _icon_cue(block)):
                    continue
                if re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|(19|20)\d\d\s*[-–]\s*(19|20)\d\d", raw) or "\n" in raw:
                    continue
                if cm.start() < len(lead):
                    continue
                found.append((cm.start(), cm.end(), raw))
        for start, end, raw in found:
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
                tail = re.match(r"^\s*(?:\(([A-Za-z][A-Za-z .'-]{1,24})\)|[–—-]\s*([A-Za-z][A-Za-z .'-]{1,24}?)(?:\s*$|\s*[|,;]))",
                                text[end: end + 30])
                if tail:
                    word = (tail.group(1) or tail.group(2)).strip()
                    label = _label_for(word) or f"office:{word.lower()}"
            phones.append(Phone(shown=norm(raw), digits=d, e164=_e164(raw, regions), source="text",
                                region=region, label=label,
                                context=text[max(0, start - 60): end + 20], selector=_selector(block) if isinstance(block, Tag) else ""))
    return phones


def _text_after(block: Tag, limit: int = 30) -> str:
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
                t = norm(sib.get_text(" "))
                if t:
                    return t[:limit]
        node = node.parent
    return ""


def _scan_prices(text_regions: list[tuple[str, str, Tag]]) -> list[Price]:
    prices: list[Price] = []
    blocks: dict[int, tuple[list[str], Tag]] = {}
    order: list[int] = []
    for _region, s, parent in text_regions:
        block = parent
        while isinstance(block, Tag) and block.name not in BLOCK_TAGS and block.parent is not None:
            block = block.parent
        key = id(block)
        if key not in blocks:
            blocks[key] = ([], block)
            order.append(key)
        blocks[key][0].append(s)
    for key in order:
        parts, block = blocks[key]
        text = norm(" ".join(parts))
        if not re.search(rf"[\d{CURRENCY_SYMBOLS}]", text):
            continue
        # The block's following sibling often holds the period ("$9" <span>/mo</span> is
        # inline, but "<div>$9</div><div>per month</div>" is not).
        for m in PLACEHOLDER_PRICE_RE.finditer(text):
            prices.append(Price(amount=None, currency=None, period=None, text=m.group(0), kind="offer",
                                placeholder=True, context=text[:120], selector=_selector(block)))
        for m in PRICE_RE.finditer(text):
            raw = m.group(0).strip()
            parsed = ParsedPrice.fromstring(raw)
            if parsed.amount is None:
                continue
            after = text[m.end(): m.end() + 40]
            tail = after if after.strip() else _text_after(block)
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
            discount = bool(re.search(r"\b(?:save|you\s+save|savings\s+of|discount\s+of|get)\s*(?:up\s+to\s+)?$", before, re.I)
                            or re.match(r"^\s*off\b", after, re.I))
            prose = discount or bool(PROSE_MAGNITUDE.match(after)) or (
                PROSE_CUES.search(before + " " + after) is not None and period is None)
            if not prose and period is None and len(text) > 160:
                # A figure inside a long sentence is prose unless it is quoted as a price.
                prose = not re.search(r"\b(price|prices|cost|costs|only|from|starting|just|fee|ticket|tickets|per|plan|buy|order)\b", before[-40:], re.I)
            currency = parsed.currency
            if currency:
                currency = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "US$": "USD", "A$": "AUD", "C$": "CAD", "R$": "BRL"}.get(currency, currency)
            prices.append(Price(amount=float(parsed.amount), currency=currency, period=period, text=raw,
                                kind="prose" if prose else "offer", unit=unit, context=text[:160],
                                selector=_selector(block)))
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


def _hero(soup: BeautifulSoup, body: Tag) -> tuple[str, list[tuple[str, str]]]:
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
    container: Tag = anchor
    for anc in anchor.parents:
        if not isinstance(anc, Tag) or anc.name in ("body", "html", "[document]"):
            break
        container = anc
        t = norm(anc.get_text(" "))
        if len(t) > 120 or anc.name in ("section", "header", "main", "article"):
            break
    ctas: list[tuple[str, str]] = []
    def hidden_in_hero(node: Any) -> bool:
        while isinstance(node, Tag) and node is not container:
            if is_hidden(node):
                return True
            node = node.parent
        return False

    for el in container.find_all(["a", "button"], limit=30):
        if el.find_parent(["nav"]) is not None or hidden_in_hero(el):
            continue
        text = norm(el.get_text(" "))
        if not text or len(text) > 60:
            continue
        cls = " ".join(_tokens(el))
        is_button = el.name == "button" or re.search(r"\b(btn|button|cta)", cls) is not None
        if el.name == "a" and not is_button and not re.search(r"\b(get|start|try|book|buy|shop|contact|sign up|join|learn|download|order|request|schedule|call|see|discover|explore)\b", text, re.I):
            continue
        ctas.append((text, str(el.get("href") or "")))
    # One line per block (eyebrow, headline, lead sentence, buttons), so a sentence is
    # never glued to the label above it.
    lines: list[list[str]] = []
    last_block: Tag | None = None
    for s in container.find_all(string=True):
        if isinstance(s, (Comment, Doctype)) or hidden_in_hero(s.parent):
            continue
        if isinstance(s.parent, Tag) and s.parent.name in INVISIBLE_TAGS:
            continue
        if not s.strip():
            continue
        block = s.parent
        while isinstance(block, Tag) and block.name not in BLOCK_TAGS and block is not container:
            block = block.parent
        if block is not last_block or not lines:
            lines.append([])
            last_block = block if isinstance(block, Tag) else None
        lines[-1].append(str(s))
    text = "\n".join(t for t in (norm(" ".join(line)) for line in lines) if t)
    return text[:800], ctas[:5]


def extract_facts(url: str, headers: Mapping[str, str] | None, body: bytes) -> PageFacts:
    """Parse one HTML page into :class:`PageFacts`. Pure: no I/O, no globals."""
    html, encoding = decode_html(body, headers)
    soup = BeautifulSoup(html, "lxml")
    index = _TagIndex(soup)
    html_tag = soup.find("html")
    lang = None
    if isinstance(html_tag, Tag):
        lv = html_tag.get("lang") or html_tag.get("xml:lang")
        if isinstance(lv, str) and lv.strip():
            lang = lv.strip()
    title_tag = soup.find("title")
    title = norm(title_tag.get_text(" ")) if isinstance(title_tag, Tag) else ""
    base = url
    base_tag = soup.find("base", href=True)
    if isinstance(base_tag, Tag):
        base = _join_or_none(url, str(base_tag.get("href"))) or url

    meta_desc = ""
    viewport = None
    meta_robots = ""
    social_meta: dict[str, str] = {}
    for meta_tag in index.get("meta"):
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
        body_js = (script_tag.string or "")[:20000].lower()
        for vendor in ("intercom", "drift", "zendesk", "zopim", "crisp", "tawk", "hubspot",
                       "livechat", "tidio", "olark", "freshchat", "freshworks", "chatwoot", "smartsupp",
                       "userlike", "purechat", "jivosite", "helpscout", "beacon", "gorgias", "front-chat",
                       "liveperson", "comm100", "kommunicate", "chatra", "zoho", "salesiq", "messenger"):
            if vendor in body_js:
                inline_hints.append(vendor)
    iframes = tuple(str(f.get("src")) for f in index.get("iframe") if f.has_attr("src"))
    types, ld_addresses, ld_hours = _json_ld_types(soup, index)

    found_body = soup.find("body")
    body_tag: Tag = found_body if isinstance(found_body, Tag) else soup
    walker = _Walker(base)
    walker.walk(body_tag, "main", False, False)

    forms = _forms(body_tag, walker.region_starts)

    text: dict[str, str] = {}
    for region, chunks in walker.chunks.items():
        joined = "".join(chunks)
        lines = [norm(line) for line in joined.split("\n")]
        t = "\n".join(line for line in lines if line)
        if t:
            text[region] = t
    all_text = "\n".join(text.get(r, "") for r in ("header", "nav", "main", "footer"))
    word_count = len(re.findall(r"\w+", all_text))

    # Emails: mailto links and addresses shown as text.
    emails: list[Email] = []
    for lk in walker.links:
        if lk.scheme == "mailto" and lk.target:
            emails.append(Email(address=lk.target, source="mailto", region=lk.region,
                                label=_label_for(lk.text), context=lk.text, selector=lk.selector))
    for region, chunk, parent in walker.text_regions:
        for em in EMAIL_RE.finditer(chunk):
            addr = em.group(1).lower().rstrip(".")
            if re.search(r"\.(png|jpe?g|gif|svg|webp)$", addr):
                continue
            emails.append(Email(address=addr, source="text", region=region,
                                label=_label_for(chunk), context=norm(chunk)[:120], selector=_selector(parent)))

    text_lang = detect_language(text.get("main", "") or all_text)
    regions = phone_regions(lang, text_lang, url)
    phones: list[Phone] = []
    for tel in walker.links:
        if tel.scheme == "tel" and digits_of(tel.target):
            phones.append(Phone(shown=tel.text or tel.target, digits=digits_of(tel.target),
                                e164=_e164(tel.target, regions), source="tel", region=tel.region,
                                label=_label_for(tel.text), context=tel.text, selector=tel.selector))
    for msg in walker.links:
        number = messaging_number(msg)
        if number:
            phones.append(Phone(shown=msg.text or number, digits=digits_of(number), e164=_e164(number, regions),
                                source="sms" if msg.href.strip().lower().startswith("sms:") else "whatsapp",
                                region=msg.region, label=_label_for(msg.text), context=msg.text, selector=msg.selector))
    phones.extend(_scan_phones(walker.text_regions, regions))

    prices = _scan_prices(walker.text_regions)

    addresses = list(ld_addresses)
    for a in index.get("address"):
        t = norm(a.get_text(" "))
        if t and not EMAIL_RE.fullmatch(t):
            addresses.append(t[:200])
    for _region, chunk, _parent in walker.text_regions:
        if STREET_RE.search(chunk):
            addresses.append(norm(chunk)[:200])
    addresses.extend(_street_postcode_pairs(text))
    hours = list(ld_hours)
    for hm in HOURS_RE.finditer(all_text):
        hours.append(norm(hm.group(1))[:80])

    hero_text, ctas = _hero(soup, body_tag)

    js_shell = False
    if word_count < 25:
        has_root = body_tag.find(id=JS_ROOT_IDS) is not None
        many_scripts = len(scripts) + len(inline_scripts) >= 1
        js_shell = many_scripts and (has_root or word_count < 8)

    def uniq(xs: Iterable[str]) -> tuple[str, ...]:
        out: list[str] = []
        for x in xs:
            if x and x not in out:
                out.append(x)
        return tuple(out)

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
        addresses=uniq(addresses),
        hours=uniq(hours),
        schema_types=uniq(sorted(types)),
        social_meta=social_meta,
        scripts=scripts,
        inline_script_hints=uniq(inline_hints),
        iframes=iframes,
        images=tuple(walker.images),
        hero_text=hero_text,
        hero_ctas=tuple(ctas),
        word_count=word_count,
        js_shell=js_shell,
        anchors=tuple(walker.anchors),
    )
