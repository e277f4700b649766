"""The click group and its commands. Options of ``audit`` and ``demo`` are generated from the
settings (:data:`cxprobe.config.SETTINGS` and the plugins' own): the CLI only parses flags."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from ..config import SETTINGS, build_config, discover, from_options, from_table
from ..errors import InternalError, UsageError
from ..options import Setting

if TYPE_CHECKING:
    from .._registry import PluginManager

#: The demo site's own config file, shipped beside its pages.
DEMO_CONFIG = "cxprobe-demo.toml"


def option_for(s: Setting) -> click.Option:
    """The click option of a setting: flags only parse, the setting reads and checks."""
    decls = [s.option or "", s.cli_name] + ([s.short] if s.short else [])
    help_text = s.help + ("" if s.default in (None, (), {}, False) else f" (default {s.default_text()})")
    if s.kind == "bool":
        return click.Option(decls, is_flag=True, default=None, help=help_text)
    if s.choices:
        return click.Option(decls, type=click.Choice(s.choices), default=None, help=help_text)
    typ: Any = {"int": click.INT, "float": click.FLOAT}.get(s.kind, click.STRING)
    return click.Option(decls, type=typ, default=None, multiple=s.repeatable, metavar=s.metavar,
                        help=help_text + (" Repeatable." if s.repeatable else ""))


def audit_options(pm: PluginManager) -> list[click.Option]:
    """Every option of ``audit`` and ``demo``: the core's settings, then the plugins'."""
    plugin = pm.options()
    out = [option_for(s) for s in SETTINGS.values() if s.option]
    out += [option_for(s) for s in plugin.settings if s.option]
    out.append(click.Option(["--config", "config_path"], default=None, metavar="FILE",
                            help="Config file (default cxprobe.toml or [tool.cxprobe] in pyproject.toml)."))
    out.append(click.Option(["--color/--no-color"], default=None, help="Colour terminal output (default: when a terminal)."))
    out += plugin.click_options
    return out


def plugin_loading_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--plugin``, ``--disable-plugin`` and ``--config`` on a command that lists or explains
    plugins: read before click parses the command line (:func:`cxprobe.cli.early_options`),
    so the listing shows what an audit with the same options would load."""
    for decls, help_text, multiple in (
            (["--config", "config_path"], "Config file whose plugins and disable_plugins apply (default "
             "cxprobe.toml or [tool.cxprobe] in pyproject.toml).", False),
            (["--disable-plugin", "disable_plugin"], SETTINGS["disable_plugins"].help + " Repeatable.", True),
            (["--plugin", "plugin"], SETTINGS["local_plugins"].help + " Repeatable.", True)):
        metavar = "FILE" if decls[0] == "--config" else ("NAME" if decls[0] == "--disable-plugin" else "FILE_OR_MODULE")
        f = click.option(*decls, multiple=multiple, metavar=metavar, help=help_text)(f)
    return f


def config_from(pm: PluginManager, target: str, params: dict[str, Any]) -> Any:
    """The run's AuditConfig: defaults, the config file, the flags given."""
    plugin = pm.options()
    table, source = discover(params.pop("config_path", None))
    file_values = from_table(table, source, plugin.settings) if table else {}
    cli_values = from_options(params, plugin.settings)
    # Click-style plugin options keep their old rule: given on the command line (not by
    # their default) they win over the file's [plugins] table.
    ctx = click.get_current_context(silent=True)
    legacy: dict[str, Any] = {}
    for opt in plugin.click_options:
        name = opt.name
        if not name or params.get(name) is None:
            continue
        from_default = ctx is not None and ctx.get_parameter_source(name) in (
            click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP)
        if from_default and name in file_values.get("plugin_options", {}):
            continue
        legacy[name] = params[name]
    if legacy:
        cli_values["plugin_options"] = {**cli_values.get("plugin_options", {}), **legacy}
    return build_config(target, file_values, cli_values, source, plugin.settings)


