"""The probe this plugin adds to the built-in clarity touchpoint: ``clarity.logo_name``."""

from __future__ import annotations

from cxprobe_example_plugin.alt_text import LogoName

from cxprobe import AuditConfig, Context, Page, Site
from cxprobe.testing import page_facts, plugin_manager

ORIGIN = "https://shop.example"


def site_of(*pages: tuple[str, str]) -> Site:
    """A Site artifact from (path, html) pairs, each page read as an audit reads it."""
    built = []
    for i, (path, html) in enumerate(pages):
        url = ORIGIN + path
        built.append(Page(url=url, status=200, depth=0 if i == 0 else 1, final_url=url, content_type="text/html",
                          facts=page_facts(html, url), found_via="start" if i == 0 else "link"))
    return Site(start_url=built[0].url, origin=ORIGIN, pages=tuple(built), depths={p.url: p.depth for p in built})


def check(site: Site):  # noqa: ANN201
    return LogoName().check(Context(site=site, config=AuditConfig()))


NAMED = '<header><a class="logo" href="/"><img src="/logo.svg" alt="Acme"></a></header><h1>Acme</h1>'
NAMELESS = '<header><a class="logo" href="/"><img src="/logo.svg"></a></header><h1>Acme</h1>'


def test_the_probe_joins_the_built_in_clarity_touchpoint() -> None:
    reg = plugin_manager().registry()
    assert reg.probes["clarity.logo_name"].touchpoint == "clarity"
    assert "clarity" in reg.touchpoints and "clarity.headline" in reg.probes  # the built-in one, not a copy
    assert plugin_manager().owner("probe", "clarity.logo_name") == "cxprobe-example-plugin:alt_text"


def test_a_logo_with_alt_text_names_the_company() -> None:
    out = check(site_of(("/", NAMED), ("/about", NAMED)))
    assert out.score == 1.0 and out.issues == ()
    assert out.facts == {"logo_links": 2, "nameless": 0}


def test_a_logo_without_alt_text_is_one_finding_across_pages() -> None:
    out = check(site_of(("/", NAMELESS), ("/about", NAMELESS), ("/team", NAMED)))
    assert out.facts == {"logo_links": 3, "nameless": 2}
    assert round(out.score, 3) == 0.333
    [finding] = out.issues
    assert [e.url for e in finding.evidence] == [ORIGIN + "/", ORIGIN + "/about"]


def test_no_logo_link_is_not_applicable() -> None:
    out = check(site_of(("/", "<h1>Acme</h1><p>No logo here.</p>")))
    assert out.score is None and out.not_applicable
