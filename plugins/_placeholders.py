"""Placeholder contact details: shown like real ones, but nobody answers them.

A customer cannot write to name@example.com or call (555) 892-9403. Such a detail is not a
contact method; it is an error of its own. The rules (DESIGN.md, Definitions -> Contact
methods):

- an email at a reserved or template domain (example.com/.net/.org and their
  translations, any ``*.example``, ``*.test``, ``*.invalid``, ``*.localhost``, and the
  stand-ins ``domain.com``, ``yourdomain.com``, ``company.com``, ...);
- a phone number in a fictional range (North American 555-0100..0199 and area code 555,
  the UK's and Australia's drama ranges), the 123-456-7890 family, or a number that
  phonenumbers judges invalid whose digits are a sequence or a repetition
  (+1 222-222-222, +352 12 34 56). A *valid* number with repeated digits is a real vanity
  number and counts;
- a bracketed or "to be completed" field in any language ("[Phone number]",
  "[Telefonnummer]", "Tel.: à compléter", "E-Mail: folgt"), or a number masked with x's.

An owner can accept a detail that looks like a placeholder but is real:
``[contact] accept = ["+1 800 555 0100"]`` in config.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from cxprobe import Context, PageFacts, Setting

from ._lazyre import lazy_compile, lower, lower_case_twin, might_match
from .facts import Email, Phone, contact_details

# --------------------------------------------------------------------------- emails

#: Reserved (RFC 2606 / 6761) and example domains, with translations of "example".
_RESERVED_EMAIL_DOMAIN = lazy_compile(
    r"(?:^|\.)(?:example\.(?:com|net|org|edu)|exemple\.(?:com|fr|net|org)|beispiel\.(?:de|com|at|ch|org)|"
    r"ejemplo\.(?:com|es|org)|esempio\.(?:it|com)|exemplo\.(?:com|pt|com\.br)|voorbeeld\.(?:nl|com)|"
    r"przyklad\.(?:pl|com)|example\.co\.uk)$"
    r"|\.(?:example|test|invalid|localhost)$|^(?:example|test|invalid|localhost)$",
    re.I,
)
#: Domains that templates put where the owner's domain goes.
_TEMPLATE_EMAIL_DOMAINS = frozenset({
    "domain.com", "yourdomain.com", "your-domain.com", "yourcompany.com", "your-company.com", "company.com",
    "companyname.com", "email.com", "website.com", "yourwebsite.com", "mysite.com", "yoursite.com",
    "yourbusiness.com", "yourname.com", "domain.tld", "example.tld", "yourdomain.tld",
})


@lru_cache(maxsize=16384)
def email_placeholder(address: str) -> str | None:
    """Why an email address is a placeholder, or None when it may be real (cached: an
    address recurs on every page that shows it, asked by several probes)."""
    domain = address.rsplit("@", 1)[-1].lower().rstrip(".")
    if domain in _TEMPLATE_EMAIL_DOMAINS:
        return f"{domain} is a template stand-in domain"
    if _RESERVED_EMAIL_DOMAIN.search(domain):
        return f"{domain} is a reserved example domain"
    return None


# --------------------------------------------------------------------------- phones

#: UK drama numbers (Ofcom): national significant number prefix -> the range is 1,000
#: numbers long (the three digits after the prefix are free).
_UK_DRAMA = lazy_compile(
    r"^(?:1134960|1144960|1154960|1164960|1174960|1184960|1214960|1314960|1414960|1514960|1614960|1914980|"
    r"2079460|2890180|2920180|1632960|7700900|8081570|9098790|3069990)\d{3}$"
)
#: Australian drama numbers (ACMA): landlines (0x) 5550 xxxx and (0x) 7010 xxxx, the
#: mobile block 0491 57x xxx, and a few 1800/1300 numbers.
_AU_DRAMA = lazy_compile(r"^(?:[2378](?:5550|7010)\d{4}|49157\d{4}|1800160401|1[38]009757(?:0[7-9]|1[01]))$")
_SEQUENCE_ASC = "01234567890123456789"
_SEQUENCE_DESC = "98765432109876543210"


def _national(phone: Phone) -> tuple[int | None, str, bool]:
    """(country code, national significant digits, valid) of a phone fact.

    The country code is None when it is not known (a local number with no E.164 form).
    """
    candidates = [phone.e164] if phone.e164 else []
    if phone.shown.strip().startswith("+"):
        candidates.append(phone.shown)
    for cand in candidates:
        try:
            n = phonenumbers.parse(cand or "", None)
        except phonenumbers.NumberParseException:
            continue
        national = str(n.national_number)
        if n.italian_leading_zero:
            national = "0" * (n.number_of_leading_zeros or 1) + national
        return n.country_code, national, phonenumbers.is_valid_number(n)
    digits = phone.digits.lstrip("0")
    return None, digits, False


def _split_e164(e164: str | None) -> tuple[int, str] | None:
    """(country code, national significant digits) of an E.164 number as phonenumbers
    formats one ("+" and digits; the country codes are prefix-free), without parsing it:
    what :func:`_national` reads from it, in about a microsecond where a parse takes 0.2
    ms. None for anything else."""
    if not e164 or e164[0] != "+" or not e164[1:].isdigit() or not e164[1:].isascii():
        return None
    digits = e164[1:]
    for size in (1, 2, 3):
        cc = int(digits[:size])
        if cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return cc, digits[size:]
    return None


def _is_sequence(digits: str) -> bool:
    return len(digits) >= 5 and (digits in _SEQUENCE_ASC or digits in _SEQUENCE_DESC)


def _is_repetition(digits: str) -> bool:
    """"222222222", "122122122", "121212": a block repeated to fill the number."""
    n = len(digits)
    if n < 5 or len(set(digits)) > n // 2:  # a repeated block of k digits holds k distinct ones at most
        return False
    for size in range(1, n // 2 + 1):
        block = digits[:size]
        if (block * (n // size + 1))[:n] == digits:
            return True
    return False


def phone_placeholder(phone: Phone) -> str | None:
    """Why a phone number is a placeholder, or None when it may be real."""
    return _phone_placeholder(phone.shown, phone.digits, phone.e164)


@lru_cache(maxsize=16384)
def _phone_placeholder(shown: str, digits: str, e164: str | None) -> str | None:
    # Cached: the same number is judged on every page that shows it, by every probe that
    # counts ways to reach a person.
    phone = Phone(shown=shown, digits=digits, e164=e164, source="text", region="main")
    # An E.164 form is split without phonenumbers; whether the number is valid is asked
    # (a parse) only of digits that are a sequence or a repetition, at the end.
    split = _split_e164(e164)
    cc: int | None
    valid: bool | None = None
    if split is not None:
        cc, national = split
    else:
        cc, national, valid = _national(phone)
    nanp = cc == 1 or (cc is None and not phone.shown.strip().startswith(("+", "0"))
                       and (len(digits) == 10 or (len(digits) == 11 and digits.startswith("1")) or len(digits) == 7))
    if nanp:
        local = national[-10:] if len(national) >= 10 else national
        if len(local) == 10 and local.startswith("555"):
            return "area code 555 is reserved for fiction"
        line = local[-7:]
        if len(line) == 7 and line.startswith("55501"):
            return "555-0100 to 555-0199 are reserved for fiction"
    # "(123) 456-7890", "01234 567890", "+1 123 456 789", "987 654 321": the 123-456-7890
    # family, whatever phonenumbers thinks of it (some numbering plans admit it).
    stripped = national.lstrip("0")
    if len(stripped) >= 7 and ("1234567890".startswith(stripped) or stripped.startswith("1234567")
                               or stripped in _SEQUENCE_DESC):
        return "123-456-7890 and its kin are template numbers"
    if cc == 44 and _UK_DRAMA.match(national):
        return "a UK drama number (Ofcom's range for fiction)"
    if cc == 61 and _AU_DRAMA.match(national):
        return "an Australian drama number (ACMA's range for fiction)"
    if (_is_sequence(stripped) or _is_repetition(stripped)) and not (_national(phone)[2] if valid is None else valid):
        return "not a valid number, and its digits are a sequence or a repetition"
    return None


# --------------------------------------------------------------------------- fill-in fields

_CONTACT_WORDS = (
    r"phone(?:\s+number)?|telephone(?:\s+number)?|tel\.?|mobile|cell|fax|whats\s?app|e-?mail(?:\s+address)?|mail|"
    r"address|postal\s+address|street|"
    r"telefon(?:nummer)?|handy|mobil(?:nummer)?|e-?mail-?adresse|adresse|anschrift|stra(?:ß|ss)e|"
    r"t[ée]l[ée]phone|t[ée]l\.?|num[ée]ro(?:\s+de\s+t[ée]l[ée]phone)?|portable|courriel|adresse\s+e-?mail|"
    r"telefono|cellulare|indirizzo(?:\s+e-?mail)?|posta\s+elettronica|"
    r"tel[ée]fono|m[óo]vil|celular|correo(?:\s+electr[óo]nico)?|direcci[óo]n|"
    r"telefone|telem[óo]vel|endere[çc]o|"
    r"telefoon(?:nummer)?|adres|"
    r"telefon|numer(?:\s+telefonu)?|adres(?:\s+e-?mail)?"
)
#: "[Phone number]", "[Telefonnummer]", "[votre adresse e-mail]", "{{ phone }}", "<email>".
_BRACKETED_FIELD = lazy_compile(
    rf"\[\s*(?:your\s+|votre\s+|ihre?\s+|tu\s+|su\s+|il\s+tuo\s+|o\s+seu\s+|uw\s+)?(?:{_CONTACT_WORDS})(?:\s+(?:here|ici|hier|aqui|aquí|qui))?\s*\]"
    rf"|\{{\{{\s*(?:{_CONTACT_WORDS})\s*\}}\}}|%(?:PHONE|EMAIL|ADDRESS|TEL)%",
    re.I,
)
#: "to be completed" and its kin, in the languages of Europe and the Americas.
_TO_BE_COMPLETED = (
    r"to\s+be\s+(?:added|completed|confirmed|announced|defined|provided)|tbd|tba|tbc|n/?a\s+yet|"
    r"[àa]\s+(?:compl[ée]ter|d[ée]finir|venir|confirmer|renseigner)|"
    r"wird\s+(?:noch\s+)?(?:erg[äa]nzt|nachgereicht|bekannt\s*gegeben)|folgt(?:\s+in\s+k[üu]rze)?|noch\s+offen|ausstehend|"
    r"da\s+(?:inserire|definire|completare|confermare|aggiungere)|"
    r"por\s+(?:definir|completar|confirmar|a[ñn]adir)|pendiente|a\s+(?:definir|completar|confirmar|preencher)|"
    r"nog\s+(?:in\s+te\s+vullen|aan\s+te\s+vullen|te\s+bepalen)|volgt|"
    r"do\s+uzupe[łl]nienia|wkr[óo]tce"
)
#: A contact label followed by a fill-in phrase on the same line: "Telefon: folgt".
_LABELLED_FILL_IN = lazy_compile(rf"(?<!\w)(?:{_CONTACT_WORDS})\s*[:：\-–]?\s*\(?(?:{_TO_BE_COMPLETED})\)?(?!\w)", re.I)
#: A number masked with x's: "+33 1 XX XX XX XX", "(xxx) xxx-xxxx", "0xxx xxxxxx".
_MASKED_NUMBER = lazy_compile(r"(?<![\w])(?:\+\d{1,3}[\s.-]?)?\(?[0-9xX]{1,4}\)?(?:[\s.-][0-9xX]{2,5}){2,5}(?![\w])")
_PHONE_CUE = lazy_compile(rf"(?<!\w)(?:{_CONTACT_WORDS}|call|appelez|ruf|chiama|llame|ligue|bel)(?!\w)", re.I)


#: :data:`_LABELLED_FILL_IN` for lower-case text (no IGNORECASE: four times faster).
_LABELLED_FILL_IN_LOWER = lower_case_twin(_LABELLED_FILL_IN)


def fill_in_fields(text: str) -> Iterator[str]:
    """Bracketed, "to be completed" and x-masked contact fields in a page's visible text."""
    # Each kind is looked for line by line only when the whole text may hold one: a
    # bracketed field needs a bracket, a brace or a percent sign; a labelled fill-in is
    # first looked for in the whole text, lower-cased (a match within a line is a match
    # there too); a masked number needs an x.
    low = lower(text)
    brackets = "[" in text or "{{" in text or "%" in text
    labelled = (might_match(_LABELLED_FILL_IN_LOWER, low) and _LABELLED_FILL_IN_LOWER.search(low) is not None
                if len(low) == len(text) else True)
    masked = "x" in low
    if not (brackets or labelled or masked):
        return
    for line in text.split("\n"):
        if not line.strip():
            continue
        if brackets:
            for m in _BRACKETED_FIELD.finditer(line):
                yield m.group(0)
        if labelled:
            for m in _LABELLED_FILL_IN.finditer(line):
                yield m.group(0)
        if masked and "x" in line.lower():
            for m in _MASKED_NUMBER.finditer(line):
                shown = m.group(0)
                xs = shown.lower().count("x")
                masked = (xs >= 3 and re.search(r"\d", shown) is not None) or xs >= 6
                if masked and (_PHONE_CUE.search(line[: m.start()]) or shown.strip().startswith(("+", "("))):
                    yield shown.strip()


