"""Where a finding's evidence lives, for the formats that point at code (SARIF, GitHub
workflow annotations) and the Markdown summary.

An audit of a folder or of one HTML file gives each example a ``source``
(``{"file": "contact.html", "line": 12, "column": 5}``): ``file`` is relative to the
audited folder, or to the file's folder for a single-file target. A CI tool wants a path
from the working directory it ran in, which in CI is the repository root, so that the
result lands on the line to fix in a pull request: ``report["target"]`` as typed joined
with ``file`` (for a file target, the file's folder joined with it, which is the target
itself for the file's own findings), POSIX, normalised, and relative when the target was.
An absolute target under the working directory is made relative to it; one elsewhere
stays absolute (SARIF writes it as a ``file://`` URI).

Only the report is read (a saved report renders the same), with one exception: a target
whose name ends in ``.html`` but that is a folder on this machine is treated as a folder.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from ._shared import plain

_URL = re.compile(r"^https?://", re.I)
#: File targets, as cxprobe/target.py accepts them.
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class SourceLocation:
    """One example's place in the audited files, as a CI tool wants it."""

    #: POSIX path from the working directory (absolute when the target lies elsewhere).
    path: str
    #: 1-based; None when the element could not be located in the file.
    line: int | None
    column: int | None

    @property
    def absolute(self) -> bool:
        return posixpath.isabs(self.path)

    def __str__(self) -> str:
        """``path:line:column`` (the parts that are known), as editors and terminals link them."""
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column is not None else "")


def is_live(report: dict[str, Any]) -> bool:
    """True when the report audited a URL (its evidence has URLs, never files)."""
    return bool(_URL.match(str(report.get("target") or "")))


def _folder(target: str) -> str:
    """The audited folder as typed (POSIX): the target, or a file target's folder."""
    raw = os.path.expanduser(target)
    typed = PurePath(raw).as_posix()
    if typed.lower().endswith(HTML_SUFFIXES) and not Path(raw).is_dir():
        return posixpath.dirname(typed) or "."
    return typed or "."


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def source_location(report: dict[str, Any], example: dict[str, Any]) -> SourceLocation | None:
    """Where ``example`` lies in the audited files, or None when it carries no ``source``."""
    source = example.get("source")
    if not isinstance(source, dict):
        return None
    file = source.get("file")
    if not isinstance(file, str) or not file.strip():
        return None
    # A report from elsewhere is data: its file name cannot climb out of the folder or be absolute.
    file = plain(file).replace("\\", "/").lstrip("/")
    target = str(report.get("target") or "")
    joined = file if is_live(report) or not target else posixpath.join(_folder(target), file)
    return SourceLocation(path=_from_cwd(joined), line=_positive(source.get("line")),
                          column=_positive(source.get("column")))


def _from_cwd(path: str) -> str:
    """``path`` normalised; an absolute one under the working directory made relative to it."""
    path = posixpath.normpath(path)
    if posixpath.isabs(path):
        try:
            rel = Path(os.path.relpath(path, os.getcwd())).as_posix()
        except ValueError:  # another drive (Windows)
            rel = ""
        if rel and rel != ".." and not rel.startswith("../"):
            return rel
    return path


def target_path(report: dict[str, Any]) -> str | None:
    """A local target's path as :func:`source_location` writes paths; None for a URL."""
    target = str(report.get("target") or "")
    if not target or is_live(report):
        return None
    return _from_cwd(PurePath(os.path.expanduser(plain(target))).as_posix())


def first_source(report: dict[str, Any], finding: dict[str, Any]) -> SourceLocation | None:
    """The first example of ``finding`` that has a source location, if any."""
    for ex in finding.get("examples") or ():
        if isinstance(ex, dict):
            loc = source_location(report, ex)
            if loc is not None:
                return loc
    return None


def where(report: dict[str, Any], example: dict[str, Any]) -> str:
    """An example's place for people: ``file:line`` when known, else its URL."""
    loc = source_location(report, example)
    return str(loc) if loc is not None else str(example.get("url") or "")
