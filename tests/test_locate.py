"""Source locations (cxprobe/locate.py): every example of a folder or file audit names the
file it sits in and the line and column of the element.

The locator runs on real files written to disk (tricky HTML: reordered attributes, single
quotes, entities, upper-case tags, text split across lines and tags, repeated snippets,
CRLF, a BOM, a latin-1 page, a symbolic link out of the folder), the URL-to-file rules are
checked against the real folder server, and real CLI audits of the demo site and corpus
folders are checked line by line against the files.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cxprobe.document.decode import decode_html
from cxprobe.locate import Locator, SourceLocation, locator_for
from cxprobe.target import LocalServer, site_file

pytestmark = pytest.mark.usefixtures("quick_teardown")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-site"
#: Corpus folders audited end to end: nested folders (w3c-bad), folder URLs (joplin-2021),
#: many pages (tf-constra), a one-page site with repeated links (grilli).
CORPUS_SITES = ("grilli", "joplin-2021", "tf-constra", "w3c-bad")
MAX_BYTES = 5 * 1024 * 1024


def where(root: Path, page: str | bytes, selector: str = "", snippet: str = "", name: str = "page.html") -> tuple[int | None, int | None]:
    """Write ``page`` to ``root/name`` and locate one example on it: (line, column)."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(page, str):
        path.write_text(page, encoding="utf-8", newline="")
    else:
        path.write_bytes(page)
    found = Locator(root, MAX_BYTES).locate("/" + name, selector, snippet)
    assert found is not None and found.file == name
    return found.line, found.column


# --------------------------------------------------------------------------- element snippets


def test_an_element_is_found_with_attributes_reordered_single_quoted_escaped_and_upper_case(tmp_path: Path) -> None:
    page = ("<!doctype html>\n<html><body>\n"
            "<p><a href='/search?q=a&amp;page=3' class=btn>Next page</a></p>\n"  # another href
            "  <A CLASS='btn primary' HREF='/search?q=a&amp;page=2'>Next\n   page</A>\n"
            "</body></html>\n")
    assert where(tmp_path, page, "p a.btn.primary", '<a href="/search?q=a&page=2">Next page</a>') == (4, 3)


def test_an_element_with_the_same_attributes_is_told_apart_by_its_text(tmp_path: Path) -> None:
    page = ('<ul>\n<li><a href="#">Terms</a></li>\n<li><a href="#"><span>Privacy</span>\n policy</a></li>\n</ul>\n')
    assert where(tmp_path, page, "a", '<a href="#">Privacy policy</a>') == (3, 5)
    assert where(tmp_path, page, "a", '<a href="#">Terms</a>') == (2, 5)


def test_link_text_taken_from_an_aria_label_or_an_image_alt_finds_its_link(tmp_path: Path) -> None:
    page = ('<footer class="site-footer">\n<a href="#">Home</a>\n'
            '<a class="social" href="#" aria-label="Us on Twitter"><svg viewBox="0 0 1 1"></svg></a>\n'
            '<a href="#"><img src="n.png" alt="news-img"></a>\n</footer>\n')
    assert where(tmp_path, page, "footer.site-footer a.social", '<a href="#">Us on Twitter</a>') == (3, 1)
    assert where(tmp_path, page, "footer.site-footer a", '<a href="#">news-img</a>') == (4, 1)


def test_a_repeated_element_snippet_lands_on_the_one_the_selector_names(tmp_path: Path) -> None:
    page = ('<header><nav>\n<a href="#">Privacy</a>\n</nav></header>\n<main>\n'
            '<section class="cards"><a href="#" class="card-title">Privacy</a></section>\n</main>\n'
            '<footer class="site-footer">\n  <ul><li><a href="#">Privacy</a></li></ul>\n</footer>\n')
    snippet = '<a href="#">Privacy</a>'
    assert where(tmp_path, page, "footer.site-footer a", snippet) == (8, 11)
    assert where(tmp_path, page, "section.cards a.card-title", snippet) == (5, 24)
    assert where(tmp_path, page, "nav a", snippet) == (2, 1)
    assert where(tmp_path, page, "", snippet) == (2, 1)  # no selector: the first


