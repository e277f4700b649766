"""Contact probes on hand-built sites (no network, no browser)."""

from __future__ import annotations

from cxprobe_plugins.contact import (
    ContactAgreement,
    ContactEverywhere,
    ContactHours,
    ContactMethods,
    ContactPage,
)
from cxprobe_plugins.facts import contact_details

from cxprobe.testing import build_site, html_page, run_probe

NAV = '<header><nav><a href="/">Home</a> <a href="/contact.html">Contact</a></nav></header>'


def test_contact_page_one_click_from_home() -> None:
    site = build_site({"/": html_page(NAV + "<h1>Acme</h1>"), "/contact.html": html_page(NAV + "<h1>Contact</h1><p>hello@acme.test</p>")})
    out = run_probe(ContactPage(), site)
    assert out.score == 1.0
    assert out.facts == {"page": "https://shop.example/contact.html", "depth": 1}


def test_contact_depth_curve_three_clicks() -> None:
    site = build_site({
        "/": html_page('<a href="/a">About</a>'), "/a": html_page('<a href="/b">Team</a>'), "/b": html_page('<a href="/kontakt">Schreiben Sie uns</a>'),
        "/kontakt": html_page("<h1>Kontakt</h1>", lang="de"),
    })
    out = run_probe(ContactPage(), site)
    assert out.facts["depth"] == 3
    assert out.score == 0.6
    assert any(i.kind == "contact-deep" for i in out.issues)


def test_dead_contact_link_never_counts_and_is_reported() -> None:
    site = build_site({"/": html_page('<nav><a href="#">Contact</a> <a href="javascript:void(0)">Contact us</a></nav><h1>Acme</h1>')})
    out = run_probe(ContactPage(), site)
    assert out.facts["page"] is None and out.score == 0.0
    kinds = [i.kind for i in out.issues]
    assert kinds.count("dead-contact-link") == 2 and "no-contact-page" in kinds


def test_one_page_site_contact_section_is_depth_zero() -> None:
    site = build_site({"/": html_page('<nav><a href="#contact">Contact</a></nav><h1>Acme</h1><section id="contact"><p>Write to us.</p></section>')})
    out = run_probe(ContactPage(), site)
    assert out.facts == {"page": "https://shop.example/#contact", "depth": 0}


def test_fictional_555_number_with_cue_is_read_but_is_a_placeholder_not_a_method() -> None:
    site = build_site({"/": html_page("<h1>Acme</h1><p>Call us during business hours at (555) 892-9403.</p>")})
    assert [p.shown for p in contact_details(site.pages[0].facts).phones] == ["(555) 892-9403"]  # type: ignore[arg-type]
    out = run_probe(ContactMethods(), site)
    assert out.facts["methods"] == [] and out.facts["phones"] == []
    assert sorted(i.kind for i in out.issues if i.severity == "error") == ["no-contact-method", "placeholder-contact"]


def test_real_number_next_to_phone_icon_counts_a_malformed_template_number_does_not() -> None:
    real = build_site({"/": html_page('<h1>Acme</h1><div><i class="fa fa-phone"></i> <span>+1 (317) 585-8468</span></div>')})
    assert run_probe(ContactMethods(), real).facts["methods"] == ["phone"]
    fake = build_site({"/": html_page('<h1>Acme</h1><div><i class="fa fa-phone"></i> <span>+1 122-122-122</span></div>')})
    out = run_probe(ContactMethods(), fake)
    assert out.facts["methods"] == []
    assert out.facts["placeholders"][0]["value"] == "+1 122-122-122"


def test_details_in_comments_scripts_templates_never_count() -> None:
    html = html_page("""<h1>Acme</h1><!-- call 212-555-0199 or write sales@acme.test -->
    <script>var phone = "212-555-0199"; var mail = "x@acme.test";</script>
    <template><p>Call us: 212-555-0199, help@acme.test</p></template><p>We build bikes.</p>""")
    out = run_probe(ContactMethods(), build_site({"/": html}))
    assert out.facts["methods"] == [] and out.facts["emails"] == [] and out.facts["phones"] == []
    assert out.score == 0.0


def test_newsletter_and_search_forms_are_not_contact_forms() -> None:
    html = html_page("""<h1>Acme</h1>
    <form><input type="email" name="email" placeholder="Your email"><button>Subscribe</button></form>
    <form role="search"><input type="search" name="q"><button>Search</button></form>
    <form><input name="user"><input type="password" name="pw"><button>Log in</button></form>""")
    assert run_probe(ContactMethods(), build_site({"/": html})).facts["methods"] == []


def test_contact_and_booking_forms_count() -> None:
    contact = html_page('<h1>Acme</h1><form><input name="name"><input type="email" name="email"><textarea name="message"></textarea></form>')
    booking = html_page('<h1>Table</h1><form><input name="name"><input type="tel" name="phone"><input type="date" name="date"><select name="guests"><option>2</option></select></form>')
    assert run_probe(ContactMethods(), build_site({"/": contact})).facts["methods"] == ["form"]
    assert run_probe(ContactMethods(), build_site({"/": booking})).facts["methods"] == ["form"]