# --------------------------------------------------------------------------- per site


@dataclass(frozen=True)
class Placeholder:
    """One placeholder detail and where it is shown."""

    #: "email", "phone" or "field"
    kind: str
    shown: str
    reason: str
    url: str
    selector: str = ""


def _accepted(kind: str, value: str, digits: str, accept: Iterable[str]) -> bool:
    for a in accept:
        if kind == "email" and a.strip().lower() == value.lower():
            return True
        if kind == "phone":
            ad = re.sub(r"\D", "", a)
            if len(ad) >= 6 and (ad.endswith(digits.lstrip("0")) or digits.endswith(ad.lstrip("0"))):
                return True
    return False


@dataclass(frozen=True)
class Judged:
    """The contact details of a site split into real ones, placeholders and accepted ones."""

    placeholders: tuple[Placeholder, ...]
    #: Details that look like placeholders but the owner accepted in config (as shown).
    accepted: tuple[str, ...]

    def is_placeholder_email(self, address: str) -> bool:
        return any(p.kind == "email" and p.shown == address.lower() for p in self.placeholders)


#: ``[contact] accept`` in a config file: details the owner confirms are real.
ACCEPT = Setting(
    name="contact.accept", kind="list", default=(), section="contact",
    help="Contact details that look like placeholders but are real, e.g. [\"+1 800 555 0100\", "
         "\"hello@example.com\"]: they count as ways to reach a person and are listed in "
         "touchpoints.contact.facts.accepted. Emails match case-insensitively, numbers by their digits.",
    validate=lambda value, where: tuple(v.strip() for v in value if v.strip()),
)


