"""Support touchpoint: "Where do I get help, and can I still reach a person?"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from bs4 import Tag

from cxprobe import (
    Context,
    Document,
    Evidence,
    Extractor,
    Outcome,
    Probe,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
    per_run,
)

from ._common import (
    CONTACT_RE,
    FAQ_RE,
    FAQ_SLUG,
    HELP_RE,
    HELP_SLUG,
    STATUS_RE,
    find_purpose_page,
    live_links,
    short_label,
)
from ._lazyre import lazy_compile
from .commerce import sells_online
from .facts import contact_details, form_purposes

TOUCHPOINT = Touchpoint(
    id="support", title="Support", question="Where do I get help, and can I still reach a person?", weight=2,
    weights={"saas": 3, "ecommerce": 2, "local": 1, "nonprofit": 1},
    fact_defaults={"help_page": None, "faq_page": None, "depth": None},
)


_FAQ_TOKEN = lazy_compile(r"(?:^|[-_])faqs?(?:$|[-_])")


def _names_faq(attrs: dict[str, Any]) -> bool:
    """True when an element's class or id holds "faq" in any case (a class or id word of
    :meth:`cxprobe.Document.tokens` can hold it only then)."""
    cls = attrs.get("class")
    tid = attrs.get("id")
    written = " ".join(cls) if isinstance(cls, list) else cls if isinstance(cls, str) else ""
    if isinstance(tid, str):
        written = f"{written} {tid}"
    return "faq" in written.lower()


@dataclass(frozen=True)
class FaqSection:
    """The ``faq`` facts of a page: an FAQ section on it, and what shows it."""

    #: The element's selector, or "" when the page has none.
    selector: str = ""
    #: Its label ("Preguntas Frecuentes") or class word ("faq-list").
    label: str = ""


class FaqExtractor(Extractor):
    """``faq``: a section of questions and answers on a page, found by its structure: an
    element named as an FAQ (class or id "faq", "faq-list", "faqs") holding text, or a short
    block of text that names one in any language ("Preguntas frecuentes", "Häufige Fragen"),
    whatever tag carries it (a styled div is as much a heading to the customer as an h2)."""

    name = "faq"
    description = "an FAQ section on the page (class or id faq, or a short label naming one)"

    def extract(self, doc: Document) -> FaqSection:
        for tag in doc.tags("section") + doc.tags("div") + doc.tags("ul") + doc.tags("dl"):
            doc.tick()
            # "faq" first, in the class and id as written: most hold none, which one
            # substring test tells without taking them apart into words.
            if not _names_faq(tag.attrs):
                continue
            token = next((t for t in doc.tokens(tag) if "faq" in t and _FAQ_TOKEN.search(t)), None)
            if token and tag.find_parent(["nav", "footer"]) is None and not doc.is_hidden(tag) and doc.text(tag, 40):
                return FaqSection(selector=doc.selector(tag), label=token)
        for (region, texts, block), text in zip(doc.blocks, doc.block_texts, strict=True):
            doc.tick()
            if region in ("nav", "footer") or len(texts) > 12 or sum(map(len, texts)) > 200:
                continue
            if len(text) > 60 or not isinstance(block, Tag):
                continue
            if not (FAQ_RE.search(text) and short_label(text, 6)):
                continue
            if block.name == "a" or block.find_parent("a") is not None or block.find("a") is not None:
                continue  # a link to an FAQ is not the FAQ
            return FaqSection(selector=doc.selector(block), label=text)
        return FaqSection()


@per_run
def find_help(ctx: Context) -> tuple[str | None, int | None, str | None, int | None]:
    """(help page, its depth, faq page, its depth)."""
    help_hit = find_purpose_page(ctx, HELP_RE, HELP_SLUG)
    faq_hit = find_purpose_page(ctx, FAQ_RE, FAQ_SLUG)
    help_url = help_hit.url if help_hit else None
    help_depth = help_hit.depth if help_hit else None
    faq_url = faq_hit.url if faq_hit else None
    faq_depth = faq_hit.depth if faq_hit else None
    if faq_url is None:
        for p in ctx.pages:
            if p.facts and "FAQPage" in p.facts.schema_types:
                faq_url, faq_depth = p.url, ctx.depth(p.url)
                break
    if faq_url is None:
        # An FAQ section (a short "Frequently Asked Questions" heading over questions, an
        # element named faq) on a page: on a one-page site that is where the answers live.
        sections = sorted((ctx.depth(p.url) if ctx.depth(p.url) is not None else 99, p.url) for p in ctx.pages
                          if p.facts and (any(h.level in (2, 3, 4) and short_label(h.text, 6) and FAQ_RE.search(h.text)
                                              for h in p.facts.headings) or p.facts.fact("faq").selector))
        if sections:
            d, faq_url = sections[0]
            faq_depth = None if d == 99 else d
    if help_url is None:
        # An off-site help centre or docs linked from the site (help.example.com, docs.example.com).
        # Each link text is read once: a menu's recur on every page.
        says_help = cache(lambda text: HELP_RE.fullmatch(text.strip()) is not None)
        for f in ctx.facts():
            for lk in live_links(ctx, f):
                if lk.url and lk.scheme == "http" and says_help(lk.text) and lk.url not in ctx.site.depths:
                    d = ctx.depth(f.url)
                    help_url, help_depth = lk.url, None if d is None else d + 1
                    break
            if help_url:
                break
    return help_url, help_depth, faq_url, faq_depth


class SupportSelfHelp(Probe):
    id = "support.self_help"
    touchpoint = "support"
    title = "A help centre, docs or FAQ is offered"
    failure_title = "There is no help centre, docs or FAQ"
    description = """
