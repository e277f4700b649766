"""Phone numbers a customer can see or dial: tel: links, click-to-message links, numbers
phonenumbers accepts in the page's regions, and digit groups next to a phone cue (the word
"Call", "Tel.", a phone icon) even when phonenumbers rejects them.

Linear in the page: numbers are read once per page (``_NumberReader``), matches are kept in
order and checked by bisection, and every loop ticks the page's clock.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

import phonenumbers
from bs4 import Tag

from cxprobe import Document, Link

from .._lazyre import few_digits, lazy_compile, lower_case_twin
from .prices import CURRENCY_SYMBOLS

norm = Document.norm
#: Text grouped by block, in document order: (region of its first text, texts, block).
Blocks = list[tuple[str, list[str], Any]]

#: The country whose phone numbering a language most likely means, when nothing else says.
LANGUAGE_REGION = {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "pt": "PT", "nl": "NL", "pl": "PL"}


@dataclass(frozen=True)
class Phone:
    """A phone number a customer can see or dial."""

    #: The number as shown (or as dialled for tel: links).
    shown: str
    #: Digits only, leading country code kept when written ("+44 20..." -> "4420...").
    digits: str
    #: E.164 when phonenumbers could parse it, else None.
    e164: str | None
    #: "tel" (a tel: link), "text" (visible text), "whatsapp" or "sms" (a click-to-message link).
    source: str
    #: header | nav | main | footer
    region: str
    #: Purpose label read next to the number: sales, support, fax, booking, ... or "".
    label: str = ""
    #: Text around the number, for evidence.
    context: str = ""
    #: Short CSS-like selector of the link or text that shows it.
    selector: str = ""


# A digit group a phone cue can mark even when phonenumbers rejects it.
CUE_NUMBER_RE = lazy_compile(r"(?<![\w.])(\+?\(?\d[\d\s().\-/]{5,22}\d)(?![\w])")
PHONE_CUE_RE = lazy_compile(
    r"(?:\bcall\b|\bcall us\b|\bphone\b|\btel\b\.?|\btelephone\b|\bmobile\b|\bcell\b|"
    r"\bwhatsapp\b|\bhotline\b|\bfax\b|téléphone|\btél\b|\btelefon\b|\btelefono\b|"
    r"\bteléfono\b|\bruf\b|\bappelez\b|\bllámanos\b|☎|📞|✆)",
    re.I,
)
PHONE_LABELS = (
    ("fax", lazy_compile(r"\bfax\b|telefax", re.I)),
    # A messaging channel and a mobile line are other ways in, not rival "call us" numbers.
    ("whatsapp", lazy_compile(r"whats\s?app|\bsignal\b|telegram|\bsms\b|\btexts?\b", re.I)),
    ("mobile", lazy_compile(r"\bmobile?\b|\bcell(?:ular)?\b|\bhandy\b|\bportable\b|m[óo]vil|celular|cellulare|telem[óo]vel|"
                          r"\bmobil\b|kom[óo]rk\w*|mobiel|\bgsm\b", re.I)),
    ("sales", lazy_compile(r"\bsales\b|vertrieb|ventes|ventas", re.I)),
    ("support", lazy_compile(r"\bsupport\b|\bhelp ?desk\b|service client|kundendienst|soporte", re.I)),
    ("booking", lazy_compile(r"\bbook(?:ing)?\b|reserv|r[ée]servation", re.I)),
    ("billing", lazy_compile(r"\bbilling\b|\baccounts\b", re.I)),
    ("emergency", lazy_compile(r"\bemergenc|notfall|notruf|notdienst|urgence|urgenc|emerg[êe]ncia|\bnood|pilne|"
                             r"pogotowie|pohotovost|\bsos\b|24\s?/\s?7|24h", re.I)),
    ("press", lazy_compile(r"\bpress\b|\bmedia\b", re.I)),
    # Numbers of other organisations printed on legal pages: the data-protection
    # authority, the web host, the publisher.
    ("third-party", lazy_compile(r"aufsichtsbeh[öo]rde|datenschutzbeh[öo]rde|landesbeauftragte|supervisory\s+authority|"
                               r"data\s+protection\s+authority|commissioner|\bcnil\b|h[ée]bergeur|[ée]diteur|"
                               r"hosting\s+provider|\bhosted\s+by|\bweb\s*host|autoridad\s+de\s+control", re.I)),
)
THIRD_PARTY_RE = PHONE_LABELS[-1][1]

#: Any purpose label at all: one pass that spares the eight passes of _label_for over a
#: long text without one (a match of any label is a match of this).
_ANY_LABEL = lazy_compile("|".join(f"(?:{rx.pattern})" for _name, rx in PHONE_LABELS), re.I)


#: A label is looked for in at most this many characters at the end of a text: the
#: words just before a number, or the end of a paragraph that lists addresses. (A
#: paragraph of 4 MB took seconds to read whole, and a word megabytes away labels
#: nothing.)
_LABEL_WINDOW = 20_000


def _label_for(text: str) -> str:
    """The purpose label nearest to the end of ``text`` (the words just before a number)."""
    return _nearest_label(text[-_LABEL_WINDOW:] if len(text) > _LABEL_WINDOW else text)[0]


#: The labels' lower-case twins (the same patterns without IGNORECASE, for lower-cased
#: text: several times faster on a long text).
_ANY_LABEL_LOWER = lower_case_twin(_ANY_LABEL)
_LABELS_LOWER = tuple((name, lower_case_twin(rx)) for name, rx in PHONE_LABELS)


def _nearest_label(text: str) -> tuple[str, int, int]:
    """(label, start, end) of the label ending last in ``text``; ("", -1, -1) without one."""
    low = text.lower()
    any_label: re.Pattern[str] = _ANY_LABEL
    labels: Sequence[tuple[str, re.Pattern[str]]] = PHONE_LABELS
    if len(low) == len(text):  # lower-casing kept every offset: the faster twins
        any_label, labels, text = _ANY_LABEL_LOWER, _LABELS_LOWER, low
    first = any_label.search(text)
    if first is None:
        return "", -1, -1
    best, best_start, best_end = "", -1, -1
    for name, rx in labels:
        # No label starts before the first match of any: scanning from there finds the same.
        for m in rx.finditer(text, first.start()):
            if m.end() > best_end:
                best, best_start, best_end = name, m.start(), m.end()
    return best, best_start, best_end


_NON_DIGIT = lazy_compile(r"\D")


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
ID_PREFIX_RE = lazy_compile(
    r"(?:#|§|\b(?:order|invoice|sku|ref|reference|id|no\.?|nr\.?|n[°º]|iban|bic|vat|isbn|ticket|hrb|hra|"
    r"ust(?:-?id(?:nr)?)?|steuer(?:nummer)?|siret|siren|tva|nif|cif|loi|art\.?|zip|postcode|plz|"
    # professional and company registrations: a bar or medical council number, a tax id
    r"oab(?:\s*/\s*[a-z]{2})?|crm(?:\s*/\s*[a-z]{2})?|cro(?:\s*/\s*[a-z]{2})?|crea|coren|crp|cnpj|cpf|rcs|ape|naf|"
    r"kvk|krs|nip|regon|i[čc]o?|di[čc]|p\.?\s?iva|partita\s+iva|c\.?f\.?|rea|nie|barreau|colegiad[oa]|n[úu]m\.?\s+colegiad[oa]|"
    r"cep|cap|c[óo]digo\s+postal|code\s+postal))\s*:?\s*#?\s*$",
    re.I,
)


#: Bank and company identifiers whose digits run on for a while after the word.
STRONG_ID_RE = lazy_compile(r"\b(?:iban|bic|swift|hrb|hra|ust-?id\w*|vat\s+(?:no|number|id)|siret|siren|"
                          r"handelsregister|registernummer|company\s+(?:no|number))\b[^\n]{0,30}$", re.I)


_MESSAGING_RE = lazy_compile(
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
    tld = (urlsplit(url).hostname or "").lower().rsplit(".", 1)[-1].upper()
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
_ICON_PHONE_TOKEN = lazy_compile(
    r"^(?:ti|fa|fas|far|fal|bi|icofont|lni|la|las|ion|ion-ios|ion-md|icon|mdi|ri|uil|feather|flaticon|glyphicon|ico|gg|bx|bxs)"
    r"-(?:[\w]+-)*(?:mobile|smartphone|phone|telephone|call|cellphone|tel)(?:-[\w-]*)?$", re.I)


_PHONE_ICON_HINT = lazy_compile(r"phone|telephone|\bcall\b|call-outline|telefon", re.I)


def _is_phone_icon(el: Tag) -> bool:
    hint = " ".join(Document.tokens(el)) + " " + str(el.get("name") or "") + " " + str(el.get("alt") or "") + " " + str(el.get("src") or "")
    return bool(_PHONE_ICON_HINT.search(hint) or any(_ICON_PHONE_TOKEN.match(t) for t in hint.split()))


def _icons(node: Tag, budget: Document) -> list[Tag]:
    """``node`` when it is an icon element, then the first six icon elements inside it."""
    found = [node] if node.name in _ICON_TAGS else []
    inner = 0
    for d in budget.descendants(node):
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

    def __init__(self, budget: Document) -> None:
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
                found = self.budget.short_text(sib, 3) and any(self._phone_icon(el) for el in _icons(sib, self.budget))
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


class _ClockedMatcher(phonenumbers.PhoneNumberMatcher):
    """phonenumbers' matcher, checking the page's budget at every candidate it tries: a
    block of digit noise can hold thousands of candidates that never become a match."""

    def __init__(self, text: str, region: str, budget: Document) -> None:
        super().__init__(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
        self._budget = budget

    def _extract_match(self, candidate: str, offset: int) -> Any:
        self._budget.tick()
        return super()._extract_match(candidate, offset)  # type: ignore[misc]


def _matches(text: str, regions: tuple[str, ...], budget: Document) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """Phone-number candidates in every region, each stretch of text once.

    A region's matcher yields matches in order and never two that overlap, so the matches
    kept so far stay a sorted list of disjoint spans: a new match is checked against its
    neighbours by bisection, not against every earlier match.
    """
    starts: list[int] = []
    ends: list[int] = []
    for region in regions:
        kept: list[tuple[int, int]] = []
        for m in _ClockedMatcher(text, region, budget):
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


_CURRENCY_BEFORE = lazy_compile(rf"[{CURRENCY_SYMBOLS}]\s*$")
_CURRENCY_AFTER = lazy_compile(rf"^\s*(?:%|[{CURRENCY_SYMBOLS}])")
_COUNTRY_CODE_BEFORE = lazy_compile(r"\(?\+\d{1,4}\)?[\s.-]*$")
_YEAR_RANGE = lazy_compile(r"(19|20)\d\d\s*[-–]\s*(19|20)\d\d")
_DATE = lazy_compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")
_DATE_OR_YEARS = lazy_compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|(19|20)\d\d\s*[-–]\s*(19|20)\d\d")
_LABEL_AFTER = lazy_compile(r"^\s*(?:\(([^\W\d_][\w .'-]{1,24})\)|[–—·|-]\s*([^\W\d_][\w .'-]{1,24}?)(?:\s*$|\s*[|,;·]))")


def label_after(text: str) -> str:
    """A label written after a number: "(USA)", "– London office", "· Food truck"."""
    tail = _LABEL_AFTER.match(text[:40])
    if not tail:
        return ""
    word = (tail.group(1) or tail.group(2)).strip()
    return _label_for(word) or f"office:{word.lower()}"


def block_lines(joined: str) -> list[str]:
    """A block's lines (split at its line breaks, <br>), white space collapsed, empty
    ones left out; ``joined`` is the block's texts joined by spaces."""
    return [line for line in (norm(x) for x in joined.split("\n")) if line]


