"""Pricing probes on hand-built sites."""

from __future__ import annotations

from cxprobe_plugins.pricing import PricingClarity, PricingPage, PricingVisible

from cxprobe.testing import build_site, html_page, run_probe


def test_currency_before_with_space_and_month_period() -> None:
    html = html_page('<h1>Plans</h1><div class="plan"><h3>Basic</h3><div class="price">$ 89.9 <small>/Month</small></div></div>')
    out = run_probe(PricingVisible(), build_site({"/": html}))
    assert out.facts["status"] == "visible"
    assert out.facts["prices"] == [{"amount": 89.9, "currency": "USD", "period": "month", "url": "https://shop.example/"}]


def test_currency_after_amount_euro() -> None:
    html = html_page('<h1>Plans</h1><p class="price">1.99€ <span>/month</span></p><p class="price">17.88€ /year</p>')
    out = run_probe(PricingVisible(), build_site({"/": html}))
    assert [(p["amount"], p["currency"], p["period"]) for p in out.facts["prices"]] == [(1.99, "EUR", "month"), (17.88, "EUR", "year")]


def test_per_user_and_words_period() -> None:
    html = html_page('<h1>Plans</h1><div><span>€12</span> per user per month</div>')
    out = run_probe(PricingVisible(), build_site({"/": html}))
    assert out.facts["prices"][0]["period"] == "month"


def test_figure_in_prose_is_not_a_price() -> None:
    html = html_page("<h1>Results</h1><p>Last year our customers recovered $3 million in unpaid invoices thanks to smarter reminders and follow ups that work.</p>")
    out = run_probe(PricingVisible(), build_site({"/": html}))
    assert out.facts["status"] == "none" and out.facts["prices"] == []


def test_placeholder_price_is_hidden_and_a_finding() -> None:
    html = html_page('<h1>Main Hero Message</h1><div class="plan"><h3>Pro</h3><span>£x.99</span></div>')
    site = build_site({"/": html})
    assert run_probe(PricingVisible(), site).facts["status"] == "hidden"
    clarity = run_probe(PricingClarity(), site)
    assert any(i.kind == "placeholder-price" for i in clarity.issues)
    assert clarity.score is not None and clarity.score <= 0.5


def test_pricing_link_going_nowhere_and_schedule_a_call_is_hidden() -> None:
    html = html_page('<nav><a href="">Pricing</a></nav><h1>Finance made simple</h1><a class="btn" href="/call">Schedule a call</a>')
    site = build_site({"/": html})
    out = run_probe(PricingVisible(), site)
    assert out.facts["status"] == "hidden" and out.score == 0.3
    page_out = run_probe(PricingPage(), site)
    assert any(i.kind == "dead-pricing-link" for i in page_out.issues)


def test_contact_sales_only_is_hidden() -> None:
    html = html_page("<h1>Enterprise</h1><p>Contact sales for a custom quote.</p>")
    assert run_probe(PricingVisible(), build_site({"/": html})).facts["status"] == "hidden"


def test_no_pricing_is_none_and_not_a_failure_for_nonprofits() -> None:
    site = build_site({"/": html_page("<h1>Save the rivers</h1><p>We clean rivers.</p>")})
    assert run_probe(PricingVisible(), site).facts["status"] == "none"
    na = run_probe(PricingVisible(), site, profile="nonprofit")
    assert na.score is None and na.not_applicable


def test_pricing_page_by_slug_and_depth() -> None:
    site = build_site({
        "/": html_page('<nav><a href="/tarifs/">Tarifs</a></nav><h1>Bienvenue</h1>', lang="fr"),
        "/tarifs/": html_page('<h1>Nos tarifs</h1><p class="prix">29 € par mois</p>', lang="fr"),
    })
    out = run_probe(PricingPage(), site)
    assert out.facts == {"page": "https://shop.example/tarifs/", "depth": 1}
    assert run_probe(PricingVisible(), site).facts["prices"][0]["period"] == "month"


def test_hidden_fee_language_and_missing_period() -> None:
    html = html_page('<h1>Shop</h1><div><span class="p">$14</span></div><div><span class="p">$25</span></div><p>Prices plus fees and taxes.</p>')
    out = run_probe(PricingClarity(), build_site({"/": html}))
    kinds = {i.kind for i in out.issues}
    # Shop products owe no billing period; plans do.
    assert kinds == {"hidden-fee-language"}
    plans = html_page('<h1>Pricing</h1><div class="plan-card"><h3>Basic</h3><span class="p">$14</span></div>'
                 '<div class="plan-card"><h3>Pro</h3><span class="p">$25</span></div>')
    assert {i.kind for i in run_probe(PricingClarity(), build_site({"/": plans})).issues} == {"no-billing-period"}


