"""Policies, support, social and feedback probes on hand-built sites."""

from __future__ import annotations

import socket

import pytest
from cxprobe_plugins.feedback import FeedbackChannel
from cxprobe_plugins.policies import PolicyLinks, PolicyPresence, PolicyReadability
from cxprobe_plugins.social import SocialDeadLinks, SocialMeta, SocialProfiles
from cxprobe_plugins.support import SupportHumanRoute, SupportSelfHelp

from cxprobe.testing import build_site, html_page, run_probe


def test_slogan_is_not_a_privacy_policy() -> None:
    html = html_page("<h1>Privacy First, Always</h1><p>We respect your privacy in everything we build.</p>")
    out = run_probe(PolicyPresence(), build_site({"/": html}))
    assert out.facts["privacy"] is None and out.facts["terms"] is None


def test_policies_found_by_link_text_and_page() -> None:
    site = build_site({
        "/": html_page('<h1>Acme</h1><footer><a href="/privacy.html">Privacy Policy</a> <a href="/eula.html">EULA</a> <a href="/refund-policy.html">Refunds</a></footer>'),
        "/privacy.html": html_page("<h1>Privacy Policy</h1><p>We collect little.</p>"),
        "/eula.html": html_page("<h1>End User License Agreement</h1>"),
        "/refund-policy.html": html_page("<h1>Refund Policy</h1>"),
    })
    out = run_probe(PolicyPresence(), site)
    assert out.facts["privacy"].endswith("/privacy.html")
    assert out.facts["terms"].endswith("/eula.html")
    assert out.facts["refund"].endswith("/refund-policy.html")
    assert out.score == 1.0


def test_german_policy_words() -> None:
    html = html_page('<h1>Willkommen</h1><footer><a href="/datenschutz">Datenschutz</a> <a href="/agb">AGB</a> <a href="/widerruf">Widerrufsbelehrung</a></footer>', lang="de")
    site = build_site({"/": html, "/datenschutz": html_page("<h1>Datenschutzerklärung</h1>", lang="de"),
                       "/agb": html_page("<h1>AGB</h1>", lang="de"), "/widerruf": html_page("<h1>Widerruf</h1>", lang="de")})
    facts = run_probe(PolicyPresence(), site).facts
    assert facts["privacy"] and facts["terms"] and facts["refund"]


def test_dead_policy_links_are_counted_and_do_not_count_as_found() -> None:
    html = html_page('<h1>Acme</h1><footer><a href="#!">Privacy</a> <a href="#">Terms</a> <a href="/gone">Refund policy</a></footer>')
    site = build_site({"/": html}, broken={"/gone": 404})
    found = run_probe(PolicyPresence(), site)
    assert found.facts["privacy"] is None and found.facts["terms"] is None and found.facts["refund"] is None
    assert found.facts["dead_links"] == 3
    links = run_probe(PolicyLinks(), site)
    assert links.score == 0.3 and len(links.issues) == 3


def test_shipping_expected_for_ecommerce_only() -> None:
    html = html_page('<h1>Shop</h1><footer><a href="/privacy">Privacy Policy</a> <a href="/terms">Terms of Service</a></footer>')
    site = build_site({"/": html, "/privacy": html_page("<h1>Privacy Policy</h1>"), "/terms": html_page("<h1>Terms</h1>")})
    assert run_probe(PolicyPresence(), site).score == 1.0
    shop = run_probe(PolicyPresence(), site, profile="ecommerce")
    assert shop.score == 0.5 and {i.kind for i in shop.issues} == {"no-refund-policy", "no-shipping-policy"}


def test_policy_readability_works_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*a: object, **k: object) -> None:
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    text = " ".join(["We keep your personal data safe and we never sell it to anyone."] * 12)
    site = build_site({"/": html_page('<h1>A</h1><a href="/privacy">Privacy Policy</a>'), "/privacy": html_page(f"<h1>Privacy Policy</h1><p>{text}</p>")})
    out = run_probe(PolicyReadability(), site)
    assert out.score == 1.0 and out.facts["policy_grades"]["privacy"] < 12


def test_policy_readability_not_applicable_in_unsupported_language() -> None:
    # Polish: textstat 0.7.8 has no validated formula for it, so the page is not checked.
    text = " ".join(["Przechowujemy Twoje dane bezpiecznie i nigdy ich nikomu nie sprzedajemy."] * 10)
    site = build_site({"/": html_page('<h1>A</h1><a href="/privacy">Privacy Policy</a>', lang="pl"),
                       "/privacy": html_page(f"<h1>Privacy Policy</h1><p>{text}</p>", lang="pl")})
    assert run_probe(PolicyReadability(), site).not_applicable


def test_help_and_faq_pages_and_faqpage_schema() -> None:
    site = build_site({
        "/": html_page('<nav><a href="/support.html">Support</a> <a href="/questions">Questions</a></nav><h1>App</h1>'),
        "/support.html": html_page('<h1>Support</h1><a href="mailto:help@app.test">help@app.test</a>'),
        "/questions": html_page('<h1>Questions</h1>', head='<script type="application/ld+json">{"@type": "FAQPage"}</script>'),
    })
    out = run_probe(SupportSelfHelp(), site)
    assert out.facts["help_page"].endswith("/support.html") and out.facts["faq_page"].endswith("/questions")
    assert out.score == 1.0


