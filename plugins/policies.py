"""Policies touchpoint: "Will billing surprise me?"."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import textstat

from cxprobe import (
    Cause,
    Context,
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

from ._common import POLICY_KINDS, short_label, url_parts
from ._lazyre import lazy_compile
from ._readability import measure
from .commerce import CommerceExtractor, Sales, sells_online
from .facts import form_purposes
from .words import LEGAL_NOTICE, PRIVACY_SECTION, TERMS_SECTION

TOUCHPOINT = Touchpoint(
    id="policies", title="Policies", question="Will billing surprise me?", weight=2,
    weights={"ecommerce": 3, "saas": 2, "local": 1.5, "nonprofit": 1.5},
    fact_defaults={"privacy": None, "terms": None, "refund": None, "cancellation": None, "shipping": None, "dead_links": 0},
)
#: Policies that count for each profile (shipping matters for shops).
EXPECTED = {
    "general": ("privacy", "terms"),
    "saas": ("privacy", "terms", "refund", "cancellation"),
    "ecommerce": ("privacy", "terms", "refund", "shipping"),
    "local": ("privacy",),
    "nonprofit": ("privacy",),
}


#: Any kind's link text (match) and any kind's slug (search): what names no policy at all
#: (most of a site's pages, titles and links) is answered by one match, not one per kind.
#: The patterns share their flags and hold no backreference, so their union matches where
#: one of them does.
_ANY_POLICY_TEXT = lazy_compile("|".join(f"(?:{text_re.pattern})" for text_re, _slug in POLICY_KINDS.values()), re.I)
_ANY_POLICY_SLUG = lazy_compile("|".join(f"(?:{slug_re.pattern})" for _text, slug_re in POLICY_KINDS.values()), re.I)


def _kinds_named(text: str) -> tuple[str, ...]:
    """The policy kinds a link text names."""
    if _ANY_POLICY_TEXT.match(text) is None:
        return ()
    return tuple(kind for kind, (text_re, _slug) in POLICY_KINDS.items() if text_re.match(text))


@per_run
def find_policies(ctx: Context) -> tuple[dict[str, str | None], list[tuple[str, Evidence, str, Cause | None]]]:
    """kind -> URL of the policy (crawled page, or an off-site link), and dead policy links."""
    found: dict[str, str | None] = {k: None for k in POLICY_KINDS}
    dead: list[tuple[str, Evidence, str, Cause | None]] = []
    # 1. Crawled pages whose address, title or h1 names the policy. What each page says
    # of itself is read once, then matched against each kind.
    pages = []
    for p in ctx.pages:
        f = p.facts
        if f is None:
            continue
        title = f.title.split("|")[0].split(" - ")[0].split(" – ")[0].strip()
        notice = bool(LEGAL_NOTICE.search(title) or any(LEGAL_NOTICE.search(h) for h in f.h1s))
        pages.append((p.url, url_parts(p.url).path, title, [h.strip() for h in f.h1s], notice))
    best: dict[str, tuple[int, str]] = {}
    for url, path, title, h1s, notice in pages:
        by_slug = _ANY_POLICY_SLUG.search(path) is not None
        by_text = any(_ANY_POLICY_TEXT.match(h) for h in h1s) or bool(title and _ANY_POLICY_TEXT.match(title))
        if not by_slug and not by_text:
            continue
        for kind, (text_re, slug_re) in POLICY_KINDS.items():
            if kind == "terms" and notice:
                continue  # a legal notice names the publisher: it is no terms of sale
            if (by_slug and slug_re.search(path)) or (by_text and (any(text_re.match(h) for h in h1s)
                                                                    or (title and text_re.match(title)))):
                d = ctx.depth(url)
                key = (d if d is not None else 99, url)
                if kind not in best or key < best[kind]:
                    best[kind] = key
    for kind in POLICY_KINDS:
        if kind in best:
            found[kind] = best[kind][1]
    # 2. A privacy section inside a legal page: the "Datenschutz" part of an Impressum,
    # "Données personnelles" in mentions légales or in the terms. Only when no page of its
    # own was found; an article about data protection is no policy.
    if found["privacy"] is None:
        legal_pages = {u for u in (found["terms"],) if u}
        for p in ctx.pages:
            title = p.facts.title if p.facts else ""
            if p.facts and (LEGAL_NOTICE.search(title) or any(LEGAL_NOTICE.search(h) for h in p.facts.h1s)
                            or LEGAL_NOTICE.search(url_parts(p.url).path.replace("-", " "))):
                legal_pages.add(p.url)
        sections = sorted((ctx.depth(p.url) if ctx.depth(p.url) is not None else 99, p.url) for p in ctx.pages
                          if p.url in legal_pages and p.facts
                          and any(h.level >= 2 and short_label(h.text, 6) and PRIVACY_SECTION.search(h.text)
                                  for h in p.facts.headings))
        if sections:
            found["privacy"] = sections[0][1]
    # 2b. Terms stated in a section of another page: "Condiciones de reserva" on the price
    # page, "Voucher Terms" on the voucher page, "Condiciones de uso" inside an aviso legal.
    # A heading of its own (a short label, below the page's title) that names terms.
    if found["terms"] is None:
        sections = sorted((ctx.depth(p.url) if ctx.depth(p.url) is not None else 99, p.url) for p in ctx.pages
                          if p.facts and any(h.level >= 2 and short_label(h.text, 8) and TERMS_SECTION.search(h.text)
                                             for h in p.facts.headings))
        if sections:
            found["terms"] = sections[0][1]
    # 3. Links whose whole text names the policy (a slogan like "Privacy first" is not one).
    # Each text is read once a run (a footer's links recur on every page).
    kinds_named = cache(_kinds_named)
    for f in ctx.facts():
        for lk in f.links:
            text = lk.text.strip()
            if not text or len(text) > 60:
                continue
            for kind in kinds_named(text):
                broken = lk.dead is not None or (lk.url is not None and ctx.is_broken(lk.url))
                if broken:
                    dead.append((kind, Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{text}</a>'), text,
                                 ctx.link_cause(lk)))
                elif found[kind] is None and lk.url and lk.scheme == "http":
                    found[kind] = lk.url
    return found, dead


#: Scripts that record visitors (analytics, advertising pixels, session recording).
TRACKERS = ("googletagmanager.com", "google-analytics.com", "gtag/js", "connect.facebook.net", "fbevents.js",
            "hotjar.com", "clarity.ms", "doubleclick.net", "googleadservices.com", "analytics.tiktok.com",
            "snap.licdn.com", "matomo", "mc.yandex.ru")


def collects_personal_data(ctx: Context) -> str | None:
    """What on the site collects personal data (a form asking for contact details, a
    tracking script), or None: a privacy policy is owed to the people it collects from."""
    for f in ctx.facts():
        for _form, purpose in form_purposes(f):
            if purpose in ("contact", "booking", "feedback", "newsletter", "message", "login"):
                return f"a {purpose} form collects personal data"
        sources = " ".join(f.scripts).lower()
        for tracker in TRACKERS:
            if tracker in sources:
                return f"the {tracker} script records visitors"
    return None


def _absence_severity(kind: str, sales: Sales, collects: str | None) -> tuple[str, str]:
    """How much a missing policy matters here, and why: terms, refund, cancellation and
    shipping matter where the site sells online; privacy where it collects personal data."""
    if kind == "privacy":
        if collects or sales.online:
            return "warning", collects or sales.reason
        return "info", "the site collects no personal data that was seen (no form, no tracking script)"
    if sales.online:
        return "warning", sales.reason
    return "info", "the site sells nothing online that was seen (no cart, checkout, shop service or plan sign-up), so this matters less"


class PolicyPresence(Probe):
    id = "policies.found"
    touchpoint = "policies"
    title = "Privacy, terms and refund policies are published and linked"
    failure_title = "Policies a customer needs are missing"
    description = """