def test_an_icon_link_without_text_is_found_by_its_attributes_inside_its_container(tmp_path: Path) -> None:
    page = ('<p><a href="#">Read more</a></p>\n<div id="team">\n'
            '  <a target="_blank" href="#"><i class="fab fa-facebook-f"></i></a>\n</div>\n')
    assert where(tmp_path, page, "div#team a", '<a href="#"></a>') == (3, 3)


# --------------------------------------------------------------------------- text snippets


def test_text_is_found_across_lines_inline_tags_and_entities(tmp_path: Path) -> None:
    page = ("<main>\n<p class=\"lead\">Questions?\n"
            "   Call us on <strong>(503)</strong>\n\t555&#45;0199&nbsp;today</p>\n</main>\n")
    assert where(tmp_path, page, "main p.lead", "Call us on (503) 555-0199 today") == (3, 4)
    assert where(tmp_path, page, "", "(503) 555-0199") == (3, 23)


def test_repeated_text_lands_in_the_element_the_selector_names_else_the_first(tmp_path: Path) -> None:
    page = ('<main><p>Call (503) 555-0199 now</p></main>\n'
            '<footer class="site-footer"><p>Questions? <a href="tel:+15035550199">(503) 555-0199</a></p></footer>\n')
    assert where(tmp_path, page, "footer.site-footer a", "(503) 555-0199") == (2, 70)
    assert where(tmp_path, page, "", "(503) 555-0199") == (1, 15)


def test_text_in_a_comment_or_script_is_not_taken_for_the_page_text(tmp_path: Path) -> None:
    page = ("<!-- Lorem ipsum dolor sit amet -->\n<script>var s = 'Lorem ipsum dolor sit amet';</script>\n"
            "<STYLE>p::after { content: 'Lorem ipsum' }</STYLE>\n<p>Lorem ipsum dolor sit amet.</p>\n")
    assert where(tmp_path, page, "", "Lorem ipsum dolor sit amet") == (4, 4)


def test_a_value_written_in_an_attribute_is_found_in_the_source(tmp_path: Path) -> None:
    page = ('<p>Sign up</p>\n<form class="inline-form"\n      action="https://formspree.io/f/YOUR_FORM_ID" method="post">\n'
            '<input type="email" name="email"></form>\n<form id="contactForm" data-sb-form-api-token="API_TOKEN"></form>\n')
    assert where(tmp_path, page, "form.inline-form", "YOUR_FORM_ID") == (3, 38)
    assert where(tmp_path, page, "form#contactForm", 'data-sb-form-api-token="API_TOKEN"') == (5, 24)


def test_values_a_probe_joined_are_found_by_the_first_part_the_page_holds(tmp_path: Path) -> None:
    page = ("<header>Start Bootstrap</header>\n<main><p>Nothing to see</p></main>\n"
            "<footer>Copyright &copy; Your Website 2023</footer>\n")
    assert where(tmp_path, page, "", "Free Theme, Copyright © Your Website, Start Bootstrap") == (3, 9)


def test_a_title_snippet_is_found_in_the_title_element(tmp_path: Path) -> None:
    page = "<html>\n<head>\n  <title>Webinar: spring &amp; summer &#8212; Wrenchlog</title>\n</head><body><h1>Webinar</h1></body></html>\n"
    assert where(tmp_path, page, "", "Webinar: spring & summer — Wrenchlog") == (3, 10)


# --------------------------------------------------------------------------- selectors alone, page-level findings


def test_an_empty_snippet_uses_a_specific_selector_and_nothing_else(tmp_path: Path) -> None:
    page = ('<div class="a">\n<div class="a">\n<section class="hero">\n<h1>Hi</h1>\n'
            '<form id="contactForm" action="/x"></form>\n</section>\n</div></div>\n')
    assert where(tmp_path, page, "section.hero form#contactForm", "") == (5, 1)
    assert where(tmp_path, page, "h1", "") == (4, 1)  # one h1 in the file
    assert where(tmp_path, page, "div", "") == (None, None)  # two divs: no guess
    assert where(tmp_path, page, "nav a.missing", "") == (None, None)