def test_self_help_without_route_to_a_person_is_a_finding() -> None:
    site = build_site({"/": html_page('<nav><a href="/faq.html">FAQ</a></nav><h1>App</h1>'),
                       "/faq.html": html_page("<h1>Frequently Asked Questions</h1><p>Read the docs.</p>")})
    out = run_probe(SupportHumanRoute(), site)
    assert out.score == 0.3 and out.issues[0].kind == "self-help-dead-end"


def test_social_network_home_page_is_not_a_profile() -> None:
    html = html_page('<h1>A</h1><footer><a href="https://www.facebook.com/"><i class="bi bi-facebook"></i></a>'
                '<a href="https://twitter.com/acme_bikes">Twitter</a><a href="https://www.facebook.com/sharer.php?u=x">Share</a></footer>')
    out = run_probe(SocialProfiles(), build_site({"/": html}))
    assert out.facts["profiles"] == [{"network": "twitter", "url": "https://twitter.com/acme_bikes"}]
    assert any(i.kind == "social-home-link" for i in out.issues)


def test_dead_social_icons() -> None:
    html = html_page('<h1>A</h1><footer><a href="#"><i class="fab fa-instagram"></i></a><a href="#" class="footer-link">Facebook</a></footer>')
    out = run_probe(SocialDeadLinks(), build_site({"/": html}))
    assert out.facts["dead_links"] == 2 and out.score == 0.3
    assert run_probe(SocialProfiles(), build_site({"/": html})).facts["profiles"] == []


def test_credit_link_is_not_the_company_profile() -> None:
    html = html_page('<h1>A</h1><footer><p class="copyright">© 2024 Grill. All Rights Reserved | Crafted by <a href="https://github.com/someauthor">someauthor</a></p></footer>')
    assert run_probe(SocialProfiles(), build_site({"/": html})).facts["profiles"] == []


def test_open_graph_template_title_is_reported() -> None:
    html = html_page("<h1>A</h1>", head='<meta property="og:title" content="Title of the project">')
    assert run_probe(SocialMeta(), build_site({"/": html})).score == 0.0


def test_feedback_survey_form_and_issue_tracker() -> None:
    survey = html_page('<h1>Survey</h1><form id="survey"><h2>Tell us what you think</h2>'
                  '<input type="radio" name="q1"><input type="radio" name="q1"><input type="radio" name="q1">'
                  '<textarea name="comments"></textarea><button>Submit survey</button></form>')
    assert run_probe(FeedbackChannel(), build_site({"/": survey})).facts["channels"] == ["form"]
    gh = html_page('<h1>App</h1><a href="https://github.com/acme/app/issues">Report a bug</a>')
    assert run_probe(FeedbackChannel(), build_site({"/": gh})).facts["channels"] == ["issue-tracker"]
    none = run_probe(FeedbackChannel(), build_site({"/": html_page("<h1>App</h1>")}))
    assert none.facts["channels"] == [] and none.score == 0.4


def test_people_linked_from_content_and_deep_links_are_not_company_profiles() -> None:
    html = html_page('<h1>App</h1><div id="sponsors"><a class="sponsor-github-item" href="https://github.com/alice" title="alice"><img alt=""></a></div>'
                '<footer><a href="https://github.com/acme/app/issues">Issues</a> <a href="https://github.com/acme/app">GitHub</a>'
                '<a href="https://github.com/sponsors/acme">Sponsor</a> <a href="https://www.linkedin.com/company/acme/about/"><i class="fab fa-linkedin-in"></i></a></footer>')
    profiles = run_probe(SocialProfiles(), build_site({"/": html})).facts["profiles"]
    assert profiles == [{"network": "github", "url": "https://github.com/acme/app"},
                        {"network": "linkedin", "url": "https://www.linkedin.com/company/acme"}]


def test_faq_section_on_a_one_page_site() -> None:
    html = html_page('<h1>App</h1><section class="faq-section"><h2>Frequently Asked Questions</h2>'
                '<div class="faq-q">How does the free trial work?</div><div class="faq-q">Can I cancel?</div></section>')
    assert run_probe(SupportSelfHelp(), build_site({"/": html})).facts["faq_page"] == "https://shop.example/"


@pytest.mark.parametrize("element", ['<div id="FAQ">', '<ul class="Help FAQs">', '<dl class="q-and-a" id="site-faq">',
                                     '<section class="content faq_list">'])
def test_an_element_named_faq_in_any_case_is_the_faq_section(element: str) -> None:
    from cxprobe_plugins.support import _names_faq

    closing = "</" + element[1:element.index(" ")] + ">"
    html = html_page(f"<h1>App</h1>{element}<p>How does the free trial work? Two weeks.</p>{closing}")
    f = build_site({"/": html}).ok_pages[0].facts
    assert f.fact("faq").selector and f.fact("faq").label.lower().startswith(("faq", "site-faq"))
    assert _names_faq({"class": ["Help", "FAQs"]}) and _names_faq({"id": "x-Faq"}) and _names_faq({"class": "a faq"})
    assert not _names_faq({}) and not _names_faq({"class": ["fa", "q"]}) and not _names_faq({"id": "f-a-q"})


def test_policy_text_without_href_is_a_dead_policy_link() -> None:
    html = html_page("<h1>App</h1><footer><a>Terms and Conditions</a> <a>Privacy Policy</a></footer>")
    assert run_probe(PolicyPresence(), build_site({"/": html})).facts["dead_links"] == 2
