"""The plugin author's kit: test a plugin on the facts, outcomes and reports an audit gives.

Everything here goes through the real machinery, so what a test sees is what an audit
would see: pages are read by the real extraction with every installed extractor (the
built-in ones and your plugin's), probes get the :class:`~cxprobe.Context` an audit builds
(the configuration read like a config file, plugin settings at their defaults,
``cxprobe_configure`` called), outcomes are checked as the runner checks them, and
:func:`audit` is the audit the command line runs, in-process.

- Pages and sites: :func:`page_facts` (the facts of one page), :func:`build_page` (a
  :class:`~cxprobe.Page`), :func:`build_site` (a :class:`~cxprobe.Site` from HTML strings,
  crawled in memory: click depths, the link graph, broken links and orphans as a crawl of
  the same folder gives them), :func:`site_from_folder` (the real crawl of a folder),
  :func:`html_page` (a complete HTML document around a body).
- Judging: :func:`run_probe` (one probe's :class:`~cxprobe.Outcome`), :func:`run_touchpoint`
  (a touchpoint's score, status, facts, probe results and findings, as the report has them).
- End to end: :func:`serve` (a folder or a dict of pages on 127.0.0.1), :func:`audit` (the
  report dict of ``cxprobe audit TARGET --format json``), :func:`render` (the site and its
  rendering in browser mode), :func:`find_browser` / :func:`browser_available`.
- :func:`without_origin`: strip a site's origin from URLs, as a folder audit's report shows them.

The pytest plugin :mod:`cxprobe.pytest_plugin` (loaded automatically wherever cxprobe is
installed) wraps these as fixtures: ``cx_page``, ``cx_site``, ``cx_serve``, ``cx_audit``,
``cx_browser`` and ``cx_render``. docs/plugins.md, "Testing your plugin", shows them at work.

Errors surface: a probe that raises, or returns an outcome the runner would refuse, raises
here too (an audit would turn it into an ``error`` result), so the test shows the traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import AuditConfig
from .model import CrawlStats, Finding, Outcome, Page, PageFacts, ProbeResult, Rendering, Site
from .probe import Context, Extractor, Probe

if TYPE_CHECKING:
    from ._registry import PluginManager
    from .browser import FoundBrowser

#: The origin of the sites :func:`build_site` builds in memory (a reserved name: never fetched).
ORIGIN = "https://shop.example"

#: The content type the folder server sends for HTML (pages are decoded with it).
_HTML = {"Content-Type": "text/html; charset=utf-8"}


class KitError(RuntimeError):
    """The kit could not do what a test asked: an unknown probe or touchpoint id, a plugin
    that failed while being configured, a folder with no page."""


# --------------------------------------------------------------------------- plugins


@cache
def _installed() -> PluginManager:
    from ._registry import get_plugin_manager

    return get_plugin_manager()


@cache
def _with_plugins(plugins: tuple[object, ...]) -> PluginManager:
    from ._registry import get_plugin_manager

    pm = get_plugin_manager()
    for plugin in plugins:
        if pm.pm.is_registered(plugin):  # installed as well: registered once
            continue
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        pm.register(plugin, name=str(name))
    return pm


def plugin_manager(*plugins: object) -> Any:
    """cxprobe's plugin manager with every installed plugin loaded (once per process), and
    the plugin objects or modules given registered besides (a plugin you have not
    installed yet). Its ``registry()`` holds the registered touchpoints, extractors, probes,
    gatherers and reporters; ``owner(kind, id)`` names the plugin that registered one."""
    if not plugins:
        return _installed()
    try:
        return _with_plugins(tuple(plugins))
    except TypeError:  # an unhashable plugin object: a manager of its own
        return _with_plugins.__wrapped__(tuple(plugins))


def extractors(*plugins: object) -> tuple[Extractor, ...]:
    """Every installed extractor (and those of ``plugins``), in the order an audit runs them."""
    return tuple(plugin_manager(*plugins).registry().extractors.values())


# --------------------------------------------------------------------------- configuration

def _setting_keys() -> dict[str, str]:
    from .config import SETTINGS

    return {s.name: s.key for s in SETTINGS.values()}


def audit_config(target: str = "", config: Mapping[str, Any] | AuditConfig | None = None, *,
                 with_plugins: Iterable[object] = (), **settings: Any) -> AuditConfig:
    """The :class:`~cxprobe.AuditConfig` of a run, read as an audit reads its config file.

    ``config`` is a config-file table (``{"profile": "saas", "contact": {"accept":
    [...]}}``, the keys of ``cxprobe.toml``); ``settings`` are more keys of that table as
    keyword arguments (``profile="saas"``, ``max_pages=5``; a field name such as
    ``formats`` works for its key ``format``). Values are checked as in a config file (an
    unknown key is :class:`~cxprobe.CxprobeError`), plugin settings not given get their
    defaults, and ``CXPROBE_BROWSER`` applies as it does to an audit. An AuditConfig given
    as ``config`` is returned as it is.
    """
    return _config(target, config, with_plugins, settings, {})


def _config(target: str, config: Mapping[str, Any] | AuditConfig | None, with_plugins: Iterable[object],
            settings: Mapping[str, Any], defaults: Mapping[str, Any]) -> AuditConfig:
    """audit_config with ``defaults`` under the table and the settings."""
    if isinstance(config, AuditConfig):
        if settings:
            raise TypeError("give either an AuditConfig or settings, not both")
        return replace(config, target=target) if target else config
    from .config import build_config, from_table

    keys = _setting_keys()
    table: dict[str, Any] = dict(defaults)
    table.update(config or {})
    for name, value in settings.items():
        table[keys.get(name, name)] = value
    plugin_settings = plugin_manager(*with_plugins).options().settings
    values = from_table(table, "cxprobe.testing", plugin_settings)
    return build_config(target, values, {}, "", plugin_settings)


# --------------------------------------------------------------------------- pages


def page_facts(html: str | bytes, url: str = ORIGIN + "/", headers: Mapping[str, str] | None = None,
               *, budget: float | None = None, time_left: float | None = None,
               with_plugins: Iterable[object] = ()) -> PageFacts:
    """The facts of one page given as HTML, as an audit reads them: the generic document
    and every installed extractor (and those of ``with_plugins``). ``headers`` are the
    response headers (default: ``text/html; charset=utf-8``, as the folder server sends)."""
    from .document import extract_facts

    body = html.encode("utf-8") if isinstance(html, str) else html
    if headers is None:
        headers = _HTML
    return extract_facts(url, headers, body, extractors(*with_plugins), budget=budget, time_left=time_left)


def build_page(html: str | bytes, url: str = ORIGIN + "/", *, depth: int = 0,
               headers: Mapping[str, str] | None = None, with_plugins: Iterable[object] = ()) -> Page:
    """One fetched page (status 200) with the facts an audit reads from ``html``:
    ``page.facts.fact("myplugin")`` is what your extractor gave."""
    from .urls import canonical

    body = html.encode("utf-8") if isinstance(html, str) else html
    facts = page_facts(body, url, headers, with_plugins=with_plugins)
    return Page(url=canonical(url), status=200, depth=depth, final_url=url, content_type="text/html",
                size=len(body), facts=facts, found_via="start" if depth == 0 else "link")


def html_page(body: str, *, title: str = "Acme Bikes", lang: str = "en", head: str = "") -> str:
    """A complete HTML document around ``body`` (doctype, ``lang``, charset, ``title``, the
    viewport meta), so a test writes only what it is about."""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{head}</head><body>{body}</body></html>')


# --------------------------------------------------------------------------- sites


def _resolver(paths: Iterable[str], origin: str) -> dict[str, str]:
    """canonical URL -> page path, with the spellings the folder server answers for each
    page: ``/about`` and ``/about/`` for ``/about.html`` (a redirect there), ``/dir/``
    for ``/dir/index.html`` (one page)."""
    from .urls import canonical

    out: dict[str, str] = {}
    for path in paths:
        out[canonical(origin + path)] = path
    for path in paths:
        stem, ext = os.path.splitext(path)
        if stem.endswith("/index") or path.endswith("/"):  # /dir is /dir/ (a redirect there)
            folder = path.rstrip("/") if path.endswith("/") else stem[: -len("/index")]
            if folder:
                out.setdefault(canonical(origin + folder), path)
        elif ext.lower() in (".html", ".htm"):
            for alias in (stem, stem + "/"):
                out.setdefault(canonical(origin + alias), path)
    return out


def build_site(pages: Mapping[str, str | bytes], *, start: str = "/", origin: str = ORIGIN,
               broken: Mapping[str, int] | None = None, orphans: Mapping[str, str | bytes] | None = None,
               missing: int | None = 404, max_depth: int = 5, max_pages: int = 50,
               truncated: str | None = None, with_plugins: Iterable[object] = ()) -> Site:
    """A :class:`~cxprobe.Site` from HTML strings, crawled in memory the way the crawl walks
    a folder of the same files: breadth first from ``start``, so each page's ``depth`` is
    the fewest clicks from it; every page read by the real extractors.

    ``pages`` maps a site path (``"/"``, ``"/contact.html"``) to its HTML. As on a folder
    target: a page no link reaches is an orphan (found through the folder's files, depth
    -1, not judged); ``/about`` and ``/about/`` lead to ``/about.html``; a logo or Home link
    written ``#`` on the start page goes back to the top (no dead link); links to PDFs,
    images and destructive URLs (``/logout``) are not followed.

    ``broken`` maps paths to the HTTP status they answer with (404, 500): links there are
    broken links. ``missing``: the status a linked path that is not in ``pages`` answers
    with: 404 (default), as on a folder, makes it a broken page; None leaves it unfetched.
    ``orphans`` adds pages no link reaches (the same as listing them in ``pages``). ``max_depth``/``max_pages`` bound the walk as ``--max-depth``/``--max-pages``
    do (setting ``crawl.truncated``); ``truncated`` forces the reason.

    Not read here (use :func:`site_from_folder`, the real crawl, when it matters): scripts
    the pages load from other files, ``rel=canonical`` duplicates, redirects other than the
    folder server's, robots.txt.
    """
    from .crawl.scripts import _join
    from .urls import canonical, netloc_of

    origin = origin.rstrip("/")
    all_pages = {**dict(pages), **dict(orphans or {})}
    if not all_pages:
        raise KitError("build_site needs at least one page")
    resolve = _resolver(all_pages, origin)
    broken_urls = {canonical(origin + path): status for path, status in (broken or {}).items()}
    start_url = canonical(origin + start)
    if start_url not in resolve:
        raise KitError(f"the start page {start} is not one of the pages ({', '.join(sorted(all_pages))})")
    host = netloc_of(origin + "/")
    from .crawl.options import CrawlOptions
    from .crawl.scope import Scope

    scope = Scope(CrawlOptions(), hosts=(host,))
    exts = extractors(*with_plugins)
    facts: dict[str, PageFacts] = {}

    def read(url: str) -> PageFacts:
        if url not in facts:
            from .document import extract_facts

            html = all_pages[resolve[url]]
            body = html.encode("utf-8") if isinstance(html, str) else html
            facts[url] = extract_facts(url, _HTML, body, exts)
        return facts[url]

    def page_url(url: str) -> str:
        """The page a URL leads to (its canonical spelling), after the folder server's redirects."""
        path = resolve.get(url)
        return canonical(origin + path) if path is not None else url

    kept: dict[str, Page] = {}
    depths: dict[str, int] = {start_url: 0}
    graph: dict[str, tuple[str, ...]] = {}
    unfetched: set[str] = set()
    script_urls: dict[str, str] = {}
    reason: str | None = None
    max_reached = fetched = kept_ok = 0
    level = [start_url]
    #: page URL -> the spellings of the links that reached it: the first, sorted, is the one
    #: the crawl fetched (a redirect when it is not the page's own).
    spellings: dict[str, set[str]] = {}
    depth = 0
    while level:
        nxt: set[str] = set()
        for url in level:
            first = min(spellings.get(url, ()), default=url)
            hops = (first,) if first != url else ()
            if url not in resolve:
                status = broken_urls.get(url, missing)
                if status is not None:
                    fetched += 1
                    graph[url] = ()  # a page that answers with an error links nowhere
                    kept[url] = Page(url=url, status=status, depth=depth, final_url=url, content_type="text/html",
                                     error="http_error", error_detail=f"HTTP {status}")
                continue
            if url in broken_urls:
                graph[url] = ()
                fetched += 1
                kept[url] = Page(url=url, status=broken_urls[url], depth=depth, final_url=url,
                                 content_type="text/html", error="http_error", error_detail=f"HTTP {broken_urls[url]}")
                continue
            if kept_ok >= max_pages:
                reason = reason or "max_pages"
                unfetched.add(url)
                continue
            fetched += 1
            kept_ok += 1
            f = read(url)
            if url == start_url:
                # The crawl's rule: a logo or "Home" link written "#" on the start page
                # scrolls back to its top.
                links = tuple(lk.as_control("top") if lk.dead in ("hash", "empty") and lk.reads_as_home() else lk
                              for lk in f.links)
                if links != f.links:
                    f = facts[url] = replace(f, links=links)
            kept[url] = Page(url=url, status=200, depth=depth, final_url=url, content_type="text/html", redirects=hops,
                             facts=f, found_via="start" if url == start_url else "link")
            max_reached = max(max_reached, depth)
            # Where its inline scripts and forms send visitors (the crawl's script_urls), and
            # the links of the HTML its inline scripts write, which the crawl follows.
            for written in f.opens:
                sent = _join(url, written)
                if sent:
                    script_urls.setdefault(page_url(sent), "opened")
            targets: set[str] = set()
            for href in (*(lk.url for lk in f.links if lk.url), *f.script_links):
                try:
                    spelled = canonical(href)
                except ValueError:
                    continue
                target = page_url(spelled)
                if scope.contains(target):
                    targets.add(target)
                    if target not in depths and scope.worth_fetching(spelled):
                        nxt.add(target)
                        spellings.setdefault(target, set()).add(spelled)
            graph[url] = tuple(sorted(targets))
        if not nxt:
            break
        if depth + 1 > max_depth:
            reason = reason or "max_depth"
            unfetched.update(u for u in nxt if u in resolve or u in broken_urls or missing is not None)
            break
        depth += 1
        for u in nxt:
            depths[u] = depth
        level = sorted(nxt)
    orphan_pages = []
    for url in sorted({canonical(origin + p) for p in all_pages}):
        if url in kept or url in unfetched or url in depths:
            continue
        orphan_pages.append(Page(url=url, status=200, depth=-1, final_url=url, content_type="text/html",
                                 facts=read(url), found_via="sitemap"))
    every = (*kept.values(), *orphan_pages)
    stats = CrawlStats(pages=sum(1 for p in kept.values() if p.ok), fetched=fetched + len(orphan_pages),
                       errors=sum(1 for p in every if p.error), not_fetched=len(unfetched),
                       truncated=truncated or reason, max_depth_reached=max_reached)
    return Site(start_url=start_url, origin=origin, pages=every, graph=graph,
                depths={u: d for u, d in depths.items() if u in kept}, stats=stats,
                sitemap_urls=tuple(sorted(canonical(origin + p) for p in all_pages)), hosts=(host,),
                unfetched=tuple(sorted(unfetched)), script_urls=dict(sorted(script_urls.items())))