def accept_list(ctx: Context) -> tuple[str, ...]:
    """Details the owner confirmed real: ``[contact] accept`` in config."""
    return tuple(ctx.config.option(ACCEPT.name, ()) or ())


def email_is_placeholder(e: Email, accept: Iterable[str]) -> bool:
    return email_placeholder(e.address) is not None and not _accepted("email", e.address, "", accept)


def phone_is_placeholder(p: Phone, accept: Iterable[str]) -> bool:
    return phone_placeholder(p) is not None and not _accepted("phone", p.shown, p.digits, accept)


def real_emails(f: PageFacts, accept: Iterable[str]) -> list[Email]:
    """A page's emails that may reach someone (placeholders left out)."""
    accept = tuple(accept)
    return [e for e in contact_details(f).emails if not email_is_placeholder(e, accept)]


def real_phones(f: PageFacts, accept: Iterable[str]) -> list[Phone]:
    """A page's phone numbers that may reach someone (placeholders left out)."""
    accept = tuple(accept)
    return [p for p in contact_details(f).phones if not phone_is_placeholder(p, accept)]


def _fill_ins(f: PageFacts) -> tuple[str, ...]:
    """The page's unfilled contact fields, as the ``copy`` extractor read them."""
    value: tuple[str, ...] = f.fact("copy").fill_ins
    return value