Before paying, customers check what happens to their data, what they agree to, and how they
get their money back. Found: a crawled page whose address, title or heading names the policy,
or a working link whose whole text does, in the languages of Europe and the Americas
("Privacy Policy", "Datenschutz", "Politique de confidentialité", "Política de Privacidade",
"Privacyverklaring", "Polityka prywatności", "Terms of Service", "AGB", "CGV", "Termos de
Uso", "Algemene voorwaarden", "Regulamin", "Obchodní podmínky", "Widerruf", "Reembolso"...);
for privacy, also a privacy section inside another page (the "Datenschutz" heading of an
Impressum, "Données personnelles" in mentions légales). A slogan such as "Privacy First,
Always" is not a policy, and a legal notice (Impressum, mentions légales, aviso legal, note
legali, colofon) names the publisher: it is no terms of sale, unless a section of it states
terms ("Condiciones de uso"); a terms section on any page counts ("Voucher Terms",
"Condiciones de reserva", "Allgemeine Geschäftsbedingungen").

Which policies are expected depends on the profile: general — privacy and terms; saas — plus
refund and cancellation; ecommerce — plus refund and shipping/returns; local and nonprofit —
privacy. Score = share of expected policies found. What the site does sets how much a missing
one matters: terms, refund, cancellation and shipping are a warning on a site that sells
online (a cart or checkout, a shop or payment service, subscription plans with a sign-up) and
an info note on one that does not; privacy is a warning where the site collects personal
data (a form asking for contact details, a tracking script), else an info note.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        found, dead = find_policies(ctx)
        expected = EXPECTED.get(ctx.profile, EXPECTED["general"])
        have = [k for k in expected if found[k]]
        sales = sells_online(ctx)
        collects = collects_personal_data(ctx)
        issues = []
        for k in expected:
            if not found[k]:
                severity, why = _absence_severity(k, sales, collects)
                name = POLICY_NAMES.get(k, f"{k} policy")
                # The policy's own link leads to a missing page: publishing that page is the
                # one fix, so this finding shares the broken link's root cause.
                missing: dict[str, Cause] = {}
                for kind, _ev, _text, c in dead:
                    if kind == k and c is not None and c.key.startswith("missing-page:"):
                        missing.setdefault(c.key, c)
                issues.append(issue(f"no-{k}-policy", f"No {name} {'are' if k == 'terms' else 'is'} published",
                                    f"No {name} page or link was found ({ctx.not_found_reason()}); {why}.",
                                    severity=severity, key=k, evidence=[Evidence(url=ctx.site.start_url)],
                                    cause=next(iter(missing.values())) if len(missing) == 1 else None))
        facts: dict[str, object] = dict(found)
        facts["dead_links"] = len({text.lower() for _kind, _ev, text, _cause in dead})
        return outcome(len(have) / len(expected), issues, facts)


