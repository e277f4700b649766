"""Regular expressions compiled on first use.

The built-in plugins hold a few hundred patterns, some of them word lists of fifteen
languages; compiling them all costs about 0.2 s at import, which every ``cxprobe --help``
would pay. :func:`lazy_compile` returns a stand-in that compiles its pattern the first
time a method is used, then binds the compiled pattern's methods to itself, so that
later calls cost what a compiled pattern's do.

The stand-in answers ``.pattern`` and ``.flags`` without compiling (patterns are built
from other patterns' sources) and pickles as the call that made it (extractors travel to
worker processes). It is not a :class:`re.Pattern`: use its methods, never
``re.search(pattern, ...)`` and the like.
"""

from __future__ import annotations

import re
from typing import Any, cast

#: The compiled pattern's methods and attributes that a stand-in takes over on first use.
_TAKEN = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner", "groups",
          "groupindex")


class _LazyPattern:
    __slots__ = ("pattern", "flags", "_compiled", *_TAKEN, "__weakref__")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compile(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
            for name in _TAKEN:
                setattr(self, name, getattr(compiled, name))
            self.flags = compiled.flags
        return compiled

    def __getattr__(self, name: str) -> Any:
        # Reached only while a name is not yet bound (slots unset raise AttributeError).
        if name in _TAKEN:
            return getattr(self.compile(), name)
        raise AttributeError(name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (lazy_compile, (self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern[:60]!r}, {self.flags!r})"


def lazy_compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """A pattern compiled on first use (see the module's documentation). Typed as
    :class:`re.Pattern`, whose methods it has."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, int(flags)))


def _fold(source: str) -> str:
    """``source`` with its letters lower-cased, escapes (``\\S``, ``\\W``, ``\\N{...}``) kept."""
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n:
            if source[i + 1] == "N" and source.startswith("{", i + 2):
                end = source.find("}", i + 3)
                end = n - 1 if end < 0 else end
                out.append(source[i:end + 1])
                i = end + 1
                continue
            out.append(source[i:i + 2])
            i += 2
            continue
        if c == "(" and source.startswith("(?P<", i):
            raise ValueError("a pattern with named groups cannot be folded")
        out.append(c.lower())
        i += 1
    return "".join(out)


def lower_case_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive pattern's twin for text already lower-cased: the same pattern
    with its letters lower-cased and without IGNORECASE, which Python's engine matches
    several times faster (a case-insensitive alternation of words is tried letter by
    letter at every position). Use it on ``text.lower()`` where ``len(text.lower()) ==
    len(text)``, so that offsets are the text's own."""
    source = pattern.pattern
    return lazy_compile(_fold(source), (pattern.flags & ~re.IGNORECASE) & ~re.UNICODE)


__all__ = ["lazy_compile", "lower_case_twin"]
