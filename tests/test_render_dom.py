"""Browser mode reads what scripts built (the rendered DOM's facts merged with the HTML's)
and clicks the links whose href goes nowhere. Real Chromium over loopback HTTP."""

from __future__ import annotations

import asyncio

import pytest

from cxprobe.browser import RenderOptions, render_site
from cxprobe.crawl import Crawler, CrawlOptions
from cxprobe.model import Site as SiteFacts
from cxprobe.testing import extractors

from .conftest import Site

pytestmark = pytest.mark.usefixtures("quick_teardown")

HEADER_BY_FETCH = """<!doctype html><html lang="en"><head><title>Smith Plumbing</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<div id="header"></div>
<main><h1>Plumbing repairs in Leeds</h1><p>We fix leaks, boilers and blocked drains the same day, seven days a week,
across the whole city and the villages around it.</p>
<div class="accordion"><p id="old">Emergency callout fee £45 at night.</p></div></main>
<div id="footer"></div>
<script>
fetch('/partials/footer.html').then(r => r.text()).then(t => { document.getElementById('footer').innerHTML = t; });
document.getElementById('header').innerHTML = '<nav><a href="/prices.html">Prices</a> <a href="/contact.html">Contact</a></nav>';
// A script hides what a customer opens by a click: the HTML's reading keeps it.
document.getElementById('old').style.display = 'none';
</script></body></html>"""
FOOTER = """<footer><p>Smith Plumbing Ltd, 12 Mill Road, Leeds. Call 0113 496 0000 or write to
office@smith-plumbing.co.uk. Boiler service from £79 a year.</p><a href="/privacy.html">Privacy policy</a></footer>"""


def _render(http_site: Site, path: str, browser: str) -> tuple[SiteFacts, SiteFacts, object]:
    crawl_opts = CrawlOptions(max_pages=10, extractors=extractors())
    site = asyncio.run(Crawler(http_site.url(path), crawl_opts).run())
    opts = RenderOptions(browser_path=browser, first_party=tuple(site.hosts))
    rendering, extended = asyncio.run(render_site(site, opts, crawl_opts))
    return site, extended, rendering



