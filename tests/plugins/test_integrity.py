"""Broken promises (issue 10): forms that cannot send, legal details left as fill-ins,
template filler beyond lorem ipsum. Each rule on small synthetic pages, in several languages,
with the look-alikes that must stay silent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cxprobe_plugins.integrity import (
    FormDeliveryProbe,
    LegalDetailsProbe,
    SpellingProbe,
    TemplateCopyProbe,
)

from cxprobe import AuditConfig, Context, Outcome
from cxprobe.testing import build_site, html_page, page_facts, plugin_manager, run_probe

FIELDS = '<input type="text" name="name"><input type="email" name="email"><textarea name="message"></textarea>'


def _forms(body: str, *, pages: dict[str, str] | None = None, target: str = "./site",
           broken: dict[str, int] | None = None) -> Outcome:
    site = build_site({"/index.html": html_page(body), **(pages or {})}, start="/index.html", broken=broken)
    return FormDeliveryProbe().check(Context(site=site, config=AuditConfig(target=target), mode="static"))


def _kinds(out: Outcome) -> list[str]:
    return sorted(i.kind for i in out.issues)


def test_probes_are_registered() -> None:
    probes = plugin_manager().registry().probes
    assert {"contact.form_delivery", "policies.legal_details", "clarity.template_copy"} <= set(probes)


# --------------------------------------------------------------------------- forms that work


@pytest.mark.parametrize("form", [
    f'<form action="https://formspree.io/f/mqkrzabc" method="POST">{FIELDS}<button>Send</button></form>',
    f'<form name="contact" method="POST" data-netlify="true">{FIELDS}<button type="submit">Envoyer</button></form>',
    f'<form action="/contact.php" method="post">{FIELDS}<input type="submit" value="Senden"></form>',
    # a script on the page names the form: it may send it
    f'<form id="booking">{FIELDS}<button>Book</button></form>'
    '<script>document.getElementById("booking").addEventListener("submit", e => {e.preventDefault(); send();});</script>',
    # the site's own script cannot be read in static mode: benefit of the doubt
    f'<form class="formulario">{FIELDS}<button>Reservar</button></form><script src="/js/main.js"></script>',
    # an EmailJS form
    f'<form id="f">{FIELDS}<button>Send</button></form><script src="https://cdn.jsdelivr.net/npm/@emailjs/browser@4/dist/email.min.js"></script>',
    # front-end frameworks from a CDN
    f'<form hx-post="/api/contact">{FIELDS}<button>Send</button></form>',
    f'<form x-data @submit.prevent="send()">{FIELDS}<button>Send</button></form>'
    '<script src="https://cdn.jsdelivr.net/npm/alpinejs@3/dist/cdn.min.js"></script>',
    # an onsubmit that does something
    f'<form onsubmit="return sendToWhatsApp(event)">{FIELDS}<button>Enviar</button></form>',
])
def test_forms_that_can_send_are_silent(form: str) -> None:
    out = _forms(form)
    assert out.issues == () and out.score == 1.0


def test_search_and_fieldless_forms_are_not_judged() -> None:
    out = _forms('<form role="search"><input type="search" name="q"></form>'
                 '<form class="d-flex"><a class="btn" href="https://wa.me/5731">Book a massage</a></form>')
    assert out.score is None  # not applicable: no form a customer fills in


# --------------------------------------------------------------------------- forms that cannot send


def test_form_without_action_or_handler_on_plain_files() -> None:
    out = _forms(f'<section><h2>Reserva tu mesa</h2><form class="formulario">{FIELDS}<button type="submit">Reservar</button>'
                 '</form></section><script src="https://cdn.jsdelivr.net/npm/aos@2.3.4/dist/aos.js"></script>')
    assert _kinds(out) == ["no-destination"]
    assert out.issues[0].severity == "error" and "Reserva tu mesa" in out.issues[0].message
    assert out.score == 0.0


def test_form_without_action_on_a_live_server_site_is_not_judged_by_its_action() -> None:
    # A page of a PHP site may handle a post to itself.
    site = build_site({"/index.php": html_page(f'<form method="post">{FIELDS}<button>Send</button></form>')}, start="/index.php")
    out = FormDeliveryProbe().check(Context(site=site, config=AuditConfig(target="https://shop.example/"), mode="static"))
    assert out.issues == ()


def test_form_posting_to_a_page_of_the_site() -> None:
    out = _forms('<form action="/" method="post"><input type="email" name="email"><button>Receber notícias</button></form>')
    assert _kinds(out) == ["no-destination"]


@pytest.mark.parametrize("action", ["https://formspree.io/f/xxxxxxx", "https://formspree.io/f/YOUR_FORM_ID",
                                    "https://getform.io/f/{your-form-id}"])
def test_template_token_in_action(action: str) -> None:
    out = _forms(f'<form action="{action}" method="POST">{FIELDS}<button>Envoyer</button></form>')
    assert _kinds(out) == ["template-token"] and out.issues[0].severity == "error"


def test_template_token_in_hidden_key_and_data_attribute() -> None:
    out = _forms(f'<form action="https://api.web3forms.com/submit" method="POST">'
                 f'<input type="hidden" name="access_key" value="YOUR_ACCESS_KEY_HERE">{FIELDS}<button>Send</button></form>'
                 f'<form id="x" data-api-token="API_TOKEN">{FIELDS}<button>Send</button></form>'
                 '<script>document.getElementById("x").onsubmit = go;</script>')
    assert _kinds(out) == ["template-token", "template-token"]


def test_real_ids_are_not_tokens() -> None:
    out = _forms(f'<form action="https://formspree.io/f/xykaaezp" method="POST">'
                 f'<input type="hidden" name="access_key" value="0383b888-d6d3-44ba-8d2f-f8f1a76d723c">{FIELDS}<button>Send</button></form>')
    assert out.issues == ()


def test_alert_only_form_and_checkout_button() -> None:
    out = _forms(f'<form onsubmit="event.preventDefault(); alert(\'Form is a placeholder\');">{FIELDS}<button>Send</button></form>'
                 '<button onclick="alert(\'Thank you for your order!\')">Checkout</button>'
                 '<button onclick="alert(\'Copied\')">Copy link</button>')
    assert _kinds(out) == ["alert-only-button", "alert-only-form"]
    assert "Form is a placeholder" in out.issues[1].message or "Form is a placeholder" in out.issues[0].message


def test_book_link_instead_of_submit() -> None:
    out = _forms(f'<form action="https://formspree.io/f/mqkrzabc" method="post">{FIELDS}<a href="#" class="btn">Prenota ora</a></form>')
    assert _kinds(out) == ["link-instead-of-submit"] and "Prenota ora" in out.issues[0].message


def test_no_submit_and_disabled_submit() -> None:
    out = _forms(f'<form action="https://formspree.io/f/mqkrzabc" method="post">{FIELDS}</form>'
                 f'<form action="https://formspree.io/f/mqkrzabd" method="post">{FIELDS}<button disabled>Send</button></form>')
    assert _kinds(out) == ["disabled-submit", "no-submit"]


def test_one_field_form_submits_on_enter() -> None:
    out = _forms('<form action="https://list-manage.com/subscribe" method="post"><input type="email" name="EMAIL"></form>')
    assert out.issues == ()


def test_unnamed_fields() -> None:
    out = _forms('<form action="https://formspree.io/f/mqkrzabc" method="post"><input type="text" placeholder="Name">'
                 '<input type="email" placeholder="Email"><textarea placeholder="Message"></textarea><button>Send</button></form>'
                 '<form action="https://formspree.io/f/mqkrzabd" method="post"><input type="text" name="name">'
                 '<textarea placeholder="Your message"></textarea><button>Send</button></form>')
    severities = sorted((i.severity, i.kind) for i in out.issues)
    assert severities == [("error", "unnamed-fields"), ("warning", "unnamed-fields")]


def test_unnamed_fields_read_by_a_script_are_fine() -> None:
    out = _forms('<form id="wa"><input type="text" id="nome"><textarea id="msg"></textarea><button>Enviar</button></form>'
                 '<script>document.getElementById("wa").addEventListener("submit", e => { window.open("https://wa.me/55?text=" + nome.value); });</script>')
    assert out.issues == ()


def test_mailto_action_is_a_warning() -> None:
    out = _forms(f'<form action="mailto:hello@acme-bikes.com" method="post" enctype="text/plain">{FIELDS}<button>Send</button></form>')
    assert _kinds(out) == ["mailto-action"] and out.issues[0].severity == "warning" and out.score == 0.5


def test_action_to_a_missing_page() -> None:
    out = _forms(f'<form action="/send.html" method="post">{FIELDS}<button>Send</button></form><a href="/send.html">x</a>',
                 broken={"/send.html": 404})
    assert _kinds(out) == ["action-missing-page"]


# --------------------------------------------------------------------------- legal details


def _legal(pages: dict[str, str]) -> Outcome:
    return run_probe(LegalDetailsProbe(), build_site({"/": html_page('<a href="/legal.html">Legal</a>'), **pages}))


@pytest.mark.parametrize(("lang", "body"), [
    ("fr", "<h1>Mentions légales</h1><p>Raison sociale : [Nom de la société]</p><p>SIRET : à compléter</p>"),
    ("fr", "<h1>Mentions légales</h1><p>Forme juridique : [À COMPLÉTER — ex. SAS / SARL]</p>"),
    ("fr", "<h1>Mentions légales</h1><p>Numéro SIREN : &lt;à compléter&gt;</p>"),
    ("de", "<h1>Impressum</h1><p>[Firmenname]</p><p>USt-IdNr.: XXX</p>"),
    ("it", "<h1>Note legali</h1><p>[Ragione sociale]</p><p>P. IVA: da inserire</p>"),
    ("es", "<h1>Aviso legal</h1><p>CIF: 000 000 000</p>"),
    ("pt", "<h1>Política de privacidade</h1><p>CNPJ: a preencher</p>"),
    ("en", "<h1>Legal notice</h1><p>Company number: TBC</p><footer>© 2024 Company Name</footer>"),
    ("de", "<h1>Impressum</h1><p>Max Mustermann<br>Musterstraße 1<br>12345 Musterstadt</p>"),
    ("fr", "<h1>Mentions légales</h1><p>Raison sociale : Nom de la société</p>"),
])
def test_blank_legal_details_in_several_languages(lang: str, body: str) -> None:
    out = _legal({"/legal.html": html_page(body, lang=lang)})
    assert [i.kind for i in out.issues] == ["legal-fill-in"] and out.issues[0].severity == "error"
    assert out.score == 0.2


def test_filled_legal_details_pass() -> None:
    out = _legal({"/legal.html": html_page("<h1>Impressum</h1><p>Bäckerei Müller GmbH</p><p>USt-IdNr.: DE123456780</p>"
                                      "<p>Siehe [1] und [PDF]</p><p>© 2024 Bäckerei Müller</p>", lang="de")})
    assert out.issues == () and out.score == 1.0


def test_no_legal_page_is_not_applicable() -> None:
    out = run_probe(LegalDetailsProbe(), build_site({"/": html_page("<h1>Acme Bikes</h1><p>[Link]</p>")}))
    assert out.score is None


def test_fill_ins_reported_by_clarity_or_contact_are_not_repeated() -> None:
    out = _legal({"/legal.html": html_page("<h1>Legal notice</h1><p>Email: [Your email]</p><p>[Company name]</p>")})
    assert out.issues == ()  # clarity.placeholder and the contact placeholders report these


# --------------------------------------------------------------------------- template copy


def _copy(body: str, *, title: str = "Acme Bikes", lang: str = "en") -> Outcome:
    return run_probe(TemplateCopyProbe(), build_site({"/": html_page(body, title=title, lang=lang)}))


def test_pseudo_latin_filler() -> None:
    out = _copy("<h1>Masajes</h1><p>Sed imperdiet hendrerit blandit. Integer at egestas ante, a laoreet mi. In diam metus.</p>",
                lang="es")
    assert [i.kind for i in out.issues] == ["pseudo-latin"]


@pytest.mark.parametrize("text", [
    "Gaudeamus igitur, iuvenes dum sumus: our choir sings it every spring.",
    "Pater noster, qui es in caelis, sanctificetur nomen tuum.",
    "La nulla osta è arrivata, e il magna cum laude anche.",
    "Sed ut perspiciatis is where lorem ipsum comes from.",  # clarity's case: has lorem ipsum
])
def test_real_latin_and_romance_text_is_not_filler(text: str) -> None:
    assert _copy(f"<h1>Choir</h1><p>{text}</p>").issues == ()


def test_generic_product_names_slide_captions_and_images() -> None:
    out = _copy('<h1>Shop</h1><div class="card"><h5 class="card-title">Product Name</h5></div>'
                '<div class="card"><h5 class="card-title">Product Name</h5></div>'
                '<div class="carousel-caption"><h5>First slide label</h5></div>'
                '<h3>Item 1</h3><h3>Item 2</h3>'
                '<img src="https://via.placeholder.com/350x150" alt=""><img src="https://picsum.photos/200" alt="">')
    kinds = sorted(i.kind for i in out.issues)
    assert kinds == ["dead-placeholder-image", "generic-name", "generic-name", "placeholder-image", "slide-caption"]
    dead = next(i for i in out.issues if i.kind == "dead-placeholder-image")
    assert dead.severity == "error"


def test_single_numbered_heading_is_not_generic() -> None:
    assert _copy("<h1>Shop</h1><h3>Product 1</h3><p>Our first bike.</p>").issues == ()


@pytest.mark.parametrize("title", ["Document", "Untitled", "Starter Template", "My Website", "Sans titre", "Vite + React"])
def test_starter_titles(title: str) -> None:
    out = _copy("<h1>Acme Bikes</h1>", title=title)
    assert [i.kind for i in out.issues] == ["starter-title"]


@pytest.mark.parametrize("title", ["Document shredding in Leeds | ShredCo", "Acme Bikes", "Templates for teachers"])
def test_real_titles_pass(title: str) -> None:
    assert _copy("<h1>Acme Bikes</h1>", title=title).issues == ()


def test_extractor_facts_are_plain() -> None:
    f = page_facts(html_page('<form action=""><input name="a"><textarea name="b"></textarea><button>Go</button></form>'),
                   "https://shop.example/")
    forms = f.fact("form_delivery").forms
    assert len(forms) == 1 and forms[0].action_url == "" and forms[0].submit == "button" and forms[0].fillable == 2


# --------------------------------------------------------------------------- spelling


def _spell(nav: str, *, lang: str = "en", body: str = "", accept: tuple[str, ...] = ()) -> Outcome:
    prose = {
        "en": "We repair bikes of every kind in our workshop and we answer every question the same day.",
        "es": "Ofrecemos masajes relajantes y tratamientos de belleza para toda la familia en nuestro centro.",
        "pl": "Kancelaria adwokacka oferuje pomoc prawną osobom prywatnym i firmom w sprawach karnych i cywilnych.",
    }[lang]
    site = build_site({"/": html_page(f"<nav>{nav}</nav><main><h1>Hello</h1><p>{prose} {body}</p></main>", lang=lang)})
    config = AuditConfig(plugin_options={"spelling.accept": accept}) if accept else AuditConfig()
    return SpellingProbe().check(Context(site=site, config=config, mode="static"))


def test_misspelled_menu_items_in_several_languages() -> None:
    out = _spell('<a href="/a">Masage Individual</a><a href="/b">Contacto</a>', lang="es")
    assert [i.key for i in out.issues] == ["masage"] and "masaje" in out.issues[0].message
    out = _spell('<a href="/a">Pirce list</a><a href="/b">Contcat</a>')
    assert sorted(i.key for i in out.issues) == ["contcat", "pirce"]
    assert any("'price'" in i.message for i in out.issues)


@pytest.mark.parametrize("nav", [
    '<a href="/a">Favourites</a>',           # British spelling
    '<a href="/a">Olivas Rellenas</a>',      # a dish in another language
    '<a href="/a">Wrenchlog</a>',            # a brand: no near neighbour
    '<a href="/a">FAQ</a><a href="/b">Blog</a>',
    '<a href="/a">Velofix</a>',
])
def test_names_variants_and_foreign_phrases_are_not_misspellings(nav: str) -> None:
    assert _spell(nav).issues == ()


def test_a_word_the_prose_uses_is_the_owners_choice() -> None:
    assert _spell('<a href="/a">Cyclo Fixo</a><a href="/b">Servcies</a>', body="Our servcies are great.").issues == ()


def test_accept_list_and_unchecked_languages() -> None:
    assert _spell('<a href="/a">Contcat</a>', accept=("contcat",)).issues == ()
    out = _spell('<a href="/a">Kontakt</a>', lang="pl")
    assert out.score is None  # Polish: not checked


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_dictionary_is_the_one_spellchecker_reads_for_the_language(lang: str) -> None:
    """cxprobe reads pyspellchecker's dictionary file itself (faster): the same words, counts,
    letters and longest word as SpellChecker(language=...), and the same candidates."""
    from cxprobe_plugins import _spelling
    from spellchecker import SpellChecker

    ours, theirs = _spelling._checker(lang), SpellChecker(language=lang, distance=1)
    assert ours is not theirs and ours.distance == 1
    a, b = ours.word_frequency, theirs.word_frequency
    assert a.dictionary == b.dictionary and len(a.dictionary) > 50_000
    assert (a.letters, a.longest_word_length, a.total_words) == (b.letters, b.longest_word_length, b.total_words)
    for word in ("Kontakt", "contatc", "Preise", "servcie", "ÜBER"):
        assert ours.candidates(word) == theirs.candidates(word), word
        assert (word in ours) == (word in theirs), word


@pytest.fixture
def fresh_dictionaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The spelling dictionaries read anew (a cache folder of this test's own), and each
    time pyspellchecker decodes a dictionary file noted (the language's file name)."""
    from cxprobe_plugins import _spelling
    from spellchecker.spellchecker import WordFrequency

    decoded: list[str] = []
    load = WordFrequency.load_dictionary

    def noted(self: Any, filename: Any, *args: Any, **kw: Any) -> None:
        decoded.append(Path(filename).name)
        load(self, filename, *args, **kw)

    monkeypatch.setattr(WordFrequency, "load_dictionary", noted)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def forget() -> None:
        _spelling._checker.cache_clear()
        _spelling._frequent_floor.cache_clear()
        _spelling._FLOORS.clear()

    forget()
    yield decoded
    forget()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_dictionary_is_decoded_once_a_machine_and_kept_in_the_cache(lang: str, fresh_dictionaries: list[str]) -> None:
    from cxprobe_plugins import _spelling
    from spellchecker import SpellChecker

    first = _spelling._checker(lang)
    floor = _spelling._frequent_floor(lang)
    assert fresh_dictionaries == [f"{lang}.json.gz"]
    files = list(_spelling.cache_folder().glob(f"{lang}-*.marshal"))  # type: ignore[union-attr]
    assert len(files) == 1 and not list(files[0].parent.glob("*.tmp"))
    _spelling._checker.cache_clear()
    _spelling._frequent_floor.cache_clear()
    _spelling._FLOORS.clear()
    again = _spelling._checker(lang)
    assert fresh_dictionaries == [f"{lang}.json.gz"]  # read from the cache, not decoded again
    theirs = SpellChecker(language=lang, distance=1)
    for ours in (first, again):
        a, b = ours.word_frequency, theirs.word_frequency
        assert a.dictionary == b.dictionary
        assert (a.letters, a.longest_word_length, a.total_words, a.unique_words) == (
            b.letters, b.longest_word_length, b.total_words, b.unique_words)
        for word in ("Kontakt", "contatc", "Preise", "servcie", "ÜBER", "Pirce"):
            assert ours.candidates(word) == theirs.candidates(word), word
    counts = sorted(theirs.word_frequency.dictionary.values(), reverse=True)
    assert _spelling._frequent_floor(lang) == floor == counts[_spelling.FREQUENT_RANK - 1]


