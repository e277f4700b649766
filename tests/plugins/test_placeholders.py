"""Placeholder contact details (issue 7): every rule on its own, in several languages.

A placeholder (name@example.com, a 555 number, "[Telefonnummer]") is not a way to reach
anyone: it never counts as a contact method, it is one error finding of the contact
touchpoint listing each placeholder and where it is shown, it is left out of the
consistency conflicts, and an owner can accept a real detail that only looks like one.
"""

from __future__ import annotations

import pytest
from cxprobe_plugins._placeholders import email_placeholder, fill_in_fields, phone_placeholder
from cxprobe_plugins.consistency import ContactConsistency
from cxprobe_plugins.contact import ContactEverywhere, ContactHours, ContactMethods
from cxprobe_plugins.facts import Phone

from cxprobe import Context
from cxprobe.config import AuditConfig
from cxprobe.testing import build_site, html_page, run_probe


def _phone(shown: str, e164: str | None = None) -> Phone:
    return Phone(shown=shown, digits="".join(c for c in shown if c.isdigit()), e164=e164, source="text", region="main")


# --------------------------------------------------------------------------- emails


@pytest.mark.parametrize("address", [
    "name@example.com", "info@example.net", "hello@example.org", "team@mail.example.com",
    "contact@exemple.com", "kontakt@beispiel.de", "hola@ejemplo.es", "ciao@esempio.it", "ola@exemplo.com.br",
    "shop@acme.example", "me@site.test", "x@host.invalid", "root@localhost",
    "support@domain.com", "you@yourdomain.com", "sales@yourcompany.com", "info@company.com",
    "hello@email.com", "info@website.com", "me@mysite.com",
])
def test_reserved_and_template_domains_are_placeholder_emails(address: str) -> None:
    assert email_placeholder(address) is not None


@pytest.mark.parametrize("address", [
    "hello@acme-bikes.com", "kontakt@baeckerei-mueller.de", "info@examples-gallery.com", "info@myexample.com",
    "contact@companyhouse.fr", "orders@test-kitchen.co.uk", "info@domain-experts.nl",
])
def test_real_looking_domains_are_not_placeholders(address: str) -> None:
    assert email_placeholder(address) is None


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(("shown", "e164"), [
    ("(555) 892-9403", "+15558929403"),          # area code 555
    ("+1 (503) 555-0142", "+15035550142"),       # 555-0100..0199
    ("555-0134", None),                          # the fictional line without an area code
    ("(123) 456-7890", "+11234567890"),          # the 123-456-7890 family
    ("+1 123 456 7890", None),
    ("01234 567890", "+441234567890"),           # the same family, written the UK way
    ("+1 222-222-222", None),                    # invalid, a repetition
    ("+1 122-122-122", None),                    # invalid, a repeated group
    ("+352 12 34 56", None),                     # invalid, a sequence
    ("+49 987 654 321", None),                   # invalid, a descending sequence
    ("020 7946 0123", "+442079460123"),          # UK drama range (London)
    ("0161 496 0777", "+441614960777"),          # UK drama range (Manchester)
    ("07700 900123", "+447700900123"),           # UK drama range (mobile)
    ("0491 570 156", "+61491570156"),            # Australian drama range (mobile)
    ("(02) 5550 1234", "+61255501234"),          # Australian drama range (landline)
])
def test_fictional_template_and_junk_numbers_are_placeholders(shown: str, e164: str | None) -> None:
    assert phone_placeholder(_phone(shown, e164)) is not None


@pytest.mark.parametrize(("shown", "e164"), [
    ("+1 (317) 585-8468", "+13175858468"),
    ("+1 212 555 1234", "+12125551234"),         # 555 outside 0100..0199 is not reserved
    ("+1 800 555 0000", "+18005550000"),         # toll-free 555 lines are real numbers
    ("+39 333 333 3333", "+393333333333"),       # valid, repeated digits: a vanity number counts
    ("06 28 04 64 27", "+33628046427"),
    ("+49 30 1234 5678", "+493012345678"),
    ("+351 213 456 789", "+351213456789"),
    ("+48 22 123 45 67", "+48221234567"),
])
def test_real_numbers_and_valid_vanity_numbers_are_not_placeholders(shown: str, e164: str | None) -> None:
    assert phone_placeholder(_phone(shown, e164)) is None


# --------------------------------------------------------------------------- fill-in fields


