"""Amounts of money a page shows, and what each is: an offer (a plan, a product, a ticket)
or a figure in prose ("we raised $3 million"), with its currency, billing period and unit."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bs4 import Tag
from price_parser import Price as ParsedPrice

from cxprobe import Document, Extractor

from .._lazyre import few_digits, lazy_compile

norm = Document.norm
#: Text grouped by block, in document order: (region of its first text, texts, block).
Blocks = list[tuple[str, list[str], Any]]


@dataclass(frozen=True)
class Price:
    """An amount of money shown on a page."""

    #: The amount as a number, None for a placeholder price ("£x.99").
    amount: float | None
    #: The currency: a code ("USD", "EUR"; "$" and "€" read as those), else as written; None when none shows.
    currency: str | None
    #: month | year | week | day | hour | one-time | None
    period: str | None
    #: The exact text the price was read from.
    text: str
    #: "offer" (a plan/product/ticket price) or "prose" (a figure in running text).
    kind: str
    #: True for template placeholders such as "£x.99".
    placeholder: bool = False
    #: per user / per seat, when said.
    unit: str | None = None
    #: True when the price is a plan's or a subscription's (a billing period applies): it has
    #: a period, or its block, heading or card names a plan, a subscription or a
    #: membership. A dish, a product, a delivery fee or a one-off service is not.
    plan: bool = False
    #: The text of the block around the price (at most 160 characters), for evidence.
    context: str = ""
    #: Short CSS-like selector of that block.
    selector: str = ""


CURRENCY_SYMBOLS = "$€£¥₹₩₽₺₪฿₫₱"
CURRENCY_CODES = (r"USD|EUR|GBP|CHF|AUD|CAD|NZD|JPY|INR|SEK|NOK|DKK|PLN|CZK|BRL|MXN|ZAR|SGD|HKD|COP|ARS|CLP|PEN|UYU|"
                  r"RON|HUF|BGN|ISK")
# "1,500.00", "250 000", "$2000", "12.99": a separated form needs a group and no digit after.
_AMOUNT = r"\d{1,3}(?:[,.' ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?"
PRICE_RE = lazy_compile(
    rf"(?:(?:(?:US|A|C|NZ|R|HK|S)?[{CURRENCY_SYMBOLS}])\s?(?:{_AMOUNT})"
    rf"|(?:{_AMOUNT})\s?[{CURRENCY_SYMBOLS}]"
    rf"|\b(?:{CURRENCY_CODES})\s?(?:{_AMOUNT})\b"
    rf"|\b(?:{_AMOUNT})\s?(?:{CURRENCY_CODES})\b"
    rf"|(?<![\w])(?:{_AMOUNT})\s?(?:kr|zł|Kč|Fr\.)(?!\w))"
)
PLACEHOLDER_PRICE_RE = lazy_compile(
    rf"[{CURRENCY_SYMBOLS}]\s?(?:[xX]+(?:[.,][\dxX]+)?|\d+[.,][xX]{{1,2}})(?![\w])"
    rf"|\b[xX]{{1,3}}[.,]\d\d\s?[{CURRENCY_SYMBOLS}]"
)
# Billing periods in the languages of Europe and the Americas: "/mo", "per month", "par mois",
# "pro Monat", "al mes", "por mês", "al mese", "/noche", "per nacht", "miesięcznie".
_PER = r"(?:/|per|a|an|each|every|par|pro|al|por|la|le|à|am|im|je|za|na|ao|a\s+la|al|il|po)?"
#: Read in this order: "$20 an hour" is an hourly price, not a yearly one ("an").
PERIOD_PATTERNS = (
    ("hour", lazy_compile(r"^\s*(?:/|per|an|each|every|par|pro|por|la|le|à|al|a|je|za|na)\s*(?:hr\b|hour|h\b|heure|"
                        r"stunde|std\.?|hora|ora\b|uur|godz\w*|hod\w*)", re.I)),
    ("day", lazy_compile(r"^\s*(?:/|per|a|each|every|par|pro|por|la|le|à|al|a|je|za|na)\s*(?:day|night|jour|nuit\w*|"
                       r"tag\b|nacht|d[ií]a\b|noche|noite|di[áa]ria|giorno|notte|dag\b|doba|noc)", re.I)),
    ("week", lazy_compile(rf"^\s*{_PER}\s*(?:wk\b|week\w*|semaine\w*|hebdo\w*|woche\w*|wöchentlich|semana\w*|semanal\w*|"
                        r"settiman\w*|tydzie\w+|týd\w*)", re.I)),
    ("month", lazy_compile(rf"^\s*{_PER}\s*(?:mo\b|mth|months?\b|monthly|mois|mensuel\w*|monat\w*|mes\b|mês|mensal\w*|"
                         r"mese\b|mensil\w*|mensual\w*|maand\w*|miesi\w+|měsíc\w*|m[ěe]s\.?\b|pm\b|pcm\b|p/m\b)", re.I)),
    ("year", lazy_compile(rf"^\s*{_PER}\s*(?:yr\b|years?\b|yearly|annum|annually|an\b|ann[ée]e\b|annuel\w*|jahr\w*|"
                        r"jährlich|año\b|anual\w*|ano\b|anno\b|annual\w*|jaar\w*|rok\w*|roč\w*)", re.I)),
    ("one-time", lazy_compile(r"^\s*(?:one[- ]time|once|lifetime|forever|einmalig|une\s+fois|pago\s+[úu]nico|una\s+tantum)", re.I)),
)
#: Words that make a price a plan's or a subscription's.
PLAN_WORDS = lazy_compile(
    r"\b(?:plans?|subscriptions?|subscribe|memberships?|abonnements?|abonn[ée]s?|abos?|mitgliedschaft\w*|"
    r"suscripci[óo]n\w*|membres[ií]a\w*|assinaturas?|planos?|mensalidades?|abbonament\w*|abonament\w*|"
    r"subskrypcj\w*|p[řr]edplatn\w*|lidmaatschap\w*)\b",
    re.I,
)
#: Class and id words of a plan card ("pricing-plan", "plan-card"). A "tier" alone is not
#: one: hire packages and menus come in tiers too, paid once.
PLAN_CLASS = lazy_compile(r"(?:^|[-_])(?:plans?|subscriptions?|membership)(?:$|[-_])", re.I)
UNIT_RE = lazy_compile(r"^\s*(?:/\s*)?(?:per|a|/)\s*(user|seat|member|person|guest|editor|agent)", re.I)
PROSE_MAGNITUDE = lazy_compile(
    r"^\s*(?:millions?|billions?|trillions?|bn\b|mn\b|m\b|k\b|b\b|thousand|\+|milh(?:ões|ão|oes|ao)|bilh(?:ões|ão)|"
    r"mil\b|millones|millón|mill\.|milliards?|millionen|mio\.?|mrd\.?|milioni|milione|miliardi?|miljoen|miljard|"
    r"milion\w*|mln\b|mld\b|tys\.?|tis\.?|mi\b|bi\b|tri\b|mill?\b)", re.I)
PROSE_CUES = lazy_compile(
    r"\b(raised|saved|recovered|revenue|funding|worth|valued|invested|earned|generated|"
    r"turnover|profit|paid out|processed|lost|spent|donated|grant|budget|salary|"
    # share capital in a legal notice: "au capital de 34 000 €", "Stammkapital", "capitale sociale"
    r"capital|stammkapital|grundkapital|capitale|kapitał\w*|kapitál\w*|maatschappelijk)\b",
    re.I,
)

_PRICE_CHARS = lazy_compile(rf"[\d{CURRENCY_SYMBOLS}]")
#: The currency symbols an ASCII text can hold.
_ASCII_SYMBOLS = "".join(c for c in CURRENCY_SYMBOLS if c.isascii())


def _price_chars(text: str) -> bool:
    """True when ``text`` holds a digit or a currency symbol (:data:`_PRICE_CHARS`): in an
    ASCII text, asked with the string's own searches (see :func:`few_digits`)."""
    if text.isascii():
        return any(c in text for c in _ASCII_SYMBOLS) or not few_digits(text, 1)
    return _PRICE_CHARS.search(text) is not None