@dataclass(frozen=True)
class Gathered:
    """What an audit gathered before judging: the crawl, and the rendering in browser mode."""

    site: Site
    #: The browser's rendering (browser mode), else None.
    rendering: Rendering | None
    #: "static" or "browser".
    mode: str
    config: AuditConfig
    #: The run's notes (what it could not read, the mode it chose).
    notes: tuple[str, ...] = ()


def gather(target: str | os.PathLike[str] | Mapping[str, str | bytes], *,
           config: Mapping[str, Any] | AuditConfig | None = None, with_plugins: Iterable[object] = (),
           **settings: Any) -> Gathered:
    """Run an audit of ``target`` (a folder, an HTML file, a URL, or a dict of pages written
    to a temporary folder) and keep what it gathered: the real crawl (a folder is served on
    127.0.0.1 for the run, so page URLs start with that run's ``site.origin``) and, with
    ``render="browser"``, the rendering. Settings as for :func:`audit` (static mode, pages
    read in-process, unless given)."""
    with _as_target(target) as raw:
        pm = _fresh_pm(with_plugins)
        cfg = _config(raw, config, with_plugins, settings, _KIT_DEFAULTS)
        from .runner import run_audit

        run = run_audit(cfg, pm)
        if run.fatal:
            raise KitError(run.fatal)
        rendering = run.session.artifacts.get("rendering")
        return Gathered(site=run.site, rendering=rendering if isinstance(rendering, Rendering) else None,
                        mode=run.session.mode, config=cfg, notes=tuple(run.session.notes))


