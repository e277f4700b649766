"""Text rules in the page's language: readability formulas, the hero and its call to action."""

from __future__ import annotations

from cxprobe_plugins._readability import language_of, measure, prose_sentences
from cxprobe_plugins.clarity import (
    ClarityCallToAction,
    ClarityReadability,
    ClarityValueProposition,
    hero,
)

from cxprobe.testing import build_site, html_page, page_facts, run_probe

GERMAN = ("Wir reinigen Büros und Wohnungen in Wesel. Unsere Teams kommen pünktlich und arbeiten gründlich. "
          "Sie bekommen vorher ein klares Angebot.")
ITALIAN = ("Grazie per aver scelto la nostra casa. In questa guida trovate le informazioni utili per il soggiorno. "
           "Per ogni domanda potete chiamarci.")


def test_each_language_is_measured_with_its_own_formula() -> None:
    de = measure(GERMAN, "de")
    it = measure(ITALIAN, "it")
    assert de is not None and de.formula == "Wiener Sachtextformel" and de.grade <= 12
    assert it is not None and it.formula == "Gulpease" and it.grade <= 9


def test_a_language_without_a_validated_formula_is_not_checked() -> None:
    polish = "Pomagamy klientom w sprawach rodzinnych. Rozmawiamy jasno i spokojnie. Pierwsza rozmowa jest bezpłatna."
    assert measure(polish, "pl") is None
    site = build_site({"/": html_page(f"<section><h1>Kancelaria</h1><p>{polish}</p></section>", lang="pl")})
    out = run_probe(ClarityReadability(), site)
    assert out.not_applicable and "not checked" in out.not_applicable


def test_fragments_are_not_prose() -> None:
    # Headings, labels and taglines have no sentence end: glued together they are no sentence.
    fragments = "Feel Calmer, Sleep Better — Reiki in Buxton\nNew client offer · first session £30\nBook Your First Session\n" \
                "Stress · Burnout · Anxiety · Grief · Perimenopause · Life transitions"
    assert prose_sentences(fragments) == []
    assert measure(fragments, "en") is None
    site = build_site({"/": html_page("<section><h1>Rechtsanwalt</h1><p>Strafrecht</p><p>Jugendstrafrecht Verkehrsrecht</p>"
                                 "<p>Berlin-Charlottenburg</p></section>", lang="de")})
    assert run_probe(ClarityReadability(), site).not_applicable


def test_declared_language_checked_against_the_text() -> None:
    assert language_of("en", "nl") == "nl"  # a Dutch page declared English is Dutch
    assert language_of("hu", "pt") == "hu"  # the detector does not know Hungarian: the declaration stands
    assert language_of(None, "de") == "de" and language_of("zxx", "it") == "it"
    assert language_of("de-AT", None) == "de"


def test_german_hero_read_with_the_german_formula() -> None:
    site = build_site({"/": html_page(f"<section><h1>Kristall Reinigung</h1><p>{GERMAN}</p></section>", lang="de")})
    out = run_probe(ClarityReadability(), site)
    assert out.score is not None and out.score >= 0.8 and not out.issues
    assert out.facts["readability_formula"] == "Wiener Sachtextformel (de)"


def test_button_styled_link_in_the_hero_is_a_cta_in_any_language() -> None:
    html = html_page('<section class="hero"><img src="logo.png" alt="M. Patachon"><p>Burgers faits maison à Rouen</p>'
                '<div class="hero__cta"><a class="btn btn--white" href="https://order.test/">Commander</a>'
                '<a class="btn" href="la-carte.html">Voir la carte</a></div></section>'
                '<section><h2>À propos</h2><p>Une longue histoire.</p><a href="/x">Lire</a></section>', lang="fr")
    out = run_probe(ClarityCallToAction(), build_site({"/": html}))
    assert out.score == 1.0 and out.facts["cta"] == "Commander"


def test_plain_booking_link_words_in_other_languages() -> None:
    for lang, words in (("fr", "Réserver une table"), ("es", "Reservar"), ("it", "Prenota ora"), ("pt", "Agendar consulta"),
                        ("de", "Termin buchen"), ("nl", "Afspraak maken"), ("pl", "Zarezerwuj wizytę"), ("cs", "Objednat se")):
        html = html_page(f'<section><h1>Studio</h1><p>Texte.</p><a href="/book">{words}</a></section>', lang=lang)
        assert run_probe(ClarityCallToAction(), build_site({"/": html})).facts["cta"] == words, lang