#: What every price pattern needs: a currency symbol or code. A block without one skips
#: the price patterns, which are slow on long runs of digits.
_MONEY = lazy_compile(rf"[{CURRENCY_SYMBOLS}]|{CURRENCY_CODES}|kr|zł|Kč|Fr\.")
_DISCOUNT_BEFORE = lazy_compile(r"\b(?:save|you\s+save|savings\s+of|discount\s+of|get)\s*(?:up\s+to\s+)?$", re.I)
_DISCOUNT_AFTER = lazy_compile(r"^\s*off\b", re.I)
_PRICE_QUOTED = lazy_compile(r"\b(price|prices|cost|costs|only|from|starting|just|fee|ticket|tickets|per|plan|buy|order)\b", re.I)
_CURRENCY_NAMES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "US$": "USD", "A$": "AUD", "C$": "CAD", "R$": "BRL",
                   "zł": "PLN", "Kč": "CZK", "Fr.": "CHF"}
#: A block that is only a currency (a period at most): the amount was never filled in, or a
#: script or a "placeholder" element stands where it goes ("$<span class=placeholder></span>").
_CURRENCY_ONLY = lazy_compile(rf"^\s*(?:(?:US|A|C|NZ|R)?[{CURRENCY_SYMBOLS}]|{CURRENCY_CODES})\s*(?:/\s*\w+)?\s*$")


