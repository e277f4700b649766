"""Configuration: discovery order, validation, CLI precedence (cxprobe/config.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxprobe.config import AuditConfig, discover, from_table
from cxprobe.errors import ConfigError, ExitCode

SITE = {
    "index.html": '<html lang="en"><title>Acme</title><body><h1>Acme tours</h1>'
                  '<a href="a.html">A</a> <a href="b.html">B</a> <a href="c.html">C</a></body></html>',
    "a.html": "<html><title>A</title><body><p>A</p></body></html>",
    "b.html": "<html><title>B</title><body><p>B</p></body></html>",
    "c.html": "<html><title>C</title><body><p>C</p></body></html>",
}


def write_site(root: Path) -> Path:
    site = root / "site"
    site.mkdir()
    for name, html in SITE.items():
        (site / name).write_text(html, encoding="utf-8")
    return site


# --------------------------------------------------------------------------- discovery

def test_no_config_anywhere(tmp_path: Path) -> None:
    assert discover(None, cwd=tmp_path) == ({}, "")


def test_cxprobe_toml_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "cxprobe.toml").write_text("max_pages = 7\n")
    table, source = discover(None, cwd=tmp_path)
    assert table == {"max_pages": 7}
    assert source == str(tmp_path / "cxprobe.toml")


def test_tool_cxprobe_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.cxprobe]\nprofile = "saas"\n')
    table, source = discover(None, cwd=tmp_path)
    assert table == {"profile": "saas"}
    assert "pyproject.toml" in source and "[tool.cxprobe]" in source


def test_pyproject_without_a_cxprobe_table_is_no_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.other]\nmax_pages = 3\n')
    assert discover(None, cwd=tmp_path) == ({}, "")


def test_discovery_order(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cxprobe]\nmax_pages = 1\n")
    assert discover(None, cwd=tmp_path)[0] == {"max_pages": 1}
    # cxprobe.toml beats pyproject.toml
    (tmp_path / "cxprobe.toml").write_text("max_pages = 2\n")
    assert discover(None, cwd=tmp_path)[0] == {"max_pages": 2}
    # --config beats both
    explicit = tmp_path / "ci.toml"
    explicit.write_text("max_pages = 3\n")
    assert discover(str(explicit), cwd=tmp_path) == ({"max_pages": 3}, str(explicit))
    # --config pointing at a pyproject.toml reads its [tool.cxprobe] table
    other = tmp_path / "sub"
    other.mkdir()
    (other / "pyproject.toml").write_text("[tool.cxprobe]\nmax_pages = 4\n")
    assert discover(str(other / "pyproject.toml"), cwd=tmp_path)[0] == {"max_pages": 4}


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        discover(str(tmp_path / "nope.toml"), cwd=tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("max_pages = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        discover(str(bad), cwd=tmp_path)
    (tmp_path / "cxprobe.toml").write_text("[unclosed\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        discover(None, cwd=tmp_path)


# --------------------------------------------------------------------------- validation

def test_from_table_reads_every_kind_of_value() -> None:
    values = from_table({
        "max_pages": 10, "timeout": 2, "deadline": 30.5, "ignore_robots": True,
        "headers": {"Authorization": "Bearer x"}, "allow_hosts": ["blog.acme.test"],
        "include": ["/docs/*"], "exclude": ["*/print/*"], "format": "json",
        "weights": {"contact": 5, "social": 0}, "plugins": {"my_level": 2}, "profile": "ecommerce",
        "max_bytes": 1000, "extract_budget": 2.5,
    }, "t.toml")
    cfg = AuditConfig(**values)
    assert cfg.max_pages == 10 and cfg.deadline == 30.5 and cfg.ignore_robots is True
    assert cfg.headers == (("Authorization", "Bearer x"),)
    assert cfg.allow_hosts == ("blog.acme.test",) and cfg.include == ("/docs/*",) and cfg.exclude == ("*/print/*",)
    assert cfg.formats == ("json",)
    assert cfg.weights == {"contact": 5.0, "social": 0.0}
    assert cfg.plugin_options == {"my_level": 2}
    assert cfg.profile == "ecommerce" and cfg.max_bytes == 1000 and cfg.extract_budget == 2.5


def test_a_config_file_names_a_browser_only_by_absolute_path() -> None:
    """The browser a config file names is executed: it may only be an absolute path."""
    assert from_table({"browser_path": "/opt/chrome/chrome"}, "t.toml") == {"browser_path": "/opt/chrome/chrome"}
    home = from_table({"browser_path": "~/bin/chrome"}, "t.toml")["browser_path"]
    assert home.startswith("/") and home.endswith("/bin/chrome")


def test_every_core_setting_is_declared_once_and_reaches_the_file_the_cli_and_the_check() -> None:
    """One declaration gives the field, the file key, the option and the check."""
    import dataclasses

    from cxprobe.config import SETTINGS, from_options
    from cxprobe.options import Setting

    fields = {f.name for f in dataclasses.fields(AuditConfig)} - {"target", "source"}
    assert set(SETTINGS) == fields
    for s in SETTINGS.values():
        assert isinstance(s, Setting) and s.help and s.section
        if s.default not in (None, (), {}):  # each default reads back as itself from a file
            default = list(s.default) if isinstance(s.default, tuple) else s.default
            assert from_table({s.key: default}, "t.toml") == {s.name: s.default}
    assert from_options({"max_bytes": "5MB", "max_pages": 3, "allow_host": ("a.test",), "header": ("X-A: 1",)}) == {
        "max_bytes": 5_000_000, "max_pages": 3, "allow_hosts": ("a.test",), "headers": (("X-A", "1"),)}
    assert from_table({"max_bytes": "5 MiB"}, "t.toml") == {"max_bytes": 5 * 1024 * 1024}
    with pytest.raises(ConfigError, match="must be at least 1"):
        from_options({"max_pages": 0})
    with pytest.raises(ConfigError, match="must be a size in bytes"):
        from_options({"max_bytes": "5 parsecs"})


def test_a_plugin_declares_a_setting_once_and_gets_file_key_option_and_check(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from cxprobe import Setting, hookimpl
    from cxprobe._registry import get_plugin_manager
    from cxprobe.cli.commands import config_from, make_cli

    class Levels:
        @hookimpl
        def cxprobe_add_options(self, add_option: object) -> None:
            add_option(Setting(name="levels.depth", kind="int", default=1, help="How deep.",  # type: ignore[operator]
                               option="--levels-depth", minimum=0))

    pm = get_plugin_manager()
    pm.register(Levels(), name="levels")
    monkeypatch.chdir(tmp_path)
    assert config_from(pm, "x", {}).option("levels.depth") == 1
    (tmp_path / "cxprobe.toml").write_text("[levels]\ndepth = 4\n")
    assert config_from(pm, "x", {}).option("levels.depth") == 4
    assert config_from(pm, "x", {"levels_depth": 9}).option("levels.depth") == 9
    (tmp_path / "cxprobe.toml").write_text("[levels]\ndepth = -1\n")
    with pytest.raises(ConfigError, match="depth must be at least 0"):
        config_from(pm, "x", {})
    assert any(o.opts == ["--levels-depth"] for o in make_cli(pm).commands["audit"].params)


def test_a_plugin_setting_is_its_namespace_table_in_the_file() -> None:
    """contact.accept, declared by the contact plugin, is the key accept of [contact]."""
    from cxprobe_plugins._placeholders import ACCEPT

    out = from_table({"contact": {"accept": [" +1 800 555 0100 ", "hello@example.com"]}}, "cxprobe.toml", [ACCEPT])
    assert out == {"plugin_options": {"contact.accept": ("+1 800 555 0100", "hello@example.com")}}
    for table, message in [({"contact": {"acept": ["x"]}}, "unknown key(s) contact.acept"),
                           ({"contact": {"accept": "+1 800 555 0100"}}, "contact.accept has the wrong type"),
                           ({"contact": {"accept": [5550100]}}, "must be a list of strings"),
                           ({"contact": ["x"]}, "contact must be a table")]:
        with pytest.raises(ConfigError, match=re.escape(message)):
            from_table(table, "cxprobe.toml", [ACCEPT])


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"max_page": 3}, "unknown key(s) max_page"),
        ({"max_pages": "ten"}, "max_pages has the wrong type"),
        ({"max_pages": True}, "max_pages must be a number"),
        ({"max_pages": 0}, "max_pages must be at least 1"),
        ({"max_depth": -1}, "max_depth must be at least 0"),
        ({"timeout": 0}, "timeout must be more than 0"),
        ({"extract_budget": 0}, "extract_budget must be more than 0 seconds"),
        ({"extract_budget": float("nan")}, "extract_budget must be a finite number"),
        ({"extract_budget": float("inf")}, "extract_budget must be a finite number"),
        ({"extract_budget": "5s"}, "extract_budget has the wrong type"),
        ({"render": "chrome"}, "render must be one of"),
        ({"profile": "bank"}, "profile must be one of"),
        ({"fail_under": 120}, "fail_under must be between 0 and 100"),
        ({"weights": {"contact": -1}}, "weights.contact must be a finite number >= 0"),
        ({"weights": {"contact": "high"}}, "weights.contact must be a finite number >= 0"),
        ({"browser_path": "./chrome"}, "browser_path must be an absolute path"),
        ({"browser_path": "bin/chrome"}, "browser_path must be an absolute path"),
        ({"browser_path": "chromium"}, "browser_path must be an absolute path"),
    ],
)
def test_bad_values_are_errors_naming_the_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        from_table(table, "cxprobe.toml")
    assert message in str(err.value)
    assert str(err.value).startswith("cxprobe.toml: ")
    assert "\n" not in str(err.value)


# --------------------------------------------------------------------------- end to end

def test_unknown_key_is_a_one_line_error_exit_2(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path)
    (tmp_path / "cxprobe.toml").write_text('max_pages = 2\ncolour = "red"\n')
    r = run_cli("audit", str(site), "--render", "static", cwd=tmp_path)
    assert r.returncode == ExitCode.USAGE_ERROR
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "unknown key(s) colour" in lines[0] and "cxprobe.toml" in lines[0]
    assert "Traceback" not in r.stderr


def test_invalid_config_file_is_exit_2(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("max_pages = [\n")
    r = run_cli("audit", str(site), "--render", "static", "--config", str(bad), cwd=tmp_path)
    assert r.returncode == ExitCode.USAGE_ERROR
    assert len(r.stderr.strip().splitlines()) == 1 and "not valid TOML" in r.stderr
    r = run_cli("audit", str(site), "--render", "static", "--config", str(tmp_path / "missing.toml"), cwd=tmp_path)
    assert r.returncode == ExitCode.USAGE_ERROR
    assert r.stderr.strip() == f"cxprobe: error: config file not found: {tmp_path / 'missing.toml'}"


def test_pyproject_config_is_used_and_flags_override_it(tmp_path: Path, run_cli) -> None:
    site = write_site(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.cxprobe]\nmax_pages = 1\nformat = "json"\nrender = "static"\n')
    r = run_cli("audit", str(site), "--output", "a.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    report = json.loads((tmp_path / "a.json").read_text())
    assert report["crawl"]["pages"] == 1 and report["crawl"]["truncated"] == "max_pages"
    # the flag wins over the file
    r = run_cli("audit", str(site), "--output", "b.json", "--max-pages", "3", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "b.json").read_text())["crawl"]["pages"] == 3


@pytest.mark.parametrize(
    ("config", "flags", "message"),
    [
        ("[weights]\ncontcat = 4\n", (), "weights.contcat: no touchpoint 'contcat'"),
        ("", ("--only", "contact.pgae"), "only 'contact.pgae': no probe or touchpoint"),
        ('skip = ["socail"]\n', (), "skip 'socail': no probe or touchpoint"),
    ],
)
def test_names_that_do_not_exist_are_errors_not_empty_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch, config: str,
                                                          flags: tuple[str, ...], message: str) -> None:
    from cxprobe.cli import main

    site = write_site(tmp_path)
    (tmp_path / "cxprobe.toml").write_text(config)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(site), "--render", "static", "--format", "json", *flags])
    assert exited.value.code == ExitCode.USAGE_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err


def test_known_names_are_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from cxprobe.cli import main

    site = write_site(tmp_path)
    (tmp_path / "cxprobe.toml").write_text('skip = ["social"]\n[weights]\ncontact = 5\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(site), "--render", "static", "--format", "json", "--only", "contact", "--only", "journey.dead_links"])
    assert exited.value.code == 0
    report = json.loads(capsys.readouterr().out)
    ran = {p["id"] for tp in report["touchpoints"].values() for p in tp["probes"]}
    assert ran and all(pid.startswith("contact.") or pid == "journey.dead_links" for pid in ran)
    assert report["touchpoints"]["contact"]["weight"] == 5.0


def test_disable_plugins_switches_a_plugin_off(tmp_path, run_cli) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html lang="en"><head><title>A</title></head><body><h1>A</h1></body></html>')
    (tmp_path / "cxprobe.toml").write_text('disable_plugins = ["social"]\n')
    proc = run_cli("audit", str(site), "--render", "static", "--format", "json", "-o", "r.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    import json

    report = json.loads((tmp_path / "r.json").read_text())
    assert "social" not in report["touchpoints"] and "contact" in report["touchpoints"]
    (tmp_path / "cxprobe.toml").write_text('disable_plugins = ["nosuch"]\n')
    bad = run_cli("audit", str(site), "--render", "static", cwd=tmp_path)
    assert bad.returncode == 2 and "no plugin named 'nosuch'" in bad.stderr and "Traceback" not in bad.stderr