def site_from_folder(folder: str | os.PathLike[str], **settings: Any) -> Site:
    """The :class:`~cxprobe.Site` the real crawl gives for a folder of HTML (or an HTML
    file): served on 127.0.0.1, crawled from its index, every page read by the real
    extractors. URLs start with ``site.origin`` (that run's port): compare paths with
    :func:`without_origin`. ``settings`` as for :func:`audit` (``start="/home.html"``,
    ``max_pages=10``)."""
    return gather(folder, **settings).site


@dataclass(frozen=True)
class Rendered:
    """A site and its rendering in browser mode (:func:`render`): give both to
    :func:`run_probe` or :func:`run_touchpoint` (``run_probe(id, rendered)``)."""

    site: Site
    rendering: Rendering
    notes: tuple[str, ...] = ()


def render(target: str | os.PathLike[str] | Mapping[str, str | bytes], **settings: Any) -> Rendered:
    """The site and its rendering in browser mode: the crawl, then every page in Chromium at
    phone and desktop size, as ``cxprobe audit TARGET --render browser`` does. Raises
    :class:`~cxprobe.CxprobeError` naming the fixes when no browser is found (check first
    with :func:`browser_available`, or use the ``cx_render`` fixture, which skips).
    Screenshots go to a temporary folder removed at exit unless ``output`` says where."""
    if "output" not in settings:
        settings["output"] = str(_scratch() / f"render-{next(_counter)}" / "report.json")
    got = gather(target, **{"render": "browser", **settings})
    if got.rendering is None:
        raise KitError("the run gathered no rendering (render mode was " + got.mode + ")")
    return Rendered(site=got.site, rendering=got.rendering, notes=got.notes)


