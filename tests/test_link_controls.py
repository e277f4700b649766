"""Links without a destination that are controls, not dead links (cxprobe/document/controls.py),
and what a page's scripts do to its links (cxprobe/document/scripts.py).

Each case is a pattern met on a real site (the evaluation set's judgements): a customer
clicks it and something happens, so it is no dead link; and the patterns that stay dead.
"""

from __future__ import annotations

import pytest

from cxprobe.document import extract_facts
from cxprobe.document.scripts import read_script
from cxprobe.model import Link

URL = "https://acme.test/index.html"


def links(body: str, url: str = URL, head: str = "") -> dict[str, Link]:
    html = f"<!doctype html><html><head><title>Acme</title>{head}</head><body>{body}</body></html>"
    return {lk.text: lk for lk in extract_facts(url, None, html.encode()).links}


@pytest.mark.parametrize(("body", "text", "control"), [
    # dropdown and submenu toggles
    ('<ul><li class="dropdown"><a href="#" class="dropdown-toggle" data-bs-toggle="dropdown">Blog</a>'
     '<ul class="dropdown-menu"><li><a href="/b">Post</a></li></ul></li></ul>', "Blog", "toggle"),
    ('<ul><li><a href="#">Rooms</a><input type="checkbox" id="d2"><ul><li><a href="/r1">Room 1</a></li></ul></li>'
     '<li><a href="/x">X</a></li></ul>', "Rooms", "toggle"),
    ('<ul><li><a href="">Camere</a><ul><li><a href="/f">Family</a></li></ul></li></ul>', "Camere", "toggle"),
    ('<a href="#" aria-expanded="false" aria-controls="faq1">Question</a>', "Question", "toggle"),
    ('<a href="#" data-target="#faq2">Answer</a>', "Answer", "toggle"),
    ('<a href="#" role="tab">Monthly</a>', "Monthly", "toggle"),
    # popups, cookie settings, lightboxes, galleries, carousels
    ('<a href="#" data-consent-open>Cookies</a>', "Cookies", "popup"),
    ('<a href="#" class="open-modal">Book</a>', "Book", "popup"),
    ('<a href="#" data-lightbox="set"><img src="a.jpg" alt="Room"></a>', "Room", "gallery"),
    ('<div class="gallery"><div class="item"><a href="#"><img src="b.jpg" alt="Garden"></a></div></div>', "Garden",
     "gallery"),
    ('<a href="#" class="carousel-control-prev">Previous</a>', "Previous", "carousel"),
    ('<a href="#" data-bs-slide="next">Next</a>', "Next", "carousel"),
    # back to top, in any language, or an arrow icon alone
    ('<a href="#" class="back-to-top"><i class="bi bi-arrow-up-short"></i></a>', "", "top"),
    ('<a href="#">Nach oben</a>', "Nach oben", "top"),
    ('<a href="#" aria-label="Voltar ao topo"><i class="fa fa-chevron-up"></i></a>', "Voltar ao topo", "top"),
    # click handlers and script-filled destinations
    ('<a href="#" onclick="openChat(); return false;">Chat</a>', "Chat", "onclick"),
    ('<a href="javascript:history.back()">Back</a>', "Back", "onclick"),
    ('<a href="javascript:void(0);" id="maps" data-url="https://maps.app.goo.gl/x">Street 1, Berlin</a>',
     "Street 1, Berlin", "script"),
    ('<a href="#" class="js-share">Share</a>', "Share", "script"),
])
def test_controls_are_not_dead_links(body: str, text: str, control: str) -> None:
    lk = links(body)[text]
    assert (lk.dead, lk.control) == (None, control)


@pytest.mark.parametrize(("body", "text", "dead"), [
    ('<footer><a href="#">Programme fidélité</a></footer>', "Programme fidélité", "hash"),
    ('<div class="card"><h3><a href="#" class="card-title">Milton S. Uehara</a></h3></div>', "Milton S. Uehara", "hash"),
    ('<a href="#" target="_blank" class="btn btn-google-map">Read More Google Reviews</a>', "Read More Google Reviews",
     "hash"),
    # a Bootstrap placeholder button: role="button" alone is no signal
    ('<a class="btn btn-primary btn-lg" href="#" role="button">Learn more</a>', "Learn more", "hash"),
    # a tooltip opens on hover, not on click
    ('<a href="#" data-toggle="tooltip" title="Facebook"><i class="fa fa-facebook"></i></a>', "Facebook", "hash"),
    ('<a href="javascript:void(0)" onclick="return false;">Nothing</a>', "Nothing", "javascript"),
    # a logo next to the main menu is no dropdown trigger
    ('<div class="nav"><a href="#" class="logo">Acme</a><ul><li><a href="/a">About</a></li></ul></div>', "Acme", "hash"),
])
def test_dead_links_stay_dead(body: str, text: str, dead: str) -> None:
    lk = links(body)[text]
    assert (lk.dead, lk.control) == (dead, "")


