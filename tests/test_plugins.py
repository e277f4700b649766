"""Plugins: loading rules, isolation of a bad plugin, every hook exercised, observability.

Third-party plugins here are real installed distributions, made without pip: a
``<name>-<version>.dist-info`` folder (METADATA + entry_points.txt) and a module, on
PYTHONPATH for the ``cxprobe`` subprocess, exactly what ``pip install`` leaves behind.
"""

from __future__ import annotations

import inspect
import json
import re
import textwrap
from collections.abc import Callable
from importlib.metadata import distributions
from pathlib import Path

import pytest

import cxprobe
from cxprobe import Outcome, Probe, Touchpoint, hookimpl, hookspecs
from cxprobe._registry import PluginManager, get_plugin_manager
from cxprobe.errors import ExitCode, InternalError

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("cxprobe_"))

SITE = {
    "index.html": '<!doctype html><html lang="en"><head><title>Acme</title></head><body><h1>Acme bikes</h1>'
                  '<a href="contact.html">Contact</a></body></html>',
    "contact.html": '<!doctype html><html lang="en"><head><title>Contact</title></head><body><h1>Contact</h1>'
                    '<a href="mailto:hi@acme.test">hi@acme.test</a></body></html>',
}


def make_site(root: Path) -> Path:
    site = root / "site"
    site.mkdir(parents=True)
    for name, text in SITE.items():
        (site / name).write_text(text, encoding="utf-8")
    return site