def test_each_rendered_page_is_read_on_a_thread_of_its_own_while_the_others_render(
        browser_path: str, http_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # Reading the rendered HTML of every page after the last one rendered left a core idle
    # (1.9 s of a 22 s run of 34 pages): each is read as soon as it is rendered, on one
    # thread, and the readings are the ones reread applies; a batch's readings are all
    # done before its links are followed (following reads pages too).
    import dataclasses
    import threading
    import time

    from cxprobe.browser import VIEWPORTS
    from cxprobe.crawl import SiteExtension

    # What a wide screen shows and a laptop's does not: each desktop viewport's reading counts.
    by_width = ("<script>const a = document.createElement('a'); a.textContent = 'Showroom tour';"
                "a.href = innerWidth >= 1900 ? '/tour-wide.html' : '/tour.html'; document.querySelector('main').append(a);"
                "</script></body>")
    http_site.page("/", HEADER_BY_FETCH.replace("</body>", by_width))
    http_site.page("/partials/footer.html", FOOTER)
    for path in ("/prices.html", "/contact.html", "/privacy.html", "/tour.html", "/tour-wide.html"):
        http_site.page(path, "<!doctype html><html><body><h1>Page</h1><a href='/'>Home</a></body></html>")
    events: list[tuple[str, str, str]] = []
    read_rendered, reread, follow = SiteExtension.read_rendered, SiteExtension.reread, SiteExtension.follow

    made_from: dict[int, tuple[object, str]] = {}  # id of a reading -> (the reading, the HTML it read)

    def reading(self: SiteExtension, url: str, html: str) -> object:
        time.sleep(0.2)  # a slow reading: following before it is done would show
        events.append(("read", url, threading.current_thread().name))
        read = read_rendered(self, url, html)
        made_from[id(read)] = (read, html)
        return read

    def applying(self: SiteExtension, url: str, html: str, read: object = None) -> bool:
        # The reading applied is one of this very HTML (this viewport's), made earlier.
        mine = read is not None and made_from[id(read)][1] is html
        events.append(("apply", url, "its own reading" if mine else "another reading"))
        return reread(self, url, html, read)  # type: ignore[arg-type]

    async def following(self: SiteExtension, *args: object, **kwargs: object) -> object:
        events.append(("follow", "", ""))
        return await follow(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SiteExtension, "read_rendered", reading)
    monkeypatch.setattr(SiteExtension, "reread", applying)
    monkeypatch.setattr(SiteExtension, "follow", following)
    # Two desktop viewports: each keeps its HTML, each is read.
    wide = dataclasses.replace(next(v for v in VIEWPORTS if not v.mobile), name="wide", width=1920, height=1080)
    crawl_opts = CrawlOptions(max_pages=10, extractors=extractors())
    static = asyncio.run(Crawler(http_site.url("/"), crawl_opts).run())
    opts = RenderOptions(browser_path=browser_path, first_party=tuple(static.hosts), viewports=(*VIEWPORTS, wide))
    _rendering, extended = asyncio.run(render_site(static, opts, crawl_opts))
    crawled = {p.url for p in static.ok_pages}
    pages = sorted(p.url for p in extended.ok_pages)
    early = [url for kind, url, name in events if kind == "read" and name == "cxprobe-reread_0"]
    assert sorted(early) == sorted(pages * 2)  # both desktop viewports, each page, as it was rendered
    first_follow = events.index(("follow", "", ""))
    first_apply = next(i for i, e in enumerate(events) if e[0] == "apply")
    assert first_follow > max(i for i, e in enumerate(events) if e[0] == "read" and e[1] in crawled and i < first_apply)
    assert [e for e in events if e[0] == "apply"] == [("apply", url, "its own reading") for url in pages for _ in (1, 2)]
    # A page the first desktop reading changed (the start page: a footer a script built)
    # is read again for the second: its early reading was of facts it no longer has.
    again = [url for kind, url, name in events if kind == "read" and name != "cxprobe-reread_0"]
    assert http_site.url("/") in again and all(events.index(("read", u, "MainThread")) > first_apply for u in again)
    home = extended.page(http_site.url("/"))
    assert home is not None and home.facts is not None
    links = {lk.url for lk in home.facts.links}
    assert http_site.url("/privacy.html") in links  # the footer a script built
    assert {http_site.url("/tour.html"), http_site.url("/tour-wide.html")} <= links  # both desktop readings

def test_a_nav_and_footer_built_by_scripts_count_and_the_html_reading_is_kept(browser_path: str, http_site: Site) -> None:
    http_site.page("/", HEADER_BY_FETCH)
    http_site.page("/partials/footer.html", FOOTER)
    for path in ("/prices.html", "/contact.html", "/privacy.html"):
        http_site.page(path, "<!doctype html><html><body><h1>Page</h1><a href='/'>Home</a></body></html>")
    static, extended, _ = _render(http_site, "/", browser_path)
    before = static.page(http_site.url("/"))
    assert before is not None and before.facts is not None
    assert not any(lk.url and lk.url.endswith("/privacy.html") for lk in before.facts.links)  # the HTML has no footer
    home = extended.page(http_site.url("/"))
    assert home is not None and home.facts is not None
    f = home.facts
    urls = {lk.url for lk in f.links}
    assert {http_site.url("/prices.html"), http_site.url("/contact.html"), http_site.url("/privacy.html")} <= urls
    contact = f.fact("contact")
    assert "office@smith-plumbing.co.uk" in {e.address for e in contact.emails}
    amounts = {float(p.amount) for p in f.fact("prices")}
    assert 79.0 in amounts  # built by a script
    assert 45.0 in amounts  # hidden by a script: the HTML's reading is kept
    assert f.title == "Smith Plumbing" and f.js_shell is False
    # The pages the script-built nav and the fetched footer link to are crawled too
    # (the fetch is waited for: measured, not raced).
    assert extended.page(http_site.url("/prices.html")) is not None
    assert extended.page(http_site.url("/privacy.html")) is not None


def test_a_page_scripts_do_not_change_keeps_its_html_facts(browser_path: str, http_site: Site) -> None:
    page = ("<!doctype html><html><body><h1>Bakery</h1><p>Fresh bread every morning.</p>"
            "<script>document.body.dataset.ready = '1';</script><a href='/'>Home</a></body></html>")
    http_site.page("/", page)
    static, extended, _ = _render(http_site, "/", browser_path)
    assert extended.page(http_site.url("/")) == static.page(http_site.url("/"))


DEAD_LINKS = """<!doctype html><html><head><title>Links</title>
<style>.sub{display:none} .dd:hover .sub{display:block}</style></head><body>
<nav><a href="#" class="dropdown-toggle" id="svc">Services</a><ul id="sub" hidden><li><a href="/a.html">A</a></li></ul>
<a href="#" id="modal-open">Book now</a><div id="modal" style="display:none"><p>Booking form</p><a href="/b.html">Send</a></div>
<a href="javascript:void(0)" id="alerting">Opening hours</a>
<a href="#" id="nothing">Our team</a>
<a href="javascript:void(0)" id="bound-nothing">Gallery</a>
<ul><li class="dd"><a href="">Rooms</a><ul class="sub"><li><a href="/c.html">Suite</a></li></ul></li></ul>
<a href="" id="reloads">Home again</a>
<a href="#" id="swallowed">Careers</a></nav>
<h1>Links</h1><div style="height:3000px"></div><a href="#" id="far">Far down</a>
<script>
document.getElementById('svc').addEventListener('click', e => {
  e.preventDefault(); const s = document.getElementById('sub'); s.hidden = !s.hidden;
  e.currentTarget.setAttribute('aria-expanded', String(!s.hidden)); });
document.getElementById('modal-open').addEventListener('click', e => {
  e.preventDefault(); document.getElementById('modal').style.display = 'block'; });
document.getElementById('alerting').addEventListener('click', () => alert('Mon-Fri 9-17'));
// A handler that only swallows the click: a customer still sees nothing happen.
document.getElementById('swallowed').addEventListener('click', e => e.preventDefault());
// A header that changes when the page scrolls: "#" jumping to the top is no effect of the click.
window.addEventListener('scroll', () => document.querySelector('nav').classList.toggle('scrolled', window.scrollY > 50));
// The page moves on its own (a ticker): that is no effect of any click.
setInterval(() => { document.title = document.title; const h = document.querySelector('h1'); h.dataset.t = Date.now(); }, 40);
</script></body></html>"""


def test_dead_links_are_clicked_and_what_they_do_is_recorded(browser_path: str, http_site: Site) -> None:
    http_site.page("/", DEAD_LINKS)
    for path in ("/a.html", "/b.html", "/c.html"):
        http_site.page(path, "<h1>Page</h1>")
    _, _, rendering = _render(http_site, "/", browser_path)
    desktop = rendering.get(http_site.url("/"), "desktop")
    assert desktop is not None and desktop.error is None and desktop.link_clicks is not None
    effects = {c.text: c.effect for c in desktop.link_clicks}
    assert effects["Services"] in ("expanded", "visible", "dom")
    assert effects["Book now"] in ("visible", "dom")
    assert effects["Opening hours"] == "dialog"
    assert effects["Our team"] == ""
    assert effects["Gallery"] == ""
    assert effects["Careers"] == ""
    assert effects["Far down"] == ""  # its jump to the top only moved the header
    assert effects["Rooms"] == "visible"  # its submenu opens on hover, though its click reloads
    assert effects["Home again"] == ""  # reloads the same page: nothing new; clicked last
    assert desktop.link_clicks[-1].text == "Home again"
    assert set(desktop.inert_links or ()) == {c.selector for c in desktop.link_clicks
                                              if c.text in ("Our team", "Gallery", "Careers", "Home again", "Far down")}
    mobile = rendering.get(http_site.url("/"), "mobile")
    assert mobile is not None and mobile.link_clicks is None  # not tested on the phone


FADING_BACK_TO_TOP = """<!doctype html><html><head><title>Shop</title><style>
#top { position: fixed; bottom: 10px; right: 10px; opacity: 0; display: none } .tall { height: 2500px }
#panel { display: none }</style></head><body><h1>Shop</h1><div class="tall"></div>
<p><a href="#!">Far below</a> <a href="#!" id="opener">Show the panel</a></p><div id="panel"><a href="/a.html">Panel link</a></div>
<div id="top"><a href="/">Back to top</a></div>
<script>
// A back-to-top button fading in over 400 ms when the page is scrolled down (as jQuery's fadeIn does).
let fading = null;
window.addEventListener('scroll', () => {
  const el = document.getElementById('top');
  if (window.scrollY > 100 && el.style.display !== 'block' && !fading) {
    el.style.display = 'block';
    let step = 0;
    fading = setInterval(() => { step += 1; el.style.opacity = String(step / 20); if (step >= 20) { clearInterval(fading); } }, 20);
  }
});
document.getElementById('opener').addEventListener('click', e => { e.preventDefault(); document.getElementById('panel').style.display = 'block'; });
</script></body></html>"""


def test_the_pages_answer_to_scrolling_a_link_into_view_is_over_before_the_click(browser_path: str, http_site: Site) -> None:
    """A back-to-top button that fades in for 400 ms once the page is scrolled is no effect
    of clicking the link the scroll brought into view; a panel the click opens still is."""
    http_site.page("/", FADING_BACK_TO_TOP)
    http_site.page("/a.html", "<h1>A</h1>")
    _, _, rendering = _render(http_site, "/", browser_path)
    desktop = rendering.get(http_site.url("/"), "desktop")
    assert desktop is not None and desktop.error is None and desktop.link_clicks is not None
    effects = {c.text: c.effect for c in desktop.link_clicks}
    assert effects["Far below"] == ""
    assert effects["Show the panel"] in ("visible", "dom")


def test_clicks_never_send_anything_but_get_and_a_navigating_click_counts(browser_path: str, http_site: Site) -> None:
    http_site.page("/", """<!doctype html><html><body><h1>Shop</h1>
<form id="f" method="post" action="/order"><input name="q"></form>
<a href="#" id="post">Order</a><a href="javascript:void(0)" id="go">Next page</a>
<script>
document.getElementById('post').addEventListener('click', e => { e.preventDefault(); fetch('/order', {method: 'POST', body: 'x'}); document.getElementById('f').submit(); });
document.getElementById('go').addEventListener('click', () => { location.assign('/next.html'); });
</script></body></html>""")
    http_site.page("/next.html", "<h1>Next</h1>")
    _, _, rendering = _render(http_site, "/", browser_path)
    desktop = rendering.get(http_site.url("/"), "desktop")
    assert desktop is not None and desktop.link_clicks is not None
    effects = {c.text: c.effect for c in desktop.link_clicks}
    assert effects["Order"] == "request"
    assert effects["Next page"] == "navigation"
    assert "/order" not in http_site.hits  # refused before it left the browser


CDN_DOWN = """<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="http://cdn.cxprobe-test.invalid/material-icons.css">
<style>body{margin:0} .collapse:not(.show){display:none} .material-icons{font-size:40px;white-space:nowrap}</style></head><body>
<nav><button class="navbar-toggler" data-bs-toggle="collapse" data-bs-target="#links" aria-controls="links"
 aria-expanded="false" aria-label="Toggle navigation">=</button>
<div class="collapse" id="links"><a href="/contact.html">Contact</a></div></nav>
<h1>Shop</h1><p><span class="material-icons">shopping_cart add_shopping_cart account_circle</span></p>
<script src="http://cdn.cxprobe-test.invalid/bootstrap.bundle.min.js"></script></body></html>"""


def test_verdicts_that_need_a_cdn_file_that_did_not_load_are_not_checked(browser_path: str, http_site: Site) -> None:
    from cxprobe import Context
    from cxprobe.config import AuditConfig
    from cxprobe.testing import plugin_manager

    http_site.page("/", CDN_DOWN)
    http_site.page("/contact.html", "<h1>Contact</h1>")
    _, extended, rendering = _render(http_site, "/", browser_path)
    mobile = rendering.get(http_site.url("/"), "mobile")
    assert mobile is not None and mobile.menu is not None and mobile.menu.opens is False
    assert mobile.scroll_width > mobile.client_width + 4  # icon names shown as words overflow
    ctx = Context(site=extended, config=AuditConfig(), rendering=rendering, mode="browser")
    probes = plugin_manager().registry().probes
    menu = probes["mobile.menu"].check(ctx)
    assert menu.score is None and menu.not_applicable == "not checked: bootstrap.bundle.min.js did not load"
    overflow = probes["mobile.overflow"].check(ctx)
    assert overflow.score is None and overflow.not_applicable == "not checked: material-icons.css did not load"


CAMEL_TOGGLE = """<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0} #mobileMenu{display:none} #mobileMenu.open{display:block} #mobileMenuButton{width:40px;height:40px}
.ri-menu-line::before{content:"="}</style></head><body>
<header><a href="/">Kanzlei</a><div id="mobileMenuButton"><i class="ri-menu-line"></i></div></header>
<div id="mobileMenu"><a href="/kontakt.html">Kontakt</a></div><h1>Strafrecht</h1>
<script>document.getElementById('mobileMenuButton').addEventListener('click', () =>
  document.getElementById('mobileMenu').classList.toggle('open'));</script></body></html>"""


def test_a_menu_button_named_in_camel_case_with_an_icon_font_glyph_is_tapped(browser_path: str, http_site: Site) -> None:
    http_site.page("/", CAMEL_TOGGLE)
    http_site.page("/kontakt.html", "<h1>Kontakt</h1>")
    _, _, rendering = _render(http_site, "/", browser_path)
    mobile = rendering.get(http_site.url("/"), "mobile")
    assert mobile is not None and mobile.menu is not None
    assert mobile.menu.toggle is not None and mobile.menu.opens is True
    assert [t for t, _u in mobile.menu.links] == ["Kontakt"]


PRELOADER = """<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0} #loader{position:fixed;inset:0;z-index:9999;background:#fff;transition:opacity .4s}
#consent{position:fixed;left:0;right:0;bottom:0;height:60%;z-index:1000;background:#eee}</style></head><body>
<div id="loader">Loading</div>{consent}<h1>Spa</h1><p>Massages and treatments.</p>
<script>window.addEventListener('load', () => { const l = document.getElementById('loader');
  l.style.opacity = '0'; setTimeout(() => l.remove(), 400); });</script></body></html>"""


def test_a_preloader_fading_out_at_load_is_no_overlay_but_a_consent_wall_is(browser_path: str, http_site: Site) -> None:
    # Each as a start page: the first screen judged is the start page's.
    http_site.page("/", PRELOADER.replace("{consent}", ""))
    http_site.page("/wall.html", PRELOADER.replace("{consent}", '<div id="consent"><button>Accept</button></div>'))
    home = _render(http_site, "/", browser_path)[2].get(http_site.url("/"), "mobile")
    wall = _render(http_site, "/wall.html", browser_path)[2].get(http_site.url("/wall.html"), "mobile")
    assert home is not None and home.overlay_share == 0
    assert wall is not None and wall.overlay_share >= 0.5 and "consent" in wall.overlay_selector


def test_a_rendering_that_fails_leaves_no_reading_running(
        browser_path: str, http_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # When rendering fails, the run goes on to the probes, which read text too: the reading
    # being made is finished first, and none is left running on the reading thread.
    import time

    from cxprobe.crawl import SiteExtension

    http_site.page("/", HEADER_BY_FETCH)
    http_site.page("/partials/footer.html", FOOTER)
    for path in ("/prices.html", "/contact.html", "/privacy.html"):
        http_site.page(path, "<!doctype html><html><body><h1>Page</h1><a href='/'>Home</a></body></html>")
    read_rendered = SiteExtension.read_rendered
    running: list[int] = []

    def slow(self: SiteExtension, url: str, html: str) -> object:
        running.append(1)
        time.sleep(0.5)
        try:
            return read_rendered(self, url, html)
        finally:
            running.pop()

    from cxprobe.browser.session import Renderer

    render = Renderer.render

    async def broken(self: Renderer, jobs: object) -> object:
        await render(self, jobs)  # type: ignore[arg-type]
        for _ in range(100):  # a reading is being made
            if running:
                break
            await asyncio.sleep(0.02)
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(SiteExtension, "read_rendered", slow)
    monkeypatch.setattr(Renderer, "render", broken)
    with pytest.raises(RuntimeError, match="rendering failed"):
        _render(http_site, "/", browser_path)
    assert running == []
