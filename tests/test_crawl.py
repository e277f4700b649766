"""The crawl gatherer over real loopback HTTP (cxprobe/crawl/).

Each test fills the ``http_site`` server with pages, crawls it with the real crawler
and asserts on the Site artifact and on the requests the server saw.
"""

from __future__ import annotations

import time

import pytest

from cxprobe.crawl import USER_AGENT, Crawler, CrawlOptions, crawl
from cxprobe.model import Site

pytestmark = pytest.mark.usefixtures("quick_teardown")


def page(title: str, *links: str, extra: str = "") -> str:
    body = " ".join(f'<a href="{href}">{href}</a>' for href in links)
    return f"<!doctype html><html><head><title>{title}</title>{extra}</head><body><h1>{title}</h1>{body}</body></html>"


def paths(site: Site, origin: str) -> list[str]:
    return sorted(p.url.replace(origin, "") for p in site.ok_pages)


def opts(**kw: object) -> CrawlOptions:
    kw.setdefault("timeout", 5.0)
    kw.setdefault("deadline", 30.0)
    return CrawlOptions(**kw)  # type: ignore[arg-type]


def test_breadth_first_depths_and_graph(http_site) -> None:
    http_site.page("/", page("Home", "/a", "/b"))
    http_site.page("/a", page("A", "/c", "/b"))
    http_site.page("/b", page("B", "/"))
    http_site.page("/c", page("C", "/d"))
    http_site.page("/d", page("D"))
    site = crawl(http_site.url("/"), opts())
    o = http_site.origin
    assert paths(site, o) == ["/", "/a", "/b", "/c", "/d"]
    assert {u.replace(o, ""): d for u, d in site.depths.items()} == {"/": 0, "/a": 1, "/b": 1, "/c": 2, "/d": 3}
    assert site.graph[o + "/a"] == (o + "/b", o + "/c")
    assert site.stats.pages == 5 and site.stats.truncated is None and site.stats.max_depth_reached == 3
    assert site.stats.not_fetched == 0
    # every page fetched exactly once
    assert sorted(h for h in http_site.hits if h in ("/", "/a", "/b", "/c", "/d")) == ["/", "/a", "/b", "/c", "/d"]


def test_dir_and_dir_index_html_are_one_page(http_site) -> None:
    http_site.page("/", page("Home", "/docs/", "/docs/index.html", "/index.html", "/#top"))
    http_site.page("/docs/", page("Docs"))
    http_site.page("/docs/index.html", page("Docs"))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/docs/"]
    assert "/docs/index.html" not in http_site.hits
    assert http_site.hits.count("/") == 1


def test_same_origin_canonical_link_is_honoured(http_site) -> None:
    http_site.page("/", page("Home", "/pricing", "/pricing-old"))
    http_site.page("/pricing", page("Pricing"))
    http_site.page("/pricing-old", page("Pricing", extra=f'<link rel="canonical" href="{http_site.url("/pricing")}">'))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/pricing"]
    # links to the duplicate point at the canonical page in the graph
    assert http_site.url("/pricing-old") not in site.graph[http_site.url("/")]


def test_canonical_is_honoured_whatever_the_crawl_order(http_site) -> None:
    # "/a-old" sorts (and is fetched) before the page it names
    http_site.page("/", page("Home", "/a-old", "/pricing"))
    http_site.page("/a-old", page("Pricing", "/only-from-old", extra=f'<link rel="canonical" href="{http_site.url("/pricing")}">'))
    http_site.page("/pricing", page("Pricing"))
    http_site.page("/only-from-old", page("Deep"))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/only-from-old", "/pricing"]
    assert site.depths[http_site.url("/pricing")] == 1


def test_a_canonical_that_names_a_different_page_is_ignored(http_site) -> None:
    # a misconfigured site: every page says the home page is its canonical URL
    home = f'<link rel="canonical" href="{http_site.url("/")}">'
    http_site.page("/", page("Home", "/contact", "/pricing", extra=home))
    http_site.page("/contact", page("Contact", extra=home))
    http_site.page("/pricing", page("Pricing", extra=home))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/contact", "/pricing"]


def test_cross_origin_canonical_is_not_followed(http_site) -> None:
    http_site.page("/", page("Home", "/a"))
    http_site.page("/a", page("A", extra='<link rel="canonical" href="https://elsewhere.example/a">'))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/a"]


