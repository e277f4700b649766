"""Clarity, journey, static mobile and consistency probes on hand-built sites."""

from __future__ import annotations

from cxprobe_plugins.clarity import (
    ClarityCallToAction,
    ClarityHeadline,
    ClarityPlaceholder,
    ClarityReadability,
    ClarityValueProposition,
    readability,
)
from cxprobe_plugins.consistency import (
    BrandConsistency,
    ContactConsistency,
    LanguageConsistency,
    detect_language,
)
from cxprobe_plugins.journey import BrokenLinks, DeadLinks, Https, JavaScriptShell, Reachability
from cxprobe_plugins.mobile import MobileViewport

from cxprobe.testing import build_site, html_page, run_probe

HERO = ('<section class="hero"><h1>Bike repairs in a day</h1><p>We fix city and cargo bikes while you work, '
        'and deliver them back to your door by evening.</p><a class="btn btn-primary" href="/book">Book a repair</a></section>')


def test_clear_hero_passes_every_clarity_probe() -> None:
    site = build_site({"/": html_page(HERO)})
    assert run_probe(ClarityHeadline(), site).score == 1.0
    assert run_probe(ClarityValueProposition(), site).score == 1.0
    cta = run_probe(ClarityCallToAction(), site)
    assert cta.score == 1.0 and cta.facts["cta"] == "Book a repair"
    # One sentence under the headline is too little prose to score: not checked.
    r = run_probe(ClarityReadability(), site)
    assert r.not_applicable and r.facts["grade"] is None
    assert run_probe(ClarityPlaceholder(), site).facts["placeholder"] == []


def test_placeholder_hero_copy() -> None:
    html = html_page('<section><h1>Main Hero Message to sell yourself!</h1><p>Sub-hero message, not too long and not too short. Make it just right!</p>'
                '<button class="btn">Action!</button></section><p>Lorem ipsum dolor sit amet.</p>')
    site = build_site({"/": html})
    out = run_probe(ClarityPlaceholder(), site)
    assert "Main Hero Message" in out.facts["placeholder"] and out.score == 0.0
    assert run_probe(ClarityHeadline(), site).score == 0.5


def test_no_h1_and_boilerplate_h1() -> None:
    assert run_probe(ClarityHeadline(), build_site({"/": html_page("<h2>Hello</h2>")})).score == 0.4
    assert run_probe(ClarityHeadline(), build_site({"/": html_page("<h1>Welcome</h1>")})).score == 0.5


def test_dead_cta_counts_half() -> None:
    html = html_page('<section><h1>Acme</h1><p>We build software for bakeries across the country.</p><a class="btn" href="#">Get started</a></section>')
    assert run_probe(ClarityCallToAction(), build_site({"/": html})).score == 0.5


def test_readability_languages() -> None:
    en = "We fix bikes fast. Bring your bike to us in the morning. Pick it up again at night. It is easy and cheap."
    assert readability(en, "en") is not None
    assert readability(en, "ja") is None
    assert readability("Too short", "en") is None


def test_broken_internal_link_is_a_finding_with_its_sources() -> None:
    site = build_site({"/": html_page('<h1>A</h1><a href="/missing.html">Team</a><a href="/missing.html">Our team</a>')}, broken={"/missing.html": 404})
    out = run_probe(BrokenLinks(), site)
    assert out.facts["broken_links"] == 1
    assert out.issues[0].key == "/missing.html" and len(out.issues[0].evidence) == 2


def test_dead_links_grouped_by_text() -> None:
    site = build_site({"/": html_page('<h1>A</h1><a href="#">Blog</a><a href="#!">Blog</a><a href="javascript:void(0)">Shop</a><a href="">Team</a>')})
    out = run_probe(DeadLinks(), site)
    assert out.facts["dead_links"] == 3


