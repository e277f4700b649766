"""Configuration: defaults, then a config file, then command-line flags.

Every setting is declared once, as a field of :class:`AuditConfig` (see
:mod:`cxprobe.options`): that one declaration gives the config field, the file key, the
command-line option, the check and the docs line. Plugins declare theirs through
``cxprobe_add_options``.

Discovery: ``--config FILE``, else ``cxprobe.toml`` in the working directory, else
``[tool.cxprobe]`` in its ``pyproject.toml``. Unknown keys are an error, never ignored.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, UsageError
from .options import Setting, setting, settings_of

RENDER_MODES = ("auto", "static", "browser")
#: Profiles that adjust touchpoint weights (docs/scoring.md).
PROFILES = ("general", "saas", "ecommerce", "local", "nonprofit")


def _absolute_browser(value: str, where: str) -> str:
    # A config file is found in the working directory, and the browser it names is
    # executed: only an absolute path names one executable whatever the folder cxprobe
    # runs in (a relative one would run whatever lies there).
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise ConfigError(f"{where}: browser_path must be an absolute path, not {value!r} "
                          f"(cxprobe runs the executable it names; give a relative one with --browser-path)")
    return str(path)


def _config_folder(where: str) -> Path:
    """The folder of the config file ``where`` names ("path" or "path [tool.cxprobe]")."""
    return Path(where.removesuffix(" [tool.cxprobe]")).parent


def _local_plugins(value: tuple[str, ...], where: str) -> tuple[str, ...]:
    # Files are resolved against the config file's folder (and must exist); module names
    # stay names, imported from that folder (cxprobe._local).
    from ._local import parse_spec

    return tuple(spec.origin for spec in (parse_spec(v, _config_folder(where), where) for v in value))


def _weights(value: dict[str, Any], where: str) -> dict[str, float]:
    out = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise ConfigError(f"{where}: weights.{k} must be a finite number >= 0")
        out[str(k)] = float(v)
    return out


def _fail_on(value: tuple[str, ...], where: str) -> tuple[str, ...]:
    from .gates import FAIL_ON

    for v in value:
        if v not in FAIL_ON:
            raise ConfigError(f"{where}: fail_on {v!r} must be one of {', '.join(FAIL_ON)}")
    return tuple(dict.fromkeys(value))


def _assertions(value: dict[str, Any], where: str) -> dict[str, Any]:
    from .gates import read_assertions

    return dict(read_assertions(value, where))


def _journeys(value: tuple[dict[str, Any], ...], where: str) -> tuple[Any, ...]:
    from .journeys import read_journeys

    return read_journeys(value, where)


def _waivers(value: tuple[dict[str, Any], ...], where: str) -> tuple[Any, ...]:
    from .gates import read_waivers

    return read_waivers(value, where)


@dataclass(frozen=True)
class AuditConfig:
    """Everything one audit run is told. Frozen: plugins read it, never change it."""

    #: The audit target as typed: a URL, a folder or an HTML file (the command's argument).
    target: str = ""
    # ----------------------------------------------------------------- target and mode
    start: str | None = setting(None, "Start page path, e.g. /home.html; for a URL target it replaces the URL's path.",
                                kind="str", section="target", option="--start", metavar="PATH",
                                doc_default="the target's index")
    render: str = setting("auto", "static: HTML only; browser: also render every page in Chromium at phone and "
                          "desktop size (exit 2 when no browser is found); auto: browser mode when a browser is found.",
                          kind="str", section="target", option="--render", choices=RENDER_MODES,
        doc="`auto`, `static` or `browser` ([concepts](concepts.md#static-and-browser-mode)). `static`: HTML only. `browser`: also render every page in Chromium at phone and desktop size; exit 2 when no browser is found. `auto`: browser mode when a browser is found, else static mode (a `note:` says which).")
    browser_path: str | None = setting(None, "Chromium executable to render with. It is executed: in a config file "
                                       "only an absolute path is accepted.", kind="str", section="target",
                                       option="--browser-path", metavar="PATH", env="CXPROBE_BROWSER",
                                       file_validate=_absolute_browser,
        doc="Chromium executable, **which cxprobe runs** in browser mode (and under `--render auto`, the default, whenever it is found). In a config file only an absolute path (`~` is expanded): a relative one is a config error (exit 2), because the config file is found in the working directory and a relative path would run whatever lies there ([security](security.md#executables)). `--browser-path` and `CXPROBE_BROWSER` may be relative.")
    # ----------------------------------------------------------------- crawl
    max_pages: int = setting(50, "Most pages kept; reaching it sets crawl.truncated to max_pages.",
                             kind="int", section="crawl", option="--max-pages", metavar="N", minimum=1)
    max_depth: int = setting(5, "Most clicks from the start page.", kind="int", section="crawl",
                             option="--max-depth", metavar="N", minimum=0)
    concurrency: int = setting(8, "Requests at once.", kind="int", section="crawl", option="--concurrency",
                               metavar="N", minimum=1)
    per_host: int = setting(8, "Requests at once to one host (a server that answers 429 or 503 with Retry-After "
                            "is waited for, within the deadline).", kind="int", section="crawl",
                            option="--per-host", metavar="N", minimum=1)
    delay: float = setting(0.0, "Seconds between the starts of two requests to one host.", kind="float",
                           section="crawl", option="--delay", metavar="S", minimum=0)
    jobs: int = setting(0, "Processes that read pages while the crawl fetches more (0: one per core; "
                        "1: none besides cxprobe's own). In static mode, sites of a few pages are read in-process, and "
                        "on a site of 250 pages or more a forked process runs part of the probes on a second core "
                        "(Linux; not with 1); in browser mode the first 50 pages are read in-process while the browser "
                        "launches.",
                        kind="int", section="crawl", option="--jobs", metavar="N", minimum=0)
    timeout: float = setting(10.0, "Seconds one request may take, all of it (connect, headers and body).",
                             kind="float", section="crawl", option="--timeout", metavar="S", above=0)
    deadline: float = setting(300.0, "Seconds for the whole run (crawl, rendering, extraction, plugins); "
                              "reaching it sets crawl.truncated to deadline.",
                              kind="float", section="crawl", option="--deadline", metavar="S", above=0)
    max_bytes: int = setting(5 * 1024 * 1024, "Size cap per response (bytes, or with a unit: 5MB, 5MiB); "
                             "a larger page is recorded as too_large.", kind="bytes", section="crawl",
                             option="--max-bytes", metavar="SIZE", minimum=1, doc_default="5 MiB",
        doc="Size cap per response (robots.txt and sitemaps included): bytes, or a size with a unit (`5MB`, `5MiB`, `800k`); a larger page is recorded as `too_large`.")
    max_redirects: int = setting(10, "Redirects followed per request before it is recorded as too_many_redirects.",
                                 kind="int", section="crawl", minimum=1)
    extract_budget: float = setting(5.0, "CPU seconds reading one page may take before the page is recorded "
                                    "as too_complex.", kind="float", section="crawl", above=0,
        doc="CPU seconds reading one page's facts may take; a page that needs more is recorded as `too_complex` and left out of the audit ([security](security.md#one-hostile-page-never-ends-the-run)). The slowest corpus page takes 0.1-0.3 s.")
    plugin_timeout: float = setting(30.0, "Seconds one plugin call (its import, a probe, a plugin's gatherer, a "
                                    "hook implementation) may take, never past the deadline; a call that overruns "
                                    "is cut off and named, and the run is incomplete.",
                                    kind="float", section="plugins", option="--plugin-timeout", metavar="S", above=0)
    ignore_robots: bool = setting(False, "Crawl pages a live site's robots.txt disallows (for your own sites); a "
                                  "folder or file is never held back by its robots.txt.", kind="bool",
                                  section="crawl", option="--ignore-robots",
        doc="Crawl pages a live site's robots.txt disallows (for your own sites). A folder or file target is your own "
            "build: its robots.txt is read but never holds the audit back. On every target, a robots.txt that shuts "
            "search engines out is a finding ([journey.search_listing](probes/journey.search_listing.md)).")
    headers: tuple[tuple[str, str], ...] = setting((), "Extra request headers, sent only to the target's origin and "
                                                   "--allow-host hosts ('Name: value' on the command line; a table "
                                                   "in a config file).", kind="headers", section="crawl",
                                                   option="--header", metavar="'K: V'",
        doc="Extra request headers (`Name: value` on the command line, a table name = value in a config file), sent only to the target's origin as typed and the `allow_hosts` ([security](security.md#credentials-stay-with-the-origins-you-named)); `--header` replaces the file's whole table.")
    allow_hosts: tuple[str, ...] = setting((), "Also crawl this host and send it the --header values.", kind="list",
                                           section="crawl", option="--allow-host", metavar="HOST",
        doc="More hosts to crawl besides the start page's (`host` on any port, `host:port`, or `https://host` for exactly that origin); they also receive `headers`.")
    include: tuple[str, ...] = setting((), "Only crawl URLs matching one of these globs (path with query, or full URL).",
                                       kind="list", section="crawl", option="--include", metavar="GLOB",
        doc="Only crawl URLs matching one of these globs (path with query, as in `/blog/*`, or full URL); the start "
            "page is always audited. A glob that matches no page makes the run incomplete, so no gate passes.")
    exclude: tuple[str, ...] = setting((), "Never crawl URLs matching one of these globs.", kind="list",
                                       section="crawl", option="--exclude", metavar="GLOB")
    # ----------------------------------------------------------------- probes and scoring
    profile: str = setting("general", "Weights profile (docs/scoring.md).", kind="str", section="probes",
                           option="--profile", choices=PROFILES,
        doc="Weights profile: `general`, `saas`, `ecommerce`, `local`, `nonprofit` ([scoring](scoring.md)).")
    only: tuple[str, ...] = setting((), "Run only these probe or touchpoint ids.", kind="list", section="probes",
                                    option="--only", metavar="ID",
        doc="Run only these probe or touchpoint ids (`--only contact --only pricing.visible`). Touchpoints with no probe left are reported `unscored` and left out of the cohesion score. An id that matches nothing is exit 2.")
    skip: tuple[str, ...] = setting((), "Skip these probe or touchpoint ids.", kind="list", section="probes",
                                    option="--skip", metavar="ID")
    #: Touchpoint id -> weight, overriding the profile's.
    weights: dict[str, float] = setting({}, "Touchpoint id = weight (a finite number >= 0), overriding the "
                                        "profile's; 0 leaves a touchpoint out of the cohesion score.",
                                        kind="table", section="probes", validate=_weights)
    # ----------------------------------------------------------------- output and gates
    formats: tuple[str, ...] = setting(("terminal",), "Output format: terminal, json, html, junit, sarif, markdown, "
                                       "or a plugin's.",
                                       kind="list", section="output", option="--format", file_key="format",
                                       metavar="NAME",
        doc="Output format(s), repeatable: `terminal`, `json`, `html` (one self-contained page for people: [reports](reports.md)), `junit` (JUnit XML), `sarif` (SARIF 2.1.0), `markdown` (a pull-request summary), or one a plugin adds ([output formats](cli.md#output-formats)); in a file a string or a list (`[\"terminal\", \"json\"]`). An unknown name is exit 2 and the message lists the known ones.")
    output: str | None = setting(None, "Write to this file (one format; - is standard output) or folder "
                                 "(several formats).", kind="str", section="output", option="--output",
                                 short="-o", metavar="PATH", doc_default="stdout",
        doc="With one format: write to this file (`-` is standard output). With several: write `report<ext>` for each into this folder (`report.txt`, `report.json`, `report.html`, `report.xml`, `report.sarif`, `report.md`). Checked before anything is crawled (a path under a file, an unwritable folder: exit 2); written whole or not at all; a run that cannot measure the site (exit 3) never replaces an earlier report, and says so.")
    fail_under: float | None = setting(None, "Exit 1 when the cohesion score is below this, or when the run is "
                                       "incomplete.", kind="float", section="output", option="--fail-under",
                                       metavar="SCORE", minimum=0, maximum=100)
    fail_on: tuple[str, ...] = setting((), "Exit 1 on findings of this kind: error, warning (any such finding), "
                                       "new-error, new-warning (not in the --baseline).", kind="list",
                                       section="output", option="--fail-on", metavar="KIND", validate=_fail_on,
        doc="Exit 1 on findings of a kind: `error` or `warning` (any finding of that severity), `new-error` or `new-warning` (one the `--baseline` report does not have, or, without one, the last run recorded in the `--history` database; one of the two is required, and a baseline that cannot be compared fails the gate). Waived findings never count. In a file a list (`fail_on = [\"new-error\"]`). See [CI](ci.md#gates).")
    fail_on_regression: float | None = setting(None, "Exit 1 when cohesion fell by more than this many points since "
                                               "the --baseline (or the last --history run).", kind="float", section="output",
                                               option="--fail-on-regression", metavar="POINTS", minimum=0,
                                               maximum=100)
    baseline: str | None = setting(None, "An earlier JSON report to compare with: deltas, new and fixed findings "
                                   "(the report's baseline section).", kind="str", section="output",
                                   option="--baseline", metavar="REPORT.json",
        doc="An earlier JSON report (`--format json`) to compare with: cohesion and touchpoint deltas, new and fixed findings, in the report's `baseline` section and every format. A report of another render mode, scoring method, profile, target or plugin set is flagged as not comparable, never compared silently. Read before the crawl: a missing file or one that is not a cxprobe report is exit 2. See [CI](ci.md#baselines-and-regressions).")
    assertions: dict[str, Any] = setting({}, "Per touchpoint or probe: min_score, max_depth, facts, at level "
                                         "error or warn ([assert.ID] tables).", kind="table", section="output",
                                         file_key="assert", validate=_assertions,
        doc="Assertions per touchpoint or probe, one table each (`[assert.contact]`, `[assert.\"pricing.visible\"]`): `min_score` (0-100), `max_depth` (clicks from the start page to the touchpoint's page: contact, pricing, support), `facts` (required values: `facts = { status = \"visible\" }`, a list for several allowed), `level` `error` (default: a failure exits 1) or `warn` (printed and reported, exit 0). Unknown ids, facts and keys are config errors (exit 2). See [CI](ci.md#gates).")
    journeys: tuple[Any, ...] = setting((), "Journeys to walk from the start page: name, steps (touchpoint ids, "
                                        "{link = ...}, {url = ...}), max_clicks, must_reach, level ([[journey]]).",
                                        kind="tables", section="output", file_key="journey", validate=_journeys,
        doc="Journeys to walk, one `[[journey]]` table each (`[[tool.cxprobe.journey]]` in pyproject.toml): a `name`, `steps` (a touchpoint's page: `home`, `contact`, `pricing`, `support`, `faq`, `policies`, `terms`, `privacy`, `refund`, `feedback`; a link to click on the page the customer is on, `{ link = \"Start free trial\" }`, exact or a `*` pattern; the nearest page matching a URL glob, `{ url = \"/signup*\" }`), and optional gates: `max_clicks` (the best route's clicks), `must_reach` (true: the journey must be reached), at `level` `error` (default: a failure exits 1) or `warn`. A default journey's name without `steps` (`name = \"contact\"`) is that journey, with the gates given. Without any, the default journeys are walked. See [journeys](journeys.md).")
    ignore: tuple[Any, ...] = setting((), "Waivers: findings accepted (finding id, probe id or URL glob), "
                                                 "each with a reason and an optional until date ([[ignore]]).",
                                                 kind="tables", section="output", validate=_waivers,
        doc="Waivers, one `[[ignore]]` table each: `finding` (an id), `probe` (a probe or touchpoint id) or `url` (a glob every example page of the finding must match), with a `reason` (required) and an optional `until` date. A waived finding stays in the report, marked `waived`, and leaves the gates that count findings; past its date a waiver no longer applies and is reported. See [CI](ci.md#waiving-a-finding).")
    verbose: bool = setting(False, "Terminal report: also show finding ids and the selectors of the "
                            "elements (for the people who build the site).", kind="bool", section="output", option="--verbose",
        doc="The terminal report also shows each finding's id (for `[[ignore]]` waivers and `cxprobe diff`), each cause group's id, and beside each example the CSS-like selector of the element. Without it, a finding reads as a person would say it: what is wrong, on which pages, and the exact text. The JSON report always has every field.")
    all_findings: bool = setting(False, "Terminal report: show every finding, not only the ten most important.",
                                 kind="bool", section="output", option="--all", file_key="all",
        doc="The terminal report lists every finding (findings that share one root cause still count once, as one headline with its findings under it). Without it, the ten most important headlines are shown, and a last line says how many findings are left.")
    quiet: bool = setting(False, "Print nothing on stderr but errors and failed gates.", kind="bool",
                          section="output", option="--quiet",
        doc="Print nothing on standard error but errors, warnings and failed gates. Without it, the terminal summary goes to standard error whenever the terminal format is not what standard output shows, so a CI log always has it.")
    history: str | None = setting(None, "Append the run to this SQLite history database (created if needed); "
                                  "`cxprobe history DB` shows the trend.", kind="str", section="output",
                                  option="--history", metavar="DB",
        doc="Append each run that measured the site (not exit 3; also when a gate failed) to this SQLite history database, created with its folders if needed: compact rows (target, mode, method, plugin set, cohesion, touchpoint scores, finding ids), not whole reports. `cxprobe history DB` shows the trend ([ci](ci.md#history)). A relative path is relative to the working directory. Checked before anything is crawled: a path that cannot be written, a file that is not a cxprobe history database or one written by a newer cxprobe is exit 2, and such a file is never changed.")
    # ----------------------------------------------------------------- plugins
    #: Values of plugin settings (namespaced, "contact.accept") and of options plugins
    #: added click-style (the ``[plugins]`` table).
    plugin_options: dict[str, Any] = setting({}, "Settings of plugins that declare click-style options, "
                                             "name = value.", kind="table", section="plugins", file_key="plugins",
        doc="Settings of plugins that add click-style options (`cxprobe_add_options`), name = value, handed to them as `config.plugin_options`; a plugin's command-line option overrides the key of the same name. Plugins that declare namespaced settings read them from their own table instead (`[contact]`, below). See [plugins](plugins.md). The same key as a list, `plugins = [...]`, names local plugins instead (next row), so a file holds one or the other; give the other on the command line.")
    local_plugins: tuple[str, ...] = setting((), "A plugin module to load without packaging it: a .py file or a "
                                             "module name importable from the working directory.", kind="list",
                                             section="plugins", option="--plugin", file_key="plugins",
                                             metavar="FILE_OR_MODULE", file_validate=_local_plugins, extend=True,
        doc="Plugin modules to load without packaging them ([local plugins](plugins.md#local-plugins)): a `.py` file, or a module name (`my_checks`, `my_pkg.checks`) importable from the working directory; in a config file a list, `plugins = [\"cx/checks.py\"]`, whose paths and module names are relative to the config file's folder. They load after the installed plugins, under the same checks, named by their file or module name with version `local`. **Their code runs**: a config file found in the working directory may not name any (exit 2); name the file with `--config` to say you trust it ([security](security.md#plugins)). `--plugin` adds to the config file's list.")
    disable_plugins: tuple[str, ...] = setting((), "A plugin to switch off for the run, by its name in `cxprobe "
                                               "plugins` (built-ins too).", kind="list", section="plugins",
                                               option="--disable-plugin", metavar="NAME", extend=True,
        doc="Plugins to switch off for the run, by the name `cxprobe plugins` lists (e.g. `[\"social\"]`, a third-party plugin's entry-point name, or a local plugin's file name), like pytest's `-p no:NAME`: a plugin switched off is not even imported, and its touchpoints and probes leave the report. An unknown name is a usage error (exit 2). `--disable-plugin` adds to the config file's list.")
    strict_plugins: bool = setting(False, "Exit 4 when a plugin is refused, fails, hangs or registers something "
                                   "refused (instead of a warning and an incomplete run).", kind="bool",
                                   section="plugins", option="--strict-plugins",
        doc="Treat every plugin problem as an error: a plugin that cannot be loaded or is refused (import error, hook arguments not in the spec, an unknown `cxprobe_` hook, an incompatible `CXPROBE_PLUGIN_API`), a hook or probe that raises or overruns `--plugin-timeout`, an object refused at registration (a duplicate id...). Each is still one `cxprobe: warning:` line; then cxprobe exits 4: at start-up, before anything is crawled, when the problem shows there, else after the reports are written. For CI that must notice a broken plugin install ([plugins](plugins.md#when-something-goes-wrong)).")
    #: Where the config came from (a path), or "".
    source: str = field(default="")

    def replace(self, **changes: Any) -> AuditConfig:
        """A copy with ``changes`` (field name -> value); this one stays as it is."""
        return dataclasses.replace(self, **changes)

    def gates(self) -> Any:
        """The run's gates (:class:`cxprobe.gates.Gates`)."""
        from .gates import Gates

        return Gates(fail_under=self.fail_under, assertions=self.assertions, fail_on=self.fail_on,
                     fail_on_regression=self.fail_on_regression, waivers=tuple(self.ignore),
                     journeys=tuple(j for j in self.journeys if j.gated))

    def option(self, name: str, default: Any = None) -> Any:
        """The value of a plugin setting (``"contact.accept"``), or ``default``."""
        return self.plugin_options.get(name, default)


