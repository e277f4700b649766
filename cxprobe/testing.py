"""Helpers for testing plugins (and cxprobe's own probes) with real facts.

Facts in a test should be the facts an audit would see, so pages go through the real
extraction with every installed extractor (the built-in ones and your plugin's).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from .model import PageFacts
from .probe import Extractor


@cache
def plugin_manager() -> Any:
    """cxprobe's plugin manager with every installed plugin loaded (once per process): its
    ``registry()`` holds the registered touchpoints, extractors, probes and reporters."""
    from ._registry import get_plugin_manager

    return get_plugin_manager()


def extractors() -> tuple[Extractor, ...]:
    """Every installed extractor, in the order an audit runs them."""
    return tuple(plugin_manager().registry().extractors.values())


def page_facts(html: str | bytes, url: str = "https://shop.example/", headers: Mapping[str, str] | None = None,
               *, budget: float | None = None, time_left: float | None = None) -> PageFacts:
    """The facts of one page given as HTML, as an audit reads them (every installed extractor)."""
    from .document import extract_facts

    body = html.encode("utf-8") if isinstance(html, str) else html
    if headers is None:
        headers = {"Content-Type": "text/html; charset=utf-8"}
    return extract_facts(url, headers, body, extractors(), budget=budget, time_left=time_left)


__all__ = ["extractors", "page_facts", "plugin_manager"]
