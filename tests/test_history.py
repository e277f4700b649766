"""Run history (issue 12): ``audit --history DB`` appends compact rows to SQLite and
``cxprobe history DB`` shows the trend. Real audits of real folders and loopback sites
through the real CLI; the stored rows are read back with sqlite3."""

from __future__ import annotations

import copy
import json
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cxprobe.errors import ExitCode
from cxprobe.history import (
    APPLICATION_ID,
    BARS,
    MIGRATIONS,
    SCHEMA_VERSION,
    HistoryError,
    Migration,
    load_runs,
    previous_run,
    record_run,
    sparkline,
    target_key,
    trend,
)

pytestmark = pytest.mark.usefixtures("quick_teardown")

STATIC = ("--render", "static")


# --------------------------------------------------------------------------- helpers

def write_site(folder: Path, pages: int = 4, broken: tuple[str, ...] = ()) -> Path:
    """A small business site: a home page, ``pages`` service pages, contact and pricing;
    ``broken`` names pages the home page links to that do not exist."""
    folder.mkdir(parents=True, exist_ok=True)
    nav = ('<header><nav><a href="/index.html">Home</a> <a href="/pricing.html">Pricing</a> '
           '<a href="/contact.html">Contact</a></nav></header>')
    foot = '<footer><a href="/privacy.html">Privacy</a> <a href="/contact.html">Contact us</a></footer>'

    def html(title: str, body: str) -> str:
        return (f'<!doctype html><html lang="en"><head><title>{title} — Bikefix</title>'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
                f"<body>{nav}<main><h1>{title}</h1>{body}</main>{foot}</body></html>")

    services = "".join(f'<li><a href="/service-{i}.html">Service {i}</a></li>' for i in range(pages))
    dead = "".join(f'<a href="/{name}">{name}</a> ' for name in broken)
    (folder / "index.html").write_text(html("Bike repair in Leeds while you wait",
                                            "<p>We fix bikes the same day. Book a repair online.</p>"
                                            f'<a href="/contact.html">Book a repair</a><ul>{services}</ul>{dead}'),
                                       encoding="utf-8")
    for i in range(pages):
        (folder / f"service-{i}.html").write_text(html(f"Service {i}", f"<p>Service {i} costs £{20 + i}.</p>"),
                                                  encoding="utf-8")
    (folder / "pricing.html").write_text(html("Pricing", "<p>Tune-up £45 per bike. Full service £90.</p>"),
                                         encoding="utf-8")
    (folder / "contact.html").write_text(html("Contact", "<p>Call 0113 496 0001 or write to hello@bikefix.co.uk."
                                                         "</p><address>1 Mill Lane, Leeds LS1 4AB</address>"),
                                         encoding="utf-8")
    (folder / "privacy.html").write_text(html("Privacy", "<p>We keep your name for your booking.</p>"),
                                         encoding="utf-8")
    return folder


def cli(*args: str) -> int:
    """Run the real ``cxprobe`` entry point in this process; returns its exit code."""
    from cxprobe.cli import main

    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0)


def audit(target: Path | str, tmp: Path, *args: str, code: int = 0) -> dict[str, Any]:
    out = tmp / f"report-{len(list(tmp.glob('report-*.json')))}.json"
    assert cli("audit", str(target), *STATIC, "--format", "json", "--output", str(out), *args) == code
    return json.loads(out.read_text(encoding="utf-8"))


