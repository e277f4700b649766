"""`cxprobe --help` stays quick: it loads every plugin (their options are in the help) but
none of the layers a run needs (issue 11: lazy imports)."""

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
