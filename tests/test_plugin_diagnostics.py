"""A broken plugin is one clear line naming it (its distribution, or its local file) and
what to do; the run goes on, incomplete, so ``--fail-under`` fails (exit 1); with
``--strict-plugins`` the same problem is exit 4.

Each case is a real plugin — installed as a distribution (``make_dist``, what pip leaves
behind) or given as a local file with ``--plugin`` — and a real ``cxprobe audit`` run.
The hanging cases run with ``--plugin-timeout 1``: the plugin is cut off and named.
"""

from __future__ import annotations

import json
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import cxprobe
from cxprobe import PLUGIN_API
from cxprobe._registry import api_versions
from cxprobe.errors import ExitCode
from tests.test_plugins import make_dist

SITE = ('<!doctype html><html lang="en"><head><title>Acme</title></head><body><h1>Acme bikes</h1>'
        '<a href="mailto:hi@acme.test">hi@acme.test</a></body></html>')

PROBE = textwrap.dedent('''
    class Bad(Probe):
        id = "contact.bad"
        touchpoint = "contact"
        title = "t"
        failure_title = "f"
        description = "d"

        def check(self, ctx):
            {body}
''')


@dataclass
class Case:
    """A broken plugin: its source, how it is installed, and what its one line must say."""

    id: str
    source: str
    #: "dist": an installed distribution cxprobe-bad 1.0 (entry point "bad"); "local": --plugin bad.py
    how: str
    says: tuple[str, ...]
    #: The problem shows only once the run is under way: --strict-plugins writes the report, then exits 4.
    late: bool = False
    #: Probe ids that must still be in the report (built-ins run after a plugin that hung).
    still_there: tuple[str, ...] = field(default_factory=tuple)


HEAD = "import time\nfrom cxprobe import Probe, hookimpl, outcome\n"

CASES = [
    Case("import-error", 'raise ImportError("cxprobe-bad needs libfoo")\n', "dist",
         ("plugin 'bad' from cxprobe-bad 1.0 could not be loaded and is skipped: ImportError: cxprobe-bad needs libfoo",
          "reinstall or upgrade cxprobe-bad (pip install -U cxprobe-bad), or --disable-plugin bad leaves it out")),
    Case("syntax-error", "def broken(:\n    pass\n", "local",
         ("local plugin 'bad.py' could not be loaded and is skipped: SyntaxError:", "(bad.py, line 1)",
          "fix {dir}/bad.py, or run without it")),
    Case("hook-arguments", HEAD + "@hookimpl\ndef cxprobe_add_probes(register, site):\n    pass\n", "dist",
         ("plugin 'bad' from cxprobe-bad 1.0 could not be loaded and is skipped: its cxprobe_add_probes(register, site) "
          "asks for 'site', which the hook does not pass (it passes: register)",
          "a bug in cxprobe-bad 1.0: upgrade it or report it to its authors; --disable-plugin bad leaves it out")),
    Case("unknown-hook", HEAD + "@hookimpl\ndef cxprobe_add_probe(register):\n    pass\n", "local",
         ("local plugin 'bad.py' could not be loaded and is skipped: it implements cxprobe_add_probe, which is not a "
          "cxprobe hook (did you mean cxprobe_add_probes?)", "fix {dir}/bad.py")),
    Case("not-marked", HEAD + "def cxprobe_add_probes(register):\n    pass\n", "local",
         ("its cxprobe_add_probes() is not marked with @cxprobe.hookimpl, so it would never be called",)),
    Case("probe-raises", HEAD + PROBE.format(body='raise RuntimeError("kaboom")')
         + "@hookimpl\ndef cxprobe_add_probes(register):\n    register(Bad())\n", "dist",
         ("probe contact.bad could not run, so touchpoint contact is not scored: plugin 'cxprobe-bad:bad' raised "
          "RuntimeError: kaboom at cxprobe_bad.py:", "a bug in cxprobe-bad 1.0",
          "--skip contact.bad leaves the probe out"), late=True),
    Case("duplicate-id", HEAD + PROBE.format(body="return outcome(1.0)").replace("contact.bad", "contact.page")
         + "@hookimpl\ndef cxprobe_add_probes(register):\n    register(Bad())\n", "local",
         ("plugin 'bad.py' registered probe 'contact.page', already registered by 'cxprobe:contact', so this one is "
          "left out: give it an id of its own", "fix {dir}/bad.py")),
    Case("api-newer", HEAD + f"CXPROBE_PLUGIN_API = {PLUGIN_API + 1}\n", "dist",
         (f"it is written for cxprobe plugin API {PLUGIN_API + 1}, and cxprobe {cxprobe.__version__} has plugin API "
          f"{PLUGIN_API}", "upgrade cxprobe (pip install -U cxprobe), or install a release of cxprobe-bad for plugin "
          f"API {PLUGIN_API}")),
    Case("api-older", HEAD + f"CXPROBE_PLUGIN_API = range(0, {PLUGIN_API})\n", "dist",
         (f"written for cxprobe plugin API 0{'' if PLUGIN_API == 1 else f' to {PLUGIN_API - 1}'}",
          f"upgrade cxprobe-bad to a release for plugin API {PLUGIN_API}")),
    Case("import-hangs", "import time\ntime.sleep(60)\n", "local",
         ("local plugin 'bad.py' could not be loaded and is skipped: importing it did not finish within 1 s, so it was "
          "cut off",)),
    Case("registration-hangs", HEAD + "@hookimpl(tryfirst=True)\ndef cxprobe_add_probes(register):\n"
         "    time.sleep(60)\n", "local",
         ("plugin 'bad.py' did not finish within 1 s in cxprobe_add_probes: it was cut off", "fix {dir}/bad.py"),
         still_there=("contact.page", "social.profiles")),
    Case("probe-hangs", HEAD + PROBE.format(body="time.sleep(60)")
         + "@hookimpl\ndef cxprobe_add_probes(register):\n    register(Bad())\n", "local",
         ("probe contact.bad could not run, so touchpoint contact is not scored: plugin 'bad.py': probe contact.bad did "
          "not finish within 1 s; it was cut off",), late=True),
    Case("configure-hangs", HEAD + "@hookimpl\ndef cxprobe_configure(config):\n    time.sleep(60)\n", "dist",
         ("plugin 'cxprobe-bad:bad' did not finish within 1 s in cxprobe_configure: it was cut off",
          "a bug in cxprobe-bad 1.0"), late=True),
    Case("report-ready-hangs", HEAD + "@hookimpl\ndef cxprobe_report_ready(report):\n    time.sleep(60)\n", "local",
         ("plugin 'bad.py' did not finish within 1 s in cxprobe_report_ready: it was cut off",), late=True),
]


