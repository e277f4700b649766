"""Values computed once a run and shared by probes (Context.shared, cxprobe.per_run), and
patterns compiled on first use (cxprobe_plugins._lazyre)."""

from __future__ import annotations

import pickle
import re

import pytest
from cxprobe_plugins._lazyre import lazy_compile, lower_case_twin
from hypothesis import given, settings
from hypothesis import strategies as st

import cxprobe
from cxprobe import Context, per_run
from cxprobe.config import AuditConfig
from cxprobe.model import CrawlStats, Site


def _ctx() -> Context:
    site = Site(start_url="https://shop.example/", origin="https://shop.example", pages=(), hosts=("shop.example",),
                stats=CrawlStats())
    return Context(site=site, config=AuditConfig(target="https://shop.example/"))


def test_a_per_run_helper_runs_once_per_context_and_arguments() -> None:
    calls: list[tuple[int, str]] = []

    @per_run
    def pages_about(ctx: Context, word: str) -> tuple[str, ...]:
        calls.append((id(ctx), word))
        return (word,)

    a, b = _ctx(), _ctx()
    assert pages_about(a, "book") == ("book",)
    assert pages_about(a, "book") is pages_about(a, "book")
    assert pages_about(a, "menu") == ("menu",)
    assert pages_about(b, "book") == ("book",)
    assert calls == [(id(a), "book"), (id(a), "menu"), (id(b), "book")]
    with pytest.raises(TypeError, match="positional"):
        pages_about(a, word="book")
    assert cxprobe.per_run is per_run and "per_run" in cxprobe.__all__


def test_context_shared_with_an_unhashable_argument_fails_loudly() -> None:
    with pytest.raises(TypeError):
        _ctx().shared(lambda ctx, xs: xs, ["not", "hashable"])


def test_a_lazy_pattern_compiles_on_first_use_and_behaves_as_compiled() -> None:
    lazy = lazy_compile(r"\bprice\s+(\d+)", re.I)
    assert lazy.pattern == r"\bprice\s+(\d+)"
    assert lazy._compiled is None  # type: ignore[attr-defined]
    text = "Price 12, PRICE 30 and price\n7"
    real = re.compile(r"\bprice\s+(\d+)", re.I)
    assert [m.group(1) for m in lazy.finditer(text)] == [m.group(1) for m in real.finditer(text)] == ["12", "30", "7"]
    assert lazy.sub("x", text) == real.sub("x", text) and lazy.groups == 1
    again = pickle.loads(pickle.dumps(lazy))  # extractors holding patterns travel to workers
    assert again.findall(text) == ["12", "30", "7"]


@pytest.mark.parametrize("text", ["SIRET : XXX", "Siren: ___", "N° TVA intracommunautaire : ...", "USt-IdNr.: xxx",
                                  "\\S stays \\S", "SIRET: ... and siren ___"])
def test_the_lower_case_twin_finds_what_the_case_insensitive_pattern_finds(text: str) -> None:
    pattern = lazy_compile(r"(?<!\w)(?:SIRE[NT]|N°\s*TVA(?:\s+intracommunautaire)?|USt-?IdNr\.?)\s*[:：]?\s*"
                           r"(?:[xX]{3,}|_{3,}|\.{3,})(?!\w)|\\S\s\w+", re.I)
    twin = lower_case_twin(pattern)
    low = text.lower()
    assert len(low) == len(text)  # callers use the pattern itself when lower-casing moves offsets ("İ")
    assert [text[m.start():m.end()] for m in twin.finditer(low)] == [m.group(0) for m in pattern.finditer(text)]


# -- might_match: a substring pre-check that never hides a match ---------------------------

