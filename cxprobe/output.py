"""Writing reports: the output location checked before the crawl, every format rendered by
its reporter (a reporter that fails is named with its plugin), files written whole or not
at all, and an earlier report never replaced by a run that could not measure the site."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from ._registry import PluginManager
from .config import AuditConfig
from .errors import InternalError, UsageError


class OutputError(UsageError):
    """The report cannot be written where --output points (exit 2)."""


def _formats(config: AuditConfig) -> list[str]:
    return list(dict.fromkeys(config.formats or ("terminal",)))


def _writable_folder(folder: Path, what: str) -> None:
    """Create ``folder`` if needed and prove a file can be written in it (exit 2 if not)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".cxprobe-check-"):
            pass
    except OSError as exc:
        raise OutputError(f"--output {what}: cannot write in {folder}: {exc.strerror or exc}") from None


def check_output(config: AuditConfig) -> None:
    """Before anything is crawled: the output location can take the report (exit 2 if not).

    One format: a file (its folder is created) or an existing special file such as
    /dev/stdout; ``-`` is standard output. Several formats: a folder.
    """
    if config.output is None:
        return
    formats = _formats(config)
    if config.output == "-":
        if len(formats) > 1:
            raise OutputError("--output - (standard output) takes one format; give a folder for several")
        return
    out = Path(config.output)
    if len(formats) == 1:
        if out.is_dir():
            raise OutputError(f"--output {config.output} is a folder; give a file name for one format")
        if out.exists() and not out.is_file():
            return  # a device or a pipe (/dev/stdout): written as it is, at the end
        for parent in (out.parent, *out.parent.parents):
            if parent.exists():
                if not parent.is_dir():
                    raise OutputError(f"--output {config.output}: {parent} is a file, not a folder")
                break
        _writable_folder(out.parent, config.output)
        return
    if out.exists() and not out.is_dir():
        raise OutputError(f"--output {config.output} is a file; several formats need a folder")
    _writable_folder(out, config.output)


def write_file(path: Path, text: str) -> None:
    """Write a report atomically: a temporary file in the same folder, then a rename, so a
    reader never sees half a report and a failed write leaves the old one intact. Special
    files (/dev/stdout, a pipe) are written in place."""
    try:
        if path.exists() and not path.is_file():
            with path.open("w", encoding="utf-8") as f:
                f.write(text)
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


def _render(reporter: Any, name: str, report: dict[str, Any], config: AuditConfig, pm: PluginManager) -> str:
    """A reporter's text; a reporter that raises or returns no text is named with its plugin."""
    try:
        text = reporter.render(report, config)
        if not isinstance(text, str):
            raise TypeError(f"render() returned {type(text).__name__}, not str")
    except Exception as exc:  # noqa: BLE001 - named below, whoever wrote the reporter
        owner = pm.owner("reporter", name) or "?"
        raise InternalError(f"reporter {name!r} of plugin {owner!r} failed: {type(exc).__name__}: {exc}") from exc
    return text


def write_outputs(report: dict[str, Any], config: AuditConfig, pm: PluginManager, color: bool | None,
                  keep_existing: bool = False) -> list[Path]:
    """Write every format asked for; returns the existing report files kept (``keep_existing``:
    a run that could not measure the site never replaces an earlier report)."""
    reporters = pm.registry().reporters
    formats = _formats(config)
    unknown = [f for f in formats if f not in reporters]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(reporters))}")

    def reporter_for(f: str) -> Any:
        if f == "terminal" and reporters[f].__class__.__name__ == "TerminalReporter":
            from .reporters.terminal import TerminalReporter

            return TerminalReporter(color=sys.stdout.isatty() if color is None else color)
        return reporters[f]

    if config.output is None or config.output == "-":
        for f in formats:
            click.echo(_render(reporter_for(f), f, report, config, pm), nl=False)
        return []
    out = Path(config.output)
    targets = [(formats[0], out)] if len(formats) == 1 else \
        [(f, out / f"report{reporters[f].extension}") for f in formats]
    if len(formats) > 1:
        _writable_folder(out, config.output)
    kept: list[Path] = []
    failures: list[InternalError] = []
    for f, path in targets:
        if keep_existing and path.is_file() and path.stat().st_size > 0:
            kept.append(path)
            continue
        try:
            text = _render(reporter_for(f), f, report, config, pm)
        except InternalError as exc:
            failures.append(exc)  # the other formats are still written
            continue
        write_file(path, text)
    if failures:
        raise failures[0]
    return kept


