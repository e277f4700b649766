"""Run history: every audit that measured the site, as compact rows in one SQLite file.

``cxprobe audit --history runs.db`` appends each run (:func:`record_run`); ``cxprobe history
runs.db`` reads the trend (:func:`load_runs`, :func:`trend`); :func:`previous_run` gives the
latest recorded run of a target, for use as an implicit baseline. Standard library only
(:mod:`sqlite3`), and imported only when history is asked for.

Rows, not reports: a run keeps what a trend and a regression check need and nothing a
report already holds in full (no evidence, no page list, no facts)::

    meta         key, value                        who created and last wrote the file
    runs         id, started_at, target, start_url, mode, profile, method, tool_version,
                 plugins (JSON list of "name==version", sorted), cohesion, complete,
                 pages, duration_s, gates_passed (null when the run had no gate)
    touchpoints  run_id, touchpoint, score, status
    finding_ids  key, id, probe, touchpoint, title  each finding id once, however many runs
    findings     run_id, finding (-> finding_ids.key), severity, pages

A year of nightly runs of a 49-page site with 95 findings a night takes 1.0 MB
(measured by ``tests/test_history.py``; the issue's budget is 10 MB).

The file is marked as cxprobe's by ``PRAGMA application_id`` and versioned by ``PRAGMA
user_version``: :data:`MIGRATIONS` are applied in order, each in the same transaction as
the write that needed it, so a database is never left half migrated. A file that is not
an SQLite database, an SQLite database of something else, or a history written by a newer
cxprobe is refused with one line (:class:`HistoryError`, exit 2) and never modified.

Several writers (parallel CI jobs sharing a file) are serialised by SQLite's lock: each
write is one ``BEGIN IMMEDIATE`` transaction, and a writer waits up to
:data:`BUSY_TIMEOUT` seconds for another to finish.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from urllib.request import pathname2url

from . import __version__
from .errors import UsageError

#: Marks the file as a cxprobe history database (the ASCII letters "cxph").
APPLICATION_ID = 0x63787068
#: Seconds a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT = 30.0


class HistoryError(UsageError):
    """The history database cannot be read or written (exit 2)."""


@dataclass(frozen=True)
class Migration:
    """One step of the schema: statements that take the database from ``number - 1`` to ``number``."""

    number: int
    title: str
    statements: tuple[str, ...]


#: The schema, step by step. Append a step to change it; never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            target TEXT NOT NULL,
            start_url TEXT,
            mode TEXT NOT NULL,
            profile TEXT,
            method TEXT,
            tool_version TEXT,
            plugins TEXT NOT NULL,
            cohesion REAL,
            complete INTEGER NOT NULL,
            pages INTEGER NOT NULL,
            duration_s REAL,
            gates_passed INTEGER)""",
        "CREATE INDEX runs_by_target ON runs (target, id)",
        """CREATE TABLE touchpoints (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            touchpoint TEXT NOT NULL,
            score REAL,
            status TEXT,
            PRIMARY KEY (run_id, touchpoint)) WITHOUT ROWID""",
        """CREATE TABLE finding_ids (
            key INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            probe TEXT NOT NULL,
            touchpoint TEXT,
            title TEXT)""",
        """CREATE TABLE findings (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            finding INTEGER NOT NULL REFERENCES finding_ids (key),
            severity TEXT NOT NULL,
            pages INTEGER,
            PRIMARY KEY (run_id, finding)) WITHOUT ROWID""",
    )),
)

#: The schema version this cxprobe writes.
SCHEMA_VERSION = len(MIGRATIONS)


# --------------------------------------------------------------------------- what a run keeps

@dataclass(frozen=True)
class PastFinding:
    """A finding as the history keeps it."""

    id: str
    probe: str
    touchpoint: str | None
    severity: str
    pages: int | None
    title: str | None


@dataclass(frozen=True)
class RunSummary:
    """One run as the history keeps it (``id`` is None until it is recorded)."""

    id: int | None
    started_at: str
    target: str
    start_url: str | None
    mode: str
    profile: str | None
    method: str | None
    tool_version: str | None
    #: "name==version" of every plugin that loaded, sorted.
    plugins: tuple[str, ...]
    cohesion: float | None
    complete: bool
    pages: int
    duration_s: float | None
    #: The report's ``gates.passed``, or None when the run had no gate (no check).
    gates_passed: bool | None
    #: Touchpoint id -> (score or None, status), sorted by id.
    touchpoints: Mapping[str, tuple[float | None, str | None]] = field(default_factory=dict)
    #: Finding id -> the finding, in the report's order.
    findings: Mapping[str, PastFinding] = field(default_factory=dict)

    def severities(self) -> dict[str, str]:
        """Finding id -> severity."""
        return {fid: f.severity for fid, f in self.findings.items()}


