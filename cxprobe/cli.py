"""The ``cxprobe`` command line (click).

This is the one place where domain errors become one-line messages and exit codes
(:class:`cxprobe.errors.ExitCode`). Set ``CXPROBE_DEBUG=1`` to see tracebacks.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import RENDER_MODES, AuditConfig, check_values, discover, from_table
from .errors import CxprobeError, ExitCode, InternalError, Interrupted, UsageError
from .plugins import PluginManager, get_plugin_manager
from .probe import PROFILES
from .sanitise import clean_text

#: The demo site's own config file, shipped beside its pages.
DEMO_CONFIG = "cxprobe-demo.toml"

#: Signals that stopped the run (SIGTERM is turned into the Ctrl-C path and noted here).
_signals: list[int] = []


def _on_sigterm(signum: int, _frame: object) -> None:
    """SIGTERM takes the Ctrl-C path, so asyncio cancels its tasks and browsers close."""
    _signals.append(signum)
    signal.raise_signal(signal.SIGINT)


def _quiet_cancellations() -> None:
    """Drop asyncio's "exception was never retrieved" reports of cancelled futures.

    After Ctrl-C every pending request is cancelled on purpose; a future nobody awaited
    any more is garbage-collected later and asyncio would print its CancelledError as a
    traceback. Any other asyncio error is still reported.
    """
    import asyncio
    import logging

    class _DropCancelled(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            exc = record.exc_info[1] if record.exc_info else None
            return not isinstance(exc, asyncio.CancelledError)

    logging.getLogger("asyncio").addFilter(_DropCancelled())


def _interrupted() -> Interrupted:
    return Interrupted(_signals[-1] if _signals else signal.SIGINT)


def _fail(message: str, code: int) -> None:
    click.echo(f"cxprobe: error: {clean_text(message)}", err=True)
    sys.exit(int(code))


def _parse_header(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for v in values:
        if ":" not in v:
            raise UsageError(f"--header {v!r} must look like 'Name: value'")
        k, _, val = v.partition(":")
        if not k.strip():
            raise UsageError(f"--header {v!r} has no name")
        out.append((k.strip(), val.strip()))
    return tuple(out)


AUDIT_OPTIONS: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
    click.option("--start", help="Start page path (e.g. /home.html); default: the target's index."),
    click.option("--render", type=click.Choice(RENDER_MODES), default=None,
                 help="static: HTML only; browser: also render with Chromium; auto (default): browser when one is found."),
    click.option("--browser-path", default=None, help="Chromium executable to render with (or CXPROBE_BROWSER)."),
    click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Most pages kept (default 50)."),
    click.option("--max-depth", type=click.IntRange(min=0), default=None, help="Most clicks from the start page (default 5)."),
    click.option("--concurrency", type=click.IntRange(min=1), default=None, help="Requests at once (default 8)."),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=None, help="Seconds per request (default 10)."),
    click.option("--deadline", type=click.FloatRange(min=0.1), default=None, help="Seconds for the whole crawl (default 300)."),
    click.option("--plugin-timeout", type=click.FloatRange(min=0.1), default=None, metavar="S",
                 help="Seconds one plugin call (probe, gatherer, hook) may take before it is cut off (default 30)."),
    click.option("--max-bytes", type=click.IntRange(min=1), default=None, metavar="BYTES",
                 help="Size cap per response; a larger page is recorded as too_large (default 5 MiB)."),
    click.option("--ignore-robots", is_flag=True, default=None, help="Crawl pages robots.txt disallows."),
    click.option("--header", "headers", multiple=True, metavar="'K: V'", help="Extra request header, sent only to the target's origin and --allow-host hosts (repeatable)."),
    click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST", help="Also crawl this host and send it the --header values (repeatable)."),
    click.option("--include", multiple=True, metavar="GLOB", help="Only crawl URLs matching (repeatable)."),
    click.option("--exclude", multiple=True, metavar="GLOB", help="Never crawl URLs matching (repeatable)."),
    click.option("--profile", type=click.Choice(PROFILES), default=None, help="Weights profile (default general)."),
    click.option("--only", multiple=True, metavar="ID", help="Run only these probes or touchpoints (repeatable)."),
    click.option("--skip", multiple=True, metavar="ID", help="Skip these probes or touchpoints (repeatable)."),
    click.option("--config", "config_path", default=None, metavar="FILE", help="Config file (default cxprobe.toml or [tool.cxprobe] in pyproject.toml)."),
    click.option("--format", "formats", multiple=True, metavar="NAME", help="Output format: terminal, json, ... (repeatable)."),
    click.option("--output", "-o", default=None, metavar="PATH", help="Write to this file (one format) or folder (several)."),
    click.option("--fail-under", type=click.FloatRange(0, 100), default=None, help="Exit 1 when the cohesion score is below this."),
    click.option("--color/--no-color", default=None, help="Colour terminal output (default: when a terminal)."),
]


def _build_config(target: str, params: dict[str, Any], plugin_keys: set[str]) -> AuditConfig:
    table, source = discover(params.pop("config_path", None))
    values: dict[str, Any] = from_table(table, source) if table else {}
    cli: dict[str, Any] = {}
    for key in ("start", "render", "browser_path", "max_pages", "max_depth", "concurrency", "timeout",
                "deadline", "plugin_timeout", "max_bytes", "ignore_robots", "profile", "output", "fail_under"):
        if params.get(key) is not None:
            cli[key] = params[key]
    if params.get("headers"):
        cli["headers"] = _parse_header(params["headers"])
    for key in ("allow_hosts", "include", "exclude", "only", "skip"):
        if params.get(key):
            cli[key] = tuple(params[key])
    if params.get("formats"):
        cli["formats"] = tuple(params["formats"])
    check_values(cli, "option")
    values.update(cli)
    if not values.get("browser_path") and os.environ.get("CXPROBE_BROWSER"):
        values["browser_path"] = os.environ["CXPROBE_BROWSER"]
    plugin_options = dict(values.get("plugin_options", {}))
    ctx = click.get_current_context(silent=True)
    for k in plugin_keys:
        if params.get(k) is None:
            continue
        # An option's default never overrides the value a config file's [plugins] table set.
        from_default = ctx is not None and ctx.get_parameter_source(k) in (
            click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP)
        if from_default and k in plugin_options:
            continue
        plugin_options[k] = params[k]
    values["plugin_options"] = plugin_options
    return AuditConfig(target=target, source=source, **values)


def _do_audit(pm: PluginManager, target: str, params: dict[str, Any], plugin_keys: set[str]) -> None:
    from .output import run_and_report

    color = params.pop("color", None)
    config = _build_config(target, params, plugin_keys)
    if config.disable_plugins:
        pm.disable(config.disable_plugins)
    try:
        code = run_and_report(config, pm, color=color)
    except KeyboardInterrupt:
        # Raised as a domain error so click never turns it into "Aborted!" and exit 1.
        raise _interrupted() from None
    sys.exit(int(code))


def _make_cli(pm: PluginManager) -> click.Group:
    plugin_options: list[click.Option] = []

    def add_option(*decls: str, **attrs: Any) -> None:
        plugin_options.append(click.Option(list(decls), **attrs))

    pm.add_options(add_option)
    plugin_keys = {o.name for o in plugin_options if o.name}

    @click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
    @click.version_option(__version__, "--version", prog_name="cxprobe", message="%(prog)s %(version)s")
    def cli() -> None:
        """Audit a business website the way a customer meets it.

        Walks the site from its home page, checks every touchpoint a customer needs
        (clarity, mobile, contact, pricing, support, policies, social, feedback,
        journey, consistency) and rolls them into one explainable cohesion score.
        """

    def with_audit_options(f: Callable[..., Any]) -> Callable[..., Any]:
        for opt in reversed(AUDIT_OPTIONS):
            f = opt(f)
        return f

    @cli.command()
    @click.argument("target")
    @with_audit_options
    def audit(target: str, **params: Any) -> None:
        """Audit TARGET: an http(s):// URL, a folder of built HTML, or one HTML file."""
        _do_audit(pm, target, params, plugin_keys)

    @cli.command()
    @with_audit_options
    def demo(**params: Any) -> None:
        """Audit the bundled demo site (a fictional company, shipped with cxprobe)."""
        from importlib.resources import files

        root = files("cxprobe_demo")
        path = Path(str(root))
        if not (path / "index.html").is_file():
            raise InternalError("the bundled demo site is missing from this install")
        # The demo's own settings (its accepted fictional contact details) apply unless the
        # user names a config or has one in the working directory.
        if not params.get("config_path") and not discover(None)[1] and (path / DEMO_CONFIG).is_file():
            params["config_path"] = str(path / DEMO_CONFIG)
        _do_audit(pm, str(path), params, plugin_keys)

    for cmd in (audit, demo):
        cmd.params.extend(plugin_options)

    @cli.command()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def probes(as_json: bool) -> None:
        """List every probe: id, touchpoint, weight, needs browser, plugin."""
        reg = pm.registry()
        rows: list[dict[str, Any]] = []
        for pid in sorted(reg.probes):
            p = reg.probes[pid]
            rows.append({"id": pid, "touchpoint": p.touchpoint, "weight": p.weight,
                         "browser": "rendering" in p.requires, "plugin": pm.owner("probe", pid), "title": p.title})
        if as_json:
            click.echo(json.dumps(rows, indent=2))
            return
        width = max((len(r["id"]) for r in rows), default=10)
        click.echo(f"{'id':<{width}}  {'touchpoint':<12} {'weight':>6}  browser  plugin")
        for r in rows:
            click.echo(f"{r['id']:<{width}}  {r['touchpoint']:<12} {r['weight']:>6g}  {'yes' if r['browser'] else 'no ':<7}  {r['plugin']}")

    @cli.command()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def plugins(as_json: bool) -> None:
        """Installed plugins with versions and the hooks they implement."""
        reg = pm.registry()
        rows: list[dict[str, Any]] = []
        for info in sorted(pm.infos, key=lambda i: (not i.builtin, i.name)):
            registered = sorted(k.split(":", 1)[1] for k, v in reg.owners.items()
                                if v == info.name or (v.endswith(":" + info.name) and v.split(":")[0] == info.dist))
            rows.append({"name": info.name, "dist": info.dist, "version": info.version, "builtin": info.builtin,
                         "module": info.module, "hooks": info.hooks, "registered": registered, "error": info.error})
        if as_json:
            click.echo(json.dumps(rows, indent=2))
            return
        for r in rows:
            status = f"  ERROR: {r['error']}" if r["error"] else ""
            click.echo(f"{r['name']} ({r['dist']} {r['version']}){' [built-in]' if r['builtin'] else ''}{status}")
            if r["hooks"]:
                click.echo(f"    hooks: {', '.join(r['hooks'])}")

    @cli.command()
    @click.argument("probe_id")
    def explain(probe_id: str) -> None:
        """What a probe checks, why it matters, and how to fix it."""
        reg = pm.registry()
        p = reg.probes.get(probe_id)
        if p is None:
            close = [pid for pid in sorted(reg.probes) if probe_id in pid or pid.startswith(probe_id.split(".")[0])]
            hint = f"; did you mean {', '.join(close[:5])}?" if close else "; `cxprobe probes` lists them"
            raise UsageError(f"no probe with id {probe_id!r}{hint}")
        tp = reg.touchpoints.get(p.touchpoint)
        click.echo(f"{p.id} — touchpoint {p.touchpoint}" + (f": {tp.question}" if tp else ""))
        click.echo(f"  passes: {p.title}")
        click.echo(f"  fails:  {p.failure_title}")
        click.echo(f"  weight: {p.weight:g} within {p.touchpoint}; needs browser: {'yes' if 'rendering' in p.requires else 'no'}")
        click.echo(f"  plugin: {pm.owner('probe', p.id)}")
        click.echo("")
        click.echo(p.description.strip())

    return cli


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``cxprobe`` console script."""
    debug = bool(os.environ.get("CXPROBE_DEBUG"))
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    _quiet_cancellations()
    try:
        pm = get_plugin_manager()
        for w in pm.warnings:
            click.echo(f"cxprobe: warning: {clean_text(w)}", err=True)
        pm.warnings_shown = len(pm.warnings)
        cli = _make_cli(pm)
        cli.main(args=argv, prog_name="cxprobe", standalone_mode=True)
    except SystemExit:
        raise
    except CxprobeError as exc:
        if debug:
            raise
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        stopped = _interrupted()
        _fail(str(stopped), stopped.exit_code)
    except Exception as exc:  # noqa: BLE001 - a bug in cxprobe: one line, exit 4
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set CXPROBE_DEBUG=1 for the traceback)",
              ExitCode.INTERNAL_ERROR)


if __name__ == "__main__":  # pragma: no cover
    main()
