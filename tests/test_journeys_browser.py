"""Journeys clicked through in a real browser at desktop and phone size (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxprobe.testing import audit

STYLE = """<style>
nav a { margin: 0 8px } .navbar-toggler { display: none } .sub { display: none } .dropdown:hover .sub { display: inline }
@media (max-width: 600px) { #menu { display: none } #menu.open { display: block } .navbar-toggler { display: block } }
</style>"""
OPENS = "document.getElementById('menu').classList.add('open'); this.setAttribute('aria-expanded', 'true')"


def site(toggle: str) -> dict[str, str]:
    def page(title: str, main: str) -> str:
        return (f"<!doctype html><html lang=en><head><title>{title}</title><meta name=viewport "
                f"content='width=device-width, initial-scale=1'>{STYLE}</head><body><header>"
                f"<button class='navbar-toggler' type='button' aria-controls='menu' aria-expanded='false' {toggle}>Menu</button>"
                "<nav id='menu'><a href='index.html'>Home</a> <span class='dropdown'><a href='#' class='drop'>Company</a> "
                "<span class='sub'><a href='pricing.html'>Pricing</a></span></span> "
                f"<a href='contact.html'>Contact</a></nav></header><main><h1>{title}</h1>{main}</main>"
                "<footer><p>Acme widgets, 1 Main St</p></footer></body></html>")

    return {
        "index.html": page("Acme widgets for small bakeries", "<p>We make widgets.</p>"),
        "pricing.html": page("Pricing", "<p>Basic plan: $10 per month.</p><a href='contact.html'>Talk to sales</a>"),
        "contact.html": page("Contact us", "<p>Email hello@acme-widgets.com or call +1 415 555 0100.</p>"),
    }


def journey(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(j for j in report["journeys"] if j["name"] == name)


def test_journey_clicked_at_desktop_and_phone(browser_path: str) -> None:
    r = audit(site(f'onclick="{OPENS}"'), start="/index.html", render="browser",
              journey=[{"name": "buy", "steps": ["home", "pricing", "contact"]}])
    assert r["mode"] == "browser"
    buy = journey(r, "buy")
    assert buy["reached"] and buy["clicks"] == 2 and buy["path"] == ["/", "/pricing.html", "/contact.html"]
    assert buy["route"] == "desktop"
    desktop, phone = buy["routes"]["desktop"], buy["routes"]["mobile_menu"]
    assert desktop["reached"] and phone["reached"]
    assert desktop["clicks"] == phone["clicks"] == buy["routes"]["in_page"]["clicks"]
    assert buy["seconds"] is not None and buy["seconds"] >= 0
    assert all(h["seconds"] >= 0 for h in desktop["links"] + phone["links"])
    # Pricing sits in a submenu that shows when the customer points at "Company"; on the
    # phone both navigation clicks are made in the opened menu.
    assert [(h["text"], h["region"]) for h in desktop["links"]] == [("Pricing", "nav"), ("Contact", "nav")]
    assert [(h["text"], h["region"]) for h in phone["links"]] == [("Pricing", "menu"), ("Contact", "menu")]


def test_menu_that_does_not_open_breaks_the_phone_journey(browser_path: str, tmp_path: Path) -> None:
    r = audit(site(""), start="/index.html", render="browser", output=str(tmp_path / "r.json"), format=["json"],
              journey=[{"name": "contact", "steps": ["home", "contact"], "max_clicks": 1}])
    contact = journey(r, "contact")
    assert contact["reached"] and contact["clicks"] == 1 and contact["route"] == "desktop"
    phone = contact["routes"]["mobile_menu"]
    assert phone["reached"] is False
    broke = phone["broken_at"]
    assert broke["reason"] == "menu_closed" and broke["url"] == "/" and broke["link"] == "Contact"
    # Beside the report, as the pages' screenshots are, and like them the phone's screen at
    # CSS scale (375 x 667, not its 750 x 1334 device pixels).
    shot = (tmp_path / broke["screenshot"]).read_bytes()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(shot[16:20], "big"), int.from_bytes(shot[20:24], "big")) == (375, 667)
    finding = next(f for f in r["findings"] if f["probe"] == "journey.journeys")
    assert finding["title"] == "The contact journey breaks on a phone"
    assert "1 click on a desktop" in finding["message"]


def test_a_journey_of_no_click_is_the_start_page_rendering_loaded(browser_path: str, tmp_path: Path, http_site: Any,
                                                                   request_log: list[tuple[str, str, dict[str, str]]]) -> None:
    """"Discover" asks nothing but the start page: rendering loaded it at both sizes, so its
    walks are those loads, timed as rendering timed them; only the journeys that click load
    the start page again."""
    for name, html in site("").items():
        http_site.page("/" if name == "index.html" else "/" + name, html)
    r = audit(http_site.url("/"), render="browser", output=str(tmp_path / "r.json"), format=["json"])
    browser_gets = [path for method, path, headers in request_log
                    if method == "GET" and "Chrome/" in headers.get("user-agent", "")]
    discover = journey(r, "discover")
    assert discover["reached"] and discover["clicks"] == 0
    for name in ("desktop", "mobile_menu"):
        route = discover["routes"][name]
        assert route["reached"] and route["clicks"] == 0 and route["path"] == [r["start_url"]] and route["seconds"] > 0
    clicked = [(j["name"], name) for j in r["journeys"] if j["clicks"] for name in ("desktop", "mobile_menu")
               if j["routes"][name] is not None]
    assert len(clicked) >= 4, clicked
    # The start page: rendered at both sizes, then once for each desktop walk that clicks.
    # The phone walks need links hidden in a menu rendering found shut: answered from
    # rendering, they load nothing (the next test).
    assert all(j["routes"]["mobile_menu"]["broken_at"]["reason"] == "menu_closed" for j in r["journeys"] if j["clicks"])
    assert browser_gets.count("/") == 2 + sum(1 for _j, name in clicked if name == "desktop"), (browser_gets, clicked)


def test_a_phone_walk_rendering_already_answers_loads_nothing(browser_path: str, tmp_path: Path, http_site: Any,
                                                              request_log: list[tuple[str, str, dict[str, str]]]) -> None:
    """Rendering read which links a customer sees on the start page at phone size, and
    tapped its menu. A phone walk whose next page no seen link leads to, behind a menu
    that did not open, would load the start page only to break there: it breaks without
    loading it, with rendering's screenshot and load time. A link the customer sees
    beside the menu (here "Call us" in the header, to the contact page) is clicked
    through as before, menu or not."""
    pages = site("")
    pages["index.html"] = pages["index.html"].replace("<header>", "<header><a href='contact.html'>Call us</a> ", 1)
    for name, html in pages.items():
        http_site.page("/" if name == "index.html" else "/" + name, html)
    r = audit(http_site.url("/"), render="browser", output=str(tmp_path / "r.json"), format=["json"],
              journey=[{"name": "contact", "steps": ["home", "contact"], "max_clicks": 1},
                       {"name": "pricing", "steps": ["home", "pricing"], "max_clicks": 1}])
    browser_gets = [path for method, path, headers in request_log
                    if method == "GET" and "Chrome/" in headers.get("user-agent", "")]
    contact, pricing = journey(r, "contact"), journey(r, "pricing")
    phone = contact["routes"]["mobile_menu"]
    assert phone["reached"] and phone["links"][0]["text"] == "Call us"  # clicked through, not answered
    broke = pricing["routes"]["mobile_menu"]["broken_at"]
    assert broke["reason"] == "menu_closed" and broke["link"] == "Pricing"
    start_shots = next(p["screenshots"] for p in r["pages"] if p["url"] == r["start_url"])
    assert broke["screenshot"] == start_shots["mobile"]  # rendering's image of that screen
    assert pricing["routes"]["mobile_menu"]["seconds"] > 0
    # Rendered twice, then the two desktop walks and the contact phone walk: not the pricing one.
    assert browser_gets.count("/") == 2 + 3, browser_gets


def _renderer_opts(browser_path: str, **kw: Any) -> Any:
    from cxprobe.browser.options import RenderOptions

    return RenderOptions(browser_path=browser_path, extra_args=(
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",), **kw)


def test_a_phone_menu_that_does_not_open_is_tapped_once_per_page(browser_path: str) -> None:
    """The walks of one viewport start from the same pages: when the first walk's tap does
    not open a page's menu, the others take its result instead of waiting 1.5 s again. A
    menu that opens is tapped in every walk's own page."""
    import asyncio

    from cxprobe.browser.journeys import _ShutMenus
    from cxprobe.browser.session import Renderer

    def html(opens: bool) -> str:
        action = "document.getElementById('menu').style.display='block';" if opens else ""
        return (f"<!doctype html><meta name=viewport content='width=device-width'>{STYLE}<script>window.taps=0</script>"
                f"<button class='navbar-toggler' aria-controls='menu' aria-expanded='false' "
                f"onclick=\"window.taps++;{action}\">Menu</button><nav id='menu'><a href='/a'>A</a><a href='/b'>B</a></nav>")

    async def run() -> list[tuple[int, bool | None]]:
        out = []
        async with Renderer(_renderer_opts(browser_path)) as r:
            for opens in (False, True):
                shut = _ShutMenus()
                pages = [await r.borrow("mobile") for _ in range(3)]
                for p in pages:
                    await p.set_content(html(opens))
                menus = await asyncio.gather(*(shut.tap(p, "/") for p in pages))
                for p, menu in zip(pages, menus, strict=True):
                    out.append((int(await p.evaluate("window.taps")), menu.opens))
                for p in pages:
                    await r.give_back("mobile", p)
        return out

    shut, opening = (lambda o: (o[:3], o[3:]))(asyncio.run(run()))
    assert sorted(shut) == [(0, False), (0, False), (1, False)]  # one tap, three answers
    assert opening == [(1, True)] * 3  # each walk opens the menu in its own page


def test_hosts_found_dead_while_rendering_fail_at_once_for_the_journeys(browser_path: str) -> None:
    """A host rendering found unreachable (here: one whose connection queue is full, so a
    connection waits for ever) is carried into the journeys' browser: its requests fail at
    once, with the same reason."""
    import asyncio
    import socket
    import time

    from cxprobe.browser.session import Renderer

    silent = socket.socket()
    silent.bind(("127.0.0.2", 0))
    silent.listen(0)  # never accepts: once its queue is full, a new connection waits
    port = silent.getsockname()[1]
    queued = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.2", port))
        queued.append(c)
    time.sleep(0.2)
    url = f"http://127.0.0.2:{port}/lib.js"
    page_html = f"<!doctype html><p>x</p><script src='{url}'></script>"

    async def load(dead: tuple[tuple[str, int, str], ...]) -> tuple[float, dict[str, str], Any]:
        async with Renderer(_renderer_opts(browser_path, subresource_timeout=1.5, dead_hosts=dead)) as r:
            page = await r.borrow("desktop")
            t = time.perf_counter()
            await page.set_content(page_html, wait_until="load")
            took = time.perf_counter() - t
            failed = dict(r.record(page).failed)  # type: ignore[union-attr]
            found = r.dead_hosts()
            await r.give_back("desktop", page)
            return took, failed, found

    try:
        first_took, first_failed, found = asyncio.run(load(()))
        assert found == (("127.0.0.2", port, "timeout after 1.5 s"),)
        again_took, again_failed, _ = asyncio.run(load(found))
    finally:
        for c in queued:
            c.close()
        silent.close()
    assert first_took >= 1.4 and first_failed == {url: "timeout after 1.5 s"}
    assert again_took < 1.0 and again_failed == {url: "timeout after 1.5 s"}
