"""What a user waits for before any work: ``cxprobe --help``, and an audit's own start.

    python bench/startup.py [--runs 9]
    python bench/startup.py --against OLD_CHECKOUT [--runs 9]

Each run is a fresh process, started from an empty folder (so the ``cxprobe`` imported is the
installed one, or the checkout's put first on the import path, never the working folder's):

- ``help``: the wall time of ``python -m cxprobe --help``, the group's help (issue 11's
  target: a median under 0.3 s);
- ``start``: the CPU seconds a process spends loading the plugins and importing the modules a
  static audit runs (the crawl, the runner, the report, the terminal reporter): what an
  audit's own process spends before its crawl begins, and, less the crawl and the runner, what
  the extraction forkserver spends on its imports.

It prints each run, then the median and spread of each, and which costly modules each of the
two leaves unimported (asyncio, the model, the plugin registry, soupsieve, sqlite3). CPU time
is the child's own ``time.process_time()``, so a loaded machine inflates it less than the
wall time.

``--against OLD_CHECKOUT`` alternates every run with the same command run from another
checkout (its ``cxprobe`` and ``plugins`` first on the import path, both compiled first: see
bench/render_speed.py) and prints the new/old ratio of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_speed import compile_checkout, env_with_path, import_path_for  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

#: Modules whose import costs tens of milliseconds and that neither measurement needs.
WATCHED = ("asyncio", "cxprobe.model", "cxprobe._registry", "soupsieve.css_parser", "sqlite3", "httpx", "bs4")

#: The ``start`` measurement: the plugins loaded, then the run's modules imported.
START = """
import json, sys, time
t = time.process_time()
from cxprobe._registry import get_plugin_manager
get_plugin_manager()
import cxprobe.crawl.crawler, cxprobe.runner, cxprobe.report, cxprobe.reporters.terminal
took = time.process_time() - t
print(json.dumps({"cpu": took, "loaded": [m for m in %r if m in sys.modules]}))
"""

#: What ``--help`` imports, asked of the same process that shows it.
HELP_MODULES = """
import json, sys
from cxprobe.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps([m for m in %r if m in sys.modules]))
"""


def _python(args: list[str], cwd: str, pythonpath: str | None, what: str) -> tuple[str, float]:
    """Run ``python ARGS`` from ``cwd``: its output and wall time (SystemExit if it fails)."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env_with_path(pythonpath), capture_output=True,
                          text=True, timeout=120)
    took = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"startup: {what} failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return proc.stdout, took


def help_wall(cwd: str, pythonpath: str | None) -> float:
    out, took = _python(["-m", "cxprobe", "--help"], cwd, pythonpath, "cxprobe --help")
    if "Commands:" not in out:
        raise SystemExit("startup: cxprobe --help printed no commands")
    return took


def start_cpu(cwd: str, pythonpath: str | None) -> tuple[float, list[str]]:
    out, _took = _python(["-c", START % (WATCHED,)], cwd, pythonpath, "loading the plugins")
    got = json.loads(out.strip().splitlines()[-1])
    return float(got["cpu"]), list(got["loaded"])


def help_modules(cwd: str, pythonpath: str | None) -> list[str]:
    out, _took = _python(["-c", HELP_MODULES % (WATCHED,)], cwd, pythonpath, "cxprobe --help")
    return list(json.loads(out.strip().splitlines()[-1]))


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s ({min(values):.3f}-{max(values):.3f})"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--against", metavar="OLD_CHECKOUT", default=None,
                    help="alternate every run with another checkout of cxprobe (see above)")
    args = ap.parse_args(argv[1:])
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="cxprobe-startup-") as tmp:
        cwd = str(Path(tmp) / "cwd")
        os.mkdir(cwd)
        sides: list[tuple[str, str | None]] = [("new", import_path_for(ROOT, Path(tmp)))]
        compile_checkout(ROOT)
        if args.against:
            old = Path(args.against).resolve()
            if not (old / "cxprobe").is_dir() or not (old / "plugins").is_dir():
                ap.error(f"{old} is not a checkout of cxprobe (no cxprobe/ and plugins/ folders)")
            folder = Path(tmp) / "old"
            folder.mkdir()
            compile_checkout(old)
            sides.append(("old", import_path_for(old, folder)))
        helps: dict[str, list[float]] = {name: [] for name, _p in sides}
        starts: dict[str, list[float]] = {name: [] for name, _p in sides}
        loaded: dict[str, list[str]] = {}
        for _name, path in sides:  # the first run of each side writes caches; not counted
            help_wall(cwd, path)
            start_cpu(cwd, path)
        for i in range(args.runs):
            for name, path in sides:
                h = help_wall(cwd, path)
                s, loaded[name] = start_cpu(cwd, path)
                helps[name].append(h)
                starts[name].append(s)
                print(f"run {i + 1} {name}: --help {h:.3f} s wall, plugins and run modules {s:.3f} CPU-s", flush=True)
        print()
        for name, path in sides:
            print(f"{name}: --help {_spread(helps[name])} wall; start {_spread(starts[name])} CPU")
            print(f"  --help imports: {', '.join(help_modules(cwd, path)) or 'none of them'}")
            print(f"  start imports: {', '.join(loaded[name]) or 'none of them'}")
        if args.against:
            print(f"new/old medians: --help {statistics.median(helps['new']) / statistics.median(helps['old']):.2f}, "
                  f"start {statistics.median(starts['new']) / statistics.median(starts['old']):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