#: The policies in the words of a customer ("terms" are the terms and conditions).
POLICY_NAMES = {"privacy": "privacy policy", "terms": "terms and conditions", "refund": "refund policy",
                "cancellation": "cancellation policy", "shipping": "shipping and returns policy"}


class PolicyLinks(Probe):
    id = "policies.dead_links"
    touchpoint = "policies"
    title = "Policy links lead to their policies"
    failure_title = "Policy links go nowhere"
    description = """
A footer link "Privacy" with href "#" looks like a policy but leaves the customer with
nothing. Checked: every link whose text names a policy and goes nowhere (#, #!, empty,
javascript:void(0)) or to a page that answers 4xx/5xx. The fact `policies.dead_links` counts
distinct link texts ("Privacy" dead on 30 pages is one). Score: 1.0 with none, else 0.3.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        _found, dead = find_policies(ctx)
        if not dead:
            return outcome(1.0)
        issues = [issue("dead-policy-link", f"{text} link goes nowhere",
                        f"The link {text!r} does not lead to a policy.", severity="error", key=text.lower(), evidence=[ev],
                        cause=cause)
                  for _kind, ev, text, cause in dead]
        return outcome(0.3, issues)


class PolicyReadability(Probe):
    id = "policies.readability"
    touchpoint = "policies"
    title = "Policy pages are readable"
    failure_title = "Policy pages are hard to read"
    description = """
A policy nobody can read surprises customers later. Checked offline (textstat) on the prose of
crawled policy pages, in each page's language with the formula made for it (as for
`clarity.readability`: English, German, Spanish, French, Italian, Dutch, Russian), at least 5
sentences and 80 words. Grade <= 12 -> 1.0, falling to 0.5 at grade 18 and beyond; a finding
above grade 14. Not checked (not applicable) without a crawled policy page in one of those
languages.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        from .clarity import page_language

        found, _dead = find_policies(ctx)
        grades = []
        for kind, url in sorted(found.items()):
            if url is None:
                continue
            p = ctx.site.page(url)
            if p is None or p.facts is None:
                continue
            r = measure(p.facts.text.get("main", "") or p.facts.all_text, page_language(p.facts),
                        min_sentences=5, min_words=80)
            if r is not None:
                grades.append((kind, url, r))
        if not grades:
            return Outcome.na("not checked: no crawled policy page with enough prose in a language "
                              "with a readability formula here")
        kind, url, worst = max(grades, key=lambda g: g[2].grade)
        grade = worst.grade
        score = 1.0 if grade <= 12 else max(0.5, 1.0 - (grade - 12) / 12)
        issues = []
        if grade > 14:
            issues.append(issue("policy-hard-to-read", "Policy page is hard to read",
                                f"The {kind} policy reads at about grade {grade:.0f} ({worst.formula}: {worst.value:.0f}); "
                                "aim for grade 12 or below.", key=kind, evidence=[Evidence(url=url)]))
        return outcome(score, issues, {"policy_grades": {k: round(r.grade, 1) for k, _u, r in grades}})


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(CommerceExtractor())


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (PolicyPresence, PolicyLinks, PolicyReadability):
        register(cls())


_ = textstat  # imported at load time so a broken install fails loudly, not mid-run