def test_browser_selectors_with_child_combinators_and_nth_of_type_pick_the_right_sibling(tmp_path: Path) -> None:
    page = ('<div class="card-body p-4">\n<div class="text-center">\n'
            '<a class="fs-5 px-2" href="#!"><i class="bi-twitter"></i></a>\n'
            '<a class="fs-5 px-2" href="#!"><i class="bi-facebook"></i></a>\n'
            '<a class="fs-5 px-2" href="#!"><i class="bi-linkedin"></i></a>\n</div>\n</div>\n')
    selector = "div.card-body.p-4 > div.text-center > a.fs-5.px-2:nth-of-type({})"
    assert where(tmp_path, page, selector.format(2), "not checked: bootstrap-icons.css did not load") == (4, 1)
    assert where(tmp_path, page, selector.format(3), " (16x24 px)") == (5, 1)
    # ">" is a child combinator: a text-center that is no child of the card is not it.
    assert where(tmp_path, page, "div.card-body.p-4 > a.fs-5.px-2:nth-of-type(1)", "") == (None, None)


def test_a_short_value_found_only_outside_the_selector_gives_way_to_the_selected_element(tmp_path: Path) -> None:
    page = ('<p>Call 555-0100 today</p>\n<fieldset><div class="choices">\n'
            '  <label><input type="radio" name="s" value="1"> Not at all</label>\n'
            '  <label><input type="radio" name="s" value="2"> Not really</label>\n</div></fieldset>\n')
    selector = "fieldset > div.choices > label:nth-of-type({}) > input"
    assert where(tmp_path, page, selector.format(1), "1 (24x24 px)") == (3, 10)
    assert where(tmp_path, page, selector.format(2), "2 (24x24 px)") == (4, 10)
    assert where(tmp_path, page, "", "1 (24x24 px)") == (1, 14)  # no selector: the first "1" there is


def test_a_page_level_finding_names_the_file_without_a_line(tmp_path: Path) -> None:
    assert where(tmp_path, "<html><head><title>x</title></head><body>x</body></html>", "", "") == (None, None)


def test_words_the_page_does_not_hold_fall_back_to_the_selector_or_no_line(tmp_path: Path) -> None:
    page = '<nav id="menu">\n<a href="/">Home</a>\n</nav>\n'
    assert where(tmp_path, page, "", "1 of 16 navigation links shared") == (None, None)
    assert where(tmp_path, page, "nav#menu", "1 of 16 navigation links shared") == (1, 1)


# --------------------------------------------------------------------------- line endings and encodings


def test_crlf_and_lone_cr_line_endings_count_as_one_line_break(tmp_path: Path) -> None:
    page = "<html>\r\n<body>\r\n\r\n  <p>Refund policy</p>\r\n</body>\r\n</html>\r\n"
    assert where(tmp_path, page, "p", "Refund policy") == (4, 6)
    page = "<html>\r<body>\r\r  <p>Refund policy</p>\r</body>\r"
    assert where(tmp_path, page, "p", "Refund policy", name="cr.html") == (4, 6)


def test_a_byte_order_mark_is_not_a_column(tmp_path: Path) -> None:
    page = b"\xef\xbb\xbf<p>Hello world</p>\n<p>Second line</p>\n"
    assert where(tmp_path, page, "", "Hello world") == (1, 4)
    assert where(tmp_path, page, "", "Second line") == (2, 4)


def test_a_latin1_page_with_a_meta_charset_is_decoded_like_the_crawl_decodes_it(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head>\n'
            '<body><p>\xc9t\xe9 \xe0 la cr\xe8me: Caf\xe9 cr\xe8me br\xfbl\xe9e</p></body></html>\n').encode("latin-1")
    # Columns count characters: "<body><p>Été à la crème: " is 25 of them (more bytes in UTF-8).
    assert where(tmp_path, page, "p", "Café crème brûlée") == (2, 26)


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    page = "<p>Ünïcödé — ☕ — 😀 Café</p>\n"
    assert where(tmp_path, page, "", "Café") == (1, 20)