def test_tracking_parameters_and_fragments_do_not_make_new_pages(http_site) -> None:
    http_site.page("/", page("Home", "/a?utm_source=x", "/a#team", "/a?utm_medium=y&gclid=1"))
    http_site.page("/a", page("A"))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/a"]
    assert [h for h in http_site.hits if h.startswith("/a")] == ["/a"]


def test_failures_are_recorded_on_pages_never_raised(http_site) -> None:
    http_site.page("/", page("Home", "/gone", "/boom", "/loop1", "/brochure", "/moved", "/data"))
    http_site.page("/gone", "nope", status=404)
    http_site.page("/boom", "oops", status=500)
    http_site.redirect("/loop1", "/loop2")
    http_site.redirect("/loop2", "/loop1")
    http_site.page("/brochure", b"%PDF-1.4", content_type="application/pdf")
    http_site.redirect("/moved", "/new")
    http_site.page("/new", page("New"))
    http_site.page("/data", b"\x00\x01\x02", content_type="")
    site = crawl(http_site.url("/"), opts())
    by = {p.url.replace(http_site.origin, ""): p for p in site.pages}
    assert (by["/gone"].status, by["/gone"].error) == (404, "http_error")
    assert (by["/boom"].status, by["/boom"].error) == (500, "http_error")
    assert by["/loop1"].error == "redirect_loop"
    assert by["/brochure"].error == "not_html"
    assert by["/data"].error == "not_html"
    # a redirected link is kept once, under the URL it arrives at
    assert "/moved" not in by and by["/new"].ok and by["/new"].redirects == (http_site.url("/moved"),)
    assert sorted(p.url.replace(http_site.origin, "") for p in site.broken_pages) == ["/boom", "/gone", "/loop1"]
    assert site.stats.errors == 5
    assert paths(site, http_site.origin) == ["/", "/new"]


def test_a_redirect_and_its_target_in_one_level_are_one_page(http_site) -> None:
    http_site.page("/", page("Home", "/a-old", "/b-new", "/z-old"))
    http_site.redirect("/a-old", "/b-new")
    http_site.redirect("/z-old", "/b-new")
    http_site.page("/b-new", page("New", "/c"))
    http_site.page("/c", page("C"))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/b-new", "/c"]
    assert site.depths[http_site.url("/b-new")] == 1
    assert site.graph[http_site.url("/")] == (http_site.url("/b-new"),)


def test_links_that_redirect_off_site_are_external_links(http_site, second_site) -> None:
    second_site.page("/profile", page("Someone else's page", "mailto:not-us@else.test"))
    http_site.page("/", page("Home", "/go/social"))
    http_site.redirect("/go/social", second_site.url("/profile"))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/"]
    hop = site.page(http_site.url("/go/social"))
    assert hop is not None and not hop.ok and hop.error is None and hop.final_url == second_site.url("/profile")
    assert site.broken_pages == ()
    assert second_site.hits == []


def test_too_many_redirects(http_site) -> None:
    http_site.page("/", page("Home", "/r0"))
    for i in range(5):
        http_site.redirect(f"/r{i}", f"/r{i + 1}")
    http_site.page("/r5", page("End"))
    site = crawl(http_site.url("/"), opts(max_redirects=3))
    assert site.page(http_site.url("/r0")).error == "too_many_redirects"
    assert "/r5" not in http_site.hits


def test_page_over_the_size_cap_is_too_large_and_the_crawl_goes_on(http_site) -> None:
    big = page("Big", extra="<!--" + "x" * 50_000 + "-->")
    http_site.page("/", page("Home", "/big", "/small"))
    http_site.page("/big", big)
    http_site.page("/small", page("Small"))
    site = crawl(http_site.url("/"), opts(max_bytes=20_000))
    assert site.page(http_site.url("/big")).error == "too_large"
    assert site.page(http_site.url("/small")).ok
    assert paths(site, http_site.origin) == ["/", "/small"]


