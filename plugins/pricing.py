"""Pricing touchpoint: "What will it cost me?"."""

from __future__ import annotations

import re
from collections.abc import Callable

from cxprobe import Context, Evidence, Outcome, Probe, Touchpoint, hookimpl, issue, outcome, per_run

from ._common import (
    HIDDEN_PRICE_RE,
    PRICING_LINK_RE,
    PRICING_RE,
    PRICING_SLUG,
    dead_links,
    depth_score,
    find_purpose_page,
)
from ._lazyre import folded_search, folded_spans, lazy_compile
from .consistency import legal_pages
from .facts import Price
from .facts import prices as page_prices

TOUCHPOINT = Touchpoint(
    id="pricing", title="Pricing", question="What will it cost me?", weight=2,
    weights={"saas": 3, "ecommerce": 3, "local": 1.5, "nonprofit": 0.5},
    fact_defaults={"status": "none", "page": None, "depth": None, "prices": []},
)
HIDDEN_FEE_RE = lazy_compile(
    r"\b(plus\s+(?:applicable\s+)?(?:fees|taxes|tax|vat|shipping)|additional\s+fees|service\s+fees?\s+appl|"
    r"fees\s+may\s+apply|excl(?:\.|uding)\s+(?:vat|tax)|starting\s+at|starts\s+at|from\s+only|as\s+low\s+as|"
    r"terms\s+and\s+conditions\s+apply|t&cs\s+apply|conditions\s+apply)\b",
    re.I,
)


#: "Price on request" and asking for a quote, in the languages of Europe and the Americas.
PRICE_ON_REQUEST_RE = lazy_compile(
    r"\b(?:(?:get\s+in\s+touch|contact\s+us|call\s+us|ask\s+us|enquire|inquire)\s+for\s+(?:a\s+)?(?:quote|price|prices|pricing)|"
    r"prices?\s+(?:vary|on\s+(?:request|application)|upon\s+request)|"
    r"(?:prix|tarifs?)\s+sur\s+demande|sur\s+devis|devis\s+gratuit|demander\s+(?:un|votre)\s+devis|demande\s+de\s+devis|"
    r"preise?\s+auf\s+anfrage|angebot\s+(?:anfordern|einholen)|kostenvoranschlag|unverbindliches\s+angebot|"
    r"precios?\s+a\s+consultar|consultar\s+precio|solicit[ae]r?\s+(?:un\s+)?presupuesto|pide\s+(?:tu\s+)?presupuesto|"
    r"presupuesto\s+sin\s+compromiso|"
    r"prezz[io]\s+su\s+richiesta|richied[ie]\w*\s+(?:un\s+)?preventivo|preventivo\s+gratuito|"
    r"pre[çc]os?\s+sob\s+consulta|(?:solicite|pe[çc]a|solicitar)\s+(?:um\s+|seu\s+)?or[çc]amento|or[çc]amento\s+gr[áa]tis|"
    r"prijs\s+op\s+aanvraag|offerte\s+aanvragen|vrijblijvende\s+offerte|"
    r"cena\s+(?:na\s+zapytanie|do\s+uzgodnienia)|bezp[łl]atna\s+wycena|"
    r"cena\s+na\s+dotaz|cenov[áa]\s+nab[íi]dka)\b",
    re.I,
)
#: A bare word for a quote says nothing about prices ("une demande de consultation ou de devis").
_BARE_QUOTE_WORD = lazy_compile(r"^(?:devis|presupuesto)$", re.I)
#: Links that lead to buying something online: a shop named as such ("Shop", "Boutique en
#: ligne", "Tienda online"; a "Barber Shop" page is not one), or a cart or checkout.
SHOP_LINK_RE = lazy_compile(
    r"^\s*(?:(?:online[\s-]?|e-?|web)?shop|(?:online\s+)?store|boutique(?:\s+en\s+ligne)?|tienda(?:\s+online)?|"
    r"loja(?:\s+online|\s+virtual)?|negozio(?:\s+online)?|sklep(?:\s+internetowy)?|(?:web)?winkel|obchod|"
    r"e-?shop)\s*$"
    r"|\b(?:cart|basket|checkout|buy\s+now|order\s+online|add\s+to\s+cart|panier|acheter|warenkorb|zur\s+kasse|"
    r"jetzt\s+kaufen|carrito|comprar|carrello|acquista|carrinho|koszyk|kup\s+teraz|winkelwagen|ko[šs][íi]k)\b",
    re.I,
)


def hidden_price_cue(text: str) -> str | None:
    """The words that say prices are given only on request, or None."""
    # folded_*: the patterns' words are on few pages, found by a substring search.
    found = folded_search(PRICE_ON_REQUEST_RE, text)
    if found:
        return found
    for start, end in folded_spans(HIDDEN_PRICE_RE, text):
        if not _BARE_QUOTE_WORD.match(text[start:end]):
            return text[start:end]
    return None


