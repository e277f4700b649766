"""One page read once: the generic document facts, then every registered extractor over the
same parsed tree, then the tree is dropped and only facts are kept."""

from __future__ import annotations

import dataclasses
import math
import re
import traceback
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup, Tag

from ..model import REGIONS, PageFacts
from .build import TreeBuilder, take_apart
from .clock import Clock, ExtractionInterrupted
from .controls import settle_bound
from .decode import decode_html
from .forms import read_forms
from .scripted import script_built
from .scripts import MAX_SCRIPT, ScriptReading, merge, read_script
from .structured import read_structured
from .tree import _join_or_none, _Selectors, _TagIndex, count_words, norm
from .view import Document
from .walker import _Walker

if TYPE_CHECKING:
    from ..probe import Extractor

#: Script types that are JavaScript (no type, or one of these); JSON, templates and the rest are data.
_JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript",
                       "application/ecmascript", "text/jsx", "text/babel"})
#: Hidden form fields that name the page a form service sends the visitor to after sending.
_REDIRECT_FIELDS = re.compile(r"^_?(?:next|redirect|redirect[-_]?(?:to|url)|redirectto|success[-_]?url|_?success|"
                              r"return[-_]?(?:url|to)?|returnurl|after|thank[-_]?you[-_]?url|thankyou|_?subject_redirect)$", re.I)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s;]+)", re.I)
_DOCUMENT_TAG = re.compile(r"<(?:html|head|body|title)[\s>/]", re.I)
JS_ROOT_IDS = re.compile(r"^(root|app|__next|__nuxt|main-app|svelte|ember\w*|q-app)$", re.I)