def test_chat_claim_without_widget_is_not_chat_but_widget_is() -> None:
    claim = html_page("<h1>Acme</h1><p>Questions? Chat with us any time!</p>")
    out = run_probe(ContactMethods(), build_site({"/": claim}))
    assert "chat" not in out.facts["methods"]
    assert any(i.kind == "chat-claim-without-widget" for i in out.issues)
    widget = html_page("<h1>Acme</h1><p>Hi</p>", head='<script src="https://widget.intercom.io/widget/abc123"></script>')
    assert "chat" in run_probe(ContactMethods(), build_site({"/": widget})).facts["methods"]


def test_placeholder_domain_email_is_reported_and_input_placeholder_is_not_shown() -> None:
    shown = html_page("<h1>Acme</h1><p>Email: info@example.com</p>")
    out = run_probe(ContactMethods(), build_site({"/": shown}))
    assert out.facts["emails"] == [] and "email" not in out.facts["methods"]
    assert out.facts["placeholders"] == [{"kind": "email", "value": "info@example.com",
                                          "reason": "example.com is a reserved example domain",
                                          "pages": ["https://shop.example/"]}]
    attr = html_page('<h1>Acme</h1><form><input type="email" placeholder="you@example.com"></form>')
    out = run_probe(ContactMethods(), build_site({"/": attr}))
    assert out.facts["emails"] == [] and out.facts["placeholders"] == []


def test_postal_address_and_method_score() -> None:
    html = html_page("<h1>Cafe</h1><address>1116 Orchard Street, Golden Valley, MN</address><p>Call: (317) 585-8468</p>")
    out = run_probe(ContactMethods(), build_site({"/": html}))
    assert out.facts["methods"] == ["address", "phone"]
    assert out.score == 0.75


def test_e164_phones_in_facts() -> None:
    html = html_page('<h1>Acme</h1><a href="tel:+442071838750">+44 20 7183 8750</a>')
    assert run_probe(ContactMethods(), build_site({"/": html})).facts["phones"] == ["+442071838750"]


def test_shown_email_differs_from_mailto_is_a_finding() -> None:
    html = html_page('<h1>Acme</h1><a href="mailto:support@b.test">support@a.test</a> <a href="tel:+15551234567">+1 555 765 4321</a>')
    out = run_probe(ContactAgreement(), build_site({"/": html}))
    assert {i.kind for i in out.issues} == {"mailto-mismatch", "tel-mismatch"}
    assert out.score is not None and out.score < 0.9


def test_contact_link_share_in_chrome() -> None:
    site = build_site({"/": html_page(NAV + '<h1>Home</h1><a href="/about.html">About</a>'),
                       "/about.html": html_page("<h1>About</h1><p>No nav here</p>"),
                       # the contact page needs no link to itself
                       "/contact.html": html_page("<h1>Contact</h1><p>No nav here</p>")})
    out = run_probe(ContactEverywhere(), site)
    assert out.score == round(2 / 3, 4)
    assert [e.url for i in out.issues for e in i.evidence] == ["https://shop.example/about.html"]


def test_hours_not_applicable_without_phone() -> None:
    assert run_probe(ContactHours(), build_site({"/": html_page("<h1>x</h1>")})).not_applicable
    with_hours = html_page("<h1>x</h1><p>Call us: 212 448 0100</p><p>Mon-Fri 9am - 5pm</p>")
    assert run_probe(ContactHours(), build_site({"/": with_hours})).score == 1.0


def test_a_number_in_e164_is_judged_without_parsing_and_alike() -> None:
    """The placeholder verdict of a number with an E.164 form splits it into country code
    and national digits by hand (a parse costs about 0.2 ms, and a site of thousands of
    numbers paid it for each); the verdict must be the one a parse gives, for every
    country code, fictional ranges, sequences and repetitions included."""
    import random

    import phonenumbers
    from cxprobe_plugins._placeholders import _phone_placeholder

    rng = random.Random(7)
    numbers = ["+15550100123", "+12125550142", "+390612345678", "+441632960123", "+442079460123", "+61255501234",
               "+61491570123", "+11234567890", "+441234567890", "+4912345678", "+3398765432", "+12222222222"]
    for cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        numbers += [f"+{cc}{rng.randrange(10**5, 10**11)}", f"+{cc}1234567", f"+{cc}2222222", f"+{cc}12121212"]
    verdicts = 0
    for raw in numbers:
        try:
            e164 = phonenumbers.format_number(phonenumbers.parse(raw, None), phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            continue
        digits = e164[1:]
        split = _phone_placeholder.__wrapped__(e164, digits, e164)
        parsed = _phone_placeholder.__wrapped__(e164, digits, None)  # no E.164 form: parsed from the "+" text
        assert split == parsed, e164
        verdicts += split is not None
    assert verdicts >= 100  # the fictional ranges, the 123-456-7890 family, sequences and repetitions