#: The core's settings, by field name, in declaration order.
SETTINGS: dict[str, Setting] = settings_of(AuditConfig)


def discover(explicit: str | None, cwd: Path | None = None) -> tuple[dict[str, Any], str]:
    """Find and read the config: returns (table, source path or "")."""
    cwd = cwd or Path.cwd()
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            return data.get("tool", {}).get("cxprobe", {}), str(path)
        return data, str(path)
    own = cwd / "cxprobe.toml"
    if own.is_file():
        return _untrusted(_read_toml(own), str(own), own.name)
    py = cwd / "pyproject.toml"
    if py.is_file():
        table = _read_toml(py).get("tool", {}).get("cxprobe")
        if isinstance(table, dict):
            return _untrusted(table, f"{py} [tool.cxprobe]", py.name)
    return {}, ""


def _untrusted(table: dict[str, Any], source: str, name: str) -> tuple[dict[str, Any], str]:
    # A config file found in the working directory is read without being asked for: any
    # folder cxprobe runs in can hold one. Local plugins are code cxprobe runs, so such a
    # file may not name any (as it may name a browser only by an absolute path): the user
    # says they trust it by naming it with --config (docs/security.md#plugins).
    plugins = table.get("plugins")
    if isinstance(plugins, list) and plugins:
        shown = ", ".join(str(p) for p in plugins[:3]) + (" ..." if len(plugins) > 3 else "")
        raise ConfigError(f"{source}: plugins names code cxprobe would run ({shown}), and this config file was found "
                          f"in the working directory, not named: run with --config {name} if you trust it, or "
                          f"name the plugins with --plugin")
    return table, source


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def from_table(table: Mapping[str, Any], source: str = "",
               plugin_settings: Iterable[Setting] = ()) -> dict[str, Any]:
    """Validate a config table and turn it into AuditConfig keyword arguments.

    Core settings are top-level keys; a plugin setting ``ns.key`` is the key ``key`` of the
    table ``[ns]``, and its value goes to ``plugin_options["ns.key"]``.
    """
    where = source or "config"
    by_key = {s.key: s for s in SETTINGS.values()}
    namespaced: dict[str, dict[str, Setting]] = {}
    for s in plugin_settings:
        ns, _, key = s.name.partition(".")
        namespaced.setdefault(ns, {})[key] = s
    unknown = sorted(k for k in table if k not in by_key and k not in namespaced)
    if unknown:
        known = sorted({*by_key, *namespaced})
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(known)}")
    out: dict[str, Any] = {}
    plugin_values: dict[str, Any] = {}
    for key, raw in table.items():
        if key in by_key:
            s = by_key[key]
            if key == "plugins":  # a list names local plugins; a table holds plugin options' values
                s = SETTINGS["local_plugins"] if isinstance(raw, list) else SETTINGS["plugin_options"]
            value = s.read(raw, where, from_file=True)
            if s.name == "plugin_options":
                plugin_values.update(value)
            else:
                out[s.name] = value
            continue
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: {key} must be a table ([{key}])")
        subs = namespaced[key]
        unknown_sub = sorted(set(raw) - set(subs))
        if unknown_sub:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(f'{key}.{k}' for k in unknown_sub)}; "
                              f"known: {', '.join(f'{key}.{k}' for k in sorted(subs))}")
        for sub, value in raw.items():
            s = subs[sub]
            plugin_values[s.name] = s.read(value, where, from_file=True)
    if plugin_values:
        out["plugin_options"] = plugin_values
    return out


