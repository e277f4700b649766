"""GitHub Actions workflow annotations: findings shown on the lines of a pull request.

When ``GITHUB_ACTIONS=true``, ``cxprobe audit`` prints one workflow command per finding
that no waiver accepted, after the reports are written::

    ::error file=site/contact.html,line=12,col=5,title=Contact form has no email field::Visitors ...
    ::warning title=Privacy link goes nowhere::The link 'Privacy' does not lead ... (https://example.com/)

``::error`` for errors, ``::warning`` for warnings, ``::notice`` for info. ``file`` is the
path from the working directory (the repository root in CI; see :mod:`.locations`) of the
first example with a source location; a finding without one (a live site) is annotated
without a file, its first URL appended to the message. GitHub shows at most 50
annotations of a job, so at most :data:`MAX_ANNOTATIONS` are printed, the last one saying
how many more findings the report holds.

Escaping follows the runner (actions/toolkit ``command.ts``): in the message ``%``, CR and
LF become ``%25``, ``%0D``, ``%0A``; in a property ``:`` and ``,`` also become ``%3A`` and
``%2C``. A message is one line whatever the site wrote, so it cannot start a workflow
command of its own.

Where they go: GitHub documents stdout, and the runner reads workflow commands from
stdout and stderr alike (it processes both streams of a step). They go to stdout, except
when a report is written there (``-o -``, or no ``--output``): then to stderr, so that a
report piped or redirected to a file is never mixed with annotations.
"""

# No `from __future__ import annotations` here: this module's function `annotations`
# would shadow it (Python 3.10+ reads `X | None` at run time anyway).
import os
import sys
from typing import Any, TextIO

from ._shared import plain, waiver
from .locations import first_source

#: GitHub shows at most 50 annotations per job (10 errors and 10 warnings per step).
MAX_ANNOTATIONS = 50
COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
#: Longest message and title (a log line stays readable; the full text is in the report).
MESSAGE_CHARS = 1000
TITLE_CHARS = 200


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _clip(value: Any, limit: int) -> str:
    text = " ".join(plain(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotation(report: dict[str, Any], finding: dict[str, Any]) -> str:
    """One finding as a workflow command line."""
    command = COMMAND.get(str(finding.get("severity")), "warning")
    props: list[str] = []
    loc = first_source(report, finding)
    message = _clip(finding.get("message") or finding.get("title"), MESSAGE_CHARS)
    pages = finding.get("pages")
    if isinstance(pages, int) and pages > 1:
        message += f" (on {pages} pages)"
    if loc is not None:
        props.append(f"file={_property(loc.path)}")
        if loc.line is not None:
            props.append(f"line={loc.line}")
            if loc.column is not None:
                props.append(f"col={loc.column}")
    else:
        urls = [str(ex.get("url")) for ex in finding.get("examples") or () if isinstance(ex, dict) and ex.get("url")]
        if urls:
            message += f" ({_clip(urls[0], 300)})"
    props.append(f"title={_property(_clip(finding.get('title'), TITLE_CHARS))}")
    return f"::{command} {','.join(props)}::{_data(message)}"


def annotations(report: dict[str, Any]) -> list[str]:
    """Workflow commands for every finding no waiver accepted, in report order (errors
    first), at most :data:`MAX_ANNOTATIONS` lines including the one that counts the rest."""
    findings = [f for f in report.get("findings") or () if isinstance(f, dict) and waiver(f) is None]
    if len(findings) <= MAX_ANNOTATIONS:
        return [annotation(report, f) for f in findings]
    shown = MAX_ANNOTATIONS - 1
    rest = len(findings) - shown
    return [*(annotation(report, f) for f in findings[:shown]),
            f"::notice title=cxprobe::{_data(f'{rest} more findings are not annotated (GitHub shows {MAX_ANNOTATIONS} per job); see the report')}"]


def report_on_stdout(config: Any) -> bool:
    """True when ``cxprobe audit`` writes a report to standard output."""
    return getattr(config, "output", None) in (None, "-")


def write_annotations(report: dict[str, Any], config: Any, stdout: TextIO | None = None,
                      stderr: TextIO | None = None) -> int:
    """Print the annotations when running under GitHub Actions; returns how many were printed."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return 0
    lines = annotations(report)
    stream = (stderr or sys.stderr) if report_on_stdout(config) else (stdout or sys.stdout)
    for line in lines:
        stream.write(line + "\n")
    stream.flush()
    return len(lines)
