"""Contacts that look in conflict but are not, and the mismatches that are real."""

from __future__ import annotations

from cxprobe_plugins.consistency import BrandConsistency, ContactConsistency
from cxprobe_plugins.contact import ContactAgreement, ContactEverywhere

from cxprobe import AuditConfig, Context
from cxprobe.testing import build_site, html_page, run_probe

NAV = ('<nav><a href="/">Accueil</a> <a href="/contact.html">Contact</a> <a href="/about.html">About</a> '
       '<a href="/nearby.html">Nearby</a> <a href="/b">B</a></nav>')


def conflicts(pages: dict[str, str]) -> list[dict[str, object]]:
    return [c for c in run_probe(ContactConsistency(), build_site(pages)).facts["conflicts"] if not c.get("placeholder")]


def test_lines_labelled_by_location_person_channel_or_emergency_are_not_conflicts() -> None:
    locations = html_page(NAV + '<div class="resto"><h3>Petit Quevilly</h3><a href="tel:0953459193">09 53 45 91 93</a></div>'
                     '<div class="resto"><h3>Rouen</h3><a href="tel:0955938278">09 55 93 82 78</a></div>'
                     '<footer><a href="tel:0780959883">07 80 95 98 83 · Food truck</a></footer>', lang="fr")
    assert conflicts({"/": locations, "/contact.html": html_page(NAV + "<h1>Contact</h1>", lang="fr")}) == []
    emergency = html_page('<section id="contact"><p>Telefon <a href="tel:+493028471022">+49 (0)30 / 28 47 10 22</a></p>'
                     '<p>Notfallnummer <a href="tel:+4916092336066">+49 (0)160 92 33 60 66</a></p></section>', lang="de")
    assert conflicts({"/": emergency}) == []
    channels = html_page('<header><p>Telefone (54) 3045-7786</p></header><main><p>Fale conosco pelo WhatsApp no número '
                    '(54) 99679-7786</p></main><footer><p>Telefone (54) 3045-7786</p></footer>', lang="pt")
    assert conflicts({"/": NAV + channels, "/b": channels.replace("(54) 99679-7786", "")}) == []


def test_the_same_number_in_two_forms_is_one_number() -> None:
    html = html_page('<header><a href="tel:+442034117476">+44 (0)20 3411 7476</a></header>'
                '<footer><p>Call 020 3411 7476</p><a href="tel:02034117476">📞 Telephone 020 3411 7476 Mon–Sun 9am–8pm</a></footer>')
    assert conflicts({"/": html}) == []
    assert not run_probe(ContactAgreement(), build_site({"/": html})).issues


def test_numbers_of_others_and_numbers_that_are_not_phones_are_not_offers() -> None:
    home = html_page(NAV + '<footer><p>Call us: 07588 295 780</p></footer>')
    listing = html_page(NAV + '<h1>Nearby</h1><p>Restaurante El Ventorrillo Tlf. 987 693 901</p>'
                   '<p>Museo del Bierzo Tlf. 987 414 141</p><p>Dr. Mikao Usui (1865-1926)</p>'
                   '<p>Dr. Paz, OAB/PR 119.985</p><footer><p>Call us: 07588 295 780</p></footer>')
    assert conflicts({"/": home, "/nearby.html": listing}) == []


def test_numbers_that_replace_each_other_from_page_to_page_conflict() -> None:
    a = html_page(NAV + "<footer><p>Call us: +1 212 736 5000</p></footer>")
    b = html_page(NAV + "<footer><p>Call us: +1 212 736 9999</p></footer>")
    found = conflicts({"/": a, "/about.html": b})
    assert [c["kind"] for c in found] == ["phone:general"]



def test_the_pages_of_one_conflict_share_one_snippet() -> None:
    # Numbers that replace each other on many pages: one finding whose evidence, one per
    # page, says the same values. One string, not a copy per page (a conflict of hundreds
    # of numbers on thousands of pages was megabytes of copies to keep and to send back
    # from a second core).
    pages = {"/": html_page(NAV + "<footer><p>Call us: +1 212 736 5000</p></footer>")}
    for i in range(12):
        pages[f"/p{i}.html"] = html_page(NAV + f"<footer><p>Call us: +1 212 736 {5001 + i}</p></footer>")
        pages["/"] = pages["/"].replace("</footer>", f'<a href="/p{i}.html">p{i}</a></footer>')
    found = [i for i in run_probe(ContactConsistency(), build_site(pages)).issues if i.key.startswith("phone:general")]
    assert len(found) == 1
    evidence = found[0].evidence
    assert len(evidence) == 13
    assert len({id(e.snippet) for e in evidence}) == 1
    assert "+1 212 736 5000" in evidence[0].snippet

