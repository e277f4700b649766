"""URL canonicalisation and classification (cxprobe/urls.py)."""

from __future__ import annotations

import pytest

from cxprobe import urls


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # scheme and host lower-cased, default port dropped, fragment dropped
        ("HTTP://Example.COM:80/About#team", "http://example.com/About"),
        ("https://example.com:443", "https://example.com/"),
        # a non-default port is kept
        ("http://127.0.0.1:8123/a", "http://127.0.0.1:8123/a"),
        # dir/ and dir/index.html are one page (and .htm, index.php)
        ("http://example.com/dir/index.html", "http://example.com/dir/"),
        ("http://example.com/dir/INDEX.HTM", "http://example.com/dir/"),
        ("http://example.com/index.php", "http://example.com/"),
        # but a page merely named like an index is not folded
        ("http://example.com/myindex.html", "http://example.com/myindex.html"),
        # doubled slashes collapse
        ("http://example.com//a///b", "http://example.com/a/b"),
        # tracking parameters stripped, the others kept in order
        ("http://example.com/p?utm_source=x&b=2&gclid=3&a=1&fbclid=9", "http://example.com/p?b=2&a=1"),
        ("http://example.com/?utm_campaign=spring", "http://example.com/"),
        ("http://example.com/a?b=&c=1", "http://example.com/a?b=&c=1"),
        # one spelling per path: spaces and non-ASCII escaped, escapes upper-cased
        ("http://example.com/sub dir/café.html", "http://example.com/sub%20dir/caf%C3%A9.html"),
        ("http://example.com/sub%20dir/caf%c3%a9.html", "http://example.com/sub%20dir/caf%C3%A9.html"),
        # an escaped slash is not a path separator: kept
        ("http://example.com/a%2Fb", "http://example.com/a%2Fb"),
        # IPv6 literals keep their brackets
        ("http://[::1]:8000/a", "http://[::1]:8000/a"),
    ],
)
def test_canonical(raw: str, expected: str) -> None:
    assert urls.canonical(raw) == expected


def test_canonical_is_idempotent() -> None:
    for raw in ("HTTP://A.com:80/x/index.html?utm_medium=m&q=1#f", "https://b.org", "http://[::1]:81/"):
        once = urls.canonical(raw)
        assert urls.canonical(once) == once


@pytest.mark.parametrize("bad", ["http://127.0.0.1:99999/x", "http://[bad/x"])
def test_invalid_urls_are_reported_not_mangled(bad: str) -> None:
    assert urls.is_valid(bad) is False
    with pytest.raises(ValueError):
        urls.canonical(bad)


def test_is_valid_accepts_ordinary_urls() -> None:
    assert urls.is_valid("https://example.com/a?b=1")
    assert urls.is_valid("http://127.0.0.1:8080/")


def test_origin_and_host() -> None:
    assert urls.origin("https://A.com:8443/x?y") == "https://a.com:8443"
    assert urls.origin("http://a.com:80/x") == "http://a.com"
    assert urls.host_of("https://WWW.A.com/x") == "www.a.com"
    assert urls.netloc_of("http://A.com:80/x") == "a.com"
    assert urls.netloc_of("http://a.com:8080/x") == "a.com:8080"


def test_join_tolerates_whitespace() -> None:
    assert urls.join("http://a.com/b/c", "  ../d \n") == "http://a.com/d"
    assert urls.join("http://a.com/b/", "x.html") == "http://a.com/b/x.html"


@pytest.mark.parametrize(
    "url",
    [
        "http://a.com/logout", "http://a.com/account/log-out", "http://a.com/signout",
        "http://a.com/items/3/delete", "http://a.com/cart/add?id=3", "http://a.com/add-to-cart/7",
        "http://a.com/?add_to_cart=12", "http://a.com/newsletter/unsubscribe", "http://a.com/wp-admin/",
        "http://a.com/checkout",
    ],
)
def test_destructive_links(url: str) -> None:
    assert urls.looks_destructive(url)


VERBS = ["close", "cancel", "reset", "remove", "unsubscribe", "deactivate", "purge", "logout", "log-out",
         "signout", "sign-out", "delete", "destroy"]


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("shape", [
    "/{v}", "/account/{v}", "/api/{v}?all=1", "/items/3/{v}", "/{v}.php", "/{v}-account", "/{v}_my_account",
    "/account-{v}", "/settings?action={v}", "/settings?{v}=1", "/settings?{v}", "/x?next=/account/{v}",
])
def test_each_stateful_verb_in_paths_and_query_strings(verb: str, shape: str) -> None:
    assert urls.looks_destructive("http://a.com" + shape.format(v=verb))


