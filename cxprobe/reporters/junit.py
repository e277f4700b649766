"""The JUnit XML reporter: the report as the test results CI servers already display.

Jenkins (junit step), GitLab (``artifacts:reports:junit``), GitHub test-report actions and
most CI dashboards read this shape::

    <testsuites name="cxprobe" tests failures errors skipped time>
      <testsuite name="contact" ...>            one per touchpoint, sorted by id
        <properties>                            cohesion score, target, mode, touchpoint score
        <testcase classname="cxprobe.contact" name="contact.methods">   one per probe
          <failure message type="error">       status failed: its findings, worst severity as type
          <error message>                       status error: why the probe could not run
          <skipped message>                     status not_applicable: the reason
          <system-out>                          waived findings; findings of a passed probe
      <testsuite name="gates">                  one testcase per gate check (when gates exist)
      <testsuite name="cxprobe">                only when the run could not measure or is incomplete

A finding a waiver accepted is not a failure: a failed probe whose findings were all
waived passes, and lists them in ``system-out``. An error-level gate check that failed is
a ``failure``; a warn-level one passes and says why in ``system-out`` (warnings never fail
the run). Site text is escaped, and the characters XML 1.0 cannot carry are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ..probe import Reporter
from ._shared import findings_by_id, gate_checks, plain, score_text, waiver, worst
from .locations import where

# Everything outside XML 1.0's Char production (C0 controls but tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF); plain() already replaced most of them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Longest ``message`` attribute (the whole text is in the element).
MESSAGE_CHARS = 500


def xml_text(value: Any) -> str:
    """``value`` as text XML 1.0 can carry (escaping is ElementTree's job)."""
    return _NOT_XML.sub("", plain(value))


def _one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text:
        el.text = xml_text(text)
    return el


def _pages(n: Any) -> str:
    return f" — on {n} pages" if isinstance(n, int) and n > 1 else ""


def describe(report: dict[str, Any], finding: dict[str, Any]) -> str:
    """A finding as lines of plain text: title, message, where (file:line or URL)."""
    lines = [f"[{finding.get('severity', '?')}] {finding.get('title', '')}{_pages(finding.get('pages'))} "
             f"(finding {finding.get('id', '?')})"]
    w = waiver(finding)
    if w is not None:
        until = f", until {w['until']}" if w.get("until") else ""
        lines[0] = f"waived ({w.get('reason', '')}{until}): " + lines[0]
    if finding.get("message"):
        lines.append(f"  {finding['message']}")
    for ex in finding.get("examples") or ():
        if not isinstance(ex, dict):
            continue
        place = where(report, ex)
        url = ex.get("url") or ""
        extra = f" ({url})" if url and url != place else ""
        selector = f"  {ex['selector']}" if ex.get("selector") else ""
        lines.append(f"  at {place}{extra}{selector}")
    return "\n".join(lines)


class JunitReporter(Reporter):
    """``--format junit``: JUnit XML, a testsuite per touchpoint and a testcase per probe."""

    name = "junit"
    extension = ".xml"
    description = "JUnit XML for CI test reports: a testsuite per touchpoint, a testcase per probe"

    def render(self, report: dict[str, Any], config: Any) -> str:
        by_id = findings_by_id(report)
        coh = report.get("cohesion") or {}
        common = [("cxprobe.cohesion", score_text(coh.get("score"))), ("cxprobe.target", report.get("target", "")),
                  ("cxprobe.mode", report.get("mode", "")), ("cxprobe.complete", str(bool(coh.get("complete"))).lower())]
        root = ET.Element("testsuites", name="cxprobe")
        suites: list[ET.Element] = []

        def suite(name: str, extra: tuple[tuple[str, Any], ...] = ()) -> ET.Element:
            el = _sub(root, "testsuite", name=name)
            props = ET.SubElement(el, "properties")
            for key, value in [*common, *extra]:
                _sub(props, "property", name=key, value=value)
            suites.append(el)
            return el

        self._run(report, suite)
        for tid, tp in sorted((report.get("touchpoints") or {}).items()):
            el = suite(tid, (("cxprobe.touchpoint.score", score_text(tp.get("score"))),
                             ("cxprobe.touchpoint.status", tp.get("status", ""))))
            for probe in sorted(tp.get("probes") or (), key=lambda p: str(p.get("id"))):
                self._probe(report, el, tid, probe, by_id)
        checks = gate_checks(report)
        if checks:
            el = suite("gates")
            for check in checks:
                self._check(el, check)
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for el in suites:
            counts = {"tests": len(el.findall("testcase")), "failures": len(el.findall("testcase/failure")),
                      "errors": len(el.findall("testcase/error")), "skipped": len(el.findall("testcase/skipped"))}
            for key, n in counts.items():
                el.set(key, str(n))
                totals[key] += n
        for key, n in totals.items():
            root.set(key, str(n))
        if isinstance(report.get("duration_s"), (int, float)):
            root.set("time", f"{report['duration_s']:.3f}")
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    @staticmethod
    def _run(report: dict[str, Any], suite: Any) -> None:
        """A ``cxprobe`` suite when the run could not measure the site or is incomplete:
        otherwise a CI dashboard would show a green run for a site that was never judged."""
        coh = report.get("cohesion") or {}
        reasons = [str(r) for r in coh.get("incomplete_because") or ()]
        if coh.get("errored"):
            reasons.append(f"probes errored in: {', '.join(map(str, coh['errored']))}")
        if report.get("error"):
            reasons.insert(0, f"could not measure: {report['error']}")
        elif coh.get("complete", True):
            return
        case = _sub(suite("cxprobe"), "testcase", classname="cxprobe.run", name="audit")
        text = "\n".join(reasons) or "the run is incomplete"
        _sub(case, "error", text, message=_one_line(reasons[0] if reasons else text), type="incomplete")

    @staticmethod
    def _probe(report: dict[str, Any], suite: ET.Element, tid: str, probe: dict[str, Any],
               by_id: dict[str, dict[str, Any]]) -> None:
        case = _sub(suite, "testcase", classname=f"cxprobe.{tid}", name=probe.get("id", ""))
        findings = [by_id[i] for i in probe.get("findings") or () if i in by_id]
        open_ = [f for f in findings if waiver(f) is None]
        waived = [f for f in findings if waiver(f) is not None]
        status = probe.get("status")
        out: list[str] = []
        if status == "error":
            reason = str(probe.get("reason") or "the probe could not run")
            text = "\n\n".join([reason, *(describe(report, f) for f in open_)])
            _sub(case, "error", text, message=_one_line(reason), type="error")
        elif status == "not_applicable":
            _sub(case, "skipped", message=_one_line(str(probe.get("reason") or "not applicable")))
        elif status == "failed" and (open_ or not waived):
            titles = "; ".join(str(f.get("title", "")) for f in open_)
            score = probe.get("score")
            below = f"score {score:g} is below 0.9" if isinstance(score, (int, float)) else "failed"
            message = _one_line(titles or below)
            text = "\n\n".join(describe(report, f) for f in open_) or below
            _sub(case, "failure", text, message=message,
                 type=worst([str(f.get("severity")) for f in open_]) or "failed")
        else:
            # Passed (or failed only by waived findings): what still deserves a look.
            out.extend(describe(report, f) for f in open_ if f.get("severity") != "info")
        out.extend(describe(report, f) for f in waived)
        if out:
            _sub(case, "system-out", "\n\n".join(out))

    @staticmethod
    def _check(suite: ET.Element, check: dict[str, Any]) -> None:
        case = _sub(suite, "testcase", classname="cxprobe.gates", name=check.get("name", ""))
        if check.get("passed", True):
            if check.get("message"):
                _sub(case, "system-out", str(check["message"]))
            return
        message = str(check.get("message") or "failed")
        if check.get("level") == "error":
            _sub(case, "failure", message, message=_one_line(message), type="error")
        else:
            _sub(case, "system-out", f"warning (does not fail the run): {message}")
