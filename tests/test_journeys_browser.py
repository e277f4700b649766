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
    # Beside the report, as the pages' screenshots are.
    assert broke["screenshot"] and (tmp_path / broke["screenshot"]).is_file()
    finding = next(f for f in r["findings"] if f["probe"] == "journey.journeys")
    assert finding["title"] == "The contact journey breaks on a phone"
    assert "1 click on a desktop" in finding["message"]