@pytest.mark.parametrize("url", [
    "http://a.com/account/close", "http://a.com/api/reset?all=1", "http://a.com/deleteAccount",
    "http://a.com/closeAccount", "http://a.com/signOut", "http://a.com/logOut", "http://a.com/deleteaccount",
    "http://a.com/logoutall", "http://a.com/account%2Fclose", "http://a.com/de%6Cete", "http://a.com/logout;jsessionid=1",
    "http://a.com/basket/add/7", "http://a.com/?remove_item=3", "http://a.com/?do=log+out",
])
def test_stateful_spellings(url: str) -> None:
    assert urls.looks_destructive(url)


@pytest.mark.parametrize("url", ["http://a.com/", "http://a.com/catalog", "http://a.com/contact.html",
                                 "http://a.com/pricing?plan=pro", "http://a.com/blog/removals-guide",
                                 # words that contain a verb are not the verb
                                 "http://a.com/cancellation-policy", "http://a.com/refund-and-cancellation",
                                 "http://a.com/closets", "http://a.com/removals-company",
                                 "http://a.com/resetting-expectations-blog-post", "http://a.com/closed-on-sundays",
                                 "http://a.com/blog/deleted-scenes", "http://a.com/disclosure",
                                 # a verb inside a phrase is prose, not an action
                                 "http://a.com/close-up-photography", "http://a.com/how-to-cancel",
                                 "http://a.com/help/can-i-cancel-anytime", "http://a.com/remove-background-tool",
                                 "http://a.com/search?q=how+do+i+cancel+my+plan", "http://a.com/faq#cancel"])
def test_ordinary_links_are_not_destructive(url: str) -> None:
    assert not urls.looks_destructive(url)


def test_named_origins_is_the_target_as_typed_and_allow_host() -> None:
    named = urls.named_origins("https://shop.example.com/start", ["blog.example.com", "api.example.com:8443",
                                                                  "https://cdn.example.net/"])
    assert named.allows("https://shop.example.com/any/path?x=1")
    assert named.allows("https://SHOP.example.com:443/") and named.allows("https://shop.example.com./")
    assert not named.allows("http://shop.example.com/")  # another scheme is another origin
    assert not named.allows("https://www.shop.example.com/") and not named.allows("https://example.com/")
    # a bare host on every port and scheme; host:port on that port; a URL: that origin
    assert named.allows("http://blog.example.com:8080/") and named.allows("https://api.example.com:8443/")
    assert named.allows("http://api.example.com:8443/") and not named.allows("https://api.example.com/")
    assert named.allows("https://cdn.example.net/x.js") and not named.allows("http://cdn.example.net/x.js")
    assert not named.allows("javascript:alert(1)") and not named.allows("http://[bad/")
    # typed http is not its https upgrade: a redirect there is another origin (a note says so)
    assert not urls.named_origins("http://a.com").allows("https://a.com/")
    assert urls.named_origins("http://a.com", ["a.com:80"]).allows("http://a.com/")
    # hosts compared as sent on the wire
    assert urls.named_origins("http://bücher.example/").allows("http://xn--bcher-kva.example/")
    assert urls.named_origins("http://[::1]:8000/").allows("http://[::1]:8000/x")
    assert not urls.named_origins("") and not urls.named_origins("", [" "])


@pytest.mark.parametrize(("value", "entry"), [
    ("shop.example.com", "shop.example.com"), (" Shop.Example.com ", "shop.example.com"),
    ("shop.example.com:8080", "shop.example.com:8080"), ("https://shop.example.com/", "shop.example.com"),
    ("http://shop.example.com:80", "shop.example.com"), ("[::1]:8000", "[::1]:8000"), ("", ""), (":80", ""),
])
def test_allow_host_entries(value: str, entry: str) -> None:
    assert urls.allow_host_entry(value) == entry


def test_non_html_by_extension() -> None:
    assert urls.looks_non_html("http://a.com/brochure.PDF")
    assert urls.looks_non_html("http://a.com/img/logo.svg")
    assert not urls.looks_non_html("http://a.com/page.html")
    assert not urls.looks_non_html("http://a.com/pricing")
    # the extension is read from the path, not the query
    assert not urls.looks_non_html("http://a.com/view?file=a.pdf")


def test_is_http_and_slug() -> None:
    assert urls.is_http("https://a.com") and urls.is_http("http://a.com")
    assert not urls.is_http("mailto:a@b.com") and not urls.is_http("ftp://a.com")
    assert urls.slug("http://a.com/Contact-Us.html?x=1") == "/contact-us.html"