# --------------------------------------------------------------------------- judging


def _probe(pm: PluginManager, probe: str | Probe) -> Probe:
    if isinstance(probe, Probe):
        return probe
    reg = pm.registry()
    found = reg.probes.get(probe)
    if found is None:
        close = [pid for pid in sorted(reg.probes) if pid.split(".")[0] == probe.split(".")[0]]
        hint = f"; probes of {probe.split('.')[0]!r}: {', '.join(close)}" if close else ""
        problems = f"; plugin problems: {' | '.join(reg.problems)}" if reg.problems else ""
        raise KitError(f"no probe with id {probe!r} is registered{hint}{problems}")
    return found


def _context(site: Site | Rendered, rendering: Rendering | None, mode: str | None, cfg: AuditConfig,
             pm: PluginManager) -> Context:
    if isinstance(site, Rendered):
        rendering = rendering or site.rendering
        site = site.site
    problems = pm.configure(cfg)
    if problems:
        raise KitError("cxprobe_configure failed: " + " | ".join(problems))
    return Context(site=site, config=cfg, rendering=rendering, mode=mode or ("browser" if rendering else "static"))


def _with_journeys(ctx: Context, pm: PluginManager) -> Context:
    """``ctx`` with the journeys walked over the static crawl, as the runner walks them
    after every other probe has run (their facts say where each touchpoint's page is).
    The kit does not click them through in a browser."""
    from dataclasses import replace

    from .journeys.walk import walk_static
    from .runner import journey_specs, run_probe, select_probes

    results = [run_probe(p, ctx, "", ctx.config.profile)[0] for p in select_probes(pm.registry().probes, ctx.config)
               if "journeys" not in p.requires]
    facts: dict[str, dict[str, Any]] = {}
    for r in sorted(results, key=lambda r: r.id):
        facts.setdefault(r.touchpoint, {}).update(r.facts)
    return replace(ctx, journeys=tuple(walk_static(ctx.site, journey_specs(ctx.config, facts), facts)))


