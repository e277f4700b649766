"""journey.search_listing: robots.txt and noindex that keep search engines off the site
(plugins/journey.py), on hand-built sites with a real robots.txt reading (RFC 9309)."""

from __future__ import annotations

import dataclasses

import pytest
from cxprobe_plugins.journey import SearchListing

from cxprobe import RobotsTxt, Site
from cxprobe.testing import ORIGIN, build_site, html_page, page_facts, run_probe

PAGES = {"/": html_page('<h1>Acme</h1><a href="/about.html">About</a> <a href="/pricing.html">Pricing</a>'),
         "/about.html": html_page('<h1>About</h1><a href="/">Home</a>'),
         "/pricing.html": html_page('<h1>Pricing</h1><a href="/">Home</a>')}


def site_with(robots: str | None, pages: dict[str, str] = PAGES) -> Site:
    site = build_site(pages)
    if robots is None:
        return site
    return dataclasses.replace(site, robots=RobotsTxt(url=ORIGIN + "/robots.txt", text=robots))


def kinds(robots: str | None) -> list[tuple[str, str]]:
    return [(i.kind, i.severity) for i in run_probe(SearchListing(), site_with(robots)).issues]


def test_disallowing_everything_to_every_crawler_is_an_error() -> None:
    out = run_probe(SearchListing(), site_with("# staging\nUser-agent: *\nDisallow: /\n"))
    assert out.score == 0.0 and out.facts == {"search_blocked_by": ["robots.txt"]}
    [found] = out.issues
    assert (found.kind, found.severity) == ("robots-shuts-out", "error")
    assert found.title == "robots.txt shuts search engines out of the site"
    assert "Googlebot and Bingbot" in found.message and "or any other page audited" in found.message
    assert [(e.url, e.snippet) for e in found.evidence] == [(ORIGIN + "/robots.txt", "line 3: Disallow: /")]


@pytest.mark.parametrize("robots", [
    None,                                                       # no robots.txt
    "",                                                         # an empty one
    "User-agent: *\nDisallow:\n",                               # an empty Disallow allows everything
    "User-agent: *\nDisallow: /admin/\n",                       # a private corner
    "User-agent: BadBot\nDisallow: /\n",                        # one named crawler shut out: a choice
    "User-agent: GPTBot\nUser-agent: CCBot\nDisallow: /\n\nUser-agent: *\nDisallow:\n",
    "User-agent: Googlebot-Image\nDisallow: /\n",               # another crawler than Googlebot
    "User-agent: *\nDisallow: /\nAllow: /\n",                   # same length: Allow wins the tie
    # every crawler but the search engines' own: Google and Bing still list the site
    "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nUser-agent: Bingbot\nAllow: /\n",
])
def test_robots_that_leave_search_engines_the_site_are_no_finding(robots: str | None) -> None:
    out = run_probe(SearchListing(), site_with(robots))
    assert out.score == 1.0 and out.issues == () and out.facts == {"search_blocked_by": []}


def test_google_and_bing_named_one_by_one_are_every_search_engine() -> None:
    assert kinds("User-agent: Googlebot\nDisallow: /\n\nUser-agent: bingbot\nDisallow: /\n") == \
        [("robots-shuts-out", "error")]
    # only Google: Bing still lists the site, and the owner chose so
    assert kinds("User-agent: Googlebot\nDisallow: /\n") == []


def test_the_longest_rule_wins_and_allow_overrides_disallow() -> None:
    # The start page stays open (Allow: /$ is longer than Disallow: /; Google reads
    # Allow: /index.html as allowing its folder too), but no other page does.
    for robots in ("User-agent: *\nDisallow: /\nAllow: /$\n", "User-agent: *\nDisallow: /\nAllow: /index.html\n"):
        out = run_probe(SearchListing(), site_with(robots))
        [found] = out.issues
        assert (found.kind, found.severity, out.score) == ("robots-start-page-only", "warning", 0.5), robots
        assert "none of the other 2 pages audited" in found.message
        assert found.evidence[0].snippet == "line 2: Disallow: /"
    # the start page alone is shut out: an error, but the rest of the site can be listed
    out = run_probe(SearchListing(), site_with("User-agent: *\nDisallow: /$\n"))
    [found] = out.issues
    assert found.title == "robots.txt keeps search engines off the start page" and found.severity == "error"
    assert "its home page" in found.message and "any other page" not in found.message
    # a longer Allow for the pages that matter opens them again
    assert kinds("User-agent: *\nDisallow: /\nAllow: /$\nAllow: /about.html\n") == []


