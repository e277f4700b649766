"""How to reach the business, as a page shows it: email addresses (mailto links and text),
phone numbers (see :mod:`.phones`), postal addresses (schema.org, ``<address>``, street
lines in the languages of Europe and the Americas) and opening hours."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cxprobe import Document, Extractor

from ..words import HOURS_LINE
from .phones import (
    Phone,
    _IconCues,
    _label_for,
    _NumberReader,
    _scan_phones,
    digits_of,
    messaging_number,
    phone_regions,
)

norm = Document.norm


@dataclass(frozen=True)
class Email:
    """An email address a customer can see or click."""

    address: str
    #: "mailto" or "text"
    source: str
    #: header | nav | main | footer
    region: str
    label: str = ""
    context: str = ""
    selector: str = ""


@dataclass(frozen=True)
class ContactDetails:
    """The ``contact`` facts of one page."""

    emails: tuple[Email, ...] = ()
    phones: tuple[Phone, ...] = ()
    #: Postal address lines (schema.org PostalAddress, <address>, street lines).
    addresses: tuple[str, ...] = ()
    #: Opening-hours lines ("Mon-Fri 9am-5pm").
    hours: tuple[str, ...] = ()


EMAIL_RE = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})(?![\w-])")
#: Opening-hours lines in the languages of Europe and the Americas (plugins/words.py).
HOURS_RE = HOURS_LINE
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



_IMAGE_ADDRESS = re.compile(r"\.(png|jpe?g|gif|svg|webp)$")
#: Characters kept of an <address> and of a microdata street address.
MAX_ADDRESS = 1000


def _uniq(xs: list[str]) -> tuple[str, ...]:
    """Non-empty values, first occurrence first."""
    return tuple(dict.fromkeys(x for x in xs if x))


class ContactDetailsExtractor(Extractor):
    """``contact``: the emails, phone numbers, postal addresses and opening hours a page shows."""

    name = "contact"
    description = "emails, phone numbers (with purpose labels), postal addresses and opening hours shown"

    def extract(self, doc: Document) -> ContactDetails:
        f = doc.facts
        doc.clock.enter("scanning emails")
        emails: list[Email] = []
        for lk in f.links:
            if lk.scheme == "mailto" and lk.target:
                emails.append(Email(address=lk.target, source="mailto", region=lk.region,
                                    label=_label_for(lk.text), context=lk.text, selector=lk.selector))
        for region, chunk, parent, _block in doc.chunks:
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
                phones.append(Phone(shown=tel.text or tel.target, digits=digits_of(tel.target),
                                    e164=numbers.e164(tel.target), source="tel", region=tel.region,
                                    label=_label_for(tel.text), context=tel.text, selector=tel.selector))
        for msg in f.links:
            doc.tick()
            number = messaging_number(msg)
            if number:
                phones.append(Phone(shown=msg.text or number, digits=digits_of(number), e164=numbers.e164(number),
                                    source="sms" if msg.href.strip().lower().startswith("sms:") else "whatsapp",
                                    region=msg.region, label=_label_for(msg.text), context=msg.text,
                                    selector=msg.selector))
        phones.extend(_scan_phones(doc.blocks, numbers, doc, doc.selector, _IconCues(doc)))

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
        for _region, chunk, _parent, _block in doc.chunks:
            doc.tick()
            if STREET_RE.search(chunk):
                addresses.append(norm(chunk)[:200])
        addresses.extend(_street_postcode_pairs(f.text))
        for hm in HOURS_RE.finditer(f.all_text):
            doc.tick()
            hours.append(norm(hm.group(1))[:80])
        return ContactDetails(emails=tuple(emails), phones=tuple(phones), addresses=_uniq(addresses), hours=_uniq(hours))