def _check(probe: Probe, ctx: Context, pm: PluginManager | None = None) -> Outcome:
    from .runner import check_outcome

    if "rendering" in probe.requires and ctx.rendering is None:
        # The runner's words for a browser probe in static mode.
        return Outcome.na("needs a browser: run with --render browser" if ctx.mode == "static" else "rendering failed")
    if "journeys" in probe.requires and ctx.journeys is None and pm is not None:
        ctx = _with_journeys(ctx, pm)
    return check_outcome(probe.check(ctx))


#: What run_probe and run_touchpoint judge: a Site, a Rendered, a dict of pages (build_site)
#: or a folder (site_from_folder).
SiteLike = Site | Rendered | Mapping[str, str | bytes] | str | os.PathLike[str]


def _site_of(site: SiteLike, with_plugins: Iterable[object]) -> Site | Rendered:
    if isinstance(site, (Site, Rendered)):
        return site
    if isinstance(site, Mapping):
        return build_site(site, with_plugins=with_plugins)
    if isinstance(site, (str, os.PathLike)):
        return gather(site, with_plugins=with_plugins).site
    raise TypeError(f"expected a Site, a Rendered, a dict of pages or a folder, not {type(site).__name__}")


def run_probe(probe: str | Probe, site: SiteLike, *,
              rendering: Rendering | None = None, mode: str | None = None,
              config: Mapping[str, Any] | AuditConfig | None = None, with_plugins: Iterable[object] = (),
              **settings: Any) -> Outcome:
    """Run one probe over ``site`` and return its :class:`~cxprobe.Outcome`.

    ``probe`` is a registered probe's id (``"contact.methods"``) or a probe object (one you
    have not registered). ``site`` is a :class:`~cxprobe.Site` (from :func:`build_site` or
    :func:`site_from_folder`), a :class:`Rendered` (browser mode), a dict of pages (given to
    :func:`build_site`) or a folder (given to :func:`site_from_folder`). The :class:`~cxprobe.Context` is built as an audit builds it: the
    configuration from ``config``/``settings`` (config-file keys: ``profile="saas"``,
    ``contact={"accept": [...]}``), ``cxprobe_configure`` called, mode "browser" when there is
    a rendering. A probe that needs the rendering and has none is not applicable, as in a
    static audit. A probe that raises, or returns what the runner refuses, raises here.
    """
    pm = plugin_manager(*with_plugins)
    found = _probe(pm, probe)
    cfg = _config("", config, with_plugins, settings, {})
    return _check(found, _context(_site_of(site, with_plugins), rendering, mode, cfg, pm), pm)


