"""URL canonicalisation and classification, shared by the crawler and the extractor."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only track a visit; stripped from canonical URLs.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|gclid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|ref_src|spm)$", re.I
)

#: File endings that are not HTML documents; skipped without a request.
NON_HTML_EXT = re.compile(
    r"\.(jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|pdf|zip|gz|tgz|rar|7z|dmg|exe|msi|pkg|"
    r"deb|rpm|apk|mp3|mp4|m4a|wav|ogg|webm|mov|avi|css|js|mjs|json|xml|rss|atom|txt|csv|"
    r"xlsx?|docx?|pptx?|woff2?|ttf|otf|eot|map)$",
    re.I,
)


@lru_cache(maxsize=1 << 16)
def canonical(url: str) -> str:
    """Canonical form of an absolute http(s) URL.

    Fragment dropped, scheme and host lower-cased, default port dropped, tracking
    parameters stripped, empty path made ``/`` and ``dir/index.html`` folded into
    ``dir/`` (one page, two spellings).

    Raises ValueError for a URL that cannot be valid (a port out of range, a broken
    IPv6 literal); :func:`is_valid` says so without raising. Pure, so cached: a site's
    menu and footer links recur on every page (about 0.1 ms a URL uncached).
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


@lru_cache(maxsize=1 << 15)
def netloc_of(url: str) -> str:
    """``host[:port]`` of a URL, lower-cased, default port dropped: what scope compares.
    Pure, so cached: the crawl asks it of every link of every page, and a site's menu and
    footer links recur on every page (urlsplit's own cache holds 128 URLs)."""
    parts = urlsplit(url)
    return _netloc(parts.scheme.lower(), parts.hostname, parts.port)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    c = canonical(f"{parts.scheme}://{parts.netloc}/")
    return c.rstrip("/")


@lru_cache(maxsize=1 << 15)
def host_of(url: str) -> str:
    """The host of a URL, lower-cased ("" when it has none). Pure, so cached."""
    return (urlsplit(url).hostname or "").lower()


def join(base: str, href: str) -> str:
    """Resolve an href against a base URL (whitespace in the href is tolerated)."""
    return urljoin(base, href.strip())


def is_http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def looks_non_html(url: str) -> bool:
    """True when the URL path ends like a file that is not an HTML document."""
    return bool(NON_HTML_EXT.search(urlsplit(url).path))


# ------------------------------------------------------------------ stateful links
# A link is stateful when one path segment, query key or query value *is* an action: the
# verb alone (/account/close, ?action=delete), or the verb with its object (delete-account,
# close_account, deleteAccount, account-delete, delete-my-account). Words are compared
# whole, never as substrings, so /cancellation-policy, /closets, /removals-company and
# /resetting-expectations are pages like any other; a verb in a longer phrase
# (/close-up-photography, /how-to-cancel) is prose, not an action.

#: Actions a crawler never requests: verbs that change state on a live site, and the
#: cart, checkout and admin areas. Multi-word forms are joined first ("log out",
#: "sign-out", "add to cart"); a verb written together with its object ("deleteaccount",
#: "logoutall") is matched against the object words below.
STATEFUL_VERBS = frozenset({
    "close", "cancel", "reset", "remove", "unsubscribe", "deactivate", "purge", "logout", "logoff",
    "signout", "delete", "destroy", "addtocart", "emptycart", "checkout", "admin", "wpadmin",
})
#: Multi-word verbs, matched on the words joined by single spaces.
_COMPOUNDS = re.compile(r"\b(?:log (?:out|off)|sign out|un subscribe|add to (?:cart|basket)|empty (?:cart|basket)|wp admin)\b")
#: Words that may stand beside a verb in an action: its object, a filler, a file ending.
_ACTION_OBJECTS = frozenset({
    "account", "accounts", "user", "users", "profile", "subscription", "subscriptions", "membership", "plan",
    "order", "orders", "item", "items", "cart", "basket", "session", "sessions", "data", "cache", "list",
    "newsletter", "email", "emails", "password", "card", "payment", "address", "device", "devices", "token",
    "key", "keys", "comment", "post", "entry", "all", "everything", "me", "my", "your", "this", "now",
    "php", "php5", "asp", "aspx", "htm", "html", "jsp", "cgi", "do", "action", "json",
})
#: Consecutive path segments that add to a cart (/cart/add?id=3, /basket/add/7).
_CART_ADD = re.compile(r"/(?:cart|basket)/add(?:/|$)", re.I)
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
#: A verb written together with its object: "deleteaccount", "logoutall", "resetall".
_VERB_WORD = re.compile("(?:{})(?:{})?".format("|".join(sorted(STATEFUL_VERBS, key=len, reverse=True)),
                                              "|".join(sorted(_ACTION_OBJECTS, key=len, reverse=True))))
#: Cheap first look: a URL none of whose text could spell a verb is not stateful. Most
#: links on a page pass here without being split into words.
_MAYBE_STATEFUL = re.compile(
    r"close|cancel|reset|remove|subscribe|deactivate|purge|log[\W_]*o(?:ut|ff)|sign[\W_]*out|delete|destroy"
    r"|cart|basket|checkout|admin", re.I)


