"""The SARIF 2.1.0 reporter: findings as code-scanning results that land on the line to fix.

One run; ``tool.driver`` is cxprobe with one rule per probe in the report, whether or not
it found something, so the rules stay the same from run to run (id = probe id,
``properties.touchpoint``; the help text points at ``cxprobe explain``, since the report
carries no probe descriptions). One result per finding:

- ``ruleId`` the probe, ``level`` from the severity (error / warning / note), ``message.text``
  the title and the message, ``partialFingerprints["cxprobe/finding-id"]`` the finding's
  stable id, so an alert follows the finding across runs;
- ``locations`` from the examples (at most five): a file of the audited folder with its
  line and column when the example has a ``source`` (see :mod:`.locations`: the path from
  the working directory, relative to ``%SRCROOT%``, which the consumer takes as the
  repository root), else the page's URL (live sites); a finding with no example is placed
  at the target itself, since code scanning shows no result without a location;
- ``suppressions`` (kind ``external``, the waiver's reason) when a waiver accepted it.

The file is validated against the official OASIS schema in the tests.
"""

from __future__ import annotations

import functools
import json
from importlib.metadata import PackageNotFoundError, metadata
from typing import Any
from urllib.parse import quote

from ..probe import Reporter
from ._shared import plain, waiver
from .locations import is_live, source_location, target_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
#: GitHub code scanning reads at most ten locations; a finding keeps at most five examples.
MAX_LOCATIONS = 10
SRCROOT = "%SRCROOT%"
#: GitHub code scanning cuts rule descriptions at 1024 characters.
DESCRIPTION_CHARS = 1000


_text = plain


def _uri(url: Any) -> str:
    """A URL from the report as a valid URI reference: spaces, controls and non-ASCII
    percent-encoded (an example URL of a saved report is data, not trusted to be one)."""
    return quote(_text(url), safe=":/?#[]@!$&'()*+,;=%~")


def _file_uri(path: str) -> dict[str, Any]:
    """An artifactLocation for a path from :mod:`.locations` (percent-encoded as a URI)."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _location(report: dict[str, Any], example: dict[str, Any]) -> dict[str, Any] | None:
    loc = source_location(report, example)
    if loc is not None:
        physical: dict[str, Any] = {"artifactLocation": _file_uri(loc.path)}
        if loc.line is not None:
            physical["region"] = {"startLine": loc.line, **({"startColumn": loc.column} if loc.column else {})}
        out: dict[str, Any] = {"physicalLocation": physical}
        if example.get("url"):
            out["message"] = {"text": _text(example["url"])}
        return out
    url = example.get("url")
    if not url:
        return None
    place = " ".join(_text(v) for v in (url, example.get("selector")) if v)
    if is_live(report):
        return {"physicalLocation": {"artifactLocation": {"uri": _uri(url)}}, "message": {"text": place}}
    # A local report without source locations (written before they existed): the URL is
    # site-relative ("/about.html"), no path on this machine, so the result sits on the
    # audited folder and names the page in its message.
    located = _target_location(report)
    return {**located[0], "message": {"text": place}} if located else None


def _target_location(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Where a finding without examples is placed: the audited folder or file, or the URL."""
    path = target_path(report)
    if path is not None:
        return [{"physicalLocation": {"artifactLocation": _file_uri(path)}}]
    target = _text(report.get("target"))
    return [{"physicalLocation": {"artifactLocation": {"uri": _uri(target)}}}] if target else []


@functools.cache
def information_uri() -> str | None:
    """cxprobe's home page from the installed package's metadata (None when it names none)."""
    try:
        meta = metadata("cxprobe")
    except PackageNotFoundError:
        return None
    urls = [entry.partition(",")[2].strip() for entry in meta.get_all("Project-URL") or ()]
    urls += [str(home).strip() for home in meta.get_all("Home-page") or ()]
    return next((u for u in urls if u.startswith("https://")), None)


