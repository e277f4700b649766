"""The facts of a page with the built-in extractors' facts as attributes, for tests that were
written when those facts were fields of PageFacts (``f.phones``, ``form.purpose``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxprobe_plugins.clarity import hero
from cxprobe_plugins.facts import contact_details, form_purposes, prices

from cxprobe import PageFacts
from cxprobe.document import extract_facts as _extract_facts
from cxprobe.testing import extractors


class FormView:
    """A form with its purpose, as the forms extractor judged it."""

    def __init__(self, form: Any, purpose: str) -> None:
        self._form = form
        self.purpose = purpose

    def __getattr__(self, name: str) -> Any:
        if name == "_form" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._form, name)


class FactsView:
    """PageFacts plus ``phones``, ``emails``, ``addresses``, ``hours`` (contact), ``prices``,
    ``hero_text``, ``hero_ctas`` (hero) and forms with their ``purpose``."""

    def __init__(self, facts: PageFacts) -> None:
        self.raw = facts

    def __getattr__(self, name: str) -> Any:
        if name == "raw" or name.startswith("__"):  # unpickling asks before raw is set
            raise AttributeError(name)
        return getattr(self.raw, name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FactsView) and self.raw == other.raw

    phones = property(lambda self: contact_details(self.raw).phones)
    emails = property(lambda self: contact_details(self.raw).emails)
    addresses = property(lambda self: contact_details(self.raw).addresses)
    hours = property(lambda self: contact_details(self.raw).hours)
    prices = property(lambda self: prices(self.raw))
    hero_text = property(lambda self: hero(self.raw).text)
    hero_ctas = property(lambda self: hero(self.raw).ctas)
    forms = property(lambda self: tuple(FormView(f, p) for f, p in form_purposes(self.raw)))


def extract_facts(url: str, headers: Mapping[str, str] | None, body: bytes, **limits: Any) -> FactsView:
    """cxprobe.document.extract_facts with every installed extractor, viewed as above."""
    return FactsView(_extract_facts(url, headers, body, extractors(), **limits))
