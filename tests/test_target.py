"""The folder server (cxprobe/target.py): links resolved the way static hosts resolve them.

GitHub Pages, Netlify and Apache MultiViews serve /about from about.html; a site built for
them links without extensions, and its links are not broken. The safety of the server
(nothing outside the folder) is tested in tests/security/test_crawl.py.
"""

from __future__ import annotations

import http.client
from pathlib import Path

from cxprobe.crawl import CrawlOptions, crawl
from cxprobe.target import open_target


def _get(origin: str, path: str) -> tuple[int, str | None]:
    host, port = origin.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status, resp.getheader("Location")
    finally:
        conn.close()


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "team").mkdir(parents=True)
    (site / "gallery").mkdir()
    (site / "empty").mkdir()
    links = "".join(f'<a href="{h}">{h}</a>' for h in ("contato", "quem-somos/", "team", "gallery", "./"))
    (site / "index.html").write_text(f"<html><title>Home</title><body>{links}</body></html>")
    for name in ("contato", "quem-somos", "gallery"):
        (site / f"{name}.html").write_text(f"<html><title>{name}</title><body><a href='/'>Home</a></body></html>")
    (site / "team" / "index.html").write_text("<html><title>Team</title><body><a href='/'>Home</a></body></html>")
    return site


def test_extensionless_links_resolve_like_a_static_host(tmp_path: Path) -> None:
    with open_target(str(_site(tmp_path))) as target:
        o = target.local_origin
        assert _get(o, "/contato") == (301, "/contato.html")
        assert _get(o, "/quem-somos/") == (301, "/quem-somos.html")
        assert _get(o, "/contato?ref=nav") == (301, "/contato.html?ref=nav")
        assert _get(o, "/team") == (301, "/team/")  # a folder with an index
        assert _get(o, "/team/")[0] == 200
        assert _get(o, "/gallery") == (301, "/gallery.html")  # a folder without one, beside gallery.html
        assert _get(o, "/empty/")[0] == 404
        assert _get(o, "/nowhere")[0] == 404
        assert _get(o, "/contato.html")[0] == 200


def test_a_site_built_for_a_static_host_has_no_broken_links_and_no_orphans(tmp_path: Path) -> None:
    with open_target(str(_site(tmp_path))) as target:
        site = crawl(target.start_url, CrawlOptions(sitemap_urls=target.files, use_sitemap=False, timeout=5.0))
    pages = sorted(target.display(p.url) for p in site.ok_pages)
    assert pages == ["/", "/contato.html", "/gallery.html", "/quem-somos.html", "/team/"]
    assert site.broken_pages == () and site.orphan_pages == ()
