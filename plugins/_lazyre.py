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

import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
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


#: Letters that a case-insensitive pattern matches to an ASCII letter of its literal while
#: lower-casing leaves them apart ("ı" ~ "i", "ſ" ~ "s"): a text holding one is always searched.
_FOLDS_TO_ASCII = frozenset("ıſ")

#: Required strings shorter than this select too little to be worth looking for.
_MIN_LITERAL = 3


#: A requirement on a text: a string it must hold, or ("all" | "any", requirements).
_Need = Any


def _required(items: Any, fold: bool) -> _Need | None:
    """What every match of the parsed sequence ``items`` contains, as a requirement (None
    when nothing is known): a run of literal characters as it stands (when at least
    :data:`_MIN_LITERAL` long); a sequence, all of its parts' requirements; an
    alternation, one of its branches'; a group or a repetition at least once, its own."""
    from re import _constants as c  # type: ignore[attr-defined]

    parts: list[_Need] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= _MIN_LITERAL:
            text = "".join(run)
            parts.append(text.lower() if fold else text)
        run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        need: _Need | None = None
        if op is c.SUBPATTERN:
            need = _required(av[-1], fold)
        elif op is c.ATOMIC_GROUP:
            need = _required(av, fold)
        elif op is c.BRANCH:
            branches = [_required(b, fold) for b in av[1]]
            if all(b is not None for b in branches):
                need = ("any", tuple(branches))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _required(av[2], fold)
        if need is not None:
            parts.append(need)
    flush()
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("all", tuple(parts))


def _holds(need: _Need, text: str, tokens: str) -> bool:
    if isinstance(need, str):
        return need in text
    kind, parts = need
    if kind == "token":  # a string without white space: looked for in the distinct tokens
        return parts in tokens
    if kind == "all":
        return all(_holds(p, text, tokens) for p in parts)
    return any(_holds(p, text, tokens) for p in parts)


def _expression(need: _Need) -> str:
    """:func:`_holds` of ``need`` written out as one Python expression over ``t`` (the text)
    and ``k`` (its tokens): string literals by ``repr``, ``and`` / ``or`` for the tree."""
    if isinstance(need, str):
        return f"({need!r} in t)"
    kind, parts = need
    if kind == "token":
        return f"({parts!r} in k)"
    return "(" + (" and " if kind == "all" else " or ").join(_expression(p) for p in parts) + ")"


#: A requirement written out longer than this is evaluated by walking it instead.
_MAX_EXPRESSION = 200_000


def _compiled(need: _Need) -> Callable[[str, str], bool]:
    """``(text, tokens) -> bool``, what :func:`_holds` answers, as one compiled function: a
    guard asks each page (or each title, each link text) the same tree of substrings, and
    walking it call by call costs more than the substring searches themselves."""
    try:
        source = _expression(need)
        if len(source) <= _MAX_EXPRESSION:
            return cast("Callable[[str, str], bool]", eval(compile(f"lambda t, k: {source}", "<guard>", "eval")))
    except (RecursionError, SyntaxError, MemoryError, ValueError):
        pass
    return lambda text, tokens: _holds(need, text, tokens)


def _tokenwise(need: _Need) -> _Need:
    """``need`` with each required string that holds no white space marked ``token``."""
    if isinstance(need, str):
        return need if any(c.isspace() for c in need) else ("token", need)
    kind, parts = need
    return (kind, tuple(_tokenwise(p) for p in parts))


#: Texts at least this long are searched in their distinct tokens (see :func:`_distinct_tokens`).
_LONG_TEXT = 2000


#: Texts each cache keeps: a page's own (its text, its blocks, its title) share them; more
#: would hold on to the texts of earlier pages (megabytes, on a hostile one).
_KEPT = 4