def test_masthead_button_is_the_cta_and_menus_carts_and_toggles_are_not() -> None:
    html = html_page('<nav class="navbar"><a class="navbar-brand" href="/">Spa</a>'
                '<button class="navbar-toggler" data-bs-toggle="collapse" aria-expanded="false">Menu</button>'
                '<ul><li><a href="/a">Inicio</a></li><li><a href="/b">Servicios</a></li><li><a href="/c">Galería</a></li>'
                '<li><a href="/d">Contacto</a></li></ul>'
                '<div class="mini-cart"><a class="btn" href="/checkout">Checkout now</a></div>'
                '<a class="btn btn-outline-success" href="https://wa.me/573000000">Recibir un masaje</a></nav>'
                '<main><h2>¿Cómo solicitar un servicio?</h2><p>Reserve una cita.</p></main>', lang="es")
    out = run_probe(ClarityCallToAction(), build_site({"/": html}))
    assert out.facts["cta"] == "Recibir un masaje"


def test_section_below_the_hero_is_not_the_hero() -> None:
    # The hero's div is never closed: without a boundary the whole page would read as its hero.
    html = html_page('<header class="hero"><div class="hero-content"><h1>Haus Service</h1><p>Hilfe rund um Ihre Immobilie.</p>'
                '<a class="btn" href="/kontakt">Kontakt aufnehmen</a></header>'
                '<section class="services"><h2>Leistungen</h2><p>Gartenpflege und Umzug. Wir sind Ihr Partner.</p>'
                '<a class="btn" href="/x">Zur Kategorie</a></section>', lang="de")
    h = hero(page_facts(html))
    assert "Leistungen" not in h.text and "Gartenpflege" not in h.text
    assert [t for t, _ in h.ctas] == ["Kontakt aufnehmen"]


def test_a_page_without_headings_has_its_opening_copy_as_hero() -> None:
    html = html_page('<div class="title">Interdia Flora</div><div class="subtitle">Diabetologická ambulance</div>'
                '<div class="menu"><button class="tab-button" onclick="location.href=\'a.html\'">AMBULANCE</button>'
                '<button class="tab-button" onclick="location.href=\'b.html\'">O NÁS</button>'
                '<button class="tab-button" onclick="location.href=\'c.html\'">PRO PACIENTY</button>'
                '<button class="tab-button" onclick="location.href=\'d.html\'">KONTAKT</button></div>'
                '<p>Naše ambulance pečuje o pacienty s cukrovkou a nemocemi štítné žlázy.</p>', lang="cs")
    site = build_site({"/": html})
    h = hero(site.pages[0].facts)  # type: ignore[arg-type]
    assert "Interdia Flora" in h.text and h.ctas == ()  # a row of menu buttons is no call to action
    assert run_probe(ClarityValueProposition(), site).score == 1.0


def test_stray_text_before_the_doctype_keeps_the_declared_language() -> None:
    # A browser merges the late <html lang> into the root; lxml drops it.
    html = 'html\n\n<!DOCTYPE html>\n<html lang="it">\n<head><title>ACAT</title></head><body><h1>Ciao</h1></body></html>'
    assert page_facts(html).lang == "it"
    assert page_facts('<!-- <html lang="en"> --><p>Nessuna lingua</p>').lang is None
    assert page_facts("<!--" * 5000 + '<html lang="de">').lang is None  # unclosed comments stay linear


# --------------------------------------------------------------------------- policies, selling online

from cxprobe_plugins.commerce import sells_online  # noqa: E402
from cxprobe_plugins.feedback import FeedbackChannel  # noqa: E402
from cxprobe_plugins.policies import PolicyPresence  # noqa: E402
from cxprobe_plugins.support import SupportSelfHelp  # noqa: E402

from cxprobe import AuditConfig, Context  # noqa: E402


def _ctx(site: object) -> Context:
    return Context(site=site, config=AuditConfig())  # type: ignore[arg-type]


def test_policy_links_in_many_languages() -> None:
    for lang, privacy, terms in (("pt", "Política de Privacidade", "Termos de Uso"), ("nl", "Privacyverklaring", "Algemene voorwaarden"),
                                 ("pl", "Polityka prywatności", "Regulamin"), ("cs", "Ochrana osobních údajů", "Obchodní podmínky"),
                                 ("it", "Informativa sulla privacy", "Termini e condizioni"), ("sv", "Integritetspolicy", "Köpvillkor")):
        html = html_page(f'<h1>Shop</h1><footer><a href="/p.html">{privacy}</a> <a href="/t.html">{terms}</a></footer>', lang=lang)
        site = build_site({"/": html, "/p.html": html_page("<h1>x</h1>", lang=lang), "/t.html": html_page("<h1>y</h1>", lang=lang)})
        out = run_probe(PolicyPresence(), site)
        assert out.score == 1.0, (lang, out.facts)