@dataclass(frozen=True)
class TouchpointRun:
    """A touchpoint judged by :func:`run_touchpoint`: what the report's ``touchpoints.<id>``
    says about it, with the probes' outcomes."""

    id: str
    #: 0-100, or None when no probe of it scored.
    score: float | None
    #: good | needs_work | poor | unscored
    status: str
    #: The touchpoint's facts: its ``fact_defaults``, then every probe's facts.
    facts: dict[str, Any]
    #: Probe id -> its result (status, score, weight, reason, plugin), as in the report.
    results: dict[str, ProbeResult] = field(default_factory=dict)
    #: Probe id -> the outcome its check() returned.
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    #: The probes' issues deduplicated into findings, with the report's ids (evidence URLs
    #: as the probes gave them).
    findings: tuple[Finding, ...] = ()


def run_touchpoint(touchpoint: str, site: SiteLike, *,
                   rendering: Rendering | None = None, mode: str | None = None,
                   config: Mapping[str, Any] | AuditConfig | None = None, with_plugins: Iterable[object] = (),
                   **settings: Any) -> TouchpointRun:
    """Run every probe of a touchpoint (after ``only``/``skip``) over ``site`` with one shared
    Context, and score it as the report does: :class:`TouchpointRun` has the score (0-100),
    status, facts, each probe's result and outcome, and the findings. Arguments as for
    :func:`run_probe`."""
    from .report import dedupe
    from .runner import select_probes
    from .scoring import probe_status, touchpoint_score, touchpoint_status

    pm = plugin_manager(*with_plugins)
    reg = pm.registry()
    tp = reg.touchpoints.get(touchpoint)
    if tp is None:
        raise KitError(f"no touchpoint with id {touchpoint!r} is registered; known: {', '.join(sorted(reg.touchpoints))}")
    cfg = _config("", config, with_plugins, settings, {})
    ctx = _context(_site_of(site, with_plugins), rendering, mode, cfg, pm)
    origin = ctx.site.origin
    results: dict[str, ProbeResult] = {}
    outcomes: dict[str, Outcome] = {}
    findings: list[Finding] = []
    for probe in select_probes(reg.probes, cfg):
        if probe.touchpoint != touchpoint:
            continue
        if "journeys" in probe.requires and ctx.journeys is None:
            ctx = _with_journeys(ctx, pm)  # once for the touchpoint's probes
        out = _check(probe, ctx, pm)
        outcomes[probe.id] = out
        # The runner's result of an outcome (cxprobe.runner.run_probe).
        results[probe.id] = ProbeResult(
            id=probe.id, touchpoint=probe.touchpoint, status=probe_status(out.score),
            score=None if out.score is None else round(out.score, 4), weight=probe.weight_for(cfg.profile),
            facts=dict(out.facts), reason=out.not_applicable or "", plugin=pm.owner("probe", probe.id))
        # Keys without the site's origin, as the report makes them: the same finding ids.
        findings.extend(dedupe(probe.id, probe.touchpoint, out.issues,
                               lambda key: key.replace(origin, "") if origin and key is not None else key))
    score = touchpoint_score(list(results.values())) if results else None
    facts: dict[str, Any] = dict(tp.fact_defaults)
    for r in results.values():
        facts.update(r.facts)
    return TouchpointRun(id=touchpoint, score=score, status=touchpoint_status(score), facts=facts,
                         results=results, outcomes=outcomes, findings=tuple(findings))


