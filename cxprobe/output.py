"""Run an audit for the CLI: choose the mode, show progress, write reports, pick the exit code."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from .config import AuditConfig
from .errors import ExitCode, InternalError, UsageError
from .plugins import PluginManager
from .report import build_report
from .runner import run_audit
from .sanitise import clean_text


def choose_mode(config: AuditConfig) -> tuple[str, dict[str, str] | None, str | None]:
    """(mode, browser info, note) for --render auto|static|browser.

    static: never looks for a browser. browser: the browser found, else
    :class:`~cxprobe.errors.BrowserNotFound` (one line naming the three fixes, exit 2).
    auto: browser mode when a browser is found, else static mode with a note saying why.
    """
    from .browser import describe_missing_browser, find_browser

    if config.render == "static":
        return "static", None, None
    found = find_browser(config.browser_path)
    if found is None:
        if config.render == "browser":
            from .errors import BrowserNotFound

            raise BrowserNotFound(describe_missing_browser(config.browser_path))
        missing = f"no browser at {config.browser_path}" if config.browser_path else "no browser found"
        return "static", None, (f"render auto: {missing}, audited in static mode "
                                f"({describe_missing_browser(None, short=True)})")
    return "browser", {"path": found.path, "source": found.source}, f"render {config.render}: using {found.source} browser {found.path}"


def _progress_printer(enabled: bool) -> Any:
    if not enabled:
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True)
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task({"crawl": "crawling", "render": "rendering", "probes": "probing"}.get(stage, stage), total=total)
        progress.update(tasks[stage], completed=done, total=max(total, done))

    return progress, update


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


def run_and_report(config: AuditConfig, pm: PluginManager, color: bool | None = None) -> ExitCode:
    """Run the audit, write what was asked for, return the exit code."""
    # Formats and the output location are checked before the crawl, so a typo or an
    # unwritable folder costs nothing.
    reporters = pm.registry().reporters
    unknown = [f for f in config.formats if f not in reporters]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(reporters))}")
    check_output(config)
    mode, browser, note = choose_mode(config)
    progress, update = _progress_printer(sys.stderr.isatty())
    if progress is not None:
        progress.start()
    try:
        run = run_audit(config, pm, progress=update, mode=mode, browser=browser, notes=[note] if note else [])
    finally:
        if progress is not None:
            progress.stop()
    report = build_report(run, pm)
    late = pm.report_ready(report, budget=run.session.budget())
    if late:
        # A report_ready implementation that failed or hung: the run is incomplete.
        report["cohesion"]["complete"] = False
        report["cohesion"]["incomplete_because"] = [*report["cohesion"].get("incomplete_because", []), *late]
    kept = write_outputs(report, config, pm, color, keep_existing=run.fatal is not None)
    for path in kept:
        click.echo(f"cxprobe: kept the earlier report at {path}: this run could not measure the site", err=True)
    if run.fatal:
        click.echo(f"cxprobe: error: {clean_text(run.fatal)}", err=True)
        return ExitCode.CANNOT_MEASURE
    if not sys.stderr.isatty():
        click.echo(f"cxprobe: audited {report['crawl']['pages']} pages of {report['target']} in {report['duration_s']:.1f} s "
                   f"({report['mode']} mode): cohesion {report['cohesion']['score']}", err=True)
    # Warnings printed at start-up (plugins that could not be loaded) are not repeated.
    for n in pm.warnings[pm.warnings_shown:]:
        click.echo(f"cxprobe: warning: {clean_text(n)}", err=True)
    pm.warnings_shown = len(pm.warnings)
    if config.fail_under is not None:
        score = report["cohesion"]["score"]
        if not report["cohesion"]["complete"]:
            why = report["cohesion"].get("incomplete_because") or ["a probe errored"]
            click.echo(f"cxprobe: gate failed: the run is incomplete ({clean_text(why[0])}), so no gate can pass", err=True)
            return ExitCode.ASSERTION_FAILED
        if score is None or score < config.fail_under:
            click.echo(f"cxprobe: gate failed: cohesion {score} is below --fail-under {config.fail_under:g}", err=True)
            return ExitCode.ASSERTION_FAILED
    return ExitCode.OK
