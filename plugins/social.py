"""Social touchpoint: "Is there a living community I can check?"."""

from __future__ import annotations

import re
from collections.abc import Callable

from cxprobe import (
    Cause,
    Context,
    Evidence,
    Link,
    Outcome,
    PageFacts,
    Probe,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
    per_run,
)

from ._common import is_profile, network_of, network_title, profile_url, social_hint
from ._lazyre import lazy_compile

TOUCHPOINT = Touchpoint(
    id="social", title="Social", question="Is there a living community I can check?", weight=1,
    weights={"nonprofit": 1.5, "local": 1.5},
    fact_defaults={"profiles": [], "dead_links": 0},
)


CREDIT_RE = lazy_compile(r"(©|&copy;|\(c\)|copyright|designed\s+by|made\s+by|created\s+by|developed\s+by|built\s+by|"
                       r"theme\s+by|template\s+by|powered\s+by|crafted\s+by|design\s+by|coded\s+by)", re.I)


def credit_link(f: PageFacts, lk: Link) -> bool:
    """A link in a credits line ("Designed by X", "© 2024 X") names the author, not the company."""
    if lk.region != "footer" and "footer" not in lk.selector:
        return False
    for line in f.text.get("footer", "").splitlines():
        if lk.text and lk.text in line and CREDIT_RE.search(line):
            return True
    return False


def company_link(lk: Link) -> bool:
    """A link that presents the company's own account: in the header, navigation or footer,
    or marked as a social icon / "follow us" link. Profiles linked from running content
    (team members, sponsors, testimonials) are other people's."""
    if lk.region in ("header", "nav", "footer"):
        return True
    return bool(social_hint(lk.text, lk.hints) or re.search(r"\b(follow|join|find)\s+us\b", lk.text, re.I))


@per_run
def social_links(ctx: Context) -> tuple[list[dict[str, str]], list[tuple[str, Evidence, Cause | None]],
                                        list[tuple[str, Evidence]]]:
    """(profiles, dead social links, links to a network's home page)."""
    profiles: dict[tuple[str, str], dict[str, str]] = {}
    dead: list[tuple[str, Evidence, Cause | None]] = []
    homes: list[tuple[str, Evidence]] = []
    for f in ctx.facts():
        for lk in f.links:
            if lk.dead:
                net = social_hint(lk.text, lk.hints)
                if net:
                    dead.append((net, _evidence(f, lk), ctx.link_cause(lk)))
                continue
            if not lk.url:
                continue
            net = network_of(lk.url)
            if net is None:
                continue
            if credit_link(f, lk) or not company_link(lk):
                continue
            if is_profile(lk.url):
                url = profile_url(lk.url)
                profiles.setdefault((net, url.lower()), {"network": net, "url": url})
            else:
                homes.append((net, _evidence(f, lk)))
    return sorted(profiles.values(), key=lambda d: (d["network"], d["url"])), dead, homes


def _evidence(f: PageFacts, lk: Link) -> Evidence:
    """A link as a finding shows it (made only for the links a finding names)."""
    return Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>'[:200])


class SocialProfiles(Probe):
    id = "social.profiles"
    touchpoint = "social"
    title = "Social profiles are linked"
    failure_title = "No social profile is linked"
    description = """
Customers check a company's social presence to see it is alive and how it treats people.
Found: links to an account on a known network (Facebook, X/Twitter, Instagram, LinkedIn,
YouTube, TikTok, GitHub, Mastodon, ...). A link to a network's home page
(https://www.facebook.com/) or a share dialog is not a profile. Score: a profile 1.0, none 0.4.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        profiles, dead, homes = social_links(ctx)
        issues = []
        if homes:
            issues.append(issue("social-home-link", "Social icon links to the network, not to a profile",
                                "The link opens the network's home page instead of your account.",
                                evidence=[ev for _n, ev in homes]))
        if not profiles:
            issues.append(issue("no-social-profile", "No social profile is linked",
                                f"No link to an account on a social network was found ({ctx.not_found_reason()}).",
                                severity="info", evidence=[Evidence(url=ctx.site.start_url)]))
        score = 1.0 if profiles else 0.4
        if profiles and homes:
            score = 0.8
        return outcome(score, issues, {"profiles": profiles})


class SocialDeadLinks(Probe):
    id = "social.dead_links"
    touchpoint = "social"
    title = "Social icons lead to profiles"
    failure_title = "Social icons go nowhere"
    description = """
A row of social icons whose links are "#" promises a community and delivers nothing.
Checked: links whose icon or text names a network and that go nowhere (#, #!, empty,
javascript:void(0)). The fact `dead_links` counts distinct networks with a dead link.
Score 1.0 with none, else 0.3.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        _p, dead, _h = social_links(ctx)
        facts = {"dead_links": len({net for net, _ev, _cause in dead})}
        if not dead:
            return outcome(1.0, (), facts)
        issues = [issue("dead-social-link", f"{network_title(net)} link goes nowhere",
                        f"The {network_title(net)} icon or link has no profile behind it.", severity="warning", key=net, evidence=[ev],
                        cause=cause)
                  for net, ev, cause in dead]
        return outcome(0.3, issues, facts)


class SocialMeta(Probe):
    id = "social.meta"
    touchpoint = "social"
    title = "Pages carry Open Graph metadata for sharing"
    failure_title = "Pages lack Open Graph metadata, so shared links look broken"
    description = """
When a customer shares a page, Open Graph and Twitter card tags decide the title, text and
image people see. Checked: og:title (or twitter:title) present and not empty on the start
page and others; an og:title that is template text ("Title of the project") is reported.
Score = share of pages with a non-empty og:title.
"""
    weight = 0.5

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        ok = 0
        missing = []
        for f in pages:
            title = f.social_meta.get("og:title") or f.social_meta.get("twitter:title") or ""
            if title.strip() and "title of the" not in title.lower():
                ok += 1
            else:
                missing.append(Evidence(url=f.url, snippet=title))
        issues = []
        if missing:
            # Share previews fall back to the <title>: what is lost is the chosen title,
            # description and image, not the title itself.
            untitled = {ev.url for ev in missing}
            titled = all(f.title.strip() for f in pages if f.url in untitled)
            message = ("Shared links to this page fall back to its <title>, with no chosen description or image."
                       if titled else "Shared links to this page show no proper title.")
            issues.append(issue("no-og-title", "Page has no Open Graph title", message, severity="info", evidence=missing))
        return outcome(ok / len(pages), issues)


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (SocialProfiles, SocialDeadLinks, SocialMeta):
        register(cls())
