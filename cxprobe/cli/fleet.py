"""What ``cxprobe fleet SITES`` does: read and check every site, start (or reach) the Dask
engine, check its workers, run one task per site, write each site's reports, the summary
and the history, and return the exit code (0 all passed, 1 a gate failed, 3 a site could
not be measured, 4 a site's audit failed; the highest wins)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from .._registry import PluginManager
from ..config import AuditConfig, build_config, check_names, discover, from_table
from ..errors import ExitCode, UsageError
from ..gates import check_gate_names
from ..sanitise import clean_text

#: Config-file settings that apply to the fleet as a whole, never to one site's audit.
FLEET_LEVEL = ("formats", "output", "quiet", "history", "local_plugins", "strict_plugins")
#: Seconds a site may go past its audit deadline before the fleet gives up on its task.
GRACE_S = 30.0


@dataclass(frozen=True)
class FleetOptions:
    """The fleet command's options (None: not given)."""

    sites: str
    output: str = "cxprobe-fleet"
    formats: tuple[str, ...] = ()
    scheduler: str | None = None
    workers: int | None = None
    history: str | None = None
    render: str | None = None
    deadline: float | None = None
    fail_under: float | None = None
    retries: int = 2
    retry_delay: float = 2.0
    quiet: bool = False
    config_path: str | None = None


def _site_configs(opts: FleetOptions, pm: PluginManager) -> tuple[list[Any], list[AuditConfig], dict[str, Any]]:
    from ..fleet.sites import load_sites

    if any(i.local for i in pm.infos):
        raise UsageError("cxprobe fleet runs installed plugins only (workers cannot load a local plugin file): "
                         "package the plugin and install it on every worker")
    plugin = pm.options()
    table, source = discover(opts.config_path)
    base = from_table(table, source, plugin.settings) if table else {}
    # Keys of the config file that belong to the whole fleet: its formats and history are the
    # fleet's defaults; the rest has the fleet's own options.
    fleet_level: dict[str, Any] = {k: base.pop(k) for k in FLEET_LEVEL if k in base}
    specs = load_sites(opts.sites, base, plugin.settings)
    cli: dict[str, Any] = {k: v for k, v in (("render", opts.render), ("deadline", opts.deadline),
                                             ("fail_under", opts.fail_under)) if v is not None}
    registry = pm.registry()
    configs = []
    for spec in specs:
        values = dict(spec.values)
        # Worker processes are the parallelism: each reads its site's pages in-process.
        values.setdefault("jobs", 1)
        cfg = build_config(spec.location, values, cli, source, plugin.settings)
        # Every id and gate is checked now, before any task starts (exit 2).
        check_names(cfg, registry.touchpoints, registry.probes)
        check_gate_names(cfg.assertions, cfg.ignore, registry.touchpoints, registry.probes, spec.where)
        configs.append(cfg)
    return specs, configs, fleet_level


def run_fleet(opts: FleetOptions, pm: PluginManager) -> ExitCode:
    """The whole ``cxprobe fleet`` command; returns the exit code."""
    from ..fleet.engine import Progress, check_workers, connect, import_dask, run_jobs
    from ..fleet.sites import safe_name
    from ..fleet.summary import index_html, site_row, summary_json, summary_markdown, terminal_table
    from ..fleet.task import SiteJob
    from ..output import _writable_folder, write_file, write_outputs

    import_dask()  # one line and exit 2 without Dask, before anything else
    specs, configs, fleet_level = _site_configs(opts, pm)
    reporters = pm.registry().reporters
    formats = tuple(dict.fromkeys(opts.formats or fleet_level.get("formats") or ("json",)))
    unknown = [f for f in formats if f not in reporters]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(reporters))}")
    out = Path(opts.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--output {opts.output} is a file; the fleet writes a folder")
    _writable_folder(out, opts.output)
    history = opts.history or fleet_level.get("history")
    jobs = []
    for spec, cfg in zip(specs, configs, strict=True):
        baseline, baseline_name = None, ""
        if history and cfg.baseline is None and (cfg.fail_on_regression is not None
                                                 or any(r.startswith("new-") for r in cfg.fail_on)):
            from ..history import as_report, previous_run

            last = previous_run(history, spec.target)
            if last is not None:
                baseline, baseline_name = as_report(last, spec.target), f"{history} (run {last.id}, {last.started_at})"
        elif cfg.baseline:
            from ..gates import load_report

            baseline, baseline_name = load_report(cfg.baseline), cfg.baseline
        jobs.append((SiteJob(name=spec.name, target=spec.target, config=cfg.replace(history=None, output=None),
                             baseline=baseline, baseline_name=baseline_name), spec.host))
    if history:
        from ..history import check_writable

        check_writable(history)

    started_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    t0 = time.monotonic()
    show = sys.stderr.isatty() and not opts.quiet
    progress = Progress(total=len(jobs))

    shown = [""]

    def tick() -> None:
        line = progress.line()
        if show and line != shown[0]:
            shown[0] = line
            click.echo("\r\x1b[2K" + line, nl=False, err=True)

    def on_result(result: dict[str, Any]) -> None:
        progress.done += 1
        if result["status"] != "measured" or result["exit_code"]:
            progress.failed += 1
        tick()

    try:
        with connect(opts.scheduler, opts.workers) as (client, engine):
            check_workers(client)
            progress.started = time.monotonic()  # the estimate counts audits, not the cluster's start
            tick()
            results = run_jobs(client, jobs, retries=opts.retries, backoff=opts.retry_delay, grace=GRACE_S,
                               on_result=on_result, on_tick=tick)
    except KeyboardInterrupt:
        from . import interrupted

        raise interrupted() from None
    finally:
        if show:
            click.echo("\r\x1b[2K", nl=False, err=True)
    duration = time.monotonic() - t0

    rows = []
    for spec, cfg, result in zip(specs, configs, results, strict=True):
        folder = out / safe_name(spec.name)
        reports: dict[str, str] = {}
        report = result.get("report")
        if report is not None:
            site_cfg = cfg.replace(formats=formats, output=str(folder if len(formats) > 1 else
                                                               folder / f"report{reporters[formats[0]].extension}"))
            folder.mkdir(parents=True, exist_ok=True)
            write_outputs(report, site_cfg, pm, color=False, keep_existing=result["status"] != "measured")
            reports = {f: f"{folder.name}/report{reporters[f].extension}" for f in formats
                       if (folder / f"report{reporters[f].extension}").is_file()}
        rows.append(site_row(result, spec.target, reports))
    exit_code = max((r["exit_code"] for r in rows), default=0)
    write_file(out / "summary.json", summary_json(rows, engine, started_at, duration, exit_code))
    write_file(out / "summary.md", summary_markdown(rows, engine, started_at, duration))
    write_file(out / "index.html", index_html(rows, engine, started_at, duration))
    if history:  # the client alone writes the history: one row per site that was measured
        from ..history import record_run

        for result in results:
            if result["status"] == "measured":
                record_run(history, result["report"])
    click.echo(terminal_table(rows, engine, duration), nl=False)
    for r in rows:
        if r["status"] in ("not_measured", "error"):
            click.echo(f"cxprobe: error: {clean_text(r['name'])}: {clean_text(r['error'] or '')}", err=True)
        elif r["gates_failed"]:  # as for audit, --quiet keeps failed gates
            click.echo(f"cxprobe: gate failed: {clean_text(r['name'])}: {', '.join(r['gates_failed'])}", err=True)
    if not opts.quiet:
        click.echo(f"cxprobe: wrote the reports and the summary to {out}/", err=True)
    return ExitCode(exit_code)