def judge(ctx: Context) -> Judged:
    """Every placeholder detail on the crawled pages, and the accepted look-alikes."""
    accept = accept_list(ctx)
    found: dict[tuple[str, str, str], Placeholder] = {}
    accepted: set[str] = set()
    for f in ctx.facts():
        for e in contact_details(f).emails:
            why = email_placeholder(e.address)
            if why is None:
                continue
            if _accepted("email", e.address, "", accept):
                accepted.add(e.address)
                continue
            found.setdefault(("email", e.address, f.url), Placeholder("email", e.address, why, f.url, e.selector))
        for p in contact_details(f).phones:
            why = phone_placeholder(p)
            if why is None:
                continue
            if _accepted("phone", p.shown, p.digits, accept):
                accepted.add(p.shown)
                continue
            key = ("phone", p.digits, f.url)
            found.setdefault(key, Placeholder("phone", p.shown, why, f.url, p.selector))
        for shown in _fill_ins(f):
            found.setdefault(("field", shown.lower(), f.url),
                             Placeholder("field", shown, "a template field that was never filled in", f.url))
    ordered = sorted(found.values(), key=lambda p: (p.kind, p.shown.lower(), p.url))
    return Judged(placeholders=tuple(ordered), accepted=tuple(sorted(accepted, key=str.lower)))
