"""What ``cxprobe audit`` and ``cxprobe demo`` do around the core run: a progress bar on
stderr, the reports written, ``cxprobe_report_ready``, and the exit code from the gates."""

from __future__ import annotations

import sys
from typing import Any

import click

from .._registry import PluginManager
from ..config import AuditConfig
from ..errors import ExitCode, UsageError
from ..output import check_output, write_outputs
from ..report import build_report
from ..runner import run_audit
from ..sanitise import clean_text
from . import interrupted


def progress_printer(enabled: bool) -> Any:
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



def audit_and_report(config: AuditConfig, pm: PluginManager, color: bool | None = None) -> ExitCode:
    """Run the audit, write what was asked for, return the exit code."""
    try:
        return _audit_and_report(config, pm, color)
    except KeyboardInterrupt:
        # Raised as a domain error so click never turns it into "Aborted!" and exit 1.
        raise interrupted() from None


def _audit_and_report(config: AuditConfig, pm: PluginManager, color: bool | None) -> ExitCode:
    # Formats and the output location are checked before the crawl, so a typo or an
    # unwritable folder costs nothing.
    reporters = pm.registry().reporters
    unknown = [f for f in config.formats if f not in reporters]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(reporters))}")
    check_output(config)
    progress, update = progress_printer(sys.stderr.isatty())
    if progress is not None:
        progress.start()
    try:
        run = run_audit(config, pm, progress=update)
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
            click.echo(f"cxprobe: gate failed: the run is incomplete ({clean_text('; '.join(why))}), so no gate can pass",
                       err=True)
            return ExitCode.ASSERTION_FAILED
        if score is None or score < config.fail_under:
            click.echo(f"cxprobe: gate failed: cohesion {score} is below --fail-under {config.fail_under:g}", err=True)
            return ExitCode.ASSERTION_FAILED
    return ExitCode.OK
