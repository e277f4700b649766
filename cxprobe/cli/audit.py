"""What ``cxprobe audit`` and ``cxprobe demo`` do around the core run: a progress bar on
stderr, the reports written, ``cxprobe_report_ready``, and the exit code from the gates."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

import click

from .._registry import PluginManager
from ..config import AuditConfig
from ..errors import ExitCode, UsageError
from ..gates import load_report
from ..output import check_output, write_outputs
from ..report import finish_report
from ..reporters.github import write_annotations
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
            tasks[stage] = progress.add_task({"crawl": "crawling", "render": "rendering", "probes": "probing",
                                             "journeys": "walking journeys"}.get(stage, stage), total=total)
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
    # Formats, the output location and the baseline are checked before the crawl, so a
    # typo, an unwritable folder or a wrong file costs nothing.
    reporters = pm.registry().reporters
    if config.strict_plugins:
        # A plugin refused at start-up fails the run before anything is crawled; options
        # are read already, so their hook's problems are in too.
        pm.options()
        if pm.warnings:
            return _strict_failure(pm, before_the_run=True)
    unknown = [f for f in config.formats if f not in reporters]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(reporters))}")
    check_output(config)
    baseline = load_report(config.baseline) if config.baseline else None
    baseline_name = str(config.baseline)
    gates = config.gates()
    if config.history:  # run history (--history): checked now, written after the reports
        from ..history import as_report, check_writable, previous_run

        check_writable(config.history)
        # Without --baseline, the gates that compare (new findings, regression) compare
        # with the target's last recorded run; the first run has nothing to compare with.
        if baseline is None and (config.fail_on_regression is not None or any(r.startswith("new-") for r in config.fail_on)):
            last = previous_run(config.history, config.target)
            if last is not None:
                baseline = as_report(last, config.target)
                baseline_name = f"{config.history} (run {last.id}, {last.started_at})"
            else:
                gates = replace(gates, no_baseline=f"the first run of {config.target} in {config.history}: "
                                                  "nothing to compare with yet")
    progress, update = progress_printer(sys.stderr.isatty())
    if progress is not None:
        progress.start()
    try:
        run = run_audit(config, pm, progress=update)
    finally:
        if progress is not None:
            progress.stop()
    report, outcome = finish_report(run, pm, gates, baseline, baseline_name)
    kept = write_outputs(report, config, pm, color, keep_existing=run.fatal is not None)
    # GitHub Actions: findings as workflow annotations on the lines to fix (cxprobe/reporters/github.py).
    write_annotations(report, config)
    for path in kept:
        click.echo(f"cxprobe: kept the earlier report at {path}: this run could not measure the site", err=True)
    if run.fatal:
        click.echo(f"cxprobe: error: {clean_text(run.fatal)}", err=True)
        return ExitCode.CANNOT_MEASURE
    if config.history:  # a run that measured the site is recorded, whatever its gates say
        from ..history import record_run

        record_run(config.history, report)
    if not config.quiet:
        _summary_to_stderr(report, config, pm, color)
    # Warnings printed at start-up (plugins that could not be loaded) are not repeated.
    _print_warnings(pm)
    base = report.get("baseline")
    if base is not None and not base["comparable"]:
        click.echo("cxprobe: warning: the baseline cannot be compared with this run: "
                   + clean_text("; ".join(base["mismatches"])), err=True)
    for check in outcome["checks"]:
        if check["passed"]:
            continue
        word = "gate failed" if check["level"] == "error" else "warning"
        click.echo(f"cxprobe: {word}: {check['name']}: {clean_text(check['message'])}", err=True)
    if config.strict_plugins and pm.warnings:
        return _strict_failure(pm, before_the_run=False)
    return ExitCode.OK if outcome["passed"] else ExitCode.ASSERTION_FAILED


def _print_warnings(pm: PluginManager) -> None:
    """The plugin diagnostics not printed yet, one ``cxprobe: warning:`` line each."""
    for n in pm.warnings[pm.warnings_shown:]:
        click.echo(f"cxprobe: warning: {clean_text(n)}", err=True)
    pm.warnings_shown = len(pm.warnings)


def _strict_failure(pm: PluginManager, before_the_run: bool) -> ExitCode:
    """``--strict-plugins``: every plugin problem (each printed as its warning line) is exit 4."""
    _print_warnings(pm)
    n = len(pm.warnings)
    what = f"{n} plugin problem{'s' if n != 1 else ''} (above)"
    click.echo(f"cxprobe: error: --strict-plugins: {what}; "
               + ("nothing was audited" if before_the_run else "the reports are written, but the run does not count"),
               err=True)
    return ExitCode.INTERNAL_ERROR


def _summary_to_stderr(report: dict[str, Any], config: AuditConfig, pm: PluginManager, color: bool | None) -> None:
    """What a person reading the log sees: the terminal summary on stderr whenever standard
    output does not already show it (another format, or a file), else one line."""
    shows_terminal = "terminal" in (config.formats or ("terminal",)) and config.output in (None, "-")
    reporters = pm.registry().reporters
    if not shows_terminal and "terminal" in reporters and reporters["terminal"].__class__.__name__ == "TerminalReporter":
        from ..reporters.terminal import TerminalReporter

        use_color = sys.stderr.isatty() if color is None else color
        click.echo(TerminalReporter(color=use_color).render(report, config), nl=False, err=True)
    elif not sys.stderr.isatty():
        from ..reporters._shared import plain_count

        click.echo(f"cxprobe: audited {plain_count(report['crawl']['pages'], 'page')} of {report['target']} in {report['duration_s']:.1f} s "
                   f"({report['mode']} mode): cohesion {report['cohesion']['score']}", err=True)