def target_key(target: str) -> str:
    """How a target is recorded and looked up: a URL with its scheme and host lower-cased
    and an empty path for the site root (``https://Acme.com/`` is ``https://acme.com``);
    a folder or file as typed, normalised (``./public/`` is ``public``)."""
    if "://" in target:
        parts = urlsplit(target)
        path = "" if parts.path in ("", "/") else parts.path
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    return os.path.normpath(target) if target else target


def plugin_set(report: Mapping[str, Any]) -> tuple[str, ...]:
    """The plugins that measured the run: "name==version" of each that loaded, sorted."""
    return tuple(sorted({f"{p.get('name')}=={p.get('version')}" for p in report.get("plugins") or ()
                         if not p.get("error")}))


def summarise(report: Mapping[str, Any]) -> RunSummary:
    """The history's row of a report (a report dict or a saved report JSON, read)."""
    cohesion = report.get("cohesion") or {}
    gates = report.get("gates")
    # A run given no gate has no check: nothing passed or failed.
    passed = gates.get("passed") if isinstance(gates, Mapping) and gates.get("checks") else None
    touchpoints = {tid: (tp.get("score"), tp.get("status"))
                   for tid, tp in sorted((report.get("touchpoints") or {}).items())}
    findings = {f["id"]: PastFinding(id=f["id"], probe=f.get("probe", ""), touchpoint=f.get("touchpoint"),
                                     severity=f.get("severity", ""), pages=f.get("pages"), title=f.get("title"))
                for f in report.get("findings") or ()}
    return RunSummary(
        id=None, started_at=str(report.get("started_at") or ""), target=target_key(str(report.get("target") or "")),
        start_url=report.get("start_url"), mode=str(report.get("mode") or ""), profile=report.get("profile"),
        method=cohesion.get("method"), tool_version=(report.get("tool") or {}).get("version"),
        plugins=plugin_set(report), cohesion=cohesion.get("score"), complete=bool(cohesion.get("complete")),
        pages=int((report.get("crawl") or {}).get("pages") or 0), duration_s=report.get("duration_s"),
        gates_passed=None if passed is None else bool(passed), touchpoints=touchpoints, findings=findings)


def mismatches(before: RunSummary, after: RunSummary) -> list[str]:
    """Why two runs' scores cannot be compared (render mode, scoring method, weights
    profile, plugin set); empty when they can."""
    out = []
    for what, a, b in (("mode", before.mode, after.mode), ("method", before.method, after.method),
                       ("profile", before.profile, after.profile)):
        if a != b:
            out.append(f"{what} {a} → {b}")
    if before.plugins != after.plugins:
        gone, added = sorted(set(before.plugins) - set(after.plugins)), sorted(set(after.plugins) - set(before.plugins))
        out.append("plugins " + ", ".join([*(f"-{p}" for p in gone), *(f"+{p}" for p in added)]))
    return out


# --------------------------------------------------------------------------- opening the file

