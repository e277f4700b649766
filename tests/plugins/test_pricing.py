"""Pricing probes on hand-built sites."""

from __future__ import annotations

from cxprobe_plugins.pricing import PricingClarity, PricingPage, PricingVisible

from tests.plugins.sitebuilder import build_site, page, run


def test_currency_before_with_space_and_month_period() -> None:
    html = page('<h1>Plans</h1><div class="plan"><h3>Basic</h3><div class="price">$ 89.9 <small>/Month</small></div></div>')
    out = run(PricingVisible(), build_site({"/": html}))
    assert out.facts["status"] == "visible"
    assert out.facts["prices"] == [{"amount": 89.9, "currency": "USD", "period": "month", "url": "https://shop.example/"}]


def test_currency_after_amount_euro() -> None:
    html = page('<h1>Plans</h1><p class="price">1.99€ <span>/month</span></p><p class="price">17.88€ /year</p>')
    out = run(PricingVisible(), build_site({"/": html}))
    assert [(p["amount"], p["currency"], p["period"]) for p in out.facts["prices"]] == [(1.99, "EUR", "month"), (17.88, "EUR", "year")]


def test_per_user_and_words_period() -> None:
    html = page('<h1>Plans</h1><div><span>€12</span> per user per month</div>')
    out = run(PricingVisible(), build_site({"/": html}))
    assert out.facts["prices"][0]["period"] == "month"


def test_figure_in_prose_is_not_a_price() -> None:
    html = page("<h1>Results</h1><p>Last year our customers recovered $3 million in unpaid invoices thanks to smarter reminders and follow ups that work.</p>")
    out = run(PricingVisible(), build_site({"/": html}))
    assert out.facts["status"] == "none" and out.facts["prices"] == []


def test_placeholder_price_is_hidden_and_a_finding() -> None:
    html = page('<h1>Main Hero Message</h1><div class="plan"><h3>Pro</h3><span>£x.99</span></div>')
    site = build_site({"/": html})
    assert run(PricingVisible(), site).facts["status"] == "hidden"
    clarity = run(PricingClarity(), site)
    assert any(i.kind == "placeholder-price" for i in clarity.issues)
    assert clarity.score is not None and clarity.score <= 0.5


def test_pricing_link_going_nowhere_and_schedule_a_call_is_hidden() -> None:
    html = page('<nav><a href="">Pricing</a></nav><h1>Finance made simple</h1><a class="btn" href="/call">Schedule a call</a>')
    site = build_site({"/": html})
    out = run(PricingVisible(), site)
    assert out.facts["status"] == "hidden" and out.score == 0.3
    page_out = run(PricingPage(), site)
    assert any(i.kind == "dead-pricing-link" for i in page_out.issues)


def test_contact_sales_only_is_hidden() -> None:
    html = page("<h1>Enterprise</h1><p>Contact sales for a custom quote.</p>")
    assert run(PricingVisible(), build_site({"/": html})).facts["status"] == "hidden"


def test_no_pricing_is_none_and_not_a_failure_for_nonprofits() -> None:
    site = build_site({"/": page("<h1>Save the rivers</h1><p>We clean rivers.</p>")})
    assert run(PricingVisible(), site).facts["status"] == "none"
    na = run(PricingVisible(), site, profile="nonprofit")
    assert na.score is None and na.not_applicable


def test_pricing_page_by_slug_and_depth() -> None:
    site = build_site({
        "/": page('<nav><a href="/tarifs/">Tarifs</a></nav><h1>Bienvenue</h1>', lang="fr"),
        "/tarifs/": page('<h1>Nos tarifs</h1><p class="prix">29 € par mois</p>', lang="fr"),
    })
    out = run(PricingPage(), site)
    assert out.facts == {"page": "https://shop.example/tarifs/", "depth": 1}
    assert run(PricingVisible(), site).facts["prices"][0]["period"] == "month"


def test_hidden_fee_language_and_missing_period() -> None:
    html = page('<h1>Shop</h1><div><span class="p">$14</span></div><div><span class="p">$25</span></div><p>Prices plus fees and taxes.</p>')
    out = run(PricingClarity(), build_site({"/": html}))
    kinds = {i.kind for i in out.issues}
    assert kinds == {"hidden-fee-language", "no-billing-period"}
