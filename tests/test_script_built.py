"""Static mode says which pages scripts build in part (the page fact ``script_built``) and
leaves one note in the report, not a finding per page."""

from __future__ import annotations

import pytest

from cxprobe.config import AuditConfig
from cxprobe.report import build_report
from cxprobe.runner import run_audit
from cxprobe.testing import page_facts, plugin_manager

from .conftest import Site


@pytest.mark.parametrize(("html", "cues"), [
    ('<div id="header"></div><h1>Hi</h1><script>fetch("partials/header.html").then(r => r.text())'
     '.then(t => document.getElementById("header").innerHTML = t)</script>', ("include", "empty-region")),
    ('<nav id="menu"></nav><h1>Hi</h1><script src="/jquery.js"></script><script>$("#menu").load("/menu.html")</script>',
     ("include", "empty-region")),
    ('<h1>Hi</h1><div w3-include-html="footer.html"></div><script src="/w3.js"></script>', ("include",)),
    ('<div data-partial="header" style="min-height:60px"></div><h1>Hi</h1><script src="/main.js"></script>',
     ("empty-region",)),
    ('<h1>Hi</h1><script>document.write("<footer><a href=\\"/privacy.html\\">Privacy</a></footer>")</script>',
     ("document-write",)),
    ('<div id="app"></div><h1>Hi</h1><p>Some words here.</p><script src="/app.js"></script>', ("empty-root",)),
    ('<h1>Hi</h1><ul id="products"></ul><template id="row"><li class="product"></li></template><script src="/shop.js"></script>',
     ("template",)),
    ('<h1>Hi</h1><script type="application/json" id="data">{"products": [' + '"a", ' * 700 + '"b"]}</script>',
     ("inline-json",)),
])
def test_script_built_cues(html: str, cues: tuple[str, ...]) -> None:
    assert page_facts(f"<!doctype html><html><body>{html}</body></html>").script_built == cues


@pytest.mark.parametrize("html", [
    # The year in a copyright line, JSON-LD metadata, an empty header without any script.
    '<h1>Hi</h1><footer>&copy; <script>document.write(new Date().getFullYear())</script> Acme</footer>',
    '<h1>Hi</h1><script type="application/ld+json">{"@type": "Organization", "name": "' + "A" * 3000 + '"}</script>',
    '<header></header><h1>Hi</h1><p>No script at all.</p>',
    '<header><a href="/">Home</a></header><h1>Hi</h1><script>$(window).load(function () { go(); });</script>',
])
def test_pages_scripts_only_decorate_are_not_script_built(html: str) -> None:
    assert page_facts(f"<!doctype html><html><body>{html}</body></html>").script_built == ()


def test_a_static_audit_names_script_built_pages_in_one_note(http_site: Site) -> None:
    shell = ('<!doctype html><html lang="en"><head><title>Acme</title></head><body><div id="footer"></div>'
             '<h1>Plumbing in Leeds</h1><p>Same-day repairs for leaks and boilers.</p>{links}'
             '<script>fetch("/partials/footer.html").then(r => r.text())'
             '.then(t => document.getElementById("footer").innerHTML = t)</script></body></html>')
    http_site.page("/", shell.format(links='<a href="/about.html">About</a> <a href="/plain.html">Plain</a>'))
    http_site.page("/about.html", shell.format(links='<a href="/">Home</a>'))
    http_site.page("/plain.html", '<!doctype html><html><body><h1>Plain</h1><a href="/">Home</a></body></html>')
    http_site.page("/partials/footer.html", '<footer><a href="/privacy.html">Privacy</a></footer>')
    pm = plugin_manager()
    run = run_audit(AuditConfig(target=http_site.url("/"), render="static", formats=("json",)), pm)
    report = build_report(run, pm)
    notes = [n for n in report["notes"] if "with scripts" in n]
    assert len(notes) == 1
    assert notes[0].startswith("2 pages build part of what they show with scripts (an empty header, footer or nav; "
                               "parts fetched from other files)")
    assert "--render browser" in notes[0]
    pages = {p["url"].rsplit("/", 1)[-1]: p["script_built"] for p in report["pages"]}
    assert pages["about.html"] == ["include", "empty-region"] and pages["plain.html"] == []