def _inspect(conn: sqlite3.Connection, path: Path, newest: int) -> int:
    """The schema version of an open database: 0 for an empty one (a new file), else the
    version cxprobe wrote. A file of something else, or of a newer cxprobe, raises."""
    try:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path} is not a cxprobe history database ({_reason(exc)}); "
                           f"it was left as it is") from None
    try:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        what = "a damaged cxprobe history database" if app == APPLICATION_ID else "not a cxprobe history database"
        raise HistoryError(f"{path} is {what} ({_reason(exc)}); it was left as it is") from None
    if app == 0 and tables == 0:
        return 0
    if app != APPLICATION_ID:
        raise HistoryError(f"{path} is an SQLite database but not a cxprobe history database "
                           f"(it holds other tables); it was left as it is")
    if version > newest:
        written_by = ""
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'written_by'").fetchone()
            written_by = f", written by cxprobe {row[0]}" if row else ""
        except sqlite3.Error:
            pass
        raise HistoryError(f"{path} is a history database of schema version {version}{written_by}; "
                           f"this cxprobe {__version__} reads versions up to {newest}: upgrade cxprobe")
    return int(version)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file, whatever it holds."""
    uri = f"file:{pathname2url(str(path.resolve()))}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)


def _existing_version(path: Path, newest: int = SCHEMA_VERSION) -> int | None:
    """The version of the database at ``path`` read without writing (None: no file yet).
    Refuses folders, foreign files and newer schemas."""
    if path.is_dir():
        raise HistoryError(f"{path} is a folder, not a history database file (e.g. {path / 'runs.db'})")
    if not path.exists():
        return None
    if path.stat().st_size == 0:
        return 0
    try:
        with closing(_read_only(path)) as conn:
            return _inspect(conn, path, newest)
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot read the history database {path}: {_reason(exc)}") from None


def check_writable(path: str | os.PathLike[str]) -> None:
    """Before anything is crawled: ``path`` can take the run (exit 2 if not).

    An existing file must be a cxprobe history database this version can read; a new one
    needs a folder it can be written in (created here, as ``--output`` does). Nothing is
    written to the database itself: a run that cannot measure the site leaves no file.
    """
    p = Path(path)
    version = _existing_version(p)
    for parent in (p.parent, *p.parent.parents):
        if parent.exists():
            if not parent.is_dir():
                raise HistoryError(f"--history {path}: {parent} is a file, not a folder")
            break
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        # SQLite writes a journal beside the database: the folder must take new files.
        with tempfile.NamedTemporaryFile(dir=p.parent, prefix=".cxprobe-check-"):
            pass
    except OSError as exc:
        raise HistoryError(f"--history {path}: cannot write in {p.parent}: {exc.strerror or exc}") from None
    if version is not None and not os.access(p, os.W_OK):
        raise HistoryError(f"--history {path}: the file is read-only")


@contextmanager
def _writing(path: Path, migrations: Sequence[Migration]) -> Iterator[sqlite3.Connection]:
    """A connection inside one ``BEGIN IMMEDIATE`` transaction on a database migrated to the
    newest version; committed when the block ends, rolled back if it raises."""
    _existing_version(path, len(migrations))  # a foreign or newer file is refused before it is opened for writing
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HistoryError(f"cannot write the history to {path}: {exc.strerror or exc}") from None
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot open the history database {path}: {_reason(exc)}") from None
    try:
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise HistoryError(_busy(path, exc)) from None
        try:
            # Read again under the lock: another writer may have created or migrated it.
            version = _inspect(conn, path, len(migrations))
            _migrate(conn, version, migrations)
            yield conn
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('written_by', ?)", (__version__,))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot write the history to {path}: {_reason(exc)}") from None
    finally:
        conn.close()


def _busy(path: Path, exc: sqlite3.OperationalError) -> str:
    if "locked" in str(exc) or "busy" in str(exc):
        return f"the history database {path} stayed locked by another writer for {BUSY_TIMEOUT:g} s"
    return f"cannot write the history to {path}: {_reason(exc)}"


def _migrate(conn: sqlite3.Connection, version: int, migrations: Sequence[Migration]) -> None:
    """Apply the steps after ``version``, in order, inside the caller's transaction."""
    for step in migrations[version:]:
        for statement in step.statements:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(step.number)}")
    if version == 0:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("INSERT INTO meta (key, value) VALUES ('created_by', ?)", (__version__,))


# --------------------------------------------------------------------------- writing

def record_run(path: str | os.PathLike[str], report: Mapping[str, Any],
               migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Append the run of ``report`` to the history at ``path`` (created with its folders
    if needed, migrated if older); returns the run's id."""
    run = summarise(report)
    with _writing(Path(path), migrations) as conn:
        cur = conn.execute(
            "INSERT INTO runs (started_at, target, start_url, mode, profile, method, tool_version, plugins, "
            "cohesion, complete, pages, duration_s, gates_passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run.started_at, run.target, run.start_url, run.mode, run.profile, run.method, run.tool_version,
             json.dumps(list(run.plugins)), run.cohesion, int(run.complete), run.pages, run.duration_s,
             None if run.gates_passed is None else int(run.gates_passed)))
        run_id = int(cur.lastrowid or 0)
        conn.executemany("INSERT INTO touchpoints (run_id, touchpoint, score, status) VALUES (?, ?, ?, ?)",
                         [(run_id, tid, score, status) for tid, (score, status) in run.touchpoints.items()])
        keys = _finding_keys(conn, run.findings.values())
        conn.executemany("INSERT INTO findings (run_id, finding, severity, pages) VALUES (?, ?, ?, ?)",
                         [(run_id, keys[f.id], f.severity, f.pages) for f in run.findings.values()])
    return run_id


