"""How to reach the business, as a page shows it: email addresses (mailto links and text),
phone numbers (see :mod:`.phones`), postal addresses (schema.org, ``<address>``, street
lines in the languages of Europe and the Americas) and opening hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from bs4 import NavigableString, Tag

from cxprobe import Document, Extractor

from .._lazyre import few_digits, lazy_compile
from ..words import HOURS_LINE
from .addresses import address_in_line, postcode_line, street_line
from .phones import (
    _MESSAGING_RE,
    CUE_NUMBER_RE,
    Phone,
    _IconCues,
    _label_for,
    _NumberReader,
    _scan_phones,
    block_lines,
    digits_of,
    label_after,
    messaging_number,
    numbers_shown,
    phone_regions,
    same_number,
)

norm = Document.norm


@dataclass(frozen=True)
class Email:
    """An email address a customer can see or click."""

    #: The address (a mailto: link's target, or as written in the text).
    address: str
    #: "mailto" or "text"
    source: str
    #: header | nav | main | footer
    region: str
    #: Purpose label read next to the address: sales, support, billing, ... or "".
    label: str = ""
    #: Text around the address (a link's own text), for evidence.
    context: str = ""
    #: Short CSS-like selector of the link or text that shows it.
    selector: str = ""


@dataclass(frozen=True)
class LinkBeside:
    """A tel: or click-to-message link whose text shows no number, and the number shown
    beside it in the same card: the number a customer believes the button dials."""

    #: "tel" or "whatsapp"/"sms"
    source: str
    #: The number the link dials or writes to, as in its address.
    target: str
    #: The number the card shows.
    shown: str
    #: Short CSS-like selector of the link.
    selector: str = ""
    #: The link's own words ("Chiama"), for evidence.
    text: str = ""
    #: The link's address as written, for evidence.
    href: str = ""


@dataclass(frozen=True)
class ContactDetails:
    """The ``contact`` facts of one page."""

    #: Email addresses shown or linked, each once per place.
    emails: tuple[Email, ...] = ()
    #: Phone numbers shown or dialled (tel: and click-to-message links too).
    phones: tuple[Phone, ...] = ()
    #: Postal address lines (schema.org PostalAddress, <address>, street lines).
    addresses: tuple[str, ...] = ()
    #: Opening-hours lines ("Mon-Fri 9am-5pm").
    hours: tuple[str, ...] = ()
    #: Call and message links that show no number themselves ("Chiama", "Call now"), with
    #: the one number their card shows.
    beside: tuple[LinkBeside, ...] = ()


EMAIL_RE = lazy_compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})(?![\w-])")
#: Opening-hours lines in the languages of Europe and the Americas (plugins/words.py).
HOURS_RE = HOURS_LINE
#: What every hours line holds: a digit, then within a few characters a dash or a word
#: joining it to another digit ("9-18", "8am - 6pm", "9h à 18h", "8 bis 17", "dalle 9 alle 13").
_TIME_RANGE = lazy_compile(r"\d[^\n\d]{0,12}?(?:-|–|—|to|until|till|bis|à|a|às|alle|al|do|tot|til)\s?\d", re.I)
#: Elements whose text is a sample a reader copies (code, terminal output, key names): an
#: email or number there is an example in documentation, not a way to reach anyone.
SAMPLE_TAGS = ("code", "pre", "kbd", "samp")


#: Samples kept per page, and characters kept per sample.
MAX_SAMPLES, MAX_SAMPLE = 50, 2000


class CodeSamplesExtractor(Extractor):
    """``samples``: the text of the page's code samples (code, pre, kbd, samp). A token there
    ("{{API_TOKEN}}", "you@example.com") is documentation a reader copies, not template copy
    left on the page nor a contact detail."""

    name = "samples"
    description = "text of code samples (code, pre, kbd, samp): documentation, not copy"

    def extract(self, doc: Document) -> tuple[str, ...]:
        found: list[str] = []
        for name in SAMPLE_TAGS:
            for sample in doc.tags(name):
                doc.tick()
                text = doc.text(sample, MAX_SAMPLE)
                if text:
                    found.append(text)
                if len(found) >= MAX_SAMPLES:
                    return tuple(dict.fromkeys(found))
        return tuple(dict.fromkeys(found))


def _in_samples(doc: Document) -> set[int]:
    """The ids of every element inside a code sample (one walk of each sample's subtree)."""
    inside: set[int] = set()
    for name in SAMPLE_TAGS:
        for sample in doc.tags(name):
            doc.tick()
            if id(sample) in inside:
                continue
            inside.add(id(sample))
            for d in doc.descendants(sample):
                if isinstance(d, Tag):
                    inside.add(id(d))
    return inside


def _group_blocks(chunks: list[tuple[str, str, Any, Any]]) -> list[tuple[str, list[str], Any]]:
    """Text grouped by its block, in the order blocks start (as ``Document.blocks``)."""
    blocks: dict[int, tuple[str, list[str], Any]] = {}
    for region, text, _parent, block in chunks:
        found = blocks.get(id(block))
        if found is None:
            found = blocks[id(block)] = (region, [], block)
        found[1].append(text)
    return list(blocks.values())




def _link_label(text: str) -> str:
    """A tel: or message link's purpose: a label before its number ("Fax", "WhatsApp") or
    after it ("07 80 95 98 83 · Food truck")."""
    label = _label_for(text)
    if label:
        return label
    for m in CUE_NUMBER_RE.finditer(text):
        return label_after(text[m.end():])
    return ""


def _shown_number(text: str) -> str:
    """The number a link's text shows ("Call 020 3411 7476 Mon–Sun"), or "" for a text
    without one ("Chiama", "Message on WhatsApp")."""
    for m in CUE_NUMBER_RE.finditer(text):
        if numbers_shown(m.group(1)):
            return m.group(1).strip()
    return ""


#: Characters of a card read around a call button: more is a section, not a card.
_CARD = 300


def _text_outside_other_links(doc: Document, card: Tag, link: Tag) -> str:
    """The text of ``card`` without the text of its links other than ``link``."""
    parts = []
    for d in doc.descendants(card):
        # Only text a customer reads: not comments, not script or style content.
        if type(d) is not NavigableString:
            continue
        parent = d.parent
        inside_other = False
        while isinstance(parent, Tag) and parent is not card:
            if parent.name == "a" and parent is not link:
                inside_other = True
                break
            if parent.name in Document.INVISIBLE_TAGS:
                inside_other = True
                break
            parent = parent.parent
        if not inside_other:
            parts.append(str(d))
    return norm(" ".join(parts))


def _links_beside_numbers(doc: Document, samples: set[int]) -> list[LinkBeside]:
    """Call and message buttons without a number of their own, and the single number
    their card (the link's parent, or the parent's parent) shows."""
    found = []
    for a in doc.tags("a"):
        doc.tick()
        href = str(a.get("href") or "").strip()
        low = href.lower()
        if low.startswith("tel:"):
            source, target = "tel", unquote(href[4:])
        else:
            m = _MESSAGING_RE.match(href)
            if not m:
                continue
            source, target = ("sms" if low.startswith("sms:") else "whatsapp"), unquote(m.group(1))
        if id(a) in samples or len(digits_of(target)) < 7 or numbers_shown(doc.text(a, 200)):
            continue
        node = a.parent
        for _ in range(2):
            if not isinstance(node, Tag) or node.name in ("body", "html", "main", "footer", "header"):
                break
            text = doc.text(node, _CARD)
            if len(text) >= _CARD:
                break
            if numbers_shown(text):
                # A number another link shows is that link's ("WhatsApp Us" beside "📞 020 ...").
                text = _text_outside_other_links(doc, node, a)
            distinct: list[str] = []
            for d in numbers_shown(text):
                if not any(same_number(d, x) for x in distinct):
                    distinct.append(d)
            if distinct:
                if len(distinct) == 1:
                    shown = next(m.group(1).strip() for m in CUE_NUMBER_RE.finditer(text)
                                 if same_number(digits_of(m.group(1)), distinct[0]))
                    found.append(LinkBeside(source=source, target=target, shown=shown, selector=doc.selector(a),
                                            text=doc.text(a, 80), href=href))
                break
            node = node.parent
    return found


def _street_postcode_pairs(text: dict[str, str]) -> list[str]:
    """Postal addresses written as two lines: a street with its number, then a postcode and
    town ("Liethberg 17" / "24576 Bad Bramstedt", "4 rue du lycée" / "53000 Laval")."""
    found = []
    for region_text in text.values():
        lines = [line.strip() for line in region_text.split("\n")]
        for a, b in zip(lines, lines[1:], strict=False):
            if street_line(a) and postcode_line(b):
                found.append(f"{a.rstrip(',').strip()}, {b}")
    return found


_IMAGE_ADDRESS = lazy_compile(r"\.(png|jpe?g|gif|svg|webp)$")
#: Characters kept of an <address> and of a microdata street address.
MAX_ADDRESS = 1000


def _uniq(xs: list[str]) -> tuple[str, ...]:
    """Non-empty values, first occurrence first."""
    return tuple(dict.fromkeys(x for x in xs if x))


#: Characters of one line of text in which a postal address is looked for.
_ADDRESS_READ = 50_000


class ContactDetailsExtractor(Extractor):
    """``contact``: the emails, phone numbers, postal addresses and opening hours a page shows."""

    name = "contact"
    description = "emails, phone numbers (with purpose labels), postal addresses and opening hours shown"

    def extract(self, doc: Document) -> ContactDetails:
        f = doc.facts
        samples = _in_samples(doc)
        chunks = [c for c in doc.chunks if id(c[2]) not in samples] if samples else doc.chunks
        blocks = _group_blocks(chunks) if samples else doc.blocks
        doc.clock.enter("scanning emails")
        emails: list[Email] = []
        for lk in f.links:
            if lk.scheme == "mailto" and lk.target:
                emails.append(Email(address=lk.target, source="mailto", region=lk.region,
                                    label=_label_for(lk.text), context=lk.text, selector=lk.selector))
        for region, chunk, parent, _block in chunks:
            doc.tick()
            if "@" not in chunk:
                continue
            # The label, context and selector are the chunk's: read once, however many
            # addresses a chunk lists.
            chunk_facts: tuple[str, str, str] | None = None
            for em in EMAIL_RE.finditer(chunk):
                doc.tick()
                addr = em.group(1).lower().rstrip(".")
                if _IMAGE_ADDRESS.search(addr):
                    continue
                if chunk_facts is None:
                    chunk_facts = (_label_for(chunk), norm(chunk)[:120], doc.selector(parent))
                    doc.check()  # a long text took a while
                label, context, where = chunk_facts
                emails.append(Email(address=addr, source="text", region=region,
                                    label=label, context=context, selector=where))

        regions = phone_regions(f.lang, f.text_lang, f.url)
        numbers = _NumberReader(regions)
        doc.clock.enter("scanning phone numbers")
        phones: list[Phone] = []
        for tel in f.links:
            doc.tick()
            if tel.scheme == "tel" and digits_of(tel.target):
                phones.append(Phone(shown=_shown_number(tel.text) or tel.target, digits=digits_of(tel.target),
                                    e164=numbers.e164(tel.target), source="tel", region=tel.region,
                                    label=_link_label(tel.text), context=tel.text, selector=tel.selector))
        for msg in f.links:
            doc.tick()
            number = messaging_number(msg)
            if number:
                phones.append(Phone(shown=_shown_number(msg.text) or number, digits=digits_of(number), e164=numbers.e164(number),
                                    source="sms" if msg.href.strip().lower().startswith("sms:") else "whatsapp",
                                    region=msg.region, label=_link_label(msg.text), context=msg.text,
                                    selector=msg.selector))
        phones.extend(_scan_phones(blocks, numbers, doc, doc.selector, _IconCues(doc)))

        doc.clock.enter("reading addresses")
        addresses: list[str] = []
        hours: list[str] = []
        for node in doc.json_ld:
            t = node.get("@type")
            if t == "PostalAddress" or "streetAddress" in node:
                parts = [str(node.get(k)) for k in ("streetAddress", "addressLocality", "postalCode", "addressCountry")
                         if isinstance(node.get(k), str)]
                if parts:
                    addresses.append(", ".join(parts))
            elif isinstance(node.get("address"), str) and any(c.isdigit() for c in node["address"]):
                addresses.append(norm(node["address"])[:200])  # "address": "Via Roma 12, 00100 Roma"
            oh = node.get("openingHours")
            if isinstance(oh, str):
                hours.append(oh)
            elif isinstance(oh, list):
                hours.extend(str(x) for x in oh)
        for street in doc.street_address_elements:
            doc.tick()
            addresses.append(doc.text(street, MAX_ADDRESS))
        for a in doc.tags("address"):
            doc.tick()
            t = doc.text(a, MAX_ADDRESS)
            if t and not EMAIL_RE.fullmatch(t):
                addresses.append(t[:200])
        for _region, parts, _block in blocks:
            doc.tick()
            joined = " ".join(parts)
            # Every address holds a digit (a house number, a postcode): most blocks hold none.
            if few_digits(joined, 1):
                continue
            lines = block_lines(joined)
            # A postal address is read in the first 50,000 characters of a line: a
            # paragraph of megabytes took seconds per pass, between two reads of the clock.
            hits = []
            for line in lines:
                doc.tick()
                if address_in_line(line[:_ADDRESS_READ]):
                    hits.append(line)
            if not hits:
                continue
            whole = ", ".join(line.rstrip(",").strip() for line in lines)
            # A short block is the whole address (street, town, country on their own lines).
            addresses.append(whole if len(lines) <= 4 and len(whole) <= 200 else hits[0][:200])
        doc.check()
        addresses.extend(_street_postcode_pairs(f.text))
        doc.check()
        # The hours pattern is long (day names of 15 languages); it runs only on the lines
        # that hold a range of times, which a short pattern finds first (22 ms -> <1 ms on
        # a 27 KB page). Its matches never span lines with a time range elsewhere.
        lines = f.all_text.split("\n")
        for i, line in enumerate(lines):
            doc.tick()
            # A range of times holds two digits: most lines hold none.
            if few_digits(line, 2) or _TIME_RANGE.search(line) is None:
                continue
            matched = False
            for hm in HOURS_RE.finditer(line):
                doc.tick()
                hours.append(norm(hm.group(1))[:80])
                matched = True
            # Days as a label on the line before their times ("Segunda à Sábado:<br>07:30 -
            # 18:00"): read as one line. Only a short label ending in a colon.
            prev = lines[i - 1].strip() if i else ""
            if not matched and prev.endswith(":") and len(prev) <= 40:
                for hm in HOURS_RE.finditer(f"{prev} {line.strip()}"):
                    hours.append(norm(hm.group(1))[:80])
        beside = _links_beside_numbers(doc, samples)
        return ContactDetails(emails=tuple(emails), phones=tuple(phones), addresses=_uniq(addresses), hours=_uniq(hours),
                              beside=tuple(beside))
