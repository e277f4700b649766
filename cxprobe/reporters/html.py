"""The HTML reporter: one self-contained page for the people who act on an audit.

What it holds, in reading order: the cohesion score and what it means in one sentence;
the touchpoints as a bar chart; where to start (the touchpoints whose fixing gains the
most, from ``cohesion.pull``, with their worst findings); the causes that several findings
share (``causes``, when the report has them); every finding grouped by touchpoint, with
its evidence, page count and how to fix it (the probe's own explanation, which the report
carries on each probe result: ``title``, ``failure_title``, ``description``); in browser
mode the first-viewport screenshots with the element of each visual finding outlined; the
pages crawled with their status in plain words; gates and baseline when present; with
``--history``, the trend of the cohesion score; the run's settings and completeness.

Reporters read only the report (a saved report renders the same) and the config, with
two exceptions that are files the report names: the screenshots
(``pages[].screenshots``, resolved against the report's own folder, read up to a size
bound, inlined as ``data:`` URIs; a missing or unreadable one is skipped with a note)
and, with ``--history``, the history database (:func:`cxprobe.history.load_runs`).

Safe by construction: the page is rendered by Jinja2 with autoescaping on and nothing
marked safe, so every piece of site content (titles, link texts, headings, evidence,
URLs) is text, never markup; a URL becomes a link only when it is ``http(s)://``. The
page has no script at all, and a Content-Security-Policy meta tag allows nothing but its
own style sheet (by hash) and ``data:`` images: opened from disk, it sends no request.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import struct
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..probe import Reporter
from ._shared import PROBE_STATUS_WORDS, SEVERITY_RANK, STATUS_WORDS, plain, plain_count, waiver

SEVERITY_WORDS = {"error": "error", "warning": "warning", "info": "info"}
VIEWPORT_WORDS = {"mobile": "phone", "desktop": "desktop"}

#: A screenshot larger than this is not inlined (a note says so); all of them together
#: stop at MAX_SHOTS_BYTES and MAX_SHOTS images.
MAX_SHOT_BYTES = 1_500_000
MAX_SHOTS_BYTES = 8_000_000
MAX_SHOTS = 24
#: Touchpoints named under "Where to start", and findings named for each.
START_TOUCHPOINTS = 3
START_FINDINGS = 3
#: Runs of the history trend drawn at most (the newest).
HISTORY_RUNS = 60

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_HTTP_URL = re.compile(r"^https?://[^\s\"'<>\\]+$", re.I)
_ANCHOR_UNSAFE = re.compile(r"[^a-z0-9_-]+")

#: Page errors in plain words (report ``pages[].error``).
PAGE_ERROR_WORDS = {
    "timeout": "could not be fetched: it did not answer in time",
    "connect": "could not be fetched: no connection",
    "too_large": "could not be read: too large",
    "redirect_loop": "could not be fetched: its redirects go round in a loop",
    "too_many_redirects": "could not be fetched: too many redirects",
    "not_html": "not a web page (skipped)",
    "http_error": "could not be fetched",
    "decode": "could not be read: its text could not be decoded",
    "robots": "not fetched: robots.txt asks crawlers to stay away",
    "invalid_url": "not fetched: the address is not valid",
    "other": "could not be fetched",
    "too_complex": "fetched, but too complex to read in time (not judged)",
    "deadline": "fetched, but the run's time ran out before it was read (not judged)",
    "extract_failed": "fetched, but could not be read (a cxprobe bug; not judged)",
}


def safe_href(url: Any) -> str | None:
    """``url`` when it may become a link (an absolute http or https URL without white
    space or quotes), else None: site-relative paths, ``javascript:``, ``data:`` and
    anything else stay plain text."""
    text = plain(url).strip()
    return text if _HTTP_URL.match(text) else None


def anchor(*parts: Any) -> str:
    """An id attribute made of our own characters, whatever the report holds."""
    return "-".join(_ANCHOR_UNSAFE.sub("-", plain(p).lower()).strip("-") or "x" for p in parts)


def _dict(value: Any) -> dict[str, Any]:
    """``value`` when it is an object of the report, else an empty one (a saved report is data)."""
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _score(value: Any) -> str:
    n = _number(value)
    return "—" if n is None else f"{n:.0f}"


def _meaning(score: float | None) -> str:
    if score is None:
        return "no touchpoint could be scored"
    if score >= 90:
        return "customers find what they need"
    if score >= 75:
        return "customers find most of what they need"
    if score >= 50:
        return "customers miss part of what they need"
    return "customers struggle to find what they need"


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG from its header, None when ``data`` is not a PNG."""
    if len(data) < 24 or not data.startswith(_PNG_MAGIC) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return (width, height) if 0 < width <= 20_000 and 0 < height <= 20_000 else None


