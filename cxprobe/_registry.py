"""The plugin manager: entry-point loading (guarded per plugin) and a typed hook facade.

Built-in probes live in ``cxprobe_plugins`` and load through the same ``cxprobe``
entry-point group as third-party plugins. A built-in plugin that cannot be imported is
a cxprobe bug (:class:`~cxprobe.errors.InternalError`, exit 4); a third-party plugin
that cannot be loaded is one warning line naming its distribution, and the run goes on.
Local plugins (``--plugin FILE_OR_MODULE``, :mod:`cxprobe._local`) load after the entry
points under the same guards.

A plugin is refused, as one line naming it and what to do, when it cannot be imported,
when it declares a ``CXPROBE_PLUGIN_API`` this cxprobe does not have, when a hook
implementation names a hook that does not exist or asks for arguments its hook does not
pass, or when a function named like a hook lacks the ``@hookimpl`` marker. Every
diagnostic line is kept in :attr:`PluginManager.warnings` (``--strict-plugins`` turns them
into exit 4). ``CXPROBE_TRACE=1`` writes one line per hook implementation call (plugin,
hook, duration) on stderr.
"""

from __future__ import annotations

import difflib
import inspect
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from . import hookspecs
from ._budget import Overrun, run_bounded
from ._local import LocalSpec, import_spec
from .errors import InternalError, UsageError
from .options import Setting
from .probe import Extractor, Gatherer, Probe, Reporter, Touchpoint, validate_probe

GROUP = "cxprobe"
BUILTIN_DIST = "cxprobe"


@dataclass
class PluginInfo:
    """One loaded (or failed) plugin, for ``cxprobe plugins``."""

    name: str
    dist: str
    version: str
    module: str
    builtin: bool
    hooks: list[str] = field(default_factory=list)
    error: str | None = None
    #: The name pluggy registered it under (``dist:entry-point`` for an entry point, the
    #: name for a local plugin): what probe results and messages call it.
    key: str = ""
    #: A local plugin (``--plugin``): its file or module name, as resolved; else None.
    local: str | None = None


@dataclass
class PluginOptions:
    """Options plugins declared: settings (namespaced, declared once) and click-style options."""

    settings: list[Setting] = field(default_factory=list)
    click_options: list[Any] = field(default_factory=list)
    #: setting name -> plugin that declared it
    owners: dict[str, str] = field(default_factory=dict)


def settings_of_config() -> dict[str, Setting]:
    from .config import SETTINGS

    return SETTINGS


@dataclass
class _HookCall:
    """One guarded hook call: which plugin runs now, and what failed."""

    hook: str
    running: str = ""
    problems: list[str] = field(default_factory=list)
    #: Plugins whose implementation started, in call order.
    started: list[str] = field(default_factory=list)
    #: time.monotonic() when the running implementation started: the budget is per plugin.
    since: float = 0.0
    #: The plugin each of ``problems`` is about.
    blamed: list[str] = field(default_factory=list)

    def fail(self, plugin: str, problem: str) -> None:
        self.problems.append(problem)
        self.blamed.append(plugin)


