"""The scripts cxprobe runs inside rendered pages, shipped as ``js/*.js`` package data.

- ``no_submit.js``: an init script of every browser context (runs in every frame before
  the page's own scripts): a form submission with any method but GET never starts;
- ``collect.js``: every fact of one page in one viewport;
- ``find_toggle.js`` and ``menu_after.js``: the mobile menu toggle before and after the tap;
- ``click_before.js`` and ``click_after.js``: links whose href goes nowhere, before and
  after each is clicked (the last thing done on a desktop page);
- ``journey_links.js``: the links of a page and whether a customer sees them, for a
  journey's next click (``data-cxprobe-journey`` marks the one to click);
- ``helpers.js``: the helpers (``CX``) the three page functions share.

The page functions are arrow functions for ``page.evaluate(script, arg)``; each returns
plain JSON. Collecting is read-only: nothing clicks, submits or navigates. The marks left
in the page are a ``data-cxprobe-toggle`` attribute on the toggle ``find_toggle.js``
picks and ``data-cxprobe-dead`` on the links ``click_before.js`` picks, so that the
Python side taps or clicks exactly those elements. Each file is read once per
process; a missing one is a :class:`~cxprobe.browser.options.RenderError` naming it.
"""

from __future__ import annotations

import functools
from importlib import resources

from .options import RenderError

#: Page functions, each evaluated with the helpers in scope.
PAGE_FUNCTIONS = ("collect", "find_toggle", "menu_after", "click_before", "click_after", "journey_links")
#: Scripts that run as they are.
INIT_SCRIPTS = ("no_submit",)


@functools.cache
def _source(name: str) -> str:
    """The text of ``js/<name>.js``."""
    path = resources.files(__package__) / "js" / f"{name}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RenderError(f"cxprobe's page script {name}.js is missing from {path} ({exc.strerror or exc}): "
                          "the installation is incomplete; reinstall cxprobe") from exc


@functools.cache
def script(name: str) -> str:
    """The script ``name`` as the browser gets it: an init script as is, a page function
    wrapped in a function that puts the helpers in its scope and passes its argument on."""
    if name in INIT_SCRIPTS:
        return _source(name)
    if name not in PAGE_FUNCTIONS:
        raise ValueError(f"no page script named {name!r}")
    return f"(...args) => {{\n{_source('helpers')}\nreturn (\n{_source(name)}\n)(...args);\n}}"


def load_all() -> None:
    """Read every script now, so that a broken installation fails before the browser starts."""
    for name in (*INIT_SCRIPTS, *PAGE_FUNCTIONS):
        script(name)