def _scan_phones(blocks: Blocks, numbers: _NumberReader, budget: Document, selector: Callable[[Tag], str],
                 icon_cue: _IconCues) -> list[Phone]:
    regions = numbers.regions
    phones: list[Phone] = []
    seen: set[tuple[str, str]] = set()
    previous = ""
    for region, parts, block in blocks:
        budget.tick()
        joined = " ".join(parts)
        previous, before_this = joined, previous
        # Numbers written in pairs ("06 28 04 64 27") have no run of three digits. (The
        # digits are counted before the lines are tidied, which keeps every digit.)
        if few_digits(joined, 6):
            continue
        text = "\n".join(block_lines(joined))
        # A short block (a number on its own line) takes its cue and label from the
        # block before it: "<h3>Call us</h3><p>+1 222-222-222</p>".
        # Only a label lends its cue: a previous block that holds a number of its own
        # ("Phone: (212) 555-0188") says nothing about "Order number 5550199".
        lead = ""
        if len(text) <= 40:
            prev_text = "\n".join(block_lines(before_this))
            if few_digits(prev_text, 6):
                lead = prev_text[-60:] + " | "
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
            bare = raw.strip().strip("()[] ")
            if _YEAR_RANGE.fullmatch(bare) or _DATE.fullmatch(bare):
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
                if _DATE_OR_YEARS.fullmatch(raw.strip("()[] ")) or "\n" in raw:
                    continue
                if cm.start() < len(lead):
                    continue
                found.append((cm.start(), cm.end(), raw))
        for start, end, raw in found:
            budget.tick()
            # "+49 (0)30 …": the bracketed trunk "0" is not dialled, so not one of its digits.
            d = digits_of(_TRUNK_IN_BRACKETS.sub(" ", raw))
            if (region, d) in seen:
                continue
            seen.add((region, d))
            before = text[max(0, start - 40): start]
            label = _label_for(before)
            if not label and THIRD_PARTY_RE.search(text[max(0, start - 200): start]):
                label = "third-party"  # "Aufsichtsbehörde: Landeszentrum ..., Telefon: ..."
            if not label:
                # A line labelled after the number: "(00) 789 456 7890 (USA)", "... – London office".
                label = label_after(text[end: end + 40])
            phones.append(Phone(shown=norm(raw), digits=d, e164=numbers.e164(raw), source="text",
                                region=region, label=label,
                                context=text[max(0, start - 60): end + 20], selector=selector(block) if isinstance(block, Tag) else ""))
    return phones


