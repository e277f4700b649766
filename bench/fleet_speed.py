"""How much faster a fleet on a LocalCluster audits many sites than one process does.

    python bench/fleet_speed.py [--sites 200] [--pages 10] [--workers N] [--json FILE]

Generates --sites sites of --pages pages each with bench/gen_site.py (28 KB pages with a
header, footer, prices, contact details and forms), then audits them twice, static mode:

1. one after another in this process: ``cxprobe.fleet.task.audit_site`` per site, the
   same function a fleet task runs (a fresh plugin manager, the ordinary audit, the
   report and its gates);
2. as a fleet: the same jobs through ``cxprobe.fleet.engine.run_jobs`` on a LocalCluster
   of --workers single-threaded worker processes (default: one per core), with the
   politeness rule, retries and deadlines on, reports sent back to the client.

Prints the wall time of each, the fleet's cluster start-up separately, the speed-up, the
per-site cost (wall seconds and CPU seconds of one audit), and the load average of the
machine before and after (other processes share the CPU: the figures are only as good as
the machine was quiet). Writing the reports (the CLI's part) is left out of both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def generate(root: Path, sites: int, pages: int) -> list[Path]:
    sys.path.insert(0, str(HERE))
    import gen_site

    folders = []
    for i in range(sites):
        folder = root / f"site{i:04d}"
        gen_site.main(["gen_site.py", str(folder), "--pages", str(pages), "--seed", str(i)])
        folders.append(folder)
    return folders


def jobs_for(folders: list[Path]) -> list[tuple[Any, str]]:
    from cxprobe.config import AuditConfig
    from cxprobe.fleet.sites import host_key
    from cxprobe.fleet.task import SiteJob

    return [(SiteJob(name=f.name, target=f.name, config=AuditConfig(target=str(f), render="static", jobs=1)),
             host_key(f.name, str(f))) for f in folders]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None, help="Also write the figures to this JSON file.")
    args = ap.parse_args(argv[1:])

    from contextlib import redirect_stdout
    from io import StringIO

    from cxprobe.fleet.engine import connect, default_workers, run_jobs
    from cxprobe.fleet.task import audit_site

    workers = args.workers or default_workers()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="cxprobe-fleet-bench-") as tmp:
        with redirect_stdout(StringIO()):
            folders = generate(Path(tmp), args.sites, args.pages)
        jobs = jobs_for(folders)

        audit_site(jobs[0][0])  # imports and the first plugin load are paid once, not per site
        cpu0, t0 = time.process_time(), time.perf_counter()
        one_by_one = [audit_site(job) for job, _host in jobs]
        serial_s, serial_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        assert all(r["status"] == "measured" for r in one_by_one), [r["error"] for r in one_by_one if r["error"]]
        per_site = [r["finished"] - r["started"] for r in one_by_one]

        t1 = time.perf_counter()
        with connect(None, workers) as (client, engine):
            # Warm each worker as the serial run was warmed (imports, the first plugin load).
            warm = [client.submit(audit_site, jobs[0][0], pure=False, workers=[w], allow_other_workers=False)
                    for w in client.nthreads()]
            client.gather(warm)
            startup_s = time.perf_counter() - t1
            t2 = time.perf_counter()
            fleet = run_jobs(client, jobs, retries=0)
            fleet_s = time.perf_counter() - t2
        assert all(r["status"] == "measured" for r in fleet), [r["error"] for r in fleet if r["error"]]
        pages = {r["report"]["crawl"]["pages"] for r in fleet}
        fleet_per_site = [r["finished"] - r["started"] for r in fleet]
        fleet_cpu = sum(r["cpu_s"] for r in fleet)
    load_after = os.getloadavg()
    figures = {
        "sites": args.sites, "pages_per_site": sorted(pages), "workers": workers, "engine": engine,
        "cores": os.cpu_count(), "serial_s": round(serial_s, 2), "serial_cpu_s": round(serial_cpu, 2),
        "fleet_s": round(fleet_s, 2), "fleet_startup_s": round(startup_s, 2),
        "speedup": round(serial_s / fleet_s, 2), "speedup_with_startup": round(serial_s / (fleet_s + startup_s), 2),
        "per_site_s_median": round(statistics.median(per_site), 3),
        "per_site_cpu_s": round(serial_cpu / args.sites, 3),
        "fleet_sites_per_s": round(args.sites / fleet_s, 2),
        "fleet_per_site_s_median": round(statistics.median(fleet_per_site), 3),
        "fleet_per_site_cpu_s": round(fleet_cpu / args.sites, 3),
        # Cores' worth of CPU each run got: audits' CPU seconds over wall seconds.
        "serial_cores_used": round(serial_cpu / serial_s, 2), "fleet_cores_used": round(fleet_cpu / fleet_s, 2),
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after],
    }
    print(f"{args.sites} sites of {args.pages} pages, static mode, {os.cpu_count()} cores")
    print(f"  one process, one after another: {serial_s:7.1f} s  ({figures['per_site_s_median']:.3f} s a site, median; "
          f"{figures['per_site_cpu_s']:.3f} CPU s a site)")
    print(f"  fleet, {engine}:  {fleet_s:7.1f} s  (+ {startup_s:.1f} s starting the cluster; "
          f"{figures['fleet_per_site_s_median']:.3f} s a site on a worker, median)")
    print(f"  CPU the audits got: {figures['serial_cores_used']:.2f} cores one by one, {figures['fleet_cores_used']:.2f} "
          f"cores as a fleet ({figures['fleet_per_site_cpu_s']:.3f} CPU s a site on a worker)")
    print(f"  speed-up: {figures['speedup']:.2f}x ({figures['speedup_with_startup']:.2f}x with the start-up)")
    print(f"  load average before {figures['load_before']}, after {figures['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
