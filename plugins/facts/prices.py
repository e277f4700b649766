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

norm = Document.norm
#: Text grouped by block, in document order: (region of its first text, texts, block).
Blocks = list[tuple[str, list[str], Any]]


@dataclass(frozen=True)
class Price:
    """An amount of money shown on a page."""

    amount: float | None
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
    context: str = ""
    selector: str = ""


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

_PRICE_CHARS = re.compile(rf"[\d{CURRENCY_SYMBOLS}]")
#: What every price pattern needs: a currency symbol or code. A block without one skips
#: the price patterns, which are slow on long runs of digits.
_MONEY = re.compile(rf"[{CURRENCY_SYMBOLS}]|{CURRENCY_CODES}|kr|zł|Kč|Fr\.")
_DISCOUNT_BEFORE = re.compile(r"\b(?:save|you\s+save|savings\s+of|discount\s+of|get)\s*(?:up\s+to\s+)?$", re.I)
_DISCOUNT_AFTER = re.compile(r"^\s*off\b", re.I)
_PRICE_QUOTED = re.compile(r"\b(price|prices|cost|costs|only|from|starting|just|fee|ticket|tickets|per|plan|buy|order)\b", re.I)
_CURRENCY_NAMES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "US$": "USD", "A$": "AUD", "C$": "CAD", "R$": "BRL"}


def _scan_prices(blocks: Blocks, budget: Document, selector: Callable[[Tag], str]) -> list[Price]:
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
            prices.append(Price(amount=float(parsed.amount), currency=currency, period=period, text=raw,
                                kind="prose" if prose else "offer", unit=unit, context=text[:160],
                                selector=selector(block)))
    return prices


class PricesExtractor(Extractor):
    """``prices``: every amount of money the page shows, as :class:`Price` objects."""

    name = "prices"
    description = "amounts of money shown (offers and figures in prose), with currency, period and unit"

    def extract(self, doc: Document) -> tuple[Price, ...]:
        return tuple(_scan_prices(doc.blocks, doc, doc.selector))
