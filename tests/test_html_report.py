"""The HTML report (cxprobe/reporters/html.py), checked the way a reader and an attacker
would meet it: written by the real CLI, opened from disk in real Chromium.

- Safe: a site whose titles, headings, link texts, hrefs, image alts and contact details
  carry script and attribute injections yields a report that runs nothing (no dialog, no
  console error, no script or event-handler attribute in the DOM) and sends no request.
- Checked like a site: cxprobe's own mobile probes judge the report (no overflow at 375
  px, legible text, tap targets) and axe-core finds no serious or critical violation.
- Complete: every touchpoint of a corpus site has its section; in browser mode the
  screenshots are inlined with the elements of visual findings outlined; gates, baseline
  and the --history trend show when present; a missing screenshot is a note, not a crash.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest

from cxprobe import AuditConfig
from cxprobe.reporters.html import HtmlReporter, png_size, safe_href

pytestmark = pytest.mark.usefixtures("quick_teardown")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-site"
SCHEMA = json.loads((ROOT / "cxprobe" / "schema" / "report.schema.json").read_text(encoding="utf-8"))


def cxprobe(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """The real ``cxprobe`` command in a subprocess."""
    env = {k: v for k, v in os.environ.items() if k != "CXPROBE_DEBUG"}
    return subprocess.run([sys.executable, "-m", "cxprobe", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def parse(html: str) -> Any:
    return lxml.html.document_fromstring(html)


def open_in_chromium(browser_path: str, report: Path, width: int = 1280, script: str | None = None,
                     bypass_csp: bool = False) -> dict[str, Any]:
    """Open ``report`` from disk (file://) in Chromium; what happened, and ``script``'s value."""
    import asyncio

    from playwright.async_api import async_playwright

    async def go() -> dict[str, Any]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=browser_path)
            try:
                ctx = await browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
                page = await ctx.new_page()
                seen: dict[str, Any] = {"dialogs": [], "console": [], "requests": [], "errors": []}
                page.on("dialog", lambda d: (seen["dialogs"].append(d.message), asyncio.ensure_future(d.dismiss())))
                page.on("console", lambda m: seen["console"].append((m.type, m.text)))
                page.on("pageerror", lambda e: seen["errors"].append(str(e)))
                page.on("request", lambda r: seen["requests"].append(r.url))
                await page.goto(report.as_uri(), wait_until="load")
                await page.wait_for_timeout(300)  # timers and late loads get their chance
                seen["dom"] = await page.evaluate("""() => ({
                    scripts: document.querySelectorAll('script').length,
                    handlers: [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
                        .filter(a => /^on/i.test(a.name)).map(a => el.tagName + ' ' + a.name)),
                    srcs: [...document.querySelectorAll('[src]')].map(el => el.getAttribute('src').slice(0, 40)),
                    links: [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.rel]),
                    text: document.body.innerText,
                    width: [document.documentElement.scrollWidth, document.documentElement.clientWidth]})""")
                if script is not None:
                    seen["value"] = await page.evaluate(script)
                return seen
            finally:
                await browser.close()

    return asyncio.run(go())