def install(case: Case, root: Path) -> tuple[Path, list[str], dict[str, str]]:
    """The site, the extra arguments and the environment a run with this broken plugin needs."""
    site = root / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text(SITE, encoding="utf-8")
    if case.how == "dist":
        libs = make_dist(root / "libs", "cxprobe-bad", "1.0", {"bad": "cxprobe_bad"}, {"cxprobe_bad": case.source})
        return site, [], {"PYTHONPATH": str(libs)}
    (root / "bad.py").write_text(textwrap.dedent(case.source), encoding="utf-8")
    return site, ["--plugin", "bad.py"], {}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_broken_plugin_is_one_line_and_the_run_goes_on_incomplete(case: Case, tmp_path: Path, run_cli) -> None:
    site, args, env = install(case, tmp_path)
    out = tmp_path / "report.json"
    started = time.monotonic()
    r = run_cli("audit", str(site), "--render", "static", "--format", "json", "-o", str(out), "--quiet",
                "--plugin-timeout", "1", "--fail-under", "0", *args, env=env)
    assert time.monotonic() - started < 30, "a hanging plugin is cut at its time budget"
    assert r.returncode == ExitCode.ASSERTION_FAILED, r.stderr
    assert "Traceback" not in r.stderr
    warnings = [line for line in r.stderr.splitlines() if line.startswith("cxprobe: warning: ")]
    assert len(warnings) == 1, r.stderr
    for said in case.says:
        assert said.format(dir=tmp_path) in warnings[0], warnings[0]
    # the run went on: the report is written, and says it is incomplete
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["cohesion"]["complete"] is False and report["cohesion"]["score"] is not None
    assert warnings[0].removeprefix("cxprobe: warning: ") in report["notes"] or case.id == "report-ready-hangs"
    gate = [line for line in r.stderr.splitlines() if line.startswith("cxprobe: gate failed: complete: ")]
    assert len(gate) == 1 and "incomplete" in gate[0]
    probes = {p["id"] for tp in report["touchpoints"].values() for p in tp["probes"]}
    assert set(case.still_there) <= probes

    out.unlink()
    strict = run_cli("audit", str(site), "--render", "static", "--format", "json", "-o", str(out), "--quiet",
                     "--plugin-timeout", "1", "--strict-plugins", *args, env=env)
    assert strict.returncode == ExitCode.INTERNAL_ERROR, strict.stderr
    lines = strict.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0] == warnings[0], strict.stderr
    assert lines[1].startswith("cxprobe: error: --strict-plugins: 1 plugin problem (above); ")
    # found at start-up: nothing is crawled; found during the run: the report is still written
    assert out.exists() is case.late, lines[1]


def test_plugin_api_declarations() -> None:
    assert isinstance(PLUGIN_API, int) and not isinstance(PLUGIN_API, bool)
    assert api_versions(1) == {1} and api_versions("1") == {1}
    assert api_versions(range(1, 3)) == {1, 2} and api_versions((1, 3)) == {1, 3}
    for nonsense in (True, "one", 1.0, range(0), [], ["1"], None):
        assert api_versions(nonsense) is None, nonsense


def test_a_plugin_declaring_this_api_or_a_range_with_it_loads(tmp_path: Path, run_cli) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(SITE, encoding="utf-8")
    for n, declared in enumerate((str(PLUGIN_API), f"range({PLUGIN_API}, {PLUGIN_API + 3})")):
        (tmp_path / f"ok{n}.py").write_text(f"CXPROBE_PLUGIN_API = {declared}\n", encoding="utf-8")
    r = run_cli("plugins", "--json", "--plugin", "ok0.py", "--plugin", "ok1.py")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert rows["ok0.py"]["error"] is None and rows["ok1.py"]["error"] is None