def _finding_keys(conn: sqlite3.Connection, findings: Any) -> dict[str, int]:
    """Finding id -> its key in ``finding_ids``, adding new ids (and keeping the latest
    title of known ones)."""
    rows = [(f.id, f.probe, f.touchpoint, f.title) for f in findings]
    conn.executemany("INSERT INTO finding_ids (id, probe, touchpoint, title) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (id) DO UPDATE SET title = excluded.title WHERE title IS NOT excluded.title", rows)
    keys: dict[str, int] = {}
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 500):  # SQLite's bound on variables per statement
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        keys.update(conn.execute(f"SELECT id, key FROM finding_ids WHERE id IN ({marks})", chunk).fetchall())
    return keys


# --------------------------------------------------------------------------- reading

@contextmanager
def _reading(path: Path, migrations: Sequence[Migration]) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection (None for an empty file). An older schema is migrated first."""
    version = _existing_version(path, len(migrations))
    if version is None:
        raise HistoryError(f"no history at {path}")
    if version == 0:
        yield None
        return
    if version < len(migrations):
        with _writing(path, migrations):
            pass
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot read the history database {path}: {_reason(exc)}") from None
    try:
        yield conn
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot read the history database {path}: {_reason(exc)}") from None
    finally:
        conn.close()


_RUN_COLUMNS = ("id, started_at, target, start_url, mode, profile, method, tool_version, plugins, cohesion, "
                "complete, pages, duration_s, gates_passed")


def load_runs(path: str | os.PathLike[str], target: str | None = None, *, last: int | None = None,
              migrations: Sequence[Migration] = MIGRATIONS) -> list[RunSummary]:
    """The recorded runs, oldest first, with their touchpoints and findings; only those of
    ``target`` when given (matched as :func:`target_key` records it); only the ``last`` N
    runs of each target when given. A missing file is a :class:`HistoryError`."""
    with _reading(Path(path), migrations) as conn:
        if conn is None:
            return []
        args: list[str | int] = [target_key(target)] if target is not None else []
        where = "WHERE target = ?" if target is not None else ""
        if last is None:
            query = f"SELECT {_RUN_COLUMNS} FROM runs {where} ORDER BY id"
        else:
            # The newest N runs of each target.
            query = (f"SELECT {_RUN_COLUMNS} FROM (SELECT *, row_number() OVER (PARTITION BY target ORDER BY id DESC) "
                     f"AS newer FROM runs {where}) WHERE newer <= ? ORDER BY id")
            args.append(last)
        rows = conn.execute(query, args).fetchall()
        return _with_details(conn, rows)


def _with_details(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> list[RunSummary]:
    ids = [r[0] for r in rows]
    touchpoints: dict[int, dict[str, tuple[float | None, str | None]]] = {i: {} for i in ids}
    findings: dict[int, dict[str, PastFinding]] = {i: {} for i in ids}
    for start in range(0, len(ids), 500):  # SQLite's bound on variables per statement
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for run_id, tid, score, status in conn.execute(
                f"SELECT run_id, touchpoint, score, status FROM touchpoints WHERE run_id IN ({marks}) "
                "ORDER BY run_id, touchpoint", chunk):
            touchpoints[run_id][tid] = (score, status)
        for run_id, fid, probe, tp, title, severity, pages in conn.execute(
                "SELECT f.run_id, i.id, i.probe, i.touchpoint, i.title, f.severity, f.pages FROM findings AS f "
                f"JOIN finding_ids AS i ON i.key = f.finding WHERE f.run_id IN ({marks}) ORDER BY f.run_id, i.id",
                chunk):
            findings[run_id][fid] = PastFinding(id=fid, probe=probe, touchpoint=tp, severity=severity,
                                                pages=pages, title=title)
    out = []
    for (run_id, started_at, target, start_url, mode, profile, method, tool_version, plugins, cohesion,
         complete, pages, duration_s, gates_passed) in rows:
        out.append(RunSummary(
            id=run_id, started_at=started_at, target=target, start_url=start_url, mode=mode, profile=profile,
            method=method, tool_version=tool_version, plugins=tuple(json.loads(plugins)), cohesion=cohesion,
            complete=bool(complete), pages=pages, duration_s=duration_s,
            gates_passed=None if gates_passed is None else bool(gates_passed),
            touchpoints=touchpoints[run_id], findings=findings[run_id]))
    return out


def previous_run(path: str | os.PathLike[str], target: str,
                 migrations: Sequence[Migration] = MIGRATIONS) -> RunSummary | None:
    """The latest recorded run of ``target`` (its findings with severities, cohesion,
    touchpoint scores, mode, method and plugins), or None when there is none yet or no
    file at ``path``. Call it before :func:`record_run` to compare a run with the last one."""
    p = Path(path)
    if not p.exists():
        return None
    runs = load_runs(p, target, last=1, migrations=migrations)
    return runs[-1] if runs else None


def as_report(run: RunSummary, target: str) -> dict[str, Any]:
    """A recorded run in the shape :func:`cxprobe.gates.compare` reads: what a run with
    ``--history`` and no ``--baseline`` is compared with (``target`` as the run typed it)."""
    plugins = [{"name": name, "version": version, "error": None}
               for name, _, version in (p.partition("==") for p in run.plugins)]
    return {"target": target, "mode": run.mode, "profile": run.profile, "started_at": run.started_at,
            "cohesion": {"score": run.cohesion, "method": run.method},
            "touchpoints": {tid: {"score": score, "status": status} for tid, (score, status) in run.touchpoints.items()},
            "findings": [{"id": f.id, "probe": f.probe, "touchpoint": f.touchpoint, "severity": f.severity,
                          "title": f.title} for f in run.findings.values()],
            "plugins": plugins}


def targets(path: str | os.PathLike[str]) -> list[tuple[str, int]]:
    """Every recorded target with its number of runs, by target."""
    with _reading(Path(path), MIGRATIONS) as conn:
        if conn is None:
            return []
        return [(t, n) for t, n in conn.execute("SELECT target, count(*) FROM runs GROUP BY target ORDER BY target")]


# --------------------------------------------------------------------------- the trend

@dataclass(frozen=True)
class TrendRow:
    """A run beside the previous run of the same target."""

    run: RunSummary
    previous: RunSummary | None
    #: Why the two cannot be compared (empty when they can, or when there is no previous run).
    mismatches: tuple[str, ...]

    @property
    def comparable(self) -> bool | None:
        """None for a target's first run."""
        return None if self.previous is None else not self.mismatches

    @property
    def delta(self) -> float | None:
        """Cohesion change since the previous run, when the two are comparable and scored."""
        if not self.comparable or self.previous is None:
            return None
        if self.run.cohesion is None or self.previous.cohesion is None:
            return None
        return round(self.run.cohesion - self.previous.cohesion, 2)

    @property
    def new(self) -> list[str] | None:
        """Finding ids this run has and the previous one did not (None: nothing to compare)."""
        if not self.comparable or self.previous is None:
            return None
        return [fid for fid in self.run.findings if fid not in self.previous.findings]

    @property
    def fixed(self) -> list[str] | None:
        """Finding ids of the previous run this one no longer has."""
        if not self.comparable or self.previous is None:
            return None
        return [fid for fid in self.previous.findings if fid not in self.run.findings]