def test_max_pages_caps_pages_kept_and_counts_what_was_left(http_site) -> None:
    http_site.page("/", page("Home", *[f"/p{i}" for i in range(10)]))
    for i in range(10):
        http_site.page(f"/p{i}", page(f"P{i}", f"/deep{i}"))
    site = crawl(http_site.url("/"), opts(max_pages=4))
    assert site.stats.pages == 4 == len(site.ok_pages)
    assert site.stats.truncated == "max_pages"
    assert site.stats.not_fetched >= 7
    assert len(site.unfetched) == site.stats.not_fetched
    # the bound is on requests too, not only on what is kept
    assert len([h for h in http_site.hits if h.startswith(("/p", "/deep"))]) <= 4 + 8


def test_max_depth(http_site) -> None:
    http_site.page("/", page("Home", "/1"))
    http_site.page("/1", page("One", "/2"))
    http_site.page("/2", page("Two", "/3"))
    http_site.page("/3", page("Three"))
    site = crawl(http_site.url("/"), opts(max_depth=1))
    assert paths(site, http_site.origin) == ["/", "/1"]
    assert site.stats.truncated == "max_depth" and site.stats.not_fetched == 1
    assert "/2" not in http_site.hits
    zero = crawl(http_site.url("/"), opts(max_depth=0))
    assert paths(zero, http_site.origin) == ["/"] and zero.stats.truncated == "max_depth"


def test_deadline_stops_the_crawl(http_site, request_log) -> None:
    http_site.page("/", page("Home", *[f"/slow{i}" for i in range(6)], "/fast"))
    for i in range(6):
        http_site.page(f"/slow{i}", page(f"Slow {i}", f"/slow-next{i}"))
    http_site.page("/fast", page("Fast"))
    t = time.monotonic()
    site = crawl(http_site.url("/"), opts(deadline=1.0, concurrency=2, timeout=5.0))
    assert time.monotonic() - t < 5
    assert site.stats.truncated == "deadline"
    assert site.stats.not_fetched >= 1


def test_only_get_and_head_and_never_destructive_links(http_site, request_log) -> None:
    http_site.page("/", page("Home", "/logout", "/account/delete", "/cart/add?sku=1", "/add-to-cart/3",
                             "/unsubscribe", "/safe",
                             extra="") + '<form method="post" action="/subscribe"><input type="email" name="e"></form>')
    http_site.page("/safe", page("Safe"))
    crawl(http_site.url("/"), opts())
    methods = {m for m, _, _ in request_log}
    assert methods <= {"GET", "HEAD"}
    requested = [p for _, p, _ in request_log]
    for bad in ("/logout", "/account/delete", "/cart/add", "/add-to-cart/3", "/unsubscribe", "/subscribe"):
        assert not any(r.startswith(bad) for r in requested), bad
    assert "/safe" in requested


def test_honest_user_agent_with_version(http_site, request_log) -> None:
    http_site.page("/", page("Home"))
    crawl(http_site.url("/"), opts())
    agents = {h.get("user-agent") for _, _, h in request_log}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith("cxprobe/")


def test_extra_headers_go_only_to_the_named_origin(http_site, request_log, second_site) -> None:
    # another port is another origin, so the second site is out of scope
    other = second_site
    other_log: list[dict[str, str]] = []
    serve = other.handler.do_GET

    def handle(self) -> None:  # noqa: ANN001
        other_log.append({k.lower(): v for k, v in self.headers.items()})
        serve(self)

    other.handler.do_GET = handle
    other.page("/landing", page("Landing"))
    http_site.page("/", page("Home", "/a", "/out", other.url("/direct")))
    http_site.page("/a", page("A"))
    http_site.redirect("/out", other.url("/landing"))
    crawl(http_site.url("/"), opts(headers=(("X-Staging-Token", "s3cret"),)))
    mine = [(p, h) for m, p, h in request_log]
    assert mine and all(h.get("x-staging-token") == "s3cret" for _, h in mine)
    # the off-site link is never crawled, nor is a redirect that leaves the site followed
    assert all("x-staging-token" not in h for h in other_log)
    assert other.hits == []


def test_allow_host_include_and_exclude(http_site, second_site) -> None:
    other = second_site
    other.page("/blog", page("Blog"))
    http_site.page("/", page("Home", "/docs/a", "/docs/print/a", "/shop/x", other.url("/blog")))
    for p in ("/docs/a", "/docs/print/a", "/shop/x"):
        http_site.page(p, page(p))
    base = crawl(http_site.url("/"), opts())
    assert paths(base, http_site.origin) == ["/", "/docs/a", "/docs/print/a", "/shop/x"]
    assert other.hits == []
    allowed = crawl(http_site.url("/"), opts(allow_hosts=(other.origin.split("//")[1],)))
    assert other.url("/blog") in {p.url for p in allowed.ok_pages}
    included = crawl(http_site.url("/"), opts(include=("/docs/*",)))
    assert paths(included, http_site.origin) == ["/", "/docs/a", "/docs/print/a"]
    excluded = crawl(http_site.url("/"), opts(exclude=("*/print/*", "/shop/*")))
    assert paths(excluded, http_site.origin) == ["/", "/docs/a"]


