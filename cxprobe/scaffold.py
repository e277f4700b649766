"""``cxprobe new-plugin NAME``: a ready plugin package whose tests pass as generated.

The package holds one extractor, one probe and the touchpoint it scores (a working example
to change: are customers quoted on the site?), tests that use :mod:`cxprobe.testing` and
its pytest fixtures, a README and a ``pyproject.toml`` with the ``cxprobe`` entry point. A
plugin ``NAME`` is the distribution ``cxprobe-NAME``, the import package ``cxprobe_NAME``
and the entry point, touchpoint and extractor ``NAME`` (hyphens become underscores).
tests/test_scaffold.py installs a generated package in a fresh virtual environment and
runs its tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import UsageError

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


@dataclass(frozen=True)
class PluginNames:
    """The names of one generated plugin."""

    #: As typed, without a leading ``cxprobe-``: "trust-signals".
    name: str
    #: Entry point, touchpoint id and extractor namespace: "trust_signals".
    ns: str
    #: Distribution: "cxprobe-trust-signals".
    dist: str
    #: Import package: "cxprobe_trust_signals".
    module: str
    #: Touchpoint title: "Trust signals".
    title: str


def plugin_names(name: str, taken: Iterable[str] = ()) -> PluginNames:
    """The names of a plugin called ``name``; :class:`~cxprobe.errors.UsageError` (one line)
    when it is not a valid name or its namespace is ``taken`` (an installed touchpoint,
    extractor or plugin)."""
    bare = name.strip()
    bare = bare[len("cxprobe-"):] if bare.startswith("cxprobe-") else bare
    if not _NAME.match(bare) or len(bare) > 40:
        raise UsageError(f"invalid plugin name {name!r}: use lower-case letters, digits and single hyphens or "
                         "underscores, starting with a letter (e.g. trust-signals), at most 40 characters")
    ns = bare.replace("-", "_")
    if ns in set(taken):
        raise UsageError(f"the name {ns!r} is taken by an installed touchpoint, extractor or plugin "
                         "(`cxprobe plugins` lists them): pick another name")
    words = bare.replace("_", " ").replace("-", " ")
    return PluginNames(name=bare, ns=ns, dist=f"cxprobe-{bare.replace('_', '-')}", module=f"cxprobe_{ns}",
                       title=words[:1].upper() + words[1:])


def _requirement() -> str:
    """``cxprobe>=MAJOR.MINOR`` of this cxprobe (a source tree without a version: any)."""
    m = re.match(r"^(\d+)\.(\d+)", __version__)
    return f"cxprobe>={m.group(1)}.{m.group(2)}" if m and __version__ != "0.0.0+src" else "cxprobe"


def files(names: PluginNames) -> dict[str, str]:
    """Relative path -> text of every file of the package."""
    values = {"__NAME__": names.name, "__NS__": names.ns, "__DIST__": names.dist, "__MODULE__": names.module,
              "__TITLE__": names.title, "__REQUIREMENT__": _requirement()}

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    return {
        "pyproject.toml": fill(PYPROJECT),
        "README.md": fill(README),
        f"{names.module}/__init__.py": fill(MODULE),
        f"tests/test_{names.ns}.py": fill(TESTS),
        ".gitignore": "__pycache__/\n*.egg-info/\nbuild/\ndist/\n.venv/\n",
    }


def new_plugin(name: str, folder: str | None = None, taken: Iterable[str] = ()) -> tuple[Path, list[str]]:
    """Write the package of plugin ``name`` into ``folder`` (default ``./cxprobe-NAME``);
    returns the folder and the files written. A folder that exists and is not empty is
    refused (:class:`~cxprobe.errors.UsageError`): nothing is ever overwritten."""
    names = plugin_names(name, taken)
    root = Path(folder) if folder else Path.cwd() / names.dist
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UsageError(f"{root} exists and is not an empty folder: give --dir a new or empty folder")
    written = []
    for rel, text in files(names).items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        written.append(rel)
    return root, written


# --------------------------------------------------------------------------- templates

PYPROJECT = '''\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "__DIST__"
version = "0.1.0"
description = "A cxprobe plugin: the __TITLE__ touchpoint."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["__REQUIREMENT__"]

[project.optional-dependencies]
test = ["pytest>=7.4"]

# cxprobe loads every entry point of its "cxprobe" group: this one is the plugin.
[project.entry-points.cxprobe]
__NS__ = "__MODULE__"

[tool.setuptools]
packages = ["__MODULE__"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

README = '''\
# __DIST__

A [cxprobe](https://pypi.org/project/cxprobe/) plugin: the **__TITLE__** touchpoint.

Generated by `cxprobe new-plugin __NAME__`. It works as generated — one extractor, one
probe and the touchpoint the probe scores — and is meant to be changed: the example asks
whether the site quotes its customers.

| piece | where | what it does |
|---|---|---|
| touchpoint `__NS__` | `__MODULE__/__init__.py`, `TOUCHPOINT` | the customer question, scored 0-100 in the report |
| extractor `__NS__` | `Quotes` | reads each page once: its customer quotes (`<blockquote>`, testimonial and review blocks) |
| probe `__NS__.quotes` | `CustomerQuotes` | passes when a page quotes a customer; a finding otherwise |

## Try it

```sh
pip install -e '.[test]'
pytest                        # the tests in tests/, with cxprobe's testing kit
cxprobe plugins               # lists __NS__ (__DIST__)
cxprobe explain __NS__.quotes
cxprobe audit path/to/site --render static
```

The audit's report has `touchpoints.__NS__` with the score, the probe's result and the
facts `pages_with_quotes` and `quotes`.

## Change it

- The question and weight: `TOUCHPOINT` (`weight` is its pull on the cohesion score).
- What is read from each page: `Quotes.extract` gets a `cxprobe.Document` (`doc.tags()`,
  `doc.text()`, `doc.selector()`...) and returns facts (tuples, strings, frozen
  dataclasses). Call `doc.tick()` in every loop.
- The judgement: `CustomerQuotes.check` reads `f.fact("__NS__")` for each page in
  `ctx.facts()` and returns `outcome(score, issues, facts)` or `Outcome.na(reason)`.
  Titles say in the present tense what the site does; `description` says why it matters
  and how to fix it (`cxprobe explain` prints it).
- More probes: register them in `cxprobe_add_probes`; a probe may also score a built-in
  touchpoint (`touchpoint = "contact"`).

## Tests

`tests/test___NS__.py` uses `cxprobe.testing` and the pytest fixtures cxprobe installs
(`cx_page`, `cx_site`, `cx_audit`, `cx_render`): pages go through the real extractors,
probes get the context an audit builds, and `cx_audit` runs a whole audit in-process.
`cx_render` renders in Chromium and is skipped when no browser is found
(`python -m playwright install chromium`). See "Testing your plugin" in cxprobe's
docs/plugins.md.
'''

MODULE = '''\
"""cxprobe plugin __DIST__: the __TITLE__ touchpoint, its extractor and its probe.

