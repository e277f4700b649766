"""What a page's own scripts do to its links, read from their text without running them.

A script is never executed here. Its text is scanned for four things a customer meets:

- the elements whose clicks it handles or whose destination it fills in (``#id``,
  ``.class``, ``[data-x]`` in the selectors of a statement that binds a click or sets an
  ``href``, read inside a click handler, or assigned to a name such a statement uses): a
  ``#`` link a script handles is a control, not a dead link;
- the pages it sends a visitor to without a link (``location.href = 'thanks.html'``,
  ``location.assign/replace``, ``window.open``): such a page is not "linked from
  nowhere";
- the HTML pieces it loads into the page (``fetch('header.html')``, jQuery
  ``.load('nav.html')``; and, matched only against a folder's own files, any other string
  ending in ``.html`` in a script that loads HTML, even built from parts, as in
  ``loadPartial(base + 'partials/header' + suffix + '.html')``): their links are the
  page's links;
- the links it writes into the page (``href="..."`` inside its strings, a footer
  written by ``innerHTML``) and the ids it creates.

Everything is bounded: at most :data:`MAX_SCRIPT` characters of a script are read, and
every pattern is linear. The same reading serves inline scripts (at extraction) and a
site's own script files (fetched once per crawl, see :mod:`cxprobe.crawl.crawler`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

#: Characters of one script that are read (a site's own scripts are far smaller).
MAX_SCRIPT = 300_000
#: At most this many of each kind of finding are kept per script.
MAX_ITEMS = 200

_STRING = re.compile(r"""'(?:[^'\\\n]|\\.){0,400}'|"(?:[^"\\\n]|\\.){0,400}"|`(?:[^`\\]|\\.){0,2000}`""")
#: A click binding: what a customer's click runs ("click", touch and pointer presses); or a
#: destination the script gives the link (``a.href = 'mailto:' + user``, a share URL).
_CLICK = re.compile(r"""['"](?:click|touchstart|touchend|pointerdown|pointerup|mousedown|mouseup|tap)['"]|"""
                    r"\.(?:click|tap)\s*\(|\bonclick\b|\.on(?:touchstart|pointerdown|mousedown)\b|"
                    r"""\.href\s*=(?!=)|setAttribute\s*\(\s*['"]href['"]""")
#: How far (characters) a click binding may follow or precede a selector in the same
#: statement or handler to count as binding it.
_AFTER = 200
_BEFORE = 300
#: Any event binding: a handler for another event starts between a click and a selector.
_ANY_BINDING = re.compile(r"addEventListener\s*\(|\.on\s*\(|\bon[a-z]+\s*=")
_ASSIGNED = re.compile(r"(?:\b(?:const|let|var)\s+|\b(?:this\.)?)([A-Za-z_$][\w$]{0,60})\s*=\s*[^;=\n]{0,120}$")
_SELECTOR_PARTS = re.compile(r"#([A-Za-z_][\w-]*)|\.([A-Za-z_][\w-]*)|\[\s*(data-[\w-]+)")
_COMBINATOR = re.compile(r"[\s>+~]+")
_BY_ID = re.compile(r"getElementById\s*\(\s*['\"`]([^'\"`\s]{1,100})['\"`]")
_BY_CLASS = re.compile(r"getElementsByClassName\s*\(\s*['\"`]([^'\"`]{1,200})['\"`]")
_DATA_NAME = re.compile(r"^data-[\w-]{1,60}$")
_DATASET = re.compile(r"\.dataset\.([A-Za-z][A-Za-z0-9]{0,60})")
_NAVIGATES = re.compile(
    r"(?:\blocation(?:\.href)?\s*=(?!=)|\blocation\.(?:assign|replace)\s*\(|\bwindow\.open\s*\()\s*"
    r"""(['"`])([^'"`\n]{1,500})\1\s*(?=[;,)}\n]|$)""")
_LOADS = re.compile(r"\bfetch\s*\(|\.load\s*\(|\$\.(?:get|ajax)\s*\(|\bXMLHttpRequest\b|\.open\s*\(\s*['\"]GET|axios\.get\s*\(|"
                    r"insertAdjacentHTML|\.innerHTML\s*[+]?=|\.outerHTML\s*=|document\.write|\.html\s*\(|\.append\s*\(")
#: A string literal ending in .html / .htm (alone, or the last part of a concatenation).
_HTML_LITERAL = re.compile(r"""(['"`])([^'"`\n<>=]{0,300}?\.html?)\1""")
_IDENT_BEFORE = re.compile(r"[\w$.\[\]]{1,100}(?:\([^()]{0,40}\))?$")
#: A load call whose first argument starts here: fetch(, .load(, $.get(, $.ajax({url:, .open('GET',.
_LOAD_CALL = re.compile(r"""(?:\bfetch|\.load|\$\.get|\baxios\.get)\s*\(\s*$|\.open\s*\(\s*['"]GET['"]\s*,\s*$|\burl\s*:\s*$""",
                        re.I)