def test_a_legal_notice_is_no_terms_but_may_hold_the_privacy_section() -> None:
    site = build_site({
        "/": html_page('<h1>Cabinet</h1><footer><a href="/mentions-legales.html">Mentions légales</a></footer>', lang="fr"),
        "/mentions-legales.html": html_page("<h1>Mentions légales</h1><h2>Éditeur</h2><p>SARL X</p><h2>Données personnelles</h2>"
                                       "<p>Vos données ne sont utilisées que pour vous répondre.</p>", lang="fr"),
    })
    out = run_probe(PolicyPresence(), site)
    assert out.facts["privacy"] == "https://shop.example/mentions-legales.html"
    assert out.facts["terms"] is None


def test_terms_stated_in_a_section_of_another_page_count() -> None:
    for lang, page_name, body in (
        ("es", "/tarifas.html", "<h1>Tarifas</h1><p>210 € por noche</p><h2>Condiciones de reserva</h2><p>Señal de 100 €.</p>"),
        ("en", "/gift-vouchers.html", "<h1>Gift vouchers</h1><h2>Voucher Terms</h2><p>Valid for 12 months.</p>"),
        ("es", "/aviso-legal.html", "<h1>Aviso legal</h1><h2>1. Titular</h2><p>X S.L.</p>"
                                   "<h2>2. Condiciones de uso y propiedad intelectual</h2><p>El uso de esta web...</p>"),
        ("de", "/agb.html", "<h1>Rechtliches</h1><h2>Allgemeine Geschäftsbedingungen</h2><p>§ 1 Geltung</p>"),
    ):
        site = build_site({"/": html_page(f'<h1>Home</h1><a href="{page_name}">Más</a>', lang=lang), page_name: html_page(body, lang=lang)})
        out = run_probe(PolicyPresence(), site)
        assert out.facts["terms"] == "https://shop.example" + page_name, (lang, body)
    # "Conditions" with nothing they are of is a clinic's list of what it treats, not terms.
    clinic = build_site({"/": html_page('<h1>Clinic</h1><a href="/care.html">Care</a>'),
                         "/care.html": html_page("<h1>Our care</h1><h2>Conditions we treat</h2><p>Back pain.</p>")})
    assert run_probe(PolicyPresence(), clinic).facts["terms"] is None


def test_missing_terms_matter_where_the_site_sells_online() -> None:
    law_firm = build_site({"/": html_page('<h1>Kanzlei</h1><p>Rufen Sie uns an.</p><a href="/datenschutz.html">Datenschutz</a>', lang="de"),
                           "/datenschutz.html": html_page("<h1>Datenschutz</h1>", lang="de")})
    assert not sells_online(_ctx(law_firm)).online
    terms = [i for i in run_probe(PolicyPresence(), law_firm).issues if i.kind == "no-terms-policy"]
    assert terms and terms[0].severity == "info"
    shop = build_site({"/": html_page('<h1>Shop</h1><p>Kaffee 250 g</p><button class="btn">In den Warenkorb</button>'
                                 '<a href="/datenschutz.html">Datenschutz</a>', lang="de"),
                       "/datenschutz.html": html_page("<h1>Datenschutz</h1>", lang="de")})
    sales = sells_online(_ctx(shop))
    assert sales.online and "Warenkorb" in sales.evidence[0].snippet
    terms = [i for i in run_probe(PolicyPresence(), shop).issues if i.kind == "no-terms-policy"]
    assert terms and terms[0].severity == "warning"


def test_subscription_plans_need_a_signup() -> None:
    plans = '<h1>Plans</h1><div class="plan"><h3>Pro</h3><p>$29/month</p>{}</div>'
    assert sells_online(_ctx(build_site({"/": html_page(plans.format('<a class="btn" href="/signup">Start free trial</a>'))}))).online
    # A lawyer's monthly retainer on a price list: no sign-up, nothing sold online.
    assert not sells_online(_ctx(build_site({"/": html_page(plans.format("<p>Call us.</p>"))}))).online


