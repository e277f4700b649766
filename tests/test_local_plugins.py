"""Local plugins (``--plugin FILE_OR_MODULE``, ``plugins = [...]`` in a config file),
``--disable-plugin`` and ``CXPROBE_TRACE``, through the real command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from cxprobe.cli import early_options
from cxprobe.errors import ExitCode

#: A one-file plugin: a probe on an existing touchpoint, with a setting of its own. It
#: writes a marker when it is imported, so a test can tell whether its code ran.
CHECKS = '''
    import os
    from pathlib import Path

    from cxprobe import Probe, Setting, hookimpl, outcome

    CXPROBE_PLUGIN_API = 1
    Path(os.environ.get("MARKER_DIR", ".")).joinpath("imported-" + __name__).write_text("yes")

    class TitledPages(Probe):
        id = "contact.local_titles"
        touchpoint = "contact"
        title = "Every page has a title"
        failure_title = "A page has no title"
        description = "A local check."

        def check(self, ctx):
            titled = [f for f in ctx.facts() if f.title]
            level = ctx.config.option("localcheck.level")
            return outcome(len(titled) / len(ctx.pages), facts={"local_level": level})

    @hookimpl
    def cxprobe_add_options(add_option):
        add_option(Setting(name="localcheck.level", kind="int", default=1, minimum=0,
                           option="--localcheck-level", help="How strict the local check is."))

    @hookimpl
    def cxprobe_add_probes(register):
        register(TitledPages())
'''

SITE = {
    "index.html": '<!doctype html><html lang="en"><head><title>Acme</title></head><body><h1>Acme bikes</h1>'
                  '<a href="contact.html">Contact</a></body></html>',
    "contact.html": '<!doctype html><html lang="en"><head><title>Contact</title></head><body><h1>Contact</h1>'
                    '<a href="mailto:hi@acme.test">hi@acme.test</a></body></html>',
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_site(root: Path, pages: dict[str, str] = SITE) -> Path:
    for name, html in pages.items():
        write(root / "site" / name, html)
    return root / "site"


def probe_of(report: dict, probe_id: str) -> dict:
    [probe] = [p for tp in report["touchpoints"].values() for p in tp["probes"] if p["id"] == probe_id]
    return probe


def test_a_one_file_plugin_adds_its_probe_and_its_option_works(tmp_path: Path, run_cli) -> None:
    site = make_site(tmp_path)
    write(tmp_path / "cx" / "checks.py", CHECKS)
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", "--quiet",
                "--plugin", "cx/checks.py", "--localcheck-level", "4", env={"MARKER_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    report = json.loads(r.stdout)
    probe = probe_of(report, "contact.local_titles")
    assert probe["status"] == "passed" and probe["plugin"] == "checks.py"
    # the option the plugin declared was parsed: the plugin loaded before the command line was
    assert report["touchpoints"]["contact"]["facts"]["local_level"] == 4
    [listed] = [p for p in report["plugins"] if not p["builtin"]]
    assert listed == {"name": "checks.py", "dist": "local", "version": "local", "builtin": False,
                      "hooks": ["cxprobe_add_options", "cxprobe_add_probes"], "error": None}
    assert report["cohesion"]["complete"] is True
    # `cxprobe plugins` and `cxprobe probes` take --plugin too (also as --plugin=FILE)
    rows = json.loads(run_cli("plugins", "--json", "--plugin=cx/checks.py").stdout)
    [row] = [row for row in rows if row["name"] == "checks.py"]
    assert row["local"] is True and row["module"] == str(tmp_path / "cx" / "checks.py")
    assert row["registered"] == ["contact.local_titles"]
    probes = run_cli("probes", "--plugin", "cx/checks.py")
    assert re.search(r"^contact\.local_titles\s+contact\s+1\s+no\s+checks\.py$", probes.stdout, re.M), probes.stdout
    # a file that does not exist is a usage error naming it
    missing = run_cli("audit", str(site), "--render", "static", "--plugin", "cx/nope.py")
    assert missing.returncode == ExitCode.USAGE_ERROR
    assert missing.stderr.strip().splitlines() == [f"cxprobe: error: --plugin 'cx/nope.py': no such file "
                                                   f"({tmp_path / 'cx' / 'nope.py'})"]


def test_config_plugins_resolve_against_the_config_folder(tmp_path: Path, run_cli) -> None:
    site = make_site(tmp_path)
    project = tmp_path / "project"
    write(project / "cx" / "checks.py", CHECKS)
    write(project / "cxprobe.toml", '''
        plugins = ["cx/checks.py"]

        [localcheck]
        level = 3
    ''')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", "--quiet",
                "--config", str(project / "cxprobe.toml"), cwd=elsewhere, env={"MARKER_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert probe_of(report, "contact.local_titles")["plugin"] == "checks.py"
    # the plugin's own table in the same file reached it
    assert report["touchpoints"]["contact"]["facts"]["local_level"] == 3


def test_a_config_file_found_in_the_working_directory_may_not_name_plugins(tmp_path: Path, run_cli) -> None:
    site = make_site(tmp_path)
    write(tmp_path / "cx" / "checks.py", CHECKS)
    write(tmp_path / "cxprobe.toml", 'plugins = ["cx/checks.py"]\n')
    marker = tmp_path / "imported-cxprobe_local_checks"
    env = {"MARKER_DIR": str(tmp_path)}
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", env=env)
    assert r.returncode == ExitCode.USAGE_ERROR and r.stdout == ""
    [line] = r.stderr.strip().splitlines()
    assert line.startswith(f"cxprobe: error: {tmp_path / 'cxprobe.toml'}: plugins names code cxprobe would run "
                           "(cx/checks.py)") and "--config cxprobe.toml" in line
    assert not marker.exists(), "the plugin's code must not run"
    # --help still works there, and runs nothing either
    assert run_cli("audit", "--help", env=env).returncode == 0 and not marker.exists()
    # the same file named with --config is trusted
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", "--config", "cxprobe.toml", env=env)
    assert r.returncode == 0, r.stderr
    assert marker.exists() and probe_of(json.loads(r.stdout), "contact.local_titles")["status"] == "passed"


def test_a_module_name_is_imported_from_the_working_directory(tmp_path: Path) -> None:
    # The console script, not `python -m` (which puts the working directory on sys.path itself).
    site = make_site(tmp_path)
    write(tmp_path / "my_cx" / "__init__.py", "")
    write(tmp_path / "my_cx" / "checks.py", CHECKS)
    script = Path(sys.executable).parent / "cxprobe"
    r = subprocess.run([str(script), "audit", str(site), "--render", "static", "--format", "json", "--quiet",
                        "--plugin", "my_cx.checks"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "MARKER_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert probe_of(report, "contact.local_titles")["plugin"] == "my_cx.checks"
    assert [p["name"] for p in report["plugins"] if not p["builtin"]] == ["my_cx.checks"]
    unknown = subprocess.run([str(script), "probes", "--plugin", "my_cx.nope"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert unknown.returncode == ExitCode.USAGE_ERROR
    assert unknown.stderr.startswith("cxprobe: error: --plugin 'my_cx.nope': no module named 'my_cx.nope'")


EXTRACTING = '''
    import os
    from dataclasses import dataclass

    from cxprobe import Extractor, Probe, hookimpl, outcome

    @dataclass(frozen=True)
    class Reading:
        words: int
        pid: int

    class WhoRead(Extractor):
        name = "who_read"
        description = "the process that read the page"

        def extract(self, doc):
            return Reading(doc.facts.word_count, os.getpid())

    class ReadEverywhere(Probe):
        id = "contact.who_read"
        touchpoint = "contact"
        title = "t"
        failure_title = "f"
        description = "d"

        def check(self, ctx):
            readings = [f.fact("who_read") for f in ctx.facts()]
            return outcome(1.0, facts={"readers": len({r.pid for r in readings}), "read": len(readings)})

    @hookimpl
    def cxprobe_add_extractors(register):
        register(WhoRead())

    @hookimpl
    def cxprobe_add_probes(register):
        register(ReadEverywhere())
'''


def test_a_local_plugins_extractor_runs_in_the_worker_processes(tmp_path: Path, run_cli) -> None:
    # More pages than are read in-process, so worker processes read the rest: they must
    # import the plugin file to unpickle its extractor.
    pages = {f"p{i}.html": f'<html lang="en"><head><title>P{i}</title></head><body><h1>Page {i}</h1>'
                           f'<a href="index.html">Home</a></body></html>' for i in range(14)}
    pages["index.html"] = ('<html lang="en"><head><title>Home</title></head><body><h1>Home</h1>'
                           + "".join(f'<a href="p{i}.html">p{i}</a>' for i in range(14)) + "</body></html>")
    site = make_site(tmp_path, pages)
    write(tmp_path / "extracting.py", EXTRACTING)
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", "--quiet", "--jobs", "2",
                "--plugin", "extracting.py")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert probe_of(report, "contact.who_read")["status"] == "passed"
    facts = report["touchpoints"]["contact"]["facts"]
    assert facts["read"] == report["crawl"]["pages"] == 15
    assert facts["readers"] > 1, "no page was read in a worker process"
    assert report["cohesion"]["complete"] is True


def test_disable_plugin_switches_off_a_builtin_and_joins_the_config_list(tmp_path: Path, run_cli) -> None:
    site = make_site(tmp_path)
    write(tmp_path / "cxprobe.toml", 'disable_plugins = ["feedback"]\n')
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", "--quiet", "--disable-plugin", "social")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert "social" not in report["touchpoints"] and "feedback" not in report["touchpoints"]
    assert {"contact", "clarity"} <= set(report["touchpoints"])
    names = {p["name"] for p in report["plugins"]}
    assert "social" not in names and "feedback" not in names and "contact" in names
    assert not [p for p in report["findings"] if p["touchpoint"] in ("social", "feedback")]
    listed = json.loads(run_cli("plugins", "--json", "--disable-plugin", "social").stdout)
    assert {row["name"] for row in listed}.isdisjoint({"social", "feedback"})
    unknown = run_cli("audit", str(site), "--render", "static", "--disable-plugin", "socail")
    assert unknown.returncode == ExitCode.USAGE_ERROR
    [line] = unknown.stderr.strip().splitlines()
    assert "no plugin named 'socail'" in line and "contact" in line


TRACE_LINE = re.compile(r"^\[cxprobe trace\] (cxprobe_\w+): plugin '([^']+)', (\d+\.\d\d) ms(, .*)?$")


def test_cxprobe_trace_writes_one_line_per_hook_call_on_stderr_only(tmp_path: Path, run_cli) -> None:
    site = make_site(tmp_path)
    write(tmp_path / "checks.py", CHECKS)
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", "--plugin", "checks.py",
                env={"CXPROBE_TRACE": "1", "MARKER_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)  # stdout is the report alone
    assert probe_of(report, "contact.local_titles")["status"] == "passed"
    trace = [line for line in r.stderr.splitlines() if line.startswith("[cxprobe trace] ")]
    calls = [m.groups() for m in map(TRACE_LINE.match, trace) if m]
    # one line per implementation called: the hook, the plugin, the time it took
    assert ("cxprobe_add_probes", "checks.py") in {(hook, plugin) for hook, plugin, _ms, _more in calls}
    assert ("cxprobe_add_probes", "cxprobe:contact") in {(hook, plugin) for hook, plugin, _ms, _more in calls}
    # and one line per hook call, including the hooks no installed plugin implements
    summaries = {line.split()[2].rstrip(":") for line in trace if ": called, " in line}
    assert {"cxprobe_add_options", "cxprobe_add_probes", "cxprobe_configure", "cxprobe_report_ready"} <= summaries
    assert any(line.startswith("[cxprobe trace] load: local plugin 'checks.py'") for line in trace)
    assert any(line.startswith("[cxprobe trace] probe contact.local_titles: plugin 'checks.py', ") for line in trace)
    off = run_cli("audit", str(site), "--render", "static", "--format", "json", "--quiet", env={"CXPROBE_TRACE": "0"})
    assert off.returncode == 0 and off.stderr == ""


def test_early_options_are_read_like_click_reads_them() -> None:
    found = early_options(["audit", "site", "--plugin", "a.py", "--plugin=b.py", "--disable-plugin", "social",
                           "--config=c.toml", "--plugin-timeout", "2", "--", "--plugin", "not-an-option"])
    assert found == {"--plugin": ["a.py", "b.py"], "--disable-plugin": ["social"], "--config": ["c.toml"],
                     "--plugin-timeout": ["2"]}
