"""Contact details shown beside the link that acts on them: the address a mailto: link
shows, the number a tel: or WhatsApp link shows, and the number printed in the card of a
"Call" button that shows none. The contact and consistency touchpoints compare each shown
detail with where the link really goes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from cxprobe import Cause, Context, Link, PageFacts

from ._common import per_page
from ._lazyre import lazy_compile
from .facts import contact_details
from .facts.phones import CUE_NUMBER_RE, digits_of, messaging_number, numbers_shown, same_number

_EMAIL_IN_TEXT = lazy_compile(r"[\w.%+-]+@[\w.-]+\.\w+")


@dataclass(frozen=True)
class LinkDetail:
    """A link and the detail a customer reads on it (or right beside it)."""

    kind: str  # "email" or "phone"
    shown: str
    target: str
    #: The link itself; None for a number read in a button's card (see ``selector``).
    link: Link | None
    #: "mailto", "tel", "whatsapp", "sms"
    channel: str = ""
    selector: str = ""
    href: str = ""
    #: The link's own words.
    text: str = ""

    @cached_property
    def display(self) -> str:
        """The detail as the customer reads it: the address, or the number without the
        words around it ("WhatsApp · réponse rapide 06 09 20 45 90" -> "06 09 20 45 90")."""
        if self.kind == "phone":
            for m in CUE_NUMBER_RE.finditer(self.shown):
                if numbers_shown(m.group(1)):
                    return m.group(1).strip()
        return self.shown

    @cached_property
    def agrees(self) -> bool:
        """The shown detail is the one the link acts on (case aside for email; for phone
        numbers, any number the text shows matches the one dialled, in any of its forms)."""
        if self.kind == "email":
            return self.shown.lower() == self.target.lower()
        target = digits_of(self.target)
        return any(same_number(d, target) for d in numbers_shown(self.shown))


def shown_link_details(f: PageFacts) -> Iterator[LinkDetail]:
    """Every mailto:, tel: and click-to-message link of a page whose text shows an address or
    a number, and every call or message button whose card shows one number beside it."""
    for lk in f.links:
        if lk.scheme == "mailto":
            m = _EMAIL_IN_TEXT.search(lk.text)
            if m:
                yield LinkDetail("email", m.group(0), lk.target, lk, "mailto", lk.selector, lk.href)
        elif lk.scheme == "tel":
            if numbers_shown(lk.text):
                yield LinkDetail("phone", lk.text, lk.target, lk, "tel", lk.selector, lk.href)
        else:
            number = messaging_number(lk)
            if number and numbers_shown(lk.text):
                channel = "sms" if lk.href.strip().lower().startswith("sms:") else "whatsapp"
                yield LinkDetail("phone", lk.text, number, lk, channel, lk.selector, lk.href)
    for b in contact_details(f).beside:
        yield LinkDetail("phone", b.shown, b.target, None, b.source, b.selector, b.href, b.text)


def _link_details(ctx: Context, f: PageFacts) -> tuple[LinkDetail, ...]:
    return tuple(shown_link_details(f))


def link_details(ctx: Context, f: PageFacts) -> tuple[LinkDetail, ...]:
    """:func:`shown_link_details` of a page, read once a run (the contact and consistency
    touchpoints both compare them)."""
    return per_page(ctx, _link_details, f)


def mismatch_cause(kind: str, shown: str, target: str, title: str = "") -> Cause:
    """The root cause "this shown detail differs from where its link goes", the same
    whichever probe sees it (the contact touchpoint's agreement check, the consistency
    touchpoint's conflicts): ``kind`` "email" or "phone", the detail as shown and the
    link's target, compared case-free (email) or by their digits (phone)."""
    norm = (lambda v: v.strip().lower()) if kind == "email" else digits_of
    values = "|".join(sorted({norm(shown), norm(target)}))
    word = "email address" if kind == "email" else "phone number"
    return Cause(key=f"shown-vs-linked:{kind}:{values}",
                 title=title or f"A shown {word} differs from where its link goes: {shown} and {target}")
