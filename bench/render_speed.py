"""How long a browser-mode audit takes: the median of several runs, as a user runs it.

    python bench/render_speed.py [SITE_FOLDER] [--runs N] [--browser-path PATH] [--renders-only]
    python bench/render_speed.py [SITE_FOLDER] --against OLD_CHECKOUT [--runs N]

Default site: ../shared/corpus/sb-modern-business (9 pages, mobile and desktop). Each run
is the real command (`python -m cxprobe audit SITE --render browser --format json -o ...`)
in a fresh process, so the wall time includes start-up, the crawl, the browser launch,
rendering, the probes and writing the report. Prints one line per run and a Markdown
summary row for docs/performance.md: median and spread of the wall time, the report's own
`duration_s`, CPU seconds of the run and every process below it (read from ``/proc``
while it runs: Chromium's processes included, which the resource usage of children
misses; figures before the thirteenth session's were about half of this), and the load
average around the runs (on a shared machine other work inflates the wall time, not the
CPU time).

``--against OLD_CHECKOUT`` alternates every run with the same command run from another
checkout of cxprobe (its ``cxprobe`` and ``plugins`` folders, put first on the import path),
and prints each pair and the new/old ratios: the machine's speed moves by a third from one
quarter hour to the next, so only alternating pairs compare two versions. Both checkouts
are compiled first (``compileall``, as an installed cxprobe is): with
``PYTHONDONTWRITEBYTECODE`` set, a checkout without ``.pyc`` files would compile every
module it imports on every run, about 0.3-0.5 s.

``--renders-only`` times the rendering alone, for changes on the per-page path: each run
is a fresh process that crawls the site (not timed), then renders every page in both
viewports with :func:`cxprobe.browser.render_site` (no screenshots); the figures are the
wall time and the CPU seconds of that process and its browser and driver from the launch
to the browser's exit, and the same per render. The cxprobe imported is the one on
``PYTHONPATH`` first, so two checkouts can be compared on one machine, alternately.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

DEFAULT_SITE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "sb-modern-business"


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


PROC = Path("/proc")
#: Seconds between two readings of the process tree's CPU: a reading costs about 6 ms of
#: CPU on a loaded 2-core machine (every process of /proc read), which every 20 ms took
#: about a quarter of a core from the command measured.
SAMPLE_EVERY = 0.1


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it (read from ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rfind(")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


class Sampled(NamedTuple):
    """A command run by :func:`run_sampled`."""

    returncode: int
    stderr: str
    wall: float
    #: pid -> (CPU seconds, label, parent pid) of it and every process below it, read from
    #: ``/proc`` (empty without it).
    processes: dict[int, tuple[float, str, int]]
    #: CPU seconds of the processes, or the resource usage of the children without ``/proc``.
    cpu: float


def run_sampled(cmd: list[str], env: dict[str, str] | None, cwd: str | None,
                label: Callable[[int, int], str] = lambda pid, root: "") -> Sampled:
    """Run ``cmd`` and read the CPU of it and every process below it from ``/proc`` every
    :data:`SAMPLE_EVERY` seconds (the last tenth of a second of a process may be missed):
    the resource usage of the children misses most of Chromium's processes (half of a
    browser-mode run's CPU). ``label(pid, root)`` names each process once, when first seen
    (while it runs). Without ``/proc``, the resource usage is all there is."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    seen: dict[int, tuple[float, str, int]] = {}
    sample = PROC.is_dir()
    cpu0 = _children_cpu()
    # stderr to a file: a pipe read only at the end would fill and stop the command.
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        while proc.poll() is None:
            if sample:
                for pid in process_tree(proc.pid):
                    try:
                        stat = (PROC / str(pid) / "stat").read_text()
                    except OSError:
                        continue
                    fields = stat[stat.rfind(")") + 2:].split()
                    name = seen[pid][1] if pid in seen else label(pid, proc.pid)
                    seen[pid] = ((int(fields[11]) + int(fields[12])) / tick, name, int(fields[1]))
            time.sleep(SAMPLE_EVERY)
        wall = time.perf_counter() - t0
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    cpu = max(sum(c for c, _n, _p in seen.values()), _children_cpu() - cpu0)
    return Sampled(proc.returncode, stderr, wall, seen, cpu)


