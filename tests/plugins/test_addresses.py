"""Postal addresses in the languages of Europe and the Americas, and what is not one."""

from __future__ import annotations

import pytest

from tests.factsview import extract_facts


def addresses(body: str, lang: str = "en") -> tuple[str, ...]:
    f = extract_facts("https://site.test/", {}, f'<html lang="{lang}"><body>{body}</body></html>'.encode())
    return tuple(f.addresses)


@pytest.mark.parametrize(("lang", "body"), [
    ("it", "<p>Via Roma 12, 00100 Roma</p>"),
    ("it", "<p>Sede: Viale dei Mille, 3/A - 50131 Firenze (FI)</p>"),
    ("it", "<footer><h4>Indirizzo</h4><p>Vicolo Stretto, 25 - Lucca (LU)</p></footer>"),
    ("pt", "<p>Rua das Flores, 123 - Centro, Curitiba - PR, CEP 01234-567</p>"),
    ("pt", "<p>Av. Paulista, 1000<br>São Paulo - SP</p>"),
    ("pt", "<p>Rua Augusta 45, 1100-048 Lisboa</p>"),
    ("fr", "<p>12 rue de la Paix, 75002 Paris</p>"),
    ("fr", "<p>Tour Bleue, 6 avenue d’Italie, 92400 Courbevoie – Tél. 01 23 45 67 89</p>"),
    ("es", "<p>Calle Mayor 5, 28013 Madrid</p>"),
    ("es", "<p>Cl. 45 #12-30, Bogotá</p>"),
    ("es", "<p>Avda. de la Constitución nº 7, 41001 Sevilla</p>"),
    ("de", "<p>Hauptstraße 5, 10115 Berlin</p>"),
    ("de", "<a href='javascript:void(0)'>Lindenstr 40-44, 14057 Berlin</a>"),
    ("nl", "<p>Kerkstraat 12, 1017 GC Amsterdam</p>"),
    ("pl", "<p>ul. Długa 5, 00-001 Warszawa</p>"),
    ("cs", "<p>Lipová 582/19, 350 02 Cheb</p>"),
    ("sv", "<p>Storgatan 3, 111 22 Stockholm</p>"),
    ("en", "<p>THE RED LION, MARKET SQUARE, SOMETOWN, AB12 3DE</p>"),
    ("en", "<p>Suite 4, Charlotte, NC 28202</p>"),
])
def test_addresses_by_structure(lang: str, body: str) -> None:
    assert addresses(body, lang), body


@pytest.mark.parametrize(("lang", "body"), [
    ("it", "<p>Via WhatsApp 7 giorni su 7 rispondiamo alle vostre domande.</p>"),
    ("it", "<p>Per arrivare alla Via Garibaldi e da lì potete raggiungere la piazza.</p>"),
    ("es", "<p>Plaza 2 personas 45 €</p>"),
    ("de", "<p>Weihnachtsplatz 2024 war ein großer Erfolg.</p>"),
    ("de", "<p>Termine am 12.05.2024, Preis 25 €, Telefon 030 1234567</p>"),
    ("fr", "<p>© 2026 ACME · Mentions légales · Réf. PA 013 041 22 K0001</p>"),
    ("en", "<p>Follow 3 easy steps to the right place for you.</p>"),
    ("pt", "<p>Atendemos 24 horas, 7 dias por semana, em 2024 e 2025.</p>"),
])
def test_prose_prices_dates_and_references_are_not_addresses(lang: str, body: str) -> None:
    assert addresses(body, lang) == (), body


def test_a_long_sentence_holds_an_address_only_with_a_postcode() -> None:
    prose = "La nostra sede si trova in Piazza San Paolo 5, 41049 Sassuolo, aperta a tutti i soci e alle famiglie che vogliono conoscerci."
    assert addresses(f"<p>{prose}</p>", "it")
    walk = "Dalla stazione prendete il Corso Garibaldi 5 minuti a piedi e poi girate a destra verso il mare e il porto antico."
    assert addresses(f"<p>{walk}</p>", "it") == ()


def test_street_and_town_on_two_lines() -> None:
    assert "Gauwstraat 6/1, 9660 Brakel" in addresses("<p>Gauwstraat 6/1,</p><p>9660 Brakel</p>", "nl")


def test_json_ld_address_as_text() -> None:
    ld = '<script type="application/ld+json">{"@type": "Restaurant", "address": "Via Roma 12, 00100 Roma"}</script>'
    assert addresses(ld, "it") == ("Via Roma 12, 00100 Roma",)


def test_code_samples_hold_no_contact_details() -> None:
    f = extract_facts("https://site.test/", {}, (
        b'<html lang="en"><body><pre>curl -H "From: ops@acme.io" https://api.acme.io\n'
        b'call +1 212 555 0199 12 Main Street</pre><p>Write <code>dev@acme.io</code> or call '
        b'<kbd>+44 20 7946 0000</kbd>.</p><p>Call us: +1 212 736 5000</p></body></html>'))
    assert [e.address for e in f.emails] == []
    assert [p.e164 for p in f.phones] == ["+12127365000"]
    assert f.addresses == ()


def test_a_long_line_of_postcode_lookalikes_is_read_in_linear_time() -> None:
    import time

    from cxprobe_plugins.facts.addresses import address_in_line

    # A tag cloud of 10,000 links is one line of "Link 1000 Link 1001 ...": every number
    # looks like a postcode before a town. Reading back from each one to the line's start
    # once took a minute.
    line = " ".join(f"Link {i}" for i in range(10000))
    started = time.process_time()
    address_in_line(line)
    assert time.process_time() - started < 3