# --------------------------------------------------------------------------- hostile site
INJECT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'
E_INJECT = "&lt;script&gt;alert(1)&lt;/script&gt;"
E_ATTR = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def _hostile_site(root: Path) -> Path:
    """A folder whose every customer-facing text and URL carries an injection."""
    site = root / "hostile"
    site.mkdir()
    head = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">')
    nav = (f'<header><nav><a href="about.html">About {E_INJECT}</a> <a href="contact.html">Contact {E_ATTR}</a> '
           f'<a href="javascript:alert(1)">Pricing</a> <a href="{E_ATTR}.html">Careers {E_ATTR}</a> '
           f'<a href="#">Privacy {E_INJECT}</a></nav></header>')
    tiny = ('<div>' + "".join(f'<a href="/t{i}.html" style="display:inline-block;width:10px;height:10px;margin:0">'
                               f'{E_ATTR}</a>' for i in range(4)) + '</div>')
    (site / "index.html").write_text(
        f"{head}<title>{E_INJECT} Acme {E_ATTR}</title>"
        f'<meta property="og:title" content="{E_ATTR}"></head><body>{nav}<main>'
        f"<h1>{E_ATTR} We fix {E_INJECT} bikes</h1><h2>{E_INJECT}</h2>"
        f"<p>Lorem ipsum dolor sit amet. Your Company Name. Call (555) 555-0199 {E_INJECT}.</p>"
        f'<img src="logo.png" alt="{E_ATTR}">'
        f'<a href="mailto:{E_ATTR}@yourcompany.com">{E_INJECT}@yourcompany.com</a> '
        f'<a href="mailto:help@acme.test">sales@acme.test {E_ATTR}</a> '
        f'<a href="http://evil.example/{E_ATTR}">partner {E_INJECT}</a> '
        f'<a href="data:text/html,{E_INJECT}">data {E_ATTR}</a>{tiny}'
        f'<a class="btn" href="signup.html">{E_INJECT} Start</a></main>'
        f'<footer><a href="#">Twitter {E_ATTR}</a> <a href="terms.html">Terms {E_INJECT}</a></footer></body></html>',
        encoding="utf-8")
    for name, title in (("about.html", E_INJECT), ("contact.html", E_ATTR), ("terms.html", f"Terms {E_INJECT}")):
        (site / name).write_text(
            f"{head}<title>{title}</title></head><body>{nav}<main><h1>{title}</h1>"
            f'<p>Write to <a href="mailto:{E_INJECT}@example.com">{E_ATTR}@example.com</a>.</p>'
            f'<form action="https://evil.example/{E_ATTR}"><textarea name="m"></textarea>'
            f'<input type="email" name="e" placeholder="{E_ATTR}"><button>{E_INJECT}</button></form>'
            f"</main></body></html>", encoding="utf-8")
    return site


def test_a_hostile_site_yields_a_report_that_runs_nothing_and_requests_nothing(tmp_path: Path, browser_path: str) -> None:
    site = _hostile_site(tmp_path)
    out = tmp_path / "r.html"
    done = cxprobe("audit", str(site), "--render", "browser", "--browser-path", browser_path, "--format", "html",
                   "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    # The injections are in the report, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert not re.search(r"<img[^>]*onerror", html, re.I)
    doc = parse(html)
    assert doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
    seen = open_in_chromium(browser_path, out, width=375)
    assert seen["dialogs"] == []
    assert seen["errors"] == []
    assert [c for c in seen["console"] if c[0] in ("error", "warning")] == []
    assert seen["requests"] and all(u == out.as_uri() or u.startswith("data:") for u in seen["requests"]), seen["requests"]
    dom = seen["dom"]
    assert dom["scripts"] == 0 and dom["handlers"] == []
    assert dom["srcs"] and all(s.startswith("data:image/png;base64,") for s in dom["srcs"])
    for href, _rel in dom["links"]:
        # A folder target: every link stays inside the report.
        assert href.startswith("#"), href
    text = dom["text"]
    assert INJECT in text  # shown, not run
    assert ATTR.strip() in text or ATTR[2:] in text
    assert dom["width"][0] <= dom["width"][1]  # long hostile strings wrap


def test_urls_become_links_only_when_they_are_http() -> None:
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>", "/about.html",
                "vbscript:x", 'http://a.example/"><img src=x>', "http://a.example/ x", None, 42):
        assert safe_href(bad) is None, bad
    assert safe_href("https://www.example.com/pricing?a=1&b=2") == "https://www.example.com/pricing?a=1&b=2"
    assert safe_href("HTTP://example.com/") == "HTTP://example.com/"


