"""Configuration: defaults, then a config file, then command-line flags.

Discovery: ``--config FILE``, else ``cxprobe.toml`` in the working directory, else
``[tool.cxprobe]`` in its ``pyproject.toml``. Unknown keys are an error, never ignored.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, UsageError
from .probe import PROFILES

RENDER_MODES = ("auto", "static", "browser")


@dataclass(frozen=True)
class AuditConfig:
    """Everything one audit run is told. Frozen: plugins read it, never change it."""

    target: str = ""
    start: str | None = None
    render: str = "auto"
    max_pages: int = 50
    max_depth: int = 5
    concurrency: int = 8
    timeout: float = 10.0
    deadline: float = 300.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 10
    #: CPU seconds extracting one page may take before it is recorded as too_complex.
    extract_budget: float = 5.0
    #: Seconds one plugin call (a probe, a gatherer, a hook implementation) may take
    #: before it is cut off and the run is reported incomplete.
    plugin_timeout: float = 30.0
    ignore_robots: bool = False
    headers: tuple[tuple[str, str], ...] = ()
    allow_hosts: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    profile: str = "general"
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("terminal",)
    output: str | None = None
    fail_under: float | None = None
    #: Touchpoint id -> weight, overriding the profile's.
    weights: dict[str, float] = field(default_factory=dict)
    browser_path: str | None = None
    #: Values of options that plugins added with ``cxprobe_add_options``.
    plugin_options: dict[str, Any] = field(default_factory=dict)
    #: Entry-point names of plugins not to load (``-p no:NAME`` in pytest terms).
    disable_plugins: tuple[str, ...] = ()
    #: Contact details the owner confirms are real although they look like placeholders
    #: (``[contact] accept``): they count as ways to reach a person.
    contact_accept: tuple[str, ...] = ()
    #: Where the config came from (a path), or "".
    source: str = ""

    def replace(self, **changes: Any) -> AuditConfig:
        return dataclasses.replace(self, **changes)


#: Keys a config file may hold, and how to read each value.
_FILE_KEYS: dict[str, type | tuple[type, ...]] = {
    "start": str, "render": str, "max_pages": int, "max_depth": int, "concurrency": int,
    "timeout": (int, float), "deadline": (int, float), "max_bytes": int, "max_redirects": int,
    "extract_budget": (int, float), "plugin_timeout": (int, float),
    "ignore_robots": bool, "headers": dict, "allow_hosts": list, "include": list,
    "exclude": list, "profile": str, "only": list, "skip": list, "format": (str, list),
    "output": str, "fail_under": (int, float),
    "weights": dict, "browser_path": str, "plugins": dict, "disable_plugins": list, "contact": dict,
}
#: Keys of the ``[contact]`` table.
_CONTACT_KEYS = ("accept",)


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
        return _read_toml(own), str(own)
    py = cwd / "pyproject.toml"
    if py.is_file():
        table = _read_toml(py).get("tool", {}).get("cxprobe")
        if isinstance(table, dict):
            return table, f"{py} [tool.cxprobe]"
    return {}, ""


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


def from_table(table: dict[str, Any], source: str = "") -> dict[str, Any]:
    """Validate a config table and turn it into AuditConfig keyword arguments."""
    where = source or "config"
    unknown = sorted(set(table) - set(_FILE_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(_FILE_KEYS))}")
    out: dict[str, Any] = {}
    for key, raw in table.items():
        want = _FILE_KEYS[key]
        if isinstance(raw, bool) and want in (int, (int, float)):
            raise ConfigError(f"{where}: {key} must be a number, not {raw!r}")
        if not isinstance(raw, want):
            raise ConfigError(f"{where}: {key} has the wrong type ({type(raw).__name__})")
        value: Any = raw
        if key == "headers":
            out["headers"] = tuple((str(k), str(v)) for k, v in value.items())
        elif key in ("allow_hosts", "include", "exclude", "only", "skip", "disable_plugins"):
            out[key] = tuple(str(v) for v in value)
        elif key == "format":
            out["formats"] = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
        elif key == "weights":
            w = {}
            for k, v in value.items():
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                    raise ConfigError(f"{where}: weights.{k} must be a finite number >= 0")
                w[str(k)] = float(v)
            out["weights"] = w
        elif key == "plugins":
            out["plugin_options"] = dict(value)
        elif key == "browser_path":
            # A config file is found in the working directory, and the browser it names
            # is executed: only an absolute path names one executable whatever the
            # folder cxprobe runs in (a relative one would run whatever lies there).
            path = Path(value).expanduser()
            if not path.is_absolute():
                raise ConfigError(f"{where}: browser_path must be an absolute path, not {value!r} "
                                  f"(cxprobe runs the executable it names; give a relative one with --browser-path)")
            out[key] = str(path)
        elif key == "contact":
            unknown_sub = sorted(set(value) - set(_CONTACT_KEYS))
            if unknown_sub:
                raise ConfigError(f"{where}: unknown key(s) contact.{', contact.'.join(unknown_sub)}; "
                                  f"known: {', '.join('contact.' + k for k in _CONTACT_KEYS)}")
            accept = value.get("accept", [])
            if not isinstance(accept, list) or not all(isinstance(a, str) and a.strip() for a in accept):
                raise ConfigError(f"{where}: contact.accept must be a list of emails or phone numbers (strings)")
            out["contact_accept"] = tuple(a.strip() for a in accept)
        else:
            out[key] = value
    check_values(out, where)
    return out


def check_values(values: dict[str, Any], where: str = "option") -> None:
    """Range and choice checks shared by the config file and the CLI."""
    for key, value in values.items():
        # inf and nan pass every range check and then break the arithmetic (a NaN score is
        # not JSON, an infinite deadline never ends): a number must be finite.
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{where}: {key} must be a finite number, not {value!r}")
    if "render" in values and values["render"] not in RENDER_MODES:
        raise ConfigError(f"{where}: render must be one of {', '.join(RENDER_MODES)}")
    if "profile" in values and values["profile"] not in PROFILES:
        raise ConfigError(f"{where}: profile must be one of {', '.join(PROFILES)}")
    for key in ("max_pages", "concurrency", "max_redirects", "max_bytes"):
        if key in values and values[key] < 1:
            raise ConfigError(f"{where}: {key} must be at least 1")
    if "max_depth" in values and values["max_depth"] < 0:
        raise ConfigError(f"{where}: max_depth must be at least 0")
    for key in ("timeout", "deadline", "plugin_timeout", "extract_budget"):
        if key in values and values[key] <= 0:
            raise ConfigError(f"{where}: {key} must be more than 0 seconds")
    if values.get("fail_under") is not None and not 0 <= values["fail_under"] <= 100:
        raise ConfigError(f"{where}: fail_under must be between 0 and 100")


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