@pytest.mark.parametrize("damage", ["empty", "garbage", "cut short", "a byte changed", "no checksum",
                                    (1, {"a": 1}, (1, 2), 3), [1, 2, 3], (1, {"a": 1}, ("long", 1, 1, ["a"]), 3),
                                    (1, {"a": 1}, (1, 1, 1, [[1]]), 3), (1, {"a": 1}, (1, 1, 2, ["a"]), 3),
                                    (2, {"a": 1}, (1, 1, 1, ["a"]), 3)])
def test_a_cache_file_that_does_not_read_back_is_written_anew(damage: Any, fresh_dictionaries: list[str]) -> None:
    """Damaged bytes fail the checksum; a file of the right checksum and the wrong content
    (another format, tallies of the wrong kind) is not read either."""
    import marshal

    from cxprobe_plugins import _spelling

    _spelling._checker("en")
    file = next(_spelling.cache_folder().glob("en-*.marshal"))  # type: ignore[union-attr]
    good = file.read_bytes()
    changed = bytearray(good)
    changed[len(good) // 2] ^= 1
    damage = {"empty": b"", "garbage": b"not marshal at all", "cut short": good[:-10], "a byte changed": bytes(changed),
              "no checksum": marshal.dumps(_spelling._unpack(good))}.get(damage) if isinstance(damage, str) \
        else _spelling._pack(damage)
    file.write_bytes(damage)
    _spelling._checker.cache_clear()
    assert _spelling.near_miss("en", "Servcies") == "services"
    assert fresh_dictionaries == ["en.json.gz", "en.json.gz"]  # decoded again, then kept
    assert file.read_bytes() != damage and file.stat().st_size > 1_000_000


def test_cache_files_nobody_read_for_a_month_are_removed(fresh_dictionaries: list[str]) -> None:
    import os
    import time

    from cxprobe_plugins import _spelling

    folder = _spelling.cache_folder()
    assert folder is not None
    folder.mkdir(parents=True)
    month = time.time() - (_spelling.CACHE_KEEP_DAYS + 1) * 86400
    unread, read, other, stopped = (folder / "en-1-2-old.marshal", folder / "en-3-4-other-venv.marshal",
                                    folder / "de-5-6-old.marshal", folder / ".en-abc.tmp")
    for f in (unread, read, other, stopped):
        f.write_bytes(b"x")
        os.utime(f, (month, month))
    os.utime(read)  # another virtual environment read its file lately
    _spelling._checker("en")
    kept = sorted(p.name for p in folder.iterdir())
    assert unread.name not in kept and stopped.name not in kept  # this language's, unread
    assert read.name in kept and other.name in kept  # read lately; another language's
    assert len([n for n in kept if n.startswith("en-")]) == 2


def test_a_cache_is_read_back_only_into_the_word_tallies_it_knows(fresh_dictionaries: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """pyspellchecker's word tallies are set from the cache: a version whose word list has
    other fields (it may tally otherwise) decodes its dictionaries as before."""
    from cxprobe_plugins import _spelling

    monkeypatch.setattr(_spelling, "_KNOWN_FIELDS", _spelling._KNOWN_FIELDS | {"_a_new_tally"})
    assert _spelling.near_miss("en", "Servcies") == "services"
    assert not list(_spelling.cache_folder().glob("*.marshal"))  # type: ignore[union-attr]


def test_a_relative_cache_home_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cxprobe_plugins import _spelling

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert _spelling.cache_folder() == tmp_path / ".cache" / "cxprobe" / "spelling"


def test_spelling_is_checked_without_a_cache_folder(tmp_path: Path, fresh_dictionaries: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from cxprobe_plugins import _spelling

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _spelling.near_miss("en", "Servcies") == "services"
    assert _spell('<a href="/a">Contcat</a>').issues[0].kind == "misspelling"


def test_thank_you_page_that_does_not_exist() -> None:
    out = _forms(f'<form action="https://formsubmit.co/hello@acme-bikes.com" method="POST">'
                 f'<input type="hidden" name="_next" value="/thanks.html">{FIELDS}<button>Send</button></form>'
                 '<a href="/thanks.html">thanks</a>', broken={"/thanks.html": 404})
    assert _kinds(out) == ["redirect-missing-page"] and out.issues[0].severity == "warning"


def test_muster_words_outside_legal_pages_are_not_judged() -> None:
    out = run_probe(LegalDetailsProbe(), build_site({"/": html_page('<h1>Stoffe</h1><p>Unsere Musterfrau-Kollektion</p><a href="/impressum.html">Impressum</a>', lang="de"),
                                               "/impressum.html": html_page("<h1>Impressum</h1><p>Stoff GmbH</p>", lang="de")}))
    assert out.issues == () and out.score == 1.0


@pytest.mark.parametrize("blank", ["SIRET : à compléter", "SIREN: XXX XXX XXX", "N° TVA : ...", "USt-IdNr.: ___",
                                   "RCS : …", "KvK-nummer: ???", "NIP: ---", "CNPJ: [CNPJ]", "P.IVA: <da inserire>",
                                   "Company number: 000 000 000", "VAT: 123 456 789", "Registernummer: folgt",
                                   "ABN: TBD", "NIF: pendiente", "IČO: 000.000", "EIN: xxxx-xx"])
def test_the_blank_value_precheck_never_hides_a_blank_registration_number(blank: str) -> None:
    from cxprobe_plugins.integrity import _REGISTRATION_BLANK_LOWER, _blank_possible

    page = "Our workshop repairs bicycles in Riverton and beyond. " * 60 + blank + " Thank you."
    low = page.lower()
    assert len(low) == len(page)
    found = _REGISTRATION_BLANK_LOWER.search(low)
    assert found is not None, blank  # the blank is one the pattern finds...
    assert _blank_possible(low)  # ...and the pre-check lets it be looked for
    assert not _blank_possible(page.replace(blank, "SIRET : 123 568 901").lower().replace("123", "321"))