Many customers prefer to find the answer themselves. Found: a help/support/docs page (address,
title, heading or the link to it says so; an off-site help centre counts), an FAQ page
(also schema.org FAQPage, or a "Frequently Asked Questions" section on a page, as on a
one-page site), a status page. Score: help and FAQ 1.0, one of them 0.8, none 0.3. None found
is a warning on a site that sells online, an info note on one that does not.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        help_url, help_depth, faq_url, faq_depth = find_help(ctx)
        status = any(STATUS_RE.search(lk.text) for f in ctx.facts() for lk in f.links)
        depths = [d for d in (help_depth, faq_depth) if d is not None]
        facts = {"help_page": help_url, "faq_page": faq_url, "depth": min(depths) if depths else None,
                 "status_page": status}
        n = (help_url is not None) + (faq_url is not None)
        issues = []
        if n == 0:
            # Shoppers look for answers before and after they pay; on a site that sells
            # nothing online, customers ask the business itself, and an FAQ matters less.
            sales = sells_online(ctx)
            why = sales.reason if sales.online else \
                "the site sells nothing online that was seen (no cart, checkout, shop service or plan sign-up), so this matters less"
            issues.append(issue("no-self-help", "No help centre, docs or FAQ",
                                f"No help, support, docs or FAQ page was found ({ctx.not_found_reason()}); {why}.",
                                severity="warning" if sales.online else "info",
                                evidence=[Evidence(url=ctx.site.start_url)]))
        return outcome({0: 0.3, 1: 0.8, 2: 1.0}[n], issues, facts)


class SupportHumanRoute(Probe):
    id = "support.human_route"
    touchpoint = "support"
    title = "Help pages still offer a route to a person"
    failure_title = "Help pages are a dead end: no route to a person"
    description = """
Self-help that cannot be escaped is a strike: when the FAQ does not answer, the customer
needs a way to a person. Checked: each crawled help or FAQ page shows a contact link, an email,
a phone number or a contact form. Not applicable without help pages.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        help_url, _hd, faq_url, _fd = find_help(ctx)
        pages = [u for u in (help_url, faq_url) if u]
        judged = 0
        dead_ends = []
        for u in pages:
            p = ctx.site.page(u)
            if p is None or p.facts is None:
                continue
            judged += 1
            f = p.facts
            details = contact_details(f)
            ok = bool(details.emails or details.phones or any(purpose in ("contact", "booking") for _x, purpose in form_purposes(f))
                      or any(CONTACT_RE.search(lk.text) for lk in live_links(ctx, f)))
            if not ok:
                dead_ends.append(Evidence(url=u))
        if judged == 0:
            return Outcome.na("no crawled help or FAQ page")
        if dead_ends:
            return outcome(0.3, [issue("self-help-dead-end", "Help page has no route to a person",
                                       "The help or FAQ page offers no contact link, email, phone or form.",
                                       severity="warning", evidence=dead_ends)])
        return outcome(1.0)


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(FaqExtractor())


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (SupportSelfHelp, SupportHumanRoute):
        register(cls())
