"""Structured data: schema.org types (JSON-LD and microdata) and the parsed JSON-LD itself,
read with bounded depth and no recursion."""

from __future__ import annotations

import json
import re
from typing import Any

from bs4 import BeautifulSoup

from .clock import Clock
from .tree import _TagIndex

#: JSON-LD nested deeper than this is not data anyone means (schema.org graphs nest a few
#: levels); it is skipped before parsing.
MAX_JSON_LD_DEPTH = 64
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _json_depth_ok(text: str, limit: int = MAX_JSON_LD_DEPTH) -> bool:
    """True when the brackets of ``text`` (outside strings) nest at most ``limit`` deep."""
    depth = 0
    for m in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            if depth > limit:
                return False
        else:
            depth -= 1
    return True


def json_ld_nodes(roots: list[Any], clock: Clock) -> list[dict[str, Any]]:
    """Every object of the JSON-LD ``roots``, depth first in document order, with a stack
    of its own (no recursion, however the data nests)."""
    out: list[dict[str, Any]] = []
    stack = list(reversed(roots))
    while stack:
        clock.tick()
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            out.append(node)
            stack.extend(reversed([v for v in node.values() if isinstance(v, (dict, list))]))
    return out


def read_structured(soup: BeautifulSoup, index: _TagIndex, clock: Clock) -> tuple[list[str], list[dict[str, Any]]]:
    """(schema.org types, every JSON-LD object) of a page."""
    roots: list[Any] = []
    for s in (t for t in index.get("script") if "ld+json" in str(t.get("type", "")).lower()):
        clock.check()
        text = s.string or s.get_text() or "null"
        if not _json_depth_ok(text):
            continue
        try:
            roots.append(json.loads(text))
        except (ValueError, TypeError, RecursionError):
            continue
    nodes = json_ld_nodes(roots, clock)
    types: list[str] = []
    for node in nodes:
        t = node.get("@type")
        if isinstance(t, str):
            types.append(t.rsplit("/", 1)[-1])
        elif isinstance(t, list):
            types.extend(str(x).rsplit("/", 1)[-1] for x in t)
    for t in index.itemtype:
        clock.tick()
        for it in str(t.get("itemtype")).split():
            types.append(it.rstrip("/").rsplit("/", 1)[-1])
    return types, nodes