_PRICE_CLASS = lazy_compile(r"price|pricing|amount|cost|preis|prix|precio|pre[çc]o|prezzo|cena|prijs", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _price_slot(block: Any) -> bool:
    """A heading or an element whose class says it holds a price (not a currency switcher)."""
    return isinstance(block, Tag) and (block.name in _HEADINGS or any(_PRICE_CLASS.search(t) for t in Document.tokens(block)))


def _plan_context(block: Any, budget: Document) -> str:
    """Words that say what a price is for: the heading before its block and the class and
    id words of the block and its four nearest ancestors (a plan card's)."""
    words: list[str] = []
    if isinstance(block, Tag):
        # The card's own heading ("Premium"), then the section's above it ("Nos abonnements").
        heading = budget.heading_before(block)
        rank = 7
        for _ in range(6):
            if heading is None:
                break
            level = int(heading.name[1]) if heading.name in _HEADINGS else 7
            if level < rank:
                words.append(budget.text(heading, 120))
                rank = level
            if rank <= 2:
                break
            heading = budget.heading_before(heading)
        node: Any = block
        for _ in range(5):
            if not isinstance(node, Tag) or node.name in ("body", "html"):
                break
            words.extend(t for t in Document.tokens(node) if PLAN_CLASS.search(t))
            node = node.parent
    return " ".join(words)


def _scan_prices(blocks: Blocks, budget: Document, selector: Callable[[Tag], str]) -> list[Price]:
    prices: list[Price] = []
    after_block: dict[int, str] = {}  # the text after each block, read once
    for _region, parts, block in blocks:
        budget.tick()
        joined = " ".join(parts)
        # A digit or a currency sign first, on the block as it is (tidying its white space
        # changes neither): most blocks hold none.
        if not _price_chars(joined):
            continue
        text = norm(joined)
        if not _MONEY.search(text):
            continue
        # The block's following sibling often holds the period ("$9" <span>/mo</span> is
        # inline, but "<div>$9</div><div>per month</div>" is not).
        if _CURRENCY_ONLY.match(text) and _price_slot(block):
            prices.append(Price(amount=None, currency=None, period=None, text=text, kind="offer",
                                placeholder=True, context=text[:120], selector=selector(block)))
            continue
        plan_words: str | None = None
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
                    known = after_block[id(block)] = budget.text_after(block)
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
            plan = period in ("month", "year", "week")
            if not plan and not prose:
                if plan_words is None:
                    plan_words = _plan_context(block, budget)
                plan = PLAN_WORDS.search(text[:300]) is not None or bool(plan_words and (
                    PLAN_WORDS.search(plan_words) or PLAN_CLASS.search(plan_words)))
            prices.append(Price(amount=float(parsed.amount), currency=currency, period=period, text=raw,
                                kind="prose" if prose else "offer", unit=unit, context=text[:160],
                                selector=selector(block), plan=plan))
    return prices


class PricesExtractor(Extractor):
    """``prices``: every amount of money the page shows, as :class:`Price` objects."""

    name = "prices"
    description = "amounts of money shown (offers and figures in prose), with currency, period and unit"

    def extract(self, doc: Document) -> tuple[Price, ...]:
        return tuple(_scan_prices(doc.blocks, doc, doc.selector))