# --------------------------------------------------------------------------- one number, two forms

#: "+44 (0)20 ...", "+49 (0)30 ...": the national trunk prefix written in brackets beside
#: the country code is not dialled.
_TRUNK_IN_BRACKETS = lazy_compile(r"\(\s*0\s*\)")


def numbers_shown(text: str) -> tuple[str, ...]:
    """The digits of each phone number written in ``text`` (at least seven digits; a
    bracketed trunk "(0)" dropped; year ranges and dates left out), in order."""
    # A footer's short texts recur on every page: each is read once (long ones are not
    # kept, so that the cache stays small).
    return _numbers_shown_short(text) if len(text) <= 500 else _numbers_shown(text)


@lru_cache(maxsize=8192)
def _numbers_shown_short(text: str) -> tuple[str, ...]:
    return _numbers_shown(text)


def _numbers_shown(text: str) -> tuple[str, ...]:
    found = []
    for m in CUE_NUMBER_RE.finditer(_TRUNK_IN_BRACKETS.sub(" ", text)):
        raw = m.group(1).strip()
        if _DATE_OR_YEARS.fullmatch(raw.strip("()[] ")):
            continue
        d = digits_of(raw)
        if 7 <= len(d) <= 15:
            found.append(d)
    return tuple(found)


def number_key(digits: str) -> str:
    """A key that two digit strings share whenever :func:`same_number` says they are one
    number (their last seven digits once leading zeros are gone): numbers are grouped by
    it, so finding a number among many compares it with a handful, not all."""
    d = digits.lstrip("0")
    return d[-7:] if len(d) >= 7 else "=" + d


class NumberIndex:
    """Distinct phone numbers seen so far, found again in constant time per number."""

    def __init__(self) -> None:
        self._buckets: dict[str, list[tuple[str, int]]] = {}

    def find(self, digits: str) -> int | None:
        """The index given when a number equal to ``digits`` was added, or None."""
        for d, i in self._buckets.get(number_key(digits), ()):
            if same_number(d, digits):
                return i
        return None

    def add(self, digits: str, index: int) -> None:
        self._buckets.setdefault(number_key(digits), []).append((digits, index))


def same_number(a: str, b: str) -> bool:
    """Two digit strings are one number when one ends with the other: written with or
    without the country code, with or without the national trunk "0" ("020 3411 7476",
    "+44 20 3411 7476", "+44 (0)20 3411 7476" once its "(0)" is dropped)."""
    a, b = a.lstrip("0"), b.lstrip("0")
    if len(a) < 7 or len(b) < 7:
        return a == b
    return a.endswith(b) or b.endswith(a)
