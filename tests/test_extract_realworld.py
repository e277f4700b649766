"""Extraction cases seen on real sites outside the corpus (German, French, template leftovers)."""

from __future__ import annotations

from tests.factsview import extract_facts


def facts(body: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return extract_facts("https://site.test/", {}, f'<html lang="{lang}"><body>{body}</body></html>'.encode())


def test_numbers_written_in_pairs_are_found() -> None:
    f = facts("<p><strong>06 28 04 64 27</strong></p>", lang="fr")
    assert [(p.shown, p.e164) for p in f.phones] == [("06 28 04 64 27", "+33628046427")]


def test_text_language_picks_the_phone_region_when_lang_is_wrong() -> None:
    text = "Nous sommes un petit café de quartier et nous vous accueillons avec plaisir pour le déjeuner. " * 5
    f = facts(f"<p>{text}</p><p>Téléphone : 07 68 31 33 24</p>", lang="en")
    assert f.text_lang == "fr"
    assert [p.e164 for p in f.phones] == ["+33768313324"]


def test_postcode_after_a_line_break_is_not_a_phone_number() -> None:
    f = facts("<p>Liethberg 17<br>24576 Bad Bramstedt</p>", lang="de")
    assert f.phones == ()
    assert f.addresses == ("Liethberg 17, 24576 Bad Bramstedt",)


def test_identifiers_are_not_phone_numbers() -> None:
    for body in ("<p>IBAN: DE44 2666 0060 1132 855000</p>", "<p>Loi n°2004-575 du 21 juin 2004</p>",
                 "<p>Order #123-456-7890 shipped</p>", "<p>HRB 123456 Amtsgericht Kiel</p>",
                 "<p>Merge 7237e0f6a88a36165bb661f14ab484571641d70f</p>"):
        assert facts(body, lang="de").phones == (), body


def test_french_street_with_lower_case_name() -> None:
    f = facts("<p>4 rue du lycée</p><p>53000 Laval</p>", lang="fr")
    assert "4 rue du lycée, 53000 Laval" in f.addresses


def test_prose_is_not_an_address() -> None:
    assert facts("<p>Follow 3 easy steps to the right place for you.</p>").addresses == ()


def test_hidden_elements_are_not_visible_text_or_hero_cta() -> None:
    f = facts('<section><h1>Sign up today</h1><p>Get our weekly tips on saving money at home.</p>'
              '<div class="d-none" id="submitSuccessMessage"><a href="https://forms.test/contact-forms">https://forms.test/contact-forms</a></div>'
              '<div class="invalid-feedback">Email is not valid.</div><button class="btn">Sign Up</button></section>'
              '<div class="d-none d-md-block">Desktop banner</div>')
    assert "Email is not valid" not in f.all_text and "Desktop banner" in f.all_text
    assert [t for t, _h in f.hero_ctas] == ["Sign Up"]
    assert "forms.test" not in f.hero_text


def test_third_party_numbers_on_legal_pages_are_labelled() -> None:
    f = facts("<p>Zuständige Aufsichtsbehörde: Unabhängiges Landeszentrum, Telefon: 0431 988-1200</p>", lang="de")
    assert [p.label for p in f.phones] == ["third-party"]


def test_four_digit_prices_without_separator_and_pm_period() -> None:
    f = facts("<h4>$2000 PM</h4><p>Plan $1500/month</p><p>$1,500</p>")
    assert [(p.amount, p.period) for p in f.prices] == [(2000.0, "month"), (1500.0, "month"), (1500.0, None)]


def test_unit_numbers_and_lower_case_street_names_are_addresses() -> None:
    assert facts("<div>unit 17/4 station Street,<br>Fairfield</div>").addresses
    assert facts("<p>12 station Road</p>").addresses


def test_click_to_message_links_are_phone_numbers() -> None:
    f = facts('<a class="btn" href="https://wa.me/919980955236?text=Hi">Instant Table Booking via WhatsApp</a>'
              '<a href="sms:+15551234567">Text us</a>')
    assert [(p.e164, p.source) for p in f.phones] == [("+919980955236", "whatsapp"), ("+15551234567", "sms")]


def test_icon_of_any_family_next_to_the_number_and_office_labels_after_it() -> None:
    f = facts('<div class="address-block"><div class="icon"><i class="ti-mobile"></i></div>'
              '<div class="details"><h3>(00) 789 456 7890 (USA)</h3><h3>(88) 016 725 0455 (UK)</h3></div></div>'
              '<ul class="mobile-menu"><li>Since 2021-2024, 1234567 riders</li></ul>')
    assert [(p.shown, p.label) for p in f.phones] == [("(00) 789 456 7890", "office:usa"), ("(88) 016 725 0455", "office:uk")]


def test_house_number_with_a_period_and_typographic_apostrophe() -> None:
    assert facts("<h3>36. St Michael’s St, Oxford OX1, UK</h3>").addresses == ("36. St Michael’s St, Oxford OX1, UK",)


def test_discounts_are_not_prices() -> None:
    f = facts('<p class="discount">Save $100 a year</p><p>$5 off your first order</p><p class="price">$12 / month</p>')
    assert [(p.text, p.kind) for p in f.prices] == [("$100", "prose"), ("$5", "prose"), ("$12", "offer")]


def test_anchor_without_href_is_a_dead_link_but_named_anchors_and_controls_are_not() -> None:
    f = facts('<footer><a class="footer-link">Privacy Policy</a><a name="top"></a><a onclick="openMenu()">Menu</a>'
              '<a role="button">Open</a><p>Design by <a href="https://w3layouts.com">W3layouts</a><a>&amp; Alessio</a></p>'
              '<ul><li><a href="/">Home</a></li><li><a>News</a></li></ul><a class="page current">Tickets</a>'
              '<h2><a id="operable">Operable</a></h2></footer>')
    # text to a customer (browsers style only links with an href): a bare <a> in running text
    # (a credit's second half), the current page in a menu, a named anchor
    assert [(lk.text, lk.dead) for lk in f.links] == [("Privacy Policy", "nohref"), ("W3layouts", None), ("Home", None)]
    # a bare <a> in a list of links still reads as a link
    f = facts("<footer><a>Terms and Conditions</a> | <a>Privacy Policy</a></footer>")
    assert [(lk.text, lk.dead) for lk in f.links] == [("Terms and Conditions", "nohref"), ("Privacy Policy", "nohref")]
