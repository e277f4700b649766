"""Journey touchpoint: "Does the road itself work?"."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from cxprobe import Context, Evidence, Link, Outcome, Probe, Touchpoint, hookimpl, issue, outcome

from ._common import CONTACT_RE, POLICY_KINDS, PRICING_LINK_RE, social_hint


def claimed_by_touchpoint(lk: Link) -> bool:
    """True for a dead link another touchpoint reports (contact, pricing, policy, social)."""
    text = lk.text.strip()
    if CONTACT_RE.search(text) or PRICING_LINK_RE.match(text) or social_hint(text, lk.hints):
        return True
    return any(text_re.match(text) for text_re, _slug in POLICY_KINDS.values())


TOUCHPOINT = Touchpoint(
    id="journey", title="Journey", question="Does the road itself work?", weight=2,
    fact_defaults={"broken_links": 0, "dead_links": 0, "unreachable_pages": 0},
)


def _count_score(n: int, per: float = 0.1, floor: float = 0.2) -> float:
    return max(floor, 1.0 - per * n)


class BrokenLinks(Probe):
    id = "journey.broken_links"
    touchpoint = "journey"
    title = "Internal links lead to pages"
    failure_title = "Internal links lead to error pages"
    description = """
A link that ends on "404 Not Found" breaks the customer's road. Checked: every internal link
target the crawl fetched that answered 4xx/5xx, timed out or redirected in a loop. One finding
per broken target, with the pages linking to it. Score: 1 - 0.2 per broken target (floor 0.2):
a single broken link already fails the probe.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        broken = {p.url: p for p in ctx.site.broken_pages if p.found_via != "start"}
        sources: dict[str, list[Evidence]] = {u: [] for u in broken}
        for f in ctx.facts():
            for lk in f.links:
                if lk.url and lk.url in broken:
                    sources[lk.url].append(Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>'))
        issues = []
        for u, p in sorted(broken.items()):
            what = f"HTTP {p.status}" if p.status else (p.error or "error")
            issues.append(issue("broken-link", f"Link leads to an error page ({what})",
                                f"{u} answers {what}" + (f" ({p.error_detail})" if p.error_detail and not p.status else "") + ".",
                                severity="error", key=urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else ""),
                                evidence=sources[u] or [Evidence(url=u)]))
        return outcome(_count_score(len(broken), 0.2), issues, {"broken_links": len(broken)})


def clicked_alive(ctx: Context) -> set[tuple[str, str]]:
    """(href, lower-cased text) of links the browser clicked and saw do something
    (browser mode; empty in static mode). Each (href, text) is clicked once a run, on
    the first page it was met, so the answer holds site-wide."""
    if ctx.rendering is None:
        return set()
    return {(c.href.strip(), c.text.strip().lower()) for rp in ctx.rendering.pages for c in rp.link_clicks or ()
            if c.effect}


class DeadLinks(Probe):
    id = "journey.dead_links"
    touchpoint = "journey"
    title = "Links go somewhere"
    failure_title = "Links go nowhere (#, empty, javascript:void)"
    description = """
Links written as "#", "#!", an empty href or javascript:void(0) look clickable and do
nothing. Checked on every crawled page; one finding per link text, with the pages it is on
(dead contact, pricing, policy and social links are reported by their own touchpoints, not
twice). The fact `dead_links` counts every distinct dead link.
In browser mode each such link is clicked: one that does something (opens a menu, a
modal, a dialog, goes to another page) is not dead.
Score: 1 - 0.05 per distinct dead link (floor 0.2).
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        groups: dict[str, list[Evidence]] = {}
        total: set[str] = set()
        alive = clicked_alive(ctx)  # browser mode: clicked, and something happened
        for f in ctx.facts():
            for lk in f.links:
                if lk.dead and (lk.href.strip(), lk.text.strip().lower()) in alive:
                    continue  # [browser helper] a customer's click does something: not dead
                if lk.dead:
                    total.add((lk.text or lk.href or "(no text)").strip().lower()[:80])
                    # Contact, pricing, policy and social links that go nowhere are findings
                    # of their own touchpoints; reporting them here again would double them.
                    if claimed_by_touchpoint(lk):
                        continue
                    key = (lk.text or lk.href or "(no text)").strip().lower()[:80]
                    groups.setdefault(key, []).append(Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>'))
        issues = [issue("dead-link", f"Link {key!r} goes nowhere", f"The link {key!r} has no destination.",
                        severity="warning", key=key, evidence=ev) for key, ev in sorted(groups.items())]
        return outcome(_count_score(len(total), 0.05), issues, {"dead_links": len(total)})


class Reachability(Probe):
    id = "journey.reachability"
    touchpoint = "journey"
    title = "Every page in the sitemap is reachable by links"
    failure_title = "Some pages cannot be reached by clicking"
    description = """
