"""Playwright's driver, started: the first and slowest part of every launch.

Apart from :mod:`.session` so that the command line can start it (:mod:`.host`) before it
imports what rendering needs: only Playwright itself is imported on the way.
"""

from __future__ import annotations

from typing import Any

from .options import RenderError


async def start_driver() -> Any:
    """Playwright's driver (its Node process), started: what every launch needs first and
    the slowest part of it (0.3 s of the 0.4 s on the 2-core development machine)."""
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:
        raise RenderError("the playwright package is not installed (pip install playwright)") from exc
    return await async_playwright().start()