class SarifReporter(Reporter):
    """``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

    name = "sarif"
    extension = ".sarif"
    description = "SARIF 2.1.0 for code scanning: one result per finding, on the file and line when known"

    def render(self, report: dict[str, Any], config: Any) -> str:
        return json.dumps(self.log(report), indent=2, ensure_ascii=False) + "\n"

    @staticmethod
    def rules(report: dict[str, Any], findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One rule per probe of the report (every probe that ran, and any a finding names),
        sorted by id. A rule says only what stays the same from run to run, as code
        scanning expects: the probe, its touchpoint and where to read about it."""
        touchpoint_of: dict[str, str] = {}
        for tid, tp in (report.get("touchpoints") or {}).items():
            for p in tp.get("probes") or ():
                touchpoint_of[_text(p.get("id"))] = _text(tid)
        for f in findings:
            touchpoint_of.setdefault(_text(f.get("probe")), _text(f.get("touchpoint")))
        rules = []
        for pid, tid in sorted(touchpoint_of.items()):
            tp = (report.get("touchpoints") or {}).get(tid) or {}
            about = f"{_text(tp.get('title') or tid)}: {_text(tp['question'])}" if tp.get("question") else tid
            rules.append({
                "id": pid,
                "name": pid,
                "shortDescription": {"text": pid[:DESCRIPTION_CHARS]},
                "fullDescription": {"text": f"cxprobe probe {pid} of the touchpoint {about}"[:DESCRIPTION_CHARS]},
                "help": {"text": f"What {pid} checks, why it matters and how to fix it: run `cxprobe explain {pid}`.",
                         "markdown": f"What `{pid}` checks, why it matters and how to fix it: "
                                     f"run `cxprobe explain {pid}`."},
                "properties": {"touchpoint": tid, "tags": ["cxprobe", *([tid] if tid else [])]},
            })
        return rules

    def log(self, report: dict[str, Any]) -> dict[str, Any]:
        """The SARIF log as a dict."""
        findings = [f for f in report.get("findings") or () if isinstance(f, dict)]
        rules = self.rules(report, findings)
        index = {r["id"]: i for i, r in enumerate(rules)}
        results = []
        for f in findings:
            pid = _text(f.get("probe"))
            title, message = _text(f.get("title")), _text(f.get("message"))
            pages = f.get("pages")
            on = f" (on {pages} pages)" if isinstance(pages, int) and pages > 1 else ""
            result: dict[str, Any] = {
                "ruleId": pid,
                "ruleIndex": index[pid],
                "level": LEVEL.get(str(f.get("severity")), "warning"),
                "message": {"text": f"{title}{on}: {message}" if message else f"{title}{on}"},
                "partialFingerprints": {"cxprobe/finding-id": _text(f.get("id"))},
                "properties": {"touchpoint": _text(f.get("touchpoint")), "pages": pages if isinstance(pages, int) else 0},
            }
            locations = [loc for ex in f.get("examples") or () if isinstance(ex, dict)
                         for loc in [_location(report, ex)] if loc is not None][:MAX_LOCATIONS]
            result["locations"] = locations or _target_location(report)
            w = waiver(f)
            if w is not None:
                suppression: dict[str, Any] = {"kind": "external", "status": "accepted",
                                               "justification": _text(w.get("reason"))}
                if w.get("until"):
                    suppression["properties"] = {"until": _text(w["until"])}
                result["suppressions"] = [suppression]
            results.append(result)
        tool = report.get("tool") or {}
        coh = report.get("cohesion") or {}
        driver: dict[str, Any] = {"name": "cxprobe", "version": _text(tool.get("version", "")), "rules": rules}
        home = information_uri()
        if home:
            driver["informationUri"] = home
        notes = [{"level": "error", "message": {"text": f"could not measure: {_text(report['error'])}"}}] \
            if report.get("error") else []
        notes += [{"level": "warning", "message": {"text": f"incomplete: {_text(r)}"}}
                  for r in coh.get("incomplete_because") or ()]
        run: dict[str, Any] = {
            "tool": {"driver": driver},
            "originalUriBaseIds": {SRCROOT: {"description": {
                "text": "The working directory cxprobe ran in (in CI, the repository root): paths are the target as typed joined with the file's place in the audited folder."}}},
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {"target": _text(report.get("target")), "mode": _text(report.get("mode")),
                           "cohesion": coh.get("score"), "complete": bool(coh.get("complete"))},
        }
        run["invocations"] = [{"executionSuccessful": not report.get("error"),
                               **({"toolExecutionNotifications": notes} if notes else {})}]
        return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