Generated by ``cxprobe new-plugin __NAME__`` as a working example to change: the extractor
reads each page's customer quotes, the probe asks whether any page quotes a customer, and
the touchpoint puts the question to the customer. Import only from ``cxprobe`` itself:
``cxprobe.__all__`` is the plugin API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cxprobe import (
    Context,
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

__version__ = "0.1.0"
#: The plugin API this module is written for (cxprobe.PLUGIN_API): a cxprobe with another
#: one refuses it with a line saying which to upgrade, instead of failing half-way.
CXPROBE_PLUGIN_API = 1

#: The customer question this plugin scores, 0-100 in the report (``touchpoints.__NS__``).
TOUCHPOINT = Touchpoint(
    id="__NS__",
    title="__TITLE__",
    question="Can I see that other customers are happy with them?",
    weight=1.0,
    fact_defaults={"pages_with_quotes": 0, "quotes": 0},
)

#: Class and id words of an element that holds a customer quote.
QUOTE_WORDS = ("testimonial", "review", "quote")
#: Quotes kept per page: a page of a thousand reviews says no more than fifty.
MAX_QUOTES = 50


@dataclass(frozen=True)
class Quote:
    """One customer quote on a page."""

    #: Its words, white space collapsed (at most 300 characters).
    text: str
    #: Where it is on the page, for a finding's evidence.
    selector: str


class Quotes(Extractor):
    """``__NS__``: the customer quotes of a page, each once."""

    name = "__NS__"
    description = "customer quotes: <blockquote> elements and elements named testimonial, review or quote"

    def extract(self, doc: Document) -> tuple[Quote, ...]:
        found: dict[str, Quote] = {}
        for tag_name in ("blockquote", "figure", "div", "section", "article", "li"):
            for tag in doc.tags(tag_name):
                doc.tick()  # a loop over elements counts against the page's time budget
                if tag_name != "blockquote" and not any(w in token for token in doc.tokens(tag) for w in QUOTE_WORDS):
                    continue
                if doc.is_hidden(tag):
                    continue
                text = doc.text(tag, 300)
                if text and text not in found:
                    found[text] = Quote(text=text, selector=doc.selector(tag))
                if len(found) >= MAX_QUOTES:
                    return tuple(found.values())
        return tuple(found.values())


class CustomerQuotes(Probe):
    """Some page quotes a customer."""

    id = "__NS__.quotes"
    touchpoint = "__NS__"
    title = "The site quotes its customers"
    failure_title = "No page quotes a customer"
    description = """
A customer deciding whether to buy looks for other customers: a few words from one who was
helped are more convincing than anything the business says about itself. Quote customers
(with their permission) on the home page or a page of reviews, in a `<blockquote>` or a
block named `testimonial` or `review`. Checked: every crawled page. Score 1 when a page
quotes a customer, else 0.
"""
    weight = 1.0

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no page could be read")
        quoted = [f for f in pages if f.fact(Quotes.name)]
        facts = {"pages_with_quotes": len(quoted), "quotes": sum(len(f.fact(Quotes.name)) for f in quoted)}
        if quoted:
            return outcome(1.0, facts=facts)
        missing = issue("no-quotes", "No page quotes a customer",
                        f"None of the {len(pages)} pages checked quotes a customer: add a few words from one "
                        "to the home page or a page of reviews.",
                        key="no-quotes", evidence=[Evidence(url=ctx.site.start_url)])
        return outcome(0.0, [missing], facts)


# --------------------------------------------------------------------------- hooks
# Hooks register objects; cxprobe checks them and names this plugin in any problem.


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(Quotes())


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    register(CustomerQuotes())
'''

TESTS = '''\
"""Tests of __DIST__ with cxprobe's testing kit.

``cxprobe.testing`` reads pages with the real extractors (yours and the built-in ones),
builds sites as the crawl walks them and runs probes in the context an audit builds; the
fixtures ``cx_page``, ``cx_site``, ``cx_audit`` and ``cx_render`` come with cxprobe (a
pytest plugin), nothing to import.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from cxprobe.testing import html_page, plugin_manager, run_probe, run_touchpoint

QUOTE = "<blockquote>They fixed my bike the same day. <cite>Sam</cite></blockquote>"


def test_plugin_is_installed() -> None:
    [ep] = [ep for ep in entry_points(group="cxprobe") if ep.name == "__NS__"]
    assert ep.value == "__MODULE__" and ep.dist is not None and ep.dist.name == "__DIST__"
    registry = plugin_manager().registry()
    assert "__NS__" in registry.touchpoints and "__NS__" in registry.extractors
    assert plugin_manager().owner("probe", "__NS__.quotes") == "__DIST__:__NS__"


def test_the_extractor_reads_each_quote_once(cx_page) -> None:
    page = cx_page(html_page("<h1>Acme</h1>" + QUOTE + '<div class="testimonial">Great  service!</div>'
                             '<div class="review" hidden>Not shown</div>'))
    assert [q.text for q in page.facts.fact("__NS__")] == ["They fixed my bike the same day. Sam", "Great service!"]


def test_a_site_that_quotes_a_customer_passes(cx_site) -> None:
    site = cx_site({"/": html_page('<h1>Acme</h1><a href="/reviews.html">Reviews</a>'),
                    "/reviews.html": html_page("<h1>Reviews</h1>" + QUOTE)})
    out = run_probe("__NS__.quotes", site)
    assert out.score == 1.0 and out.issues == ()
    assert out.facts == {"pages_with_quotes": 1, "quotes": 1}


def test_a_site_without_quotes_is_a_finding(cx_site) -> None:
    out = run_probe("__NS__.quotes", cx_site({"/": html_page("<h1>Acme</h1><p>We fix bikes.</p>")}))
    assert out.score == 0.0
    [finding] = out.issues
    assert finding.kind == "no-quotes" and finding.evidence[0].url == "https://shop.example/"


def test_the_touchpoint_is_scored(cx_site) -> None:
    run = run_touchpoint("__NS__", cx_site({"/": html_page("<h1>Acme</h1>" + QUOTE)}))
    assert (run.score, run.status) == (100.0, "good")
    assert run.facts == {"pages_with_quotes": 1, "quotes": 1}


def test_an_audit_reports_the_touchpoint(cx_audit, tmp_path) -> None:
    (tmp_path / "index.html").write_text(html_page('<h1>Acme</h1><a href="about.html">About</a>'), encoding="utf-8")
    (tmp_path / "about.html").write_text(html_page("<h1>About us</h1>" + QUOTE), encoding="utf-8")
    report = cx_audit(tmp_path)
    touchpoint = report["touchpoints"]["__NS__"]
    assert touchpoint["score"] == 100.0 and touchpoint["facts"] == {"pages_with_quotes": 1, "quotes": 1}
    assert touchpoint["probes"][0]["plugin"] == "__DIST__:__NS__"


def test_the_probe_judges_the_rendered_pages_too(cx_render, tmp_path) -> None:
    # Skipped when no Chromium is found (python -m playwright install chromium).
    (tmp_path / "index.html").write_text(html_page("<h1>Acme</h1>" + QUOTE), encoding="utf-8")
    rendered = cx_render(tmp_path)
    assert run_probe("__NS__.quotes", rendered).facts == {"pages_with_quotes": 1, "quotes": 1}
'''