def compile_checkout(root: Path) -> None:
    """Write the ``.pyc`` files of a checkout's ``cxprobe`` and ``plugins`` (see the module)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "cxprobe"), str(root / "plugins")],
                   env=env, check=True, capture_output=True)


def import_path_for(root: Path, folder: Path) -> str:
    """A folder whose ``cxprobe`` and ``cxprobe_plugins`` are the checkout's own (links), to
    put first on PYTHONPATH."""
    for name, target in (("cxprobe", root / "cxprobe"), ("cxprobe_plugins", root / "plugins")):
        link = folder / name
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)
    return str(folder)


def env_with_path(pythonpath: str | None, **extra: str) -> dict[str, str]:
    """This process's environment with ``extra`` and ``pythonpath`` (a folder of
    :func:`import_path_for`) first on the import path."""
    env = {**os.environ, **extra}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, os.environ.get("PYTHONPATH")) if p)
    return env


def run_once(site: Path, out: Path, browser_path: str | None, pythonpath: str | None = None) -> dict[str, float]:
    cmd = [sys.executable, "-m", "cxprobe", "audit", str(site), "--render", "browser", "--format", "json", "-o", str(out)]
    if browser_path:
        cmd += ["--browser-path", browser_path]
    run = run_sampled(cmd, env_with_path(pythonpath), pythonpath)
    code, stderr, wall, cpu = run.returncode, run.stderr, run.wall, run.cpu
    if code != 0:
        raise SystemExit(f"render_speed: the audit failed (exit {code}): {stderr.strip()}")
    report = json.loads(out.read_text())
    if report["mode"] != "browser":
        raise SystemExit(f"render_speed: the audit ran in {report['mode']} mode, not browser mode")
    rendered = report["crawl"]["pages"]
    return {"wall": wall, "duration": float(report["duration_s"]), "cpu": cpu, "pages": float(rendered)}


#: Runs in a fresh process: crawl (untimed), then render every page; prints JSON.
_RENDER_ONLY = r"""
import asyncio, json, resource, sys, time
from cxprobe.crawl import Crawler, CrawlOptions
from cxprobe.browser import RenderOptions, find_browser, render_site
from cxprobe.target import open_target

site_dir, browser = sys.argv[1], sys.argv[2] or None
path = find_browser(browser).path
with open_target(site_dir) as target:
    crawl_opts = CrawlOptions(max_pages=50, sitemap_urls=target.files, use_sitemap=False)
    site = asyncio.run(Crawler(target.start_url, crawl_opts).run())
    opts = RenderOptions(browser_path=path, first_party=tuple(site.hosts))
    def cpu():
        a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
    c0, t0 = cpu(), time.perf_counter()
    rendering, _ = asyncio.run(render_site(site, opts, crawl_opts))
    wall, used = time.perf_counter() - t0, cpu() - c0