def test_code_samples_are_neither_contacts_nor_conflicts() -> None:
    docs = html_page(NAV + '<footer><p>Call us: +1 212 736 5000</p></footer><pre>curl -d "phone=+1 212 736 1111" '
                'https://api.acme.test</pre><p>Send <code>{{API_TOKEN}}</code> and <kbd>+1 212 736 2222</kbd></p>')
    assert conflicts({"/": docs, "/b": docs}) == []


def test_a_whatsapp_link_that_shows_another_number_is_a_mismatch() -> None:
    html = html_page('<a class="card" href="https://wa.me/33630073601"><span>WhatsApp · réponse rapide</span>'
                '<span>06 09 20 45 90</span></a>', lang="fr")
    out = run_probe(ContactAgreement(), build_site({"/": html}))
    assert [i.kind for i in out.issues] == ["tel-mismatch"]
    assert "'06 09 20 45 90'" in out.issues[0].message and "WhatsApp" in out.issues[0].message


def test_a_call_button_in_a_card_that_shows_another_number_is_a_mismatch() -> None:
    html = html_page('<div class="card"><h3>Giulia</h3><p>342 0808479</p><a class="button" href="tel:+393420808479">Chiama</a></div>'
                '<div class="card"><h3>Portineria</h3><p>0165 521153</p><a class="button" href="tel:+393420808479">Chiama</a></div>'
                '<div class="cta"><a href="https://wa.me/393471010942">WhatsApp</a> <a href="tel:+390165521153">0165 521153</a></div>',
                lang="it")
    out = run_probe(ContactAgreement(), build_site({"/": html}))
    assert [i.message for i in out.issues] == ["The page shows '0165 521153' beside a button that dials +393420808479."]


def _brand(titles: dict[str, str]) -> tuple[float | None, list[str]]:
    links = "".join(f'<a href="{path}">x</a>' for path in titles)
    pages = {path: html_page(links + "<h1>x</h1>", title=t) for path, t in titles.items()}
    out = run_probe(BrandConsistency(), build_site(pages))
    return out.score, [e.url.removeprefix("https://shop.example") for i in out.issues for e in i.evidence]


def test_brand_variants_are_the_same_brand() -> None:
    assert _brand({"/": "Esencia | Gastrobar", "/carta.html": "Carta — Esencia Gastrobar",
                   "/reservas.html": "Reservas | Esencia Gastrobar"}) == (1.0, [])
    assert _brand({"/": "Le Clos des Cyprès — Terrains à bâtir", "/lots.html": "Les 8 Lots à bâtir — Clos des Cyprès · Biver",
                   "/contact.html": "Contact | LE CLOS DES CYPRES"}) == (1.0, [])
    score, missing = _brand({"/": "Kanzlei Buhlke GmbH | Strafrecht", "/en/": "Law Firm Buhlke | Criminal Law",
                             "/kontakt.html": "Kontakt – Kanzlei Buhlke", "/team.html": "Welcome to Kanzlei Buhlke – Team"})
    assert (score, missing) == (1.0, [])
    score, missing = _brand({"/": "ACAT Sassuolo", "/chi.html": "Chi siamo | Associazione Club Alcologici Territoriali",
                             "/contatti.html": "Contatti - ACAT"})
    assert missing == []


def test_titles_without_a_brand_are_reported() -> None:
    score, missing = _brand({"/": "Hausmeisterservice & Gartenpflege", "/a.html": "Rasenpflege | Haus & Garten Service",
                             "/b.html": "Umzug | Haus & Garten Service", "/c.html": "Gartenpflege"})
    assert missing == ["/", "/c.html"]
    score, missing = _brand({"/": "Inicio", "/b.html": "Nosotros", "/c.html": "Contacto"})
    assert score == 0.0 and len(missing) == 3