Pages listed in the sitemap (for a folder, its HTML files) that no link reaches exist only for
search engines: a customer can never click to them. Score: 1 - 0.05 per unreachable page (floor 0.5).
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        orphans = ctx.site.orphan_pages
        facts = {"unreachable_pages": len(orphans)}
        if not orphans:
            return outcome(1.0, (), facts)
        return outcome(max(0.5, 1 - 0.05 * len(orphans)),
                       [issue("unreachable-page", "Page is not linked from the site",
                              "No link on the crawled site leads to this page.", severity="info",
                              evidence=[Evidence(url=p.url, snippet=p.facts.title if p.facts else "") for p in orphans])], facts)


class Redirects(Probe):
    id = "journey.redirects"
    touchpoint = "journey"
    title = "Links arrive without redirect chains"
    failure_title = "Links pass through redirect chains"
    description = """
Each redirect costs the customer a round trip; chains of two or more slow every click.
Checked: crawled URLs that needed 2+ redirects. Score: 1 - 0.1 per chain (floor 0.5).
"""
    weight = 0.5

    def check(self, ctx: Context) -> Outcome:
        chains = [p for p in ctx.site.pages if len(p.redirects) >= 2]
        if not chains:
            return outcome(1.0)
        return outcome(max(0.5, 1 - 0.1 * len(chains)),
                       [issue("redirect-chain", "Link passes through a redirect chain",
                              "The URL redirects several times before it arrives.", severity="info", key=p.url,
                              evidence=[Evidence(url=p.url, snippet=" -> ".join(p.redirects))]) for p in chains])


class Https(Probe):
    id = "journey.https"
    touchpoint = "journey"
    title = "The site is served over HTTPS"
    failure_title = "The site is served over plain HTTP"
    description = """
Browsers mark plain-HTTP pages "Not secure", and customers leave forms on them. Checked: the
start page's final URL of a live site. Not applicable for local folders and loopback servers.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        host = urlsplit(ctx.site.origin).hostname or ""
        if host in ("127.0.0.1", "localhost", "::1") or host.endswith(".localhost"):
            return Outcome.na("local target")
        if ctx.site.origin.startswith("https://"):
            return outcome(1.0)
        return outcome(0.0, [issue("no-https", "Site is served over plain HTTP", "Serve the site over HTTPS and redirect HTTP to it.",
                                   severity="error", evidence=[Evidence(url=ctx.site.start_url)])])


class JavaScriptShell(Probe):
    id = "journey.js_shell"
    touchpoint = "journey"
    title = "Pages carry their content in HTML"
    failure_title = "Pages are empty without JavaScript"
    description = """
A page whose HTML body is an empty shell filled by JavaScript cannot be judged from its HTML:
in static mode this is reported ("rendered by JavaScript: audit with --render browser") instead
of scoring the site as having no touchpoints. In browser mode the rendered DOM is used.
Score = share of pages with content in their HTML.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        shells = [f for f in pages if f.js_shell]
        if not shells:
            return outcome(1.0, (), {"js_shell_pages": 0})
        if ctx.mode == "browser":
            return outcome(1.0, [issue("js-shell", "Page content is built by JavaScript",
                                       "The HTML is empty until scripts run; search engines and slow phones see nothing at first.",
                                       severity="info", evidence=[Evidence(url=f.url) for f in shells])], {"js_shell_pages": len(shells)})
        return outcome(1 - len(shells) / len(pages),
                       [issue("js-shell", "Page is rendered by JavaScript: audit with --render browser",
                              "The HTML body is an empty shell, so the static audit cannot see its touchpoints.",
                              severity="error", evidence=[Evidence(url=f.url) for f in shells])], {"js_shell_pages": len(shells)})


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (BrokenLinks, DeadLinks, Reachability, Redirects, Https, JavaScriptShell):
        register(cls())
