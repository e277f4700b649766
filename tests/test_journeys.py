"""Journeys walked over real HTML served on loopback: default and configured journeys, where
they break, and their gates (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cxprobe.testing import audit

NAV = """<header><nav><a href="index.html">Home</a> <a href="pricing.html">Pricing</a>
<a href="about.html">About</a></nav></header>"""
FOOTER = """<footer><a href="contact.html">Contact</a> <a href="privacy.html">Privacy policy</a>
<a href="support.html">Support</a></footer>"""


def page(title: str, main: str) -> str:
    return (f"<!doctype html><html lang=en><head><title>{title}</title>"
            f"<meta name=viewport content='width=device-width, initial-scale=1'></head>"
            f"<body>{NAV}<main><h1>{title}</h1>{main}</main>{FOOTER}</body></html>")


SITE = {
    "index.html": page("Acme widgets for small bakeries",
                       "<p>We make widgets.</p><a href='signup.html'>Start free trial</a>"
                       "<a href='logout?all=1'>Log out</a>"),
    "pricing.html": page("Pricing", "<p>Basic plan: $10 per month.</p><a href='contact.html'>Talk to sales</a>"),
    "contact.html": page("Contact us", "<p>Email hello@acme-widgets.com or call +1 415 555 0100.</p>"),
    "about.html": page("About", "<p>Since 1999.</p><a href='#'>Careers</a>"),
    "signup.html": page("Sign up", "<p>Create your account.</p>"),
    "privacy.html": page("Privacy policy", "<p>What we keep and why.</p>"),
}

JOURNEYS = [
    {"name": "buy", "steps": ["home", "pricing", "contact"], "max_clicks": 2, "must_reach": True},
    {"name": "trial", "steps": ["home", {"link": "start free TRIAL"}, {"url": "/signup*"}]},
    {"name": "careers", "steps": [{"url": "/about*"}, {"link": "Careers"}], "must_reach": True, "level": "warn"},
    {"name": "help", "steps": ["support"]},
    {"name": "leave", "steps": [{"link": "Log*"}]},
]


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {j["name"]: j for j in report["journeys"]}


@pytest.fixture(scope="module")
def configured() -> dict[str, Any]:
    return audit(SITE, start="/index.html", journey=JOURNEYS)


def test_default_journeys_find_the_touchpoints_pages() -> None:
    r = audit(SITE, start="/index.html")
    js = by_name(r)
    assert [j["name"] for j in r["journeys"]] == ["discover", "pricing", "contact", "support", "policies", "feedback"]
    assert js["discover"]["reached"] and js["discover"]["clicks"] == 0
    contact = js["contact"]
    # Contact is a footer link only: one click over the footer, none over the navigation.
    assert contact["reached"] and contact["clicks"] == 1 and contact["path"] == ["/", "/contact.html"]
    assert contact["routes"]["footer"]["clicks"] == 1
    assert contact["routes"]["nav"]["reached"] is False
    assert contact["routes"]["nav"]["broken_at"]["reason"] == "unreachable"
    assert contact["routes"]["mobile_menu"] is None  # static mode clicks nothing
    assert js["pricing"]["routes"]["nav"]["clicks"] == 1
    assert js["policies"]["path"] == ["/", "/privacy.html"]
    # The support page is a 404: the journey breaks at the footer link that leads there.
    broke = js["support"]["broken_at"]
    assert js["support"]["reached"] is False
    assert (broke["reason"], broke["url"], broke["link"], broke["status"]) == ("http_error", "/", "Support", 404)
    probe = next(p for p in r["touchpoints"]["journey"]["probes"] if p["id"] == "journey.journeys")
    assert probe["status"] == "passed"


def test_configured_journey_home_pricing_contact(configured: dict[str, Any]) -> None:
    buy = by_name(configured)["buy"]
    assert buy["reached"] and buy["clicks"] == 2
    assert buy["path"] == ["/", "/pricing.html", "/contact.html"]
    # The last click is by the link that says where it goes (the footer "Contact", not "Talk to sales").
    assert [h["text"] for h in buy["routes"]["in_page"]["links"]] == ["Pricing", "Contact"]
    assert buy["routes"]["nav"]["broken_at"]["url"] == "/pricing.html"  # no navigation link to contact
    trial = by_name(configured)["trial"]
    assert trial["reached"] and trial["clicks"] == 1 and trial["path"] == ["/", "/signup.html"]
    # Configured journeys replace the default ones.
    assert [j["name"] for j in configured["journeys"]] == [j["name"] for j in JOURNEYS]


def test_journey_through_a_dead_link_says_where_it_broke(configured: dict[str, Any]) -> None:
    careers = by_name(configured)["careers"]
    assert careers["reached"] is False
    broke = careers["broken_at"]
    assert (broke["reason"], broke["url"], broke["link"], broke["step"]) == ("dead_link", "/about.html", "Careers", 1)
    assert careers["routes"]["in_page"]["path"] == ["/", "/about.html"]
    help_ = by_name(configured)["help"]["broken_at"]
    assert (help_["reason"], help_["link"], help_["status"]) == ("http_error", "Support", 404)
    # A destructive link is never followed.
    leave = by_name(configured)["leave"]["broken_at"]
    assert leave["reason"] == "destructive" and leave["link"] == "Log out"
    findings = {f["title"] for f in configured["findings"] if f["probe"] == "journey.journeys"}
    assert {"The careers journey breaks", "The help journey breaks", "The leave journey breaks"} <= findings


def test_journey_gates_at_both_levels(configured: dict[str, Any]) -> None:
    checks = {c["name"]: c for c in configured["gates"]["checks"]}
    assert checks["journey.buy.must_reach"]["passed"] and checks["journey.buy.max_clicks"]["passed"]
    careers = checks["journey.careers.must_reach"]
    assert careers["level"] == "warn" and careers["passed"] is False and "/about.html" in careers["message"]
    assert configured["gates"]["passed"] is True  # a warn-level failure leaves the exit code alone


def test_failed_error_level_journey_exits_1(tmp_path: Path, run_cli: Any) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name, html in SITE.items():
        (site / name).write_text(html)
    (tmp_path / "cxprobe.toml").write_text(
        '[[journey]]\nname = "help"\nsteps = ["home", "support"]\nmust_reach = true\n\n'
        '[[journey]]\nname = "buy"\nsteps = ["pricing", "contact"]\nmax_clicks = 1\nlevel = "warn"\n')
    out = tmp_path / "r.json"
    proc = run_cli("audit", str(site), "--start", "/index.html", "--render", "static", "--format", "json",
                   "--output", str(out))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(out.read_text())
    checks = {c["name"]: c for c in report["gates"]["checks"]}
    assert checks["journey.help.must_reach"]["passed"] is False
    assert "Support" in checks["journey.help.must_reach"]["message"]
    assert checks["journey.buy.max_clicks"]["passed"] is False and checks["journey.buy.max_clicks"]["level"] == "warn"
    assert "journey.help.must_reach" in proc.stderr


@pytest.mark.parametrize(("table", "message"), [
    ('[[journey]]\nname = "x"\n', "has no steps"),
    ('[[journey]]\nname = "x"\nsteps = ["checkout"]\n', "no step 'checkout'"),
    ('[[journey]]\nname = "x"\nsteps = [{ link = "A", url = "/b" }]\n', "must be { link"),
    ('[[journey]]\nname = "contact"\nlevel = "fatal"\n', "level must be error or warn"),
])
def test_bad_journey_config_is_one_line(tmp_path: Path, run_cli: Any, table: str, message: str) -> None:
    (tmp_path / "index.html").write_text(SITE["index.html"])
    (tmp_path / "cxprobe.toml").write_text(table)
    proc = run_cli("audit", str(tmp_path / "index.html"), "--render", "static")
    assert proc.returncode == 2
    assert proc.stderr.startswith("cxprobe: error:") and message in proc.stderr and "Traceback" not in proc.stderr


def test_sb_modern_business_contact_in_one_click(corpus: Path) -> None:
    r = audit(corpus / "sb-modern-business", start="/index.html")
    contact = by_name(r)["contact"]
    assert contact["reached"] and contact["clicks"] == 1 and contact["path"] == ["/", "/contact.html"]
    assert contact["routes"]["nav"]["clicks"] == 1
    # Its footer "Contact" is written href="#!": the footer route breaks there.
    assert contact["routes"]["footer"]["broken_at"]["reason"] == "dead_link"


def test_terminal_html_and_markdown_reports_show_the_journeys(tmp_path: Path, run_cli: Any) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name, html in SITE.items():
        (site / name).write_text(html)
    out = tmp_path / "out"
    proc = run_cli("audit", str(site), "--start", "/index.html", "--render", "static", "--format", "terminal",
                   "--format", "html", "--format", "markdown", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    text = (out / "report.txt").read_text() if (out / "report.txt").exists() else next(out.glob("*.txt")).read_text()
    assert "Journeys from the start page:" in text
    assert "✓ contact (Reach a human): 1 click (/ → /contact.html)" in text
    assert "✗ support (Get help): not reached at /: the link 'Support' leads to" in text
    page = next(out.glob("*.html")).read_text()
    assert 'id="journeys"' in page and 'id="journey-contact"' in page
    assert "“Contact” <span class=\"muted\">(footer)</span>" in page
    summary = next(out.glob("*.md")).read_text()
    assert "### Journeys" in summary and "- ✅ **contact**: 1 click" in summary
    assert "- ❌ **support**: breaks at /: the link 'Support' leads to" in summary


def test_journeys_from_pyproject(tmp_path: Path, run_cli: Any) -> None:
    (tmp_path / "index.html").write_text(SITE["index.html"])
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cxprobe]\nrender = "static"\n\n[[tool.cxprobe.journey]]\nname = "trial"\n'
        'steps = [{ link = "Start free*" }]\nmust_reach = true\nlevel = "warn"\n')
    out = tmp_path / "r.json"
    proc = run_cli("audit", str(tmp_path / "index.html"), "--format", "json", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    trial = by_name(json.loads(out.read_text()))["trial"]
    # A one-file target: the signup page is not part of the site, so the click leads nowhere it can follow.
    assert trial["reached"] is False and trial["broken_at"]["link"] == "Start free trial"
    assert "journey.trial.must_reach" in proc.stderr


def test_a_help_centre_on_another_site_is_named() -> None:
    site = {"index.html": page("Acme widgets", "<p>We make widgets.</p>"
                               "<a href='https://help.example.com/'>Help center</a>")}
    support = by_name(audit(site, start="/index.html"))["support"]
    assert support["reached"] is False
    assert support["broken_at"]["reason"] == "off_site" and "https://help.example.com/" in support["broken_at"]["detail"]


def test_links_that_redirect_reach_the_page_they_arrive_at() -> None:
    # Extensionless links as static hosts serve them: "contato" is redirected to
    # contato.html, where the crawl keeps the page; the journey follows the link.
    nav = '<header><nav><a href="/">Início</a> <a href="contato">Contato</a></nav></header>'
    foot = '<footer><a href="privacidade">Política de privacidade</a></footer>'

    def pt(title: str, main: str) -> str:
        return (f"<!doctype html><html lang=pt-BR><head><title>{title}</title></head>"
                f"<body>{nav}<main><h1>{title}</h1>{main}</main>{foot}</body></html>")

    r = audit({"index.html": pt("Hidráulica em Porto Alegre", "<p>Consertos de encanamento.</p>"),
               "contato.html": pt("Contato", "<p>Ligue (51) 3333-4444 ou escreva para contato@hidro-sul.com.br.</p>"),
               "privacidade.html": pt("Política de privacidade", "<p>Os dados que guardamos.</p>")},
              start="/index.html")
    js = by_name(r)
    assert r["touchpoints"]["contact"]["facts"]["page"] == "/contato.html"
    contact = js["contact"]
    assert contact["reached"] and contact["clicks"] == 1 and contact["path"] == ["/", "/contato.html"]
    assert contact["routes"]["nav"]["clicks"] == 1
    assert js["policies"]["reached"] and js["policies"]["routes"]["footer"]["clicks"] == 1


def test_a_footer_a_script_loads_is_not_judged_in_static_mode() -> None:
    # The footer (with the privacy link) is fetched in by a script: the HTML has no link to
    # the privacy page, which the crawl finds in the folder. Static mode cannot say the
    # customer has no road there; it says so and does not score it.
    head = "<!doctype html><html lang=de><head><title>{0}</title></head><body>"
    nav = '<header><nav><a href="index.html">Start</a> <a href="kontakt.html">Kontakt</a></nav></header>'
    tail = ('<div id="footer"></div><script>fetch("footer.html").then(r => r.text())'
            '.then(h => { document.getElementById("footer").innerHTML = h; });</script></body></html>')
    site = {
        "index.html": head.format("Kanzlei Beispiel") + nav + "<main><h1>Kanzlei für Arbeitsrecht</h1></main>" + tail,
        "kontakt.html": head.format("Kontakt") + nav + "<main><h1>Kontakt</h1><p>Telefon 030 1234567, "
                        "mail@kanzlei-beispiel.de</p></main>" + tail,
        "datenschutz.html": head.format("Datenschutzerklärung") + nav + "<main><h1>Datenschutzerklärung</h1>"
                            "<p>Welche Daten wir speichern.</p></main>" + tail,
        "footer.html": '<footer><a href="datenschutz.html">Datenschutz</a></footer>',
    }
    r = audit(site, start="/index.html")
    js = by_name(r)
    assert js["contact"]["reached"] and js["contact"]["clicks"] == 1
    policies = js["policies"]
    assert r["touchpoints"]["policies"]["facts"]["privacy"] == "/datenschutz.html"
    assert policies["reached"] is False and policies["broken_at"]["reason"] == "not_checked"
    assert "--render browser" in policies["broken_at"]["detail"]
    # The menu is in the HTML and has no such link: that route is judged.
    assert policies["routes"]["nav"]["broken_at"]["reason"] == "unreachable"
    assert policies["routes"]["footer"]["broken_at"]["reason"] == "not_checked"
    found = [f["title"] for f in r["findings"] if f["probe"] == "journey.journeys"]
    assert not any("policies" in t for t in found), found