def test_product_offers_and_checkout_links_show_a_shop() -> None:
    offer = ('<script type="application/ld+json">{"@type": "Product", "name": "Mug", '
             '"offers": {"@type": "Offer", "price": "12.00", "priceCurrency": "EUR"}}</script>')
    # Offer markup states a price; without a way to pay here it is no shop.
    assert not sells_online(_ctx(build_site({"/": html_page("<h1>Mug</h1>", head=offer)}))).online
    shop = html_page('<h1>Mug</h1><button class="btn">Add to cart</button>', head=offer)
    assert len(sells_online(_ctx(build_site({"/": shop}))).evidence) == 2
    assert sells_online(_ctx(build_site({"/": html_page('<h1>A</h1><a href="/carrello">Carrello</a>', lang="it")}))).online


def test_missing_privacy_matters_where_the_site_collects_data() -> None:
    bare = build_site({"/": html_page("<h1>B&B</h1><p>Chiamateci.</p>", lang="it")})
    privacy = [i for i in run_probe(PolicyPresence(), bare).issues if i.kind == "no-privacy-policy"]
    assert privacy[0].severity == "info"
    form = ('<form action="/send" method="post"><input name="name"><input type="email" name="email">'
            '<textarea name="message"></textarea><button>Invia</button></form>')
    collecting = build_site({"/": html_page(f"<h1>B&B</h1>{form}", lang="it")})
    privacy = [i for i in run_probe(PolicyPresence(), collecting).issues if i.kind == "no-privacy-policy"]
    assert privacy[0].severity == "warning"


def test_no_faq_is_an_info_note_on_a_site_that_sells_nothing() -> None:
    out = run_probe(SupportSelfHelp(), build_site({"/": html_page("<h1>Anwalt</h1><p>Rufen Sie an.</p>", lang="de")}))
    assert out.issues[0].kind == "no-self-help" and out.issues[0].severity == "info"


def test_faq_section_found_by_structure_and_words() -> None:
    html = html_page('<h1>Spa</h1><section><div class="subtitle">Preguntas <br>Frecuentes</div><p>¿Cómo reservo?</p></section>', lang="es")
    assert run_probe(SupportSelfHelp(), build_site({"/": html})).facts["faq_page"] == "https://shop.example/"
    html = html_page('<h1>Hidro</h1><div class="faq-list"><p>Quanto tempo leva?</p><p>Uma semana.</p></div>', lang="pt")
    assert run_probe(SupportSelfHelp(), build_site({"/": html})).facts["faq_page"] == "https://shop.example/"


def test_complaints_books_and_reviews_in_other_languages_are_feedback_channels() -> None:
    for text, href in (("Livro de Reclamações", "https://www.livroreclamacoes.pt/inicio"),
                       ("Hoja de reclamaciones", "/reclamaciones.html"), ("Bewertung abgeben", "https://g.page/r/abc/review"),
                       ("Laisser un avis", "/avis.html")):
        site = build_site({"/": html_page(f'<h1>A</h1><footer><a href="{href}">{text}</a></footer>'),
                           "/reclamaciones.html": html_page("<h1>R</h1>"), "/avis.html": html_page("<h1>Avis</h1>")})
        assert run_probe(FeedbackChannel(), site).score == 1.0, text


def test_feedback_words_count_in_their_language_and_ambiguous_words_only_alone() -> None:
    """A single word counts on pages in its language (or English, or an unknown language);
    a word that means something else in running text counts only as the link's whole text;
    a phrase counts anywhere."""
    from cxprobe_plugins.words import feedback_words

    assert feedback_words("Réclamations", "fr") and feedback_words("Réclamations", None)
    assert not feedback_words("Water Reclamation Project", "en")  # not French on an English page
    assert feedback_words("Avis", "fr") and feedback_words("Vos avis", "fr")
    assert not feedback_words("Obtenir un avis sous 48h", "fr")  # a lawyer's opinion
    assert feedback_words("Feedback", "de") and feedback_words("Issues", "en")
    assert not feedback_words("Back issues of our magazine", "en")
    assert feedback_words("Livro de Reclamações", "en")  # a phrase: on any page
    assert feedback_words("Opinie", "pl") and not feedback_words("Opinia prawna dla firm", "pl")

    for lang, text, href, found in (("en", "Water Reclamation Project", "/page.html", False),
                                    ("fr", "Obtenir un avis sous 48h", "/page.html", False),
                                    ("fr", "Donnez votre avis", "/page.html", True),
                                    ("en", "Rate us on Google", "[Your Google review link]", False)):
        html = html_page(f'<h1>Cabinet</h1><p>{text}</p><a href="{href}">{text}</a>', lang=lang)
        site = build_site({"/": html, "/page.html": html_page("<h1>Page</h1>", lang=lang)})
        assert (run_probe(FeedbackChannel(), site).score == 1.0) is found, text


