"""Local plugins: a plugin module named by its file or its module name, without packaging.

``--plugin path/to/checks.py`` (repeatable) and ``plugins = ["path/or/module"]`` in a
config file name them (a config file's relative paths resolve against its own folder).
They load after the entry-point plugins, under the same guards, and are named by their
file name (``checks.py``) or module name (``my_pkg.checks``), with version ``local``.

A file is imported under a module name of its own (``cxprobe_local_<stem>``) without
putting its folder on ``sys.path``. A module name is imported with the folder it is
relative to (the working directory, or the config file's folder) at the front of
``sys.path``, as ``python -m`` would. The worker processes that read pages repeat both
(:func:`worker_state`, :func:`restore`), so a local plugin's extractors run there too.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .errors import ConfigError, UsageError

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

#: Module name -> file, of the local plugin files imported in this process.
_FILES: dict[str, str] = {}
#: Folders put at the front of ``sys.path`` for local plugins given as module names.
_PATHS: list[str] = []


@dataclass(frozen=True)
class LocalSpec:
    """One local plugin as it was named, resolved."""

    #: As written (``checks.py``, ``../cx/checks.py``, ``my_pkg.checks``).
    text: str
    #: The file, absolute; None for a module name.
    path: Path | None
    #: The module name; None for a file.
    module: str | None
    #: The folder a module name is imported from.
    base: Path
    #: Where it was named: ``--plugin`` or a config file's path.
    where: str

    @property
    def name(self) -> str:
        """Its plugin name: the file name, or the module name."""
        return self.path.name if self.path is not None else str(self.module)

    @property
    def origin(self) -> str:
        """What it is, for messages and ``cxprobe plugins --json``: the file, or the module name."""
        return str(self.path) if self.path is not None else str(self.module)


def parse_spec(text: str, base: Path, where: str) -> LocalSpec:
    """A local plugin named ``text`` (a ``.py`` file or a dotted module name) relative to
    ``base``. A file that does not exist or a name that is neither is a usage error."""
    error, label = _error(where), _label(where)
    raw = text.strip()
    looks_like_path = raw.endswith(".py") or "/" in raw or os.sep in raw or raw.startswith(("~", "."))
    if not looks_like_path:
        if not _MODULE.match(raw):
            raise error(f"{label} {text!r} is neither a .py file nor a module name (like my_checks or my_pkg.checks)")
        return LocalSpec(text=text, path=None, module=raw, base=base, where=where)
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = base / path
    path = path.resolve()
    if path.is_dir():
        raise error(f"{label} {text!r} is a folder: name a .py file, or a package by its module name "
                    f"from its parent folder")
    if not path.is_file():
        raise error(f"{label} {text!r}: no such file ({path})")
    if path.suffix != ".py":
        raise error(f"{label} {text!r} is not a .py file")
    return LocalSpec(text=text, path=path, module=None, base=base, where=where)


def _label(where: str) -> str:
    return "--plugin" if where == "--plugin" else f"{where}: plugins"


def _error(where: str) -> type[UsageError]:
    return UsageError if where == "--plugin" else ConfigError


def startup(config_path: str | None, plugins: Iterable[str], disabled: Iterable[str],
            timeout: str | None, cwd: Path | None = None) -> tuple[list[LocalSpec], tuple[str, ...], float]:
    """What a command loads at start-up, before its options are parsed (the way pytest reads
    ``-p``): the local plugins and the plugins switched off that the config file (``--config``
    or the one discovered) and the command line name, and ``plugin_timeout``. The command
    line's lists add to the file's."""
    from .config import SETTINGS, discover

    cwd = cwd or Path.cwd()
    table, source = discover(config_path, cwd)
    specs: list[LocalSpec] = []
    off: list[str] = []
    budget = float(SETTINGS["plugin_timeout"].default)
    if table:
        named = table.get("plugins")
        if isinstance(named, list):
            folder = Path(source.removesuffix(" [tool.cxprobe]")).parent
            # read() checks the list and resolves its files against the config file's folder
            specs += [parse_spec(t, folder, source) for t in SETTINGS["local_plugins"].read(named, source, from_file=True)]
        if "disable_plugins" in table:
            off += SETTINGS["disable_plugins"].read(table["disable_plugins"], source, from_file=True)
        if "plugin_timeout" in table:
            budget = SETTINGS["plugin_timeout"].read(table["plugin_timeout"], source, from_file=True)
    specs += [parse_spec(t, cwd, "--plugin") for t in plugins]
    if timeout is not None:
        budget = SETTINGS["plugin_timeout"].read(_number(timeout), "option", from_file=False)
    return specs, tuple(dict.fromkeys([*off, *disabled])), budget


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"--plugin-timeout {text!r} is not a number") from None


def module_name(path: Path) -> str:
    """The module name a local plugin file is imported under."""
    return "cxprobe_local_" + re.sub(r"\W", "_", path.stem)


def import_spec(spec: LocalSpec) -> ModuleType:
    """Import a local plugin (running its code). A module name that cannot be found is a
    usage error; any other failure is the plugin's and is raised as it is."""
    if spec.path is not None:
        return import_file(spec.path)
    assert spec.module is not None
    _add_path(str(spec.base))
    try:
        return importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        top = spec.module.split(".")
        if exc.name is not None and exc.name in {".".join(top[:i + 1]) for i in range(len(top))}:
            raise _error(spec.where)(f"{_label(spec.where)} {spec.text!r}: no module named {exc.name!r} (looked in "
                                     f"{spec.base} and the installed packages)") from None
        raise


def import_file(path: Path) -> ModuleType:
    """Import one ``.py`` file as a module of its own (once per process)."""
    name = module_name(path)
    known = _FILES.get(name)
    if known is not None:
        if known != str(path):
            raise UsageError(f"two local plugins would be imported as {name}: {known} and {path}; rename one")
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a loader
        raise UsageError(f"--plugin {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    # In sys.modules before it runs, as an import would (dataclasses and pickle look it up).
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    _FILES[name] = str(path)
    return module


def _add_path(folder: str) -> None:
    if folder not in sys.path:
        sys.path.insert(0, folder)
    if folder not in _PATHS:
        _PATHS.append(folder)


def is_local_module(name: str) -> bool:
    """True for the module name of a local plugin file (not importable by name elsewhere)."""
    return name in _FILES


def worker_state() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """What a worker process needs to import the local plugins' classes: the folders
    module names were imported from, and the files with their module names."""
    return tuple(_PATHS), tuple(_FILES.items())


def restore(state: tuple[tuple[str, ...], tuple[tuple[str, str], ...]]) -> None:
    """In a worker process: import the local plugins as the parent did (before unpickling
    extractors whose classes they define)."""
    paths, files = state
    for folder in paths:
        _add_path(folder)
    for name, path in files:
        if name not in sys.modules:
            import_file(Path(path))


__all__ = ["LocalSpec", "import_spec", "is_local_module", "parse_spec", "restore", "startup", "worker_state"]
