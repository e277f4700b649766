"""Build Site artifacts for probe tests without a network: HTML in, facts out.

Probes are pure functions over artifacts, so their tests hand-build a Site: each page's
HTML goes through the real extractor (a pure function), depths come from the links.
"""

from __future__ import annotations

from collections import deque

from cxprobe import Context, Outcome, Page, Site
from cxprobe.config import AuditConfig
from cxprobe.model import CrawlStats
from cxprobe.testing import page_facts
from cxprobe.urls import canonical

ORIGIN = "https://shop.example"


def build_site(pages: dict[str, str], *, start: str = "/", broken: dict[str, int] | None = None,
               orphans: dict[str, str] | None = None, truncated: str | None = None) -> Site:
    """pages: path -> HTML. broken: path -> HTTP status for links that fail."""
    facts = {canonical(ORIGIN + path): page_facts(html, canonical(ORIGIN + path), {}) for path, html in pages.items()}
    start_url = canonical(ORIGIN + start)
    depths = {start_url: 0}
    queue = deque([start_url])
    graph: dict[str, tuple[str, ...]] = {}
    while queue:
        u = queue.popleft()
        f = facts.get(u)
        if f is None:
            continue
        targets = sorted({canonical(lk.url) for lk in f.links if lk.url and lk.url.startswith(ORIGIN)})
        graph[u] = tuple(targets)
        for t in targets:
            if t not in depths and (t in facts or (broken and any(canonical(ORIGIN + b) == t for b in broken))):
                depths[t] = depths[u] + 1
                queue.append(t)
    result = []
    for u, f in facts.items():
        if u in depths:
            result.append(Page(url=u, status=200, depth=depths[u], final_url=u, content_type="text/html", facts=f,
                               found_via="start" if u == start_url else "link"))
    for path, status in (broken or {}).items():
        u = canonical(ORIGIN + path)
        result.append(Page(url=u, status=status, depth=depths.get(u, 1), final_url=u, error="http_error",
                           error_detail=f"HTTP {status}"))
    for path, html in (orphans or {}).items():
        u = canonical(ORIGIN + path)
        result.append(Page(url=u, status=200, depth=-1, final_url=u, facts=page_facts(html, u, {}),
                           found_via="sitemap"))
    ok = [p for p in result if p.ok and p.found_via != "sitemap"]
    return Site(start_url=start_url, origin=ORIGIN, pages=tuple(result), graph=graph,
                depths={u: d for u, d in depths.items()}, stats=CrawlStats(pages=len(ok), truncated=truncated))


def run(probe: object, site: Site, profile: str = "general", mode: str = "static") -> Outcome:
    ctx = Context(site=site, config=AuditConfig(profile=profile), mode=mode)
    return probe.check(ctx)  # type: ignore[attr-defined]


def page(body: str, *, title: str = "Acme Bikes", lang: str = "en", head: str = "") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{head}</head><body>{body}</body></html>')