errors = [p.error for p in rendering.pages if p.error]
print(json.dumps({"wall": wall, "cpu": used, "renders": len(rendering.pages), "errors": errors}))
"""


def run_renders(site: Path, browser_path: str | None) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", _RENDER_ONLY, str(site), browser_path or ""],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"render_speed: rendering failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if out["errors"]:
        raise SystemExit(f"render_speed: pages failed to render: {out['errors'][:3]}")
    return {"wall": out["wall"], "cpu": out["cpu"], "renders": float(out["renders"])}


def main_renders(site: Path, runs: int, browser_path: str | None) -> int:
    load_before = os.getloadavg()[0]
    results = []
    for i in range(runs):
        r = run_renders(site, browser_path)
        results.append(r)
        print(f"run {i + 1}: {r['renders']:.0f} renders, wall {r['wall']:.2f} s, cpu {r['cpu']:.2f} s "
              f"({1000 * r['cpu'] / r['renders']:.0f} ms per render)", flush=True)
    load_after = os.getloadavg()[0]
    walls, cpus = [r["wall"] for r in results], [r["cpu"] for r in results]
    n = results[0]["renders"]
    print()
    print("| site | runs | renders | median wall | median CPU | CPU per render | load avg (1 min) before/after |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {site.name} | {runs} | {n:.0f} | {statistics.median(walls):.2f} s | **{statistics.median(cpus):.2f} s** | "
          f"{1000 * statistics.median(cpus) / n:.0f} ms | {load_before:.1f} / {load_after:.1f} |")
    return 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", nargs="?", default=str(DEFAULT_SITE))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--browser-path", default=None)
    ap.add_argument("--renders-only", action="store_true", help="time rendering alone (see the module docstring)")
    ap.add_argument("--against", metavar="OLD_CHECKOUT", default=None,
                    help="alternate every run with another checkout's (see the module docstring)")
    args = ap.parse_args(argv[1:])
    site = Path(args.site).resolve()
    if not site.is_dir():
        raise SystemExit(f"render_speed: no such folder: {site}")
    if args.renders_only:
        return main_renders(site, args.runs, args.browser_path)
    if args.against:
        return main_against(site, Path(args.against).resolve(), args.runs, args.browser_path)
    load_before = os.getloadavg()[0]
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            r = run_once(site, Path(tmp) / "r.json", args.browser_path)
            runs.append(r)
            print(f"run {i + 1}: wall {r['wall']:.2f} s, report duration_s {r['duration']:.2f} s, "
                  f"cpu {r['cpu']:.2f} s, {r['pages']:.0f} pages x 2 viewports", flush=True)
    load_after = os.getloadavg()[0]
    walls = [r["wall"] for r in runs]
    med = statistics.median(walls)
    print()
    print("| site | runs | median wall | min-max wall | median duration_s | median CPU | load avg (1 min) before/after |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {site.name} ({runs[0]['pages']:.0f} pages) | {len(runs)} | **{med:.2f} s** | {min(walls):.2f}-{max(walls):.2f} s | "
          f"{statistics.median(r['duration'] for r in runs):.2f} s | {statistics.median(r['cpu'] for r in runs):.2f} s | "
          f"{load_before:.1f} / {load_after:.1f} |")
    return 0


def main_against(site: Path, old: Path, runs: int, browser_path: str | None) -> int:
    new = Path(__file__).resolve().parents[1]
    for root in (old, new):
        if not (root / "cxprobe" / "__init__.py").is_file() or not (root / "plugins").is_dir():
            raise SystemExit(f"render_speed: not a cxprobe checkout: {root}")
        compile_checkout(root)
    load_before = os.getloadavg()[0]
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, root in (("old", old), ("new", new)):
            folder = Path(tmp) / name
            folder.mkdir()
            paths[name] = import_path_for(root, folder)
        for i in range(runs):
            pair = {name: run_once(site, Path(tmp) / f"{name}.json", browser_path, paths[name]) for name in ("old", "new")}
            pairs.append(pair)
            print(f"round {i + 1}: old {pair['old']['wall']:.2f} s ({pair['old']['cpu']:.2f} CPU-s), "
                  f"new {pair['new']['wall']:.2f} s ({pair['new']['cpu']:.2f} CPU-s) "
                  f"({pair['new']['wall'] / pair['old']['wall']:.2f} of the old)", flush=True)
    load_after = os.getloadavg()[0]
    olds, news = [p["old"]["wall"] for p in pairs], [p["new"]["wall"] for p in pairs]
    ratios = [n / o for n, o in zip(news, olds, strict=True)]
    pages = pairs[0]["new"]["pages"]
    print()
    cpu_old, cpu_new = [p["old"]["cpu"] for p in pairs], [p["new"]["cpu"] for p in pairs]
    print("| site | rounds | old wall | new wall | new/old | new per page | CPU-s old / new | load avg (1 min) before/after |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {site.name} ({pages:.0f} pages) | {runs} | {min(olds):.2f}-{max(olds):.2f} s | **{min(news):.2f}-{max(news):.2f} s** | "
          f"{min(ratios):.2f}-{max(ratios):.2f} | {min(news) / pages:.2f}-{max(news) / pages:.2f} s | "
          f"{min(cpu_old):.1f}-{max(cpu_old):.1f} / {min(cpu_new):.1f}-{max(cpu_new):.1f} | "
          f"{load_before:.1f} / {load_after:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