def _plugin_patterns() -> list[re.Pattern[str]]:
    """Every module-level pattern of the built-in plugins (lazy or compiled)."""
    import importlib
    import pkgutil

    import cxprobe_plugins

    found: dict[tuple[str, int], re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(cxprobe_plugins.__path__, "cxprobe_plugins."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if hasattr(value, "pattern") and hasattr(value, "flags") and isinstance(value.pattern, str):
                found[(value.pattern, value.flags)] = value
    return list(found.values())


def test_might_match_works_out_what_a_pattern_needs() -> None:
    from cxprobe_plugins._lazyre import might_match

    p = lazy_compile(r"\b(lorem\s+ipsum|your\s+(?:company|business)\s+name|[a-z]{2}\d)\b", re.I)
    assert might_match(p, "We fix bikes in Riverton.")  # one branch needs no word: always searched
    h = lazy_compile(r"\b(lorem\s+ipsum|your\s+(?:company|business)\s+name)\b", re.I)
    assert not might_match(h, "Lorem dolor")  # "ipsum" is missing
    assert might_match(h, "LOREM  IPSUM") and h.search("LOREM  IPSUM")
    assert not might_match(h, "your team, by name")  # one branch, every word of it
    assert might_match(h, "Your Business   Name")
    assert might_match(h, "lorem ipſum")  # "ſ" is an "s" to a case-insensitive pattern
    # Nothing of three characters required: always searched.
    assert might_match(lazy_compile(r"\d{3}|ab"), "")
    # Case-sensitive patterns compare as written.
    cs = lazy_compile(r"SIRET\s*:")
    assert not might_match(cs, "siret :") and might_match(cs, "SIRET :")


def test_might_match_reads_a_long_text_by_its_distinct_tokens() -> None:
    """A page-long text is searched in its distinct tokens (when a pattern needs many
    strings, or the view is made already); what a pattern needs is found there whether it
    is a whole token, inside one, or (with white space) across two."""
    from cxprobe_plugins._lazyre import _distinct_tokens, might_match, token_counts

    filler = "We fix bikes in Riverton and we fix them fast. " * 60
    assert len(filler) > 2000 and len(token_counts(filler)) < 15
    h = lazy_compile(r"\b(lorem\s+ipsum|your\s+(?:company|business)\s+name)\b", re.I)
    inside = lazy_compile(r"emplate")  # a part of a token
    spaced = lazy_compile(r"goes here")  # a literal with a space: the text itself is searched
    many = lazy_compile("|".join(f"word{i}x" for i in range(30)))  # the view is made for it
    for made in (False, True):
        texts = {k: filler + k for k in ("Lorem dolor", "(LOREM IPSUM)", "templates", "", "text goes here",
                                         "goes\there", "a word17x.")}
        if made:
            for text in texts.values():
                _distinct_tokens(text.lower())
                _distinct_tokens(text)
        assert not might_match(h, texts["Lorem dolor"])
        assert might_match(h, texts["(LOREM IPSUM)"]) and h.search(texts["(LOREM IPSUM)"])
        assert might_match(inside, texts["templates"]) and not might_match(inside, texts[""])
        assert might_match(spaced, texts["text goes here"]) and not might_match(spaced, texts["goes\there"])
        assert might_match(many, texts["a word17x."]) and not might_match(many, texts["templates"])
    assert token_counts(filler)["fix"] == 120


def test_might_match_never_hides_a_match_of_a_plugin_pattern() -> None:
    """Every pattern of the built-in plugins over the text of the pages of the demo site and
    the corpus, plus texts made of the patterns' own words: wherever the pattern matches,
    might_match says it might."""
    from pathlib import Path

    from cxprobe_plugins._lazyre import might_match

    from cxprobe.testing import page_facts

    root = Path(__file__).resolve().parents[1]
    folders = [root / "examples" / "demo-site", root.parent / "shared" / "corpus"]
    texts: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.htm*"))[:60] if folder.is_dir() else ():
            f = page_facts(path.read_bytes(), "http://site.test/" + path.name, {"Content-Type": "text/html"})
            texts.append(f.title + "\n" + f.all_text)
    patterns = _plugin_patterns()
    assert len(patterns) > 100 and len(texts) > 20
    checked = 0
    for p in patterns:
        # The pattern's own words, in other cases: near the matches it was written for.
        words = re.sub(r"[^A-Za-z]+", " ", p.pattern)
        for text in (*texts, words, words.upper(), words.title()):
            if p.search(text) is not None:
                checked += 1
                assert might_match(p, text), (p.pattern[:80], text[:120])
    assert checked > 500


def test_a_guard_compiled_to_one_function_answers_as_walking_its_requirement() -> None:
    """Each pattern's requirement (a tree of strings: all of these, any of those) is
    compiled to one Python expression. For every pattern of the built-in plugins, over the
    corpus's texts and each pattern's own words, the compiled function and the walk of the
    tree agree, as text and as distinct tokens, on answers both yes and no; literals with
    quotes, backslashes and non-ASCII letters survive being written out."""
    from pathlib import Path

    from cxprobe_plugins._lazyre import (
        _compiled,
        _distinct_tokens,
        _guard,
        _holds,
        _required,
        _tokenwise,
    )

    from cxprobe.testing import page_facts

    root = Path(__file__).resolve().parents[1]
    texts: list[str] = []
    for folder in (root / "examples" / "demo-site", root.parent / "shared" / "corpus"):
        for path in sorted(folder.rglob("*.htm*"))[:40] if folder.is_dir() else ():
            f = page_facts(path.read_bytes(), "http://site.test/" + path.name, {"Content-Type": "text/html"})
            texts.append((f.title + "\n" + f.all_text).lower())
    answers: set[bool] = set()
    guarded = 0
    for p in _plugin_patterns():
        guard = _guard(p.pattern, p.flags)
        if not hasattr(guard, "need"):
            continue
        guarded += 1
        from re import _parser  # type: ignore[attr-defined]

        need = _required(_parser.parse(p.pattern, p.flags).data, bool(p.flags & re.IGNORECASE))
        words = re.sub(r"[^\w]+", " ", p.pattern).lower()
        for text in (*texts, words, words[: len(words) // 2], ""):
            for tree in (need, _tokenwise(need)):
                tokens = _distinct_tokens(text) if tree is not need else text
                expected = _holds(tree, text, tokens)
                assert _compiled(tree)(text, tokens) is expected, (p.pattern[:80], text[:80])
                answers.add(expected)
    assert guarded > 60 and answers == {True, False}
    odd = ("all", ("it's \"quoted\"", ("any", ("back\\slash", "grüße", ("token", "naïve")))))
    for text in ("it's \"quoted\" back\\slash", "it's \"quoted\" naïve", "grüße", "it's \"quoted\" grüße"):
        assert _compiled(odd)(text, text) is _holds(odd, text, text)
    assert _compiled(odd)("it's \"quoted\" grüße", "") is True


_DIGITS = "0123456789\u0660\u0669\u06f4\u0966\uff10\uff19\U0001d7ce"  # ASCII, Arabic-Indic, Devanagari, fullwidth, maths
_OTHER = "ab .-+()\n\u00e9\u2013\u00bd\u00b2\u2460\u2155"  # letters, punctuation; ½ ² ① ⅕ are numbers, not decimal digits


@given(st.text(alphabet=_DIGITS + _OTHER, max_size=40), st.integers(min_value=1, max_value=8))
@settings(max_examples=400, deadline=None)
def test_few_digits_counts_what_the_digit_pattern_matches(text: str, fewer_than: int) -> None:
    from cxprobe_plugins._lazyre import few_digits

    assert few_digits(text, fewer_than) == (len(re.findall(r"\d", text)) < fewer_than)


def test_few_digits_on_texts_of_blocks_and_lines() -> None:
    from cxprobe_plugins._lazyre import few_digits

    assert few_digits("Open every day", 1) and few_digits("", 1)
    assert not few_digits("Call us: +1 (503) 555-0142", 6)
    assert few_digits("Since 1998", 6) and not few_digits("Since 1998", 4)
    assert not few_digits("Tél. : \u0660\u0661\u0662", 3)  # Arabic-Indic digits count, in a text that is not ASCII
    assert few_digits("caf\u00e9 \u00bd \u00b2", 1)  # a fraction or a superscript is no decimal digit


def test_folded_spans_are_the_case_insensitive_patterns_own_matches() -> None:
    """:func:`folded_spans` (a substring pre-check, then the lower-case twin over the
    lower-cased text) gives exactly the spans of ``pattern.finditer`` for every
    case-insensitive pattern of the built-in plugins, over the pages of the demo site and
    the corpus, the patterns' own words in three cases, and texts whose lower-casing moves
    offsets ("İ") or that hold a letter such a pattern folds to ASCII ("ſ", the Kelvin sign)."""
    from pathlib import Path

    from cxprobe_plugins._lazyre import folded_search, folded_spans

    from cxprobe.testing import page_facts

    root = Path(__file__).resolve().parents[1]
    texts: list[str] = []
    for folder in (root / "examples" / "demo-site", root.parent / "shared" / "corpus"):
        for path in sorted(folder.rglob("*.htm*"))[:60] if folder.is_dir() else ():
            f = page_facts(path.read_bytes(), "http://site.test/" + path.name, {"Content-Type": "text/html"})
            texts.append(f.title + "\n" + f.all_text)
    folding = [p for p in _plugin_patterns() if p.flags & re.IGNORECASE and "(?P<" not in p.pattern]
    assert len(folding) > 80
    matched = 0
    for p in folding:
        words = re.sub(r"[^A-Za-z]+", " ", p.pattern)
        odd = ("İstanbul " + words, words.replace("s", "ſ"), words.replace("k", "\u212a").upper(), words + " \u0130")
        for text in (*texts, words, words.upper(), words.title(), *odd):
            expected = [m.span() for m in p.finditer(text)]
            assert list(folded_spans(p, text)) == expected, (p.pattern[:80], text[:80])
            first = p.search(text)
            assert folded_search(p, text) == (first.group(0) if first else None)
            matched += bool(expected)
    assert matched > 300
    # A case-sensitive pattern is searched as it is.
    siret = lazy_compile(r"SIRET\s*:\s*[A-Z]{2}")
    assert list(folded_spans(siret, "siret: ab SIRET : FR")) == [(10, 20)]
    assert folded_search(siret, "siret : fr") is None


def test_hours_and_price_on_request_read_as_the_patterns_say() -> None:
    """The rewritten scans of the contact and pricing probes: hours named with a time or a
    day after them, "24/7"; a price on request, in the case it was written."""
    from cxprobe_plugins.pricing import hidden_price_cue
    from cxprobe_plugins.words import mentions_hours

    filler = "We fix bikes in Riverton and we fix them fast. " * 60
    assert mentions_hours(filler + "OPENING HOURS: Mon-Fri 9-18") and mentions_hours(filler + "Support 24/7.")
    assert not mentions_hours(filler + "before or after your opening hours") and not mentions_hours(filler)
    assert mentions_hours("Öffnungszeiten\nMo–Fr 9–18 Uhr") and mentions_hours("İstanbul. Opening hours: 9-17")
    assert hidden_price_cue(filler + "Prices On Request for groups.") == "Prices On Request"
    assert hidden_price_cue(filler + "Please Contact Sales.") == "Contact Sales"
    assert hidden_price_cue(filler + "une demande de consultation ou de devis") is None
    assert hidden_price_cue(filler) is None


def test_placeholder_copy_reads_as_its_pattern_does() -> None:
    """placeholder_copy goes through folded_spans: what PLACEHOLDER_RE matches, as written,
    "ſ" (an "s" to a case-insensitive pattern) included."""
    from cxprobe_plugins._common import PLACEHOLDER_RE, placeholder_copy

    filler = "We fix bikes in Riverton and we fix them fast. " * 60
    for text in (filler + "LOREM IPSUM dolor", "Lorem ipſum", filler + "İ Your Company Name", filler):
        assert placeholder_copy(text) == [m.group(0) for m in PLACEHOLDER_RE.finditer(text)]
    assert placeholder_copy("Lorem ipſum") == ["Lorem ipſum"]


# -- Context.is_broken and find_purpose_page, read once a run ------------------------------

def test_is_broken_answers_as_the_first_fetch_of_each_url_says() -> None:
    """A page that answered with an error is broken; one robots.txt kept out or that is not
    HTML is not; a URL never fetched is not; of a URL fetched twice, the first answer counts
    (what ``Site.page`` gives)."""
    from dataclasses import replace

    from cxprobe.model import Page
    from cxprobe.testing import build_site, html_page

    site = build_site({"/": html_page('<a href="/gone.html">Gone</a> <a href="/ok.html">OK</a>'),
                       "/ok.html": html_page("<p>Fine.</p>")})
    origin = site.origin
    robots = Page(url=f"{origin}/private.html", status=None, depth=1, error="robots")
    pdf = Page(url=f"{origin}/menu.pdf", status=200, depth=1, error="not_html")
    ok_page = next(p for p in site.pages if p.url == f"{origin}/ok.html")
    failed_again = replace(ok_page, status=500, facts=None, error="http_error")
    server_error = Page(url=f"{origin}/down.html", status=503, depth=1, error="http_error")
    site = replace(site, pages=(*site.pages, robots, pdf, failed_again, server_error))
    ctx = Context(site=site, config=AuditConfig(target=origin))
    assert ctx.is_broken(f"{origin}/gone.html")  # the folder's 404
    assert ctx.is_broken(f"{origin}/down.html")
    assert not ctx.is_broken(f"{origin}/ok.html")  # its first fetch was a page
    assert not ctx.is_broken(f"{origin}/private.html") and not ctx.is_broken(f"{origin}/menu.pdf")
    assert not ctx.is_broken(f"{origin}/never.html") and not ctx.is_broken("https://elsewhere.example/")


def test_find_purpose_page_takes_the_shallowest_page_then_the_strongest_way_it_says_so() -> None:
    """Address (0) before heading (1) before title part (2) before the link to it (3), but
    always the shallowest page first; a heading many pages share is one text to match."""
    from cxprobe_plugins._common import CONTACT_RE, CONTACT_SLUG, find_purpose_page, page_labels

    from cxprobe.testing import build_site, html_page

    def site(pages: dict[str, str]) -> Context:
        return Context(site=build_site(pages), config=AuditConfig(target="https://acme.example"))

    deep = html_page('<a href="/a.html">A</a>')
    ctx = site({"/": html_page('<a href="/a.html">A</a> <a href="/b.html">B</a> <a href="/team.html">Write to us</a>'),
                "/a.html": html_page('<h1>Contact us</h1><a href="/kontakt.html">K</a>'),
                "/b.html": html_page("<p>b</p>", title="Contact | Acme"),
                "/team.html": html_page("<p>The team.</p>"),
                "/kontakt.html": deep})
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    assert hit is not None and hit.url.endswith("/a.html") and hit.depth == 1
    assert hit.reason == "its heading says so: 'Contact us'"
    # The same depth: the address beats the heading, the heading the title.
    ctx = site({"/": html_page('<a href="/b.html">B</a> <a href="/a.html">A</a> <a href="/kontakt.html">K</a>'),
                "/a.html": html_page("<h1>Contact us</h1>"), "/b.html": html_page("<p>b</p>", title="Contact | Acme"),
                "/kontakt.html": html_page("<p>k</p>")})
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    assert hit is not None and hit.url.endswith("/kontakt.html") and hit.reason == "its address /kontakt.html says so"
    ctx = site({"/": html_page('<a href="/b.html">B</a> <a href="/a.html">A</a>'),
                "/a.html": html_page("<h1>Contact us</h1>"), "/b.html": html_page("<p>b</p>", title="Contact | Acme")})
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    assert hit is not None and hit.url.endswith("/a.html")
    ctx = site({"/": html_page('<a href="/b.html">B</a> <a href="/team.html">Write to us</a>'),
                "/b.html": html_page("<p>b</p>", title="Contact | Acme"), "/team.html": html_page("<p>t</p>")})
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    assert hit is not None and hit.url.endswith("/b.html") and hit.reason == "its title says so: 'Contact | Acme'"
    # A page that says so twice is found by its strongest way.
    ctx = site({"/": html_page('<a href="/a.html">A</a>'),
                "/a.html": html_page("<h1>Contact us</h1>", title="Contact | Acme")})
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    assert hit is not None and hit.reason == "its heading says so: 'Contact us'"
    # Only the link says so; the start page is never found by the link to itself.
    ctx = site({"/": html_page('<a href="/team.html">Write to us</a> <a href="/">Contact</a>'),
                "/team.html": html_page("<p>t</p>")})
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    assert hit is not None and hit.url.endswith("/team.html") and hit.reason == "the link to it says 'Write to us'"
    # One heading on many pages (a shared template): the shallowest, then the first by URL.
    pages = {"/": html_page(" ".join(f'<a href="/p{i}.html">{i}</a>' for i in range(6)))}
    pages.update({f"/p{i}.html": html_page("<h1>Get in touch</h1>") for i in range(6)})
    ctx = site(pages)
    assert len(page_labels(ctx)) == 7
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    assert hit is not None and hit.url.endswith("/p0.html")
    assert find_purpose_page(site({"/": html_page("<p>Nothing here.</p>")}), CONTACT_RE, CONTACT_SLUG) is None