# --------------------------------------------------------------------------- end to end

#: What the kit's audits do unless told otherwise: static mode (a browser only when asked
#: for), pages read in the test's own process (no worker pool to start).
_KIT_DEFAULTS: dict[str, Any] = {"render": "static", "jobs": 1}


def _fresh_pm(with_plugins: Iterable[object]) -> PluginManager:
    """A plugin manager of its own for one audit: an audit may switch plugins off."""
    from ._registry import get_plugin_manager

    pm = get_plugin_manager()
    for plugin in with_plugins:
        if not pm.pm.is_registered(plugin):
            pm.register(plugin, name=str(getattr(plugin, "__name__", None) or type(plugin).__name__))
    return pm


def write_site(pages: Mapping[str, str | bytes], folder: str | os.PathLike[str]) -> Path:
    """Write a dict of pages into ``folder`` as files a folder target serves at those paths:
    ``/`` and ``/dir/`` become ``index.html`` files, a path without an extension becomes
    ``PATH.html`` (served at both, as static hosts do). Returns the folder."""
    root = Path(folder)
    for path, html in pages.items():
        rel = path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        elif not os.path.splitext(rel)[1]:
            rel += ".html"
        dest = (root / rel).resolve()
        if not dest.is_relative_to(root.resolve()):
            raise KitError(f"page path {path!r} leads outside the folder")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(html.encode("utf-8") if isinstance(html, str) else html)
    return root


@contextlib.contextmanager
def _as_target(target: str | os.PathLike[str] | Mapping[str, str | bytes]) -> Iterator[str]:
    if isinstance(target, Mapping):
        with tempfile.TemporaryDirectory(prefix="cxprobe-site-") as tmp:
            yield str(write_site(target, tmp))
        return
    yield os.fspath(target)


def audit(target: str | os.PathLike[str] | Mapping[str, str | bytes], *,
          config: Mapping[str, Any] | AuditConfig | None = None, with_plugins: Iterable[object] = (),
          **settings: Any) -> dict[str, Any]:
    """Audit ``target`` in-process and return the report dict, as ``cxprobe audit TARGET
    --format json`` prints it: a folder, an HTML file, a URL, or a dict of pages (written to
    a temporary folder with :func:`write_site`).

    ``config``/``settings`` are config-file keys, as for :func:`run_probe`; unless given,
    the audit is static (``render="static"``; ``render="browser"`` or ``"auto"`` to render)
    and reads pages in-process (``jobs=1``). ``cxprobe_report_ready`` is called, a
    ``baseline`` is compared, and the gates are evaluated into ``report["gates"]``; no file
    is written. A site that cannot be measured gives a report whose ``error`` says why (the
    command exits 3 then).
    """
    from .gates import load_report
    from .report import finish_report
    from .runner import run_audit

    with _as_target(target) as raw:
        pm = _fresh_pm(with_plugins)
        cfg = _config(raw, config, with_plugins, settings, _KIT_DEFAULTS)
        run = run_audit(cfg, pm)
        baseline = load_report(cfg.baseline) if cfg.baseline else None
        report, _gates = finish_report(run, pm, cfg.gates(), baseline, str(cfg.baseline))
        return report


