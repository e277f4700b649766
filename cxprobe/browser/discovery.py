"""Finding a Chromium to render with.

Discovery order: ``--browser-path`` / ``CXPROBE_BROWSER``, then Playwright's own
Chromium when installed, then ``chromium-headless-shell``, ``chromium``,
``google-chrome`` on PATH. Discovery is cheap: Playwright's browser folder is read from
disk, and its driver is started only when that folder exists but its layout is unknown.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

SYSTEM_BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome",
                   "google-chrome-stable")


@dataclass(frozen=True)
class FoundBrowser:
    """A Chromium executable and where it was found."""

    path: str
    #: "option" (--browser-path / CXPROBE_BROWSER), "playwright" or "system"
    source: str


def _executable(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path or "") and os.access(path or "", os.X_OK)


def _playwright_registry() -> Path | None:
    """Folder where ``playwright install`` puts browsers (PLAYWRIGHT_BROWSERS_PATH honoured)."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env == "0":
        try:
            import playwright
        except ImportError:
            return None
        return Path(playwright.__file__).parent / "driver" / "package" / ".local-browsers"
    if env:
        return Path(env).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", str(Path.home() / "AppData" / "Local"))) / "ms-playwright"
    return Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))) / "ms-playwright"


def _playwright_revisions() -> dict[str, str]:
    """Browser name -> revision this Playwright expects, from its browsers.json."""
    try:
        import playwright
    except ImportError:
        return {}
    try:
        data = json.loads((Path(playwright.__file__).parent / "driver" / "package" / "browsers.json").read_text())
        return {b["name"]: str(b["revision"]) for b in data.get("browsers", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


@functools.lru_cache(maxsize=1)
def _playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium when ``playwright install chromium`` was run.

    Read from disk (Playwright's registry folder and the revision its browsers.json
    expects): no driver process in the usual cases. Only when browsers are installed but
    not where this layout says is the driver asked, once per process.
    """
    registry = _playwright_registry()
    if registry is None or not registry.is_dir():
        return None
    installed = [d for d in registry.iterdir() if d.name.startswith("chromium")]
    if not installed:
        return None
    revisions = _playwright_revisions()
    layouts = {
        "linux": (("chromium_headless_shell", "chrome-headless-shell-linux64/chrome-headless-shell"),
                  ("chromium", "chrome-linux64/chrome"),
                  ("chromium_headless_shell", "chrome-headless-shell-linux-arm64/chrome-headless-shell"),
                  ("chromium", "chrome-linux-arm64/chrome"),
                  ("chromium", "chrome-linux/chrome")),
        "darwin": (("chromium_headless_shell", "chrome-headless-shell-mac-arm64/chrome-headless-shell"),
                   ("chromium_headless_shell", "chrome-headless-shell-mac-x64/chrome-headless-shell"),
                   ("chromium", "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing"),
                   ("chromium", "chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing")),
        "win32": (("chromium_headless_shell", "chrome-headless-shell-win64/chrome-headless-shell.exe"),
                  ("chromium", "chrome-win64/chrome.exe"), ("chromium", "chrome-win/chrome.exe")),
    }.get(sys.platform if sys.platform in ("darwin", "win32") else "linux", ())
    for name, rel in layouts:
        rev = revisions.get(name.replace("_", "-"))
        if rev:
            candidate = registry / f"{name}-{rev}" / rel
            if _executable(str(candidate)):
                return str(candidate)
    return _ask_playwright_driver()


def _ask_playwright_driver() -> str | None:
    """Ask Playwright's driver where its Chromium is (starts a Node process: ~1 s)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver, no browser: not found
        return None
    return path if _executable(path) else None


def find_browser(explicit: str | None = None) -> FoundBrowser | None:
    """The browser to render with, or None when none can be found."""
    if explicit:
        path = shutil.which(explicit) or explicit
        if _executable(path):
            return FoundBrowser(path=os.path.abspath(path), source="option")
        return None
    pw = _playwright_chromium()
    if pw:
        return FoundBrowser(path=pw, source="playwright")
    for name in SYSTEM_BROWSERS:
        on_path = shutil.which(name)
        if on_path:
            return FoundBrowser(path=on_path, source="system")
    return None


def describe_missing_browser(explicit: str | None, short: bool = False) -> str:
    """One line naming the ways to get a browser."""
    if short:
        return "install one with `python -m playwright install chromium` or give --browser-path"
    lead = f"no browser at {explicit}" if explicit else "--render browser needs Chromium and none was found"
    return (f"{lead}; fix it one of three ways: `python -m playwright install chromium`, "
            f"install a system Chromium (e.g. `apt-get install chromium-headless-shell` or `chromium`), "
            f"or point --browser-path / CXPROBE_BROWSER at a Chromium executable")