def test_start_redirect_defines_the_scope_by_the_final_origin(http_site, second_site) -> None:
    final = second_site
    final.page("/home", page("Home", "/about", http_site.url("/old-about")))
    final.page("/about", page("About"))
    http_site.redirect("/", final.url("/home"))
    http_site.page("/old-about", page("Old"))
    site = crawl(http_site.url("/"), opts())
    assert site.start_url == final.url("/home")
    assert site.origin == final.origin
    assert sorted(p.url for p in site.ok_pages) == [final.url("/about"), final.url("/home")]
    # the first origin is out of scope once the start page left it
    assert "/old-about" not in http_site.hits


def test_start_redirect_keeps_credentials_with_the_origin_typed(http_site, request_log, second_site) -> None:
    import asyncio

    final = second_site
    final.page("/home", page("Home", "/about"))
    final.page("/about", page("About"))
    http_site.redirect("/", final.url("/home"))
    crawler = Crawler(http_site.url("/"), opts(headers=(("X-Staging-Token", "s3cret"),)))
    site = asyncio.run(crawler.run())
    # audited where it went, credentials only where they were meant to go
    assert sorted(p.url for p in site.ok_pages) == [final.url("/about"), final.url("/home")]
    assert [h.get("x-staging-token") for _, p, h in request_log] == ["s3cret", "s3cret"]  # robots.txt and /
    assert crawler.headers_for(final.url("/about")).get("X-Staging-Token") is None
    netloc = final.origin.split("//", 1)[1]
    assert crawler.notes == [f"the start page redirected to {final.origin}; --header values were not sent there: "
                             f"add --allow-host {netloc} to send them"]
    # named with --allow-host, the other origin gets them and no note is needed
    allowed = Crawler(http_site.url("/"), opts(headers=(("X-Staging-Token", "s3cret"),), allow_hosts=(netloc,)))
    asyncio.run(allowed.run())
    assert allowed.headers_for(final.url("/about")).get("X-Staging-Token") == "s3cret" and allowed.notes == []


def test_sitemap_redirects_are_followed_within_bounds(http_site) -> None:
    http_site.redirect("/sitemap.xml", "/maps/main.xml", status=301)
    http_site.page("/maps/main.xml", "<urlset><url><loc>lost</loc></url></urlset>", content_type="application/xml")
    http_site.page("/", page("Home"))
    http_site.page("/maps/lost", page("Lost"))
    site = crawl(http_site.url("/"), opts())
    # a relative <loc> is read against the URL that answered, after its redirects
    assert [p.url for p in site.orphan_pages] == [http_site.url("/maps/lost")]
    assert http_site.hits[:4] == ["/robots.txt", "/", "/sitemap.xml", "/maps/main.xml"]
    assert site.stats.fetched == 5


def test_robots_txt_cut_at_max_bytes_keeps_the_rules_that_fit(http_site) -> None:
    import asyncio

    rules = "User-agent: *\nDisallow: /private\n" + "# padding\n" * 200 + "Disallow: /late\n"
    http_site.page("/robots.txt", rules, content_type="text/plain")
    http_site.page("/", page("Home", "/private/a", "/late", "/public"))
    for p in ("/private/a", "/late", "/public"):
        http_site.page(p, page(p))
    crawler = Crawler(http_site.url("/"), opts(max_bytes=1000))
    site = asyncio.run(crawler.run())
    assert paths(site, http_site.origin) == ["/", "/late", "/public"]
    assert crawler.notes == [f"robots.txt of {http_site.origin} is larger than 1000 bytes: "
                             "only the rules within that size were read"]