def report_folder(config: Any) -> Path:
    """The folder the report file is written to (where relative screenshot paths start):
    the --output file's folder for one format, the --output folder for several, else the
    working directory."""
    output = getattr(config, "output", None)
    if not output or output == "-":
        return Path.cwd()
    formats = list(dict.fromkeys(getattr(config, "formats", None) or ("terminal",)))
    out = Path(output)
    return out if len(formats) > 1 else out.parent


# --------------------------------------------------------------------------- the view

@dataclass
class MarkNote:
    """One finding an outlined element belongs to (the legend's line)."""

    anchor: str
    title: str
    snippet: str


@dataclass
class Mark:
    """One outlined element on a screenshot, and the findings it belongs to."""

    number: int
    #: The outline in the screenshot's px, clamped into it.
    x: float
    y: float
    width: float
    height: float
    #: "below" or "right" when the element lies outside the first screen, else "".
    outside: str = ""
    distance: int = 0
    notes: list[MarkNote] = field(default_factory=list)
    #: Where its numbered badge goes (placed so that badges do not cover each other).
    badge_x: float = 0.0
    badge_y: float = 0.0


@dataclass
class Screen:
    """One screenshot (a page in one viewport) with its marks."""

    url: str
    viewport: str
    anchor: str
    data_uri: str = ""
    width: int = 0
    height: int = 0
    marks: list[Mark] = field(default_factory=list)
    size: int = 0


class HtmlReporter(Reporter):
    """``--format html``: a self-contained page for people (see the module docstring)."""

    name = "html"
    extension = ".html"
    description = "one self-contained page for people: score, where to start, findings with evidence, screenshots"

    def render(self, report: dict[str, Any], config: Any) -> str:
        import jinja2
        import markupsafe

        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                 lstrip_blocks=True, finalize=_finalize)
        template = env.from_string(_template_text())
        css = _css_text()
        view = build_view(report, config)
        # The style sheet is ours, read from the package: the one value not escaped (its
        # hash in the CSP allows exactly it).
        return template.render(css=markupsafe.Markup(css), css_hash=_csp_hash(css), badge_radius=badge_radius, **view)


def _finalize(value: Any) -> Any:
    """Every value printed: None is nothing; text loses control characters and lone
    surrogates (then Jinja escapes it)."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):  # the style sheet (the one Markup value), as it is
        return value
    if isinstance(value, str):
        return plain(value)
    return value


def _template_text() -> str:
    return resources.files("cxprobe.reporters").joinpath("templates/report.html").read_text(encoding="utf-8")


def _css_text() -> str:
    return resources.files("cxprobe.reporters").joinpath("templates/report.css").read_text(encoding="utf-8")


def _csp_hash(css: str) -> str:
    """The CSP source that allows exactly the style element holding ``css``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"