# --------------------------------------------------------------------------- files: the server's rules, the folder's bounds


def test_a_symbolic_link_out_of_the_folder_is_named_but_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("<p>Top secret</p>", encoding="utf-8")
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text("<p>Home</p>", encoding="utf-8")
    os.symlink(outside / "secret.html", root / "secret.html")
    os.symlink(outside, root / "sub")
    locator = Locator(root, MAX_BYTES)
    assert locator.locate("/secret.html", "p", "Top secret") == SourceLocation("secret.html", None, None)
    assert locator.locate("/sub/secret.html", "p", "Top secret") == SourceLocation("sub/secret.html", None, None)
    assert site_file(root, "/secret.html") == ("secret.html", None)
    # ".." never leaves the folder: it is dropped, as the server drops it.
    assert locator.locate("/../outside/secret.html", "p", "Top secret") == SourceLocation("outside/secret.html", None, None)
    assert locator.locate("/", "p", "Home") == SourceLocation("index.html", 1, 4)


def test_a_missing_file_has_no_line_and_a_url_that_names_no_file_has_no_source(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<a href='#'>Privacy</a>", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    locator = Locator(tmp_path, MAX_BYTES)
    assert locator.locate("/gone.html", "a", '<a href="#">Privacy</a>') == SourceLocation("gone.html", None, None)
    assert locator.locate("https://example.com/", "a", "x") is None
    assert locator.locate("/empty/", "", "") is None
    assert locator.locate("", "", "") is None


def test_url_to_file_rules_are_the_folder_servers(tmp_path: Path) -> None:
    """Every path the real server answers with a file maps to that very file; every path it
    refuses maps to no readable file."""
    root = tmp_path / "site"
    (root / "docs").mkdir(parents=True)
    (root / "blog").mkdir()
    (root / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (root / "about.html").write_text("<p>about</p>", encoding="utf-8")
    (root / "docs" / "index.htm").write_text("<p>docs</p>", encoding="utf-8")
    (root / "blog.html").write_text("<p>blog page</p>", encoding="utf-8")  # blog/ has no index
    (root / "a b é.html").write_text("<p>spaced</p>", encoding="utf-8")
    (tmp_path / "out.html").write_text("<p>outside</p>", encoding="utf-8")
    os.symlink(tmp_path / "out.html", root / "link-out.html")
    root = root.resolve()
    paths = ["/", "/index.html", "/about", "/about/", "/about.html?x=1#top", "/docs", "/docs/", "/blog", "/blog/",
             "/a%20b%20%C3%A9.html", "/../about.html", "/%2e%2e/about.html", "/link-out.html", "/missing.html",
             "/docs/missing/", "/ABOUT.html"]
    with LocalServer(root) as server:
        for path in paths:
            try:
                with urllib.request.urlopen(server.origin + path, timeout=10) as response:  # follows redirects
                    served: bytes | None = response.read()
            except urllib.error.HTTPError as err:
                assert err.code == 404, path
                served = None
            found = site_file(root, path)
            mapped = (root / found[0]).read_bytes() if found is not None and found[1] is not None else None
            assert mapped == served, path


def test_the_locator_is_fast_and_never_raises_on_hostile_input(tmp_path: Path) -> None:
    hostile = ('<a title="' + "x" * 50_000 + "\n") * 4 + "<" * 20_000 + '<p class="x">end</p>' + "&#99999999999;" * 1000
    (tmp_path / "hostile.html").write_text(hostile, encoding="utf-8")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 200)
    locator = Locator(tmp_path, MAX_BYTES)
    started = time.perf_counter()
    for selector, snippet in [("a[href]::x", "<<<>>>"), ("p.x", "end"), ("", "<a"), ("p", "<p class=\"x\">end</p>"),
                              ("", "&"), ("###", "\x00\ud800"), ("a", '<a href="#">' + "y" * 400 + "</a>")]:
        for name in ("/hostile.html", "/binary.html"):
            found = locator.locate(name, selector, snippet)
            assert found is not None and found.file == name[1:]
    assert time.perf_counter() - started < 5
    assert locator.locate("/hostile.html", "p.x", "end") is not None
    assert locator.locate("/hostile.html", "p.x", "end").line == 5  # type: ignore[union-attr]


def test_each_file_is_read_at_most_max_bytes(tmp_path: Path) -> None:
    (tmp_path / "big.html").write_text("<p>early</p>\n" + "<p>filler</p>\n" * 1000 + "<p>late words</p>\n", encoding="utf-8")
    locator = Locator(tmp_path, 1024)
    assert locator.locate("/big.html", "p", "early") == SourceLocation("big.html", 1, 4)
    assert locator.locate("/big.html", "p", "late words") == SourceLocation("big.html", None, None)


def test_live_targets_get_no_locator(tmp_path: Path) -> None:
    assert locator_for(None, "url", MAX_BYTES) is None
    assert locator_for(tmp_path, "url", MAX_BYTES) is None
    assert isinstance(locator_for(tmp_path, "folder", MAX_BYTES), Locator)


# --------------------------------------------------------------------------- real audits through the CLI


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(files("cxprobe").joinpath("schema/report.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


def _pieces(snippet: str) -> list[str]:
    """The text a snippet is about: an element's text or attribute values, else the text
    and the parts a probe joined."""
    m = re.match(r"^\s*<([A-Za-z][\w:-]*)([^>]*)>(.*?)(?:</\1\s*>)?\s*$", snippet, re.S)
    if m:
        return [p for p in [m.group(3), *re.findall(r'"([^"]*)"', m.group(2))] if _fold(p)]
    return [p for p in [snippet, *re.split(r", | … | -> | / | \(", snippet)] if _fold(p)]


def check_report(root: Path, report: dict[str, Any]) -> tuple[int, int, int]:
    """Assert every example's source against the files; returns (examples, with a
    non-empty snippet, of those located with a line)."""
    errors = sorted(_validator().iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, errors[0].message
    texts: dict[str, str] = {}
    examples = with_snippet = located = 0
    for finding in report["findings"]:
        for example in finding["examples"]:
            examples += 1
            source = example.get("source")
            assert source is not None, example
            path = root / source["file"]
            assert path.is_file() and path.resolve().is_relative_to(root.resolve()), source
            if source["file"] not in texts:
                texts[source["file"]] = decode_html(path.read_bytes(), {"content-type": "text/html; charset=utf-8"})[0].lstrip("\ufeff")
            text = texts[source["file"]]
            snippet = example["snippet"]
            if not snippet.strip():
                if source["line"] is not None:  # a selector alone led to an element
                    line = re.split(r"\r\n?|\n", text)[source["line"] - 1]
                    assert line[source["column"] - 1:].startswith("<"), (example, line)
                continue
            with_snippet += 1
            pieces = _pieces(snippet)
            page_text = _fold(html.unescape(re.sub(r"<[^>]*>", "", text)))
            page_source = _fold(html.unescape(text))
            holds = any(_fold(p) in page_text or _fold(p) in page_source for p in pieces)
            if source["line"] is None:
                # Only a probe's own words (not in the file) may stay without a line.
                assert not holds, f"not located although the file holds it: {example}"
                continue
            located += 1
            line = re.split(r"\r\n?|\n", text)[source["line"] - 1]
            rest = line[source["column"] - 1:]
            if not holds:  # a probe's own words: found through the selector, at an element
                assert rest.startswith("<"), (example, line)
                continue
            tag = re.match(r"^\s*<([A-Za-z][\w:-]*)", snippet)
            rest_text = _fold(html.unescape(re.sub(r"<[^>]*>", "", rest)))
            rest_source = _fold(html.unescape(rest))
            ok = bool(tag) and rest.lower().startswith("<" + tag.group(1).lower())
            # A value as short as "1" is on every page: the element the selector names is the place.
            ok = ok or (bool(example["selector"]) and not tag and rest.startswith("<"))
            for piece in map(_fold, pieces):
                for seen in (rest_text, rest_source):
                    ok = ok or (bool(seen) and (seen.startswith(piece[:6]) or piece.startswith(seen)))
            assert ok, f"{source['file']}:{source['line']}:{source['column']} does not hold {snippet!r}: {line!r}"
    return examples, with_snippet, located


def _audit(run_cli: Callable[..., Any], target: Path | str, out: Path) -> dict[str, Any]:
    proc = run_cli("audit", str(target), "--render", "static", "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def test_every_example_of_the_demo_site_names_its_file_and_line(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    report = _audit(run_cli, DEMO, tmp_path / "demo.json")
    examples, with_snippet, located = check_report(DEMO, report)
    print(f"demo-site: {located}/{with_snippet} examples with a snippet located ({examples} examples)")
    assert examples >= 20 and located >= with_snippet - 1  # the one left is a probe's summary, not page text
    by_probe = {f["probe"] + ":" + e["snippet"]: e["source"] for f in report["findings"] for e in f["examples"]}
    assert by_probe['contact.agreement:<a href="mailto:help@wrenchlog.example">support@wrenchlog.example</a>'] == \
        {"file": "contact.html", "line": 64, "column": 36}
    assert by_probe["mobile.viewport:"] == {"file": "changelog.html", "line": None, "column": None}


@pytest.mark.parametrize("site", CORPUS_SITES)
def test_every_example_of_a_corpus_site_names_its_file_and_line(site: str, corpus: Path, run_cli: Callable[..., Any],
                                                                 tmp_path: Path) -> None:
    root = corpus / site
    report = _audit(run_cli, root, tmp_path / f"{site}.json")
    examples, with_snippet, located = check_report(root, report)
    print(f"{site}: {located}/{with_snippet} examples with a snippet located ({examples} examples)")
    assert with_snippet > 0


def test_a_file_target_names_the_file_itself(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "landing.html").write_text(
        '<!doctype html>\n<html lang="en"><head><title>Kettle descaling</title></head>\n<body>\n'
        '<h1>Descaling for office coffee machines</h1>\n<footer>\n'
        '  <a href="#">Privacy</a>\n</footer>\n</body></html>\n', encoding="utf-8")
    report = _audit(run_cli, site / "landing.html", tmp_path / "r.json")
    check_report(site, report)
    sources = {e["snippet"]: e["source"] for f in report["findings"] for e in f["examples"]}
    assert sources['<a href="#">Privacy</a>'] == {"file": "landing.html", "line": 6, "column": 3}


def test_a_live_site_report_has_no_source(run_cli: Callable[..., Any], http_site: Any, tmp_path: Path) -> None:
    http_site.page("/", '<!doctype html><html lang="en"><head><title>Kettle</title></head><body><h1>Kettle</h1>'
                        '<footer><a href="#">Privacy</a></footer></body></html>')
    report = _audit(run_cli, http_site.url("/"), tmp_path / "r.json")
    examples = [e for f in report["findings"] for e in f["examples"]]
    assert any(e["snippet"] == '<a href="#">Privacy</a>' for e in examples)
    assert all("source" not in e for e in examples)
    assert not list(_validator().iter_errors(report))


def test_the_schema_rejects_a_malformed_source() -> None:
    validator = _validator()
    base = {"url": "/a.html", "selector": "", "snippet": ""}
    example_schema = {"$ref": "#/$defs/example", "$defs": validator.schema["$defs"]}
    check = jsonschema.Draft202012Validator(example_schema)
    assert check.is_valid({**base, "source": {"file": "a.html", "line": 3, "column": 1}})
    assert check.is_valid({**base, "source": {"file": "dir/a.html", "line": None, "column": None}})
    assert check.is_valid(base)
    for bad in ({"file": "a.html", "line": 0, "column": 1}, {"file": "/a.html", "line": 1, "column": 1},
                {"file": "a.html", "line": 1}, {"file": "a.html", "line": 1, "column": 1, "end": 2},
                {"file": "", "line": 1, "column": 1}, {"file": "../a.html", "line": 1, "column": 1}):
        assert not check.is_valid({**base, "source": bad}), bad
