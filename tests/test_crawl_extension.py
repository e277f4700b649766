"""Growing a finished crawl with pages found later (cxprobe/crawl/extension.py).

The browser gatherer hands :class:`SiteExtension` the links of rendered pages; here the
links are written by hand, so no browser is needed. Each test crawls a real loopback
site first, then extends the Site and asserts on it and on the requests the server saw.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from cxprobe import urls
from cxprobe.crawl import Crawler, CrawlOptions, SiteExtension
from cxprobe.model import Site

pytestmark = pytest.mark.usefixtures("quick_teardown")

#: A page whose links exist only once its script has run: the static crawl sees none (it
#: reads links written whole in a script's strings, not a destination computed at run time).
SHELL = ("<!doctype html><html><head><title>App</title></head><body><div id='root'></div>"
         "<script>var to = ['', 'pricing'].join('/');"
         "document.getElementById('root').innerHTML = '<a href=\"' + to + '\">Pricing</a>';</script>"
         "</body></html>")


def page(title: str, *links: str) -> str:
    body = " ".join(f'<a href="{href}">{href}</a>' for href in links)
    return f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"


def opts(**kw: object) -> CrawlOptions:
    kw.setdefault("timeout", 5.0)
    kw.setdefault("deadline", 30.0)
    return CrawlOptions(**kw)  # type: ignore[arg-type]


def crawled(http_site, options: CrawlOptions) -> Site:  # type: ignore[no-untyped-def]
    return asyncio.run(Crawler(http_site.url("/"), options).run())


def test_a_page_reached_only_through_a_rendered_link_is_fetched_like_a_crawled_one(http_site, request_log) -> None:
    http_site.page("/", SHELL)
    http_site.page("/pricing", page("Pricing", "/plans"))
    http_site.page("/plans", page("Plans"))
    options = opts()
    site = crawled(http_site, options)
    assert [p.url for p in site.ok_pages] == [http_site.url("/")]
    before = len(request_log)

    extension = SiteExtension(site, options)
    home = http_site.url("/")
    links = [http_site.url("/pricing"), http_site.url("/pricing#plans"), http_site.url("/logout"),
             http_site.url("/brochure.pdf"), "http://127.0.0.2:9/elsewhere", "http://[bad/x"]
    # The same page in two viewports: its links are followed once.
    new = asyncio.run(extension.follow([(home, links), (home, links)]))
    assert [p.url for p in new] == [http_site.url("/pricing")]
    assert new[0].found_via == "render" and new[0].depth == 1 and new[0].facts is not None
    # The new page's links are followed in turn, one click deeper.
    deeper = asyncio.run(extension.follow([(p.url, [http_site.url(h) for h in ("/plans", "/")]) for p in new]))
    assert [(p.url, p.depth) for p in deeper] == [(http_site.url("/plans"), 2)]
    assert asyncio.run(extension.follow([(p.url, []) for p in deeper])) == []

    grown = extension.site()
    assert [p.url for p in grown.ok_pages] == [home, http_site.url("/plans"), http_site.url("/pricing")]
    assert grown.depth(http_site.url("/plans")) == 2
    assert http_site.url("/pricing") in grown.graph[home]
    assert grown.graph[http_site.url("/pricing")] == (home, http_site.url("/plans"))
    assert grown.stats.pages == 3 and grown.stats.max_depth_reached == 2
    # Every request counts: robots.txt (read once, at the first fetch) and two pages.
    requested = [path for _, path, _ in request_log[before:]]
    assert requested == ["/robots.txt", "/pricing", "/plans"]
    assert grown.stats.fetched == site.stats.fetched + 3
    # Never a destructive link, a file, another origin or a broken URL.
    assert "/logout" not in http_site.hits and "/brochure.pdf" not in http_site.hits


def test_max_pages_bounds_the_extension(http_site) -> None:
    http_site.page("/", SHELL)
    http_site.page("/pricing", page("Pricing"))
    options = opts(max_pages=1)
    site = crawled(http_site, options)
    extension = SiteExtension(site, options)
    assert asyncio.run(extension.follow([(http_site.url("/"), [http_site.url("/pricing")])])) == []
    grown = extension.site()
    assert grown.stats.truncated == "max_pages"
    assert grown.unfetched == (http_site.url("/pricing"),) and grown.stats.not_fetched == 1
    assert "/pricing" not in http_site.hits


def test_max_depth_bounds_the_extension(http_site) -> None:
    http_site.page("/", page("Home", "/a"))
    http_site.page("/a", page("A"))
    http_site.page("/b", page("B"))
    options = opts(max_depth=1)
    site = crawled(http_site, options)
    extension = SiteExtension(site, options)
    assert asyncio.run(extension.follow([(http_site.url("/a"), [http_site.url("/b")])])) == []
    assert extension.site().stats.truncated == "max_depth"
    assert "/b" not in http_site.hits


def test_robots_txt_is_honoured_and_read_once(http_site) -> None:
    http_site.page("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    http_site.page("/", SHELL)
    for path in ("/private/x", "/public", "/more"):
        http_site.page(path, page(path))
    options = opts()
    site = crawled(http_site, options)
    extension = SiteExtension(site, options)
    home = http_site.url("/")
    new = asyncio.run(extension.follow([(home, [http_site.url("/private/x"), http_site.url("/public")])]))
    assert [p.url for p in new] == [http_site.url("/public")]
    asyncio.run(extension.follow([(home, [http_site.url("/more")])]))
    assert "/private/x" not in http_site.hits
    assert http_site.hits.count("/robots.txt") == 2  # once by the crawl, once by the extension
    ignored = SiteExtension(site, opts(ignore_robots=True))
    assert [p.url for p in asyncio.run(ignored.follow([(home, [http_site.url("/private/x")])]))] == [
        http_site.url("/private/x")]


def test_the_runs_deadline_bounds_the_extension(http_site) -> None:
    http_site.page("/", SHELL)
    http_site.page("/pricing", page("Pricing"))
    options = opts(deadline=5.0)
    site = crawled(http_site, options)
    hits = len(http_site.hits)
    # The run began six seconds ago: its five-second deadline has passed.
    extension = SiteExtension(site, options, started=time.monotonic() - 6)
    t = time.monotonic()
    assert asyncio.run(extension.follow([(http_site.url("/"), [http_site.url("/pricing")])])) == []
    assert time.monotonic() - t < 1
    assert extension.site().stats.truncated == "deadline"
    assert len(http_site.hits) == hits  # not a single request


def test_header_values_go_to_the_named_origins_only(http_site, second_site, request_log) -> None:
    """The target typed redirects to another origin: the site is audited there, and the
    pages the extension fetches there get no --header values, unless --allow-host names it."""
    second_site.redirect("/", http_site.url("/"))
    http_site.page("/", SHELL)
    http_site.page("/pricing", page("Pricing"))
    http_site.page("/plans", page("Plans"))
    token = (("X-Staging-Token", "s3cret"),)
    typed = urls.named_origins(second_site.url("/"))
    options = opts(headers=token, named_origins=typed)
    site = asyncio.run(Crawler(second_site.url("/"), options).run())
    assert site.origin == http_site.origin
    before = len(request_log)
    extension = SiteExtension(site, options)
    asyncio.run(extension.follow([(http_site.url("/"), [http_site.url("/pricing")])]))
    allowed = (http_site.origin.split("//", 1)[1],)
    named = SiteExtension(site, opts(headers=token, allow_hosts=allowed,
                                     named_origins=urls.named_origins(second_site.url("/"), allowed)))
    asyncio.run(named.follow([(http_site.url("/"), [http_site.url("/plans")])]))
    sent = [(path, headers.get("x-staging-token")) for _, path, headers in request_log[before:]]
    assert sent == [("/robots.txt", None), ("/pricing", None), ("/robots.txt", "s3cret"), ("/plans", "s3cret")]
    # Without the origins named, the site cannot tell where credentials may go: refused.
    with pytest.raises(ValueError, match="named_origins"):
        SiteExtension(site, opts(headers=token))


def test_a_sitemap_orphan_reached_by_a_rendered_link_joins_the_site(http_site) -> None:
    http_site.page("/", SHELL)
    http_site.page("/pricing", page("Pricing"))
    http_site.page("/sitemap.xml", f"<urlset><url><loc>{http_site.url('/pricing')}</loc></url></urlset>",
                   content_type="application/xml")
    options = opts()
    site = crawled(http_site, options)
    assert [p.url for p in site.orphan_pages] == [http_site.url("/pricing")]
    extension = SiteExtension(site, options)
    new = asyncio.run(extension.follow([(http_site.url("/"), [http_site.url("/pricing")])]))
    assert [(p.url, p.found_via) for p in new] == [(http_site.url("/pricing"), "render")]
    grown = extension.site()
    assert grown.orphan_pages == () and grown.stats.pages == 2


def test_reread_gives_a_javascript_shell_the_facts_of_its_rendered_dom(http_site) -> None:
    http_site.page("/", SHELL)
    options = opts()
    site = crawled(http_site, options)
    home = http_site.url("/")
    unchanged = SiteExtension(site, options)
    asyncio.run(unchanged.follow([(home, [])]))
    assert unchanged.site().pages == site.pages  # nothing new, nothing reread: the same pages
    extension = SiteExtension(site, options)
    extension.reread(home, "<html><head><title>App</title></head><body><h1>Invoices in one click</h1></body></html>")
    extension.reread(http_site.url("/not-a-page"), "<h1>ignored</h1>")
    facts = extension.site().page(home).facts
    assert facts is not None and facts.h1s == ("Invoices in one click",) and facts.js_shell is True


def test_a_reading_made_earlier_is_applied_while_the_pages_facts_are_the_ones_it_read(http_site) -> None:
    # The browser gatherer reads each rendered page on a thread as it is rendered
    # (read_rendered) and applies the readings at the end (reread): a reading is used only
    # while the page still has the facts it read, else the page is read again.
    http_site.page("/", SHELL)
    options = opts()
    site = crawled(http_site, options)
    home = http_site.url("/")
    rendered = "<html><head><title>App</title></head><body><h1>Invoices in one click</h1></body></html>"
    extension = SiteExtension(site, options)
    read = extension.read_rendered(home, rendered)
    assert read is not None and read[0] is site.page(home).facts
    assert extension.read_rendered(http_site.url("/not-a-page"), rendered) is None
    assert extension.site().pages == site.pages  # reading changes nothing
    other = extension.read_rendered(home, rendered.replace("Invoices in one click", "Something else"))
    assert other is not None
    extension.reread(home, rendered, other)  # the facts it read: applied as it is
    assert extension.site().page(home).facts.h1s == ("Something else",)
    stale = (other[1], other[1])  # not the page's facts any more: read again
    extension.reread(home, rendered, stale)  # type: ignore[arg-type]
    assert extension.site().page(home).facts.h1s == ("Invoices in one click",)
