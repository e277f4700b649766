"""Which URLs belong to the site being crawled, and which of them are worth a request."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from urllib.parse import urlsplit

from .. import urls
from .options import CrawlOptions


def glob_matches(url: str, glob: str) -> bool:
    """True when an ``--include``/``--exclude`` glob matches the URL: its path (with the
    query), as in ``/blog/*``, or the whole URL."""
    parts = urlsplit(url)
    path = parts.path + (("?" + parts.query) if parts.query else "")
    return fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(url, glob)


class Scope:
    """The site's origins, the ``--allow-host`` hosts and the ``--include``/``--exclude`` globs.

    Another port on the same host is another site; a bare ``--allow-host`` host matches
    on any port.
    """

    def __init__(self, options: CrawlOptions, hosts: Iterable[str] = ()) -> None:
        #: host[:port] of every origin in scope (default ports dropped). The crawl sets it
        #: to the start page's final origin once its redirects are known.
        self.hosts: set[str] = set(hosts)
        #: --allow-host values: a bare host matches it on any port.
        self.allowed_hosts: set[str] = {h for h in (urls.allow_host_entry(v) for v in options.allow_hosts) if h}
        self._include = options.include
        self._exclude = options.exclude

    def contains(self, url: str) -> bool:
        """True when the URL is an http(s) URL of an origin in scope that the globs let through."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if not self.has_host(url):
            return False
        if self._include and not any(glob_matches(url, g) for g in self._include):
            return False
        return not any(glob_matches(url, g) for g in self._exclude)

    def has_host(self, url: str) -> bool:
        """True when the URL's origin is in scope (another port on the same host is not)."""
        try:
            netloc = urls.netloc_of(url)
        except ValueError:
            return False
        return netloc in self.hosts or netloc in self.allowed_hosts or urls.host_of(url) in self.allowed_hosts

    def worth_fetching(self, url: str) -> bool:
        """True for a canonical URL in scope that looks like a page and is safe to GET.

        A link to a PDF or an image is no page; a link such as ``/logout`` or
        ``/account/delete`` changes something on the site even as a GET, so it is never
        followed (:func:`cxprobe.urls.looks_destructive`).
        """
        return self.contains(url) and not urls.looks_non_html(url) and not urls.looks_destructive(url)

    def all_hosts(self) -> tuple[str, ...]:
        """Every host in scope, sorted: :attr:`cxprobe.model.Site.hosts`."""
        return tuple(sorted(self.hosts | self.allowed_hosts))
