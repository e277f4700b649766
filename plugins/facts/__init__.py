"""Facts that several touchpoints read, each from an extractor registered through the same
``cxprobe_add_extractors`` hook a third-party plugin uses:

- ``contact`` (:class:`~.contact_details.ContactDetails`): emails, phone numbers, postal
  addresses and opening hours shown on a page — contact, consistency and support read them;
- ``prices`` (tuple of :class:`~.prices.Price`): amounts of money — pricing and journey;
- ``forms`` (tuple of purposes, in the order of ``PageFacts.forms``): what each form is
  for — contact, feedback and support.

The functions below read them from a page's facts, typed.
"""

from __future__ import annotations

from collections.abc import Callable

from cxprobe import Extractor, Form, PageFacts, hookimpl

from .contact_details import ContactDetails, ContactDetailsExtractor, Email
from .forms import FormsExtractor
from .phones import Phone
from .prices import Price, PricesExtractor

__all__ = ["ContactDetails", "Email", "Phone", "Price", "contact_details", "form_purposes", "prices"]


def contact_details(f: PageFacts) -> ContactDetails:
    """The page's ``contact`` facts (raises FactUnavailable when its extractor did not run)."""
    value: ContactDetails = f.fact("contact")
    return value


def prices(f: PageFacts) -> tuple[Price, ...]:
    """The page's ``prices`` facts."""
    value: tuple[Price, ...] = f.fact("prices")
    return value


def form_purposes(f: PageFacts) -> list[tuple[Form, str]]:
    """Each form of the page with its purpose (``forms`` facts)."""
    purposes: tuple[str, ...] = f.fact("forms")
    return list(zip(f.forms, purposes, strict=True))


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(ContactDetailsExtractor())
    register(PricesExtractor())
    register(FormsExtractor())