def build_view(report: dict[str, Any], config: Any) -> dict[str, Any]:
    """Everything the template prints, already in plain words."""
    coh = _dict(report.get("cohesion"))
    touchpoints = {str(k): v for k, v in (report.get("touchpoints") or {}).items() if isinstance(v, dict)}
    findings = [f for f in report.get("findings") or () if isinstance(f, dict)]
    notes: list[str] = []
    screens, marks_by_example = _screens(report, findings, config, notes)
    titles = {tid: str(tp.get("title") or tid) for tid, tp in touchpoints.items()}
    probes = {str(p.get("id")): p for tp in touchpoints.values() for p in tp.get("probes") or () if isinstance(p, dict)}
    finding_views = {str(f.get("id")): _finding_view(report, f, probes, marks_by_example) for f in findings}
    causes = _causes(report, finding_views, probes, titles)
    for view in finding_views.values():
        cause = next((c for c in causes if view["id"] in c["finding_ids"]), None)
        view["cause"] = cause
    score = _number(coh.get("score"))
    statuses = [str(tp.get("status")) for tp in touchpoints.values()]
    to_work = sum(1 for s in statuses if s in ("needs_work", "poor"))
    unscored = sum(1 for s in statuses if s == "unscored")
    if score is None:
        meaning = "No touchpoint could be scored."
        sentence = f"Not scored: {meaning[0].lower()}{meaning[1:]}"
    else:
        work = ("every touchpoint is good" if not to_work else
                f"{plain_count(to_work, 'touchpoint')} {'needs' if to_work == 1 else 'need'} work")
        if unscored:
            work += f", {unscored} not checked"
        meaning = f"{_meaning(score)}; {work}."
        sentence = f"{score:.0f} / 100: {meaning}"
        meaning = meaning[0].upper() + meaning[1:]
    pull = _dict(coh.get("pull"))
    chart = []
    for tid, tp in sorted(touchpoints.items(), key=lambda kv: (_number(kv[1].get("score")) is None,
                                                                -(_number(pull.get(kv[0])) or 0), kv[0])):
        s = _number(tp.get("score"))
        chart.append({"id": tid, "anchor": anchor("tp", tid), "title": titles[tid], "score": _score(s),
                      "bar": max(0.0, min(100.0, s or 0.0)), "status": str(tp.get("status")),
                      "status_word": STATUS_WORDS.get(str(tp.get("status")), str(tp.get("status"))),
                      "gain": _number(pull.get(tid))})
    return {
        "title": f"cxprobe report: {plain(report.get('target'))}",
        "report": report,
        "error": report.get("error"),
        "score": None if score is None else f"{score:.0f}",
        "score_exact": None if score is None else f"{score:.1f}",
        "status_class": "none" if score is None else "good" if score >= 90 else "needs_work" if score >= 50 else "poor",
        "sentence": sentence,
        "meaning": meaning,
        "incomplete": _incomplete(report, coh, titles),
        "chart": chart,
        "start_here": _start_here(touchpoints, findings, finding_views, pull, titles),
        "causes": causes,
        "journeys": _journeys(report),
        "sections": _sections(touchpoints, findings, finding_views, pull, titles),
        "screens": screens,
        "screen_notes": notes,
        "pages": _pages(report),
        "crawl": _crawl_words(report),
        "settings": _settings(report, config),
        "gates": _gates(report),
        "baseline": _baseline(report, finding_views, titles),
        "history": _history(report, config),
        "notes": [plain(n) for n in report.get("notes") or ()],
        "generated": plain((report.get("tool") or {}).get("version")),
    }


def _incomplete(report: dict[str, Any], coh: dict[str, Any], titles: dict[str, str]) -> list[str]:
    if coh.get("complete", True):
        return []
    out = [plain(r) for r in coh.get("incomplete_because") or ()]
    errored = [titles.get(str(t), str(t)) for t in coh.get("errored") or ()]
    if errored:
        out.append(f"a check could not run in {', '.join(errored)}, so "
                   f"{'it is' if len(errored) == 1 else 'they are'} not scored")
    return out or ["a check could not run"]


def _finding_view(report: dict[str, Any], f: dict[str, Any], probes: dict[str, dict[str, Any]],
                  marks: dict[tuple[str, int], list[tuple[Screen, Mark]]]) -> dict[str, Any]:
    fid = str(f.get("id"))
    probe = probes.get(str(f.get("probe")), {})
    examples = []
    for i, ex in enumerate(f.get("examples") or ()):
        if not isinstance(ex, dict):
            continue
        source = ex.get("source") if isinstance(ex.get("source"), dict) else None
        where = None
        if source and source.get("file"):
            line = source.get("line")
            where = plain(source["file"]) + (f", line {line}" if isinstance(line, int) and not isinstance(line, bool) else "")
        examples.append({
            "url": plain(ex.get("url")), "href": safe_href(ex.get("url")), "snippet": plain(ex.get("snippet")),
            "selector": plain(ex.get("selector")), "source": where,
            "marks": [{"anchor": s.anchor, "number": m.number, "viewport": VIEWPORT_WORDS.get(s.viewport, s.viewport),
                       "url": s.url} for s, m in marks.get((fid, i), ())],
        })
    pages = f.get("pages")
    n = pages if isinstance(pages, int) and not isinstance(pages, bool) else 0
    w = waiver(f)
    return {
        "id": fid, "anchor": anchor("f", fid), "severity": str(f.get("severity")),
        "severity_word": SEVERITY_WORDS.get(str(f.get("severity")), plain(f.get("severity"))),
        "title": plain(f.get("title")), "message": plain(f.get("message")),
        "pages": n, "pages_text": f"on {plain_count(n, 'page')}" if n else "",
        "examples": examples, "probe": plain(f.get("probe")), "touchpoint": str(f.get("touchpoint")),
        "check": plain(probe.get("title")), "why": plain(probe.get("description")),
        "waived": None if w is None else {"reason": plain(w.get("reason")), "until": plain(w.get("until"))},
        "cause": None,
    }