@dataclass(frozen=True)
class ExtractionFailure:
    """Why a page has no facts: its extraction ran out of time or failed."""

    #: "too_complex" (the page's budget ran out), "deadline" (the run's deadline did),
    #: or "extract_failed" (extraction raised: a bug in cxprobe that this page triggers);
    #: the page errors of cxprobe.model.UNREAD_ERRORS.
    kind: str
    #: One line for the report: what was measured, or the exception and where it was raised.
    detail: str


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {PurePath(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    message = "".join(c if c.isprintable() else " " for c in " ".join(str(exc).split())[:200])
    return f"{type(exc).__name__}: {message}{where}"


def extract_facts(url: str, headers: Mapping[str, str] | None, body: bytes,
                  extractors: Sequence[Extractor] = (), budget: float | None = None,
                  time_left: float | None = None) -> PageFacts:
    """Parse one HTML page into :class:`PageFacts`: the generic document, then each of
    ``extractors`` (in the order given: dependencies first) over the same tree. Pure: no
    I/O, no globals, so it can run in a process pool.

    ``budget`` is the most CPU seconds reading may take, ``time_left`` the wall-clock
    seconds left before the run's deadline (None: no limit). When either runs out,
    :class:`ExtractionInterrupted` says which, how long it ran and what it was doing.
    An extractor that raises is recorded in ``unextracted`` and the others still run.
    """
    clock = Clock(budget, time_left, len(body))
    html, encoding = decode_html(body, headers)
    # A fragment (a header, a footer, a menu other pages load) has no document element.
    fragment = _DOCUMENT_TAG.search(html, 0, 200_000) is None
    clock.enter("parsing")
    builder = TreeBuilder(clock)
    soup = None
    try:
        soup = BeautifulSoup(html, builder=builder)
        doc = _read(url, soup, encoding, clock, html, fragment, tags=builder.tags)
        extracted, failed = run_extractors(doc, extractors)
        return dataclasses.replace(doc.facts, extracted=extracted, unextracted=failed,
                                   robots_header=_robots_header(headers))
    finally:
        # A parsed page is a web of references (parent, children, next and previous
        # element) that only Python's cycle collector frees: in one pause of seconds
        # after a big page, charged to whatever page runs then. Taken apart here, it is
        # freed at once, on this page's account, whether extraction finished or not (bs4
        # forgets the builder's soup once parsing ends; until then only the builder has it).
        _take_apart(soup, builder)


def _take_apart(soup: BeautifulSoup | None, builder: TreeBuilder) -> None:
    """Take apart the page's tree: ``soup`` once parsed, or the builder's soup when
    parsing itself stopped (the budget ran out)."""
    tree = soup if soup is not None else builder.soup
    builder.soup = None
    builder.tags = None
    if tree is not None:
        take_apart(tree)


def _robots_header(headers: Mapping[str, str] | None) -> str:
    """The ``X-Robots-Tag`` header, lower-cased ("" without one)."""
    if not headers:
        return ""
    return ", ".join(" ".join(v.split()).lower() for k, v in headers.items() if k.lower() == "x-robots-tag")[:500]


def run_extractors(doc: Document, extractors: Sequence[Extractor]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every extractor over ``doc``: (facts by namespace, failures by namespace)."""
    extracted: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for ex in extractors:
        doc.clock.enter(f"extractor {ex.name!r}")
        missing = [r for r in ex.requires if r not in extracted]
        if missing:
            failed[ex.name] = f"needs the facts of {', '.join(repr(m) for m in missing)}, which are not available"
            continue
        try:
            value = ex.extract(doc)
            problem = jsonable_problem(value)
            if problem:
                raise TypeError(f"its facts cannot become JSON: {problem}")
        except ExtractionInterrupted:
            raise
        except Exception as exc:  # noqa: BLE001 - recorded on the page; probes that need it say so
            failed[ex.name] = f"extractor {ex.name!r} failed on this page: {_where(exc)}"
            continue
        extracted[ex.name] = value
        doc._facts[ex.name] = value
    return extracted, failed


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def jsonable_problem(value: Any, limit: int = 64) -> str | None:
    """Why ``value`` cannot become JSON (None when it can): facts are scalars, strings,
    tuples, lists, dicts with string keys and frozen dataclasses of those, at most
    ``limit`` levels deep, with no NaN or infinity. Iterative; cycles are too deep."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if depth > limit:
            return f"nested more than {limit} levels (or a cycle)"
        if v is None or isinstance(v, (str, bool, int)):
            continue
        if isinstance(v, float):
            if not math.isfinite(v):
                return f"{v!r} is not a JSON number"
            continue
        if isinstance(v, (list, tuple)):
            stack.extend((x, depth + 1) for x in v)
        elif isinstance(v, dict):
            for k, x in v.items():
                if not isinstance(k, str):
                    return f"a dict key {k!r} is not a string"
                stack.append((x, depth + 1))
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            stack.extend((getattr(v, name), depth + 1) for name in _field_names(type(v)))
        else:
            return f"a {type(v).__name__} is not JSON"
    return None


def to_json(value: Any) -> Any:
    """Facts as plain JSON values: dataclasses become dicts, tuples lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_json(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [to_json(x) for x in value]
    if isinstance(value, dict):
        return {k: to_json(x) for k, x in value.items()}
    return value


def _first(tags: list[Tag]) -> Tag | None:
    return tags[0] if tags else None


#: An <html> start tag in the markup and its lang attribute (reading at most the first 64 KB).
_HTML_START = re.compile(r"<html\b[^>]*>", re.I)
_LANG_ATTR = re.compile(r"""\s(?:xml:)?lang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _markup_lang(markup: str) -> str | None:
    """The lang of the page's <html> start tag read from the markup itself.

    A browser merges the attributes of a late <html> tag into the root element, so stray
    text before <!doctype> (an "html" line left by an editor) keeps the page's language;
    lxml drops that tag, and with it the lang. Comments are left out first."""
    head, parts, at = markup[:65536], [], 0
    while True:  # comments out, in one pass (an unclosed one hides the rest, as in a browser)
        start = head.find("<!--", at)
        if start < 0:
            parts.append(head[at:])
            break
        parts.append(head[at:start])
        end = head.find("-->", start + 4)
        if end < 0:
            break
        at = end + 3
    head = "".join(parts)
    for tag in _HTML_START.finditer(head):
        m = _LANG_ATTR.search(tag.group(0))
        if m:
            value = next(g for g in m.groups() if g is not None).strip()
            if value:
                return value
    return None


def _read_inline_scripts(scripts: list[Tag], clock: Clock) -> ScriptReading:
    """What the page's inline scripts do to its links (see cxprobe.document.scripts)."""
    readings: list[ScriptReading] = []
    room = MAX_SCRIPT
    for s in scripts:
        clock.tick()
        kind = str(s.get("type") or "").strip().lower()
        if kind not in _JS_TYPES:
            continue
        text = s.string if s.string is not None else s.get_text()
        if not text or not text.strip():
            continue
        text = text[:room]
        readings.append(read_script(text))
        clock.check()
        room -= len(text)
        if room <= 0:
            break
    return merge(readings)


def _elsewhere(base: str, index: _TagIndex, forms_actions: list[str], reading: ScriptReading,
               clock: Clock) -> tuple[str, ...]:
    """Absolute URLs the page sends a visitor to without a link (PageFacts.opens): its
    scripts' navigations, its forms' actions and redirect fields, a meta refresh."""
    found: list[str] = list(reading.opens)
    for inp in index.get("input"):
        clock.tick()
        if str(inp.get("type") or "").lower() == "hidden" and _REDIRECT_FIELDS.match(str(inp.get("name") or "")):
            found.append(str(inp.get("value") or ""))
    for meta_tag in index.get("meta"):
        if str(meta_tag.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH_URL.search(str(meta_tag.get("content") or ""))
            if m:
                found.append(m.group(1))
    found.extend(forms_actions)
    out: list[str] = []
    for written in found:
        written = written.strip()
        if not written or written.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        joined = _join_or_none(base, written)
        if joined and joined.startswith(("http://", "https://")):
            out.append(joined.split("#", 1)[0])
    return tuple(dict.fromkeys(out))[:100]


def _read(url: str, soup: BeautifulSoup, encoding: str | None, clock: Clock, markup: str = "",
          fragment: bool = False, tags: list[Tag] | None = None) -> Document:
    """The generic document facts of a parsed page, and the Document extractors read."""
    from ..language import detect_language_of_tokens

    clock.enter("indexing elements")
    index = _TagIndex(soup, clock, tags)
    selector = _Selectors()
    html_tag = _first(index.get("html"))
    lang = None
    if isinstance(html_tag, Tag):
        lv = html_tag.get("lang") or html_tag.get("xml:lang")
        if isinstance(lv, str) and lv.strip():
            lang = lv.strip()
    if lang is None and markup:
        lang = _markup_lang(markup)
    title_tag = _first(index.get("title"))
    title = norm(title_tag.get_text(" ")) if isinstance(title_tag, Tag) else ""
    base = url
    base_tag = next((t for t in index.get("base") if t.has_attr("href")), None)
    if isinstance(base_tag, Tag):
        base = _join_or_none(url, str(base_tag.get("href"))) or url

    clock.enter("reading metadata")
    meta_desc = ""
    viewport = None
    meta_robots = ""
    social_meta: dict[str, str] = {}
    for meta_tag in index.get("meta"):
        clock.tick()
        name = str(meta_tag.get("name") or meta_tag.get("property") or "").lower().strip()
        content = str(meta_tag.get("content") or "")
        if name == "description":
            meta_desc = norm(content)
        elif name == "viewport":
            viewport = norm(content)
        elif name == "robots":
            meta_robots = content.lower()
        elif name.startswith(("og:", "twitter:")):
            social_meta.setdefault(name, norm(content)[:300])
    canonical = None
    for link_tag in (t for t in index.get("link") if t.has_attr("href")):
        link_rel: Any = link_tag.get("rel") or []
        rels = [r.lower() for r in link_rel] if isinstance(link_rel, list) else str(link_rel).lower().split()
        if "canonical" in rels:
            canonical = _join_or_none(base, str(link_tag.get("href")))
            break

    scripts = tuple(str(s.get("src")) for s in index.get("script") if s.has_attr("src"))
    inline_scripts = [s for s in index.get("script") if not s.has_attr("src")]
    iframes = tuple(str(f.get("src")) for f in index.get("iframe") if f.has_attr("src"))
    clock.enter("reading structured data")
    types, json_ld = read_structured(soup, index, clock)

    clock.enter("walking the page")
    found_body = _first(index.get("body"))
    body_tag: Tag = found_body if isinstance(found_body, Tag) else soup
    walker = _Walker(base, clock, selector)
    walker.walk(body_tag, "main", 0, False)
    walker.finish()

    clock.enter("reading inline scripts")
    reading = _read_inline_scripts(inline_scripts, clock)
    links = settle_bound(walker.links, reading.binds)
    anchors = list(walker.anchors)
    for holder in (html_tag, found_body):
        hid = holder.get("id") if isinstance(holder, Tag) else None
        if isinstance(hid, str) and hid:
            anchors.append(hid)
    anchors.extend(sorted(reading.ids)[:100])
    includes = [*reading.includes, *walker.includes]
    script_links = tuple(dict.fromkeys(
        j.split("#", 1)[0] for j in (_join_or_none(base, h) for h in reading.hrefs
                                     if not h.startswith(("#", "javascript:", "mailto:", "tel:")))
        if j and j.startswith(("http://", "https://"))))[:200]

    clock.enter("reading forms")
    forms = read_forms(body_tag, walker.region_starts, index, clock, selector)
    opens = _elsewhere(base, index, [f.action for f in forms if f.action], reading, clock)

    clock.enter("joining text")
    text: dict[str, str] = {}
    for region, chunks in walker.chunks.items():
        # Each line's white space collapsed (norm), empty lines left out: in C, line by line.
        t = "\n".join(filter(None, map(" ".join, map(str.split, "".join(chunks).split("\n")))))
        if t:
            text[region] = t
    clock.check()
    # The white-space tokens of the regions of the page's text, each counted once: the
    # words (a token of letters and digits only is one) and the language are read from the
    # distinct tokens, which a page repeats many times.
    tokens: dict[str, Counter[str]] = {r: Counter(text[r].split()) for r in REGIONS if r in text}
    word_count = sum(count_words(counted) for counted in tokens.values())
    clock.check()
    clock.enter("detecting the language")
    # The main text's language, else that of the whole text.
    text_lang = detect_language_of_tokens(tokens["main"] if "main" in tokens else sum(tokens.values(), Counter()))

    clock.enter("looking for script-built content")
    built = script_built(index.get("script"), bool(scripts), index.by_name, clock)

    js_shell = False
    if word_count < 25:
        has_root = body_tag.find(id=JS_ROOT_IDS) is not None
        many_scripts = len(scripts) + len(inline_scripts) >= 1
        js_shell = many_scripts and (has_root or word_count < 8)

    facts = PageFacts(
        url=url,
        title=title,
        lang=lang,
        text_lang=text_lang,
        meta_description=meta_desc,
        viewport=viewport,
        canonical=canonical,
        meta_robots=meta_robots,
        charset=encoding,
        headings=tuple(walker.headings),
        text=text,
        links=tuple(links),
        forms=tuple(forms),
        schema_types=tuple(dict.fromkeys(x for x in sorted(types) if x)),
        social_meta=social_meta,
        scripts=scripts,
        iframes=iframes,
        images=tuple(walker.images),
        word_count=word_count,
        js_shell=js_shell,
        script_built=built,
        anchors=tuple(dict.fromkeys(anchors)),
        opens=opens,
        includes=tuple(dict.fromkeys(i for i in includes if i))[:50],
        maybe_includes=reading.maybe_includes[:50],
        script_links=script_links,
        fragment=fragment,
    )
    return Document(url, base, soup, facts, walker.text_regions, json_ld, index, selector, clock, tokens)


def extract_rendered(url: str, body: bytes, static: PageFacts, extractors: Sequence[Extractor] = (),
                     budget: float | None = None, time_left: float | None = None) -> PageFacts | None:
    """The facts of a page's rendered DOM merged with its static ``static`` facts, or None
    when the rendered page adds nothing material (:func:`~cxprobe.document.merge.material`).

    The generic document of the rendered HTML is read first and compared; only when
    scripts built something are the extractors run, over the rendered tree with the
    merged generic facts (so a fact listed per form or per link matches the merged
    lists), and their facts merged with the static ones (:mod:`cxprobe.document.merge`).
    Within ``budget`` and ``time_left`` like :func:`extract_facts`; raises
    :class:`ExtractionInterrupted` (or any extraction error) like it: :func:`reread_page`
    turns both into a result.
    """
    from .merge import material, merge_document, merge_values

    clock = Clock(budget, time_left, len(body))
    html, encoding = decode_html(body, {"content-type": "text/html; charset=utf-8"})
    clock.enter("parsing")
    builder = TreeBuilder(clock)
    soup = None
    try:
        soup = BeautifulSoup(html, builder=builder)
        doc = _read(url, soup, encoding, clock, tags=builder.tags)
        if not material(static, doc.facts):
            return None
        doc.facts = merge_document(static, doc.facts)
        extracted, failed = run_extractors(doc, extractors)
        for name, value in static.extracted.items():
            extracted[name] = merge_values(value, extracted[name]) if name in extracted else value
            failed.pop(name, None)
        return dataclasses.replace(doc.facts, extracted=extracted, unextracted=failed)
    finally:
        _take_apart(soup, builder)


def reread_page(url: str, body: bytes, static: PageFacts, extractors: Sequence[Extractor] = (),
                budget: float | None = None, time_left: float | None = None) -> PageFacts | ExtractionFailure | None:
    """:func:`extract_rendered` with every way it can fail returned as an :class:`ExtractionFailure`."""
    try:
        return extract_rendered(url, body, static, extractors, budget=budget, time_left=time_left)
    except ExtractionInterrupted as exc:
        return ExtractionFailure("too_complex" if exc.reason == "budget" else "deadline", str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded, with where it was raised
        return ExtractionFailure("extract_failed", f"{_where(exc)} (a cxprobe bug: please report it)")


def extract_page(url: str, headers: Mapping[str, str] | None, body: bytes,
                 extractors: Sequence[Extractor] = (), budget: float | None = None,
                 time_left: float | None = None) -> PageFacts | ExtractionFailure:
    """:func:`extract_facts`, with every way it can fail returned as an :class:`ExtractionFailure`.

    One page never ends the run: whatever the page holds, the caller gets facts or a
    failure to record on that page. Pure and picklable both ways, like extract_facts.
    """
    try:
        return extract_facts(url, headers, body, extractors, budget=budget, time_left=time_left)
    except ExtractionInterrupted as exc:
        return ExtractionFailure("too_complex" if exc.reason == "budget" else "deadline", str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded on the page, with where it was raised
        return ExtractionFailure("extract_failed", f"{_where(exc)} (a cxprobe bug: please report it)")