def one_line_error(r: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("cxprobe: error: "), lines[0]
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table in ``text``: rows of cells (header first, separator dropped).
    Asserts the table is well formed: a separator row, the same number of cells in each row."""
    tables: list[list[list[str]]] = []
    current: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
            continue
        if current:
            assert len(current) >= 2 and re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", current[1]), current[:2]
            rows = [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]] for row in [current[0], *current[2:]]]
            assert {len(r) for r in rows} == {len(rows[0])}, rows
            tables.append(rows)
            current = []
    return tables


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The JSON report of a real audit of a small folder site."""
    tmp = tmp_path_factory.mktemp("report")
    site = write_site(tmp / "site", broken=("gone.html",))
    return audit(site, tmp)


def variant(report: dict[str, Any], *, score: float | None = None, mode: str | None = None,
            drop: int = 0, add: tuple[tuple[str, str], ...] = (), day: int = 0) -> dict[str, Any]:
    """A copy of a real report with another score, mode, date, some findings dropped and
    some (id, severity) added."""
    r = copy.deepcopy(report)
    if score is not None:
        r["cohesion"]["score"] = score
    if mode is not None:
        r["mode"] = mode
    r["started_at"] = f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}T02:00:00Z"
    r["findings"] = r["findings"][drop:] + [
        {"id": fid, "probe": "journey.broken_links", "touchpoint": "journey", "severity": sev,
         "title": "Link leads to an error page (HTTP 404)", "message": "", "pages": 1, "examples": []}
        for fid, sev in add]
    return r


# --------------------------------------------------------------------------- end to end

def test_two_runs_with_history_give_two_rows_in_history(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path / "site")
    db = tmp_path / "ci" / "cache" / "runs.db"  # folders created
    first = audit(site, tmp_path, "--history", str(db))
    write_site(site, broken=("old-offer.html",))  # a release breaks a link
    second = audit(site, tmp_path, "--history", str(db))
    new = sorted(set(f["id"] for f in second["findings"]) - set(f["id"] for f in first["findings"]))
    assert new

    shown = run_cli("history", str(db))
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr == ""
    lines = shown.stdout.splitlines()
    assert lines[0] == str(site)
    rows = [line for line in lines if re.match(r"\s*\d+\s+2\d{3}-\d\d-\d\d \d\d:\d\d", line)]
    assert len(rows) == 2, shown.stdout
    assert re.search(r"^cohesion [▁▂▃▄▅▆▇█]{2} ", lines[1]), lines[1]
    delta = round(second["cohesion"]["score"] - first["cohesion"]["score"], 2)
    assert f"{delta:+.2f}" in rows[1] and f"{second['cohesion']['score']:.2f}" in rows[1]

    rows_json = json.loads(run_cli("history", str(db), "--format", "json").stdout)
    assert [r["run"] for r in rows_json] == [1, 2]
    assert rows_json[0]["new"] is None and rows_json[0]["comparable"] is None
    assert rows_json[1]["new"] == new and rows_json[1]["fixed"] == []
    assert rows_json[1]["comparable"] is True and rows_json[1]["delta"] == delta
    assert rows_json[1]["cohesion"] == second["cohesion"]["score"]
    assert rows_json[1]["touchpoints"] == {t: v["score"] for t, v in second["touchpoints"].items()}
    assert rows_json[1]["plugins"] == sorted(f"{p['name']}=={p['version']}" for p in second["plugins"])

    md = run_cli("history", str(db), "--format", "markdown")
    assert md.returncode == 0, md.stderr
    (table,) = markdown_tables(md.stdout)
    header, *body = table
    assert header[:9] == ["run", "date", "mode", "cohesion", "delta", "pages", "new", "fixed", "complete"]
    assert len(body) == 2
    assert dict(zip(header, body[1], strict=True))["new"] == str(len(new))
    assert dict(zip(header, body[1], strict=True))["pages"] == str(second["crawl"]["pages"])


def test_the_rows_are_compact_and_complete(tmp_path: Path, real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    run_id = record_run(db, real_report)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        run = conn.execute("SELECT target, start_url, mode, profile, method, tool_version, plugins, cohesion, "
                           "complete, pages, gates_passed FROM runs WHERE id = ?", (run_id,)).fetchone()
        assert run == (target_key(real_report["target"]), real_report["start_url"], "static", "general",
                       real_report["cohesion"]["method"], real_report["tool"]["version"],
                       json.dumps(sorted(f"{p['name']}=={p['version']}" for p in real_report["plugins"])),
                       real_report["cohesion"]["score"], 1, real_report["crawl"]["pages"], None)
        assert dict(conn.execute("SELECT touchpoint, score FROM touchpoints")) == \
            {t: v["score"] for t, v in real_report["touchpoints"].items()}
        stored = conn.execute("SELECT i.id, f.severity, f.pages FROM findings AS f "
                              "JOIN finding_ids AS i ON i.key = f.finding").fetchall()
        assert sorted(stored) == sorted((f["id"], f["severity"], f["pages"]) for f in real_report["findings"])
        # No report text beyond a finding's title: evidence and pages stay in the report.
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"meta", "runs", "touchpoints", "finding_ids", "findings"}