def test_start_redirect_to_another_path(http_site) -> None:
    http_site.redirect("/", "/en/")
    http_site.page("/en/", page("Home", "/en/about"))
    http_site.page("/en/about", page("About"))
    site = crawl(http_site.url("/"), opts())
    assert site.start_url == http_site.url("/en/")
    assert paths(site, http_site.origin) == ["/en/", "/en/about"]
    assert site.depths[http_site.url("/en/about")] == 1


def test_sitemap_seeding_finds_unreachable_pages_without_judging_them(http_site) -> None:
    o = http_site.origin
    http_site.page("/", page("Home", "/a"))
    http_site.page("/a", page("A"))
    http_site.page("/hidden", page("Hidden"))
    http_site.page("/sitemap.xml", f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>{o}/</loc></url><url><loc>{o}/a</loc></url><url><loc>{o}/hidden</loc></url>
      <url><loc>https://elsewhere.example/x</loc></url></urlset>""", content_type="application/xml")
    site = crawl(http_site.url("/"), opts())
    assert paths(site, o) == ["/", "/a"]
    assert [p.url for p in site.orphan_pages] == [o + "/hidden"]
    assert o + "/hidden" not in site.depths


def test_one_page_whatever_the_spelling_of_its_path(http_site) -> None:
    http_site.page("/", '<html><title>Home</title><body><a href="our team.html">Team</a> '
                        '<a href="caf%c3%a9.html">Cafe</a></body></html>')
    http_site.page("/our%20team.html", page("Team"))
    http_site.page("/caf%C3%A9.html", page("Cafe"))
    http_site.page("/sitemap.xml", f"<urlset><url><loc>{http_site.url('/our%20team.html')}</loc></url>"
                                   f"<url><loc>{http_site.url('/café.html')}</loc></url></urlset>")
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/caf%C3%A9.html", "/our%20team.html"]
    assert site.orphan_pages == ()


def test_site_relative_sitemap_locations_are_resolved(http_site) -> None:
    http_site.page("/", page("Home"))
    http_site.page("/lost", page("Lost"))
    http_site.page("/robots.txt", "Sitemap: /maps/site.xml\n", content_type="text/plain")
    http_site.page("/maps/site.xml", "<urlset><url><loc>/</loc></url><url><loc>../lost?a=1&amp;b=2</loc></url></urlset>",
                   content_type="application/xml")
    http_site.page("/lost?a=1&b=2", page("Lost"))
    site = crawl(http_site.url("/"), opts())
    assert [p.url for p in site.orphan_pages] == [http_site.url("/lost?a=1&b=2")]


def test_robots_txt_is_honoured_unless_ignored(http_site) -> None:
    http_site.page("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    http_site.page("/", page("Home", "/private/x", "/public"))
    http_site.page("/private/x", page("Private"))
    http_site.page("/public", page("Public"))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/public"]
    assert site.stats.robots_blocked == 1
    assert site.page(http_site.url("/private/x")).error == "robots"
    assert "/private/x" not in http_site.hits
    ignored = crawl(http_site.url("/"), opts(ignore_robots=True))
    assert paths(ignored, http_site.origin) == ["/", "/private/x", "/public"]


def test_robots_txt_is_read_even_when_ignored(http_site) -> None:
    # Not honoured, but read: what it tells search engines is judged on every target.
    http_site.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    http_site.page("/", page("Home", "/a"))
    http_site.page("/a", page("A"))
    site = crawl(http_site.url("/"), opts(ignore_robots=True))
    assert paths(site, http_site.origin) == ["/", "/a"] and site.stats.robots_blocked == 0
    assert site.robots is not None and site.robots.url == http_site.url("/robots.txt")
    assert not site.robots.allows(http_site.url("/a"), "Googlebot") and not site.robots.allows(http_site.url("/a"))
    assert http_site.hits[0] == "/robots.txt"
    # no robots.txt (404): nothing to judge
    http_site.handler.routes.pop("/robots.txt")
    assert crawl(http_site.url("/"), opts(ignore_robots=True)).robots is None


def test_an_unreachable_host_is_tried_once_when_robots_is_ignored() -> None:
    site = crawl("http://127.0.0.1:9/", opts(timeout=2.0, ignore_robots=True))
    assert site.ok_pages == () and site.pages[0].error in ("connect", "timeout")
    assert site.stats.fetched == 1  # robots.txt found no connection: the start page is not asked again


def test_robots_disallowing_everything_blocks_the_start_page(http_site) -> None:
    http_site.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    http_site.page("/", page("Home", "/a"))
    http_site.page("/a", page("A"))
    site = crawl(http_site.url("/"), opts())
    assert site.ok_pages == ()
    assert site.pages[0].error == "robots" and site.stats.robots_blocked == 1
    # robots.txt is read before any page is requested
    assert http_site.hits == ["/robots.txt"]


def test_unreachable_host_is_recorded(http_site) -> None:
    site = crawl("http://127.0.0.1:9/", opts(timeout=2.0))
    assert site.ok_pages == ()
    assert site.pages[0].error in ("connect", "timeout")
    # robots.txt failed to connect: the host is down, which says more than "robots.txt disallows"
    assert site.stats.robots_blocked == 0 and site.stats.errors == 1


def test_deadline_covers_the_start_page(http_site, request_log) -> None:
    http_site.page("/slow", page("Slow"))
    t = time.monotonic()
    site = crawl(http_site.url("/slow"), opts(deadline=0.5, timeout=30.0, ignore_robots=True))
    assert time.monotonic() - t < 3  # /slow answers after 1.5 s: the deadline cut it at 0.5 s
    assert site.pages[0].error == "timeout" and "deadline" in site.pages[0].error_detail


@pytest.mark.parametrize("href", ["http://127.0.0.1:99999/x", "http://[bad/x"])
def test_invalid_link_urls_never_break_the_crawl(http_site, href: str) -> None:
    http_site.page("/", page("Home", href, "/a"))
    http_site.page("/a", page("A"))
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/a"]


def test_invalid_utf8_and_wrong_charset_pages_are_pages(http_site) -> None:
    http_site.page("/", page("Home", "/bad", "/wrong"))
    http_site.page("/bad", b"<html><title>Bad</title><body><p>caf\xe9 \xff ok</p></body></html>")
    http_site.page("/wrong", "<html><title>Wrong</title><body><p>café</p></body></html>".encode(),
                   content_type="text/html; charset=no-such-charset")
    site = crawl(http_site.url("/"), opts())
    assert paths(site, http_site.origin) == ["/", "/bad", "/wrong"]
    assert "café" in site.page(http_site.url("/wrong")).facts.all_text


# ----------------------------------------------------------------- the site's own scripts
MAIN_JS = """(function () {
  async function loadPartial(url, selector) {
    var response = await fetch(url);
    document.querySelector(selector).insertAdjacentHTML('afterend', await response.text());
  }
  var base = './', suffix = '';
  Promise.all([loadPartial(base + 'partials/header' + suffix + '.html', '[data-partial="header"]')]);
  document.querySelectorAll('.open-contact').forEach(function (b) {
    b.addEventListener('click', function () { document.getElementById('modal').hidden = false; });
  });
  form.addEventListener('submit', function () { window.location.href = 'thanks.html'; });
})();"""


def test_partials_a_script_loads_are_the_pages_links(http_site) -> None:
    o = http_site.origin
    http_site.page("/", page("Home", extra='<script src="/js/main.js"></script>')
                   .replace("</body>", '<div data-partial="header"></div>'
                                       "<script>fetch('/partials/footer.html').then(r => r.text())"
                                       ".then(h => document.body.insertAdjacentHTML('beforeend', h));</script></body>"))
    http_site.page("/js/main.js", MAIN_JS, content_type="text/javascript")
    # Inserted into "/", a partial's links resolve against "/", not against /partials/.
    http_site.page("/partials/header.html", '<nav><a href="impressum.html">Impressum</a></nav>')
    http_site.page("/partials/footer.html", '<footer><a href="privacy.html">Privacy</a></footer>')
    http_site.page("/impressum.html", page("Impressum"))
    http_site.page("/privacy.html", page("Privacy"))
    # A folder's files are known: the name main.js builds from parts is matched against them.
    known = [o + p for p in ("/", "/partials/header.html", "/partials/footer.html", "/impressum.html", "/privacy.html")]
    site = crawl(http_site.url("/"), opts(sitemap_urls=tuple(known)))
    assert paths(site, o) == ["/", "/impressum.html", "/privacy.html"]
    assert {o + "/impressum.html", o + "/privacy.html"} <= set(site.graph[o + "/"])
    assert site.script_urls == {o + "/partials/footer.html": "included", o + "/partials/header.html": "included",
                                o + "/thanks.html": "opened"}
    # unlinked files of the folder, pieces of pages: journey.reachability does not report them
    assert [p.url for p in site.orphan_pages] == [o + "/partials/footer.html", o + "/partials/header.html"]
    assert "/thanks.html" not in http_site.hits  # opened by a script: recorded, not crawled


def test_a_name_that_may_be_a_partial_is_never_fetched_on_a_guess(http_site) -> None:
    o = http_site.origin
    http_site.page("/", page("Home", extra='<script src="/js/main.js"></script>'))
    http_site.page("/js/main.js", MAIN_JS, content_type="text/javascript")
    http_site.page("/partials/header.html", '<nav><a href="impressum.html">Impressum</a></nav>')
    site = crawl(http_site.url("/"), opts())
    assert paths(site, o) == ["/"]
    assert "/partials/header.html" not in http_site.hits


def test_links_the_sites_scripts_handle_are_controls_and_libraries_are_not_read(http_site) -> None:
    o = http_site.origin
    http_site.page("/", page("Home", "/about").replace(
        "</body>", '<a href="#" class="logo">Acme</a><a href="javascript:void(0)" class="btn open-contact">Contact us</a>'
                   '<a href="#">Loyalty</a><script src="/js/main.js"></script>'
                   '<script src="/vendor/jquery.min.js"></script></body>'))
    http_site.page("/about", page("About").replace("</body>", '<a href="#" class="logo">Acme</a></body>'))
    http_site.page("/js/main.js", MAIN_JS, content_type="text/javascript")
    http_site.page("/vendor/jquery.min.js", "$('.open-contact').on('click', f)", content_type="text/javascript")
    site = crawl(http_site.url("/"), opts())
    home = {lk.text: lk for lk in site.page(o + "/").facts.links}
    assert (home["Contact us"].dead, home["Contact us"].control) == (None, "script")
    assert home["Loyalty"].dead == "hash"
    # the logo written "#" scrolls back to the top of the start page; on another page it does not lead home
    assert (home["Acme"].dead, home["Acme"].control) == (None, "top")
    about = {lk.text: lk for lk in site.page(o + "/about").facts.links}
    assert about["Acme"].dead == "hash"
    assert "/vendor/jquery.min.js" not in http_site.hits and http_site.hits.count("/js/main.js") == 1


def test_reading_ahead_keeps_what_a_level_by_level_crawl_keeps(http_site) -> None:
    # A chain with shortcuts: /c is linked from /b (depth 2) and from /a's child /a1
    # (depth 3); pages of the next level are fetched as soon as a page links to them,
    # but each page keeps the depth of the level that asks for it, and the cap takes
    # the first pages of the sorted level whatever arrived first.
    http_site.page("/", page("Home", "/a", "/b"))
    http_site.page("/a", page("A", "/a1", "/a2"))
    http_site.page("/b", page("B", "/c"))
    http_site.page("/a1", page("A1", "/c", "/d"))
    http_site.page("/a2", page("A2", "/e"))
    for p in ("/c", "/d", "/e"):
        http_site.page(p, page(p.upper(), "/"))
    o = http_site.origin
    full = crawl(http_site.url("/"), opts())
    assert {u.replace(o, ""): d for u, d in full.depths.items()} == {
        "/": 0, "/a": 1, "/b": 1, "/a1": 2, "/a2": 2, "/c": 2, "/d": 3, "/e": 3}
    assert {p.url.replace(o, ""): p.depth for p in full.ok_pages} == {
        "/": 0, "/a": 1, "/b": 1, "/a1": 2, "/a2": 2, "/c": 2, "/d": 3, "/e": 3}
    pages = ("/", "/a", "/b", "/a1", "/a2", "/c", "/d", "/e")
    assert sorted(h for h in http_site.hits if h in pages) == sorted(pages)  # each page once
    others = full.stats.fetched - len(pages)  # robots.txt, the sitemap
    # Cut inside level 2 ("/a1", "/a2", "/c" sorted): the same three pages every time,
    # and crawl.fetched counts only the requests of pages kept.
    for _ in range(3):
        cut = crawl(http_site.url("/"), opts(max_pages=4))
        assert paths(cut, o) == ["/", "/a", "/a1", "/b"]
        assert cut.stats.truncated == "max_pages" and cut.stats.fetched == others + 4