def test_the_evidence_names_only_the_rules_search_engines_follow() -> None:
    robots = ("User-agent: BadBot\nDisallow: /\n\n"
              "User-agent: Googlebot\nUser-agent: Bingbot\nDisallow: /private/\nDisallow: /   # launch on Monday\n")
    [found] = run_probe(SearchListing(), site_with(robots)).issues
    assert found.evidence[0].snippet == "line 7: Disallow: /"


def test_a_one_page_site_shut_out_is_shut_out_of_the_site() -> None:
    site = site_with("User-agent: *\nDisallow: /\n", {"/": html_page("<h1>Acme</h1>")})
    [found] = run_probe(SearchListing(), site).issues
    assert found.title == "robots.txt shuts search engines out of the site"
    assert "or any other page audited" not in found.message


def _start_with(html: str, headers: dict[str, str] | None = None) -> Site:
    site = build_site({"/": html, "/about.html": PAGES["/about.html"]})
    start = site.pages[0]
    facts = page_facts(html, start.url, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})
    return dataclasses.replace(site, pages=(dataclasses.replace(start, facts=facts), *site.pages[1:]))


@pytest.mark.parametrize(("head", "headers", "blocked_by"), [
    ('<meta name="robots" content="noindex, nofollow">', {}, ["meta robots"]),
    ('<meta name="ROBOTS" content="NONE">', {}, ["meta robots"]),
    ("", {"X-Robots-Tag": "noindex"}, ["X-Robots-Tag"]),
    ("", {"X-Robots-Tag": "googlebot: noindex, bingbot: noindex"}, ["X-Robots-Tag"]),
    ('<meta name="robots" content="noindex">', {"X-Robots-Tag": "none"}, ["meta robots", "X-Robots-Tag"]),
])
def test_a_start_page_that_says_noindex_is_an_error(head: str, headers: dict[str, str], blocked_by: list[str]) -> None:
    out = run_probe(SearchListing(), _start_with(html_page('<h1>Acme</h1><a href="/about.html">About</a>', head=head), headers))
    [found] = out.issues
    assert (found.kind, found.severity, out.score) == ("noindex", "error", 0.0)
    assert found.title == "The start page asks search engines not to list it"
    assert out.facts == {"search_blocked_by": blocked_by}
    assert all(e.url == ORIGIN + "/" for e in found.evidence) and len(found.evidence) == len(blocked_by)


@pytest.mark.parametrize(("head", "headers"), [
    ('<meta name="robots" content="index, follow">', {}),
    ('<meta name="robots" content="nofollow">', {}),
    ("", {"X-Robots-Tag": "otherbot: noindex"}),                 # one named crawler
    ("", {"X-Robots-Tag": "googlebot: noindex"}),                # Bing still lists it
    ("", {"X-Robots-Tag": "unavailable_after: 25 Jun 2030 15:00:00 PST"}),
])
def test_directives_that_still_let_search_engines_list_the_page(head: str, headers: dict[str, str]) -> None:
    out = run_probe(SearchListing(), _start_with(html_page("<h1>Acme</h1>", head=head), headers))
    assert out.issues == () and out.score == 1.0


def test_noindex_on_another_page_is_no_finding() -> None:
    pages = {**PAGES, "/about.html": html_page('<h1>Thanks</h1><a href="/">Home</a>', head='<meta name="robots" content="noindex">')}
    assert run_probe(SearchListing(), site_with(None, pages)).issues == ()
