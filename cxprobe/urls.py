"""URL canonicalisation and classification, shared by the crawler and the extractor."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only track a visit; stripped from canonical URLs.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|gclid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|ref_src|spm)$", re.I
)

#: Links a polite crawler never follows: they change state on a live site.
DESTRUCTIVE = re.compile(
    r"(log-?out|sign-?out|delete|remove|unsubscribe|add-?to-?cart|cart/add|checkout|"
    r"add_to_cart|empty-?cart|destroy|/wp-admin|/admin/)",
    re.I,
)

#: File endings that are not HTML documents; skipped without a request.
NON_HTML_EXT = re.compile(
    r"\.(jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|pdf|zip|gz|tgz|rar|7z|dmg|exe|msi|pkg|"
    r"deb|rpm|apk|mp3|mp4|m4a|wav|ogg|webm|mov|avi|css|js|mjs|json|xml|rss|atom|txt|csv|"
    r"xlsx?|docx?|pptx?|woff2?|ttf|otf|eot|map)$",
    re.I,
)


def canonical(url: str) -> str:
    """Canonical form of an absolute http(s) URL.

    Fragment dropped, scheme and host lower-cased, default port dropped, tracking
    parameters stripped, empty path made ``/`` and ``dir/index.html`` folded into
    ``dir/`` (one page, two spellings).

    Raises ValueError for a URL that cannot be valid (a port out of range, a broken
    IPv6 literal); :func:`is_valid` says so without raising.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = _netloc(scheme, parts.hostname, parts.port)
    path = parts.path or "/"
    path = re.sub(r"/{2,}", "/", path)
    # One spelling per path, as a browser sends it: "sub dir/café" and "sub%20dir/caf%c3%a9"
    # are one page. Existing escapes are kept (an escaped "/" is not a separator).
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    path = re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), path)
    if re.search(r"/index\.(html?|php|aspx?)$", path, re.I):
        path = path[: path.rfind("/") + 1]
    query = ""
    if parts.query:
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if not TRACKING_PARAMS.match(k)]
        query = urlencode(kept)
    return urlunsplit((scheme, netloc, path, query, ""))


def _netloc(scheme: str, hostname: str | None, port: int | None) -> str:
    host = (hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        return f"{host}:{port}"
    return host


def is_valid(url: str) -> bool:
    """True when :func:`canonical` can read the URL (valid port, well-formed host)."""
    try:
        canonical(url)
    except ValueError:
        return False
    return True


def netloc_of(url: str) -> str:
    """``host[:port]`` of a URL, lower-cased, default port dropped: what scope compares."""
    parts = urlsplit(url)
    return _netloc(parts.scheme.lower(), parts.hostname, parts.port)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    c = canonical(f"{parts.scheme}://{parts.netloc}/")
    return c.rstrip("/")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def join(base: str, href: str) -> str:
    """Resolve an href against a base URL (whitespace in the href is tolerated)."""
    return urljoin(base, href.strip())


def is_http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def looks_non_html(url: str) -> bool:
    """True when the URL path ends like a file that is not an HTML document."""
    return bool(NON_HTML_EXT.search(urlsplit(url).path))


def looks_destructive(url: str) -> bool:
    """True for links a crawler must not follow on a live site (logout, delete, cart)."""
    parts = urlsplit(url)
    return bool(DESTRUCTIVE.search(parts.path + "?" + parts.query))


def slug(url: str) -> str:
    """Lower-cased path of a URL, for matching words like 'contact' or 'pricing'."""
    return urlsplit(url).path.lower()