def make_dist(where: Path, dist: str, version: str, entry_points: dict[str, str], modules: dict[str, str]) -> Path:
    """Install a distribution into ``where`` the way pip would leave it: dist-info plus modules."""
    where.mkdir(parents=True, exist_ok=True)
    # pip escapes "-" in the folder name; importlib.metadata reads the name from it
    info = where / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    eps = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[cxprobe]\n{eps}", encoding="utf-8")
    for module, source in modules.items():
        (where / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return where


# --------------------------------------------------------------------------- a plugin using every hook

RECORDER = '''
    """A third-party plugin that implements every hook and writes down each call."""
    import json
    import os

    from cxprobe import Extractor, Gatherer, Probe, Reporter, Touchpoint, hookimpl, outcome

    def log(hook, detail=None):
        with open(os.environ["RECORDER_LOG"], "a", encoding="utf-8") as f:
            f.write(json.dumps([hook, detail]) + "\\n")

    @hookimpl
    def cxprobe_add_options(add_option):
        log("cxprobe_add_options")
        add_option("--recorder-level", type=int, default=1, help="How loud the recorder is.")

    @hookimpl
    def cxprobe_configure(config):
        log("cxprobe_configure", config.plugin_options.get("recorder_level"))

    @hookimpl
    def cxprobe_add_touchpoints(register):
        log("cxprobe_add_touchpoints")
        register(Touchpoint(id="recorder", title="Recorder", question="Did every hook run?", weight=1))

    class Words(Extractor):
        name = "recorder"
        description = "the words of each page"

        def extract(self, doc):
            return {"words": doc.facts.word_count}

    @hookimpl
    def cxprobe_add_extractors(register):
        log("cxprobe_add_extractors")
        register(Words())

    class PageCounter(Gatherer):
        artifact = "page_count"
        requires = ("site",)

        def gather(self, session):
            n = len(session.artifacts["site"].ok_pages)
            log("gather", n)
            return n

    @hookimpl
    def cxprobe_add_gatherers(register):
        log("cxprobe_add_gatherers")
        register(PageCounter())

    class PagesSeen(Probe):
        id = "recorder.pages"
        touchpoint = "recorder"
        title = "The recorder sees the pages"
        failure_title = "The recorder sees no pages"
        description = "Counts the pages it was given."

        def check(self, ctx):
            # The extractor's fact reaches the probe (a missing one would make this an error).
            words = [f.fact("recorder")["words"] for f in ctx.facts()]
            return outcome(1.0 if ctx.pages and all(w > 0 for w in words) else 0.0, facts={"pages_seen": len(ctx.pages)})

    @hookimpl
    def cxprobe_add_probes(register):
        log("cxprobe_add_probes")
        register(PagesSeen())

    class Summary(Reporter):
        name = "recorder"
        extension = ".txt"
        description = "one line"

        def render(self, report, config):
            return f"cohesion={report['cohesion']['score']} level={config.plugin_options['recorder_level']}\\n"

    @hookimpl
    def cxprobe_add_reporters(register):
        log("cxprobe_add_reporters")
        register(Summary())

    @hookimpl
    def cxprobe_report_ready(report):
        log("cxprobe_report_ready", report["touchpoints"]["recorder"]["score"])
'''


@pytest.fixture(scope="module")
def recorder_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One audit with the recorder plugin installed; what it logged and wrote."""
    import os
    import subprocess
    import sys

    tmp = tmp_path_factory.mktemp("recorder")
    libs = make_dist(tmp / "libs", "cxprobe-recorder", "1.2.3", {"recorder": "cxprobe_recorder"},
                     {"cxprobe_recorder": RECORDER})
    site = make_site(tmp)
    log = tmp / "calls.jsonl"
    env = {**os.environ, "PYTHONPATH": str(libs), "RECORDER_LOG": str(log)}
    env.pop("CXPROBE_DEBUG", None)
    r = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(site), "--render", "static",
                        "--recorder-level", "3", "--format", "recorder", "--format", "json", "--output", str(tmp / "out")],
                       cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return {"proc": r, "calls": calls, "out": tmp / "out", "libs": libs}


def test_a_plugin_using_every_hook_runs_end_to_end(recorder_run: dict) -> None:
    r = recorder_run["proc"]
    assert r.returncode == 0, r.stderr
    # No warning of cxprobe's (the terminal summary on stderr lists the site's own findings).
    assert "cxprobe: warning" not in r.stderr and "note:" not in r.stderr
    calls = dict((hook, detail) for hook, detail in recorder_run["calls"])
    assert calls["cxprobe_configure"] == 3  # the option it added reached the config
    assert calls["gather"] == 2
    assert calls["cxprobe_report_ready"] == 100.0
    out: Path = recorder_run["out"]
    assert (out / "report.txt").read_text().startswith("cohesion=") and "level=3" in (out / "report.txt").read_text()
    report = json.loads((out / "report.json").read_text())
    tp = report["touchpoints"]["recorder"]
    assert tp["score"] == 100.0 and tp["facts"] == {"pages_seen": 2}
    assert tp["probes"][0]["plugin"] == "cxprobe-recorder:recorder"
    info = next(p for p in report["plugins"] if p["dist"] == "cxprobe-recorder")
    assert info["version"] == "1.2.3" and info["builtin"] is False and info["hooks"] == HOOKS


def test_every_hookspec_is_documented_and_exercised(recorder_run: dict) -> None:
    assert HOOKS == ["cxprobe_add_extractors", "cxprobe_add_gatherers", "cxprobe_add_options", "cxprobe_add_probes", "cxprobe_add_reporters",
                     "cxprobe_add_touchpoints", "cxprobe_configure", "cxprobe_report_ready"]
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    called = {hook for hook, _ in recorder_run["calls"]}
    for name in HOOKS:
        spec = getattr(hookspecs, name)
        doc = inspect.getdoc(spec) or ""
        assert len(doc) > 40, f"{name} has no docstring"
        for param in inspect.signature(spec).parameters:
            assert f":param {param}:" in doc, f"{name} does not document {param}"
        # the plugin guide shows the exact signature from hookspecs.py
        signature = f"def {name}{inspect.signature(spec)}".replace("'", "")
        assert signature in docs, f"docs/plugins.md lacks `{signature}`"
        # and the recorder plugin above exercised it in a real run
        assert name in called, f"{name} was never called"


# --------------------------------------------------------------------------- a bad plugin never sinks the run

RAISER = '''
    from cxprobe import Probe, hookimpl

    class Explodes(Probe):
        id = "contact.explodes"
        touchpoint = "contact"
        title = "Never passes"
        failure_title = "Always raises"
        description = "A probe with a bug."

        def check(self, ctx):
            raise RuntimeError("kaboom in the probe")

    @hookimpl
    def cxprobe_add_probes(register):
        register(Explodes())

    @hookimpl
    def cxprobe_report_ready(report):
        raise ValueError("cannot post the report")
'''


def test_broken_third_party_plugins(tmp_path: Path, run_cli) -> None:
    libs = make_dist(tmp_path / "libs", "raiseplug", "0.3", {"raiser": "raiseplug_probes"}, {"raiseplug_probes": RAISER})
    make_dist(libs, "brokenplug", "0.1", {"broken": "brokenplug_mod"},
              {"brokenplug_mod": 'raise ImportError("brokenplug needs libfoo")\n'})
    site = make_site(tmp_path)
    out = tmp_path / "r.json"
    r = run_cli("audit", str(site), "--render", "static", "--fail-under", "0", "--format", "json", "--output", str(out),
                env={"PYTHONPATH": str(libs)})
    # the run completes, but an incomplete run never passes a gate
    assert r.returncode == ExitCode.ASSERTION_FAILED, r.stderr
    assert "Traceback" not in r.stderr
    assert "incomplete" in r.stderr
    # a plugin that cannot be imported: one warning line naming its distribution (and the
    # gate's line says it is why the run is incomplete)
    broken_lines = [line for line in r.stderr.splitlines() if "brokenplug" in line and line.startswith("cxprobe: ")
                    and "gate failed" not in line]
    assert len(broken_lines) == 1
    assert broken_lines[0].startswith("cxprobe: warning: ") and "brokenplug 0.1" in broken_lines[0]
    assert "libfoo" in broken_lines[0]
    # a plugin that fails after the report is built: one warning line naming it (the gate's
    # line gives it as a reason the run is incomplete)
    assert len([line for line in r.stderr.splitlines() if "cannot post the report" in line
                and line.startswith("cxprobe: warning: ")]) == 1

    report = json.loads(out.read_text())
    contact = report["touchpoints"]["contact"]
    assert contact["score"] is None and contact["status"] == "unscored"
    probe = next(p for p in contact["probes"] if p["id"] == "contact.explodes")
    assert probe["status"] == "error" and probe["plugin"] == "raiseplug:raiser"
    assert "kaboom in the probe" in probe["reason"] and "raiseplug" in probe["reason"]
    assert report["cohesion"]["complete"] is False
    # pricing may be unscored too: the little site sells nothing, so no pricing probe applies
    assert "contact" in report["cohesion"]["unscored"] and report["cohesion"]["errored"] == ["contact"]
    assert report["cohesion"]["score"] is not None
    error_finding = next(f for f in report["findings"] if f["probe"] == "contact.explodes")
    assert error_finding["severity"] == "error" and "raiseplug" in error_finding["message"]
    # the other probes of the touchpoint still ran
    assert any(p["status"] in ("passed", "failed") for p in contact["probes"] if p["id"] != "contact.explodes")
    assert next(p for p in report["plugins"] if p["dist"] == "brokenplug")["error"].startswith("ImportError")


def test_a_plugin_that_cannot_be_loaded_makes_the_run_incomplete(tmp_path: Path, run_cli) -> None:
    # Nothing else goes wrong: the plugin that failed to load is the only reason, and what
    # it would have measured is missing, so --fail-under 0 fails (it passed before).
    libs = make_dist(tmp_path / "libs", "brokenplug", "0.1", {"broken": "brokenplug_mod"},
                     {"brokenplug_mod": 'raise ImportError("brokenplug needs libfoo")\n'})
    site = make_site(tmp_path)
    out = tmp_path / "r.json"
    r = run_cli("audit", str(site), "--render", "static", "--fail-under", "0", "--format", "json", "--output", str(out),
                env={"PYTHONPATH": str(libs)})
    assert r.returncode == ExitCode.ASSERTION_FAILED, r.stderr
    gate = [line for line in r.stderr.splitlines() if line.startswith("cxprobe: gate failed")]
    assert len(gate) == 1 and "incomplete" in gate[0] and "plugin 'broken' from brokenplug 0.1" in gate[0], r.stderr
    report = json.loads(out.read_text())
    assert report["cohesion"]["complete"] is False and report["cohesion"]["errored"] == []
    assert report["cohesion"]["incomplete_because"] == [
        "plugin 'broken' from brokenplug 0.1 could not be loaded, so what it measures is missing: "
        "ImportError: brokenplug needs libfoo"]
    # the report lists every plugin with its version, the one that failed with its error
    listed = {p["name"]: p for p in report["plugins"]}
    assert listed["broken"]["version"] == "0.1" and listed["broken"]["error"] == "ImportError: brokenplug needs libfoo"
    assert all(p["version"] for p in report["plugins"] if p["builtin"]) and listed["cxprobe.core"]["error"] is None
    # switched off with disable_plugins, it is no longer part of the run: complete again
    (tmp_path / "cxprobe.toml").write_text('disable_plugins = ["broken"]\n', encoding="utf-8")
    r = run_cli("audit", str(site), "--render", "static", "--fail-under", "0", "--format", "json", "--output", str(out),
                env={"PYTHONPATH": str(libs)})
    assert r.returncode == ExitCode.OK, r.stderr
    assert json.loads(out.read_text())["cohesion"]["complete"] is True


def test_a_plugin_whose_probe_is_refused_makes_the_run_incomplete() -> None:
    pm = get_plugin_manager()
    pm.register(_Registers(_NoDescription()), name="acme-extras")
    reg = pm.registry()
    assert len(reg.measure_problems) == 1 and "plugin 'acme-extras' registered probe" in reg.measure_problems[0]


def test_a_broken_builtin_plugin_is_exit_4(tmp_path: Path, run_cli) -> None:
    # A "cxprobe" distribution earlier on the path shadows the real one, as a damaged
    # install would: its built-in plugin cannot be imported.
    libs = make_dist(tmp_path / "libs", "cxprobe", "0.1.0", {"clarity": "cxprobe_plugins_missing.clarity"}, {})
    r = run_cli("probes", env={"PYTHONPATH": str(libs)})
    assert r.returncode == ExitCode.INTERNAL_ERROR, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert lines[0].startswith("cxprobe: error: built-in plugin 'clarity'") and "cannot be loaded" in lines[0]


def test_load_entry_point_rules(tmp_path: Path) -> None:
    libs = make_dist(tmp_path / "a", "cxprobe", "9.9", {"ghost": "no_such_module_for_cxprobe"}, {})
    make_dist(tmp_path / "b", "thirdparty", "1.0", {"ghost": "no_such_module_for_cxprobe"}, {})
    [builtin_ep] = next(iter(distributions(path=[str(libs)]))).entry_points
    [third_ep] = next(iter(distributions(path=[str(tmp_path / "b")]))).entry_points
    pm = PluginManager()
    with pytest.raises(InternalError, match="built-in plugin 'ghost'"):
        pm._load_entry_point(builtin_ep)
    pm._load_entry_point(third_ep)
    assert len(pm.warnings) == 1 and "thirdparty" in pm.warnings[0] and "ModuleNotFoundError" in pm.warnings[0]
    assert pm.infos[-1].error is not None


# --------------------------------------------------------------------------- what the host validates

class _NoDescription(Probe):
    id = "contact.no_description"
    touchpoint = "contact"
    title = "t"
    failure_title = "f"

    def check(self, ctx):  # noqa: ANN001, ANN201
        return Outcome(score=1.0)


class _Duplicate(_NoDescription):
    id = "contact.page"
    description = "Tries to take the id of a built-in probe."


class _UnknownTouchpoint(_NoDescription):
    id = "nowhere.probe"
    touchpoint = "nowhere"
    description = "d"


class _Registers:
    def __init__(self, *objs: object) -> None:
        self.objs = objs

    @hookimpl
    def cxprobe_add_probes(self, register: Callable[[Probe], None]) -> None:
        for o in self.objs:
            register(o)  # type: ignore[arg-type]


def test_invalid_third_party_registrations_are_warnings_naming_the_plugin() -> None:
    pm = get_plugin_manager()
    builtin_owner = pm.owner("probe", "contact.page")
    pm.register(_Registers(_NoDescription(), _Duplicate(), _UnknownTouchpoint(), "not a probe"), name="acme-extras")
    reg = pm.registry()
    assert "contact.no_description" not in reg.probes and "nowhere.probe" not in reg.probes
    assert pm.owner("probe", "contact.page") == builtin_owner == "cxprobe:contact"
    problems = "\n".join(reg.problems)
    assert len(reg.problems) == 4
    assert all("plugin 'acme-extras'" in p for p in reg.problems)
    assert "description is required" in problems
    assert "already registered by 'cxprobe:contact'" in problems
    assert "touchpoint 'nowhere' is not registered" in problems
    assert "is not a cxprobe.Probe" in problems


def test_an_invalid_builtin_registration_is_an_internal_error() -> None:
    pm = get_plugin_manager()
    pm.register(_Registers(_NoDescription()), name="cxprobe:broken")
    with pytest.raises(InternalError, match="plugin 'cxprobe:broken'"):
        pm.registry()


def test_a_touchpoint_registered_twice_is_a_warning() -> None:
    class Twice:
        @hookimpl
        def cxprobe_add_touchpoints(self, register: Callable[[Touchpoint], None]) -> None:
            register(Touchpoint(id="contact", title="Contact again", question="?"))

    pm = get_plugin_manager()
    pm.register(Twice(), name="twice")
    reg = pm.registry()
    assert reg.touchpoints["contact"].title != "Contact again"
    assert any("'twice'" in p and "touchpoint 'contact'" in p for p in reg.problems)


# --------------------------------------------------------------------------- observability

def test_plugins_json_lists_every_builtin_with_its_hooks(run_cli) -> None:
    r = run_cli("plugins", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    builtins = {row["name"]: row for row in rows if row["builtin"]}
    expected = {"cxprobe.core", "clarity", "mobile", "contact", "pricing", "support", "policies", "social",
                "feedback", "journey", "consistency", "integrity"}
    assert expected <= set(builtins)
    for name in expected:
        row = builtins[name]
        assert row["dist"] == "cxprobe" and row["version"] == cxprobe.__version__ and row["error"] is None
        assert row["hooks"] and all(h in HOOKS for h in row["hooks"])
    assert "cxprobe_add_probes" in builtins["contact"]["hooks"]
    assert "contact.page" in builtins["contact"]["registered"]
    assert {"cxprobe_add_gatherers", "cxprobe_add_reporters"} <= set(builtins["cxprobe.core"]["hooks"])
    text = run_cli("plugins")
    assert text.returncode == 0 and "contact (cxprobe" in text.stdout and "hooks: " in text.stdout


def test_probes_lists_every_probe(run_cli) -> None:
    registered = sorted(get_plugin_manager().registry().probes)
    r = run_cli("probes", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["id"] for row in rows] == registered
    assert all(row["plugin"].startswith("cxprobe:") and row["touchpoint"] == row["id"].split(".")[0] for row in rows)
    table = run_cli("probes")
    assert table.returncode == 0
    assert table.stdout.splitlines()[0].split() == ["id", "touchpoint", "weight", "browser", "plugin"]
    assert len(table.stdout.strip().splitlines()) == len(registered) + 1


def test_explain_every_probe(capsys: pytest.CaptureFixture[str]) -> None:
    from cxprobe.cli import main

    probes = get_plugin_manager().registry().probes
    assert len(probes) >= 10
    for pid, probe in sorted(probes.items()):
        with pytest.raises(SystemExit) as exited:
            main(["explain", pid])
        out = capsys.readouterr().out
        assert exited.value.code == 0, pid
        assert out.startswith(f"{pid} — touchpoint {probe.touchpoint}")
        assert probe.description.strip() in out
        assert probe.title in out and probe.failure_title in out


def test_explain_in_a_subprocess_and_an_unknown_id(run_cli) -> None:
    ok = run_cli("explain", "contact.page")
    assert ok.returncode == 0 and ok.stdout.startswith("contact.page — touchpoint contact")
    bad = run_cli("explain", "contact.nope")
    assert bad.returncode == ExitCode.USAGE_ERROR
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cxprobe: error: no probe with id 'contact.nope'")
    assert "contact.agreement" in lines[0]  # suggests probes of the same touchpoint


def test_trace_prints_hook_calls(tmp_path: Path, run_cli) -> None:
    site = make_site(tmp_path)
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", env={"CXPROBE_TRACE": "1"})
    assert r.returncode == 0, r.stderr
    trace = [line for line in r.stderr.splitlines() if line.startswith("[cxprobe trace] ")]
    traced = set(re.findall(r"(cxprobe_\w+)", "\n".join(trace)))
    assert set(HOOKS) <= traced
    assert any("plugin 'cxprobe:contact'" in line for line in trace)
    json.loads(r.stdout)  # tracing goes to stderr only
    quiet = run_cli("plugins")
    assert "[cxprobe trace]" not in quiet.stderr


def test_plugin_option_defaults_do_not_override_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from cxprobe.cli.commands import make_cli

    seen: list[object] = []

    class Levels:
        @hookimpl
        def cxprobe_add_options(self, add_option: Callable[..., None]) -> None:
            add_option("--levels-depth", type=int, default=1, help="test option")

        @hookimpl
        def cxprobe_configure(self, config: object) -> None:
            seen.append(config.plugin_options.get("levels_depth"))  # type: ignore[attr-defined]

    site = make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    for toml, flags, expected in (("", (), 1), ("[plugins]\nlevels_depth = 5\n", (), 5),
                                  ("[plugins]\nlevels_depth = 5\n", ("--levels-depth", "7"), 7)):
        (tmp_path / "cxprobe.toml").write_text(toml)
        pm = get_plugin_manager()
        pm.register(Levels(), name="levels")
        with pytest.raises(SystemExit) as exited:
            make_cli(pm).main(["audit", str(site), "--render", "static", "--format", "json", *flags], prog_name="cxprobe")
        assert exited.value.code == 0
        assert seen[-1] == expected, (toml, flags)
    capsys.readouterr()


def test_hook_wrappers_and_ordering_work_because_hooks_go_through_pluggy() -> None:
    """A wrapper=True implementation sees the call before and after the others, and tryfirst
    puts an implementation first; a failing implementation is still named by its plugin."""
    seen: list[str] = []

    class Wrapping:
        @hookimpl(wrapper=True)
        def cxprobe_add_touchpoints(self, register: Callable[[Touchpoint], None]) -> object:
            seen.append("wrapper: before")
            result = yield
            seen.append("wrapper: after")
            return result

        @hookimpl(wrapper=True)
        def cxprobe_report_ready(self, report: dict[str, object]) -> object:
            seen.append("report wrapper: before")
            result = yield
            seen.append("report wrapper: after")
            return result

    class First:
        @hookimpl(tryfirst=True)
        def cxprobe_add_touchpoints(self, register: Callable[[Touchpoint], None]) -> None:
            seen.append("first")
            register(Touchpoint(id="first", title="First", question="?"))

    class Failing:
        @hookimpl
        def cxprobe_report_ready(self, report: dict[str, object]) -> None:
            seen.append("failing")
            raise RuntimeError("boom")

    pm = get_plugin_manager()
    pm.register(Wrapping(), name="wrapping")
    pm.register(First(), name="first")
    pm.register(Failing(), name="failing")
    reg = pm.registry()
    assert "first" in reg.touchpoints and reg.owners["touchpoint:first"] == "first"
    assert seen[:2] == ["wrapper: before", "first"] and seen[-1] == "wrapper: after"
    problems = pm.report_ready({"touchpoints": {}})
    assert seen[-3:] == ["report wrapper: before", "failing", "report wrapper: after"]
    assert problems == ["plugin 'failing' failed in cxprobe_report_ready: RuntimeError: boom"]
