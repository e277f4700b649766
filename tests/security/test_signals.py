"""Ctrl-C and SIGTERM: exit 130 / 143 with one line, no traceback, no report replaced."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import HostileServer, _HostileHandler


def _stall(handler: _HostileHandler) -> None:
    """Answer nothing for up to 8 s (the test interrupts the run long before)."""
    time.sleep(8)


def _audit_until_stalled(hostile: HostileServer, tmp_path: Path, sig: int) -> tuple[subprocess.CompletedProcess[str], Path]:
    hostile.page("/", '<html lang="en"><body><h1>Hi</h1><a href="/slow">Pricing</a></body></html>')
    hostile.route("/slow", _stall)
    report = tmp_path / "report.json"
    report.write_text('{"previous": "good report"}')
    env = {**os.environ, "CXPROBE_DEBUG": ""}
    env.pop("CXPROBE_DEBUG")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxprobe", "audit", hostile.url("/"), "--render", "static", "--format", "json",
         "-o", str(report), "--timeout", "20", "--deadline", "30"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and "/slow" not in hostile.paths():
        time.sleep(0.05)
    assert "/slow" in hostile.paths(), "the crawl never reached the stalling page"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=15)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), report


@pytest.mark.parametrize(("sig", "code", "name"), [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_stops_the_run_with_one_line_and_keeps_the_previous_report(
        hostile: HostileServer, tmp_path: Path, sig: int, code: int, name: str) -> None:
    started = time.monotonic()
    done, report = _audit_until_stalled(hostile, tmp_path, sig)
    assert done.returncode == code, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [f"cxprobe: error: interrupted by {name}; no report was written"], done.stderr
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr
    assert json.loads(report.read_text()) == {"previous": "good report"}
    assert time.monotonic() - started < 20
