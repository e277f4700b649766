"""The SITES file of ``cxprobe fleet``: a text file (one URL or folder a line) or a TOML file
with per-site settings, read and checked on the client before any task starts.

A text file::

    # one target a line; blank lines and # comments are skipped
    https://www.acme.com
    build/bob-bikes

A TOML file::

    [defaults]                       # any cxprobe.toml key, for every site
    render = "static"
    max_pages = 20

    [[site]]
    name = "acme"                    # the report folder's name (default: from the target)
    target = "https://www.acme.com"
    start = "/home"
    profile = "saas"
    include = ["/shop/*"]
    headers_from_env = { Authorization = "ACME_TOKEN" }   # header = environment variable

Every key is checked here (unknown keys, wrong types, missing environment variables:
exit 2); header values are read from the client's environment and never written into a
report or summary.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import from_table
from ..errors import ConfigError, UsageError
from ..options import Setting

#: Keys a site table has besides the cxprobe.toml keys.
SITE_KEYS = ("name", "target", "headers_from_env")
#: cxprobe.toml keys that belong to the whole fleet, not to one site (the fleet's own options).
FLEET_ONLY = {"format": "--format", "output": "--output", "history": "--history", "quiet": "--quiet",
              "plugins": "installed plugins (the same on every worker)", "strict_plugins": "--strict-plugins"}


@dataclass(frozen=True)
class SiteSpec:
    """One entry of the SITES file."""

    #: The site's name: its report folder, safe as a file name, unique in the fleet.
    name: str
    #: The target as typed (what the reports and the history show).
    target: str
    #: What the audit opens: the URL, or the folder or file as an absolute path.
    location: str
    #: Politeness key: two entries with the same key never crawl at the same time.
    host: str
    #: Where the entry is ("sites.toml, site 2"), for messages.
    where: str
    #: Config-file values of the site (checked), [defaults] and the site's table merged.
    values: dict[str, Any] = field(default_factory=dict)


def safe_name(text: str) -> str:
    """A file name made of ``text``: letters, digits, ``.``, ``_`` and ``-``, at most 64
    characters, never empty, never starting with a dot."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-_")[:64].strip(".-_")
    return name or "site"


def name_of(target: str) -> str:
    """A site's default name: host and path of a URL (``acme.com-shop``), a folder's name."""
    if "://" in target:
        parts = urlsplit(target)
        return safe_name(f"{parts.netloc}{parts.path}".lower())
    return safe_name(Path(os.path.normpath(target)).name or target)


def host_key(target: str, location: str) -> str:
    """Politeness key: the host of a URL; a folder is served by its own server per run, so
    its key is the folder itself."""
    if "://" in target:
        return (urlsplit(target).hostname or target).lower()
    return "file:" + location


def _location(target: str, where: str, base: Path) -> str:
    if "://" in target:
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise ConfigError(f"{where}: {target!r} is not an http(s) URL, a folder or an HTML file")
        return target
    path = Path(target).expanduser()
    if not path.is_absolute():
        path = base / path
    if not path.exists():
        raise ConfigError(f"{where}: {target!r}: no such folder or file")
    return str(path.resolve())


def _merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "plugin_options":
                out[key] = {**out.get(key, {}), **value}
            else:
                out[key] = value
    return out


def _check_keys(table: Mapping[str, Any], where: str) -> None:
    for key in table:
        if key in FLEET_ONLY and not (key == "plugins" and isinstance(table[key], dict)):
            raise ConfigError(f"{where}: {key} is set for the whole fleet ({FLEET_ONLY[key]}), not per site")


def _headers(raw: Any, where: str, environ: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ConfigError(f"{where}: headers_from_env must be a table of header name = environment variable name")
    out = {}
    for header, var in raw.items():
        if var not in environ:
            raise ConfigError(f"{where}: headers_from_env: the environment variable {var} (for the {header} header) "
                              "is not set")
        out[header] = environ[var]
    return out


def _text_entries(text: str, where: str) -> list[tuple[str, dict[str, Any], str]]:
    entries: list[tuple[str, dict[str, Any], str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if any(c.isspace() for c in line):
            raise ConfigError(f"{where}, line {n}: one URL or folder a line, not {line!r}")
        entries.append((line, {}, f"{where}, line {n}"))
    return entries


def load_sites(path: str, base_values: Mapping[str, Any], plugin_settings: Iterable[Setting] = (),
               environ: Mapping[str, str] | None = None) -> list[SiteSpec]:
    """The sites of ``path`` with their checked settings (``base_values``: the config file's,
    under each site's). Relative folders are relative to the working directory.

    Raises :class:`~cxprobe.errors.ConfigError` / :class:`~cxprobe.errors.UsageError`
    (exit 2) for a missing or unreadable file, bad TOML, an unknown key, a missing
    environment variable, a folder that does not exist, or no sites at all."""
    environ = os.environ if environ is None else environ
    settings = list(plugin_settings)
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{path}: no such file (SITES is a text file of URLs and folders, or a TOML file)")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    base = Path.cwd()
    entries: list[tuple[str, dict[str, Any], str]] = []
    defaults: dict[str, Any] = {}
    if file.suffix.lower() == ".toml":
        try:
            doc = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        unknown = sorted(set(doc) - {"defaults", "site"})
        if unknown:
            raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}; a fleet file has [defaults] and [[site]] tables")
        table = doc.get("defaults", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: defaults must be a table ([defaults])")
        _check_keys(table, f"{path} [defaults]")
        defaults = from_table(table, f"{path} [defaults]", settings)
        sites = doc.get("site", [])
        if not isinstance(sites, list) or not all(isinstance(s, dict) for s in sites):
            raise ConfigError(f"{path}: site must be an array of tables ([[site]])")
        for i, site in enumerate(sites, 1):
            where = f"{path}, site {i}"
            target = site.get("target")
            if not isinstance(target, str) or not target.strip():
                raise ConfigError(f"{where}: target is required (a URL, a folder or an HTML file)")
            entries.append((target.strip(), site, where))
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-8 text") from None
        entries = _text_entries(text, path)
    if not entries:
        raise UsageError(f"{path}: no sites (one URL or folder a line, or [[site]] tables)")
    specs: list[SiteSpec] = []
    taken: set[str] = set()
    for target, site, where in entries:
        rest = {k: v for k, v in site.items() if k not in SITE_KEYS}
        _check_keys(rest, where)
        values = from_table(rest, where, settings)
        if "headers_from_env" in site:
            values.update(from_table({"headers": _headers(site["headers_from_env"], where, environ)}, where, settings))
        name = site.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise ConfigError(f"{where}: name must be a non-empty string")
        stem = safe_name(name) if name else name_of(target)
        unique, n = stem, 1
        while unique.lower() in taken:
            n += 1
            unique = f"{stem}-{n}"
        taken.add(unique.lower())
        location = _location(target, where, base)
        specs.append(SiteSpec(name=unique, target=target, location=location, host=host_key(target, location),
                              where=where, values=_merge(base_values, defaults, values)))
    return specs