def without_origin(value: Any, origin: str | Site) -> Any:
    """``value`` (a string, or dicts and lists of them: an outcome's facts) with the origin
    removed from every URL, as the report of a folder target shows them:
    ``without_origin(out.facts, site)`` turns ``http://127.0.0.1:PORT/contact.html`` into
    ``/contact.html``."""
    prefix = origin.origin if isinstance(origin, Site) else origin.rstrip("/")
    if isinstance(value, str):
        return value.replace(prefix, "") if prefix else value
    if isinstance(value, dict):
        return {k: without_origin(v, prefix) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_origin(v, prefix) for v in value]
    return value


# --------------------------------------------------------------------------- serving


class _ServerThreads:
    """The connections a kit server holds open and the threads answering them, so that
    stopping it closes every connection and waits for every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.threads: set[threading.Thread] = set()


def _kit_server(root: Path, threads: _ServerThreads) -> Any:
    """The folder server of an audit (cxprobe.target: files inside the folder only, the
    static host's redirects, GET and HEAD only), with its connections tracked."""
    import http.server
    from functools import partial

    from .target import _QuietHandler

    class Handler(_QuietHandler):
        timeout = 5  # an idle kept-alive connection holds its thread this long at most

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False

        def process_request(self, request: Any, client_address: Any) -> None:
            t = threading.Thread(target=self._serve, args=(request, client_address),
                                 name="cxprobe-testing-request", daemon=True)
            with threads.lock:
                threads.sockets.add(request)
                threads.threads.add(t)
            t.start()

        def _serve(self, request: Any, client_address: Any) -> None:
            try:
                self.process_request_thread(request, client_address)
            finally:
                with threads.lock:
                    threads.sockets.discard(request)
                    threads.threads.discard(threading.current_thread())

        def handle_error(self, request: Any, client_address: Any) -> None:
            return  # a client that went away is no error of the test

    return Server(("127.0.0.1", 0), partial(Handler, directory=str(root)))


@contextlib.contextmanager
def serve(site: str | os.PathLike[str] | Mapping[str, str | bytes]) -> Iterator[str]:
    """Serve a folder (or a dict of pages, written with :func:`write_site` to a temporary
    folder) on 127.0.0.1 with an ephemeral port, as an audit serves a folder target (same
    redirects, same 404s, GET and HEAD only), and yield its origin
    (``http://127.0.0.1:PORT``). On exit the request loop stops, every open connection is
    closed and every thread is joined: nothing keeps running after the block.
    """
    with contextlib.ExitStack() as stack:
        if isinstance(site, Mapping):
            root = write_site(site, stack.enter_context(tempfile.TemporaryDirectory(prefix="cxprobe-serve-")))
        else:
            root = Path(site)
            if not root.is_dir():
                raise KitError(f"serve needs a folder: {root} is not one")
        root = root.resolve()
        threads = _ServerThreads()
        server = _kit_server(root, threads)
        loop = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                name="cxprobe-testing-server", daemon=True)
        loop.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()  # the request loop ends within one poll interval
            loop.join(5)
            server.server_close()
            with threads.lock:
                open_sockets, running = list(threads.sockets), list(threads.threads)
            for sock in open_sockets:  # wakes a handler waiting on a kept-alive connection
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            for t in running:
                t.join(5)


# --------------------------------------------------------------------------- browser


def find_browser() -> FoundBrowser | None:
    """The Chromium a browser-mode audit would use, found as cxprobe finds it
    (``CXPROBE_BROWSER``, Playwright's own Chromium, a system one on PATH), or None."""
    from .browser import find_browser as find

    return find(os.environ.get("CXPROBE_BROWSER") or None)


def browser_available() -> bool:
    """True when a browser-mode audit can run here: for ``pytest.mark.skipif``."""
    return find_browser() is not None


_counter = iter(range(1, 1 << 62))


@cache
def _scratch() -> Path:
    """A temporary folder for this process (screenshots of :func:`render`), removed at exit."""
    path = Path(tempfile.mkdtemp(prefix="cxprobe-testing-"))
    atexit.register(shutil.rmtree, path, True)
    return path


__all__ = [
    "ORIGIN",
    "Gathered",
    "KitError",
    "Rendered",
    "TouchpointRun",
    "audit",
    "audit_config",
    "browser_available",
    "build_page",
    "build_site",
    "extractors",
    "find_browser",
    "gather",
    "html_page",
    "page_facts",
    "plugin_manager",
    "render",
    "run_probe",
    "run_touchpoint",
    "serve",
    "site_from_folder",
    "without_origin",
]
