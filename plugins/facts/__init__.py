"""Facts that several touchpoints read, each from an extractor registered through the same
``cxprobe_add_extractors`` hook a third-party plugin uses:

- ``contact`` (:class:`~.contact_details.ContactDetails`): emails, phone numbers, postal
  addresses and opening hours shown on a page — contact, consistency and support read them;
- ``prices`` (tuple of :class:`~.prices.Price`): amounts of money — pricing and journey;
- ``forms`` (tuple of purposes, in the order of ``PageFacts.forms``): what each form is
  for — contact, feedback and support;
- ``samples`` (tuple of strings): the text of code samples (code, pre, kbd, samp), which
  is documentation, not copy — clarity and the placeholder rules leave it out.

The functions below read them from a page's facts, typed.
"""

from __future__ import annotations

from collections.abc import Callable

from cxprobe import Extractor, Form, PageFacts, hookimpl

from .contact_details import CodeSamplesExtractor, ContactDetails, ContactDetailsExtractor, Email
from .forms import FormsExtractor
from .phones import Phone
from .prices import Price, PricesExtractor

__all__ = ["ContactDetails", "Email", "Phone", "Price", "code_samples", "contact_details", "form_purposes", "in_code_sample",
           "prices"]


def contact_details(f: PageFacts) -> ContactDetails:
    """The page's ``contact`` facts (raises FactUnavailable when its extractor did not run)."""
    value: ContactDetails = f.fact("contact")
    return value


def code_samples(f: PageFacts) -> tuple[str, ...]:
    """The text of the page's code samples (``samples`` facts)."""
    value: tuple[str, ...] = f.fact("samples")
    return value


def in_code_sample(f: PageFacts, snippet: str) -> bool:
    """True when ``snippet`` is written inside one of the page's code samples."""
    low = snippet.lower()
    return any(low in s.lower() for s in code_samples(f))


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
    register(CodeSamplesExtractor())
    register(PricesExtractor())
    register(FormsExtractor())