def test_onclick_navigation_is_a_link_even_on_a_button() -> None:
    found = links('<nav><button class="tab" onclick="location.href=\'contact.html\';">KONTAKT</button>'
                  '<a href="#" onclick="window.location.href=\'about.html\'">About</a></nav>')
    assert found["KONTAKT"].url == "https://acme.test/contact.html" and found["KONTAKT"].element == "button"
    assert found["KONTAKT"].region == "nav" and found["KONTAKT"].dead is None
    assert found["About"].url == "https://acme.test/about.html" and found["About"].dead is None


def test_a_link_an_inline_script_binds_to_a_click_is_a_control() -> None:
    body = ('<a href="javascript:void(0)" class="btn open-contact">Contact us</a>'
            '<a href="#" id="share">Share</a><a href="#" class="card-title">Team member</a>'
            '<a href="/a" class="nav-link">About</a><a href="#" class="nav-link">Blog</a>'
            """<script>
              document.querySelectorAll('.open-contact').forEach(b => b.addEventListener('click', openModal));
              const share = document.getElementById('share');
              // ... other code ...
              share.addEventListener('click', () => navigator.share({url: location.href}));
              document.querySelectorAll('.nav-link').forEach(a => a.addEventListener('click', closeMenu));
              window.addEventListener('scroll', () => document.querySelector('.card-title'));
            </script>""")
    found = links(body)
    assert found["Contact us"].control == "script" and found["Contact us"].dead is None
    assert found["Share"].control == "script"
    # bound on scroll, not on click: still dead
    assert found["Team member"].dead == "hash"
    # ".nav-link" is carried by working links too: the script closes the menu, the "#" link
    # still goes nowhere
    assert found["Blog"].dead == "hash" and found["Blog"].hooks == ()


def test_named_anchors_and_the_current_page_are_no_links() -> None:
    found = links('<h2><a id="operable">Operable</a></h2><nav><ul><li><a href="/">Home</a></li>'
                  '<li><a>News</a></li></ul></nav><p>Design by <a href="https://x.test">X</a><a>&amp; Y.</a></p>')
    assert sorted(found) == ["Home", "X"]


def test_page_facts_record_where_scripts_and_forms_send_visitors() -> None:
    html = """<!doctype html><html><head><title>Acme</title>
      <meta http-equiv="refresh" content="30; url=/moved.html"></head><body>
      <form action="thanks.html" method="post"><input name="email"></form>
      <form action="https://formsubmit.co/x" method="post"><input type="hidden" name="_next" value="https://acme.test/merci.html">
      <input name="e"></form>
      <div w3-include-html="nav.html"></div>
      <script>form.onsubmit = () => { window.location.href = 'obrigado.html'; };
        fetch(base + 'partials/header' + lang + '.html').then(r => r.text()).then(h => el.innerHTML = h);
        footer.innerHTML = '<a href="privacy.html">Privacy</a><div id="legal"></div>';</script>
    </body></html>"""
    f = extract_facts("https://acme.test/index.html", None, html.encode())
    assert set(f.opens) >= {"https://acme.test/thanks.html", "https://acme.test/merci.html",
                            "https://acme.test/obrigado.html", "https://acme.test/moved.html"}
    assert "nav.html" in f.includes and "*partials/header*.html" in f.includes
    assert f.script_links == ("https://acme.test/privacy.html",)
    assert "legal" in f.anchors
    assert f.fragment is False
    piece = extract_facts("https://acme.test/partials/footer.html", None, b'<footer><a href="/imprint.html">Imprint</a></footer>')
    assert piece.fragment is True


def test_script_reading_is_bounded_and_never_runs_anything() -> None:
    r = read_script("const b = document.querySelector('[data-call-open]'); if (b) b.addEventListener('click', open);"
                    "$(document).on('click', '.menu a, .js-toggle', f); location.assign('/done.html');")
    assert r.binds >= {"[data-call-open]", ".js-toggle"} and ".menu" not in r.binds
    assert r.opens == ("/done.html",)
    # a destination the script fills in (a mailto, a share link)
    r = read_script("var m = document.getElementById('mail'); m.href = 'mailto:' + user + '@' + host;"
                    "document.querySelector('.share-fb').setAttribute('href', fb + location.href);")
    assert r.binds >= {"#mail", ".share-fb"}
    # hostile input: long, repetitive, unbalanced quotes; linear time
    for text in ("a+" * 150_000, "'" * 300_000, "x = '" + "a+'b'+" * 50_000, "'click' " * 40_000):
        read_script(text)
