"""What runs on a Dask worker: one site's ordinary audit, and the worker's identity.

Nothing here imports Dask: a task is a plain function of picklable values (an
:class:`~cxprobe.config.AuditConfig` and a few strings) that returns a plain dict, so the
same code runs in a LocalCluster's worker processes, on a remote cluster, or in one
process (the benchmark's baseline). Reports are built on the worker and sent back whole;
only the client writes files and the history.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..config import AuditConfig
from ..errors import CxprobeError, ExitCode


@dataclass(frozen=True)
class SiteJob:
    """One site's task: its name, the target as typed, and the run's configuration."""

    name: str
    target: str
    config: AuditConfig
    #: An earlier report to compare with (from the history), or None.
    baseline: Mapping[str, Any] | None = None
    baseline_name: str = ""


def installed_plugins() -> tuple[str, ...]:
    """``name==version`` of every plugin this process loads, sorted: what the report's
    ``plugins`` section would list."""
    from .._registry import get_plugin_manager

    pm = get_plugin_manager()
    return tuple(sorted(f"{i.name}=={i.version}" for i in pm.infos if not i.error))


def identity() -> dict[str, Any]:
    """This process's cxprobe version and plugin set (a fleet refuses workers that differ)."""
    return {"version": __version__, "plugins": installed_plugins(), "host": socket.gethostname(), "pid": os.getpid()}


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "local"


def _transient(run: Any) -> bool:
    """A failure worth retrying: the start page could not be reached (connection refused,
    timeout) or answered 5xx. robots.txt, a 404, a page that is not HTML are not."""
    site = run.site
    start = site.page(site.start_url) or (site.pages[0] if site.pages else None)
    if start is None:
        return True
    return start.error in ("connect", "timeout") or (start.error == "http_error" and (start.status or 0) >= 500)


def audit_site(job: SiteJob) -> dict[str, Any]:
    """Audit one site and return ``{name, status, report, error, transient, exit_code,
    worker, started, finished, cpu_s}``. ``status``: ``measured`` (the report's ``gates`` say
    whether it passed), ``not_measured`` (the report's ``error`` says why; ``transient``
    when a retry may help) or ``error`` (the audit raised: a cxprobe bug or a plugin
    that could not load, with its exit code)."""
    from .._registry import get_plugin_manager
    from ..report import finish_report
    from ..runner import run_audit

    started, cpu = time.time(), time.process_time()
    out: dict[str, Any] = {"name": job.name, "worker": _worker_address(), "started": started, "report": None,
                           "error": None, "transient": False, "exit_code": int(ExitCode.OK)}
    try:
        # A fresh plugin manager per site: a site's disable_plugins switches plugins off
        # in it, and must not leak into the next site this worker audits.
        pm = get_plugin_manager(job.config.disable_plugins, (), job.config.plugin_timeout)
        run = run_audit(job.config, pm)
        gates = job.config.gates()
        if job.baseline is None and (job.config.fail_on_regression is not None
                                     or any(r.startswith("new-") for r in job.config.fail_on)):
            from dataclasses import replace

            gates = replace(gates, no_baseline=f"the first run of {job.target}: nothing to compare with yet")
        report, _gates = finish_report(run, pm, gates, job.baseline, job.baseline_name, target=job.target)
        out["report"] = report
        if run.fatal:
            out.update(status="not_measured", error=run.fatal, transient=_transient(run),
                       exit_code=int(ExitCode.CANNOT_MEASURE))
        else:
            out.update(status="measured",
                       exit_code=int(ExitCode.OK if report["gates"]["passed"] else ExitCode.ASSERTION_FAILED))
    except CxprobeError as exc:
        out.update(status="error", error=str(exc), exit_code=int(exc.exit_code))
    except Exception as exc:  # noqa: BLE001 - one site's bug is that site's error; the fleet goes on
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        out.update(status="error", error=f"internal error: {type(exc).__name__}: {exc}{where}",
                   exit_code=int(ExitCode.INTERNAL_ERROR))
    out["finished"] = time.time()
    # CPU seconds of this process while the site was audited (its worker runs one audit at a time).
    out["cpu_s"] = round(time.process_time() - cpu, 3)
    return out