@dataclass
class Registry:
    """What plugins registered, validated."""

    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    extractors: dict[str, Extractor] = field(default_factory=dict)
    probes: dict[str, Probe] = field(default_factory=dict)
    gatherers: dict[str, Gatherer] = field(default_factory=dict)
    reporters: dict[str, Reporter] = field(default_factory=dict)
    #: object id -> plugin name that registered it
    owners: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: The problems that leave something a plugin measures out of the run (a touchpoint,
    #: extractor, gatherer or probe refused, or its registration hook failing): a run
    #: without them is incomplete. A refused reporter measures nothing.
    measure_problems: list[str] = field(default_factory=list)


class PluginManager:
    """pluggy's manager with cxprobe's loading rules and a typed facade over the hooks."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        #: Every plugin diagnostic of the run, one line each (a plugin refused, a hook that
        #: failed or hung, an object refused, a probe that could not run): printed once as
        #: ``cxprobe: warning:``, listed in the report's notes; ``--strict-plugins`` exits 4.
        self.warnings: list[str] = []
        #: How many of ``warnings`` the CLI has printed already (each is printed once).
        self.warnings_shown = 0
        self._registry: Registry | None = None
        self._options: PluginOptions | None = None
        #: Plugin names switched off (``--disable-plugin``, ``disable_plugins``).
        self.disabled: set[str] = set()
        #: Seconds one plugin's import or hook implementation may take (``plugin_timeout``).
        self.timeout: float | None = _default_timeout()
        #: thread id -> the guarded hook call running in that thread.
        self._calls: dict[int, _HookCall] = {}
        #: hook name -> the arguments its spec passes.
        self._specs: dict[str, tuple[str, ...]] = {
            name: tuple(inspect.signature(fn).parameters)
            for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("cxprobe_")}
        self.tracing = tracing_enabled()

    def _trace(self, message: str) -> None:
        """Write trace output on stderr, every line prefixed so it can be grepped."""
        for line in message.splitlines():
            if line.strip():
                sys.stderr.write(f"[cxprobe trace] {line}\n")

    # ----------------------------------------------------------------- loading
    def load(self, disabled: Iterable[str] = (), local: Iterable[LocalSpec] = ()) -> None:
        """Register the core plugin, then every entry point of the ``cxprobe`` group, then
        the local plugins; a plugin named in ``disabled`` is not even imported."""
        from . import _core_plugin as core_plugin

        disabled = tuple(disabled)
        if "cxprobe.core" in disabled:
            raise UsageError("cxprobe.core cannot be switched off: it is the crawl and the reports")
        self.pm.register(core_plugin, name="cxprobe.core")
        self.infos.append(PluginInfo(name="cxprobe.core", dist=BUILTIN_DIST, version=_dist_version(BUILTIN_DIST),
                                     module=core_plugin.__name__, builtin=True, hooks=self._hooks_of(core_plugin),
                                     key="cxprobe.core"))
        eps = sorted(entry_points(group=GROUP), key=lambda e: (e.dist.name if e.dist else "", e.name))
        if not any(_dist_name(ep) == BUILTIN_DIST for ep in eps):
            raise InternalError("cxprobe's built-in probes are not registered: reinstall cxprobe (pip install -e . or pip install cxprobe)")
        for ep in eps:
            if ep.name in disabled:
                self.disabled.add(ep.name)
                continue
            self._load_entry_point(ep)
        self.load_local(local, disabled)
        unknown = [name for name in disabled if name not in self.disabled]
        if unknown:
            raise UsageError(f"--disable-plugin/disable_plugins: no plugin named {', '.join(map(repr, unknown))}; "
                             f"installed: {self._names()}")
        self.pm.check_pending()

    def load_local(self, specs: Iterable[LocalSpec], disabled: Iterable[str] = ()) -> None:
        """Load local plugins (``--plugin``); one loaded already (the same file or module) is
        skipped, and one named like another plugin is a usage error."""
        disabled = set(disabled)
        for spec in specs:
            if any(i.local == spec.origin for i in self.infos):
                continue
            if spec.name in disabled:
                self.disabled.add(spec.name)
                continue
            if any(i.name == spec.name for i in self.infos):
                raise UsageError(f"{spec.where}: {spec.text!r}: a plugin named {spec.name!r} is loaded already; "
                                 f"rename the file or module")
            info = PluginInfo(name=spec.name, dist="local", version="local", module=spec.origin, builtin=False,
                              key=spec.name, local=spec.origin)
            self._admit(info, lambda spec=spec: import_spec(spec))  # type: ignore[misc]
        self._registry = None

    def _load_entry_point(self, ep: EntryPoint) -> None:
        dist = _dist_name(ep)
        info = PluginInfo(name=ep.name, dist=dist, version=_dist_version(dist), module=ep.value,
                          builtin=dist == BUILTIN_DIST, key=f"{dist}:{ep.name}")
        self._admit(info, ep.load)

    def _admit(self, info: PluginInfo, load: Callable[[], Any]) -> None:
        """Import a plugin (a third party's within the time budget), check it, register it;
        or refuse it with one warning line saying what to do (a built-in: InternalError)."""
        started = time.perf_counter()
        detail, kind = None, "import"
        try:
            plugin = load() if info.builtin else run_bounded(load, self.timeout, name=f"cxprobe-load-{info.name}")
        except UsageError:
            raise
        except Overrun as exc:
            detail = f"importing it {exc}, so it was cut off"
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any import failure is reported, by kind
            detail = _exception_line(exc)
        else:
            refused = self._refusal(plugin)
            if refused is not None:
                detail, kind = refused
            else:
                already = self.pm.get_name(plugin)
                if already is not None:
                    raise UsageError(f"plugin {info.name!r} ({info.module}) is loaded already, as {already!r}")
                try:
                    self.pm.register(plugin, name=info.key)
                except Exception as exc:  # noqa: BLE001 - pluggy's own validation, which _refusal mirrors
                    if self.pm.get_plugin(info.key) is not None:  # pluggy < 1.6 could register part of it
                        self.pm.unregister(name=info.key)
                    detail, kind = " ".join(str(exc).split()), "bug"
        if self.tracing:
            self._trace(f"load: {self._who(info)} ({info.module}), {1000 * (time.perf_counter() - started):.2f} ms"
                        + (f", refused: {detail}" if detail else ""))
        if detail is None:
            info.hooks = self._hooks_of(plugin)
            self.infos.append(info)
            return
        if info.builtin:
            raise InternalError(f"built-in plugin {info.name!r} ({info.module}) cannot be loaded: {detail}")
        info.error = detail
        self.infos.append(info)
        self.warnings.append(f"{self._who(info)} could not be loaded and is skipped: {detail}"
                             + _tail(self._fix(info, kind)))

    def _refusal(self, plugin: object) -> tuple[str, str] | None:
        """Why a plugin that imported is refused (and the kind of fix), or None. Checked
        before pluggy registers it, so that nothing of a refused plugin ever runs."""
        declared = getattr(plugin, "CXPROBE_PLUGIN_API", None)
        if declared is not None:
            from . import PLUGIN_API, __version__

            versions = api_versions(declared)
            if versions is None:
                return (f"CXPROBE_PLUGIN_API = {declared!r} is not a plugin API version (an integer such as "
                        f"{PLUGIN_API}, or a range such as range({PLUGIN_API}, {PLUGIN_API + 2}))", "bug")
            if PLUGIN_API not in versions:
                return (f"it is written for cxprobe plugin API {_show_versions(versions)}, and cxprobe {__version__} "
                        f"has plugin API {PLUGIN_API}", "api-newer" if min(versions) > PLUGIN_API else "api-older")
        problems: list[str] = []
        for attr in sorted(dir(plugin)):
            try:
                opts = self.pm.parse_hookimpl_opts(plugin, attr)
            except Exception:  # noqa: BLE001 - an attribute that cannot be read is no hook
                continue
            if opts is None:
                if attr in self._specs and callable(getattr(plugin, attr, None)):
                    problems.append(f"its {attr}() is not marked with @cxprobe.hookimpl, so it would never be called")
                continue
            hook = opts.get("specname") or attr
            if hook not in self._specs:
                if not opts.get("optionalhook"):
                    close = difflib.get_close_matches(hook, list(self._specs), n=1, cutoff=0.6) or \
                        difflib.get_close_matches(f"cxprobe_{hook}", list(self._specs), n=1, cutoff=0.6)
                    problems.append(f"it implements {hook}, which is not a cxprobe hook"
                                    + (f" (did you mean {close[0]}?)" if close else ""))
                continue
            asked = _required_args(getattr(plugin, attr))
            extra = [a for a in asked if a not in self._specs[hook]]
            if extra:
                problems.append(f"its {hook}({', '.join(asked)}) asks for {', '.join(map(repr, extra))}, which the "
                                f"hook does not pass (it passes: {', '.join(self._specs[hook])})")
        return ("; ".join(problems), "bug") if problems else None

    def load_failures(self) -> list[str]:
        """One line per third-party plugin that could not be loaded (in load order): what
        it measures is missing from the run, which is therefore incomplete."""
        return [f"{self._who(i)} could not be loaded, so what it measures is missing: {i.error}"
                for i in self.infos if i.error]

    def disable(self, names: Iterable[str]) -> None:
        """Unregister plugins by name (``--disable-plugin``, config ``disable_plugins``),
        like pytest's ``-p no:NAME``."""
        for name in names:
            if name in self.disabled:
                continue
            if name == "cxprobe.core":
                raise UsageError("cxprobe.core cannot be switched off: it is the crawl and the reports")
            matches = [i for i in self.infos if i.name == name]
            if not matches:
                raise UsageError(f"--disable-plugin/disable_plugins: no plugin named {name!r}; installed: {self._names()}")
            for info in matches:
                plugin = self.pm.get_plugin(info.key)
                if plugin is not None:
                    self.pm.unregister(plugin)
                self.infos.remove(info)
            self.disabled.add(name)
        self._registry = None

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register a plugin object directly (tests, embedding)."""
        key = self.pm.register(plugin, name=name) or name or repr(plugin)
        self.infos.append(PluginInfo(name=name or repr(plugin), dist="", version="", module=getattr(plugin, "__name__", repr(plugin)),
                                     builtin=False, hooks=self._hooks_of(plugin), key=key))
        self._registry = None

    def _hooks_of(self, plugin: object) -> list[str]:
        impls = self.pm.get_hookcallers(plugin) or []
        return sorted(h.name for h in impls)

    def _names(self) -> str:
        return ", ".join(sorted(i.name for i in self.infos if i.name != "cxprobe.core"))

    # ----------------------------------------------------------------- naming plugins in messages
    def info_of(self, key: str) -> PluginInfo | None:
        """The plugin registered under ``key`` (as probe results and messages name it)."""
        return next((i for i in self.infos if i.key == key), None)

    def _who(self, info: PluginInfo) -> str:
        if info.local is not None:
            return f"local plugin {info.name!r}"
        if info.builtin:
            return f"built-in plugin {info.name!r}"
        if info.dist:
            return f"plugin {info.name!r} from {info.dist} {info.version}".rstrip()
        return f"plugin {info.name!r}"

    def _fix(self, info: PluginInfo | None, kind: str = "bug") -> str:
        """What to do about a problem of this plugin, for the end of its one line."""
        from . import PLUGIN_API

        if info is None or info.builtin or not info.dist:
            return ""
        if info.local is not None:
            where = f"fix {info.local}" if os.sep in info.local or info.local.endswith(".py") else f"fix module {info.local}"
            if kind.startswith("api"):
                return f"update {info.local} for plugin API {PLUGIN_API} (cxprobe.PLUGIN_API)"
            return f"{where}, or run without it"
        off = f"--disable-plugin {info.name} leaves it out"
        if kind == "import":
            return f"reinstall or upgrade {info.dist} (pip install -U {info.dist}), or {off}"
        if kind == "api-newer":
            return f"upgrade cxprobe (pip install -U cxprobe), or install a release of {info.dist} for plugin API {PLUGIN_API}; {off}"
        if kind == "api-older":
            return f"upgrade {info.dist} to a release for plugin API {PLUGIN_API} (pip install -U {info.dist}); {off}"
        return f"a bug in {info.dist} {info.version}: upgrade it or report it to its authors; {off}"

    def fix(self, key: str) -> str:
        """What to do about a failure of the plugin registered as ``key`` ("" for built-ins)."""
        return self._fix(self.info_of(key))

    def warn(self, problem: str, plugin: str) -> None:
        """Keep one diagnostic line: the problem, then what to do about it."""
        self.warnings.append(problem + _tail(self.fix(plugin)))

    # ----------------------------------------------------------------- registry
    def registry(self) -> Registry:
        """Collect and validate what every plugin registers (once).

        The registration hooks are called through pluggy (so hook wrappers, ``tryfirst`` and
        tracing work), each implementation guarded so that what it registers, and a failure,
        are attributed to its plugin. Built-ins win every id, whatever order pluggy calls
        the implementations in: a third-party plugin can never take a built-in id.
        """
        if self._registry is not None:
            return self._registry
        reg = Registry()

        def collect(hook_name: str, kind: str, store: dict[str, Any], check: Callable[[Any], list[str]]) -> None:
            offered: list[tuple[str, Any]] = []

            def register(obj: Any) -> None:
                call = self._calls.get(threading.get_ident())
                offered.append((call.running if call is not None else "?", obj))

            measures = kind != "reporter"

            def refuse(msg: str, plugin: str | None = None) -> None:
                reg.problems.append(msg)
                if measures:
                    reg.measure_problems.append(msg)
                if plugin is not None:  # the hook's own problems are warned about by call_guarded
                    self.warn(msg, plugin)

            for problem in self.call_guarded(hook_name, {"register": register}, self.timeout):
                refuse(problem)
            # Stable: built-ins first, then plugins in the order pluggy called them.
            for plugin, obj in sorted(offered, key=lambda po: not _is_builtin(po[0])):
                problems = check(obj)
                oid: str = getattr(obj, "id", None) or getattr(obj, "name", None) or getattr(obj, "artifact", None) or ""
                if problems:
                    msg = f"plugin {plugin!r} registered {kind} {oid!r} that is not valid: {'; '.join(problems)}"
                    if _is_builtin(plugin):
                        raise InternalError(msg)
                    refuse(f"{msg}; it is left out", plugin)
                    continue
                if oid in store:
                    msg = f"plugin {plugin!r} registered {kind} {oid!r}, already registered by {reg.owners.get(f'{kind}:{oid}')!r}"
                    if _is_builtin(plugin):
                        raise InternalError(msg)
                    refuse(f"{msg}, so this one is left out: give it an id of its own", plugin)
                    continue
                store[oid] = obj
                reg.owners[f"{kind}:{oid}"] = plugin

        def check_tp(obj: Any) -> list[str]:
            if not isinstance(obj, Touchpoint):
                return [f"{obj!r} is not a cxprobe.Touchpoint"]
            return [] if obj.id and obj.title else ["id and title are required"]

        def check_extractor(obj: Any) -> list[str]:
            if not isinstance(obj, Extractor):
                return [f"{obj!r} is not a cxprobe.Extractor"]
            problems = []
            if not obj.name or not _NAMESPACE.match(obj.name):
                problems.append(f"name {obj.name!r} must be lower-case letters, digits and _ (its facts' namespace)")
            if type(obj).extract is Extractor.extract:
                problems.append("extract() is not implemented")
            return problems

        def check_gatherer(obj: Any) -> list[str]:
            if not isinstance(obj, Gatherer):
                return [f"{obj!r} is not a cxprobe.Gatherer"]
            return [] if obj.artifact else ["artifact name is required"]

        def check_reporter(obj: Any) -> list[str]:
            if not isinstance(obj, Reporter):
                return [f"{obj!r} is not a cxprobe.Reporter"]
            return [] if obj.name else ["name is required"]

        collect("cxprobe_add_touchpoints", "touchpoint", reg.touchpoints, check_tp)
        collect("cxprobe_add_extractors", "extractor", reg.extractors, check_extractor)
        order_extractors(reg, self.warn, self.disabled)
        collect("cxprobe_add_gatherers", "gatherer", reg.gatherers, check_gatherer)
        collect("cxprobe_add_probes", "probe", reg.probes, lambda p: validate_probe(p, reg.touchpoints))
        collect("cxprobe_add_reporters", "reporter", reg.reporters, check_reporter)
        self._registry = reg
        return reg

    def owner(self, kind: str, oid: str) -> str:
        return self.registry().owners.get(f"{kind}:{oid}", "")

    # ----------------------------------------------------------------- facade
    def options(self) -> PluginOptions:
        """What plugins add with ``cxprobe_add_options`` (called once): namespaced
        :class:`~cxprobe.options.Setting` objects, and click-style options."""
        if self._options is not None:
            return self._options
        found = PluginOptions()
        taken: dict[str, str] = {}

        def add_option(*decls: Any, **attrs: Any) -> None:
            call = self._calls.get(threading.get_ident())
            plugin = call.running if call is not None else "?"
            if len(decls) == 1 and isinstance(decls[0], Setting):
                s = decls[0]
                ns, dot, key = s.name.partition(".")
                core = {x.key for x in settings_of_config().values()}
                if not dot or not ns or not key or "." in key:
                    raise ValueError(f"setting {s.name!r} needs a namespaced name like 'myplugin.level'")
                if ns in core:
                    raise ValueError(f"setting {s.name!r}: {ns!r} is a core setting, pick another namespace")
                if s.name in taken:
                    raise ValueError(f"setting {s.name!r} is declared already by plugin {taken[s.name]!r}")
                taken[s.name] = plugin
                found.settings.append(s)
                found.owners[s.name] = plugin
            else:
                import click

                found.click_options.append(click.Option(list(decls), **attrs))

        self.call_guarded("cxprobe_add_options", {"add_option": add_option}, self.timeout, historic=True)
        self._options = found
        return found

    def configure(self, config: Any, budget: float | None = None) -> list[str]:
        """Call ``cxprobe_configure``; returns one line per third-party failure or overrun."""
        return self.call_guarded("cxprobe_configure", {"config": config}, budget, historic=True)

    def report_ready(self, report: dict[str, Any], budget: float | None = None) -> list[str]:
        """Call ``cxprobe_report_ready``; returns one line per third-party failure or overrun."""
        return self.call_guarded("cxprobe_report_ready", {"report": report}, budget)

    # ----------------------------------------------------------------- guarded calls
    def call_guarded(self, hook_name: str, kwargs: dict[str, Any], budget: float | None,
                     historic: bool = False) -> list[str]:
        """Call a hook through pluggy (so hook wrappers work), each implementation within
        ``budget`` seconds.

        Each implementation is wrapped once so that the plugin running now is known: a
        third-party implementation that raises is recorded by its plugin's name and the
        other implementations still run. One that overruns ``budget`` is cut off and named,
        and the implementations that had not run yet are called after it. A built-in
        implementation that raises is a cxprobe bug (InternalError).
        """
        hook = getattr(self.pm.hook, hook_name)
        for impl in hook.get_hookimpls():
            if not getattr(impl.function, "_cxprobe_guarded", False):
                impl.function = self._guarded(impl.function, impl.plugin_name, hook_name,
                                              bool(impl.hookwrapper or impl.wrapper))
        call = _HookCall(hook_name)
        started = time.perf_counter()
        done: set[str] = set()
        impls = None  # None: the whole hook (historic calls are recorded for late plugins)
        while True:
            try:
                self._run_call(hook, impls, call, kwargs, historic, budget)
                break
            except Overrun as exc:
                hung = call.running or "?"
                call.fail(hung, f"plugin {hung!r} {exc} in {hook_name}: it was cut off")
                # The implementations pluggy had not reached yet still run; the one that
                # hung keeps its thread until it returns, and what it does is never used.
                done.update(call.started)
                impls = [i for i in hook.get_hookimpls() if i.plugin_name not in done]
                if not call.started or not impls:
                    break
                call.started, call.running = [], ""
            except InternalError:
                raise
            except Exception as exc:  # a wrapper (not guarded) raised
                if _is_builtin(call.running):
                    raise InternalError(f"plugin {call.running!r} failed in {hook_name}: {type(exc).__name__}: {exc}") from exc
                call.fail(call.running, f"plugin {call.running or '?'!r} failed in {hook_name}: {type(exc).__name__}: {exc}")
                break
        for plugin, problem in zip(call.blamed, call.problems, strict=True):
            self.warn(problem, plugin)
        if self.tracing:
            n = len(hook.get_hookimpls())
            self._trace(f"{hook_name}: called, {n} implementation{'' if n == 1 else 's'}, "
                        f"{1000 * (time.perf_counter() - started):.2f} ms in all"
                        + (f", {len(call.problems)} failed" if call.problems else ""))
        return call.problems

    def _run_call(self, hook: Any, impls: list[Any] | None, call: _HookCall, kwargs: dict[str, Any],
                  historic: bool, budget: float | None) -> None:
        """One pluggy call of ``hook`` (or of ``impls`` only) in a thread of its own, waiting
        while the implementation running has used less than ``budget``: raises
        :class:`Overrun` when it has not returned by then."""

        def run() -> None:
            me = threading.get_ident()
            self._calls[me] = call
            try:
                if impls is not None:
                    hook._hookexec(hook.name, impls, kwargs, False)
                elif historic:
                    hook.call_historic(kwargs=kwargs)
                else:
                    hook(**kwargs)
            finally:
                self._calls.pop(me, None)

        if budget is None:
            run()
            return
        box: dict[str, BaseException] = {}

        def target() -> None:
            try:
                run()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=target, name=f"cxprobe-{hook.name}", daemon=True)
        call.since = time.monotonic()
        worker.start()
        while True:
            worker.join(max(0.0, call.since + budget - time.monotonic()))
            if not worker.is_alive():
                break
            if time.monotonic() - call.since >= budget:
                raise Overrun(budget)
        if "error" in box:
            raise box["error"]

    def _guarded(self, fn: Callable[..., Any], plugin: str, hook_name: str, is_wrapper: bool) -> Callable[..., Any]:
        calls = self._calls
        tracing = self.tracing

        def call(*args: Any, **kwargs: Any) -> Any:
            state = calls.get(threading.get_ident())
            if state is not None:
                state.running = plugin
                state.started.append(plugin)
                state.since = time.monotonic()
            started = time.perf_counter()
            outcome = ", wrapper" if is_wrapper else ""
            try:
                if is_wrapper or state is None:
                    return fn(*args, **kwargs)
                try:
                    return fn(*args, **kwargs)
                except Exception as exc:  # noqa: BLE001 - one bad plugin never sinks the run
                    message = f"plugin {plugin!r} failed in {state.hook}: {type(exc).__name__}: {exc}"
                    if _is_builtin(plugin):
                        raise InternalError(message) from exc
                    outcome = f", raised {type(exc).__name__}"
                    state.fail(plugin, message)
                    return None
            finally:
                if tracing:
                    self._trace(f"{hook_name}: plugin {plugin!r}, {1000 * (time.perf_counter() - started):.2f} ms{outcome}")

        call._cxprobe_guarded = True  # type: ignore[attr-defined]
        return call


_NAMESPACE = re.compile(r"^[a-z][a-z0-9_]*$")


def order_extractors(reg: Registry, warn: Callable[[str, str], None] | None = None,
                     disabled: Iterable[str] = ()) -> None:
    """Put the extractors in an order where each runs after those it ``requires``; drop one
    whose requirement is missing or circular (a problem naming its plugin, also handed to
    ``warn(problem, plugin)``). A built-in's requirement missing is a cxprobe bug, unless
    plugins were switched off (``disabled``): then it is a usage error."""
    disabled = sorted(disabled)
    ordered: dict[str, Extractor] = {}
    visiting: set[str] = set()

    def visit(name: str, chain: tuple[str, ...]) -> bool:
        if name in ordered:
            return True
        ex = reg.extractors.get(name)
        if ex is None or name in visiting:
            return False
        visiting.add(name)
        ok = True
        for req in ex.requires:
            if not visit(req, (*chain, name)):
                owner = reg.owners.get(f"extractor:{name}", "?")
                why = "a cycle" if req in visiting or req in chain else "not registered"
                msg = f"plugin {owner!r} registered extractor {name!r}, which requires {req!r}: {why}"
                if _is_builtin(owner) and why == "not registered" and disabled:
                    raise UsageError(f"{msg}: a plugin switched off ({', '.join(disabled)}) provides it; keep it, or "
                                     f"switch off {owner.split(':')[-1]} too")
                if _is_builtin(owner):
                    raise InternalError(msg)
                reg.problems.append(msg)
                reg.measure_problems.append(msg)
                if warn is not None:
                    warn(msg, owner)
                ok = False
                break
        visiting.discard(name)
        if ok:
            ordered[name] = ex
        return ok

    for name in sorted(reg.extractors):
        visit(name, ())
    reg.extractors = ordered


def _is_builtin(plugin_name: str) -> bool:
    """True for cxprobe's own plugins: the core and the ``cxprobe`` distribution's entry points."""
    return plugin_name == "cxprobe.core" or plugin_name.startswith(BUILTIN_DIST + ":")


def _dist_name(ep: EntryPoint) -> str:
    return ep.dist.name if ep.dist is not None else "?"


def _dist_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return ""


def tracing_enabled() -> bool:
    """``CXPROBE_TRACE`` is set to something other than 0, false, no, off or nothing."""
    return os.environ.get("CXPROBE_TRACE", "").strip().lower() not in ("", "0", "false", "no", "off")


def api_versions(declared: object) -> set[int] | None:
    """The plugin API versions a plugin's ``CXPROBE_PLUGIN_API`` declares (an integer, a
    string of digits, a ``range`` or a collection of integers), or None when it is none of those."""
    if isinstance(declared, bool):
        return None
    if isinstance(declared, int):
        return {declared}
    if isinstance(declared, str) and declared.strip().isdigit():
        return {int(declared)}
    if isinstance(declared, (range, list, tuple, set, frozenset)):
        values = list(declared)
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return set(values)
    return None


def _show_versions(versions: set[int]) -> str:
    low, high = min(versions), max(versions)
    if len(versions) == 1:
        return str(low)
    if versions == set(range(low, high + 1)):
        return f"{low} to {high}"
    return ", ".join(map(str, sorted(versions)))


def _required_args(fn: Any) -> list[str]:
    """The arguments a hook implementation needs (as pluggy counts them: without a default)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.default is inspect.Parameter.empty
            and p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]


def _exception_line(exc: BaseException) -> str:
    """An exception as one line: its type and first line, and for a syntax error, where."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"SyntaxError: {exc.msg} ({os.path.basename(exc.filename)}, line {exc.lineno})"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _tail(fix: str) -> str:
    return f"; {fix}" if fix else ""


def _default_timeout() -> float:
    from .config import SETTINGS

    return float(SETTINGS["plugin_timeout"].default)


def get_plugin_manager(disabled: Iterable[str] = (), local: Iterable[LocalSpec] = (),
                       timeout: float | None = None) -> PluginManager:
    """A loaded plugin manager: the built-ins, the installed plugins but those ``disabled``,
    then the ``local`` ones, each import within ``timeout`` seconds (default: the
    ``plugin_timeout`` default). Raises InternalError when built-ins are broken."""
    pm = PluginManager()
    if timeout is not None:
        pm.timeout = timeout
    pm.load(disabled, local)
    return pm


__all__ = ["PluginManager", "PluginInfo", "Registry", "get_plugin_manager", "UsageError"]