def trend(runs: Sequence[RunSummary]) -> dict[str, list[TrendRow]]:
    """Target -> its runs in order, each beside the previous run of the same target."""
    out: dict[str, list[TrendRow]] = {}
    last: dict[str, RunSummary] = {}
    for run in runs:
        before = last.get(run.target)
        out.setdefault(run.target, []).append(
            TrendRow(run=run, previous=before, mismatches=tuple(mismatches(before, run)) if before else ()))
        last[run.target] = run
    return dict(sorted(out.items()))


#: Bars of a sparkline, lowest first.
BARS = "▁▂▃▄▅▆▇█"
#: Cohesion points the bars span at least, so noise of a tenth of a point stays flat.
MIN_SPAN = 10.0


def sparkline(values: Sequence[float | None]) -> str:
    """One bar per value (a space for None), scaled to the values' range but at least
    :data:`MIN_SPAN` points wide, within 0-100."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    low, high = min(known), max(known)
    if high - low < MIN_SPAN:
        middle = (low + high) / 2
        low = max(0.0, min(middle - MIN_SPAN / 2, 100.0 - MIN_SPAN))
        high = low + MIN_SPAN
    top = len(BARS) - 1
    return "".join(" " if v is None else BARS[max(0, min(top, int((v - low) / (high - low) * top + 0.5)))]
                   for v in values)


__all__ = ["BARS", "BUSY_TIMEOUT", "MIGRATIONS", "SCHEMA_VERSION", "HistoryError", "Migration", "PastFinding",
           "RunSummary", "TrendRow", "check_writable", "load_runs", "mismatches", "plugin_set", "previous_run",
           "record_run", "sparkline", "summarise", "target_key", "targets", "trend"]