def test_a_dead_link_the_browser_clicked_and_saw_work_is_not_dead() -> None:
    from cxprobe import Context, LinkClick, RenderedPage, Rendering
    from cxprobe.config import AuditConfig

    site = build_site({"/": html_page('<h1>A</h1><a href="#">Services</a><a href="javascript:void(0)">Gallery</a>'
                                 '<a href="#">Team</a>')})
    clicks = (LinkClick(selector="a:nth-of-type(1)", href="#", text="Services", effect="expanded"),
              LinkClick(selector="a:nth-of-type(2)", href="javascript:void(0)", text="Gallery", effect=""))
    rendering = Rendering(browser="chromium", version="1", pages=(
        RenderedPage(url=site.start_url, viewport="desktop", width=1366, height=768, link_clicks=clicks),))
    out = DeadLinks().check(Context(site=site, config=AuditConfig(), rendering=rendering, mode="browser"))
    # Services opened something; Gallery was clicked and did nothing; Team was not tested.
    assert sorted(i.key for i in out.issues) == ["gallery", "team"]
    assert out.facts["dead_links"] == 2
    assert run_probe(DeadLinks(), site).facts["dead_links"] == 3  # static mode: nothing was clicked


def test_javascript_location_and_uppercase_href_are_real_links() -> None:
    html = html_page("""<h1>A</h1><a href="javascript:location.href='tickets.html'">Tickets</a><A HREF=news.html>News</A>""")
    site = build_site({"/": html, "/tickets.html": html_page("<h1>Tickets</h1>"), "/news.html": html_page("<h1>News</h1>")})
    assert len(site.ok_pages) == 3
    assert run_probe(DeadLinks(), site).facts["dead_links"] == 0


def test_sitemap_orphans_are_unreachable() -> None:
    site = build_site({"/": html_page("<h1>A</h1>")}, orphans={"/old-offer.html": html_page("<h1>Old</h1>")})
    out = run_probe(Reachability(), site)
    assert out.facts["unreachable_pages"] == 1


def test_js_shell_is_reported_in_static_mode_not_scored_as_empty() -> None:
    shell = '<!doctype html><html lang="en"><head><title>App</title><script src="/app.js"></script></head><body><div id="root"></div></body></html>'
    out = run_probe(JavaScriptShell(), build_site({"/": shell}))
    assert out.score == 0.0
    assert "--render browser" in out.issues[0].title


def test_https_not_applicable_locally_and_scored_live() -> None:
    assert run_probe(Https(), build_site({"/": html_page("<h1>A</h1>")})).score == 1.0


def test_viewport_share_and_zoom_lock() -> None:
    no_vp = '<!doctype html><html lang="en"><head><title>A</title></head><body><a href="/b">b</a></body></html>'
    locked = html_page("<h1>B</h1>").replace("initial-scale=1", "initial-scale=1, maximum-scale=1, user-scalable=no")
    out = run_probe(MobileViewport(), build_site({"/": no_vp, "/b": locked}))
    assert out.facts["viewport_meta"] == 0.5
    assert {i.kind for i in out.issues} == {"no-viewport-meta", "zoom-locked"}


def test_two_call_us_numbers_conflict_but_labelled_lines_do_not() -> None:
    two = html_page("<h1>A</h1><p>Call us: +1 212 555 0100</p><footer><p>Call us: +1 212 555 0199</p></footer>")
    out = run_probe(ContactConsistency(), build_site({"/": two}))
    assert out.facts["conflicts"] and out.facts["conflicts"][0]["kind"] == "phone:general"
    labelled = html_page("<h1>A</h1><p>Sales: +1 212 555 0100</p><p>Support: +1 212 555 0199</p><p>Fax: +1 212 555 0111</p>")
    assert run_probe(ContactConsistency(), build_site({"/": labelled})).facts["conflicts"] == []


def test_same_number_written_two_ways_is_not_a_conflict() -> None:
    html = html_page('<h1>A</h1><p>Call us: (212) 555-0100</p><a href="tel:+12125550100">+1 212 555 0100</a>')
    assert run_probe(ContactConsistency(), build_site({"/": html})).facts["conflicts"] == []


