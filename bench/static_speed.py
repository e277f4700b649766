"""How long a static audit of a large generated site takes, as a user runs it, and where
the CPU goes: the command's own process, the extraction workers, the forkserver.

    python bench/static_speed.py [--pages 1000] [--site FOLDER] [--runs N] [--jobs N]
    python bench/static_speed.py --against OLD_CHECKOUT [--pages 1000] [--runs N]

Each run is the command issue 11 is checked with, in a fresh process:
``python -m cxprobe audit SITE --start /index.html --render static --max-pages 1200
--max-depth 1000 --format json -o ...`` (``--max-pages`` is raised with ``--pages``). The
site is made by bench/gen_site.py (1,000 pages of about 28 KB by default) unless
``--site`` names one.

The wall time moves by a third from one quarter hour to the next on a shared 2-core
machine; CPU seconds move less, and show which process a change saved time in. They are
read from ``/proc`` every 0.1 s while the command runs (Linux only; elsewhere only the
wall time is printed): the last tenth of a second of each process may be missed, the same
for both sides of a comparison. (Until the thirteenth session every 20 ms, which took about
a quarter of a core from the command measured: a reading costs about 6 ms of CPU.)

``--against OLD_CHECKOUT`` alternates every run with the same command run from another
checkout of cxprobe (its ``cxprobe`` and ``plugins`` folders first on the import path; both
compiled first, see bench/render_speed.py), prints each pair, the new/old ratios, and
whether the two reports are the same apart from their times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_speed import PROC, compile_checkout, env_with_path, import_path_for, run_sampled  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "main"
    try:
        cmd = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if "resource_tracker" in cmd:
        return "other"
    if "forkserver" in cmd:
        # The forkserver and the workers it forks have the same command line: told apart
        # by their parent below (a worker's parent is the forkserver).
        return "forkserver"
    try:
        if cmd == (PROC / str(root) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
            return "second core"  # a fork of the command: a share of the probes (cxprobe._forked)
    except OSError:
        pass
    return "other"


def run_once(site: Path, out: Path, pages: int, jobs: int | None, pythonpath: str | None = None) -> dict[str, float]:
    cmd = [sys.executable, "-m", "cxprobe", "audit", str(site), "--start", "/index.html", "--render", "static",
           "--max-pages", str(max(1200, pages + 200)), "--max-depth", str(max(1000, pages)), "--format", "json",
           "-o", str(out)]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    run = run_sampled(cmd, env_with_path(pythonpath), pythonpath or None, label=_role)
    seen, wall, stderr = run.processes, run.wall, run.stderr
    if run.returncode not in (0, 1):
        raise SystemExit(f"static_speed: the audit failed (exit {run.returncode}): {stderr.strip()[-2000:]}")
    report = json.loads(out.read_text())
    forkservers = {pid for pid, (_c, role, _p) in seen.items() if role == "forkserver"}
    used = {"main": 0.0, "workers": 0.0, "forkserver": 0.0, "second core": 0.0, "other": 0.0}
    for c, role, parent in seen.values():
        if role == "forkserver" and parent in forkservers:
            used["workers"] += c
        else:
            used[role] += c
    return {"wall": wall, "pages": float(report["crawl"]["pages"]), "sampled": float(PROC.is_dir()), **used}


def _same_apart_from_times(a: Path, b: Path) -> bool:
    def load(p: Path) -> object:
        report = json.loads(p.read_text())
        for key in ("started_at", "duration_s"):
            report.pop(key, None)
        return report

    return load(a) == load(b)


def _line(r: dict[str, float]) -> str:
    cpu = (f", CPU main {r['main']:.2f} s, workers {r['workers']:.2f} s, forkserver {r['forkserver']:.2f} s"
           + (f", probes' second core {r['second core']:.2f} s" if r["second core"] else "")
           if r["sampled"] else "")
    return f"{r['wall']:.2f} s ({r['pages'] / r['wall']:.0f} pages/s){cpu}"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000, help="pages of the generated site (default 1000)")
    ap.add_argument("--site", type=Path, default=None, help="audit this folder instead of a generated site")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="--jobs of the audit (default: the command's own)")
    ap.add_argument("--against", metavar="OLD_CHECKOUT", default=None,
                    help="alternate every run with another checkout's (see the module docstring)")
    args = ap.parse_args(argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, str(ROOT / "bench" / "gen_site.py"), str(site), "--pages", str(args.pages)],
                           check=True, capture_output=True)
        elif not (site / "index.html").is_file():
            raise SystemExit(f"static_speed: no index.html in {site}")
        pages = args.pages if args.site is None else len(list(site.rglob("*.htm*")))
        if args.against is None:
            walls = []
            for i in range(args.runs):
                r = run_once(site, Path(tmp) / "r.json", pages, args.jobs)
                walls.append(r["wall"])
                print(f"run {i + 1}: {_line(r)}", flush=True)
            print(f"median {statistics.median(walls):.2f} s, {min(walls):.2f}-{max(walls):.2f} s over {args.runs} runs")
            return 0
        old, new = Path(args.against).resolve(), ROOT
        paths = {}
        for name, root in (("old", old), ("new", new)):
            if not (root / "cxprobe" / "__init__.py").is_file() or not (root / "plugins").is_dir():
                raise SystemExit(f"static_speed: not a cxprobe checkout: {root}")
            compile_checkout(root)
            folder = Path(tmp) / f"path-{name}"
            folder.mkdir()
            paths[name] = import_path_for(root, folder)
        ratios, cpu_ratios, same = [], [], True
        for i in range(args.runs):
            pair = {name: run_once(site, Path(tmp) / f"{name}.json", pages, args.jobs, paths[name]) for name in ("old", "new")}
            same = same and _same_apart_from_times(Path(tmp) / "old.json", Path(tmp) / "new.json")
            ratios.append(pair["new"]["wall"] / pair["old"]["wall"])
            total = {k: sum(pair[k][r] for r in ("main", "workers", "forkserver", "second core", "other")) for k in pair}
            if total["old"]:
                cpu_ratios.append(total["new"] / total["old"])
            print(f"round {i + 1}: old {_line(pair['old'])}\n         new {_line(pair['new'])}", flush=True)
        print(f"new/old wall: {', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f})")
        if cpu_ratios:
            print(f"new/old CPU of all processes: {', '.join(f'{r:.2f}' for r in cpu_ratios)} "
                  f"(median {statistics.median(cpu_ratios):.2f})")
        print("reports: the same apart from times" if same else "reports: DIFFERENT (compare them)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
