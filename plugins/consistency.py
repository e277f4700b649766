"""Consistency touchpoint: "Does it feel like one company everywhere?"."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from statistics import pstdev

from cxprobe import (
    STOPWORDS,
    Context,
    Evidence,
    Outcome,
    Probe,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
)
from cxprobe import detect_language as _detect

from ._common import same_number, shown_link_details
from ._placeholders import (
    accept_list,
    email_is_placeholder,
    email_placeholder,
    phone_is_placeholder,
)
from .facts import contact_details

TOUCHPOINT = Touchpoint(
    id="consistency", title="Consistency", question="Does it feel like one company everywhere?", weight=2,
    fact_defaults={"brand_names": [], "phones": [], "emails": [], "conflicts": []},
)

def detect_language(text: str) -> str | None:
    """The language a text is written in (cxprobe's offline stop-word detector)."""
    return _detect(text)


LEGAL_PAGE_RE = re.compile(r"privacy|datenschutz|impressum|imprint|legal|mentions|terms|agb|cgv|cgu|eula|policy|"
                           r"cookie|gdpr|dsgvo|aviso|privacidad|confidentialit", re.I)


def is_legal_page(f: object) -> bool:
    """Privacy, terms, imprint and similar pages (address or title says so)."""
    url = getattr(f, "url", "")
    title = getattr(f, "title", "")
    return bool(LEGAL_PAGE_RE.search(url.rsplit("/", 1)[-1] or url) or LEGAL_PAGE_RE.search(title.split("|")[0]))


def contact_conflicts(ctx: Context) -> list[dict[str, object]]:
    """Different values offered for the same purpose, and shown details that differ from links.

    Placeholders (name@example.com, a 555 number) are judged apart from real details: a
    real number and a placeholder are not two offers of one service (the placeholder is
    the contact touchpoint's error). Two different placeholders for one purpose are
    listed with ``placeholder: true`` and are not scored or reported here.
    """
    accept = accept_list(ctx)
    accepted_emails = {a.lower() for a in accept}
    conflicts: list[dict[str, object]] = []
    by_label: dict[tuple[bool, str], list[tuple[str, str, str]]] = {}
    legal = {f.url for f in ctx.facts() if is_legal_page(f)}
    for f in ctx.facts():
        for p in contact_details(f).phones:
            # Fax lines and numbers of other organisations (an authority, the host) are
            # not offers of the same service; numbers only on legal pages are the notice's.
            if p.label in ("fax", "third-party") or f.url in legal:
                continue
            # Booking is what a general "call us" line is for at a restaurant or a car
            # wash: the two are one purpose. Departments (sales, support, ...) are not.
            purpose = "general" if p.label in ("", "booking") else p.label
            by_label.setdefault((phone_is_placeholder(p, accept), purpose), []).append((p.digits, p.shown, f.url))
    for (fake, label), items in sorted(by_label.items()):
        distinct: list[tuple[str, str]] = []
        pages: set[str] = set()
        for digits, shown, url in items:
            if not any(same_number(digits, d) for d, _s in distinct):
                distinct.append((digits, shown))
            pages.add(url)
        if len(distinct) > 1:
            conflicts.append(_conflict(f"phone:{label}", sorted(s for _d, s in distinct), pages, fake))
    by_local: dict[tuple[bool, str], dict[str, set[str]]] = {}
    for f in ctx.facts():
        if f.url in legal:
            continue
        for e in contact_details(f).emails:
            if e.label == "third-party":
                continue
            local, _, domain = e.address.partition("@")
            by_local.setdefault((email_is_placeholder(e, accept), local), {}).setdefault(domain, set()).add(f.url)
    for (fake, local), domains in sorted(by_local.items()):
        if len(domains) > 1:
            conflicts.append(_conflict(f"email:{local}", sorted(f"{local}@{d}" for d in domains),
                                       set().union(*domains.values()), fake))
    for f in ctx.facts():
        for d in shown_link_details(f):
            if not d.agrees:
                shown = d.shown.lower() if d.kind == "email" else d.shown
                fake = d.kind == "email" and all(email_placeholder(a) is not None and a not in accepted_emails
                                                 for a in (shown, d.target))
                conflicts.append(_conflict(f"{d.kind}:link_mismatch", sorted({shown, d.target}), {f.url}, fake))
    return conflicts


def _conflict(kind: str, values: list[str], pages: set[str], placeholder: bool) -> dict[str, object]:
    entry: dict[str, object] = {"kind": kind, "values": values, "pages": sorted(pages)}
    if placeholder:
        entry["placeholder"] = True
    return entry


def brand_of(title: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s+[|\-–—:·•]\s+", title) if p.strip()]
    return parts


class ContactConsistency(Probe):
    id = "consistency.contacts"
    touchpoint = "consistency"
    title = "One set of contact details is used everywhere"
    failure_title = "Conflicting contact details are shown"
    description = """
Two different "call us" numbers, or support@a.com on one page and support@b.com on another,
make customers wonder which one works. Conflicts: several numbers for the same purpose (lines
labelled for different purposes — sales, support, fax, booking — are not conflicts), one
mailbox name at two domains, a shown email or number that differs from its link target.
Placeholder details (name@example.com, a 555 number) are the contact touchpoint's error and
never a conflict with a real detail; conflicts among placeholders only are listed in the
facts with `placeholder: true` and neither scored nor reported here.
Score: none 1.0, one 0.6, more 0.3.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        all_conflicts = contact_conflicts(ctx)
        conflicts = [c for c in all_conflicts if not c.get("placeholder")]
        accept = accept_list(ctx)
        phones = sorted({p.e164 or p.shown for f in ctx.facts() for p in contact_details(f).phones if not phone_is_placeholder(p, accept)})
        emails = sorted({e.address for f in ctx.facts() for e in contact_details(f).emails if not email_is_placeholder(e, accept)})
        facts = {"phones": phones, "emails": emails, "conflicts": all_conflicts}
        issues = []
        for c in conflicts:
            values = [str(v) for v in c["values"]]  # type: ignore[attr-defined]
            pages = [str(u) for u in c["pages"]]  # type: ignore[attr-defined]
            issues.append(issue("contact-conflict", "Different contact details are offered for the same purpose",
                                f"{c['kind']}: {', '.join(values)}.", severity="warning",
                                key=f"{c['kind']}|{'|'.join(values)}",
                                evidence=[Evidence(url=u, snippet=", ".join(values)) for u in pages]))
        score = 1.0 if not conflicts else 0.6 if len(conflicts) == 1 else 0.3
        return outcome(score, issues, facts)


class BrandConsistency(Probe):
    id = "consistency.brand"
    touchpoint = "consistency"
    title = "Every page title carries the brand name"
    failure_title = "Page titles do not carry one brand name"
    description = """
The brand name in every tab title tells customers they are still with the same company.
The brand is the title part shared by most pages (or og:site_name). Score = share of pages
whose title carries it.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        counts: Counter[str] = Counter()
        for f in pages:
            for part in set(brand_of(f.title)):
                counts[part.lower()] += 1
            site_name = f.social_meta.get("og:site_name")
            if site_name:
                counts[site_name.lower()] += 1
        brand = None
        if counts:
            brand, _n = max(sorted(counts.items()), key=lambda kv: kv[1])
        # The brand part of each title: the part most titles share (a tagline or a page
        # name is not a brand name).
        names = sorted({max(parts, key=lambda x: (counts[x.lower()], -parts.index(x))) for f in pages
                        if (parts := brand_of(f.title))})
        if len(pages) == 1:
            return outcome(1.0 if pages[0].title else 0.5, (), {"brand_names": names})
        carrying = [f for f in pages if brand and brand in f.title.lower()]
        missing = [Evidence(url=f.url, snippet=f.title) for f in pages if f not in carrying]
        issues = []
        if missing:
            issues.append(issue("title-without-brand", "Page title does not carry the brand name",
                                f"Most titles carry {brand!r}; these do not.", severity="info", evidence=missing))
        return outcome(len(carrying) / len(pages), issues, {"brand_names": names, "brand": brand})


class ChromeConsistency(Probe):
    id = "consistency.navigation"
    touchpoint = "consistency"
    title = "Pages share the same navigation and footer"
    failure_title = "Navigation or footer changes from page to page"
    description = """
When the menu changes between pages, customers lose their bearings. Checked: the link texts
of each page's navigation/header and footer against the start page's (Jaccard similarity
>= 0.5 counts as the same). Score = share of pages that match.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        start = ctx.start
        pages = [f for f in ctx.facts()]
        if start is None or len(pages) < 2:
            return Outcome.na("fewer than two pages")

        def chrome(f: object) -> set[str]:
            return {lk.text.lower() for lk in f.links if lk.region in ("nav", "header", "footer") and lk.text}  # type: ignore[attr-defined]

        base = chrome(start)
        if not base:
            return Outcome.na("the start page has no navigation links")
        differ = []
        for f in pages:
            c = chrome(f)
            sim = len(base & c) / len(base | c) if (base | c) else 1.0
            if sim < 0.5:
                differ.append(Evidence(url=f.url, snippet=f"{len(base & c)} of {len(base)} navigation links shared"))
        issues = []
        if differ:
            issues.append(issue("navigation-differs", "Page has a different navigation or footer",
                                "The menu or footer on this page differs from the home page's.", severity="info", evidence=differ))
        return outcome(1 - len(differ) / len(pages), issues)


class LanguageConsistency(Probe):
    id = "consistency.language"
    touchpoint = "consistency"
    title = "Each page declares the language it is written in"
    failure_title = "Page language is missing or does not match the text"
    description = """
The `lang` attribute tells browsers, screen readers and translators what language a page is
in. Checked: every page declares one, and the declared language matches the text (detected
offline from common words in English, German, French, Spanish, Italian, Portuguese, Dutch).
Score = share of pages that declare a matching language.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        good = 0
        missing, wrong = [], []
        langs: set[str] = set()
        for f in pages:
            declared = (f.lang or "").split("-")[0].lower()
            detected = f.text_lang
            if detected:
                langs.add(detected)
            if not declared:
                missing.append(Evidence(url=f.url))
                continue
            if detected and declared in STOPWORDS and detected != declared:
                wrong.append(Evidence(url=f.url, snippet=f'lang="{f.lang}" but the text reads as {detected}'))
                continue
            good += 1
        issues = []
        if missing:
            issues.append(issue("no-lang", "Page does not declare its language", "Add lang=\"..\" to the <html> element.",
                                severity="info", evidence=missing))
        if wrong:
            issues.append(issue("lang-mismatch", "Declared language does not match the text",
                                "The lang attribute says one language, the text is in another.", severity="warning", evidence=wrong))
        return outcome(good / len(pages), issues, {"languages": sorted(langs)})


class ToneConsistency(Probe):
    id = "consistency.tone"
    touchpoint = "consistency"
    title = "Pages are written at a similar reading level"
    failure_title = "Reading level swings widely between pages"
    description = """
One company should sound like one voice. Checked: the spread (standard deviation) of the
reading grade of the main text across pages, each page in its own language with the formula
made for it (as for `clarity.readability`; policy pages and pages with less than 3 sentences
and 40 words of prose left out). Spread <= 3 grades -> 1.0, falling to 0.6 at 6+. Not
applicable under three measured pages.
"""
    weight = 0.5

    def check(self, ctx: Context) -> Outcome:
        from ._readability import measure
        from .clarity import page_language

        grades = []
        for f in ctx.facts():
            if re.search(r"privacy|terms|legal|eula|policy|cookie", f.url, re.I):
                continue
            r = measure(f.text.get("main", "")[:5000], page_language(f), min_sentences=3, min_words=40)
            if r is not None:
                grades.append(r.grade)
        if len(grades) < 3:
            return Outcome.na("fewer than three pages with readable text")
        spread = pstdev(grades)
        score = 1.0 if spread <= 3 else max(0.6, 1 - (spread - 3) * 0.4 / 3)
        return outcome(score, (), {"grade_spread": round(spread, 1)})


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (ContactConsistency, BrandConsistency, ChromeConsistency, LanguageConsistency, ToneConsistency):
        register(cls())