def test_no_billing_period_is_asked_of_dishes_products_fees_and_one_off_services() -> None:
    menu = html_page('<h2>La carte</h2><ul class="menu"><li>Burger classique 13,90 €</li><li>Frites 4 €</li></ul>'
                '<p>Livraison offerte dès 50 €</p>', lang="fr")
    shop = html_page('<h2>Produkte</h2><div class="product"><h3>Tasse</h3><p class="price">12,99 €</p></div>'
                '<div class="product"><h3>Teller</h3><p class="price">1.234,56 €</p></div>', lang="de")
    rooms = html_page('<h2>Tarifas</h2><p>Habitación doble 210 €/noche</p><p>Suite 300 € por noche</p>', lang="es")
    session = html_page('<h2>Treatments</h2><p>Massage 60 min £55</p><p>First session £30</p>')
    for html in (menu, shop, rooms, session):
        out = run_probe(PricingClarity(), build_site({"/": html}))
        assert "no-billing-period" not in {i.kind for i in out.issues}


def test_subscription_words_in_several_languages_ask_for_a_period() -> None:
    html = html_page('<h2>Nos abonnements</h2><div><h3>Essentiel</h3><p>29 €</p></div><div><h3>Premium</h3><p>49 €</p></div>', lang="fr")
    assert "no-billing-period" in {i.kind for i in run_probe(PricingClarity(), build_site({"/": html})).issues}
    monthly = html_page('<h2>Planos</h2><p>Básico R$ 49,90 por mês</p><p>Pro R$ 99,90 por mês</p>', lang="pt")
    out = run_probe(PricingVisible(), build_site({"/": monthly}))
    assert [(p["amount"], p["currency"], p["period"]) for p in out.facts["prices"]] == [(49.9, "BRL", "month"), (99.9, "BRL", "month")]


def test_local_currency_formats() -> None:
    html = html_page('<p class="price">49,90 zł</p><p class="price">CHF 12.–</p><p class="price">12 Kč</p><p class="price">$20 an hour</p>')
    out = run_probe(PricingVisible(), build_site({"/": html}))
    assert sorted((p["currency"], p["amount"], p["period"]) for p in out.facts["prices"]) == [
        ("CHF", 12.0, None), ("CZK", 12.0, None), ("PLN", 49.9, None), ("USD", 20.0, "hour")]


def test_amounts_on_legal_pages_and_in_news_prose_are_not_offers() -> None:
    site = build_site({
        "/": html_page('<h1>Cabinet</h1><a href="/mentions-legales.html">Mentions légales</a><a href="/artigo.html">Artigo</a>', lang="fr"),
        "/mentions-legales.html": html_page("<h1>Mentions légales</h1><p>SAS au capital de 34 000 €</p>"
                                       "<p>Frais d'annulation de 50 € en cas de retard.</p>", lang="fr"),
        "/artigo.html": html_page("<h1>Artigo</h1><p>O jogador pode cobrar R$ 180 milhões do clube.</p>", lang="pt"),
    })
    assert run_probe(PricingVisible(), site).facts["status"] != "visible"


def test_an_empty_price_slot_is_a_placeholder_price() -> None:
    html = html_page('<div class="card"><h3>Basic</h3><h1 class="pricing-card-title placeholder-glow">$<span class="placeholder col-4"></span></h1>'
                '<a href="#quote">Get Quote</a></div><div class="currency"><a href="?c=eur">€</a></div>')
    out = run_probe(PricingVisible(), build_site({"/": html}))
    assert out.facts["status"] == "hidden"


def test_a_site_that_sells_nothing_is_not_asked_for_prices() -> None:
    clinic = build_site({"/": html_page("<h1>Ambulance</h1><p>Objednání telefonicky: +420 354 438 003</p>", lang="cs")})
    assert run_probe(PricingVisible(), clinic).not_applicable
    barber = build_site({"/": html_page('<h1>Stadt Barber</h1><nav><a href="/shop.html">Barber Shop</a></nav>', lang="de"),
                         "/shop.html": html_page("<h1>Unser Barber Shop</h1>", lang="de")})
    assert run_probe(PricingVisible(), barber).not_applicable
    shop = build_site({"/": html_page('<h1>Atelier</h1><nav><a href="/boutique">Boutique</a> <a href="/panier">Panier</a></nav>', lang="fr")})
    assert any(i.kind == "pricing-none" for i in run_probe(PricingVisible(), shop).issues)
    quote = build_site({"/": html_page("<h1>Massage</h1><p>Prices vary by treatment. Please get in touch for a quote.</p>")})
    assert run_probe(PricingVisible(), quote).facts["status"] == "hidden"