def _causes(report: dict[str, Any], views: dict[str, dict[str, Any]], probes: dict[str, dict[str, Any]],
            titles: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for c in report.get("causes") or ():
        if not isinstance(c, dict):
            continue
        ids = [str(i) for i in c.get("findings") or () if str(i) in views]
        if len(ids) < 2:
            continue
        probe_names = []
        for pid in c.get("probes") or ():
            p = probes.get(str(pid), {})
            probe_names.append(plain(p.get("failure_title") or p.get("title") or pid))
        out.append({
            "anchor": anchor("cause", c.get("id")), "title": plain(c.get("title")),
            "severity": str(c.get("severity")),
            "severity_word": SEVERITY_WORDS.get(str(c.get("severity")), plain(c.get("severity"))),
            "probes": probe_names,
            "touchpoints": [titles.get(str(t), plain(t)) for t in c.get("touchpoints") or ()],
            "finding_ids": set(ids),
            "findings": [{"anchor": views[i]["anchor"], "title": views[i]["title"],
                          "touchpoint": titles.get(views[i]["touchpoint"], views[i]["touchpoint"])} for i in ids],
        })
    return out


def _start_here(touchpoints: dict[str, Any], findings: list[dict[str, Any]], views: dict[str, dict[str, Any]],
                pull: dict[str, Any], titles: dict[str, str]) -> list[dict[str, Any]]:
    gains = sorted(((g, tid) for tid, v in pull.items() if (g := _number(v)) is not None and g >= 0.05
                    and str(tid) in touchpoints), key=lambda x: (-x[0], x[1]))
    out = []
    for gain, tid in gains[:START_TOUCHPOINTS]:
        tp = touchpoints[tid]
        own = [views[str(f.get("id"))] for f in findings
               if str(f.get("touchpoint")) == tid and waiver(f) is None and f.get("severity") != "info"]
        own.sort(key=lambda v: (SEVERITY_RANK.get(v["severity"], 9), -v["pages"]))
        out.append({"anchor": anchor("tp", tid), "title": titles[tid], "gain": f"{gain:.1f}",
                    "score": _score(tp.get("score")),
                    "status_word": STATUS_WORDS.get(str(tp.get("status")), str(tp.get("status"))),
                    "question": plain(tp.get("question")), "findings": own[:START_FINDINGS],
                    "more": max(0, len(own) - START_FINDINGS)})
    return out


def _sections(touchpoints: dict[str, Any], findings: list[dict[str, Any]], views: dict[str, dict[str, Any]],
              pull: dict[str, Any], titles: dict[str, str]) -> list[dict[str, Any]]:
    by_tp: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_tp.setdefault(str(f.get("touchpoint")), []).append(views[str(f.get("id"))])
    order = sorted(touchpoints, key=lambda t: (_number(touchpoints[t].get("score")) is None,
                                               -(_number(pull.get(t)) or 0), t))
    sections = []
    for tid in order:
        tp = touchpoints[tid]
        probe_rows = []
        for p in tp.get("probes") or ():
            if not isinstance(p, dict):
                continue
            status = str(p.get("status"))
            text = p.get("failure_title") if status == "failed" else p.get("title")
            probe_rows.append({"id": plain(p.get("id")), "status": status,
                               "status_word": PROBE_STATUS_WORDS.get(status, plain(status)),
                               "text": plain(text or p.get("id")),
                               "reason": plain(p.get("reason")) if status in ("not_applicable", "error") else ""})
        own = by_tp.get(tid, [])
        sections.append({
            "id": tid, "anchor": anchor("tp", tid), "title": titles[tid], "question": plain(tp.get("question")),
            "score": _score(tp.get("score")), "status": str(tp.get("status")),
            "status_word": STATUS_WORDS.get(str(tp.get("status")), plain(tp.get("status"))),
            "gain": _number(pull.get(tid)), "probes": probe_rows,
            "findings": [v for v in own if v["waived"] is None], "waived": [v for v in own if v["waived"] is not None],
        })
    # Findings of a touchpoint the report does not list (a saved report edited by hand).
    for tid, own in sorted(by_tp.items()):
        if tid not in touchpoints:
            sections.append({"id": tid, "anchor": anchor("tp", tid), "title": tid, "question": "", "score": "—",
                             "status": "unscored", "status_word": STATUS_WORDS["unscored"], "gain": None,
                             "probes": [], "findings": own, "waived": []})
    return sections


def _screens(report: dict[str, Any], findings: list[dict[str, Any]], config: Any,
             notes: list[str]) -> tuple[list[Screen], dict[tuple[str, int], list[tuple[Screen, Mark]]]]:
    """The screenshots to show (the start page in both viewports, and every page and
    viewport that has an outlined element), read and inlined, with their marks."""
    shots: dict[tuple[str, str], str] = {}
    for p in report.get("pages") or ():
        if isinstance(p, dict) and isinstance(p.get("screenshots"), dict):
            for vp, path in p["screenshots"].items():
                if vp in VIEWPORT_WORDS and isinstance(path, str) and path:
                    shots[(str(p.get("url")), vp)] = path
    if not shots:
        return [], {}
    start = str(report.get("start_url") or "")
    wanted: dict[tuple[str, str], Screen] = {}
    for vp in ("mobile", "desktop"):
        if (start, vp) in shots:
            wanted[(start, vp)] = Screen(url=start, viewport=vp, anchor=anchor("shot", start, vp))
    boxed: list[tuple[str, int, dict[str, Any], dict[str, Any], tuple[str, str]]] = []
    for f in findings:
        for i, ex in enumerate(f.get("examples") or ()):
            box = ex.get("box") if isinstance(ex, dict) else None
            if not isinstance(box, dict):
                continue
            key = (str(ex.get("url")), str(box.get("viewport")))
            if key not in shots:
                continue
            boxed.append((str(f.get("id")), i, f, ex, key))
            wanted.setdefault(key, Screen(url=key[0], viewport=key[1], anchor=anchor("shot", *key)))
    folder = report_folder(config)
    total = 0
    shown: dict[tuple[str, str], Screen] = {}
    for key, screen in wanted.items():
        if len(shown) >= MAX_SHOTS:
            notes.append(f"{plain_count(len(wanted) - MAX_SHOTS, 'more screenshot')} not shown: "
                         f"the report shows {MAX_SHOTS} at most.")
            break
        path = Path(shots[key])
        if not path.is_absolute():
            path = folder / path
        label = f"{VIEWPORT_WORDS[key[1]]} screenshot of {plain(key[0])}"
        try:
            size = path.stat().st_size
            if size > MAX_SHOT_BYTES:
                notes.append(f"The {label} is not shown: {size // 1000} kB is more than {MAX_SHOT_BYTES // 1000} kB.")
                continue
            if total + size > MAX_SHOTS_BYTES:
                notes.append(f"The {label} is not shown: the report holds {MAX_SHOTS_BYTES // 1_000_000} MB of screenshots at most.")
                continue
            with path.open("rb") as fh:
                data = fh.read(MAX_SHOT_BYTES + 1)
        except OSError as exc:
            notes.append(f"The {label} is not shown: {plain(path)} could not be read ({exc.strerror or exc}).")
            continue
        dims = png_size(data)
        if dims is None or len(data) > MAX_SHOT_BYTES:
            notes.append(f"The {label} is not shown: {plain(path)} is not a PNG image.")
            continue
        total += len(data)
        screen.width, screen.height = dims
        screen.size = len(data)
        screen.data_uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        shown[key] = screen
    marks: dict[tuple[str, int], list[tuple[Screen, Mark]]] = {}
    by_box: dict[tuple[str, str, tuple[float, ...]], Mark] = {}
    for fid, i, f, ex, key in boxed:
        on = shown.get(key)
        if on is None:
            continue
        mark = _mark(on, len(on.marks) + 1, ex)
        if mark is None:
            continue
        # One element in several findings (a small tap target is also below 48 px): one
        # outline, one number, every finding in its legend.
        same = by_box.setdefault((*key, (mark.x, mark.y, mark.width, mark.height)), mark)
        if same is mark:
            on.marks.append(mark)
        note = MarkNote(anchor=anchor("f", fid), title=plain(f.get("title")), snippet=plain(ex.get("snippet")))
        if all(n.anchor != note.anchor for n in same.notes):
            same.notes.append(note)
        marks.setdefault((fid, i), []).append((on, same))
    for screen in shown.values():
        _place_badges(screen)
    return list(shown.values()), marks


def badge_radius(screen: Screen) -> float:
    """The radius of a numbered badge in the screenshot's px: about 11 px as shown."""
    return round(max(11.0, screen.width / 40), 1)


def _place_badges(screen: Screen) -> None:
    """Each badge beside its outline, at the first of a few places (above left, inside
    left, above right, below left) that no earlier badge covers."""
    r = badge_radius(screen)
    placed: list[tuple[float, float]] = []
    W, H = screen.width, screen.height  # noqa: N806 - the screenshot's size

    def clamp(x: float, y: float) -> tuple[float, float]:
        return round(min(max(x, r), W - r), 1), round(min(max(y, r), H - r), 1)

    for m in screen.marks:
        tries = [clamp(m.x, m.y - r), clamp(m.x + r, m.y + r), clamp(m.x + m.width, m.y - r),
                 clamp(m.x, m.y + m.height + r), clamp(m.x - r, m.y + m.height / 2),
                 clamp(m.x + m.width + r, m.y + m.height / 2)]
        free = [t for t in tries if all((t[0] - x) ** 2 + (t[1] - y) ** 2 >= (2 * r) ** 2 for x, y in placed)]
        m.badge_x, m.badge_y = (free or tries)[0]
        placed.append((m.badge_x, m.badge_y))


def _mark(screen: Screen, number: int, ex: dict[str, Any]) -> Mark | None:
    box = ex["box"]
    x, y, w, h = (_number(box.get(k)) for k in ("x", "y", "width", "height"))
    if x is None or y is None or w is None or h is None or w < 0 or h < 0 or max(abs(x), abs(y), w, h) > 1e6:
        return None
    W, H = float(screen.width), float(screen.height)  # noqa: N806 - the screenshot's size
    outside, distance = "", 0
    if y >= H:
        outside, distance = "below", int(y - H)
    elif x >= W:
        outside, distance = "right", int(x - W)
    # Clamped into the picture, at least 6 px each way so a hairline element shows; an
    # element outside it is a dashed strip at the edge it lies beyond.
    cx = min(max(x, 0.0), W - 6.0)
    cy = min(max(y, 0.0), H - 6.0)
    if outside == "below":
        cw, ch = min(max(w, 6.0), W - cx), 6.0
    elif outside == "right":
        cx, cw, ch = W - 6.0, 6.0, max(6.0, min(y + h, H) - cy)
    else:
        cw, ch = max(6.0, min(x + w, W) - cx), max(6.0, min(y + h, H) - cy)
    return Mark(number=number, x=round(cx, 1), y=round(cy, 1), width=round(cw, 1), height=round(ch, 1),
                outside=outside, distance=distance)


def _page_status(p: dict[str, Any]) -> str:
    error = p.get("error")
    detail = plain(p.get("error_detail"))
    if error:
        words = PAGE_ERROR_WORDS.get(str(error), "could not be fetched")
        if detail and error in ("http_error", "other", "connect", "timeout"):
            words = words.split(":")[0] + f": {detail}"
        return words
    status = p.get("status")
    if p.get("ok"):
        return "read" + (f" (after {plain_count(p['redirects'], 'redirect')})"
                         if isinstance(p.get("redirects"), int) and p["redirects"] > 0 else "")
    return f"could not be fetched: HTTP {status}" if isinstance(status, int) else "could not be fetched"


def _depth_words(p: dict[str, Any]) -> str:
    if p.get("found_via") == "sitemap":
        return "no link leads here (found in the sitemap or the folder)"
    depth = p.get("depth")
    if not isinstance(depth, int) or isinstance(depth, bool):
        return ""
    if depth == 0:
        return "the start page"
    return f"{plain_count(depth, 'click')} from the start page"


def _pages(report: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for p in report.get("pages") or ():
        if not isinstance(p, dict):
            continue
        out.append({"url": plain(p.get("url")), "href": safe_href(p.get("url")), "title": plain(p.get("title")),
                    "status": _page_status(p), "ok": bool(p.get("ok")) and not p.get("error"),
                    "depth": _depth_words(p)})
    # Problems first, so a long list still shows what went wrong at its top.
    out.sort(key=lambda p: (p["ok"], p["url"]))
    return out


def _crawl_words(report: dict[str, Any]) -> list[str]:
    crawl = _dict(report.get("crawl"))

    def n(key: str) -> int:
        v = crawl.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else 0

    out = [f"{plain_count(n('pages'), 'page')} read, of {plain_count(n('fetched'), 'address', 'addresses')} fetched"]
    if n("errors"):
        out.append(f"{plain_count(n('errors'), 'address', 'addresses')} could not be fetched or read")
    if n("robots_blocked"):
        out.append(f"{plain_count(n('robots_blocked'), 'address', 'addresses')} not fetched: robots.txt asks crawlers to stay away")
    if n("not_fetched"):
        out.append(f"{plain_count(n('not_fetched'), 'linked address', 'linked addresses')} not fetched (a limit of the run)")
    if crawl.get("truncated"):
        out.append(f"the crawl stopped early: {plain(crawl['truncated'])}")
    return out


def _settings(report: dict[str, Any], config: Any) -> list[tuple[str, str]]:
    mode = report.get("mode")
    browser = _dict(report.get("browser"))
    mode_words = ("in a real browser" + (f" ({plain(browser.get('version'))})" if browser.get("version") else "")
                  if mode == "browser" else "from the HTML only (no browser: the checks that need one do not apply)")
    rows = [("Site", plain(report.get("target"))), ("Start page", plain(report.get("start_url"))),
            ("Read", mode_words), ("Profile", plain(report.get("profile") or "general")),
            ("Started", _when(report.get("started_at")))]
    d = _number(report.get("duration_s"))
    if d is not None:
        rows.append(("Took", f"{d:.1f} s"))
    limits = []
    for attr, words in (("max_pages", "pages at most"), ("max_depth", "clicks deep at most")):
        v = getattr(config, attr, None)
        if isinstance(v, int) and not isinstance(v, bool):
            limits.append(f"{v} {words}")
    deadline = getattr(config, "deadline", None)
    if isinstance(deadline, (int, float)) and not isinstance(deadline, bool):
        limits.append(f"{deadline:g} s for the whole run")
    if limits:
        rows.append(("Limits", ", ".join(limits)))
    if getattr(config, "ignore_robots", False):
        rows.append(("robots.txt", "ignored (--ignore-robots)"))
    for attr, words in (("only", "Only these checks"), ("skip", "Checks skipped")):
        v = getattr(config, attr, None)
        if v:
            rows.append((words, ", ".join(plain(x) for x in v)))
    tool = _dict(report.get("tool"))
    rows.append(("Made by", f"cxprobe {plain(tool.get('version'))}, scoring {plain((report.get('cohesion') or {}).get('method'))}"))
    return rows


def _when(value: Any) -> str:
    text = plain(value)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return text


#: Journey routes in the order and words of the journey map.
JOURNEY_ROUTES = (("nav", "navigation"), ("footer", "footer"), ("in_page", "any link"), ("desktop", "desktop, clicked"),
                  ("mobile_menu", "phone, clicked"))


def _route_cell(route: Any) -> dict[str, str]:
    """One route of a journey as the map shows it: its clicks, or where it broke."""
    if not isinstance(route, dict):
        return {"text": "—", "cls": "none", "title": "not measured in this mode"}
    if route.get("reached"):
        clicks = route["clicks"] if isinstance(route.get("clicks"), int) else 0
        seconds = _number(route.get("seconds"))
        return {"text": plain_count(clicks, "click") + (f", {seconds:.1f} s" if seconds is not None else ""),
                "cls": "good", "title": ""}
    broke = _dict(route.get("broken_at"))
    reason = plain(broke.get("reason")).replace("_", " ") or "not reached"
    return {"text": reason, "cls": "none" if broke.get("reason") == "not_checked" else "poor",
            "title": plain(broke.get("detail"))}


def _journeys(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The journey map: per journey, the pages of its best route with the links clicked
    between them, or where and why it broke; and every route's clicks."""
    out = []
    for j in report.get("journeys") or ():
        if not isinstance(j, dict):
            continue
        routes = _dict(j.get("routes"))
        best = _dict(routes.get(str(j.get("route")))) if j.get("reached") else {}
        steps: list[dict[str, Any]] = []
        path = [plain(u) for u in j.get("path") or ()]
        links = [lk for lk in best.get("links") or () if isinstance(lk, dict)]
        for i, page in enumerate(path):
            via = links[i - 1] if 0 < i <= len(links) else None
            steps.append({"url": page, "href": safe_href(page),
                          "via": plain(via.get("text")) if via else "",
                          "where": plain(via.get("region")) if via else "",
                          "seconds": _number(via.get("seconds")) if via else None})
        broke = _dict(j.get("broken_at"))
        out.append({
            "name": plain(j.get("name")), "title": plain(j.get("title")), "anchor": anchor("journey", j.get("name")),
            "reached": bool(j.get("reached")), "clicks": j.get("clicks") if isinstance(j.get("clicks"), int) else None,
            "seconds": _number(j.get("seconds")), "steps_text": " → ".join(plain(s) for s in j.get("steps") or ()),
            "path": steps,
            "broken": {"url": plain(broke.get("url")), "link": plain(broke.get("link")), "detail": plain(broke.get("detail")),
                       "screenshot": plain(broke.get("screenshot"))} if broke else None,
            "routes": [{"name": words, **_route_cell(routes.get(key))} for key, words in JOURNEY_ROUTES],
        })
    return out


def _gates(report: dict[str, Any]) -> dict[str, Any] | None:
    gates = report.get("gates")
    if not isinstance(gates, dict):
        return None
    checks = [c for c in gates.get("checks") or () if isinstance(c, dict)]
    waivers = [w for w in gates.get("waivers") or () if isinstance(w, dict)]
    if not checks and not waivers:
        return None
    rows = [{"name": plain(c.get("name")), "passed": bool(c.get("passed")),
             "level": "must hold" if c.get("level") == "error" else "warning only",
             "message": plain(c.get("message"))} for c in checks]
    rows.sort(key=lambda c: (c["passed"], c["name"]))
    return {"passed": bool(gates.get("passed", True)), "checks": rows,
            "waivers": [{"what": plain(w.get("finding") or w.get("probe") or w.get("url")), "reason": plain(w.get("reason")),
                         "until": plain(w.get("until")), "expired": bool(w.get("expired")),
                         "matched": len(w.get("matched") or ())} for w in waivers]}


def _baseline(report: dict[str, Any], views: dict[str, dict[str, Any]], titles: dict[str, str]) -> dict[str, Any] | None:
    b = report.get("baseline")
    if not isinstance(b, dict):
        return None
    coh = _dict(b.get("cohesion"))
    delta = _number(coh.get("delta"))
    change = ("no change" if delta == 0 else f"up {delta:.1f} points" if delta and delta > 0
              else f"down {abs(delta):.1f} points" if delta else "not comparable")
    tps = []
    for tid, d in sorted((b.get("touchpoints") or {}).items()):
        dd = _number(d.get("delta")) if isinstance(d, dict) else None
        if dd:
            tps.append({"title": titles.get(str(tid), plain(tid)), "delta": f"{dd:+.1f}"})
    new = [views[str(i)] for i in b.get("new") or () if str(i) in views]
    fixed = [{"title": plain(f.get("title")), "touchpoint": titles.get(str(f.get("touchpoint")), plain(f.get("touchpoint")))}
             for f in b.get("fixed") or () if isinstance(f, dict)]
    return {"file": plain(b.get("file")), "comparable": b.get("comparable") is not False,
            "mismatches": [plain(m) for m in b.get("mismatches") or ()],
            "before": _score(coh.get("before")), "after": _score(coh.get("after")), "change": change,
            "touchpoints": tps, "new": new, "fixed": fixed}


def _history(report: dict[str, Any], config: Any) -> dict[str, Any] | None:
    """The cohesion trend of this target's comparable runs in the --history database, with
    this run last (it is recorded after the reports are written)."""
    db = getattr(config, "history", None)
    if not db or not os.path.isfile(db):
        return None
    from ..history import HistoryError, load_runs, mismatches, summarise

    try:
        runs = load_runs(db, str(report.get("target") or ""), last=HISTORY_RUNS)
        current = summarise(report)
    except (HistoryError, OSError, ValueError, KeyError, TypeError) as exc:
        return {"error": f"the history in {plain(db)} could not be read: {plain(exc)}"}
    if not runs or runs[-1].started_at != current.started_at:
        runs = [*runs, current][-HISTORY_RUNS:]
    same = [r for r in runs if not mismatches(r, current) and r.cohesion is not None]
    left_out = len(runs) - len(same)
    if len(same) < 2:
        return {"error": None, "few": True, "runs": len(same), "left_out": left_out, "points": [], "line": ""}
    W, H, PAD = 600.0, 160.0, 12.0  # noqa: N806 - the chart's viewBox
    scores = [float(r.cohesion or 0) for r in same]
    lo, hi = min(scores), max(scores)
    lo, hi = (lo - 5, hi + 5) if hi - lo < 10 else (lo, hi)
    lo, hi = max(0.0, lo), min(100.0, hi)
    step = (W - 2 * PAD) / (len(same) - 1)
    points = []
    for i, (r, s) in enumerate(zip(same, scores, strict=True)):
        x = PAD + i * step
        y = PAD + (hi - s) / (hi - lo or 1) * (H - 2 * PAD)
        points.append({"x": round(x, 1), "y": round(y, 1), "score": f"{s:.1f}", "when": _when(r.started_at)})
    first, last = same[0], same[-1]
    delta = (last.cohesion or 0) - (first.cohesion or 0)
    return {"error": None, "few": False, "runs": len(same), "left_out": left_out, "points": points,
            "line": " ".join(f"{p['x']},{p['y']}" for p in points), "width": W, "height": H,
            "low": f"{lo:.0f}", "high": f"{hi:.0f}",
            "summary": f"{plain_count(len(same), 'run')} from {_when(first.started_at)} to {_when(last.started_at)}: "
                       f"{first.cohesion:.1f} → {last.cohesion:.1f} "
                       f"({'up' if delta > 0 else 'down' if delta < 0 else 'no change'}"
                       f"{f' {abs(delta):.1f} points' if delta else ''})",
            "recent": [{"when": p["when"], "score": p["score"]} for p in reversed(points[-10:])]}