def test_a_failed_gate_is_recorded_and_a_run_that_measured_nothing_is_not(tmp_path: Path, http_site) -> None:
    site = write_site(tmp_path / "site")
    db = tmp_path / "runs.db"
    report = audit(site, tmp_path, "--history", str(db), "--fail-under", "100", code=ExitCode.ASSERTION_FAILED)
    (run,) = load_runs(db)
    assert run.cohesion == report["cohesion"]["score"] and run.cohesion < 100
    # The start page answers 404: exit 3, nothing to record (and no file created for it).
    http_site.page("/", "gone", status=404)
    other = tmp_path / "other.db"
    audit(http_site.url("/"), tmp_path, "--history", str(other), code=ExitCode.CANNOT_MEASURE)
    assert not other.exists()
    audit(http_site.url("/"), tmp_path, "--history", str(db), code=ExitCode.CANNOT_MEASURE)
    assert len(load_runs(db)) == 1


def test_history_in_a_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    site = write_site(tmp_path / "site")
    (tmp_path / "cxprobe.toml").write_text('history = "state/runs.db"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    audit(site, tmp_path)
    assert len(load_runs(tmp_path / "state" / "runs.db")) == 1
    # The command line wins over the file.
    audit(site, tmp_path, "--history", str(tmp_path / "cli.db"))
    assert len(load_runs(tmp_path / "cli.db")) == 1 and len(load_runs(tmp_path / "state" / "runs.db")) == 1
    (tmp_path / "cxprobe.toml").write_text("history = 3\n", encoding="utf-8")
    one_line_error(run_cli("audit", str(site), *STATIC), ExitCode.USAGE_ERROR, "history", "wrong type")


# --------------------------------------------------------------------------- bad paths and files, before the crawl

def test_an_unwritable_history_path_is_exit_2_before_the_crawl(tmp_path: Path, http_site, run_cli) -> None:
    http_site.page("/", "<h1>Home</h1>")
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    r = run_cli("audit", http_site.url("/"), *STATIC, "--history", str(tmp_path / "file.txt" / "runs.db"))
    one_line_error(r, ExitCode.USAGE_ERROR, "--history", "is a file, not a folder")
    r = run_cli("audit", http_site.url("/"), *STATIC, "--history", str(tmp_path))
    one_line_error(r, ExitCode.USAGE_ERROR, "is a folder")
    assert http_site.hits == []


def _foreign_files(tmp_path: Path, report: dict[str, Any]) -> dict[str, tuple[Path, str]]:
    """name -> (file, what the error says)."""
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 50, encoding="utf-8")
    other = tmp_path / "shop.db"
    with closing_db(other) as conn:
        conn.execute("CREATE TABLE users (name TEXT)")
        conn.execute("INSERT INTO users VALUES ('ann')")
    newer = tmp_path / "newer.db"
    record_run(newer, report)
    with closing_db(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    damaged = tmp_path / "damaged.db"
    record_run(damaged, report)
    data = bytearray(damaged.read_bytes())
    data[100:1200] = b"\xa5" * 1100  # the schema page, after the 100-byte header
    damaged.write_bytes(bytes(data))
    return {"text": (text, "is not a cxprobe history database"),
            "other sqlite": (other, "is an SQLite database but not a cxprobe history database"),
            "newer": (newer, f"schema version {SCHEMA_VERSION + 1}, written by cxprobe"),
            "damaged": (damaged, "is a damaged cxprobe history database")}


class closing_db:  # noqa: N801 - used as a context manager like contextlib.closing
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def test_foreign_newer_and_damaged_files_are_refused_and_left_unchanged(tmp_path: Path, http_site, run_cli,
                                                                      real_report: dict[str, Any]) -> None:
    http_site.page("/", "<h1>Home</h1>")
    for name, (path, says) in _foreign_files(tmp_path, real_report).items():
        before = path.read_bytes()
        r = run_cli("audit", http_site.url("/"), *STATIC, "--history", str(path))
        line = one_line_error(r, ExitCode.USAGE_ERROR, str(path), says)
        if name == "newer":
            assert "upgrade cxprobe" in line
        one_line_error(run_cli("history", str(path)), ExitCode.USAGE_ERROR, str(path), says)
        with pytest.raises(HistoryError, match=re.escape(says)):
            record_run(path, real_report)
        assert path.read_bytes() == before, name
        assert not Path(f"{path}-journal").exists()
    assert http_site.hits == []


def test_a_missing_file_and_an_empty_history(tmp_path: Path, run_cli, real_report: dict[str, Any]) -> None:
    one_line_error(run_cli("history", str(tmp_path / "nothing.db")), ExitCode.USAGE_ERROR,
                   f"no history at {tmp_path / 'nothing.db'}")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    r = run_cli("history", str(empty))
    assert r.returncode == 0 and r.stdout.strip() == f"no runs recorded in {empty} yet", r
    r = run_cli("history", str(empty), "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout) == [] and "no runs recorded" in r.stderr
    record_run(empty, real_report)  # an empty file becomes a history
    r = run_cli("history", str(empty), "--target", "https://elsewhere.example/")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (f"no runs of https://elsewhere.example in {empty}; recorded targets: "
                                f"{target_key(real_report['target'])}")


# --------------------------------------------------------------------------- schema versions

def test_an_older_database_is_migrated_in_order(tmp_path: Path, real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    record_run(db, real_report)
    later = (*MIGRATIONS,
             Migration(SCHEMA_VERSION + 1, "runs get a note", ("ALTER TABLE runs ADD COLUMN note TEXT",)),
             Migration(SCHEMA_VERSION + 2, "old runs are marked", ("UPDATE runs SET note = 'before'",)))
    record_run(db, variant(real_report, score=50.0), migrations=later)
    with closing_db(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 2
        # Step 2 ran after step 1 and before the new run was written.
        assert conn.execute("SELECT id, note FROM runs ORDER BY id").fetchall() == [(1, "before"), (2, None)]
    assert [r.cohesion for r in load_runs(db, migrations=later)] == [real_report["cohesion"]["score"], 50.0]
    # This cxprobe (without those steps) refuses the newer file.
    with pytest.raises(HistoryError, match=f"schema version {SCHEMA_VERSION + 2}.*upgrade cxprobe"):
        load_runs(db)


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path, real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    record_run(db, real_report)
    broken = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "half done", (
        "ALTER TABLE runs ADD COLUMN note TEXT", "ALTER TABLE nowhere ADD COLUMN note TEXT")))
    with pytest.raises(HistoryError, match="no such table: nowhere"):
        record_run(db, real_report, migrations=broken)
    with closing_db(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "note" not in {r[1] for r in conn.execute("PRAGMA table_info(runs)")}
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def test_a_database_of_version_0_gets_the_initial_schema(tmp_path: Path, real_report: dict[str, Any]) -> None:
    # An SQLite file with no tables yet (version 0): the first write applies migration 1.
    db = tmp_path / "runs.db"
    with closing_db(db) as conn:
        conn.execute("CREATE TABLE scratch (x)")
        conn.execute("DROP TABLE scratch")
    assert db.stat().st_size > 0
    record_run(db, real_report)
    with closing_db(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == MIGRATIONS[-1].number == SCHEMA_VERSION
    assert [m.number for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


# --------------------------------------------------------------------------- the trend

def test_sparkline() -> None:
    assert sparkline([0, 50, 100]) == "▁▅█"
    assert sparkline([60.0, 70.0, 80.0, 90.0]) == "▁▃▆█"
    assert sparkline([70.0, None, 80.0]) == "▁ █"
    assert sparkline([None, None]) == "  "
    # Noise of a tenth of a point stays flat: the bars span at least 10 points.
    flat = [BARS.index(b) for b in sparkline([84.6, 84.7, 84.6, 84.65])]
    assert max(flat) - min(flat) <= 1 and 3 <= min(flat) <= 4
    rng = random.Random(3)
    values = [rng.uniform(0, 100) for _ in range(50)]
    bars = sparkline(sorted(values))
    assert [BARS.index(b) for b in bars] == sorted(BARS.index(b) for b in bars)
    assert bars[0] == BARS[0] and bars[-1] == BARS[-1]


def test_runs_of_another_mode_are_marked_not_compared(tmp_path: Path, run_cli,
                                                      real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    record_run(db, variant(real_report, score=60.0, day=0))
    record_run(db, variant(real_report, score=80.0, mode="browser", day=1))
    rows = json.loads(run_cli("history", str(db), "--format", "json").stdout)
    assert rows[1]["comparable"] is False and rows[1]["delta"] is None and rows[1]["new"] is None
    assert rows[1]["mismatches"] == ["mode static → browser"]
    text = run_cli("history", str(db)).stdout
    assert "not comparable with the previous run: mode static → browser" in text
    assert "+20.00" not in text and "n/c" in text
    (table,) = markdown_tables(run_cli("history", str(db), "--format", "markdown").stdout)
    note = dict(zip(table[0], table[2], strict=True))
    assert note["delta"] == "n/c" and note["note"].startswith("not comparable with the previous run")


def test_new_and_fixed_findings_against_the_previous_run_of_the_same_target(
        tmp_path: Path, real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    other = {**copy.deepcopy(real_report), "target": "https://other.example/"}
    record_run(db, variant(real_report, score=70.0, add=(("aaaaaaaaaaaa", "error"),)))
    record_run(db, variant(other, score=10.0, add=(("bbbbbbbbbbbb", "warning"),)))
    record_run(db, variant(real_report, score=72.5, add=(("cccccccccccc", "error"),)))
    by_target = trend(load_runs(db))
    assert list(by_target) == sorted([target_key(real_report["target"]), "https://other.example"])
    mine = by_target[target_key(real_report["target"])]
    assert [r.run.id for r in mine] == [1, 3]
    assert mine[1].delta == 2.5 and mine[1].new == ["cccccccccccc"] and mine[1].fixed == ["aaaaaaaaaaaa"]
    assert by_target["https://other.example"][0].previous is None

    prev = previous_run(db, real_report["target"])
    assert prev is not None and prev.id == 3 and prev.cohesion == 72.5 and prev.mode == "static"
    assert prev.severities()["cccccccccccc"] == "error" and "aaaaaaaaaaaa" not in prev.findings
    assert prev.findings["cccccccccccc"].probe == "journey.broken_links"
    assert prev.touchpoints == {t: (v["score"], v["status"]) for t, v in real_report["touchpoints"].items()}
    assert prev.plugins == tuple(sorted(f"{p['name']}=={p['version']}" for p in real_report["plugins"]))
    assert previous_run(db, "https://OTHER.example") is not None  # the host's case does not matter
    assert previous_run(tmp_path / "none.db", real_report["target"]) is None
    assert not (tmp_path / "none.db").exists()


def test_several_targets_one_section_each_and_limit(tmp_path: Path, run_cli, real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    for day in range(5):
        record_run(db, variant(real_report, score=60.0 + day, day=day))
        record_run(db, variant({**real_report, "target": "https://b.example/"}, score=90.0 - day, day=day))
    md = run_cli("history", str(db), "--format", "markdown", "--limit", "3").stdout
    tables = markdown_tables(md)
    assert len(tables) == 2 and all(len(t) == 1 + 3 for t in tables)
    assert md.count("### cxprobe history: ") == 2 and "the last 3 of 5 runs" in md
    # The first shown run still has its delta: its predecessor is read even though not shown.
    b = sorted([target_key(real_report["target"]), "https://b.example"]).index("https://b.example")
    assert [row[4] for row in tables[b][1:]] == ["-1.00", "-1.00", "-1.00"]
    assert [row[4] for row in tables[1 - b][1:]] == ["+1.00", "+1.00", "+1.00"]
    only = json.loads(run_cli("history", str(db), "--format", "json", "--target", "https://b.example").stdout)
    assert [r["target"] for r in only] == ["https://b.example"] * 5
    assert [r["cohesion"] for r in only] == [90.0, 89.0, 88.0, 87.0, 86.0]
    text = run_cli("history", str(db), "--limit", "0").stdout
    assert text.count("\ncohesion ") == 2
    assert f"cohesion {sparkline([90.0, 89.0, 88.0, 87.0, 86.0])} 90.00 → 86.00 over 5 runs" in text
    assert f"cohesion {sparkline([60.0, 61.0, 62.0, 63.0, 64.0])} 60.00 → 64.00 over 5 runs" in text


def test_concurrent_writers_each_get_their_rows(tmp_path: Path, real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    report = tmp_path / "report.json"
    report.write_text(json.dumps(real_report), encoding="utf-8")
    code = ("import json, sys; from cxprobe.history import record_run\n"
            "r = json.load(open(sys.argv[1]))\n"
            "for i in range(15): record_run(sys.argv[2], r)\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(report), str(db)], stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    runs = load_runs(db)
    assert len(runs) == 60 and [r.id for r in runs] == list(range(1, 61))
    assert all(len(r.findings) == len(real_report["findings"]) for r in runs)


# --------------------------------------------------------------------------- a year of nightly runs

def test_a_year_of_nightly_runs_of_a_50_page_site_stays_under_10_mb(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", pages=45, broken=tuple(f"gone-{i}.html" for i in range(8)))
    base = audit(site, tmp_path)
    assert 48 <= base["crawl"]["pages"] <= 55, base["crawl"]["pages"]
    rng = random.Random(2026)
    # A pessimistic site: besides its real findings, 80 broken-link findings a night, a few
    # of them fixed and a few new ones every night, and every score moving.
    pool = [f"{rng.getrandbits(48):012x}" for _ in range(400)]
    current = pool[:80]
    db = tmp_path / "runs.db"
    for day in range(365):
        current = current[3:] + rng.sample(pool, 3)
        report = variant(base, score=round(rng.uniform(55, 95), 2), day=day,
                         add=tuple((fid, rng.choice(("error", "warning"))) for fid in dict.fromkeys(current)))
        for tp in report["touchpoints"].values():
            tp["score"] = round(rng.uniform(0, 100), 2)
        record_run(db, report)
    size = db.stat().st_size
    print(f"\n365 nightly runs of a {base['crawl']['pages']}-page site, "
          f"{len(base['findings'])} + 80 findings a night: {size / 1e6:.2f} MB")
    assert size < 10_000_000
    runs = load_runs(db)
    assert len(runs) == 365 and len(runs[-1].findings) >= 80
    assert all(len(r.touchpoints) == len(base["touchpoints"]) for r in runs)


# --------------------------------------------------------------------------- the command line

def test_the_command_is_listed_and_help_stays_quick() -> None:
    code = ("import sys\nfrom cxprobe.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit as exc:\n    assert exc.code == 0\n"
            "print('LOADED', 'sqlite3' in sys.modules, 'cxprobe.history' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^\s+history\s+The trend of the runs recorded", proc.stdout, re.M), proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "LOADED False False"


def test_history_options_are_checked(tmp_path: Path, run_cli, real_report: dict[str, Any]) -> None:
    db = tmp_path / "runs.db"
    record_run(db, real_report)
    r = run_cli("history", str(db), "--format", "html")
    assert r.returncode == ExitCode.USAGE_ERROR and "Traceback" not in r.stderr
    r = run_cli("history", str(db), "--limit", "-1")
    assert r.returncode == ExitCode.USAGE_ERROR and "Traceback" not in r.stderr
