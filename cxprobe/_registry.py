"""The plugin manager: entry-point loading (guarded per plugin) and a typed hook facade.

Built-in probes live in ``cxprobe_plugins`` and load through the same ``cxprobe``
entry-point group as third-party plugins. A built-in plugin that cannot be imported is
a cxprobe bug (:class:`~cxprobe.errors.InternalError`, exit 4); a third-party plugin
that cannot be loaded is one warning line naming its distribution, and the run goes on.
``CXPROBE_TRACE=1`` traces every hook call on stderr.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from . import hookspecs
from ._budget import Overrun, run_bounded
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
        self.warnings: list[str] = []
        #: How many of ``warnings`` the CLI has printed already (each is printed once).
        self.warnings_shown = 0
        self._registry: Registry | None = None
        self._options: PluginOptions | None = None
        #: Entry-point names switched off (``disable_plugins``).
        self.disabled: set[str] = set()
        #: thread id -> the guarded hook call running in that thread.
        self._calls: dict[int, _HookCall] = {}
        self.tracing = bool(os.environ.get("CXPROBE_TRACE"))
        if self.tracing:
            self.pm.trace.root.setwriter(self._trace)
            self.pm.enable_tracing()

    def _trace(self, message: str) -> None:
        """Write trace output on stderr, every line prefixed so it can be grepped."""
        for line in message.splitlines():
            if line.strip():
                sys.stderr.write(f"[cxprobe trace] {line}\n")

    # ----------------------------------------------------------------- loading
    def load(self, disabled: tuple[str, ...] = ()) -> None:
        """Register the core plugin, then every entry point of the ``cxprobe`` group."""
        from . import _core_plugin as core_plugin

        self.pm.register(core_plugin, name="cxprobe.core")
        self.infos.append(PluginInfo(name="cxprobe.core", dist=BUILTIN_DIST, version=_dist_version(BUILTIN_DIST),
                                     module=core_plugin.__name__, builtin=True, hooks=self._hooks_of(core_plugin)))
        eps = sorted(entry_points(group=GROUP), key=lambda e: (e.dist.name if e.dist else "", e.name))
        if not any(_dist_name(ep) == BUILTIN_DIST for ep in eps):
            raise InternalError("cxprobe's built-in probes are not registered: reinstall cxprobe (pip install -e . or pip install cxprobe)")
        for ep in eps:
            if ep.name in disabled:
                continue
            self._load_entry_point(ep)
        self.pm.check_pending()

    def _load_entry_point(self, ep: EntryPoint) -> None:
        dist = _dist_name(ep)
        builtin = dist == BUILTIN_DIST
        info = PluginInfo(name=ep.name, dist=dist, version=_dist_version(dist), module=ep.value, builtin=builtin)
        try:
            plugin = ep.load()
            self.pm.register(plugin, name=f"{dist}:{ep.name}")
        except Exception as exc:  # noqa: BLE001 - any import failure is reported, by kind
            detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
            if builtin:
                raise InternalError(f"built-in plugin {ep.name!r} ({ep.value}) cannot be loaded: {detail}") from exc
            info.error = detail
            self.warnings.append(f"plugin {ep.name!r} from {dist} {info.version} could not be loaded and is skipped: {detail}")
            self.infos.append(info)
            return
        info.hooks = self._hooks_of(plugin)
        self.infos.append(info)

    def load_failures(self) -> list[str]:
        """One line per third-party plugin that could not be loaded (in load order): what
        it measures is missing from the run, which is therefore incomplete."""
        return [f"plugin {i.name!r} from {i.dist} {i.version} could not be loaded, so what it measures is missing: "
                f"{i.error}" for i in self.infos if i.error]

    def disable(self, names: tuple[str, ...]) -> None:
        """Unregister plugins by entry-point name (config ``disable_plugins``), like pytest's ``-p no:NAME``."""
        for name in names:
            if name in self.disabled:
                continue
            matches = [i for i in self.infos if i.name == name]
            if not matches:
                known = ", ".join(sorted(i.name for i in self.infos if i.name != "cxprobe.core"))
                raise UsageError(f"disable_plugins: no plugin named {name!r}; installed: {known}")
            for info in matches:
                plugin = self.pm.get_plugin(f"{info.dist}:{info.name}")
                if plugin is not None:
                    self.pm.unregister(plugin)
                self.infos.remove(info)
            self.disabled.add(name)
        self._registry = None

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register a plugin object directly (tests, embedding)."""
        self.pm.register(plugin, name=name)
        self.infos.append(PluginInfo(name=name or repr(plugin), dist="", version="", module=getattr(plugin, "__name__", repr(plugin)),
                                     builtin=False, hooks=self._hooks_of(plugin)))
        self._registry = None

    def _hooks_of(self, plugin: object) -> list[str]:
        impls = self.pm.get_hookcallers(plugin) or []
        return sorted(h.name for h in impls)

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
            for problem in self.call_guarded(hook_name, {"register": register}, None):
                reg.problems.append(problem)
                if measures:
                    reg.measure_problems.append(problem)
            # Stable: built-ins first, then plugins in the order pluggy called them.
            for plugin, obj in sorted(offered, key=lambda po: not _is_builtin(po[0])):
                problems = check(obj)
                oid: str = getattr(obj, "id", None) or getattr(obj, "name", None) or getattr(obj, "artifact", None) or ""
                if problems:
                    msg = f"plugin {plugin!r} registered {kind} {oid!r} that is not valid: {'; '.join(problems)}"
                    if _is_builtin(plugin):
                        raise InternalError(msg)
                    reg.problems.append(msg)
                    if measures:
                        reg.measure_problems.append(msg)
                    continue
                if oid in store:
                    msg = f"plugin {plugin!r} registered {kind} {oid!r}, already registered by {reg.owners.get(f'{kind}:{oid}')!r}"
                    if _is_builtin(plugin):
                        raise InternalError(msg)
                    reg.problems.append(msg)
                    if measures:
                        reg.measure_problems.append(msg)
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
        order_extractors(reg)
        collect("cxprobe_add_gatherers", "gatherer", reg.gatherers, check_gatherer)
        collect("cxprobe_add_probes", "probe", reg.probes, lambda p: validate_probe(p, reg.touchpoints))
        collect("cxprobe_add_reporters", "reporter", reg.reporters, check_reporter)
        self.warnings.extend(reg.problems)
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

        for problem in self.call_guarded("cxprobe_add_options", {"add_option": add_option}, None, historic=True):
            self.warnings.append(problem)
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
        """Call a hook through pluggy (so hook wrappers work) with a time budget.

        Each implementation is wrapped once so that the plugin running now is known: a
        third-party implementation that raises is recorded by its plugin's name and the
        other implementations still run; one that overruns ``budget`` is named too. A
        built-in implementation that raises is a cxprobe bug (InternalError).
        """
        hook = getattr(self.pm.hook, hook_name)
        for impl in hook.get_hookimpls():
            if not getattr(impl.function, "_cxprobe_guarded", False):
                impl.function = self._guarded(impl.function, impl.plugin_name, bool(impl.hookwrapper or impl.wrapper))
        call = _HookCall(hook_name)

        def run() -> None:
            me = threading.get_ident()
            self._calls[me] = call
            try:
                if historic:
                    hook.call_historic(kwargs=kwargs)
                else:
                    hook(**kwargs)
            finally:
                self._calls.pop(me, None)

        try:
            run_bounded(run, budget, name=f"cxprobe-{hook_name}")
        except Overrun as exc:
            call.problems.append(f"plugin {call.running or '?'!r} {exc} in {hook_name}: it was cut off")
        except InternalError:
            raise
        except Exception as exc:  # a wrapper (not guarded) raised
            if _is_builtin(call.running):
                raise InternalError(f"plugin {call.running!r} failed in {hook_name}: {type(exc).__name__}: {exc}") from exc
            call.problems.append(f"plugin {call.running or '?'!r} failed in {hook_name}: {type(exc).__name__}: {exc}")
        return call.problems

    def _guarded(self, fn: Callable[..., Any], plugin: str, is_wrapper: bool) -> Callable[..., Any]:
        calls = self._calls

        tracing = self.tracing

        def call(*args: Any, **kwargs: Any) -> Any:
            state = calls.get(threading.get_ident())
            if state is not None:
                state.running = plugin
                if tracing:  # pluggy traces the hook; this names each implementation
                    self._trace(f"  {state.hook} [hook] plugin {plugin!r}")
            if is_wrapper or state is None:
                return fn(*args, **kwargs)
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - one bad plugin never sinks the run
                message = f"plugin {plugin!r} failed in {state.hook}: {type(exc).__name__}: {exc}"
                if _is_builtin(plugin):
                    raise InternalError(message) from exc
                state.problems.append(message)
                return None

        call._cxprobe_guarded = True  # type: ignore[attr-defined]
        return call


_NAMESPACE = re.compile(r"^[a-z][a-z0-9_]*$")


def order_extractors(reg: Registry) -> None:
    """Put the extractors in an order where each runs after those it ``requires``; drop one
    whose requirement is missing or circular (a problem naming its plugin)."""
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
                if _is_builtin(owner):
                    raise InternalError(msg)
                reg.problems.append(msg)
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


def get_plugin_manager(disabled: tuple[str, ...] = ()) -> PluginManager:
    """A loaded plugin manager. Raises InternalError when built-ins are broken."""
    pm = PluginManager()
    pm.load(disabled)
    return pm


__all__ = ["PluginManager", "PluginInfo", "Registry", "get_plugin_manager", "UsageError"]