def test_brand_in_titles() -> None:
    site = build_site({"/": html_page('<h1>A</h1><a href="/b">b</a>', title="Home | Acme"),
                       "/b": html_page("<h1>B</h1>", title="Pricing | Acme"), "/c": html_page("<h1>C</h1>", title="x")})
    out = run_probe(BrandConsistency(), site)
    assert out.score == 1.0 and out.facts["brand"] == "acme"


def test_declared_lang_that_disagrees_with_text() -> None:
    fr = "Nous sommes une petite équipe qui répare les vélos de la ville. " * 6 + "Votre vélo est entre de bonnes mains avec nous et notre atelier est ouvert pour vous."
    assert detect_language(fr) == "fr"
    out = run_probe(LanguageConsistency(), build_site({"/": html_page(f"<h1>Vélos</h1><p>{fr}</p>", lang="en")}))
    assert out.score == 0.0 and out.issues[0].kind == "lang-mismatch"
    ok = run_probe(LanguageConsistency(), build_site({"/": html_page(f"<h1>Vélos</h1><p>{fr}</p>", lang="fr")}))
    assert ok.score == 1.0


def test_dead_touchpoint_links_are_counted_but_reported_by_their_own_touchpoint() -> None:
    site = build_site({"/": html_page('<h1>A</h1><footer><a href="#">Privacy</a><a href="#"><i class="fa fa-twitter"></i></a><a href="#">Blog</a></footer>')})
    out = run_probe(DeadLinks(), site)
    assert out.facts["dead_links"] == 3
    assert [i.key for i in out.issues] == ["blog"]


def test_placeholder_copy_is_one_finding_per_site() -> None:
    site = build_site({"/": html_page('<h1>A real headline</h1><a href="/b">b</a><p>Lorem ipsum dolor sit amet.</p>'),
                       "/b": html_page("<h1>B</h1><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>")})
    out = run_probe(ClarityPlaceholder(), site)
    assert [i.kind for i in out.issues] == ["placeholder-copy"]
    assert len(out.issues[0].evidence) == 2
    assert out.score == 0.3  # three kinds of placeholder: an untouched template


def test_value_proposition_is_the_sentence_not_the_eyebrow_above_it() -> None:
    html = html_page('<section class="hero"><p class="eyebrow">Workshop software for bike shops</p><h1>Repairs, tracked</h1>'
                '<p>Wrenchlog helps independent bike shops book, track and bill every repair.</p></section>')
    out = run_probe(ClarityValueProposition(), build_site({"/": html}))
    assert out.facts["value_proposition"] == "Wrenchlog helps independent bike shops book, track and bill every repair."


def test_single_broken_link_fails_the_probe() -> None:
    site = build_site({"/": html_page('<h1>A</h1><a href="/careers.html">Careers</a>')}, broken={"/careers.html": 404})
    assert run_probe(BrokenLinks(), site).score < 0.9


def test_brand_names_are_the_shared_title_part_not_taglines() -> None:
    site = build_site({"/": html_page('<h1>A</h1><a href="/b">b</a>', title="Wrenchlog — Repair tracking for bike shops"),
                       "/b": html_page("<h1>B</h1>", title="Pricing — Wrenchlog")})
    assert run_probe(BrandConsistency(), site).facts["brand_names"] == ["Wrenchlog"]


def test_lines_labelled_for_different_offices_are_not_a_conflict() -> None:
    html = html_page('<h1>A</h1><div><i class="ti-mobile"></i></div><div><h3>(00) 789 456 7890 (USA)</h3><h3>(88) 016 725 0455 (UK)</h3></div>')
    assert run_probe(ContactConsistency(), build_site({"/": html})).facts["conflicts"] == []


def test_fill_in_tokens_are_placeholder_copy() -> None:
    html = html_page("<h1>Pricing</h1><p>What is [SaaS Product]? It helps you [main benefit] with {{ company }}.</p>")
    found = run_probe(ClarityPlaceholder(), build_site({"/": html})).facts["placeholder"]
    assert found == ["[main benefit]", "[SaaS Product]", "{{ company }}"]