def test_a_live_site_links_its_pages_without_referrer_or_opener(tmp_path: Path, http_site: Any, browser_path: str) -> None:
    http_site.page("/", f"<html lang=en><head><title>{E_INJECT}</title></head><body><h1>Shop</h1>"
                        f'<a href="/gone.html">Gone {E_ATTR}</a> <a href="/about">About</a></body></html>')
    http_site.page("/about", "<html><head><title>About</title></head><body><h1>About us</h1></body></html>")
    out = tmp_path / "live.html"
    done = cxprobe("audit", http_site.url("/"), "--render", "static", "--format", "html", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seen = open_in_chromium(browser_path, out)
    external = [(h, r) for h, r in seen["dom"]["links"] if not h.startswith("#")]
    assert external, "a live site's pages are links"
    for href, rel in external:
        assert href.startswith(http_site.origin + "/")
        assert {"noopener", "noreferrer"} <= set(rel.split())
    assert "could not be fetched: HTTP 404" in seen["dom"]["text"]
    assert seen["requests"] == [out.as_uri()]


# --------------------------------------------------------------------------- the demo, in a browser
@pytest.fixture(scope="module")
def demo_browser(tmp_path_factory: pytest.TempPathFactory, browser_path: str) -> dict[str, Any]:
    """The demo site audited in browser mode: JSON and HTML reports in one folder."""
    out = tmp_path_factory.mktemp("demo-html") / "out"
    done = cxprobe("demo", "--render", "browser", "--browser-path", browser_path, "--format", "json",
                   "--format", "html", "-o", str(out), cwd=out.parent)
    assert done.returncode == 0, done.stderr
    return {"out": out, "html": (out / "report.html").read_text(encoding="utf-8"),
            "report": json.loads((out / "report.json").read_text(encoding="utf-8"))}


def test_the_demo_report_embeds_its_screenshots_and_outlines_visual_findings(demo_browser: dict[str, Any]) -> None:
    report, html = demo_browser["report"], demo_browser["html"]
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    start = next(p for p in report["pages"] if p["url"] == report["start_url"])
    assert set(start["screenshots"]) == {"mobile", "desktop"}
    assert (demo_browser["out"] / start["screenshots"]["mobile"]).is_file()  # relative to the report's folder
    boxed = [(f, e) for f in report["findings"] for e in f["examples"] if "box" in e]
    assert boxed, "the demo has visual findings with a box"
    doc = parse(html)
    imgs = doc.xpath("//img/@src")
    assert len(imgs) >= 2 and all(s.startswith("data:image/png;base64,") for s in imgs)
    assert len(doc.xpath("//svg[contains(@class, 'marks')]/rect[contains(@class, 'mark')]")) >= len(
        {(f["id"], e["url"], e["box"]["viewport"]) for f, e in boxed if e["box"]["viewport"] == "mobile"}) > 0
    # Every outlined element's legend links to its finding, and the finding links back.
    for a in doc.xpath("//ol[@class='legend']//a/@href"):
        assert doc.xpath(f"//*[@id='{a[1:]}']"), a
    for a in doc.xpath("//a[@class='see']/@href"):
        assert doc.xpath(f"//figure[@id='{a[1:]}']"), a
    size = len(html.encode("utf-8"))
    print(f"demo HTML report (browser mode): {size / 1000:.0f} kB, {len(imgs)} screenshots")
    assert size < 3_000_000


def test_the_report_holds_every_part_a_reader_needs(demo_browser: dict[str, Any]) -> None:
    report, html = demo_browser["report"], demo_browser["html"]
    doc = parse(html)
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "img-src data:" in csp and "script-src" not in csp
    assert "unsafe-inline" not in csp  # the style sheet is allowed by its hash
    assert doc.xpath("//meta[@name='viewport']")
    text = doc.text_content()
    score = round(report["cohesion"]["score"])
    assert f"{score} / 100: customers find" in doc.xpath("//meta[@name='description']/@content")[0]
    assert re.search(r"\d touchpoints? needs? work|every touchpoint is good", text)
    for tid in report["touchpoints"]:
        assert doc.xpath(f"//section[@id='tp-{tid}']"), tid
        assert doc.xpath(f"//ul[@class='chart']//a[@href='#tp-{tid}']"), tid
    assert len(doc.xpath("//ul[@class='chart']//svg[@class='bar']")) == len(report["touchpoints"])
    # Where to start: the touchpoint with the biggest pull first, its gain in points.
    pull = report["cohesion"]["pull"]
    best = max(pull, key=lambda t: (pull[t], t))
    first = doc.xpath("//ol[@class='start']/li[1]//h3")[0].text_content()
    assert report["touchpoints"][best]["title"] in first and f"{pull[best]:.1f} points" in first
    # Every finding, with its evidence and its probe's explanation.
    for f in report["findings"]:
        art = doc.xpath(f"//article[@id='f-{f['id']}']")
        assert art, f["id"]
        assert f["title"] in art[0].text_content()
    probe = next(p for tp in report["touchpoints"].values() for p in tp["probes"] if p["findings"])
    assert probe["description"][:60] in text
    # Plain words, not internal ones, outside the technical details.
    visible = " ".join(el.text_content() for el in doc.xpath("//main/section") if el.get("id") != "run")
    for word in ("needs_work", "not_applicable", "n.a."):
        assert word not in visible.replace("<code", "")
    assert "needs work" in visible and "does not apply" in html
    # Pages in plain words, the run's settings and completeness.
    assert "could not be fetched: HTTP 404" in text
    assert "in a real browser" in text and "every check that applies ran" in text


def test_the_report_passes_cxprobes_own_mobile_probes(demo_browser: dict[str, Any], tmp_path: Path,
                                                      browser_path: str) -> None:
    site = tmp_path / "report-site"
    site.mkdir()
    shutil.copy(demo_browser["out"] / "report.html", site / "index.html")
    out = tmp_path / "mobile.json"
    done = cxprobe("audit", str(site), "--render", "browser", "--browser-path", browser_path, "--only", "mobile",
                   "--format", "json", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    probes = {p["id"]: p for p in report["touchpoints"]["mobile"]["probes"]}
    facts = report["touchpoints"]["mobile"]["facts"]
    assert probes["mobile.viewport"]["status"] == "passed"
    assert probes["mobile.overflow"]["status"] == "passed" and facts["overflow_pages"] == 0
    assert probes["mobile.font_size"]["status"] == "passed" and facts["small_text_share"] <= 0.02
    assert probes["mobile.tap_targets"]["status"] == "passed" and facts["small_tap_targets"] == 0
    kinds = {f["title"] for f in report["findings"] if f["probe"] in ("mobile.overflow", "mobile.font_size", "mobile.tap_targets")
             and f["severity"] != "info"}
    assert kinds == set()


def test_axe_finds_no_serious_or_critical_violation(demo_browser: dict[str, Any], browser_path: str) -> None:
    axe = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    run = ("async () => { " + axe + "\n; const r = await axe.run(document, {resultTypes: ['violations']});"
           " return {engine: r.testEngine.version, passes: r.passes.length,"
           " violations: r.violations.map(v => [v.impact, v.id, v.nodes.slice(0, 3).map(n => n.target.join(' '))])}; }")
    for width in (375, 1280):
        seen = open_in_chromium(browser_path, demo_browser["out"] / "report.html", width=width, script=run)
        result = seen["value"]
        assert result["passes"] > 10, result  # axe ran
        bad = [v for v in result["violations"] if v[0] in ("serious", "critical")]
        assert bad == [], (width, bad)
        assert seen["requests"] == [(demo_browser["out"] / "report.html").as_uri()]


def test_a_missing_or_broken_screenshot_is_a_note_not_a_crash(demo_browser: dict[str, Any], tmp_path: Path) -> None:
    report = json.loads(json.dumps(demo_browser["report"]))
    start = next(p for p in report["pages"] if p["url"] == report["start_url"])
    start["screenshots"]["mobile"] = "screenshots/gone.png"
    (tmp_path / "screenshots").mkdir()
    (tmp_path / "screenshots" / "fake.png").write_text("<script>alert(1)</script>", encoding="utf-8")
    start["screenshots"]["desktop"] = "screenshots/fake.png"
    boxed = next(e for f in report["findings"] for e in f["examples"] if "box" in e)
    boxed["box"] = {"viewport": "mobile", "x": "left", "y": None, "width": -3, "height": 1e308}
    html = HtmlReporter().render(report, AuditConfig(formats=("html",), output=str(tmp_path / "r.html")))
    doc = parse(html)
    text = doc.text_content()
    assert "screenshots/gone.png could not be read" in text.replace(str(tmp_path) + "/", "")
    assert "is not a PNG image" in text
    assert not doc.xpath("//img[contains(@src, 'gone')]")


# --------------------------------------------------------------------------- visual findings outlined
VISUAL = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Visual problems</title>
<style>body{margin:0;font-size:16px} .tiny a{display:inline-block;width:14px;height:14px;margin:0;background:#ccc}
.wide{width:900px;height:40px;background:#eee} .spacer{height:1500px} .collapse{display:none}</style></head><body>
<header><a href="index.html">Home</a>
<button class="navbar-toggler" aria-controls="links" aria-expanded="false" aria-label="Toggle navigation">Menu</button>
<div class="collapse" id="links"><a href="contact.html">Contact</a></div></header>
<div class="tiny"><a href="a.html" aria-label="a"></a><a href="b.html" aria-label="b"></a><a href="c.html" aria-label="c"></a></div>
<div class="wide">A banner wider than any phone</div><div class="spacer"></div>
<h1>We repair bicycles</h1><p>Book a repair online.</p></body></html>"""


def test_visual_findings_carry_a_box_and_are_outlined(tmp_path: Path, browser_path: str) -> None:
    site = tmp_path / "visual"
    site.mkdir()
    (site / "index.html").write_text(VISUAL, encoding="utf-8")
    for name in ("a", "b", "c", "contact"):
        (site / f"{name}.html").write_text(VISUAL.replace("<h1>", f"<h1>{name} "), encoding="utf-8")
    out = tmp_path / "out"
    done = cxprobe("audit", str(site), "--render", "browser", "--browser-path", browser_path, "--format", "json",
                   "--format", "html", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    boxes = {(f["probe"], e["url"]): e for f in report["findings"] for e in f["examples"] if "box" in e}
    tap = boxes[("mobile.tap_targets", "/")]
    assert tap["box"]["viewport"] == "mobile" and tap["box"]["width"] == 14 and tap["box"]["height"] == 14
    wide = boxes[("mobile.overflow", "/")]
    assert "wide" in wide["selector"] and wide["box"]["width"] == 900
    h1 = next(e for f in report["findings"] if f["title"].startswith("Headline is not in the first mobile")
              for e in f["examples"])
    assert h1["box"]["viewport"] == "mobile" and h1["box"]["y"] > 667
    menu = next(e for f in report["findings"] if f["probe"] == "mobile.menu" for e in f["examples"])
    assert menu["box"]["viewport"] == "mobile" and menu["box"]["width"] > 0
    doc = parse((out / "report.html").read_text(encoding="utf-8"))
    shot = doc.xpath("//figure[contains(@class, 'mobile')]")  # the start page's comes first
    assert shot
    marks = shot[0].xpath(".//svg[contains(@class, 'marks')]/rect")
    assert len(marks) >= 4
    legend = shot[0].xpath(".//ol[@class='legend']")[0].text_content()
    assert "Below this screen" in legend and "Mobile menu does not open" in legend
    for rect in marks:  # clamped into the picture
        x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
        assert 0 <= x and x + w <= 375.5 and 0 <= y and y + h <= 667.5


# --------------------------------------------------------------------------- corpus, gates, baseline, history
def test_a_corpus_site_report_has_a_section_per_touchpoint_and_screenshots(corpus: Path, tmp_path: Path,
                                                                           browser_path: str) -> None:
    site = corpus / "business-casual"
    if not site.is_dir():
        pytest.skip("corpus site business-casual is not present")
    out = tmp_path / "out"
    done = cxprobe("audit", str(site), "--render", "browser", "--browser-path", browser_path, "--format", "json",
                   "--format", "html", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    doc = parse((out / "report.html").read_text(encoding="utf-8"))
    assert len(report["touchpoints"]) >= 10
    for tid, tp in report["touchpoints"].items():
        section = doc.xpath(f"//section[@id='tp-{tid}']")
        assert section, tid
        assert tp["title"] in section[0].xpath("./h3")[0].text_content()
    assert any(s.startswith("data:image/png;base64,") for s in doc.xpath("//img/@src"))


def test_gates_baseline_and_the_history_trend(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    first = cxprobe("demo", "--render", "static", "--format", "json", "-o", str(tmp_path / "a.json"),
                    "--history", str(db), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "b.html"
    second = cxprobe("demo", "--render", "static", "--format", "html", "-o", str(out), "--history", str(db),
                     "--baseline", str(tmp_path / "a.json"), "--fail-under", "99", cwd=tmp_path)
    assert second.returncode == 1, second.stderr
    doc = parse(out.read_text(encoding="utf-8"))
    gates = doc.xpath("//section[@id='gates']")[0].text_content()
    assert "Gates: failed" in gates and "fail_under" in gates
    baseline = doc.xpath("//section[@id='baseline']")[0].text_content()
    assert "New findings (0)" in baseline and "no change" in baseline
    trend = doc.xpath("//section[@id='trend']")[0]
    assert len(trend.xpath(".//svg[@class='trend']/circle")) == 2  # the recorded run and this one
    assert "2 runs" in trend.text_content()
    # Static mode: no screenshot, and the report says why browser checks do not apply.
    assert not doc.xpath("//img") and "from the HTML only" in doc.text_content()


def test_png_size_reads_the_header_only() -> None:
    assert png_size(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01w\x00\x00\x02\x9b") == (375, 667)
    assert png_size(b"<script>") is None
    assert png_size(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x00\x00\x00\x02\x9b") is None


def test_the_template_marks_nothing_safe() -> None:
    template = resources.files("cxprobe.reporters").joinpath("templates/report.html").read_text(encoding="utf-8")
    assert "|safe" not in template.replace(" ", "") and "<script" not in template


def test_shared_causes_and_source_lines_are_shown_when_the_report_has_them(demo_browser: dict[str, Any],
                                                                          tmp_path: Path) -> None:
    """``causes`` and ``examples[].source`` come from other pieces of the report contract:
    filled in here as the contract describes them (contract items 1 and the CI work)."""
    report = json.loads(json.dumps(demo_browser["report"]))
    broken = next(f for f in report["findings"] if f["probe"] == "journey.broken_links")
    dead = next(f for f in report["findings"] if f["probe"] == "policies.dead_links")
    for f in (broken, dead):
        f["cause"] = "0123456789ab"
    report["causes"] = [{"id": "0123456789ab", "title": f"One broken link {INJECT}", "severity": "error",
                         "findings": [broken["id"], dead["id"]], "probes": [broken["probe"], dead["probe"]],
                         "touchpoints": [broken["touchpoint"], dead["touchpoint"]]}]
    broken["examples"][0]["source"] = {"file": f"about{ATTR}.html", "line": 12, "column": 5}
    html = HtmlReporter().render(report, AuditConfig(formats=("html",), output=str(demo_browser["out"] / "x.html")))
    doc = parse(html)
    cause = doc.xpath("//section[@id='causes']//div[@id='cause-0123456789ab']")[0]
    text = cause.text_content()
    assert f"One broken link {INJECT}" in text
    assert "Journey" in text and "Policies" in text
    titles = {p["id"]: p["failure_title"] for tp in report["touchpoints"].values() for p in tp["probes"]}
    assert titles["journey.broken_links"] in text and titles["policies.dead_links"] in text
    assert set(cause.xpath(".//a/@href")) == {f"#f-{broken['id']}", f"#f-{dead['id']}"}
    for f in (broken, dead):
        assert doc.xpath(f"//article[@id='f-{f['id']}']//a[@href='#cause-0123456789ab']")
    assert f"about{ATTR}.html, line 12" in doc.xpath(f"//article[@id='f-{broken['id']}']")[0].text_content()
    assert "<script>" not in html and "<img src=x" not in html