def sells_online(ctx: Context) -> bool:
    """True when the site offers something to buy: what the ``commerce`` facts say
    (:func:`cxprobe_plugins.commerce.sells_online`: a cart, checkout, shop or payment
    service, a subscription plan), or a link named as a shop ("Shop", "Boutique en
    ligne"). Prices and "price on request" are judged apart."""
    from .commerce import sells_online as commerce_sells_online

    if commerce_sells_online(ctx).online:
        return True
    return any(SHOP_LINK_RE.search(lk.text) for f in ctx.facts() for lk in f.links if lk.text and not lk.dead)


@per_run
def offers(ctx: Context) -> tuple[tuple[str, Price], ...]:
    """Prices of things the site sells. Amounts on legal pages (a cancellation fee in the
    terms, the share capital in a legal notice) are the notice's, not offers. Once a run:
    four probes ask."""
    out = []
    legal = legal_pages(ctx)
    for f in ctx.facts():
        if f.url in legal:
            continue
        for p in page_prices(f):
            if p.kind == "offer" and not p.placeholder and p.currency:
                out.append((f.url, p))
    return tuple(out)


def pricing_status(ctx: Context) -> tuple[str, list[Evidence]]:
    """visible / hidden / none, with the evidence for it."""
    found = offers(ctx)
    if found:
        return "visible", [Evidence(url=u, selector=p.selector, snippet=p.text) for u, p in found[:5]]  # type: ignore[attr-defined]
    ev: list[Evidence] = []
    for f in ctx.facts():
        cue = hidden_price_cue(f.all_text)
        if cue:
            ev.append(Evidence(url=f.url, snippet=cue))
        for lk in f.links:
            if PRICING_LINK_RE.match(lk.text) and (lk.dead or (lk.url and ctx.is_broken(lk.url))):
                ev.append(Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>'))
    page = find_purpose_page(ctx, PRICING_LINK_RE, PRICING_SLUG)
    if page is not None:
        ev.append(page.evidence)
    placeholders = [(f.url, p) for f in ctx.facts() for p in page_prices(f) if p.placeholder]
    for u, p in placeholders[:3]:
        ev.append(Evidence(url=u, selector=p.selector, snippet=p.text))
    return ("hidden", ev) if ev else ("none", [])


class PricingVisible(Probe):
    id = "pricing.visible"
    touchpoint = "pricing"
    title = "Prices are shown"
    failure_title = "Prices are hidden or missing"
    description = """
Customers want to know what it costs before they talk to anybody. Status:
**visible** — a price with a currency for something the site sells (plans, products, tickets,
services; "$ 89.9 /Month", "1.99€ /month", "13,90 €", "R$ 49,90", "49,90 zł", "CHF 12.–"); a figure
in running prose ("we recovered $3 million", "R$ 180 milhões") and an amount on a legal page
(share capital, a cancellation fee in the terms) are not prices. **hidden** — pricing intent
without numbers: a "Pricing" link that goes nowhere, "contact sales", "request a quote",
"prix sur demande", "Preise auf Anfrage", "solicite um orçamento", "prezzi su richiesta",
placeholder prices ("£x.99", a currency sign with no amount). **none** — no pricing at all.

Score: visible 1.0, hidden 0.3, none 0.5. Not applicable with the nonprofit profile, and when
the site shows no price, no "price on request" and nothing to buy online (no shop, cart or
checkout link, no schema.org product): a portfolio, an association or a clinic that books by
phone has no price a customer misses.
Fix: publish at least starting prices, with the currency and billing period.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        status, ev = pricing_status(ctx)
        found = offers(ctx)
        prices = sorted(
            ({"amount": p.amount, "currency": p.currency, "period": p.period, "url": u}  # type: ignore[attr-defined]
             for u, p in found),
            key=lambda d: (d["url"], d["currency"] or "", d["amount"] or 0, d["period"] or ""))
        # Each price once, in order (a dict, not list membership: linear).
        uniq = list({(d["url"], d["currency"], d["amount"], d["period"]): d for d in prices}.values())
        facts = {"status": status, "prices": uniq[:100]}
        issues = []
        if status == "hidden":
            issues.append(issue("pricing-hidden", "Prices are hidden behind a conversation",
                                "The site talks about pricing (or sells) but shows no price with a currency: "
                                "customers must contact you to learn what it costs.", severity="warning", evidence=ev))
        if status == "none":
            if ctx.profile == "nonprofit":
                return Outcome.na("nonprofit profile: no pricing is expected", facts)
            # A clinic that books by phone, a portfolio, an association: no price shown, no
            # price asked about, nothing to buy — there is no price a customer misses.
            if ctx.profile not in ("saas", "ecommerce") and not sells_online(ctx):
                return Outcome.na("the site shows no prices, no \"price on request\" and nothing to buy online", facts)
            issues.append(issue("pricing-none", "No prices are shown",
                                f"No price was found ({ctx.not_found_reason()}). If you sell something, say what it costs.",
                                severity="info", evidence=[Evidence(url=ctx.site.start_url)]))
        score = {"visible": 1.0, "hidden": 0.3, "none": 0.5}[status]
        return outcome(score, issues, facts)


class PricingPage(Probe):
    id = "pricing.page"
    touchpoint = "pricing"
    title = "Pricing is within easy reach of the home page"
    failure_title = "Pricing is hard to reach"
    description = """
A pricing page (address, title, heading or the link to it says "pricing", "plans", "tarifs",
"Preise", "precios"...) or else the shallowest page that shows prices. Scored by clicks from
the start page like the contact page: 0-1 -> 1.0, 2 -> 0.9, 3 -> 0.6, 4+ -> 0.3. A "Pricing"
link that goes nowhere (#, empty href) is reported. Not applicable when there is no pricing.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        issues = []
        for f, lk in dead_links(ctx, PRICING_LINK_RE, full=False):
            issues.append(issue("dead-pricing-link", "Pricing link goes nowhere",
                                f"The link {lk.text!r} has href {lk.href!r}.", severity="error", key=lk.text.lower(),
                                cause=ctx.link_cause(lk),
                                evidence=[Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>')]))
        hit = find_purpose_page(ctx, PRICING_LINK_RE, PRICING_SLUG)
        found = offers(ctx)
        shallowest = None
        for u, _p in found:
            d = ctx.depth(u)
            if d is not None and (shallowest is None or (d, u) < shallowest):
                shallowest = (d, u)
        page, depth = (hit.url, hit.depth) if hit else (None, None)
        if shallowest is not None and (depth is None or shallowest[0] < depth) and (hit is None or not PRICING_RE.search(hit.url)):
            if hit is None:
                depth, page = shallowest
        if page is None and shallowest is not None:
            depth, page = shallowest
        facts = {"page": page, "depth": depth}
        if page is None:
            if issues:
                return outcome(0.0, issues, facts)
            return Outcome.na("no pricing page and no prices", facts)
        if depth is not None and depth >= 2:
            issues.append(issue("pricing-deep", "Pricing is several clicks deep",
                                f"Prices are first shown {depth} clicks from the start page, at {page}.",
                                key=str(depth), evidence=[Evidence(url=page)]))
        score = depth_score(depth)
        if issues and any(i.kind == "dead-pricing-link" for i in issues):
            score = min(score, 0.7)
        return outcome(score, issues, facts)


class PricingClarity(Probe):
    id = "pricing.clarity"
    touchpoint = "pricing"
    title = "Prices say what they cover, without placeholder or fine-print surprises"
    failure_title = "Prices are unclear: placeholders, hidden fees or no billing period"
    description = """
Shown prices should not surprise: a plan or subscription says its billing period ("/month",
"per year", "par mois", "pro Monat", "al mes", "por mês"), there is no "plus fees" or "starting
at" small print without the full price, and no template placeholder ("£x.99") is left on the
page. A billing period is asked only of plan and subscription prices (a period shown, or a
plan, subscription, membership or "abonnement" named in the price's block, heading or card):
a dish, a product, a delivery fee, a night's stay or a one-off service has none.

Score: 1.0, minus 0.5 for placeholders, 0.2 for hidden-fee language, 0.2 when plan prices
have no billing period. Not applicable when no price is shown.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        issues = []
        score = 1.0
        placeholders = [(f, p) for f in ctx.facts() for p in page_prices(f) if p.placeholder]
        found = offers(ctx)
        if not placeholders and not found:
            return Outcome.na("no prices shown")
        if placeholders:
            score -= 0.5
            issues.append(issue("placeholder-price", "Price is a template placeholder",
                                "A price such as '£x.99', or a currency sign with no amount, is template copy: "
                                "the customer sees no real price.",
                                severity="error", evidence=[Evidence(url=f.url, selector=p.selector, snippet=p.text) for f, p in placeholders]))
        fee = []
        legal = legal_pages(ctx)
        for f in ctx.facts():
            if f.url in legal or not any(p.kind == "offer" for p in page_prices(f)):
                continue
            words = folded_search(HIDDEN_FEE_RE, f.all_text)
            if words:
                fee.append(Evidence(url=f.url, snippet=words))
        if fee:
            score -= 0.2
            issues.append(issue("hidden-fee-language", "Prices come with fine print",
                                "Words such as 'plus fees' or 'starting at' next to prices warn of a different final price.",
                                evidence=fee))
        # A billing period is owed only by plans and subscriptions: a dish, a product, a
        # delivery fee, a night's stay or a one-off service has none.
        plans = [(u, p) for u, p in found if p.plan]
        if len(plans) >= 2 and not any(p.period for _u, p in plans):
            score -= 0.2
            issues.append(issue("no-billing-period", "Prices do not say what period they cover",
                                "Plan prices show no billing period (per month, per year, one-time).",
                                severity="info", evidence=[Evidence(url=u, snippet=p.text) for u, p in plans[:5]]))
        return outcome(score, issues)


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (PricingVisible, PricingPage, PricingClarity):
        register(cls())
