"""Browser discovery (and, in browser mode, rendering with Playwright).

Discovery order: ``--browser-path`` / ``CXPROBE_BROWSER``, then Playwright's own
Chromium when installed, then ``chromium-headless-shell``, ``chromium``,
``google-chrome`` on PATH.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

SYSTEM_BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome",
                   "google-chrome-stable")


@dataclass(frozen=True)
class FoundBrowser:
    """A Chromium executable and where it was found."""

    path: str
    #: "option" (--browser-path / CXPROBE_BROWSER), "playwright" or "system"
    source: str


def _playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium when `playwright install chromium` was run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver, no browser: not found
        return None
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def find_browser(explicit: str | None = None) -> FoundBrowser | None:
    """The browser to render with, or None when none can be found."""
    if explicit:
        path = shutil.which(explicit) or explicit
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return FoundBrowser(path=os.path.abspath(path), source="option")
        return None
    pw = _playwright_chromium()
    if pw:
        return FoundBrowser(path=pw, source="playwright")
    for name in SYSTEM_BROWSERS:
        path = shutil.which(name)
        if path:
            return FoundBrowser(path=path, source="system")
    return None


def describe_missing_browser(explicit: str | None, short: bool = False) -> str:
    """One line naming the ways to get a browser."""
    if short:
        return "install one with `python -m playwright install chromium` or give --browser-path"
    lead = f"no browser at {explicit}" if explicit else "--render browser needs Chromium and none was found"
    return (f"{lead}; fix it one of three ways: `python -m playwright install chromium`, "
            f"install a system Chromium (e.g. `apt-get install chromium-headless-shell`), "
            f"or point --browser-path / CXPROBE_BROWSER at a Chromium executable")