def token_counts(text: str) -> Counter[str]:
    """How often each white-space-separated token of ``text`` occurs (do not change it).
    Cached: several extractors and guards read the same page text. A word pattern's
    matches in ``text`` are those in its distinct tokens, each as often as its token
    occurs (no word spans white space), and a page says most of its words many times."""
    counts = _COUNTS.get(text)
    if counts is None:
        counts = Counter(text.split())
    _keep(_COUNTS, text, counts)  # the last asked is kept longest
    return counts


def remember_counts(text: str, counts: Callable[[], Counter[str]]) -> None:
    """Give :func:`token_counts` the counts of a long ``text``'s tokens, counted already:
    ``counts()`` must give ``Counter(text.split())`` exactly (as
    :meth:`cxprobe.Document.token_counts` gives a page's text), and is called only for a
    text the guards read by its distinct tokens (see :data:`_LONG_TEXT`) whose tokens are
    not counted yet. Neither :func:`token_counts` nor those guards then split and count
    the text again; a shorter text costs little to count where it is asked."""
    if len(text) >= _LONG_TEXT and text not in _COUNTS:
        _keep(_COUNTS, text, counts())


#: Token counts and distinct-token views made so far (see :func:`token_counts` and
#: :func:`_distinct_tokens`), newest last; the lock keeps each whole when a probe that ran
#: out of time still runs beside the next one.
_COUNTS: dict[str, Counter[str]] = {}
_DISTINCT: dict[str, str] = {}
_DISTINCT_LOCK = threading.Lock()


def _keep(cache: dict[str, Any], text: str, value: Any) -> None:
    """Keep ``value`` for ``text`` in ``cache`` as its newest entry, dropping the oldest
    beyond :data:`_KEPT`."""
    with _DISTINCT_LOCK:
        cache.pop(text, None)
        cache[text] = value
        while len(cache) > _KEPT:
            del cache[next(iter(cache))]


def _fresh_lock() -> None:
    # A forked child (the probes' second core, cxprobe._forked) copies no thread: a lock
    # one of them held would stay held.
    global _DISTINCT_LOCK
    _DISTINCT_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_lock)


def _distinct_tokens(text: str) -> str:
    """Each token of ``text`` once, joined by spaces. A string without white space is in
    ``text`` exactly when it is in this (an occurrence cannot span two tokens, nor the
    spaces between them), which is often a fraction of the text. The last few are kept:
    the guards of several patterns ask the same page text."""
    view = _DISTINCT.get(text)
    if view is None:
        view = " ".join(token_counts(text))
        _keep(_DISTINCT, text, view)
    return view


def _leaves(need: _Need) -> int:
    if isinstance(need, str):
        return 1
    kind, parts = need
    return 1 if kind == "token" else sum(_leaves(p) for p in parts)


#: Making a text's distinct-token view costs about as much as this many passes over the
#: text: worth it for a pattern that may need as many strings looked for, or when made already.
_VIEW_COST = 24


class _Guard:
    """:func:`might_match` of one pattern (see there)."""

    __slots__ = ("need", "tokenwise", "many", "fold")

    def __init__(self, need: _Need, fold: bool) -> None:
        self.need = _compiled(need)
        self.tokenwise = _compiled(_tokenwise(need))
        self.many = _leaves(need) >= _VIEW_COST
        self.fold = fold

    def __call__(self, text: str) -> bool:
        if self.fold:
            # Two substring searches: set.isdisjoint(text) walks the text a character
            # at a time (half a millisecond on a 28 KB page).
            if not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII):
                return True
            text = lower(text) if len(text) >= _LONG_TEXT else text.lower()
        if len(text) < _LONG_TEXT or not (self.many or text in _DISTINCT):
            return self.need(text, text)
        # Each required string is otherwise one pass over the whole text when absent,
        # and a pattern may require one of dozens.
        return self.tokenwise(text, _distinct_tokens(text))


@lru_cache(maxsize=_KEPT)
def lower(text: str) -> str:
    """``text.lower()``, cached: several extractors lower the same page text."""
    return text.lower()


def _always(text: str) -> bool:
    return True


