"""Journey probes over links: dead links and controls, pages not meant to be linked, dead
ends, and links to sections that do not exist (plugins/journey.py), on hand-built sites."""

from __future__ import annotations

import dataclasses

from cxprobe_plugins.journey import Anchors, DeadEnds, DeadLinks, Reachability

from cxprobe.testing import ORIGIN, build_site, html_page, run_probe

NAV = '<nav><a href="/">Home</a> <a href="/about.html">About</a></nav>'


def test_controls_are_not_dead_links_and_a_logo_elsewhere_does_not_lead_home() -> None:
    site = build_site({
        "/": html_page(f'{NAV}<h1>A</h1><a href="/about.html">About</a>'
                  '<ul><li><a href="#">Rooms</a><ul><li><a href="/r.html">Room</a></li></ul></li></ul>'
                  '<a href="#" class="back-to-top"><i class="bi bi-arrow-up"></i></a>'
                  '<a href="#" data-bs-toggle="modal" data-bs-target="#book">Book</a><a href="#">Loyalty</a>'),
        "/about.html": html_page('<a href="#" class="logo">Acme</a><h1>About</h1><a href="/">Back</a>'),
    })
    out = run_probe(DeadLinks(), site)
    assert sorted((i.kind, i.key) for i in out.issues) == [("dead-link", "loyalty"), ("home-link", "acme")]
    home = next(i for i in out.issues if i.kind == "home-link")
    # The title quotes the link as the page writes it; the key (and the id) is lower-cased.
    assert home.title == "Link 'Acme' does not lead to the home page"
    assert home.cause is not None and home.cause.key == "dead-link:acme"
    assert [e.url for e in home.evidence] == [ORIGIN + "/about.html"]
    assert out.facts["dead_links"] == 2


def test_pages_not_meant_to_be_linked_are_not_unreachable() -> None:
    orphans = {
        "/404.html": html_page("<h1>Oops</h1><p>Página no encontrada</p>", title="Página no encontrada · Casa Rural"),
        "/error.html": html_page("<h1>Sorry</h1>", title="Acme"),
        "/gracias/": html_page("<h1>¡Gracias!</h1><p>Te responderemos pronto.</p>", title="Gracias · Casa Rural"),
        "/obrigado.html": html_page("<h1>Recebemos</h1>", title="Mensagem recebida | Alisson Paz"),
        "/google3a8e91928b32955c.html": "google-site-verification: google3a8e91928b32955c.html",
        "/partials/footer.html": '<footer><a href="/impressum.html">Impressum</a></footer>',
        "/assets/vendor/lib/docs/index.html": html_page("<h1>Slider</h1>", title="Slider"),
        "/portfolio-details.html": html_page("<h1>Details</h1>", title="Portfolio Details - Squadfree Bootstrap Template"),
        "/regole.html": " ",
        "/booking.html": html_page("<h1>Book a room</h1>" + "<p>Choose your dates and we will confirm by e-mail within a day.</p>" * 3,
                              title="Booking"),
        "/landing.html": html_page("<h1>Merci</h1>", title="Acme"),
        "/sent.html": html_page("<h1>Done</h1>", title="Acme"),
        "/old-offer.html": html_page("<h1>Spring offer</h1><p>Twenty percent off every repair in April.</p>", title="Spring offer"),
    }
    pages = {"/": html_page(f'{NAV}<h1>A</h1><a href="/booking/">Book</a>'),
             "/booking/": orphans["/booking.html"]}
    site = build_site(pages, orphans=orphans)
    site = dataclasses.replace(site, script_urls={ORIGIN + "/sent.html": "opened"})
    out = run_probe(Reachability(), site)
    assert [e.url for e in out.issues[0].evidence] == [ORIGIN + "/old-offer.html"]
    assert out.facts == {"unreachable_pages": 13, "unreachable_expected": 12}


def test_dead_ends_are_pages_without_a_way_back() -> None:
    site = build_site({
        "/": html_page(f'{NAV}<h1>A</h1><a href="/privacy.html">Privacy</a><a href="/terms.html">Terms</a>'),
        "/about.html": html_page(f"{NAV}<h1>About</h1>"),
        "/privacy.html": html_page('<h1>Privacy</h1><p>Write to <a href="mailto:a@acme.test">a@acme.test</a>.</p>'
                              '<a href="#top">Top</a>'),
        "/terms.html": html_page('<h1>Terms</h1><a href="https://elsewhere.example/">Partner</a>'),
    })
    out = run_probe(DeadEnds(), site)
    assert [e.url for e in out.issues[0].evidence] == [ORIGIN + "/privacy.html", ORIGIN + "/terms.html"]
    assert out.facts == {"dead_end_pages": 2}
    # a one-page site is no dead end
    assert run_probe(DeadEnds(), build_site({"/": html_page("<h1>Only page</h1>")})).issues == ()


def test_links_to_sections_that_do_not_exist() -> None:
    site = build_site({
        "/": html_page(f'{NAV}<h1>A</h1><a href="#plans">Plans</a><a href="#top">Top</a><a href="#/route">App</a>'
                  '<a href="#faq" data-bs-toggle="collapse">FAQ</a><div class="collapse" id="faq">Answers</div>'
                  '<section id="prices">Prices</section>'
                  '<a href="#Prices">Prices</a><a href="/about.html#team">Team</a><a href="/about.html#history">History</a>'),
        "/about.html": html_page(f'{NAV}<h1>About</h1><div id="team">Team</div><a href="#plans">Plans</a>'
                            '<a href="#map">Find us</a><iframe id="map" src="https://maps.example/embed"></iframe>'),
    })
    out = run_probe(Anchors(), site)
    assert sorted((i.key, i.title) for i in out.issues) == [
        ("#", "In-page links lead to no section: #plans"),
        ("/about.html", "Links to /about.html name sections it does not have: #history"),
    ]
    in_page = next(i for i in out.issues if i.key == "#")
    assert sorted(e.url for e in in_page.evidence) == [ORIGIN + "/", ORIGIN + "/about.html"]
    assert out.facts == {"missing_anchors": 2}
