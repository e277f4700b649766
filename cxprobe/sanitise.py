"""Site content is data, never markup or terminal control.

Everything a site (or a plugin) puts in a report passes through :func:`clean_text` before
it is written: C0 control characters other than tab and newline, DEL and the C1 controls
(U+0080..U+009F, among them the 8-bit CSI and OSC) are replaced with U+FFFD, so a page
title cannot set the terminal's title, draw hyperlinks or move the cursor, in the
terminal report or when someone ``cat``s the JSON. Reporters still print site text as
text (rich ``Text``, HTML escaping): this module removes what no format may carry.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` with control characters (but tab and newline) replaced by U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, text)


def clean_tree(value: Any) -> Any:
    """A copy of a JSON-like tree (dicts, lists, tuples, scalars) with every string and
    every key cleaned. Iterative, so a deeply nested plugin fact cannot exhaust the stack."""
    if isinstance(value, str):
        return clean_text(value)
    if not isinstance(value, (dict, list, tuple)):
        return value
    root: list[Any] = [None]
    # (source container, destination container, key in the parent destination)
    stack: list[tuple[Any, Any]] = []

    def new(container: Any) -> Any:
        copy: Any = {} if isinstance(container, dict) else []
        stack.append((container, copy))
        return copy

    root[0] = new(value)
    while stack:
        src, dst = stack.pop()
        if isinstance(src, dict):
            for k, v in src.items():
                key = clean_text(k) if isinstance(k, str) else k
                dst[key] = clean_text(v) if isinstance(v, str) else new(v) if isinstance(v, (dict, list, tuple)) else v
        else:
            for v in src:
                dst.append(clean_text(v) if isinstance(v, str) else new(v) if isinstance(v, (dict, list, tuple)) else v)
    return root[0]
