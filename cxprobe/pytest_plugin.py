"""pytest fixtures for testing cxprobe plugins, over :mod:`cxprobe.testing`.

Registered through the ``pytest11`` entry point, so they are there in every pytest run
wherever cxprobe is installed (``pytest -p no:cxprobe`` switches them off). Each is a thin
wrapper over a function of the kit:

- ``cx_page(html, url=...)`` -> a :class:`cxprobe.Page` read by every installed extractor
  (:func:`cxprobe.testing.build_page`);
- ``cx_site(pages_or_folder, ...)`` -> a :class:`cxprobe.Site`: a dict of path -> HTML is
  crawled in memory (:func:`~cxprobe.testing.build_site`), a folder is crawled for real
  (:func:`~cxprobe.testing.site_from_folder`);
- ``cx_serve(folder_or_pages)`` -> the origin (``http://127.0.0.1:PORT``) of the folder
  served on loopback until the test ends (:func:`~cxprobe.testing.serve`);
- ``cx_audit(target, **settings)`` -> the report dict of an in-process audit, static unless
  told otherwise (:func:`~cxprobe.testing.audit`);
- ``cx_browser`` -> the Chromium browser-mode audits use (path and source); the test is
  skipped when there is none;
- ``cx_render(target, **settings)`` -> a :class:`cxprobe.testing.Rendered` (the site and its
  rendering in browser mode; screenshots in the test's ``tmp_path``); skipped without a browser.

This module imports nothing heavy until a fixture is used: pytest loads it at start-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def cx_page() -> Callable[..., Any]:
    """Factory: ``cx_page(html, url="https://shop.example/")`` -> a :class:`cxprobe.Page`
    whose ``facts`` an audit would read from ``html`` (``facts.fact("myplugin")``)."""
    from .testing import build_page

    return build_page


@pytest.fixture
def cx_site() -> Callable[..., Any]:
    """Factory: ``cx_site({"/": html, "/contact.html": html2}, start="/")`` crawls the pages
    in memory (:func:`cxprobe.testing.build_site`); ``cx_site(folder)`` crawls a folder for
    real (:func:`cxprobe.testing.site_from_folder`). Either gives a :class:`cxprobe.Site`."""
    from collections.abc import Mapping

    from .testing import build_site, site_from_folder

    def make(pages: Any, **kwargs: Any) -> Any:
        if isinstance(pages, Mapping):
            return build_site(pages, **kwargs)
        return site_from_folder(pages, **kwargs)

    return make


@pytest.fixture
def cx_serve() -> Iterator[Callable[..., str]]:
    """Factory: ``cx_serve(folder_or_pages)`` serves a folder (or a dict of pages) on
    127.0.0.1 as an audit serves a folder target and returns its origin; every server is
    stopped, its connections closed and its threads joined when the test ends."""
    from .testing import serve

    with contextlib.ExitStack() as stack:
        yield lambda site: stack.enter_context(serve(site))


@pytest.fixture
def cx_audit() -> Callable[..., dict[str, Any]]:
    """Factory: ``cx_audit(target, **settings)`` -> the report dict of ``cxprobe audit
    TARGET --format json``, run in-process; static mode unless ``render=`` says otherwise.
    ``target`` is a folder, an HTML file, a URL or a dict of pages."""
    from .testing import audit

    return audit


@pytest.fixture
def cx_browser() -> Any:
    """The Chromium a browser-mode audit would use (``.path``, ``.source``); the test is
    skipped when none is found (``CXPROBE_BROWSER``, Playwright's, or one on PATH)."""
    from .testing import find_browser

    found = find_browser()
    if found is None:
        pytest.skip("no Chromium for browser mode: `python -m playwright install chromium`, "
                    "a system chromium, or CXPROBE_BROWSER")
    return found


@pytest.fixture
def cx_render(cx_browser: Any, tmp_path: Path) -> Callable[..., Any]:
    """Factory: ``cx_render(target, **settings)`` -> :class:`cxprobe.testing.Rendered`, the
    site and its rendering in browser mode, with the browser ``cx_browser`` found
    (skipped without one); screenshots go to the test's ``tmp_path``."""
    from itertools import count

    from .testing import render

    runs = count(1)

    def make(target: Any, **settings: Any) -> Any:
        settings.setdefault("browser_path", cx_browser.path)
        settings.setdefault("output", str(tmp_path / f"cx-render-{next(runs)}" / "report.json"))
        return render(target, **settings)

    return make
