"""Whether a site sells online: the fact several touchpoints need to weigh an absence.

A missing refund policy, FAQ or terms of sale matters on a shop and hardly on a law firm's
site whose customers call first. :class:`CommerceExtractor` reads, on each page, what only
a site that takes orders or payments shows: add-to-cart, cart and checkout controls (in the
languages of Europe and the Americas), links to a cart or checkout, and the scripts of shop
and payment services; also schema.org Offers and plan sign-up buttons, which count only
with a way to pay. :func:`sells_online` adds the pages up, with subscription plans (offer
prices billed per week, month or year, from the ``prices`` facts, beside a sign-up
button). An order placed on a third party's platform (a delivery app, Booking.com) is that
platform's sale, under its terms: it does not make the site a shop.

Other plugins read it with ``from cxprobe_plugins.commerce import sells_online`` or the
``commerce`` facts of each page (``f.fact("commerce")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cxprobe import Context, Document, Evidence, Extractor

from .words import SHOP_CONTROL, SHOP_PATH, SHOP_SERVICES, SIGNUP_CONTROL


@dataclass(frozen=True)
class Commerce:
    """The ``commerce`` facts of one page: signs that the site sells on it."""

    #: What was seen, each a short label: "cart control", "checkout link", "shop service
    #: <host>" (each a way to buy here), "product offer" (schema.org markup: a price, not yet
    #: a way to pay) and "signup control" (a plan's sign-up button).
    signals: tuple[str, ...] = ()
    #: The text or address that shows it, one per signal.
    snippets: tuple[str, ...] = ()


def _offer_with_price(node: dict[str, object]) -> bool:
    offers = node.get("offers")
    candidates = offers if isinstance(offers, list) else [offers]
    return any(isinstance(o, dict) and (o.get("price") is not None or o.get("lowPrice") is not None) for o in candidates)


class CommerceExtractor(Extractor):
    """``commerce``: add-to-cart and checkout controls, cart links, product offers and shop
    or payment services on a page."""

    name = "commerce"
    description = "signs that the site sells online: cart and checkout controls, product offers, shop scripts"

    def extract(self, doc: Document) -> Commerce:
        signals: list[str] = []
        snippets: list[str] = []

        def add(signal: str, snippet: str) -> None:
            if signal not in signals:
                signals.append(signal)
                snippets.append(snippet[:120])

        origin = urlsplit(doc.url).netloc
        for lk in doc.facts.links:
            doc.tick()
            if lk.dead:
                continue
            same_site = lk.url is not None and urlsplit(lk.url).netloc == origin
            # An order placed on another site (a delivery app, a marketplace) is that
            # site's sale, under its terms.
            if same_site and lk.text and len(lk.text) <= 40 and SHOP_CONTROL.search(lk.text):
                add("cart control", lk.text)
            if lk.url and urlsplit(lk.url).netloc == origin and SHOP_PATH.search(urlsplit(lk.url).path + "?" +
                                                                              urlsplit(lk.url).query):
                add("checkout link", lk.href)
            if same_site and lk.text and len(lk.text) <= 40 and SIGNUP_CONTROL.search(lk.text):
                add("signup control", lk.text)
        for tag in (*doc.tags("button"), *doc.tags("input")):
            doc.tick()
            if tag.name == "input" and str(tag.get("type") or "").lower() not in ("submit", "button"):
                continue
            text = doc.text(tag, 41) if tag.name == "button" else str(tag.get("value") or "")
            if not text or len(text) > 40 or doc.is_hidden(tag):
                continue
            if SHOP_CONTROL.search(text):
                add("cart control", text)
            elif SIGNUP_CONTROL.search(text):
                add("signup control", text)
        for form in doc.facts.forms:
            doc.tick()
            action = form.action or ""
            if action and SHOP_PATH.search(urlsplit(action).path + "?" + urlsplit(action).query):
                add("checkout link", action)
        for node in doc.json_ld:
            doc.tick()
            t = node.get("@type")
            types = t if isinstance(t, list) else [t]
            if any(x in ("Product", "ProductGroup", "Offer") for x in types) and (
                    "Offer" in types and node.get("price") is not None or _offer_with_price(node)):
                add("product offer", str(node.get("name") or "schema.org Product")[:80])
        sources = " ".join((*doc.facts.scripts, *doc.facts.iframes)).lower()
        for service in SHOP_SERVICES:
            if service in sources:
                add(f"shop service {service}", service)
        return Commerce(signals=tuple(signals), snippets=tuple(snippets))


@dataclass(frozen=True)
class Sales:
    """Whether a site sells online, and what shows it."""

    online: bool
    #: The pages and snippets that show it (at most five).
    evidence: tuple[Evidence, ...] = ()

    @property
    def reason(self) -> str:
        """One line saying why: the first sign seen, or that none was."""
        if not self.online:
            return "no cart, checkout, shop service or plan sign-up was found"
        return f"it sells online ({self.evidence[0].snippet})" if self.evidence else "it sells online"


def sells_online(ctx: Context) -> Sales:
    """Whether the audited site sells online: a cart or checkout control or link, a shop or
    payment service, or a subscription plan (an offer price billed per week, month or year
    on a page with a sign-up button). Product offer markup is evidence beside these, never
    enough alone."""
    from .facts import prices

    ev: list[Evidence] = []
    offers: list[Evidence] = []
    for f in ctx.facts():
        commerce: Commerce = f.fact("commerce")
        for signal, snippet in zip(commerce.signals, commerce.snippets, strict=False):
            if signal == "product offer":
                # Offer markup states a price (search engines read it on any price list);
                # a way to pay must be there too.
                offers.append(Evidence(url=f.url, snippet=f"{signal}: {snippet}"))
            elif signal != "signup control":
                ev.append(Evidence(url=f.url, snippet=f"{signal}: {snippet}"))
        if "signup control" in commerce.signals:
            # A plan billed per month or year with its sign-up button: a subscription sold
            # here. A monthly fee on a price list with no way to sign up is not.
            for p in prices(f):
                if p.kind == "offer" and not p.placeholder and p.period in ("week", "month", "year"):
                    ev.append(Evidence(url=f.url, selector=p.selector, snippet=f"subscription plan: {p.text}"))
                    break
        if len(ev) >= 5:
            break
    return Sales(online=bool(ev), evidence=tuple((ev + offers)[:5]) if ev else ())
