"""Page-facts extraction (cxprobe/document and the built-in extractors): a pure function of (url, headers, bytes, extractors)."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from cxprobe.document import decode_html
from cxprobe.model import PageFacts
from tests.factsview import extract_facts

URL = "http://acme.test/"


def facts(html: str | bytes, headers: dict[str, str] | None = None, url: str = URL) -> PageFacts:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return extract_facts(url, headers if headers is not None else {"Content-Type": "text/html; charset=utf-8"}, body)


def link(f: PageFacts, text: str):  # noqa: ANN201 - test helper
    found = [lk for lk in f.links if lk.text == text]
    assert found, f"no link {text!r} in {[lk.text for lk in f.links]}"
    return found[0]


# --------------------------------------------------------------------------- visible text

HIDDEN_STUFF = """<!doctype html><html lang="en"><head><title>Acme</title>
<script>document.write("SCRIPT-TEXT"); var phone = "+1 212 555 0199"; var mail = "js@acme.test";</script>
<style>.x::after { content: "STYLE-TEXT" }</style></head>
<body>
<!-- COMMENT-TEXT Call us: +1 415 555 0000, comment@acme.test -->
<main><h1>Guided tours of Lisbon</h1>
<p>Visible words.</p>
<template><p>TEMPLATE-TEXT Call us 555-0177</p></template>
<noscript>NOSCRIPT-TEXT</noscript>
<script type="application/json">{"SCRIPT-JSON": 1}</script>
</main></body></html>"""


def test_visible_text_never_includes_comments_scripts_or_templates() -> None:
    f = facts(HIDDEN_STUFF)
    text = f.all_text
    assert "Guided tours of Lisbon" in text and "Visible words." in text
    for hidden in ("COMMENT", "SCRIPT-TEXT", "SCRIPT-JSON", "STYLE-TEXT", "TEMPLATE-TEXT", "NOSCRIPT-TEXT"):
        assert hidden not in text, hidden
    assert f.word_count == len("Guided tours of Lisbon Visible words".split())


def test_numbers_and_emails_in_comments_and_scripts_are_not_counted() -> None:
    f = facts(HIDDEN_STUFF)
    assert f.phones == ()
    assert f.emails == ()


def test_white_space_between_inline_elements_separates_words() -> None:
    f = facts('<main><p>Write to <a href="mailto:a@acme.test">us</a> <a href="tel:+442079460000">or call</a></p></main>')
    assert "us or call" in f.text["main"]


def test_title_lang_meta_and_headings() -> None:
    f = facts("""<html lang="pt-PT"><head><title>  Acme
      Tours </title><meta name="description" content="Tours  in Lisbon">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta property="og:title" content="Acme"><link rel="canonical" href="/home"></head>
      <body><h1>Tours</h1><h2>Why us</h2><h1 hidden>Secret</h1></body></html>""")
    assert f.title == "Acme Tours"
    assert f.lang == "pt-PT"
    assert f.meta_description == "Tours in Lisbon"
    assert f.viewport == "width=device-width, initial-scale=1"
    assert f.social_meta == {"og:title": "Acme"}
    assert f.canonical == "http://acme.test/home"
    assert [(h.level, h.text) for h in f.headings] == [(1, "Tours"), (2, "Why us")]
    assert f.h1s == ("Tours",)


# --------------------------------------------------------------------------- regions

def test_regions_from_semantic_tags() -> None:
    f = facts("""<body><header><p>Head words</p></header><nav><a href="/a">Nav link</a></nav>
      <main><p>Main words</p><article><header><p>Article head</p></header>
      <footer><p>Article foot</p></footer></article></main><footer><p>Foot words</p></footer></body>""")
    assert f.text["header"] == "Head words"
    assert f.text["nav"] == "Nav link"
    assert f.text["footer"] == "Foot words"
    # header/footer inside a sectioning element belong to it, not to the page
    assert "Article head" in f.text["main"] and "Article foot" in f.text["main"]
    assert link(f, "Nav link").region == "nav"


def test_regions_from_aria_roles() -> None:
    f = facts("""<body><div role="banner"><a href="/b">Banner</a></div>
      <div role="navigation"><a href="/n">Menu item</a></div>
      <div role="main"><a href="/m">Body link</a></div>
      <div role="contentinfo"><a href="/c">Legal</a></div></body>""")
    assert [link(f, t).region for t in ("Banner", "Menu item", "Body link", "Legal")] == ["header", "nav", "main", "footer"]


def test_regions_from_class_and_id_names() -> None:
    f = facts("""<body><div id="header"><a href="/h">Logo</a><ul class="main-menu"><li><a href="/p">Pricing</a></li></ul></div>
      <div class="navbar"><a href="/s">Support</a></div>
      <div class="content"><p>Body</p><div class="card-footer"><a href="/x">Card action</a></div></div>
      <div class="site-footer"><a href="/t">Terms</a></div></body>""")
    assert link(f, "Logo").region == "header"
    assert link(f, "Pricing").region == "nav"
    assert link(f, "Support").region == "nav"
    assert link(f, "Terms").region == "footer"
    # a card's footer is not the page footer
    assert link(f, "Card action").region == "main"


def test_the_page_footer_where_sites_put_it() -> None:
    # <main> is no sectioning content: a footer the page puts inside it is the page's; a
    # menu inside the page footer is the footer's; a blog card's "post-footer" is the card's.
    f = facts("""<body><header><nav><a href="/about">About</a></nav></header>
      <main><p>Body</p><article class="post"><h2>News</h2><div class="post-footer">
      <a href="/news/1">Continue reading</a></div></article>
      <div class="entry-footer"><a href="/news/2">More news</a></div>
      <footer><nav class="footer-links"><a href="/privacy">Privacy</a></nav>
      <a href="/contact">Contact us</a></footer></main></body>""")
    assert link(f, "About").region == "nav"
    assert link(f, "Privacy").region == "footer" and link(f, "Contact us").region == "footer"
    assert link(f, "Continue reading").region == "main" and link(f, "More news").region == "main"
    # A footer inside a section or an article is still that element's own.
    g = facts("""<body><main><section><p>Team</p><footer><a href="/team">All of the team</a></footer></section>
      </main><div id="footer"><a href="/terms">Terms</a></div></body>""")
    assert link(g, "All of the team").region == "main" and link(g, "Terms").region == "footer"
    # Unclosed <div>s keep the page footer inside a section (lxml; a browser closes them at
    # </section>): a footer nothing visible follows is the page's.
    h = facts("""<body><main><section id="reviews"><div class="container"><div class="row"><p>Happy</p>
      </section></main><footer><a href="/terms">Terms &amp; Conditions</a></footer><script>init()</script></body>""")
    assert link(h, "Terms & Conditions").region == "footer"


def test_an_href_left_as_the_templates_fill_in_goes_nowhere() -> None:
    f = facts("""<body><a href="[Seu link de avaliação do Google Business]">Rate us on Google</a>
      <a href="{{ review_url }}">Review</a> <a href="%LINK%">Link</a> <a href="[docs]/a.html">Docs</a></body>""")
    assert [link(f, t).dead for t in ("Rate us on Google", "Review", "Link")] == ["placeholder"] * 3
    assert link(f, "Rate us on Google").url is None
    assert link(f, "Docs").dead is None  # a path that starts with a bracket is still a path


# --------------------------------------------------------------------------- links

LINKS = """<body><nav>
<a href="#">Hash</a> <a href="#!">Bang</a> <a href="">Empty</a> <a class="nav-link">No href</a>
<a href="javascript:void(0)">Void</a> <a href="javascript:;">Semicolon</a>
<a href="javascript:location.href='tickets.html'">Tickets js</a>
<A HREF=tickets.html>Tickets upper</A>
<a href="#team">Team</a> <a href="/about/#history">History</a>
<a href=" /pricing?utm_source=nav ">Pricing</a>
<a href="mailto:Sales@Acme.TEST?subject=Hello">Mail sales</a>
<a href="tel:+1-212-555-0100">Call sales</a>
<a href="https://twitter.com/acme" rel="noopener me"><img src="t.svg" alt="Twitter"></a>
<a href="ftp://files.acme.test/a.zip">FTP</a>
<a href="http://127.0.0.1:99999/x">Bad port</a>
</nav></body>"""


def test_dead_link_kinds() -> None:
    f = facts(LINKS)
    assert link(f, "Hash").dead == "hash"
    assert link(f, "Bang").dead == "hashbang"
    assert link(f, "Empty").dead == "empty"
    assert link(f, "Void").dead == "javascript"
    assert link(f, "Semicolon").dead == "javascript"
    for lk in (link(f, t) for t in ("Hash", "Bang", "Empty", "Void")):
        assert lk.url is None
    # <a> without href that the site styles reads as a link and goes nowhere: a dead link of
    # its own kind
    no_href = link(f, "No href")
    assert no_href.dead == "nohref" and no_href.url is None


def test_javascript_that_navigates_and_uppercase_unquoted_href_are_real_links() -> None:
    f = facts(LINKS)
    js, upper = link(f, "Tickets js"), link(f, "Tickets upper")
    assert js.dead is None and js.url == "http://acme.test/tickets.html"
    assert upper.dead is None and upper.url == "http://acme.test/tickets.html"


def test_fragments_absolute_urls_and_rel() -> None:
    f = facts(LINKS, url="http://acme.test/company/")
    team = link(f, "Team")
    assert team.dead is None and team.url == "http://acme.test/company/" and team.fragment == "team"
    assert link(f, "History").url == "http://acme.test/about/" and link(f, "History").fragment == "history"
    assert link(f, "Pricing").url == "http://acme.test/pricing?utm_source=nav"
    tw = link(f, "Twitter")
    assert tw.url == "https://twitter.com/acme" and tw.rel == ("noopener", "me")


def test_mailto_tel_and_other_schemes() -> None:
    f = facts(LINKS)
    mail = link(f, "Mail sales")
    assert (mail.scheme, mail.target, mail.url) == ("mailto", "sales@acme.test", None)
    tel = link(f, "Call sales")
    assert (tel.scheme, tel.target) == ("tel", "+1-212-555-0100")
    assert link(f, "FTP").scheme == "other"
    bad = link(f, "Bad port")
    assert bad.url is None and bad.scheme == "other"
    assert [e.address for e in f.emails if e.source == "mailto"] == ["sales@acme.test"]
    tel_phone = [p for p in f.phones if p.source == "tel"]
    assert [(p.digits, p.e164) for p in tel_phone] == [("12125550100", "+12125550100")]


def test_base_href_is_honoured() -> None:
    f = facts('<head><base href="https://cdn.acme.test/site/"></head><body><a href="plans.html">Plans</a></body>')
    assert link(f, "Plans").url == "https://cdn.acme.test/site/plans.html"


# --------------------------------------------------------------------------- forms

FORMS = """<body><main>
<form id="contact" action="/send" method="post"><label for="n">Name</label><input id="n" name="name">
  <input type="email" name="email"><textarea name="message"></textarea><button>Send</button></form>
