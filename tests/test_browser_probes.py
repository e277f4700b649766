"""The browser probes (mobile.*, clarity.time_to_understand) over hand-built artifacts.

Pure functions over a Site and a Rendering built here: no browser, no network. What a
real browser measures is tested in test_render.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cxprobe._registry import get_plugin_manager
from cxprobe.config import AuditConfig
from cxprobe.model import Box, MenuCheck, Page, RenderedPage, Rendering, Site, TapTarget
from cxprobe.probe import Context
from cxprobe.runner import run_probe
from cxprobe.testing import page_facts

ORIGIN = "https://shop.example"
HOME = ORIGIN + "/"
BROWSER_PROBES = ("mobile.overflow", "mobile.font_size", "mobile.tap_targets", "mobile.menu",
                  "clarity.time_to_understand")


def site(*paths: str) -> Site:
    pages = tuple(Page(url=ORIGIN + p, status=200, depth=0 if p == "/" else 1,
                       facts=page_facts('<meta name="viewport" content="width=device-width">', ORIGIN + p, {}),
                       found_via="start" if p == "/" else "link")
                  for p in ("/", *paths))
    return Site(start_url=HOME, origin=ORIGIN, pages=pages, depths={p.url: p.depth for p in pages})


def rendered(path: str = "/", viewport: str = "mobile", **kw: Any) -> RenderedPage:
    width, height = (375, 667) if viewport == "mobile" else (1366, 768)
    base: dict[str, Any] = {"scroll_width": width, "client_width": width, "layout_width": width,
                            "text_chars": 100, "small_text_chars": 0}
    base.update(kw)
    return RenderedPage(url=ORIGIN + path, viewport=viewport, width=width, height=height, **base)


def check(probe_id: str, *pages: RenderedPage, s: Site | None = None) -> Any:
    probe = get_plugin_manager().registry().probes[probe_id]
    ctx = Context(site=s or site(*sorted({p.url[len(ORIGIN):] for p in pages} - {"/"})), config=AuditConfig(),
                  rendering=Rendering(browser="chromium", version="156", pages=tuple(pages)), mode="browser")
    return probe.check(ctx)


def target(text: str, w: float, h: float, x: float = 0, y: float = 0, spaced: bool = False, inline: bool = False) -> TapTarget:
    return TapTarget(selector=f"a.{text}", text=text, box=Box(x, y, w, h), spaced=spaced, inline=inline)


# ----------------------------------------------------------------------------- static mode


@pytest.mark.parametrize("probe_id", BROWSER_PROBES)
def test_browser_probes_are_not_applicable_without_a_rendering(probe_id: str) -> None:
    probe = get_plugin_manager().registry().probes[probe_id]
    assert "rendering" in probe.requires
    ctx = Context(site=site(), config=AuditConfig(), rendering=None, mode="static")
    result, issues = run_probe(probe, ctx, "cxprobe:test", "general")
    assert result.status == "not_applicable"
    assert result.score is None and issues == ()
    assert "--render browser" in result.reason


# ----------------------------------------------------------------------------- overflow


def test_overflow_counts_mobile_pages_wider_than_the_screen() -> None:
    out = check("mobile.overflow", rendered("/"), rendered("/wide.html", scroll_width=1032),
                rendered("/wide.html", "desktop", scroll_width=1500))
    assert out.facts == {"overflow_pages": 1}
    assert out.score == pytest.approx(0.5)
    (finding,) = out.issues
    assert finding.severity == "error"
    assert finding.evidence[0].url == ORIGIN + "/wide.html"
    assert "1032" in finding.evidence[0].snippet


def test_overflow_ignores_subpixel_rounding_and_a_shrunk_980px_layout() -> None:
    out = check("mobile.overflow", rendered("/", scroll_width=377),
                rendered("/old.html", scroll_width=982, client_width=980, layout_width=980))
    assert out.facts == {"overflow_pages": 0}
    assert out.score == 1.0 and not out.issues


def test_overflow_skips_pages_that_failed_to_render() -> None:
    out = check("mobile.overflow", rendered("/", error="timeout: did not load within 10 s", scroll_width=0, client_width=0))
    assert out.score is None
    assert out.facts == {}  # unknown, so absent: the report's overflow_pages is an integer when present


# ----------------------------------------------------------------------------- font size


def test_small_text_share_is_per_page_then_averaged_over_pages() -> None:
    # A short page all tiny, a long page all legible: half the pages' text is tiny,
    # though only 1 % of all characters is.
    out = check("mobile.font_size", rendered("/", text_chars=1000, small_text_chars=0),
                rendered("/legal.html", text_chars=10, small_text_chars=10))
    assert out.facts == {"small_text_share": 0.5}
    assert out.score == pytest.approx(0.2)
    (finding,) = out.issues
    assert [e.url for e in finding.evidence] == [ORIGIN + "/legal.html"]


def test_a_page_without_viewport_meta_scores_zero_for_legibility() -> None:
    out = check("mobile.font_size", rendered("/", layout_width=980, text_chars=800, small_text_chars=800))
    assert out.facts["small_text_share"] == 1.0
    assert out.score == 0.0
    assert out.issues[0].severity == "error"
    assert "980" in out.issues[0].evidence[0].snippet


def test_legible_text_passes_and_no_text_is_not_applicable() -> None:
    assert check("mobile.font_size", rendered("/", text_chars=500, small_text_chars=40)).score == 1.0
    empty = check("mobile.font_size", rendered("/", text_chars=0, small_text_chars=0))
    assert empty.score is None and empty.facts == {}


# ----------------------------------------------------------------------------- tap targets


def test_undersized_crowded_targets_are_counted_spaced_and_inline_ones_are_not() -> None:
    targets = (
        target("crowded-1", 16, 16), target("crowded-2", 16, 16, x=18),
        target("alone", 16, 16, x=200, spaced=True),
        target("in-text", 30, 14, y=300, inline=True),
        target("button", 120, 48, y=400, spaced=True),
    )
    out = check("mobile.tap_targets", rendered("/", tap_targets=targets))
    assert out.facts == {"small_tap_targets": 2}
    assert out.score == pytest.approx(0.0)  # 1 - 2 x 2/4
    small = next(i for i in out.issues if i.kind == "small-tap-target")
    assert {e.selector for e in small.evidence} == {"a.crowded-1", "a.crowded-2"}


def test_tap_targets_of_48px_pass() -> None:
    out = check("mobile.tap_targets", rendered("/", tap_targets=(target("a", 200, 48, spaced=True),)))
    assert out.score == 1.0 and out.facts == {"small_tap_targets": 0} and not out.issues


# ----------------------------------------------------------------------------- menu


def menu_page(menu: MenuCheck, **kw: Any) -> RenderedPage:
    return rendered("/", menu=menu, **kw)


def test_menu_that_opens_to_contact_and_pricing() -> None:
    menu = MenuCheck(toggle="button.navbar-toggler", opens=True,
                     links=(("Home", HOME), ("Pricing", ORIGIN + "/pricing.html"), ("Contact", ORIGIN + "/contact.html")))
    out = check("mobile.menu", menu_page(menu))
    assert out.score == 1.0
    assert out.facts["menu_opens"] is True
    assert out.facts["menu_links"] == ["contact", "pricing"]


def test_menu_that_opens_without_contact() -> None:
    menu = MenuCheck(toggle="button.menu", opens=True, links=(("Home", HOME), ("Blog", ORIGIN + "/blog/")))
    out = check("mobile.menu", menu_page(menu))
    assert out.score == pytest.approx(0.7)
    assert out.facts["menu_links"] == []
    assert out.issues[0].kind == "menu-without-contact"


def test_menu_that_does_not_open_names_the_sites_own_script_that_failed() -> None:
    own = ORIGIN + "/js/menu.js"
    out = check("mobile.menu", menu_page(MenuCheck(toggle="button.navbar-toggler", opens=False, label="Toggle navigation"),
                                         failed_requests=((own, "HTTP 404"),
                                                          ("https://fonts.example/a.woff2", "host not found"))))
    assert out.score == pytest.approx(0.1)
    assert out.facts["menu_opens"] is False and out.facts["menu_links"] == []
    (finding,) = out.issues
    assert finding.severity == "error"
    assert own in finding.message and "woff2" not in finding.message


def test_menu_whose_script_from_another_site_did_not_load_is_not_checked() -> None:
    cdn = "https://cdn.jsdelivr.net/npm/bootstrap@5.2.3/dist/js/bootstrap.bundle.min.js"
    out = check("mobile.menu", menu_page(MenuCheck(toggle="button.navbar-toggler", opens=False, label="Toggle navigation"),
                                         failed_requests=((cdn, "host not found"),)))
    assert out.score is None and out.not_applicable == "not checked: bootstrap.bundle.min.js did not load"
    assert out.facts["menu_opens"] is None and out.facts["menu_not_checked"] == out.not_applicable
    assert out.issues == ()


def test_overflow_and_icon_targets_measured_without_a_cdn_font_or_style_are_not_judged() -> None:
    icons = ("https://fonts.googleapis.com/icon?family=Material+Icons", "host not found")
    wide = rendered("/", scroll_width=520, failed_requests=(icons,),
                    tap_targets=(target("", 0, 0), target("shopping_cart", 10, 10), target("Book a table", 20, 20)))
    ok = rendered("/about.html", scroll_width=600)
    out = check("mobile.overflow", wide, ok)
    assert out.facts["overflow_pages"] == 1  # the page without a CDN failure
    kinds = {i.kind: i for i in out.issues}
    assert kinds["overflow-not-checked"].severity == "info"
    assert kinds["overflow-not-checked"].evidence[0].snippet == "not checked: icon did not load"
    assert [e.url for e in kinds["horizontal-overflow"].evidence] == [ORIGIN + "/about.html"]
    only = check("mobile.overflow", wide)
    assert only.score is None and only.not_applicable == "not checked: icon did not load"
    taps = check("mobile.tap_targets", wide)
    small = next(i for i in taps.issues if i.kind == "small-tap-target")
    assert [e.selector for e in small.evidence] == ["a.Book a table"]  # real words are still measured
    skipped = next(i for i in taps.issues if i.kind == "tap-targets-not-checked")
    assert len(skipped.evidence) == 2
    # A script that writes the styles (Tailwind's browser build) counts as a style sheet.
    tailwind = rendered("/", scroll_width=900, failed_requests=(("https://cdn.jsdelivr.net/npm/@tailwindcss/browser@4", "host not found"),))
    assert check("mobile.overflow", tailwind).not_applicable == "not checked: npm/@tailwindcss/browser@4 did not load"
    # The site's own style sheet that failed is the site's fault: measured as is.
    own = rendered("/", scroll_width=520, failed_requests=((ORIGIN + "/css/site.css", "HTTP 404"),))
    assert check("mobile.overflow", own).facts["overflow_pages"] == 1


def test_no_toggle_means_menu_opens_is_null_and_visible_navigation_counts() -> None:
    nav = (("Home", HOME), ("Contact", ORIGIN + "/contact.html"))
    out = check("mobile.menu", menu_page(MenuCheck(toggle=None, opens=None), nav_links=nav))
    assert out.facts == {"menu_opens": None, "menu_links": []}
    assert out.score == 1.0
    bare = check("mobile.menu", menu_page(MenuCheck(toggle=None, opens=None)))
    assert bare.score == pytest.approx(0.5)
    assert bare.issues[0].kind == "no-mobile-navigation"


def test_menu_is_not_applicable_when_the_start_page_did_not_render() -> None:
    out = check("mobile.menu", rendered("/", error="HTTP 500"))
    assert out.score is None
    assert out.facts == {"menu_opens": None, "menu_links": []}


# ----------------------------------------------------------------------------- clarity


def test_seconds_to_understand_is_paint_plus_reading_the_first_screen() -> None:
    words = " ".join(["word"] * 119)  # 119 words at 238 a minute: 30 s
    out = check("clarity.time_to_understand",
                rendered("/", lcp_ms=1500.0, fcp_ms=900.0, first_viewport_text=words, h1_in_viewport=True),
                rendered("/", "desktop", h1_in_viewport=True))
    assert out.facts == {"seconds_to_understand": 31.5, "words_to_read": 119}
    assert out.score == pytest.approx(0.2)
    assert [i.kind for i in out.issues] == ["slow-to-understand"]


def test_with_a_headline_on_screen_the_headline_and_value_sentence_are_what_is_read() -> None:
    from cxprobe.testing import page_facts

    html = (b'<html lang="en"><body><section><p>Workshop software</p><h1>Every bike repair, tracked</h1>'
            b'<p>Wrenchlog helps bike shops take bookings and text riders when bikes are ready.</p>'
            b'<p>Free for 30 days. No card needed. Cancel with two clicks. Plans from $9 a month.</p></section></body></html>')
    home = Page(url=HOME, status=200, depth=0, facts=page_facts(html, HOME, {}), found_via="start")
    s = Site(start_url=HOME, origin=ORIGIN, pages=(home,), depths={HOME: 0})
    screen = " ".join(["word"] * 60)  # the whole first screen would take 15 s to read
    out = check("clarity.time_to_understand",
                rendered("/", lcp_ms=1000.0, first_viewport_text=screen, h1_in_viewport=True, cta_in_viewport=True),
                s=s)
    assert out.facts["words_to_read"] == 4 + 13  # the h1 and the value sentence
    assert out.facts["seconds_to_understand"] == pytest.approx(1.0 + 17 / (238 / 60), abs=0.1)
    assert out.score is not None and out.score >= 0.9 and not out.issues


def test_fcp_stands_in_for_lcp_and_a_quick_page_passes() -> None:
    out = check("clarity.time_to_understand",
                rendered("/", lcp_ms=None, fcp_ms=800.0, first_viewport_text="Fresh bread delivered daily",
                         h1_in_viewport=True, cta_in_viewport=True))
    assert out.facts["seconds_to_understand"] == pytest.approx(1.8)
    assert out.score == 1.0 and not out.issues


def test_headline_below_the_fold_and_overlay_cost_points() -> None:
    mobile = rendered("/", lcp_ms=500.0, first_viewport_text="Hi", h1_in_viewport=False, h1_text="We bake bread",
                      cta_in_viewport=True, overlay_share=0.8, overlay_selector="div#consent")
    out = check("clarity.time_to_understand", mobile, rendered("/", "desktop", h1_in_viewport=True))
    kinds = sorted(i.kind for i in out.issues)
    assert kinds == ["h1-below-fold", "overlay"]
    assert out.score == pytest.approx(1.0 - 0.15 - 0.2)
    overlay = next(i for i in out.issues if i.kind == "overlay")
    assert overlay.evidence[0].selector == "div#consent"


def test_time_to_understand_not_applicable_without_a_mobile_start_page() -> None:
    out = check("clarity.time_to_understand", rendered("/about.html"), s=site("/about.html"))
    assert out.score is None


def test_only_judged_viewports_matter_desktop_overflow_is_not_a_phone_problem() -> None:
    wide_desktop = replace(rendered("/", "desktop"), scroll_width=2000)
    out = check("mobile.overflow", rendered("/"), wide_desktop)
    assert out.facts == {"overflow_pages": 0}


def test_a_site_laid_out_980px_wide_and_shrunk_is_not_passed_for_fitting_the_screen() -> None:
    shrunk = rendered("/", scroll_width=980, client_width=980, layout_width=980)
    out = check("mobile.overflow", shrunk, rendered("/b.html", scroll_width=980, client_width=980, layout_width=980))
    assert out.score is None and out.not_applicable
    assert out.facts == {"overflow_pages": 0}