def test_opening_hours_in_other_languages() -> None:
    from cxprobe_plugins.contact import ContactHours

    for lang, hours in (("de", "Mo - Fr: 10:00 - 19:00"), ("pt", "Segunda a sexta, das 8h às 18h"),
                        ("es", "Horario de atención: todos los días de 9:00 a 21:00"), ("fr", "lun.-ven. 9h-18h"),
                        ("cs", "Otevírací doba: Po–Pá 7:00–15:00")):
        html = html_page(f'<h1>A</h1><p>Tel. <a href="tel:+4930123456">030 123456</a></p><p>{hours}</p>', lang=lang)
        assert run_probe(ContactHours(), build_site({"/": html})).score == 1.0, hours
    # A count of people or days is no opening time.
    html = html_page('<h1>A</h1><p>Tel. <a href="tel:+4930123456">030 123456</a></p><p>Do 12 - 14 Personen, Po 2 - 3 dny</p>', lang="de")
    assert run_probe(ContactHours(), build_site({"/": html})).score == 0.5


def test_detector_knows_more_languages_and_ignores_addresses() -> None:
    from cxprobe import detect_language

    polish = ("Kancelaria adwokacka oferuje pomoc prawną dla klientów indywidualnych oraz firm. Jest to miejsce, w którym "
              "każda sprawa jest ważna i nie zostaje bez odpowiedzi. Spotkania odbywają się w Lublinie oraz przez telefon, "
              "a także online, jak i w innych miastach, na które się umówimy z klientem.")
    assert detect_language(polish) == "pl"
    # German names, a .de address and an IBAN: too little German to say, and surely not Spanish.
    impressum = ("Angaben gemäß § 5 TMG Max Mustermann Stadtbarbier Lounge Marktstraße 1 49808 Lingen "
                 "info@stadtbarbier.de www.stadtbarbier.de Telefon 0591 123 Umsatzsteuer-ID DE123456789 "
                 "Geschäftsführer Max Mustermann IBAN DE89 3704 0044 0532 0130 00 Bank Sparkasse Emsland "
                 "Verantwortlich für den Inhalt ist Max Mustermann von stadtbarbier.de de de de")
    assert detect_language(impressum) in (None, "de")


def test_an_order_on_another_platform_is_not_selling_on_the_site() -> None:
    html = html_page('<h1>Burgers</h1><a class="btn" href="https://marketplace.example/order">Commander maintenant</a>', lang="fr")
    assert not sells_online(_ctx(build_site({"/": html}))).online


def test_an_article_about_data_protection_is_no_privacy_policy() -> None:
    site = build_site({"/": html_page('<h1>Advocacia</h1><a href="/artigo.html">Artigo</a>', lang="pt"),
                       "/artigo.html": html_page("<h1>O que muda com a LGPD</h1><h2>Proteção de dados pessoais</h2><p>Texto.</p>",
                                            lang="pt")})
    assert run_probe(PolicyPresence(), site).facts["privacy"] is None


def test_a_bare_word_for_time_is_no_opening_hours() -> None:
    from cxprobe_plugins.contact import ContactHours

    html = html_page('<h1>A</h1><p>Tel. <a href="tel:+5546999746391">(46) 99974-6391</a></p><p>Agende um horário.</p>', lang="pt")
    assert run_probe(ContactHours(), build_site({"/": html})).score == 0.5


def test_hours_named_without_times_are_no_hours() -> None:
    from cxprobe_plugins.words import mentions_hours

    assert mentions_hours("Öffnungszeiten\nMo–Fr 9–18 Uhr") and mentions_hours("Orari di apertura: lunedì")
    assert mentions_hours("Support 24/7")
    assert not mentions_hours("Wir reinigen vor oder nach Öffnungszeiten, ganz wie es passt.")


def test_days_on_the_line_before_their_times_are_hours() -> None:
    from cxprobe_plugins.facts import contact_details

    html = html_page('<div class="schedule"><span>Segunda à Sábado:<br>07:30 - 18:00</span></div>', lang="pt")
    assert contact_details(page_facts(html)).hours == ("Segunda à Sábado: 07:30 - 18:00",)
    # A label that is no day and a line of numbers after it are not hours.
    html = html_page("<p>Why so:<br>9-5 people agree</p><p>Sizes:<br>36 - 44</p>", lang="en")
    assert contact_details(page_facts(html)).hours == ()
