"""cxprobe.testing, the plugin author's kit, against the real thing.

What the kit gives must be what an audit gives: the outcome of every probe and the score of
every touchpoint run by the kit on a folder equal the report of ``cxprobe audit`` (the real
command, in a subprocess) on that folder; a site built in memory from the same pages equals
the real crawl of them, page for page and outcome for outcome; ``audit()`` equals the
command's JSON. The fixtures of the pytest plugin are used here as a plugin author uses them.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cxprobe import (
    Context,
    CxprobeError,
    Document,
    Evidence,
    Extractor,
    Outcome,
    Probe,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
)
from cxprobe.document import to_json
from cxprobe.testing import (
    ORIGIN,
    KitError,
    audit,
    build_page,
    build_site,
    html_page,
    plugin_manager,
    run_probe,
    run_touchpoint,
    serve,
    site_from_folder,
    without_origin,
    write_site,
)

NAV = ('<header><a href="#" class="logo">Acme Bikes</a><nav><a href="/">Home</a> <a href="/pricing.html">Pricing</a> '
       '<a href="/about">About</a> <a href="/contact.html">Contact</a> <a href="/help/">Help</a></nav></header>')
FOOTER = ('<footer><a href="/privacy.html">Privacy</a> <a href="#">Terms</a> <a href="/careers.html">Careers</a> '
          '<a href="https://www.instagram.com/acmebikes">Instagram</a> <a href="/brochure.pdf">Brochure</a></footer>')

#: A small shop with a bit of everything a probe reads: a form, contact details, prices, a
#: help centre two clicks deep, a policy, a dead link, a broken one (/careers.html is
#: missing), an extensionless link (/about leads to about.html) and an orphan page.
PAGES = {
    "/index.html": html_page(NAV + "<main><h1>Bike repairs in a day, in Leeds</h1>"
                             "<p>We fix any bike within 24 hours, or the repair is free.</p>"
                             '<a class="button" href="/contact.html">Book a repair</a></main>' + FOOTER),
    "/pricing.html": html_page(NAV + "<main><h1>Prices</h1><h2>Basic service</h2><p>£45 per bike</p>"
                               "<h2>Full service</h2><p>£90 per bike</p></main>" + FOOTER, title="Prices - Acme Bikes"),
    "/about.html": html_page(NAV + "<main><h1>About Acme Bikes</h1><p>Family run since 1998.</p></main>" + FOOTER,
                             title="About - Acme Bikes"),
    "/contact.html": html_page(
        NAV + '<main><h1>Contact us</h1><p>Email <a href="mailto:hello@acmebikes.co.uk">hello@acmebikes.co.uk</a> '
        'or call <a href="tel:+441134960000">0113 496 0000</a>, Monday to Friday 9am to 5pm.</p>'
        "<address>12 Kirkgate, Leeds LS1 6BY</address>"
        '<form action="/thanks.html"><label>Name <input name="name"></label><label>Email <input type="email" '
        'name="email"></label><label>Message <textarea name="message"></textarea></label><button>Send</button></form>'
        "</main>" + FOOTER, title="Contact - Acme Bikes"),
    "/help/index.html": html_page(NAV + '<main><h1>Help centre</h1><a href="/help/faq.html">Questions and answers</a>'
                                  "</main>" + FOOTER, title="Help - Acme Bikes"),
    "/help/faq.html": html_page(NAV + "<main><h1>Frequently asked questions</h1><h2>How long does a repair take?</h2>"
                                "<p>One day.</p></main>" + FOOTER, title="FAQ - Acme Bikes"),
    "/privacy.html": html_page(NAV + "<main><h1>Privacy policy</h1><p>We keep your email to answer you.</p></main>"
                               + FOOTER, title="Privacy - Acme Bikes"),
    "/thanks.html": html_page(NAV + "<main><h1>Thank you</h1></main>" + FOOTER, title="Thanks - Acme Bikes"),
    "/old-offer.html": html_page("<main><h1>Spring offer</h1><p>Half price tune-ups.</p></main>", title="Offer"),
}


def strip_times(report: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(report))
    out.pop("started_at")
    out.pop("duration_s")
    return out


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(PAGES, tmp_path_factory.mktemp("shop"))


@pytest.fixture(scope="module")
def cli_report(shop: Path) -> dict[str, Any]:
    """The report of the real command on the folder: what the kit must agree with."""
    env = {k: v for k, v in os.environ.items() if k not in ("CXPROBE_DEBUG", "CXPROBE_TRACE")}
    r = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(shop), "--render", "static", "--format", "json"],
                       capture_output=True, text=True, timeout=120, env=env, cwd=shop.parent)
    assert r.returncode == 0, r.stderr
    report: dict[str, Any] = json.loads(r.stdout)
    return report


@pytest.fixture(scope="module")
def crawled(shop: Path) -> Any:
    return site_from_folder(shop)


def test_the_fixture_site_has_what_the_comparison_needs(cli_report: dict[str, Any]) -> None:
    # A comparison over a site that exercises nothing proves nothing.
    pages = {p["url"]: p for p in cli_report["pages"]}
    assert pages["/careers.html"]["status"] == 404 and pages["/old-offer.html"]["found_via"] == "sitemap"
    assert pages["/help/faq.html"]["depth"] == 2 and pages["/about.html"]["redirects"] == 1
    statuses = {p["status"] for t in cli_report["touchpoints"].values() for p in t["probes"]}
    assert statuses == {"passed", "failed", "not_applicable"}
    assert cli_report["touchpoints"]["contact"]["facts"]["methods"] == ["address", "email", "form", "phone"]
    assert len(cli_report["findings"]) >= 5


def test_run_probe_gives_every_probe_the_outcome_of_the_audit(crawled: Any, cli_report: dict[str, Any]) -> None:
    reg = plugin_manager().registry()
    compared = 0
    for tid, tp in cli_report["touchpoints"].items():
        for entry in tp["probes"]:
            out = run_probe(entry["id"], crawled)
            assert isinstance(out, Outcome)
            score = None if out.score is None else round(out.score, 4)
            assert (score, out.not_applicable or "") == (entry["score"], entry["reason"]), entry["id"]
            # the probe's facts are in its touchpoint's facts, URLs as the report shows them
            for key, value in without_origin(out.facts, crawled).items():
                assert tp["facts"][key] == value, (entry["id"], key)
            compared += 1
        assert {p["id"] for p in tp["probes"]} == {p.id for p in reg.probes.values() if p.touchpoint == tid}
    assert compared == len(reg.probes)


def test_run_touchpoint_scores_every_touchpoint_as_the_report_does(crawled: Any, cli_report: dict[str, Any]) -> None:
    for tid, tp in cli_report["touchpoints"].items():
        run = run_touchpoint(tid, crawled)
        assert (run.score, run.status) == (tp["score"], tp["status"]), tid
        assert without_origin(run.facts, crawled) == tp["facts"], tid
        assert [(r.id, r.status, r.score, r.weight, r.plugin) for r in run.results.values()] == \
            [(p["id"], p["status"], p["score"], p["weight"], p["plugin"]) for p in tp["probes"]], tid
        ids = {f["id"] for f in cli_report["findings"] if f["touchpoint"] == tid}
        assert {f.id for f in run.findings} == ids, tid
        assert {f.id: f.pages for f in run.findings} == {f["id"]: f["pages"] for f in cli_report["findings"]
                                                        if f["touchpoint"] == tid}


def test_a_folder_or_a_dict_of_pages_may_be_given_for_the_site(shop: Path) -> None:
    from_folder = run_probe("contact.page", shop)  # crawled for this call: a port of its own
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/contact\.html", from_folder.facts["page"])
    assert from_folder.facts["depth"] == 1
    from_dict = run_probe("contact.page", PAGES)  # /index.html is the start page "/"
    assert from_dict.facts == {"page": ORIGIN + "/contact.html", "depth": 1}


def test_a_site_built_in_memory_is_the_crawl_of_the_same_pages(crawled: Any) -> None:
    # The same pages under the crawl's own origin: nothing may differ, not even a URL.
    built = build_site(PAGES, start="/index.html", origin=crawled.origin)
    assert built.start_url == crawled.start_url
    for attr in ("depths", "graph", "hosts", "unfetched", "script_urls"):
        assert getattr(built, attr) == getattr(crawled, attr), attr
    assert sorted(built.sitemap_urls) == sorted(crawled.sitemap_urls)
    assert (built.stats.pages, built.stats.errors, built.stats.truncated, built.stats.max_depth_reached) == \
        (crawled.stats.pages, crawled.stats.errors, crawled.stats.truncated, crawled.stats.max_depth_reached)
    assert [(p.url, p.status, p.depth, p.found_via, p.error, p.redirects) for p in sorted(built.pages, key=lambda p: p.url)] == \
        [(p.url, p.status, p.depth, p.found_via, p.error, p.redirects) for p in sorted(crawled.pages, key=lambda p: p.url)]
    for mine, real in zip(sorted(built.pages, key=lambda p: p.url), sorted(crawled.pages, key=lambda p: p.url),
                          strict=True):
        assert to_json(mine.facts) == to_json(real.facts), mine.url
    # and so every probe judges them alike
    for pid in sorted(plugin_manager().registry().probes):
        assert run_probe(pid, built) == run_probe(pid, crawled), pid


def test_audit_is_the_command_run_in_process(shop: Path, cli_report: dict[str, Any]) -> None:
    mine = strip_times(audit(shop))
    theirs = strip_times(cli_report)
    assert mine.keys() == theirs.keys()
    for key in theirs:
        assert mine[key] == theirs[key], key


def test_audit_takes_settings_as_config_keys_and_a_dict_of_pages() -> None:
    report = audit({"/": html_page("<h1>Acme</h1><p>Call 0113 496 0000</p>")}, profile="saas", only=["contact"],
                   fail_under=99)
    assert report["profile"] == "saas" and set(report["touchpoints"]["contact"]["probes"][0]) >= {"id", "status"}
    assert {p["id"].split(".")[0] for t in report["touchpoints"].values() for p in t["probes"]} == {"contact"}
    assert report["gates"]["passed"] is False
    assert [c["name"] for c in report["gates"]["checks"] if not c["passed"]] == ["fail_under"]
    with pytest.raises(CxprobeError, match="unknown key"):
        audit({"/": html_page("<h1>Acme</h1>")}, max_pagez=3)


def test_run_probe_builds_the_config_an_audit_reads() -> None:
    site = build_site({"/": html_page('<h1>Acme</h1><a href="mailto:info@acme.example">info@acme.example</a>')})
    # a placeholder email is no contact method...
    assert run_probe("contact.methods", site).facts["methods"] == []
    # ...unless the owner accepts it, as [contact] accept in cxprobe.toml says
    accepted = run_probe("contact.methods", site, contact={"accept": ["info@acme.example"]})
    assert accepted.facts["methods"] == ["email"]
    # profiles and core settings are config keys too
    prices = build_site({"/": html_page("<h1>Acme software</h1><p>Plans for every team.</p>")})
    assert run_probe("pricing.visible", prices).not_applicable  # nothing to buy online: no prices expected
    assert run_probe("pricing.visible", prices, profile="saas").score == 0.5  # a SaaS site should show them
    assert run_probe("pricing.visible", prices, profile="nonprofit").not_applicable == \
        "nonprofit profile: no pricing is expected"
    with pytest.raises(CxprobeError, match="profile"):
        run_probe("pricing.visible", prices, profile="charity")


def test_a_browser_probe_without_a_rendering_is_not_applicable_as_in_a_static_audit() -> None:
    reg = plugin_manager().registry()
    needs_browser = sorted(pid for pid, p in reg.probes.items() if "rendering" in p.requires)
    assert needs_browser
    site = build_site({"/": html_page("<h1>Acme</h1>")})
    for pid in needs_browser:
        assert run_probe(pid, site).not_applicable == "needs a browser: run with --render browser"


def test_unknown_ids_are_one_clear_error() -> None:
    site = build_site({"/": html_page("<h1>Acme</h1>")})
    with pytest.raises(KitError, match=r"no probe with id 'contact\.method' .*contact\.methods"):
        run_probe("contact.method", site)
    with pytest.raises(KitError, match="no touchpoint with id 'contacts'.*contact"):
        run_touchpoint("contacts", site)
    with pytest.raises(KitError, match="start page /home.html is not one of the pages"):
        build_site({"/": html_page("<h1>Acme</h1>")}, start="/home.html")


# --------------------------------------------------------------------------- a plugin of one's own


class Quotes(Extractor):
    name = "kit_quotes"
    description = "customer quotes"

    def extract(self, doc: Document) -> tuple[str, ...]:
        out = []
        for tag in doc.tags("blockquote"):
            doc.tick()
            out.append(doc.text(tag, 200))
        return tuple(out)


class HasQuotes(Probe):
    id = "kit_trust.quotes"
    touchpoint = "kit_trust"
    title = "Customers are quoted"
    failure_title = "No customer is quoted"
    description = "Quotes from customers show that others trust the business."

    def check(self, ctx: Context) -> Outcome:
        quoted = [f for f in ctx.facts() if f.fact("kit_quotes")]
        issues = [] if quoted else [issue("no-quotes", "No customer is quoted", "Quote a customer.",
                                          evidence=[Evidence(url=ctx.site.start_url)])]
        return outcome(1.0 if quoted else 0.0, issues, {"quoted_pages": len(quoted)})


class Broken(Probe):
    id = "kit_trust.broken"
    touchpoint = "kit_trust"
    title = "t"
    failure_title = "f"
    description = "d"

    def check(self, ctx: Context) -> Outcome:
        raise ZeroDivisionError("a bug in the probe")


class NotAnOutcome(Probe):
    id = "kit_trust.bad"
    touchpoint = "kit_trust"
    title = "t"
    failure_title = "f"
    description = "d"

    def check(self, ctx: Context) -> Outcome:
        return outcome(0.5, facts={"when": {1, 2}})


class TrustPlugin:
    """A plugin not installed: given to the kit with ``with_plugins``."""

    __name__ = "kit-trust"

    @hookimpl
    def cxprobe_add_touchpoints(self, register: Callable[[Touchpoint], None]) -> None:
        register(Touchpoint(id="kit_trust", title="Trust", question="Do others trust them?",
                            fact_defaults={"quoted_pages": 0}))

    @hookimpl
    def cxprobe_add_extractors(self, register: Callable[[Extractor], None]) -> None:
        register(Quotes())

    @hookimpl
    def cxprobe_add_probes(self, register: Callable[[Probe], None]) -> None:
        register(HasQuotes())


TRUST = TrustPlugin()
QUOTED = {"/": html_page('<h1>Acme</h1><a href="/reviews.html">Reviews</a>'),
          "/reviews.html": html_page("<h1>Reviews</h1><blockquote>Fixed in a day!</blockquote>")}


def test_a_plugin_not_installed_is_tested_with_with_plugins(tmp_path: Path) -> None:
    page = build_page("<blockquote> Fast  and  friendly </blockquote>", with_plugins=[TRUST])
    assert page.facts is not None and page.facts.fact("kit_quotes") == ("Fast and friendly",)
    site = build_site(QUOTED, with_plugins=[TRUST])
    assert run_probe("kit_trust.quotes", site, with_plugins=[TRUST]).facts == {"quoted_pages": 1}
    tp = run_touchpoint("kit_trust", build_site({"/": html_page("<h1>Acme</h1>")}, with_plugins=[TRUST]),
                        with_plugins=[TRUST])
    assert (tp.score, tp.status, tp.facts) == (0.0, "poor", {"quoted_pages": 0})
    [finding] = tp.findings
    assert finding.title == "No customer is quoted" and finding.pages == 1
    report = audit(QUOTED, with_plugins=[TRUST])
    assert report["touchpoints"]["kit_trust"]["score"] == 100.0
    assert report["touchpoints"]["kit_trust"]["probes"][0]["plugin"] == "kit-trust"
    # and the installed plugins alone know nothing of it
    assert "kit_trust" not in plugin_manager().registry().touchpoints


def test_a_probe_that_fails_raises_in_the_test() -> None:
    site = build_site(QUOTED, with_plugins=[TRUST])
    with pytest.raises(ZeroDivisionError, match="a bug in the probe"):
        run_probe(Broken(), site)
    # what the runner refuses is refused here too
    with pytest.raises(TypeError, match="facts cannot become JSON"):
        run_probe(NotAnOutcome(), site)
    # a fact no extractor gave is the runner's FactUnavailable, naming the namespace
    from cxprobe import FactUnavailable

    with pytest.raises(FactUnavailable, match="kit_quotes"):
        run_probe(HasQuotes(), build_site(QUOTED))


# --------------------------------------------------------------------------- serving


def kit_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("cxprobe-testing")]


def test_serve_answers_as_an_audit_serves_a_folder_and_stops_everything(shop: Path) -> None:
    idle = socket.socket()
    with serve(shop) as origin:
        host, port = origin.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        answers = []
        for method, path in (("GET", "/"), ("GET", "/about"), ("GET", "/nope.html"), ("HEAD", "/pricing.html"),
                             ("POST", "/contact.html")):
            conn.request(method, path)
            resp = conn.getresponse()
            resp.read()
            answers.append((resp.status, resp.getheader("Location")))
        assert answers == [(200, None), (301, "/about.html"), (404, None), (200, None), (405, None)]
        # a kept-alive connection and one that never sends a request
        conn.request("GET", "/")
        conn.getresponse().read()
        idle.connect((host, int(port)))
        assert kit_threads()
        t = time.monotonic()
    assert time.monotonic() - t < 2
    assert kit_threads() == []
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=1)
    conn.close()
    idle.close()


def test_serve_takes_a_dict_of_pages_and_removes_its_folder() -> None:
    with serve({"/": html_page("<h1>Home</h1>"), "/about": html_page("<h1>About</h1>")}) as origin:
        host, port = origin.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("GET", "/about")
        resp = conn.getresponse()
        assert (resp.status, resp.getheader("Location")) == (301, "/about.html")
        resp.read()
        conn.close()
    assert kit_threads() == []


# --------------------------------------------------------------------------- the pytest fixtures


def test_the_fixtures_give_the_kit(cx_page: Callable[..., Any], cx_site: Callable[..., Any],
                                   cx_audit: Callable[..., Any], shop: Path, crawled: Any) -> None:
    page = cx_page('<h1>Acme</h1><a href="tel:+441134960000">0113 496 0000</a>', url=ORIGIN + "/x.html")
    assert page.url == ORIGIN + "/x.html" and page.facts.fact("contact").phones
    in_memory = cx_site({"/": html_page('<a href="/b.html">B</a>'), "/b.html": html_page("<h1>B</h1>")})
    assert in_memory.depths == {ORIGIN + "/": 0, ORIGIN + "/b.html": 1}
    from_folder = cx_site(shop)
    assert sorted(without_origin(list(from_folder.depths), from_folder)) == \
        sorted(without_origin(list(crawled.depths), crawled))
    report = cx_audit({"/": html_page("<h1>Acme</h1>")})
    assert report["mode"] == "static" and report["crawl"]["pages"] == 1


def test_cx_serve_is_audited_like_a_live_site(cx_serve: Callable[..., str], cx_audit: Callable[..., Any]) -> None:
    origin = cx_serve(PAGES)
    report = cx_audit(origin + "/index.html")
    assert report["touchpoints"]["contact"]["facts"]["page"] == origin + "/contact.html"
    assert report["touchpoints"]["contact"]["facts"]["methods"] == ["address", "email", "form", "phone"]


@pytest.mark.browser
def test_render_gives_the_rendering_a_browser_audit_judges(cx_render: Callable[..., Any], shop: Path,
                                                          cx_browser: Any) -> None:
    rendered = cx_render(shop)
    assert {p.viewport for p in rendered.rendering.pages} == {"mobile", "desktop"}
    report = audit(shop, render="browser", browser_path=cx_browser.path,
                   output=str(Path(rendered.rendering.pages[0].screenshot or ".").parent / "r.json"))
    tp = report["touchpoints"]["mobile"]
    run = run_touchpoint("mobile", rendered)
    browser_probes = [p["id"] for p in tp["probes"] if p["status"] != "not_applicable"]
    assert "mobile.menu" in browser_probes
    assert [(r.id, r.status, r.score) for r in run.results.values()] == \
        [(p["id"], p["status"], p["score"]) for p in tp["probes"]]
    assert without_origin(run.facts, rendered.site) == tp["facts"]


def test_the_example_in_the_docs_runs_and_passes(tmp_path: Path) -> None:
    # docs/plugins.md promises "a complete example" that "runs as it is".
    text = (Path(__file__).resolve().parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = text.split("### A complete example", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "test_whatsapp.py").write_text(code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CXPROBE_DEBUG", "CXPROBE_TRACE", "PYTEST_ADDOPTS")}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_whatsapp.py"],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert re.search(r"\b(5|6) passed\b", r.stdout), r.stdout[-500:]
