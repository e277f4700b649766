"""Calm pages: what the page's scripts listen for decides how long a dead link's click
and a phone menu's tap are watched; and a page that clicks makes way for the next one to
load. Real Chromium over loopback HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cxprobe.browser import collect
from cxprobe.browser.collect import CALM, NOISY, STILL, _Listeners
from cxprobe.browser.options import VIEWPORTS, RenderJob, RenderOptions
from cxprobe.browser.scripts import script
from cxprobe.browser.session import Renderer
from cxprobe.model import RenderedPage

from .conftest import Site

pytestmark = pytest.mark.usefixtures("quick_teardown")

DESKTOP = next(vp for vp in VIEWPORTS if not vp.mobile)


def _opts(browser_path: str, site: Site, concurrency: int = 4) -> RenderOptions:
    return RenderOptions(browser_path=browser_path, first_party=(site.origin.split("//", 1)[1],), concurrency=concurrency)


def _render(browser_path: str, site: Site, paths: list[str], concurrency: int = 4) -> list[RenderedPage]:
    jobs = [RenderJob(url=site.url(p), viewport=DESKTOP, clicks=True) for p in paths]

    async def go() -> list[RenderedPage]:
        async with Renderer(_opts(browser_path, site, concurrency)) as r:
            return await r.render(jobs)

    return asyncio.run(go())


def _effects(rp: RenderedPage) -> dict[str, str]:
    assert rp.error is None and rp.link_clicks is not None
    return {c.text: c.effect for c in rp.link_clicks}


PAGE = "<!doctype html><html><head><title>T</title></head><body><h1>Shop</h1><a href='#!'>Nothing</a>{extra}</body></html>"

STATES = {
    "/none.html": ("", STILL),
    # Loading, resizing, forms being sent and the page scrolling are no answer to a click.
    "/quiet.html": ("<form><input name=q></form><script>window.addEventListener('load', () => {});"
                    "window.addEventListener('resize', () => {}); document.forms[0].addEventListener('submit', () => {});"
                    "document.querySelector('input').addEventListener('input', () => {});</script>", STILL),
    "/scroll.html": ("<script>window.addEventListener('scroll', () => {});</script>", CALM),
    "/elsewhere.html": ("<button onclick='void 0'>Menu</button>", NOISY),
    "/hover.html": ("<div id=d>x</div><script>document.getElementById('d').addEventListener('mouseover', () => {});</script>",
                    NOISY),
    "/delegated.html": ("<script>document.addEventListener('click', () => {});</script>", NOISY),
    "/hash.html": ("<script>window.onhashchange = () => {};</script>", NOISY),
    "/focus.html": ("<script>document.body.addEventListener('focusin', () => {});</script>", NOISY),
}


def test_what_a_pages_scripts_listen_for_is_read_from_the_browser(browser_path: str, http_site: Site) -> None:
    """Every listener counts, wherever it is (an inline onclick on another element, a
    property handler on the window, one delegated to the document); cxprobe's own click
    listener and what no click sets off (load, resize, forms, input) do not; a page that
    only hears scrolling is calm but not still."""
    for path, (extra, _state) in STATES.items():
        http_site.page(path, PAGE.format(extra=extra))

    async def go() -> dict[str, str]:
        out = {}
        async with Renderer(_opts(browser_path, http_site)) as r:
            page = await r.borrow("desktop")
            for path in STATES:
                await page.goto(http_site.url(path))
                # cxprobe's own window listener is in place, as when it clicks.
                await page.evaluate(script("click_before"), {"find": True, "skip": [], "max": 5})
                listeners = await _Listeners.open(page)
                assert listeners is not None
                out[path] = await listeners.state()
                await listeners.close()
            await r.give_back("desktop", page)
        return out

    got = asyncio.run(go())
    assert got == {path: state for path, (_extra, state) in STATES.items()}


CALM_PAGE = """<!doctype html><html><head><title>Rooms</title><style>
nav li { position: relative; display: inline-block; margin-right: 40px } .sub, .fade { position: absolute; top: 100% }
.sub { display: none } .dd:hover .sub { display: block }
.fade { visibility: hidden; opacity: 0; transition: opacity .2s .1s, visibility 0s .1s }
.later:focus-within .fade { visibility: visible; opacity: 1 }
a.tint { color: #004; transition: color .3s } a.tint:hover, a.tint:focus { color: #a00 }
.tall { height: 2000px }
</style></head><body><h1>Rooms</h1><nav><ul>
<li class="dd"><a href="#">Suites</a><ul class="sub"><li><a href="/suite.html">Garden suite</a></li></ul></li>
<li class="later"><a href="#!">Offers</a><ul class="fade"><li><a href="/offer.html">Winter offer</a></li></ul></li>
<li><a class="tint" href="#">Gallery</a></li></ul></nav>
<div class="tall"></div><p><a href="javascript:void(0)">Our team</a></p></body></html>"""


def test_a_calm_page_still_shows_what_its_styles_open(browser_path: str, http_site: Site) -> None:
    """No script on the page: a submenu its styles open on hover counts at once, one that
    fades in after a delay is watched until it shows, and a link whose colour only fades
    on hover (a transition that shows nothing new) or that does nothing is dead."""
    http_site.page("/", CALM_PAGE)
    effects = _effects(_render(browser_path, http_site, ["/"])[0])
    assert effects == {"Suites": "visible", "Offers": "visible", "Gallery": "", "Our team": ""}


LATE_LISTENER = """<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
<div style="height:2500px"></div>
<p><a href="#!">Far below</a> <a href="#!" class="opener">Show the panel</a></p>
<div id="panel" style="display:none"><a href="/a.html">Panel link</a></div>
<script>
// Only the first scroll makes the page listen for clicks (as scripts loaded on the first
// interaction do); the panel then toggles 150 ms after a click, later than a calm click is watched.
window.addEventListener('scroll', () => {
  if (window.hooked) return;
  window.hooked = true;
  document.addEventListener('click', (e) => {
    if (!e.target.closest('.opener')) return;
    e.preventDefault();
    setTimeout(() => { const p = document.getElementById('panel'); p.style.display = p.style.display === 'none' ? 'block' : 'none'; }, 150);
  });
});
</script></body></html>"""


def test_a_script_that_starts_listening_while_links_are_clicked_has_them_clicked_again(
        browser_path: str, http_site: Site) -> None:
    """The page was calm when the clicking began; scrolling to the first link made it
    listen. The link after it was watched briefly, which missed the panel: asked again at
    the end, the page listens now, and that link is clicked again and watched in full."""
    http_site.page("/", LATE_LISTENER)
    effects = _effects(_render(browser_path, http_site, ["/"])[0])
    assert effects["Far below"] == ""
    assert effects["Show the panel"] in ("visible", "dom")


def _noisy_links(prefix: str, n: int) -> str:
    links = " ".join(f'<a href="#" onclick="new Image().src=\'/clicked?{prefix}{i}\'">{prefix} link {i}</a>' for i in range(n))
    return f"<!doctype html><html><head><title>{prefix}</title></head><body><h1>{prefix}</h1><p>{links}</p></body></html>"


def test_a_page_that_clicks_makes_way_for_the_next_page_to_load(browser_path: str, http_site: Site) -> None:
    """One page at a time loads (concurrency 1): the second page is requested while the
    first still clicks its links (each click sends a request the server sees)."""
    http_site.page("/a.html", _noisy_links("A", 6))
    http_site.page("/b.html", "<!doctype html><html><head><title>B</title></head><body><h1>B</h1></body></html>")
    a, b = _render(browser_path, http_site, ["/a.html", "/b.html"], concurrency=1)
    assert a.error is None and b.error is None
    assert a.link_clicks is not None and len(a.link_clicks) == 6
    hits = http_site.hits
    clicked = [i for i, h in enumerate(hits) if h.startswith("/clicked?A")]
    assert len(clicked) == 6
    assert hits.index("/b.html") < clicked[-1]


def test_links_a_page_had_no_time_to_click_are_given_back_to_later_pages(
        browser_path: str, http_site: Site, monkeypatch: Any) -> None:
    """A page that runs out of clicking time leaves the links it did not click to a page
    with the same links rendered later (here in a later batch, as the pages a rendered
    link leads to are); none is clicked twice."""
    monkeypatch.setattr(collect, "CLICK_BUDGET_S", 0.5)
    same = _noisy_links("S", 8)
    http_site.page("/one.html", same)
    http_site.page("/two.html", same)

    async def go() -> tuple[RenderedPage, RenderedPage]:
        async with Renderer(_opts(browser_path, http_site)) as r:
            (one,) = await r.render([RenderJob(url=http_site.url("/one.html"), viewport=DESKTOP, clicks=True)])
            (two,) = await r.render([RenderJob(url=http_site.url("/two.html"), viewport=DESKTOP, clicks=True)])
            return one, two

    one, two = asyncio.run(go())
    first = [c.text for c in one.link_clicks or ()]
    then = [c.text for c in two.link_clicks or ()]
    assert 0 < len(first) < 8  # the first page ran out of time
    assert then and not set(first) & set(then)  # the next took over, none twice
    assert first + then == [f"S link {i}" for i in range(len(first) + len(then))]  # in the page's order


CALM_MENUS = {
    # The checkbox behind a label: the browser ticks it, a :checked rule shows the menu.
    "/checkbox.html": """<style>#nav-toggle { display: none } nav ul { display: none }
#nav-toggle:checked ~ ul { display: block }</style>
<nav><input type="checkbox" id="nav-toggle"><label for="nav-toggle" class="menu-toggle" aria-label="Menu">&#9776;</label>
<ul><li><a href="/a.html">Rooms</a></li><li><a href="/b.html">Prices</a></li></ul></nav>""",
    # A :target menu that fades in after a delay, as a transition: watched until it shows.
    "/target.html": """<style>#menu { visibility: hidden; opacity: 0; transition: opacity .2s .15s, visibility 0s .15s }
#menu:target { visibility: visible; opacity: 1 }</style>
<header><a href="#menu" class="menu-toggle" aria-label="Open menu">Menu</a>
<nav id="menu"><a href="/a.html">Rooms</a> <a href="/b.html">Prices</a></nav></header>""",
    # A button no script and no style answers: the menu stays shut.
    "/shut.html": """<style>nav ul { display: none }</style>
<nav><button class="navbar-toggler" aria-label="Toggle navigation">&#9776;</button>
<ul><li><a href="/a.html">Rooms</a></li></ul></nav>""",
}


def test_a_calm_pages_menu_is_judged_by_what_its_styles_open(browser_path: str, http_site: Site) -> None:
    """No script on these pages: a checkbox menu and a :target menu that fades in after a
    delay open; a toggle nothing answers is shut."""
    mobile = next(vp for vp in VIEWPORTS if vp.mobile)
    for path, body in CALM_MENUS.items():
        http_site.page(path, f"<!doctype html><html><head><title>Menu</title><meta name='viewport' "
                             f"content='width=device-width, initial-scale=1'></head><body>{body}<h1>Inn</h1></body></html>")

    async def go() -> list[RenderedPage]:
        async with Renderer(_opts(browser_path, http_site)) as r:
            return await r.render([RenderJob(url=http_site.url(p), viewport=mobile, menu=True) for p in CALM_MENUS])

    menus = {rp.url.rsplit("/", 1)[-1]: rp.menu for rp in asyncio.run(go())}
    assert all(m is not None and m.toggle for m in menus.values()), menus
    assert menus["checkbox.html"].opens is True  # type: ignore[union-attr]
    assert menus["target.html"].opens is True  # type: ignore[union-attr]
    assert menus["shut.html"].opens is False  # type: ignore[union-attr]
