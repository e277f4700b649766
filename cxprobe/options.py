"""Settings, each declared once.

A :class:`Setting` gives everything about one setting in one place: its config field,
its key in a config file, its command-line option (or none), how a value is read and
checked, and its line in ``docs/cli.md`` and ``docs/configuration.md``. The core's
settings are the fields of :class:`cxprobe.config.AuditConfig`, declared with
:func:`setting`; a plugin declares its own with ``cxprobe_add_options`` under a
namespaced name (``contact.accept`` is the key ``accept`` of the file's ``[contact]``
table, and its value is ``config.option("contact.accept")``).

One reading and one check for the file and the command line alike: a value from either
passes :meth:`Setting.read` (type, conversion) and :meth:`Setting.check` (range,
choices, finite numbers), so a message names the same rule whichever way it came in.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError

#: The kinds of value a setting holds.
KINDS = ("str", "int", "float", "bool", "bytes", "list", "table", "tables", "headers")

#: Sections of the documentation tables, in order.
SECTIONS = {
    "target": "Target and mode",
    "crawl": "Crawl bounds and scope",
    "probes": "Probes and scoring",
    "output": "Output and gates",
    "plugins": "Plugins",
}

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2,
          "g": 1000**3, "gb": 1000**3, "gib": 1024**3}


@dataclass(frozen=True)
class Setting:
    """One setting: where it comes from, how it is read and checked, how it is documented."""

    #: Field name in AuditConfig (core) or namespaced name (plugin): "max_pages", "contact.accept".
    name: str
    #: One of :data:`KINDS`.
    kind: str
    #: The value when neither a config file nor the command line sets it.
    default: Any
    #: One line for ``--help`` (and the docs, unless ``doc`` says more).
    help: str
    #: Documentation section (a key of :data:`SECTIONS`, or a plugin's own heading).
    section: str = "plugins"
    #: Command-line option ("--max-pages"), or None for a config-file-only setting.
    option: str | None = None
    #: A short alias ("-o").
    short: str | None = None
    #: Key in a config file when it differs from ``name`` ("format" for ``formats``).
    file_key: str | None = None
    #: The option's value placeholder in ``--help`` ("N", "PATH").
    metavar: str | None = None
    #: The only values allowed, when it is one of a few words.
    choices: tuple[str, ...] = ()
    #: Smallest value allowed (inclusive).
    minimum: float | None = None
    #: Values must be above this (exclusive).
    above: float | None = None
    #: Largest value allowed (inclusive).
    maximum: float | None = None
    #: How the default reads in the docs, when ``repr`` would not do ("5 MiB").
    doc_default: str | None = None
    #: Environment variable used when neither the file nor the command line set it.
    env: str | None = None
    #: Extra conversion and check of a read value (``where`` names the source); raises ConfigError.
    validate: Callable[[Any, str], Any] | None = None
    #: Only a config file may set it (not the command line): ``browser_path`` must be absolute there.
    file_validate: Callable[[Any, str], Any] | None = None
    #: The docs' text (Markdown) when it says more than ``help``.
    doc: str | None = None
    #: A list the command line adds to (``--plugin``, ``--disable-plugin``) instead of
    #: replacing the config file's.
    extend: bool = False

    @property
    def key(self) -> str:
        """Its key in a config file (a plugin setting: the part after its namespace)."""
        return self.file_key or self.name

    @property
    def cli_name(self) -> str:
        """The click parameter name of its option."""
        return (self.option or self.name).lstrip("-").replace("-", "_").replace(".", "_")

    @property
    def repeatable(self) -> bool:
        """True when the option may be given several times (lists and headers)."""
        return self.kind in ("list", "headers")

    # ----------------------------------------------------------------- reading
    def read(self, raw: Any, where: str, *, from_file: bool) -> Any:
        """The value of ``raw`` (from a TOML file or the command line), converted and checked."""
        label = f"{where}: {self.key if from_file else self.option or self.name}"
        value = self._convert(raw, label, from_file)
        if from_file and self.file_validate is not None:
            value = self.file_validate(value, where)
        if self.validate is not None:
            value = self.validate(value, where)
        self.check(value, where if from_file else "option", label)
        return value

    def _convert(self, raw: Any, label: str, from_file: bool) -> Any:
        kind = self.kind
        if kind == "bool":
            if not isinstance(raw, bool):
                raise ConfigError(f"{label} must be true or false, not {raw!r}")
            return raw
        if kind in ("int", "float"):
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (kind == "int" and isinstance(raw, float)):
                word = "a number" if isinstance(raw, bool) else f"{'an integer' if kind == 'int' else 'a number'}"
                if isinstance(raw, bool):
                    raise ConfigError(f"{label} must be a number, not {raw!r}")
                raise ConfigError(f"{label} has the wrong type ({type(raw).__name__}); it must be {word}")
            return int(raw) if kind == "int" else float(raw)
        if kind == "bytes":
            return parse_bytes(raw, label)
        if kind == "str":
            if not isinstance(raw, str):
                raise ConfigError(f"{label} has the wrong type ({type(raw).__name__})")
            return raw
        if kind == "list":
            if isinstance(raw, str) and self.name == "formats":
                return (raw,)
            if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
                raise ConfigError(f"{label} has the wrong type ({type(raw).__name__}); it must be a list of strings")
            return tuple(raw)
        if kind == "headers":
            if from_file:
                if not isinstance(raw, dict):
                    raise ConfigError(f"{label} has the wrong type ({type(raw).__name__})")
                return tuple((str(k), str(v)) for k, v in raw.items())
            return tuple(parse_header(v) for v in raw)
        if kind == "tables":
            if not isinstance(raw, list) or not all(isinstance(v, dict) for v in raw):
                raise ConfigError(f"{label} must be an array of tables ([[{self.key}]] entries)")
            return tuple(dict(v) for v in raw)
        if kind == "table":
            if not isinstance(raw, dict):
                raise ConfigError(f"{label} has the wrong type ({type(raw).__name__})")
            return dict(raw)
        raise ConfigError(f"{label}: unknown kind {kind!r}")  # pragma: no cover - a bug in a declaration

    def check(self, value: Any, where: str, label: str | None = None) -> None:
        """Range, choice and finiteness checks; one message whichever way the value came in."""
        name = label or f"{where}: {self.name}"
        if value is None:
            return
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{name} must be a finite number, not {value!r}")
        if self.choices and value not in self.choices:
            raise ConfigError(f"{name} must be one of {', '.join(self.choices)}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                raise ConfigError(f"{name} must be at least {self.minimum:g}")
            if self.above is not None and value <= self.above:
                unit = " seconds" if self.name.endswith(("timeout", "deadline", "budget")) else ""
                raise ConfigError(f"{name} must be more than {self.above:g}{unit}")
            if self.maximum is not None and value > self.maximum:
                raise ConfigError(f"{name} must be between {self.minimum if self.minimum is not None else 0:g} "
                                  f"and {self.maximum:g}")

    # ----------------------------------------------------------------- docs
    def default_text(self) -> str:
        """The default as the docs show it."""
        if self.doc_default is not None:
            return self.doc_default
        if self.default in (None, (), {}):
            return "—"
        if isinstance(self.default, bool):
            return "on" if self.default else "off"
        if isinstance(self.default, tuple):
            return ", ".join(self.default)
        return f"{self.default:g}" if isinstance(self.default, float) else str(self.default)

    def type_text(self) -> str:
        """The type as the docs show it ("integer", the choices)."""
        base = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "bytes": "size",
                "list": "list of strings", "table": "table", "tables": "array of tables", "headers": "table"}[self.kind]
        if self.choices:
            return " \\| ".join(f"`{c}`" for c in self.choices)
        if self.minimum is not None and self.maximum is not None:
            return f"{base} {self.minimum:g}–{self.maximum:g}"
        if self.minimum is not None:
            return f"{base} ≥ {self.minimum:g}"
        if self.above is not None:
            return f"{base} > {self.above:g}"
        return base


def setting(default: Any, help: str, *, kind: str, section: str, **details: Any) -> Any:  # noqa: A002
    """Declare a core setting as an :class:`AuditConfig` field (the field name is its name)."""
    meta = {"setting": Setting(name="", kind=kind, default=default, help=help, section=section, **details)}
    if isinstance(default, dict):
        return dataclasses.field(default_factory=dict, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def settings_of(cls: type) -> dict[str, Setting]:
    """The settings declared as fields of a dataclass, by name, in declaration order."""
    out: dict[str, Setting] = {}
    for f in dataclasses.fields(cls):
        s = f.metadata.get("setting")
        if s is not None:
            out[f.name] = dataclasses.replace(s, name=f.name)
    return out


def parse_bytes(raw: Any, label: str) -> int:
    """A size: an integer number of bytes, or a string with a unit ("5MB", "5 MiB", "800k")."""
    if isinstance(raw, bool):
        raise ConfigError(f"{label} must be a size, not {raw!r}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", raw)
        if m and m.group(2).lower() in _UNITS:
            return int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    raise ConfigError(f"{label} must be a size in bytes, like 5242880, 5MB or 5MiB, not {raw!r}")


def parse_header(value: str) -> tuple[str, str]:
    """'Name: value' -> (name, value)."""
    if ":" not in value:
        raise ConfigError(f"--header {value!r} must look like 'Name: value'")
    k, _, v = value.partition(":")
    if not k.strip():
        raise ConfigError(f"--header {value!r} has no name")
    return k.strip(), v.strip()
