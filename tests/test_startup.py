"""`cxprobe --help` stays quick: the group's help loads no plugin, and a command's help
loads the plugins (their options are in it) but none of the layers a run needs (issue 11:
lazy imports)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "playwright", "cxprobe.crawl.crawler", "cxprobe.browser.session", "rich.progress")

PROBE = """
import sys
from click.testing import CliRunner
from cxprobe._registry import get_plugin_manager
from cxprobe.cli.commands import make_cli
result = CliRunner().invoke(make_cli(get_plugin_manager()), ["audit", "--help"])
assert result.exit_code == 0, result.output
assert "--contact-accept" in result.output or "--jobs" in result.output
print(" ".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_help_imports_none_of_the_run_layers() -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"--help imported {proc.stdout.strip()}"


TOP_LEVEL = """
import sys
from cxprobe.cli import main
for args in (["--help"], ["--version"]):
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code == 0, exc.code
print("LOADED", " ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("cxprobe_plugins", "bs4", "phonenumbers",
                                                                         "textstat", "httpx", "playwright"))))
"""


def test_top_level_help_and_version_load_no_plugin() -> None:
    # The group's help lists the commands; only a command's own help needs the plugins'
    # options, so `cxprobe --help` and `cxprobe --version` import none of them.
    proc = subprocess.run([sys.executable, "-c", TOP_LEVEL], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Commands:" in proc.stdout and "audit" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "LOADED", proc.stdout.splitlines()[-1]


GROUP_HELP = """
import sys
from cxprobe.cli import main
try:
    main([{arg!r}])
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("LOADED", " ".join(sorted(m for m in {modules!r} if m in sys.modules)))
"""


def test_top_level_help_needs_neither_the_model_nor_the_registry_nor_asyncio() -> None:
    # The model's dataclasses (40 ms to create), the plugin registry (pluggy's hooks and
    # the entry points) and asyncio (40 ms with ssl) were a third of `cxprobe --help`.
    modules = ("asyncio", "cxprobe.model", "cxprobe._registry", "cxprobe.probe", "cxprobe.journeys")
    proc = subprocess.run([sys.executable, "-c", GROUP_HELP.format(arg="--help", modules=modules)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "LOADED", proc.stdout.splitlines()[-1]


def test_version_is_the_installed_one() -> None:
    import cxprobe

    proc = subprocess.run([sys.executable, "-c", GROUP_HELP.format(arg="--version", modules=())],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == f"cxprobe {cxprobe.__version__}"
    assert cxprobe.__version__ and cxprobe.__version__[0].isdigit()


def test_the_public_names_are_there_on_first_use() -> None:
    # cxprobe/__init__.py imports its exports when they are first asked for.
    code = ("import cxprobe, sys; assert 'cxprobe.model' not in sys.modules; "
            "from cxprobe import Probe, Site, to_json; import cxprobe.model as m; assert Site is m.Site; "
            "assert sorted(cxprobe.__all__) == sorted(n for n in cxprobe.__all__ if hasattr(cxprobe, n)); "
            "assert set(cxprobe.__all__) <= set(dir(cxprobe)); print(cxprobe.__version__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    import cxprobe

    try:
        cxprobe.NoSuchName  # type: ignore[attr-defined]  # noqa: B018 - the lookup is the test
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_a_command_loads_the_plugins_and_shows_their_options() -> None:
    from click.testing import CliRunner

    from cxprobe import Setting, hookimpl
    from cxprobe._registry import PluginManager, get_plugin_manager
    from cxprobe.cli.commands import make_cli

    class Levels:
        @hookimpl
        def cxprobe_add_options(self, add_option: object) -> None:
            add_option(Setting(name="levels.depth", kind="int", default=1, help="How deep.",  # type: ignore[operator]
                               option="--levels-depth", minimum=0))

    calls = []

    def load() -> PluginManager:
        calls.append(1)
        pm = get_plugin_manager()
        pm.register(Levels(), name="levels")
        return pm

    cli = make_cli(load)
    assert CliRunner().invoke(cli, ["--help"]).exit_code == 0 and calls == []
    result = CliRunner().invoke(cli, ["audit", "--help"])
    assert result.exit_code == 0 and "--levels-depth" in result.output and "--jobs" in result.output
    assert calls == [1]
    assert CliRunner().invoke(cli, ["probes"]).exit_code == 0 and calls == [1]  # loaded once


EARLY_DRIVER = """
import sys
import cxprobe.browser.host
from cxprobe.browser.discovery import find_browser
print(" ".join(m for m in ("cxprobe.crawl", "cxprobe.document", "cxprobe.browser.gatherer", "bs4") if m in sys.modules))
from cxprobe.browser import VIEWPORTS, render_site
print(render_site.__module__, len(VIEWPORTS))
"""


def test_the_early_driver_needs_none_of_the_crawl() -> None:
    # The command line starts Playwright's driver before the plugins load
    # (cxprobe.cli.start_browser_early): what it imports for that (the browser host and
    # discovery) leaves the crawl, the document and the gatherer to the run, so the driver
    # starts about 0.3 s sooner. The package's names are still there, imported on first use.
    proc = subprocess.run([sys.executable, "-c", EARLY_DRIVER], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.splitlines()
    assert first.strip() == "", f"the driver's modules imported {first}"
    assert second == "cxprobe.browser.gatherer 2"


EXIT = """
import atexit, gc, sys
from cxprobe.cli import main
try:
    main(["--version"])  # a caller's main([...]): the caller's collector is left alone
except SystemExit:
    pass
print("CALLED", gc.get_freeze_count())
atexit.register(lambda: print("PROGRAM", gc.get_freeze_count() > 0))
sys.argv = ["cxprobe", "--version"]
main()  # the program itself: its objects are frozen before the interpreter shuts down
"""


def test_the_program_leaves_its_objects_to_the_exit_and_a_callers_main_does_not() -> None:
    proc = subprocess.run([sys.executable, "-c", EXIT], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split("\n")
    assert "CALLED 0" in lines and "PROGRAM True" in lines, proc.stdout
