"""Hostile content in the output, bad numbers and output paths, and plugins that hang or
return what cannot become a report: each is one clear line, the right exit code, and a
report that is either whole or not replaced.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.test_plugins import make_dist

from .conftest import HostileServer

Cli = Callable[..., CompletedProcess[str]]

HOSTILE_TITLE = "Acme [/] [bold red]x[/] [link=https://evil.test]click[/link] \x1b]0;owned\x07 \x1b]8;;https://evil.test\x07h\x9b31m"


def _hostile_site(hostile: HostileServer) -> None:
    hostile.page("/", f"""<!doctype html><html lang="en"><head><title>{HOSTILE_TITLE}</title></head>
<body><h1>{HOSTILE_TITLE}</h1><p>Call <a href="#">[contact]</a></p>
<a href="/about.html">About [/]</a></body></html>""")
    hostile.page("/about.html", '<html lang="en"><head><title>About</title></head><body><h1>About</h1></body></html>')


@pytest.mark.parametrize("color", ["--no-color", "--color"])
def test_site_text_is_printed_as_text_never_as_markup_or_terminal_control(
        hostile: HostileServer, run_cli: Cli, color: str) -> None:
    _hostile_site(hostile)
    r = run_cli("audit", hostile.url("/"), "--render", "static", color, timeout=60)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "MarkupError" not in r.stderr and "Traceback" not in r.stderr
    for forbidden in ("\x1b]", "\x07", "\x9b", "\x85"):
        assert forbidden not in out and forbidden not in r.stderr, repr(forbidden)
    if color == "--no-color":
        assert "\x1b" not in out
        # The markup is shown literally, as the site wrote it.
        assert "[link=https://evil.test]click[/link]" in out or "[/]" in out


def test_control_characters_never_reach_the_json(hostile: HostileServer, run_cli: Cli, tmp_path: Path) -> None:
    _hostile_site(hostile)
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert not any(c in text for c in "\x07\x1b\x85\x9b")
    report = json.loads(text)
    assert report["pages"][0]["title"].startswith("Acme [/]")


@pytest.mark.parametrize("args", [
    ("--timeout", "nan"), ("--deadline", "inf"), ("--plugin-timeout", "nan"), ("--fail-under", "nan"),
])
def test_non_finite_numbers_on_the_command_line_are_usage_errors(run_cli: Cli, args: tuple[str, str]) -> None:
    r = run_cli("audit", "http://127.0.0.1:9/", "--render", "static", *args)
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "must be a finite number" in r.stderr


@pytest.mark.parametrize("toml", ["weights = { clarity = 1e309 }", "timeout = nan", "deadline = inf",
                                  "fail_under = nan"])
def test_non_finite_numbers_in_config_are_config_errors(tmp_path: Path, run_cli: Cli, toml: str) -> None:
    (tmp_path / "cxprobe.toml").write_text(toml + "\n")
    r = run_cli("audit", "http://127.0.0.1:9/", "--render", "static", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "finite" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [b"\x00\xff\xfe binary \x89PNG\r\n", "render = 'static'\n".encode("utf-16")])
def test_a_config_file_that_is_not_utf8_text_is_a_config_error(tmp_path: Path, run_cli: Cli, content: bytes) -> None:
    (tmp_path / "cxprobe.toml").write_bytes(content)
    r = run_cli("audit", "http://127.0.0.1:9/", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "not valid TOML" in r.stderr and "Traceback" not in r.stderr


def test_an_output_path_under_a_file_is_refused_before_the_crawl(hostile: HostileServer, run_cli: Cli,
                                                                  tmp_path: Path) -> None:
    _hostile_site(hostile)
    (tmp_path / "afile").write_text("x")
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(tmp_path / "afile" / "r.json"))
    assert r.returncode == 2, r.stderr
    assert "is a file, not a folder" in r.stderr
    assert hostile.paths() == [], "nothing is crawled when the report cannot be written"
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "--format", "terminal",
                "-o", str(tmp_path / "afile"))
    assert r.returncode == 2 and "several formats need a folder" in r.stderr


def test_a_full_disk_is_a_one_line_error_exit_2(hostile: HostileServer, run_cli: Cli) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    _hostile_site(hostile)
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", "/dev/full")
    assert r.returncode == 2, r.stderr
    assert "cannot write the report to /dev/full" in r.stderr and "Traceback" not in r.stderr


def test_stdout_dash_writes_the_report_to_standard_output(hostile: HostileServer, run_cli: Cli, tmp_path: Path) -> None:
    _hostile_site(hostile)
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", "-")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["schema_version"] == "1"
    assert not (tmp_path / "-").exists()


def test_a_run_that_cannot_measure_keeps_the_earlier_report(hostile: HostileServer, run_cli: Cli,
                                                           tmp_path: Path) -> None:
    _hostile_site(hostile)
    out = tmp_path / "r.json"
    assert run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(out)).returncode == 0
    good = out.read_text(encoding="utf-8")
    hostile.page("/", "gone", status=500)
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(out))
    assert r.returncode == 3
    assert out.read_text(encoding="utf-8") == good
    assert f"kept the earlier report at {out}" in r.stderr
    fresh = tmp_path / "fresh.json"
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(fresh))
    assert r.returncode == 3 and json.loads(fresh.read_text())["error"]
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


# --------------------------------------------------------------------------- plugins

BAD_PLUGIN = '''
    import time
    from cxprobe import Probe, Reporter, Touchpoint, hookimpl, outcome

    MODE = {mode!r}

    class Slow(Probe):
        id = "bad.probe"
        touchpoint = "contact"
        title = "t"
        failure_title = "f"
        description = "d"

        def check(self, ctx):
            if MODE == "sleep-probe":
                time.sleep(30)
            if MODE == "cyclic-facts":
                facts = {{}}
                facts["me"] = facts
                return outcome(1.0, (), facts)
            if MODE == "object-facts":
                return outcome(1.0, (), {{"when": object()}})
            if MODE == "nan-facts":
                return outcome(1.0, (), {{"x": float("nan")}})
            if MODE == "bad-issue":
                return outcome(0.5, ["not an issue"])
            return outcome(1.0)

    class Broken(Reporter):
        name = "broken"
        extension = ".txt"

        def render(self, report, config):
            raise RuntimeError("cannot render")

    @hookimpl
    def cxprobe_add_probes(register):
        register(Slow())

    @hookimpl
    def cxprobe_add_reporters(register):
        register(Broken())

    @hookimpl
    def cxprobe_configure(config):
        if MODE == "sleep-configure":
            time.sleep(30)

    @hookimpl
    def cxprobe_report_ready(report):
        if MODE == "sleep-report":
            time.sleep(30)
        if MODE == "raise-report":
            raise ValueError("no")
'''


def _install(tmp_path: Path, mode: str) -> dict[str, str]:
    libs = make_dist(tmp_path / "libs", "cxprobe-bad", "1.0", {"bad": "cxprobe_bad"},
                     {"cxprobe_bad": BAD_PLUGIN.format(mode=mode)})
    return {"PYTHONPATH": str(libs)}


@pytest.mark.parametrize(("mode", "reason"), [
    ("sleep-probe", "probe bad.probe did not finish within 2 s"),
    ("cyclic-facts", "facts cannot become JSON"),
    ("object-facts", "facts cannot become JSON"),
    ("nan-facts", "facts cannot become JSON"),
    ("bad-issue", "not cxprobe.Issue"),
])
def test_a_probe_that_hangs_or_returns_what_is_no_report_is_an_error_naming_its_plugin(
        hostile: HostileServer, run_cli: Cli, tmp_path: Path, mode: str, reason: str) -> None:
    _hostile_site(hostile)
    started = time.monotonic()
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(tmp_path / "r.json"),
                "--plugin-timeout", "2", env=_install(tmp_path, mode))
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - started < 25
    report = json.loads((tmp_path / "r.json").read_text())
    [probe] = [p for p in report["touchpoints"]["contact"]["probes"] if p["id"] == "bad.probe"]
    assert probe["status"] == "error" and reason in probe["reason"] and "cxprobe-bad:bad" in probe["reason"]
    assert report["cohesion"]["complete"] is False and report["touchpoints"]["contact"]["score"] is None
    gated = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(tmp_path / "g.json"),
                    "--plugin-timeout", "2", "--fail-under", "1", env=_install(tmp_path / "again", mode))
    assert gated.returncode == 1, "an incomplete run never passes a gate"


@pytest.mark.parametrize(("mode", "hook", "said"), [
    ("sleep-configure", "cxprobe_configure", "did not finish within 2 s"),
    ("sleep-report", "cxprobe_report_ready", "did not finish within 2 s"),
    ("raise-report", "cxprobe_report_ready", "ValueError: no"),
])
def test_a_hook_implementation_that_hangs_or_raises_is_named_and_the_run_is_incomplete(
        hostile: HostileServer, run_cli: Cli, tmp_path: Path, mode: str, hook: str, said: str) -> None:
    _hostile_site(hostile)
    started = time.monotonic()
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "json", "-o", str(tmp_path / "r.json"),
                "--plugin-timeout", "2", "--fail-under", "1", env=_install(tmp_path, mode))
    assert time.monotonic() - started < 25
    assert r.returncode == 1, r.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    reasons = report["cohesion"]["incomplete_because"]
    assert report["cohesion"]["complete"] is False
    assert any("cxprobe-bad:bad" in x and hook in x and said in x for x in reasons), reasons
    assert "Traceback" not in r.stderr


def test_a_reporter_that_raises_is_named_and_the_other_formats_are_written(
        hostile: HostileServer, run_cli: Cli, tmp_path: Path) -> None:
    _hostile_site(hostile)
    out = tmp_path / "out"
    r = run_cli("audit", hostile.url("/"), "--render", "static", "--format", "broken", "--format", "json",
                "-o", str(out), env=_install(tmp_path, "fine"))
    assert r.returncode == 4
    assert "reporter 'broken' of plugin 'cxprobe-bad:bad' failed: RuntimeError: cannot render" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert json.loads((out / "report.json").read_text())["schema_version"] == "1"