_WRITTEN_HREF = re.compile(r"""(?<![.\w])href\s*=\s*\\?(['"])([^'"<>\s\\]{1,300})\\?\1""", re.I)
_WRITTEN_ID = re.compile(r"""\bid\s*=\s*\\?(['"])([^'"<>\s\\]{1,100})\\?\1|\.id\s*=\s*(['"`])([^'"`\s]{1,100})\3""")
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|\.\.?/)|\.(?:html?|php|js|css|png|jpe?g|svg|webp|gif|pdf)(?:[?#]|$)", re.I)


@dataclass(frozen=True)
class ScriptReading:
    """What one script (or all of a page's inline scripts) does to links, as read from its text."""

    #: Hooks it looks up in selectors bound to a click: ``"#id"``, ``".class"``,
    #: ``"[data-x]"``. Only the subject of a selector counts ("#menu a" binds links, not
    #: the element #menu); see :class:`_ClickBound` for when a selector is bound to a click.
    binds: frozenset[str] = frozenset()
    #: URLs (as written) it sends the visitor to: location, location.assign/replace, window.open.
    opens: tuple[str, ...] = ()
    #: HTML it loads into the page, as URL patterns ("*" for a part computed at run time):
    #: the argument of a load call (``fetch('header.html')``, ``$('#nav').load('nav.html')``,
    #: ``$.get``, ``XMLHttpRequest.open('GET', ...)``).
    includes: tuple[str, ...] = ()
    #: Other names of HTML pieces in a script that loads or writes HTML
    #: (``loadPartial(base + 'partials/header' + suffix + '.html')``): only the site's known
    #: files (a folder's) are matched against them, nothing is fetched on a guess.
    maybe_includes: tuple[str, ...] = ()
    #: Link targets (as written) inside the HTML it writes: ``innerHTML = '<a href="x.html">'``.
    hrefs: tuple[str, ...] = ()
    #: Element ids inside the HTML it writes, or set with ``.id =``.
    ids: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.binds or self.opens or self.includes or self.maybe_includes or self.hrefs or self.ids)


class _ClickBound:
    """Is a selector at text[start:end] bound to a click? When a click binding follows it in
    the same statement (``$('.x').on('click', f)``, ``qsa('.x').forEach(b =>
    b.addEventListener('click', f))``: no ``;`` or ``}`` between, at most _AFTER characters),
    when it is read inside a click handler (``on('click', '.x', f)``, ``addEventListener(
    'click', e => e.target.closest('.x'))``: no ``}`` and no other binding between, at most
    _BEFORE characters), or when the name it is assigned to is followed closely by a click
    binding (``const b = $('#x'); ... b.addEventListener('click', f)``)."""

    def __init__(self, text: str, clicks: list[int]) -> None:
        self.text = text
        self.clicks = clicks
        #: name -> sorted positions of its uses that a click binding follows closely.
        self._uses: dict[str, list[int]] = {}

    def _clicked_uses(self, name: str) -> list[int]:
        found = self._uses.get(name)
        if found is None:
            found = []
            if len(self._uses) < 100:  # a bound on the work per script
                for use in re.finditer(r"(?<![\w$.])" + re.escape(name) + r"\b", self.text):
                    j = bisect.bisect_left(self.clicks, use.start())
                    if j < len(self.clicks) and self.clicks[j] - use.start() <= 120:
                        between = self.text[use.end():self.clicks[j]]
                        if ";" not in between and "}" not in between:
                            found.append(use.start())
            self._uses[name] = found
        return found

    def __call__(self, start: int, end: int) -> bool:
        text, clicks = self.text, self.clicks
        j = bisect.bisect_left(clicks, end)
        if j < len(clicks) and clicks[j] - end <= _AFTER:
            between = text[end:clicks[j]]
            if ";" not in between and "}" not in between:
                return True
        i = bisect.bisect_left(clicks, start) - 1
        if i >= 0 and start - clicks[i] <= _BEFORE:
            between = text[clicks[i] + 1:start]
            if "}" not in between and not _ANY_BINDING.search(between):
                return True
        m = _ASSIGNED.search(text, max(0, start - 200), start)
        if m is None:
            return False
        uses = self._clicked_uses(m.group(1))
        return bisect.bisect_left(uses, end) < len(uses)


def _unquote(literal: str) -> str:
    return literal[1:-1]


def _subject_hooks(selector: str, into: set[str]) -> None:
    """The hooks of the subject (last compound) of each selector in a selector list."""
    for part in selector.split(","):
        part = part.strip()
        if not part or len(part) > 200:
            continue
        last = _COMBINATOR.split(part)[-1]
        for m in _SELECTOR_PARTS.finditer(last):
            if m.group(1):
                into.add("#" + m.group(1))
            elif m.group(2):
                into.add("." + m.group(2).lower())
            else:
                into.add("[" + m.group(3).lower() + "]")


def _concatenation_before(text: str, start: int) -> tuple[list[str], int]:
    """The parts joined with ``+`` in front of a string literal at ``start``, read backwards
    (at most eight parts, 400 characters): literals as their text, anything else as "*";
    and where the concatenation starts."""
    parts: list[str | None] = []
    i = start
    floor = max(0, start - 400)
    while len(parts) < 8:
        j = i
        while j > floor and text[j - 1] in " \t":
            j -= 1
        if j <= floor or text[j - 1] != "+":
            break
        j -= 1
        while j > floor and text[j - 1] in " \t":
            j -= 1
        if j <= floor:
            break
        q = text[j - 1]
        if q in "'\"`":
            k = text.rfind(q, floor, j - 1)
            if k < 0 or "\n" in text[k:j]:
                break
            parts.append(text[k + 1:j - 1])
            i = k
        else:
            m = _IDENT_BEFORE.search(text, floor, j)
            if m is None:
                break
            parts.append(None)
            i = m.start()
    return [("*" if p is None else p) for p in reversed(parts)], i


def _pattern(parts: list[str], last: str) -> str | None:
    """The URL pattern of ``a + 'b' + c + '.html'``: literal parts kept, the others ``*``."""
    pattern = re.sub(r"\*+", "*", "".join(parts) + last)
    pattern = re.sub(r"\$\{[^}]*\}", "*", pattern)
    if not pattern.strip("*./") or " " in pattern.strip():
        return None
    return pattern


def read_script(text: str) -> ScriptReading:
    """Read one script's text (see the module docstring); never runs it."""
    text = text[:MAX_SCRIPT]
    if not text.strip():
        return ScriptReading()
    binds: set[str] = set()
    clicks = [m.start() for m in _CLICK.finditer(text)][:5000]
    if clicks:
        bound = _ClickBound(text, clicks)
        for m in _STRING.finditer(text):
            s = _unquote(m.group(0))
            if not s or len(s) > 300 or "://" in s or "<" in s:
                continue
            found: set[str] = set()
            if _DATA_NAME.match(s):
                found.add("[" + s.lower() + "]")
            elif ("#" in s or "." in s or "[data-" in s) and not _URLISH.search(s):
                _subject_hooks(s, found)
            if found and bound(m.start(), m.end()):
                binds.update(found)
            if len(binds) >= MAX_ITEMS:
                break
        for m in _BY_ID.finditer(text):
            if bound(m.start(), m.end()):
                binds.add("#" + m.group(1))
        for m in _BY_CLASS.finditer(text):
            if bound(m.start(), m.end()):
                binds.update("." + c.lower() for c in m.group(1).split())
        for m in _DATASET.finditer(text):
            if bound(m.start(), m.end()):
                binds.add("[data-" + re.sub(r"([A-Z])", lambda c: "-" + c.group(1).lower(), m.group(1)) + "]")
    opens = list(dict.fromkeys(m.group(2).strip() for m in _NAVIGATES.finditer(text) if "${" not in m.group(2)))
    includes: list[str] = []
    maybe: list[str] = []
    hrefs: list[str] = []
    ids: set[str] = set()
    if _LOADS.search(text):
        opened = set(opens)
        for m in _HTML_LITERAL.finditer(text):
            last = m.group(2)
            before = text[max(0, m.start() - 1):m.start()]
            if last in opened or before == "=" or "://" in last:
                continue
            parts, begins = _concatenation_before(text, m.start())
            pattern = _pattern(parts, last)
            if not pattern:
                continue
            direct = _LOAD_CALL.search(text, max(0, begins - 60), begins) is not None
            into = includes if direct else maybe
            if pattern not in into:
                into.append(pattern)
            if len(includes) + len(maybe) >= MAX_ITEMS:
                break
        for m in _WRITTEN_HREF.finditer(text):
            href = m.group(2)
            if "${" not in href and "+" not in href and href not in hrefs:
                hrefs.append(href)
            if len(hrefs) >= MAX_ITEMS:
                break
    for m in _WRITTEN_ID.finditer(text):
        ids.add(m.group(2) or m.group(4))
        if len(ids) >= MAX_ITEMS:
            break
    return ScriptReading(binds=frozenset(binds), opens=tuple(opens[:MAX_ITEMS]), includes=tuple(includes),
                         maybe_includes=tuple(p for p in maybe if p not in includes),
                         hrefs=tuple(hrefs), ids=frozenset(ids))


def merge(readings: list[ScriptReading]) -> ScriptReading:
    """Several readings as one (a page's inline scripts together)."""
    if not readings:
        return ScriptReading()
    if len(readings) == 1:
        return readings[0]
    return ScriptReading(
        binds=frozenset().union(*(r.binds for r in readings)),
        opens=tuple(dict.fromkeys(u for r in readings for u in r.opens)),
        includes=tuple(dict.fromkeys(u for r in readings for u in r.includes)),
        maybe_includes=tuple(dict.fromkeys(u for r in readings for u in r.maybe_includes)),
        hrefs=tuple(dict.fromkeys(u for r in readings for u in r.hrefs)),
        ids=frozenset().union(*(r.ids for r in readings)))