def _words(token: str) -> list[str]:
    """Lower-cased words of one segment or query part, multi-word verbs joined."""
    spaced = " ".join(w for w in _WORD_SPLIT.split(_CAMEL.sub(r"\1 \2", token).lower()) if w)
    joined = _COMPOUNDS.sub(lambda m: m.group(0).replace(" ", "").replace("basket", "cart"), spaced)
    return joined.split()


def _is_verb(word: str) -> bool:
    return word in STATEFUL_VERBS or _VERB_WORD.fullmatch(word) is not None


def _is_action(token: str) -> bool:
    """True when a path segment or query part names a stateful action."""
    words = _words(token)
    if not words or len(words) > 4:
        return False
    verbs = [w for w in words if _is_verb(w)]
    if len(verbs) != 1:
        return False
    # Every other word is the verb's object or a filler. A number is not: "12345-cancel-my-plan"
    # is a help-centre article, while an id stands in its own segment (/items/3/delete).
    return all(w == verbs[0] or w in _ACTION_OBJECTS for w in words)


def looks_destructive(url: str) -> bool:
    """True for links a crawler must not follow on a live site (logout, delete, close, cart).

    Reads every path segment, query key and query value (percent-decoded) as words and
    matches whole actions, never substrings: ``/account/close``, ``/api/reset?all=1``,
    ``?action=delete`` and ``/delete-account`` are stateful; ``/cancellation-policy`` and
    ``/closets`` are not.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not _MAYBE_STATEFUL.search(path) and not _MAYBE_STATEFUL.search(unquote(parts.query)):
        return False
    if _CART_ADD.search(path):
        return True
    tokens = [seg for seg in re.split(r"[/;]", path) if seg]
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        tokens.append(key)
        tokens.extend(v for v in re.split(r"[/;]", value) if v)
    return any(_is_action(t) for t in tokens if _MAYBE_STATEFUL.search(t))


# ------------------------------------------------------------------ named origins
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_port(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL: the host lower-cased and IDNA-encoded as it
    goes on the wire, the port always given (80 or 443 when the URL has none); None for
    anything else."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    return scheme, host, port or _DEFAULT_PORTS[scheme]


@dataclass(frozen=True)
class NamedOrigins:
    """The origins a user named: the only ones ``--header`` values (credentials) go to.

    The target as typed (``scheme://host:port``: not another scheme or port of its host,
    nor where its redirects lead) and every ``--allow-host`` value: a bare host on any port
    and scheme, ``host:port`` on that port, ``scheme://host[:port]`` that origin. Scope is
    wider: a start page that redirects to another origin makes that origin the scope, yet
    it was never named, so it never receives credentials.
    """

    #: ``scheme://host:port``, the port always written.
    origins: frozenset[str] = frozenset()
    #: ``host:port`` from ``--allow-host``: that port, either scheme.
    ports: frozenset[str] = frozenset()
    #: Bare hosts from ``--allow-host``: every port.
    hosts: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.origins or self.ports or self.hosts)

    def allows(self, url: str) -> bool:
        """True when ``url`` is on a named origin (credentials may be sent to it)."""
        key = _host_port(url)
        if key is None:
            return False
        scheme, host, port = key
        return f"{scheme}://{host}:{port}" in self.origins or f"{host}:{port}" in self.ports or host in self.hosts


def allow_host_entry(value: str) -> str:
    """One ``--allow-host`` value as ``host`` or ``host:port`` (a URL is read for its host).

    What the crawl's scope compares. Returns "" for a value that names no host.
    """
    value = value.strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value if "//" in value else "//" + value)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return ""
    if not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    scheme = parts.scheme.lower()
    default = (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    return f"{host}:{port}" if port and not default else host


def named_origins(target_url: str, allow_hosts: Iterable[str] = ()) -> NamedOrigins:
    """The :class:`NamedOrigins` of a run: the target's origin as typed and ``--allow-host``.

    A pure function of what the user typed (for a folder, the origin it is served on),
    never of where redirects lead; the crawler and the browser both use it, so
    credentials stop at the same boundary in both modes.
    """
    origins: set[str] = set()
    ports: set[str] = set()
    hosts: set[str] = set()
    typed = _host_port(target_url)
    if typed is not None:
        origins.add("{}://{}:{}".format(*typed))
    for value in allow_hosts:
        value = value.strip()
        if not value:
            continue
        if "://" in value:  # a URL names exactly one origin
            key = _host_port(value)
            if key is not None:
                origins.add("{}://{}:{}".format(*key))
            continue
        key = _host_port("http://" + value)
        if key is None:
            continue
        try:
            has_port = urlsplit("//" + value).port is not None
        except ValueError:
            continue
        if has_port:
            ports.add(f"{key[1]}:{key[2]}")
        else:
            hosts.add(key[1])
    return NamedOrigins(origins=frozenset(origins), ports=frozenset(ports), hosts=frozenset(hosts))


def slug(url: str) -> str:
    """Lower-cased path of a URL, for matching words like 'contact' or 'pricing'."""
    return urlsplit(url).path.lower()