<form id="booking"><h3>Book a table</h3><input type="date" name="date"><input type="number" name="guests">
  <input type="tel" name="phone"><button>Book</button></form>
<form id="newsletter"><input type="email" name="email" placeholder="you@example.com"><button>Subscribe</button></form>
<form id="search" role="search"><input type="search" name="q"></form>
<form id="search2" action="/search"><input type="text" name="q"><button>Search</button></form>
<form id="login"><input name="user"><input type="password" name="pw"><button>Log in</button></form>
<div id="formless"><input type="email" name="email"><textarea name="question"></textarea><button>Ask</button></div>
</main><footer><form id="footer-news"><input type="email" name="email"><button>Sign up</button></form></footer></body>"""


def test_form_purposes() -> None:
    f = facts(FORMS)
    purposes = {form.selector: form.purpose for form in f.forms}
    assert purposes["form#contact"] == "contact"
    assert purposes["form#booking"] == "booking"
    assert purposes["form#newsletter"] == "newsletter"
    assert purposes["form#search"] == "search"
    assert purposes["form#search2"] == "search"
    assert purposes["form#login"] == "login"
    # a form-like group of inputs without <form> still counts
    assert purposes["div#formless"] == "contact"
    footer_form = next(form for form in f.forms if form.selector == "form#footer-news")
    assert footer_form.region == "footer" and footer_form.purpose == "newsletter"
    contact = next(form for form in f.forms if form.selector == "form#contact")
    assert (contact.method, contact.action) == ("post", "/send")
    assert [fld.label for fld in contact.fields][0] == "Name"


def test_input_placeholder_addresses_are_not_emails() -> None:
    assert facts(FORMS).emails == ()


# --------------------------------------------------------------------------- emails and phones

def test_fictional_555_numbers_beside_a_phone_cue_count() -> None:
    f = facts("""<body><main><h3>Call us</h3><p>555-0134</p>
      <p>Phone: <b>(212) 555-0188</b></p><p>Order number 5550199 shipped</p></main></body>""")
    shown = sorted(p.shown for p in f.phones)
    assert shown == ["(212) 555-0188", "555-0134"]
    by_shown = {p.shown: p for p in f.phones}
    assert by_shown["(212) 555-0188"].e164 == "+12125550188"
    # a local-only number has no E.164 form: never invent one
    assert by_shown["555-0134"].e164 is None
    assert all(p.source == "text" for p in f.phones)


def test_phone_labels_and_regions() -> None:
    f = facts("""<body><main><p>Sales: +44 20 7946 0000</p></main>
      <footer><p>Fax: +44 20 7946 0001</p></footer></body>""", url="https://acme.co.uk/")
    by_digits = {p.digits: p for p in f.phones}
    assert by_digits["442079460000"].label == "sales" and by_digits["442079460000"].region == "main"
    assert by_digits["442079460001"].label == "fax" and by_digits["442079460001"].region == "footer"
    assert by_digits["442079460000"].e164 == "+442079460000"


def test_emails_shown_as_text() -> None:
    f = facts('<body><p>Write to Hello@Acme.test.</p><img src="logo@2x.png" alt=""><p>support@example.com</p></body>')
    assert sorted(e.address for e in f.emails) == ["hello@acme.test", "support@example.com"]
    assert all(e.source == "text" for e in f.emails)


def test_years_dates_and_prices_are_not_phones() -> None:
    f = facts("<body><p>Since 1998-2024. Call us on 12/05/2024. Only $1,299,000 today.</p></body>")
    assert f.phones == ()


# --------------------------------------------------------------------------- prices

def price(f: PageFacts, text: str):  # noqa: ANN201 - test helper
    found = [p for p in f.prices if p.text == text]
    assert found, f"no price {text!r} in {[p.text for p in f.prices]}"
    return found[0]


def test_prices_with_currency_and_period() -> None:
    f = facts("""<body><div class="plan"><p>$ 89.9 /Month</p></div><div class="plan"><p>1.99€ /month</p></div>
      <div class="plan"><p>£120 per year</p></div><div class="plan"><p>EUR 15 per user / month</p></div></body>""")
    p1 = price(f, "$ 89.9")
    assert (p1.amount, p1.currency, p1.period, p1.kind) == (89.9, "USD", "month", "offer")
    p2 = price(f, "1.99€")
    assert (p2.amount, p2.currency, p2.period, p2.kind) == (1.99, "EUR", "month", "offer")
    p3 = price(f, "£120")
    assert (p3.amount, p3.currency, p3.period) == (120.0, "GBP", "year")
    p4 = price(f, "EUR 15")
    assert (p4.currency, p4.unit) == ("EUR", "user")


def test_a_figure_in_prose_is_not_a_plan_price() -> None:
    f = facts("<body><h2>Our customers recovered $3 million in refunds last year</h2></body>")
    assert [(p.text, p.kind) for p in f.prices] == [("$3", "prose")]


def test_placeholder_price() -> None:
    f = facts("<body><p>Premium: £x.99 per month</p></body>")
    ph = [p for p in f.prices if p.placeholder]
    assert [(p.text, p.amount) for p in ph] == [("£x.99", None)]


# --------------------------------------------------------------------------- charsets

@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        # invalid UTF-8 bytes under a UTF-8 declaration
        (b'<html><head><meta charset="utf-8"></head><body><p>caf\xe9 \xff\xfe ok</p></body></html>', {}, "ok"),
        # a charset that does not exist
        ("<html><body><p>café ok</p></body></html>".encode(), {"Content-Type": "text/html; charset=bogus-8"}, "café ok"),
        # a wrong declared charset: decoded as declared, never raises
        ("<html><body><p>café ok</p></body></html>".encode(), {"Content-Type": "text/html; charset=shift_jis"}, "ok"),
        # a BOM wins over a wrong header
        (b"\xef\xbb\xbf<html><body><p>caf\xc3\xa9 ok</p></body></html>", {"Content-Type": "text/html; charset=latin-1"}, "café ok"),
        # no declaration at all: UTF-8
        ("<p>café ok</p>".encode(), {}, "café ok"),
        # Latin-1 bytes with no declaration
        (b"<p>caf\xe9 ok</p>", {}, "ok"),
        (b"", {}, ""),
        (b"\x00\x01binary\xff", {"Content-Type": "text/html"}, "binary"),
    ],
)
def test_bad_encodings_never_raise(body: bytes, headers: dict[str, str], expected: str) -> None:
    f = extract_facts(URL, headers, body)
    assert expected in f.all_text
    text, enc = decode_html(body, headers)
    assert isinstance(text, str) and enc


# --------------------------------------------------------------------------- purity

PAGE = FORMS.replace("</main>", "<p>Call us: 555-0134</p><p>$19 per month</p></main>")


def test_extraction_is_pure_and_deterministic() -> None:
    body = PAGE.encode()
    a = extract_facts(URL, {"Content-Type": "text/html"}, body)
    b = extract_facts(URL, {"Content-Type": "text/html"}, body)
    assert a == b
    assert a is not b
    # no hidden state: another page in between changes nothing
    extract_facts("http://other.test/", {}, HIDDEN_STUFF.encode())
    assert extract_facts(URL, {"Content-Type": "text/html"}, body) == a


def test_facts_are_picklable_and_extraction_runs_in_a_process_pool() -> None:
    body = PAGE.encode()
    local = extract_facts(URL, {"Content-Type": "text/html"}, body)
    assert pickle.loads(pickle.dumps(local)) == local
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(extract_facts, URL, {"Content-Type": "text/html"}, body).result(timeout=60)
    assert remote == local


# --------------------------------------------------------------------------- token counts


class _Tokens:
    """An extractor that keeps what Document.token_counts gives, both ways."""

    name = "tokens_seen"
    description = "the document's token counts (test)"
    requires: tuple[str, ...] = ()

    def extract(self, doc):  # noqa: ANN001, ANN201 - test extractor
        return (doc.token_counts(), doc.token_counts(lower=True), doc.facts.all_text)


def _counted(html: str | bytes, url: str = URL):  # noqa: ANN202 - test helper
    from cxprobe.document import extract_facts as core_extract

    body = html.encode("utf-8") if isinstance(html, str) else html
    return core_extract(url, {"Content-Type": "text/html; charset=utf-8"}, body, [_Tokens()]).fact("tokens_seen")


def _same_counter(a, b) -> None:  # noqa: ANN001 - Counters
    assert a == b and list(a) == list(b)  # the same counts, keys in the same (first-met) order


def test_the_documents_token_counts_are_those_of_the_pages_text() -> None:
    from collections import Counter

    page = """<!doctype html><html><head><title>Istanbul</title></head><body><header>The SHOP · İstanbul</header>
    <nav><a href="/">Home</a> <a href="/shop">Shop</a></nav><main><h1>The shop</h1><p>Straße, STRASSE and strasse;
    the shop, The Shop. ΣΟΦΊΑ σοφία ΟΔΥΣΣΕΑΣ. ǅemal ǆemal</p><p>the end</p></main><footer>© the shop 2026</footer></body></html>"""
    kept, lowered, text = _counted(page)
    _same_counter(kept, Counter(text.split()))
    _same_counter(lowered, Counter(text.lower().split()))
    assert lowered["the"] == 6 and lowered["i̇stanbul"] == 1  # "İ" lower-cases to two characters
    assert lowered["οδυσσεας."] == 1  # a final sigma, lower-cased in its word as in the text


def test_token_counts_on_every_corpus_page(corpus) -> None:  # noqa: ANN001 - fixture
    from collections import Counter

    pages = sorted(corpus.rglob("*.htm*"))
    assert len(pages) > 50
    for path in pages:
        kept, lowered, text = _counted(path.read_bytes(), "http://corpus.test/" + path.name)
        _same_counter(kept, Counter(text.split()))
        _same_counter(lowered, Counter(text.lower().split()))


def test_token_counts_of_a_rendered_page_are_those_of_its_merged_text() -> None:
    from collections import Counter

    from cxprobe.document import extract_facts as core_extract
    from cxprobe.document import extract_rendered

    # The rendered page hides a paragraph that the merged facts keep (a script hid it):
    # their text is not the text of the tree the extractors read.
    static_html = "<html><body><main><p>Call us today.</p><p>Night callout.</p></main></body></html>"
    rendered = ("<html><body><nav><a href='/a'>Prices</a> <a href='/b'>Contact</a></nav><main><p>Call us today.</p>"
                "<p style='display:none'>Night callout.</p>"
                + "<p>" + " ".join(f"Word{i}" for i in range(40)) + "</p></main></body></html>")
    seen: list[tuple[Counter[str], Counter[str], str]] = []

    class Keeping(_Tokens):
        def extract(self, doc):  # noqa: ANN001, ANN201 - test extractor
            seen.append(super().extract(doc))
            return 0

    static = core_extract(URL, {"Content-Type": "text/html"}, static_html.encode(), [Keeping()])
    merged = extract_rendered(URL, rendered.encode(), static, [Keeping()])
    assert merged is not None and len(seen) == 2
    kept, lowered, text = seen[1]  # read over the rendered tree, with the merged facts
    assert text == merged.all_text and "Word39" in text and "Night callout." in text
    _same_counter(kept, Counter(text.split()))
    _same_counter(lowered, Counter(text.lower().split()))


def test_block_texts_are_each_blocks_text_with_white_space_collapsed() -> None:
    from cxprobe.document import extract_facts as core_extract

    class Blocks:
        name = "blocks_seen"
        description = "each block and its text (test)"
        requires: tuple[str, ...] = ()

        def extract(self, doc):  # noqa: ANN001, ANN201 - test extractor
            assert doc.block_texts is doc.block_texts  # joined once
            return tuple(zip((" ".join(texts) for _r, texts, _b in doc.blocks), doc.block_texts, strict=True))

    page = ("<html><body><main><p>Call us at\n  <b>555 1234</b>\t today</p><ul><li>one</li><li> two  three </li></ul>"
            "<div>  </div><p>Mon–Fri<br>9:00 - 17:00</p></main></body></html>")
    seen = core_extract(URL, {"Content-Type": "text/html"}, page.encode(), [Blocks()]).fact("blocks_seen")
    assert [text for _raw, text in seen] == ["Call us at 555 1234 today", "one", "two three", "Mon–Fri 9:00 - 17:00"]
    assert all(text == " ".join(raw.split()) for raw, text in seen)


def test_token_counts_follow_the_facts_when_they_are_replaced() -> None:
    import dataclasses
    from collections import Counter

    from cxprobe.document import extract_facts as core_extract

    class Replacing:
        name = "replaced_counts"
        description = "token counts before and after the facts are replaced (test)"
        requires: tuple[str, ...] = ()

        def extract(self, doc):  # noqa: ANN001, ANN201 - test extractor
            before = doc.token_counts(lower=True)
            doc.facts = dataclasses.replace(doc.facts, text={"main": "Other Words other"})
            return before, doc.token_counts(lower=True)

    page = "<html><body><main><p>This is the page. The page</p></main></body></html>"
    before, after = core_extract(URL, {"Content-Type": "text/html"}, page.encode(), [Replacing()]).fact("replaced_counts")
    assert before == Counter("this is the page. the page".split())
    assert after == Counter({"other": 2, "words": 1})