def from_options(values: Mapping[str, Any], plugin_settings: Iterable[Setting] = ()) -> dict[str, Any]:
    """Values given on the command line (None or () for "not given"), read and checked like
    a file's: AuditConfig keyword arguments. Plugin settings come back in ``plugin_options``."""
    out: dict[str, Any] = {}
    plugin_values: dict[str, Any] = {}
    for s in [*SETTINGS.values(), *plugin_settings]:
        if s.option is None:
            continue
        raw = values.get(s.cli_name)
        if raw is None or (s.repeatable and not raw):
            continue
        value = s.read(tuple(raw) if s.repeatable else raw, "option", from_file=False)
        if s.name in SETTINGS:
            out[s.name] = value
        else:
            plugin_values[s.name] = value
    if plugin_values:
        out["plugin_options"] = plugin_values
    return out


def build_config(target: str, file_values: Mapping[str, Any], cli_values: Mapping[str, Any],
                 source: str = "", plugin_settings: Iterable[Setting] = ()) -> AuditConfig:
    """Defaults, then the file, then the command line (the last one wins), then the
    environment for settings nothing else set; plugin settings get their defaults."""
    values: dict[str, Any] = dict(file_values)
    plugin_options: dict[str, Any] = {s.name: s.default for s in plugin_settings}
    plugin_options.update(file_values.get("plugin_options", {}))
    for key, value in cli_values.items():
        if key == "plugin_options":
            plugin_options.update(value)
        elif key in SETTINGS and SETTINGS[key].extend:
            values[key] = tuple(dict.fromkeys((*values.get(key, ()), *value)))
        else:
            values[key] = value
    for s in SETTINGS.values():
        if s.env and values.get(s.name) is None and os.environ.get(s.env):
            values[s.name] = os.environ[s.env]
    values["plugin_options"] = plugin_options
    return AuditConfig(target=target, source=source, **values)


def check_names(config: AuditConfig, touchpoints: Iterable[str], probes: Iterable[str]) -> None:
    """Ids the config names must exist: ``weights`` keys are touchpoints, ``only``/``skip``
    are probe or touchpoint ids. A typo is an error, never a silently empty run."""
    tps, known = set(touchpoints), set(touchpoints) | set(probes)
    where = config.source or "config"
    for key in sorted(config.weights):
        if key not in tps:
            raise ConfigError(f"{where}: weights.{key}: no touchpoint {key!r}; known: {', '.join(sorted(tps))}")
    for option in ("only", "skip"):
        for name in getattr(config, option):
            if name not in known:
                raise UsageError(f"{option} {name!r}: no probe or touchpoint with that id (`cxprobe probes` lists them)")
