"""Run an audit for the CLI: choose the mode, show progress, write reports, pick the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .config import AuditConfig
from .errors import ExitCode, UsageError
from .plugins import PluginManager
from .report import build_report
from .runner import run_audit


def choose_mode(config: AuditConfig) -> tuple[str, dict[str, str] | None, str | None]:
    """(mode, browser info, note) for --render auto|static|browser.

    static: never looks for a browser. browser: the browser found, else
    :class:`~cxprobe.errors.BrowserNotFound` (one line naming the three fixes, exit 2).
    auto: browser mode when a browser is found, else static mode with a note saying why.
    """
    from .render import describe_missing_browser, find_browser

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


def write_outputs(report: dict[str, Any], config: AuditConfig, pm: PluginManager, color: bool | None) -> None:
    reporters = pm.registry().reporters
    formats = list(dict.fromkeys(config.formats or ("terminal",)))
    unknown = [f for f in formats if f not in reporters]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(reporters))}")
    if config.output is None:
        for f in formats:
            r = reporters[f]
            if f == "terminal":
                from .reporters.terminal import TerminalReporter

                r = TerminalReporter(color=sys.stdout.isatty() if color is None else color)
            click.echo(r.render(report, config), nl=False)
        return
    out = Path(config.output)
    if len(formats) == 1:
        if out.is_dir():
            raise UsageError(f"--output {config.output} is a folder; give a file name for one format")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(reporters[formats[0]].render(report, config), encoding="utf-8")
        return
    out.mkdir(parents=True, exist_ok=True)
    for f in formats:
        r = reporters[f]
        (out / f"report{r.extension}").write_text(r.render(report, config), encoding="utf-8")


def run_and_report(config: AuditConfig, pm: PluginManager, color: bool | None = None) -> ExitCode:
    """Run the audit, write what was asked for, return the exit code."""
    # Formats are checked before the crawl so a typo costs nothing.
    reporters = pm.registry().reporters
    unknown = [f for f in config.formats if f not in reporters]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(reporters))}")
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
    pm.report_ready(report)
    write_outputs(report, config, pm, color)
    if run.fatal:
        click.echo(f"cxprobe: error: {run.fatal}", err=True)
        return ExitCode.CANNOT_MEASURE
    if not sys.stderr.isatty():
        click.echo(f"cxprobe: audited {report['crawl']['pages']} pages of {report['target']} in {report['duration_s']:.1f} s "
                   f"({report['mode']} mode): cohesion {report['cohesion']['score']}", err=True)
    # Warnings printed at start-up (plugins that could not be loaded) are not repeated.
    for n in pm.warnings[pm.warnings_shown:]:
        click.echo(f"cxprobe: warning: {n}", err=True)
    pm.warnings_shown = len(pm.warnings)
    if config.fail_under is not None:
        score = report["cohesion"]["score"]
        if not report["cohesion"]["complete"]:
            click.echo("cxprobe: gate failed: the run is incomplete (a probe errored), so no gate can pass", err=True)
            return ExitCode.ASSERTION_FAILED
        if score is None or score < config.fail_under:
            click.echo(f"cxprobe: gate failed: cohesion {score} is below --fail-under {config.fail_under:g}", err=True)
            return ExitCode.ASSERTION_FAILED
    return ExitCode.OK