_GUARDS: dict[tuple[str, int], Any] = {}


def might_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only when ``pattern`` cannot match anywhere in ``text``: the strings every
    match must contain (worked out once from the pattern's parse: "lorem" and "ipsum" for
    ``lorem\\s+ipsum``, one branch's for an alternation) are not all in the text. A plain
    substring search is many times faster than Python's engine trying an alternation of
    words at every position, and most pages hold none of them. A pattern from which
    nothing of at least three characters is required is always searched (True)."""
    key = (pattern.pattern, pattern.flags)
    guard = _GUARDS.get(key)
    if guard is None:
        guard = _GUARDS[key] = _guard(pattern.pattern, pattern.flags)
    return bool(guard(text))


def _guard(source: str, flags: int) -> Any:
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(source, flags)
    except re.error:
        return _always
    fold = bool(parsed.state.flags & re.IGNORECASE)
    if not fold and "(?i" in source.replace("\\\\", ""):
        return _always  # case-insensitive parts of a case-sensitive pattern: not worked out here
    need = _required(parsed.data, fold)
    return _always if need is None else _Guard(need, fold)


_TWINS: dict[tuple[str, int], re.Pattern[str]] = {}


def folded_spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each match of the case-insensitive ``pattern`` in ``text``, as
    ``pattern.finditer(text)`` gives them, found several times faster on a long page.

    Nothing is searched when :func:`might_match` says no match is possible (most pages);
    otherwise the pattern's :func:`lower_case_twin` searches the cached lower-cased text,
    whose offsets are the text's own. Where lower-casing moves offsets ("İ"), or the text
    holds a letter the pattern folds to ASCII that lower-casing leaves apart ("ſ" is an
    "s" to it), the pattern itself searches ``text``. Read a match as written with
    ``text[start:end]``."""
    if not might_match(pattern, text):
        return
    if not pattern.flags & re.IGNORECASE:  # a case-sensitive pattern has no twin: itself
        for m in pattern.finditer(text):
            yield m.span()
        return
    low = lower(text) if len(text) >= _LONG_TEXT else text.lower()
    if len(low) != len(text) or (not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII)):
        for m in pattern.finditer(text):
            yield m.span()
        return
    key = (pattern.pattern, pattern.flags)
    twin = _TWINS.get(key)
    if twin is None:
        twin = _TWINS[key] = lower_case_twin(pattern)
    for m in twin.finditer(low):
        yield m.span()


#: The digits an ASCII text can hold (``\d`` matches these and nothing else in one).
_ASCII_DIGITS = "0123456789"
_ANY_DIGIT = lazy_compile(r"\d")


def few_digits(text: str, fewer_than: int) -> bool:
    r"""True when ``text`` holds fewer than ``fewer_than`` digits (``\d``: any Unicode
    decimal digit), counting no further than that. Asked of every block and line of a page
    before the patterns that need digits (a phone number, a postal address, opening
    hours), and most hold none.

    An ASCII text (which a string knows without reading it) is asked with the string's own
    searches, one per digit, each many times faster than the pattern engine's walk of every
    character; any other text is counted with ``\d``."""
    if text.isascii():
        n = 0
        for digit in _ASCII_DIGITS:
            if digit in text:
                n += text.count(digit)
                if n >= fewer_than:
                    return False
        return True
    n = 0
    for _m in _ANY_DIGIT.finditer(text):
        n += 1
        if n >= fewer_than:
            return False
    return True


def folded_search(pattern: re.Pattern[str], text: str) -> str | None:
    """The first match of the case-insensitive ``pattern`` in ``text``, as written (what
    ``pattern.search(text).group(0)`` gives), or None; see :func:`folded_spans`."""
    for start, end in folded_spans(pattern, text):
        return text[start:end]
    return None


__all__ = ["few_digits", "folded_search", "folded_spans", "lazy_compile", "lower_case_twin", "lower", "might_match", "remember_counts",
           "token_counts"]
