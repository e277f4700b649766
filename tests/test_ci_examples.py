"""The CI examples in examples/ci/ use only commands and flags cxprobe has.

Both workflow files are parsed as YAML; every ``cxprobe ...`` command in their shell
steps is parsed by cxprobe's own click group (so a renamed or misspelt flag fails here,
not in a user's pipeline), and the example config is read and checked like any config.
The files the steps hand on (SARIF, JUnit, Markdown) are the ones ``--output`` writes.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from cxprobe._registry import get_plugin_manager
from cxprobe.cli.commands import make_cli
from cxprobe.config import from_table

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "examples" / "ci"


def shell_steps(doc: Any) -> list[str]:
    """Every shell script of a GitHub workflow (steps' ``run``) or GitLab job (``script``...)."""
    out: list[str] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key == "run" and isinstance(value, str):
                out.append(value)
            elif key in ("script", "before_script", "after_script") and isinstance(value, list):
                out.extend(v for v in value if isinstance(v, str))
            else:
                out.extend(shell_steps(value))
    elif isinstance(doc, list):
        for v in doc:
            out.extend(shell_steps(v))
    return out


def cxprobe_commands(script: str) -> list[list[str]]:
    """The argument lists of the ``cxprobe`` commands in a shell script (continuation
    lines joined, ``${{ ... }}`` and ``$VAR`` left as words, redirections cut)."""
    script = script.replace("\\\n", " ")
    commands = []
    for line in script.splitlines():
        line = line.strip()
        m = re.search(r"(?:^|[;&|]\s*|then\s+|else\s+)(cxprobe\s.*)$", line)
        if not m:
            continue
        words = shlex.split(re.sub(r"\$\{\{[^}]*\}\}", "X", m.group(1)), comments=True)
        cut = next((i for i, w in enumerate(words) if w in (">>", ">", "|", "&&", ";", "||")), len(words))
        commands.append(words[1:cut])
    return commands


@pytest.fixture(scope="module")
def cli() -> click.Group:
    return make_cli(get_plugin_manager())


def check_command(cli: click.Group, args: list[str]) -> None:
    """Parse ``args`` exactly as ``cxprobe`` would, without running it."""
    name, rest = args[0], args[1:]
    cmd = cli.get_command(click.Context(cli), name)
    assert cmd is not None, f"no command cxprobe {name}"
    ctx = cmd.make_context(name, list(rest), resilient_parsing=False)
    assert ctx.params is not None


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_every_cxprobe_command_and_flag_exists(cli: click.Group, name: str) -> None:
    doc = yaml.safe_load((CI / name).read_text(encoding="utf-8"))
    commands = [c for s in shell_steps(doc) for c in cxprobe_commands(s)]
    used = {c[0] for c in commands}
    assert {"audit", "history"} <= used, commands
    for args in commands:
        check_command(cli, args)


def test_the_github_workflow_runs_on_push_and_nightly_and_uploads_what_audit_writes() -> None:
    doc = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in on and "schedule" in on and on["schedule"][0]["cron"]
    steps = [s for job in doc["jobs"].values() for s in job["steps"]]
    uses = {s.get("uses", "").split("@")[0]: s for s in steps}
    assert uses["github/codeql-action/upload-sarif"]["with"]["sarif_file"] == "cxprobe-out/report.sarif"
    assert "actions/cache/restore" in uses and "actions/cache/save" in uses
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") and "report.md" in s["run"] for s in steps)
    assert "cxprobe-out/report.xml" in str(uses["mikepenz/action-junit-report"]["with"])


def test_the_gitlab_job_publishes_its_junit_report() -> None:
    doc = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert doc["cxprobe"]["artifacts"]["reports"]["junit"] == "cxprobe-out/report.xml"


def test_the_example_config_is_valid_and_names_the_formats_the_workflows_read() -> None:
    table = tomllib.loads((CI / "cxprobe.toml").read_text(encoding="utf-8"))
    values = from_table(table, "examples/ci/cxprobe.toml")
    assert set(values["formats"]) == {"json", "sarif", "junit", "markdown"}
    reporters = get_plugin_manager().registry().reporters
    assert {reporters[f].extension for f in values["formats"]} == {".json", ".sarif", ".xml", ".md"}