class _PluginOptionsCommand(click.Command):
    """A command whose options include the plugins' settings, read when the command is
    parsed or its help shown: ``cxprobe --help`` and ``--version`` load no plugin."""

    def __init__(self, *args: Any, plugin_options: Callable[[], list[click.Option]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plugin_options = plugin_options
        self._added = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self._added:
            self._added = True
            self.params.extend(self._plugin_options())
        return super().get_params(ctx)


class _Group(click.Group):
    """The ``cxprobe`` group: a Ctrl-C (or SIGTERM, which takes its path) anywhere in
    click's hands, while it parses the options, loads the plugins that add some, or runs a
    command, is cxprobe's one-line interrupted error (exit 130 / 143), never click's
    "Aborted!" and exit 1."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            from . import interrupted

            raise interrupted() from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            from . import interrupted

            raise interrupted() from None


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the installed version, read only when asked for (importlib.metadata
    is a fifth of ``cxprobe --help``'s time)."""
    if not value or ctx.resilient_parsing:
        return
    from .. import __version__

    click.echo(f"cxprobe {__version__}")
    ctx.exit()


def make_cli(source: PluginManager | Callable[[], PluginManager]) -> click.Group:
    """The ``cxprobe`` command group for the plugins ``source`` has loaded, or, given a
    function that loads them, the group that calls it only when a command needs them."""
    # The registry (pluggy, the entry points, the model) is imported only by loading the
    # plugins: an object made before that cannot be a PluginManager.
    registry = sys.modules.get("cxprobe._registry")
    eager = registry is not None and isinstance(source, registry.PluginManager)
    get_pm: Callable[[], PluginManager]
    if eager:
        loaded = cast("PluginManager", source)
        get_pm = lambda: loaded  # noqa: E731 - the one manager, as the loader would return it
    else:
        get_pm = functools.cache(cast("Callable[[], PluginManager]", source))

    @functools.cache
    def audit_and_demo_options() -> list[click.Option]:
        return audit_options(get_pm())

    @click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
    @click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
                  help="Show the version and exit.")
    def cli() -> None:
        """Audit a business website the way a customer meets it.

        Walks the site from its home page, checks every touchpoint a customer needs
        (clarity, mobile, contact, pricing, support, policies, social, feedback,
        journey, consistency) and rolls them into one explainable cohesion score.
        """

    def run(target: str, params: dict[str, Any]) -> None:
        from .audit import audit_and_report

        color = params.pop("color", None)
        pm = get_pm()
        config = config_from(pm, target, params)
        sys.exit(int(audit_and_report(config, pm, color=color)))

    @cli.command(cls=_PluginOptionsCommand, plugin_options=audit_and_demo_options)
    @click.argument("target")
    def audit(target: str, **params: Any) -> None:
        """Audit TARGET: an http(s):// URL, a folder of built HTML, or one HTML file."""
        run(target, params)

    @cli.command(cls=_PluginOptionsCommand, plugin_options=audit_and_demo_options)
    def demo(**params: Any) -> None:
        """Audit the bundled demo site (a fictional company, shipped with cxprobe)."""
        from importlib.resources import files

        path = Path(str(files("cxprobe_demo")))
        if not (path / "index.html").is_file():
            raise InternalError("the bundled demo site is missing from this install")
        # The demo's own settings (its accepted fictional contact details) apply unless the
        # user names a config or has one in the working directory.
        if not params.get("config_path") and not discover(None)[1] and (path / DEMO_CONFIG).is_file():
            params["config_path"] = str(path / DEMO_CONFIG)
        run(str(path), params)

    if eager:  # the options are there at once (callers that read ``params``)
        for cmd in (audit, demo):
            cmd.get_params(click.Context(cmd))

    @cli.command()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @plugin_loading_options
    def probes(as_json: bool, **_loaded: Any) -> None:
        """List every probe: id, touchpoint, weight, needs browser, plugin."""
        pm = get_pm()
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
    @plugin_loading_options
    def plugins(as_json: bool, **_loaded: Any) -> None:
        """Installed and local plugins with their versions and hooks."""
        pm = get_pm()
        reg = pm.registry()
        rows: list[dict[str, Any]] = []
        for info in sorted(pm.infos, key=lambda i: (not i.builtin, i.name)):
            registered = sorted(k.split(":", 1)[1] for k, v in reg.owners.items() if v == (info.key or info.name))
            rows.append({"name": info.name, "dist": info.dist, "version": info.version, "builtin": info.builtin,
                         "local": info.local is not None, "module": info.module, "hooks": info.hooks,
                         "registered": registered, "error": info.error})
        if as_json:
            click.echo(json.dumps(rows, indent=2))
            return
        for r in rows:
            status = f"  ERROR: {r['error']}" if r["error"] else ""
            origin = f"local: {r['module']}" if r["local"] else f"{r['dist']} {r['version']}"
            click.echo(f"{r['name']} ({origin}){' [built-in]' if r['builtin'] else ''}{status}")
            if r["hooks"]:
                click.echo(f"    hooks: {', '.join(r['hooks'])}")

    @cli.command()
    @click.argument("before", metavar="A.json")
    @click.argument("after", metavar="B.json")
    @click.option("--format", "fmt", type=click.Choice(["terminal", "markdown", "json"]), default="terminal",
                  show_default=True, help="How to print the comparison.")
    @click.option("--fail-on", "fail_on", multiple=True, type=click.Choice(["new-error", "new-warning"]),
                  help="Exit 1 when B has findings of this severity that A does not. Repeatable.")
    @click.option("--fail-on-regression", type=click.FloatRange(0, 100), default=None, metavar="POINTS",
                  help="Exit 1 when cohesion fell by more than POINTS from A to B.")
    def diff(before: str, after: str, fmt: str, fail_on: tuple[str, ...], fail_on_regression: float | None) -> None:
        """Compare two JSON reports: cohesion and touchpoint deltas, new and fixed findings.

        Reports of different render modes, scoring methods, profiles, targets or plugin
        sets are flagged as not comparable, and a gate that rests on the comparison fails.
        """
        from .diff import run_diff

        sys.exit(int(run_diff(before, after, fmt, fail_on, fail_on_regression)))

    @cli.command()
    @click.argument("probe_id")
    @plugin_loading_options
    def explain(probe_id: str, **_loaded: Any) -> None:
        """What a probe checks, why it matters, and how to fix it."""
        pm = get_pm()
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

    @cli.command()
    @click.argument("sites", metavar="SITES")
    @click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                  help="An existing Dask scheduler to send the sites to (default: a LocalCluster on this machine).")
    @click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
                  help="Worker processes of the LocalCluster (default: one per core); each audits one site at a time.")
    @click.option("--output", "-o", default="cxprobe-fleet", show_default=True, metavar="DIR",
                  help="Folder for each site's reports (DIR/NAME/report.*) and the summary.")
    @click.option("--format", "formats", multiple=True, metavar="NAME",
                  help="Report format of each site (default json): json, html, markdown, junit, sarif, terminal. Repeatable.")
    @click.option("--history", default=None, metavar="DB", help="Append one run per measured site to this history database.")
    @click.option("--render", type=click.Choice(["auto", "static", "browser"]), default=None,
                  help="Render mode of every site (overrides the SITES file).")
    @click.option("--deadline", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
                  help="Seconds for each site's audit (default 300); a site with no result 30 s past it is given up.")
    @click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="SCORE",
                  help="A site whose cohesion is below SCORE fails its gate.")
    @click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True, metavar="N",
                  help="Retries of a site whose start page could not be reached or answered 5xx.")
    @click.option("--retry-delay", type=click.FloatRange(min=0), default=2.0, show_default=True, metavar="S",
                  help="Seconds before the first retry; doubled for each next one.")
    @click.option("--quiet", is_flag=True, help="No progress line; stderr only for errors and failed gates.")
    @click.option("--config", "config_path", default=None, metavar="FILE",
                  help="Config file whose settings apply to every site, under the SITES file's "
                       "(default cxprobe.toml or [tool.cxprobe] in pyproject.toml).")
    def fleet(sites: str, **params: Any) -> None:
        """Audit many sites, one Dask task each, on this machine or a Dask cluster.

        SITES is a text file (one URL or folder a line, # comments) or a TOML file with
        per-site settings ([defaults] and [[site]] tables). Exit 0 when every site was measured and passed its gates, 1 when a gate failed, 3
        when a site could not be measured."""
        from .fleet import FleetOptions, run_fleet

        opts = FleetOptions(sites=sites, formats=tuple(params.pop("formats")), **params)
        sys.exit(int(run_fleet(opts, get_pm())))

    @cli.command("new-plugin")
    @click.argument("name")
    @click.option("--dir", "folder", default=None, metavar="PATH",
                  help="Folder to write the package into (default ./cxprobe-NAME); must be new or empty.")
    def new_plugin(name: str, folder: str | None) -> None:
        """Write a ready plugin package: an extractor, a probe, a touchpoint and their tests."""
        from ..scaffold import new_plugin as write
        from ..scaffold import plugin_names

        plugin_names(name)  # an invalid name is refused before any plugin loads
        reg = get_pm().registry()  # and so is a name an installed plugin uses
        root, written = write(name, folder, taken={*reg.touchpoints, *reg.extractors, *(i.name for i in get_pm().infos)})
        click.echo(f"Wrote {root}: {', '.join(written)}")
        click.echo(f"Next: cd {root} && pip install -e '.[test]' && pytest")

    @cli.command()
    @click.argument("database", metavar="DB")
    @click.option("--target", default=None, metavar="URL_OR_FOLDER",
                  help="Only this target, as the audit was given it (default: every target, one section each).")
    @click.option("--limit", type=click.IntRange(min=0), default=30, show_default=True, metavar="N",
                  help="Runs shown per target, the newest; 0 shows all.")
    @click.option("--format", "fmt", type=click.Choice(["terminal", "markdown", "json"]), default="terminal",
                  show_default=True, help="A table with a sparkline, a Markdown table, or JSON rows.")
    def history(database: str, target: str | None, limit: int, fmt: str) -> None:
        """The trend of the runs recorded with `audit --history DB`."""
        # sqlite3 and the history module load only here: `cxprobe --help` stays quick.
        from .history import show_history

        sys.exit(int(show_history(database, target=target, limit=limit, fmt=fmt)))

    return cli