@pytest.mark.parametrize("line", [
    "Phone: [Phone number]", "Telefon: [Telefonnummer]", "E-Mail: [E-Mail-Adresse]", "Adresse : [adresse]",
    "Tél. : [numéro de téléphone]", "Email: to be added", "Phone: TBD", "Téléphone : à compléter",
    "Telefon: folgt", "Telefono: da inserire", "Teléfono: por definir", "Telefone: a definir",
    "Telefoon: nog in te vullen", "Telefon: do uzupełnienia", "Call us: (xxx) xxx-xxxx",
    "Tél : +33 1 XX XX XX XX", "{{ phone }}",
])
def test_unfilled_contact_fields_in_any_language_are_found(line: str) -> None:
    assert list(fill_in_fields(line)), line


@pytest.mark.parametrize("line", [
    "Phone: +1 (317) 585-8468", "[Read more]", "Email us to be added to the newsletter list",
    "Our address has changed: to be completed by the city in 2027, the bridge is closed",
    "Box XXL, 3 x 40 cm", "Invoice 2024-xx-xx", "Telefonieren Sie uns: folgende Nummer 030 123",
])
def test_ordinary_text_is_not_a_fill_in_field(line: str) -> None:
    assert not list(fill_in_fields(line)), line


# --------------------------------------------------------------------------- probes


def test_placeholders_are_one_error_finding_listing_each_and_where() -> None:
    site = build_site({
        "/": html_page('<h1>Acme</h1><p>Call (555) 892-9403</p><a href="/kontakt.html">Kontakt</a>'),
        "/kontakt.html": html_page("<h1>Kontakt</h1><p>E-Mail: info@beispiel.de</p><p>Telefon: [Telefonnummer]</p>"
                              "<form><input name=n><input type=email name=e><textarea name=m></textarea></form>",
                              lang="de"),
    })
    out = run_probe(ContactMethods(), site)
    assert out.facts["methods"] == ["form"]
    found = [i for i in out.issues if i.kind == "placeholder-contact"]
    assert len(found) == 1 and found[0].severity == "error"
    assert all(v in found[0].message for v in ("(555) 892-9403", "info@beispiel.de", "[Telefonnummer]"))
    assert {e.url for e in found[0].evidence} == {"https://shop.example/", "https://shop.example/kontakt.html"}
    assert [p["kind"] for p in out.facts["placeholders"]] == ["email", "field", "phone"]
    # Placeholders lower the score beyond the methods they do not give.
    assert out.score == pytest.approx(0.6 * 0.75)


def test_placeholders_are_not_contact_routes_nor_a_reason_for_hours() -> None:
    site = build_site({"/": html_page('<footer><p>Call <a href="tel:+15035550142">(503) 555-0142</a></p></footer><h1>Acme</h1>')})
    assert run_probe(ContactEverywhere(), site).score == 0.0
    assert run_probe(ContactHours(), site).not_applicable


def test_a_placeholder_is_no_conflict_with_a_real_number() -> None:
    site = build_site({"/": html_page("<h1>Acme</h1><p>Call us: +1 (317) 585-8468</p><footer><p>Call us: (555) 892-9403</p></footer>")})
    out = run_probe(ContactConsistency(), site)
    assert out.facts["conflicts"] == [] and out.score == 1.0
    assert out.facts["phones"] == ["+13175858468"]


def test_two_different_placeholders_are_listed_as_such_but_not_scored() -> None:
    site = build_site({"/": html_page("<h1>Wash</h1><p>Call us</p><p>+1 222-222-222</p><h3>To book call</h3><p>+1 122-122-122</p>")})
    out = run_probe(ContactConsistency(), site)
    assert out.facts["conflicts"] == [{"kind": "phone:general", "values": ["+1 122-122-122", "+1 222-222-222"],
                                       "pages": ["https://shop.example/"], "placeholder": True}]
    assert out.score == 1.0 and not out.issues


def test_accepted_details_count_and_are_listed() -> None:
    site = build_site({"/": html_page("<h1>Acme</h1><p>Call +1 800 555 0100 or (555) 892-9403</p><p>hello@example.com</p>")})
    config = AuditConfig(plugin_options={"contact.accept": ("+1 (800) 555-0100", "HELLO@example.com")})
    out = ContactMethods().check(Context(site=site, config=config))
    assert out.facts["methods"] == ["email", "phone"]
    assert out.facts["accepted"] == ["+1 800 555 0100", "hello@example.com"]
    assert [p["value"] for p in out.facts["placeholders"]] == ["(555) 892-9403"]