def test_a_navigation_link_to_the_contact_section_is_a_contact_route_whatever_it_says() -> None:
    html = html_page('<nav><a href="#services">Services</a> <a class="btn" href="#contact">Get a Free Quote!</a></nav>'
                '<section id="services"><h2>Services</h2></section><section id="contact"><h2>Your quote</h2>'
                '<form><input type="email" name="email"><textarea name="message"></textarea><button>Send</button></form></section>')
    out = run_probe(ContactEverywhere(), build_site({"/": html}))
    assert out.score == 1.0 and not out.issues


def test_a_blog_comment_box_is_not_the_contact_form() -> None:
    from tests.factsview import extract_facts

    wordpress = ('<div id="respond"><h3>Leave a Reply</h3><form action="/wp-comments-post.php" method="post" id="commentform">'
                 '<textarea name="comment"></textarea><input name="author"><input type="email" name="email"><input name="url">'
                 '<input type="submit" value="Post Comment"></form></div>')
    portuguese = ('<h3>Deixe um comentário</h3><form method="post"><textarea name="mensagem"></textarea>'
                  '<input type="email" name="email"><button>Publicar</button></form>')
    contact = ('<h2>Contact us</h2><form method="post" action="/send"><input name="name"><input type="email" name="email">'
               '<textarea name="message"></textarea><button>Send</button></form>')
    purposes = [form.purpose for body in (wordpress, portuguese, contact)
                for form in extract_facts("https://site.test/", {}, f"<html><body>{body}</body></html>".encode()).forms]
    assert purposes == ["comment", "comment", "contact"]


def test_a_reworded_menu_that_leads_to_the_same_sections_is_the_same_navigation() -> None:
    from cxprobe_plugins.consistency import ChromeConsistency

    home = html_page('<nav><a href="#home">HOME</a><a href="#services">PREISLISTE</a><a href="#lounge">DIE LOUNGE</a>'
                '<a href="#contact">KONTAKT</a></nav><section id="home"></section><section id="services"></section>'
                '<section id="lounge"></section><section id="contact"></section>'
                '<footer><a href="/impressum.html">Impressum</a><a href="/blog.html">Blog</a></footer>', lang="de")
    legal = html_page('<nav><a href="/index.html#home">Start</a><a href="/index.html#services">Leistungen</a>'
                 '<a href="/index.html#lounge">Unser Raum</a><a href="/index.html#contact">Schreiben Sie uns</a></nav>'
                 '<footer><a href="/impressum.html">Rechtliches</a></footer>', lang="de")
    other = html_page('<nav><a href="/shop.html">Shop</a><a href="/blog.html">Artikel</a></nav>', lang="de")
    out = run_probe(ChromeConsistency(), build_site({"/": home, "/impressum.html": legal, "/blog.html": other}))
    assert [e.url for i in out.issues for e in i.evidence] == ["https://shop.example/blog.html"]


def test_a_chat_vendor_is_read_from_its_snippet_not_from_a_word() -> None:
    from cxprobe_plugins.contact import ContactMethods

    menu = html_page('<h1>Menu</h1><script>window.menu = {"desc": "crispy hash browns, a drift of cream"}</script>')
    assert "chat" not in run_probe(ContactMethods(), build_site({"/": menu})).facts["methods"]
    crisp = html_page('<h1>Shop</h1><script>window.$crisp=[];window.CRISP_WEBSITE_ID="abc";</script>')
    assert "chat" in run_probe(ContactMethods(), build_site({"/": crisp})).facts["methods"]


def test_tokens_in_code_samples_are_not_placeholder_copy() -> None:
    from cxprobe_plugins.clarity import placeholders

    html = html_page('<h1>API</h1><p>Send the header <code>Authorization: {{API_TOKEN}}</code>.</p>'
                '<pre>curl -H "X-Phone: {{ phone }}" https://api.acme.test</pre><p>Hello [company name]</p>')
    found = [snippet for _u, snippet, _hero in placeholders(Context(site=build_site({"/": html}), config=AuditConfig()))]
    assert found == ["[company name]"]


def test_a_bracketed_trunk_zero_is_not_one_of_the_digits() -> None:
    from cxprobe_plugins.contact import ContactMethods

    html = html_page('<p>Telefon: +49 (0)30 / 28 47 10 22</p><a href="tel:+493028471022">Anrufen</a>', lang="de")
    assert run_probe(ContactMethods(), build_site({"/": html})).facts["phones"] == ["+493028471022"]
