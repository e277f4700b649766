"""The engine: a Dask client (a LocalCluster of worker processes by default, or an existing
scheduler), the worker check, and the client-side loop that hands out the sites.

The loop keeps at most one task in flight per worker thread, never two for the same host
(politeness: two entries on one host never crawl at the same time), retries transient
failures with backoff, gives up on a site past its deadline, and lets Dask re-run the task
of a worker that died on another worker. Every site ends with a result.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from .task import SiteJob, audit_site, identity


class FleetError(UsageError):
    """The fleet cannot start: no Dask, an unreachable scheduler, workers that differ (exit 2)."""


def import_dask() -> Any:
    """``distributed``, or one line saying how to install it (exit 2)."""
    try:
        import distributed
    except ImportError:
        raise FleetError("cxprobe fleet needs Dask: pip install 'cxprobe[fleet]' (or 'dask[distributed]')") from None
    return distributed


def default_workers() -> int:
    """Worker processes of the default LocalCluster: one per core this process may use
    (what the crawl's extraction pool counts)."""
    from ..document._worker import cores

    return cores()


@contextmanager
def connect(scheduler: str | None, workers: int | None, quiet_logs: bool = True) -> Iterator[tuple[Any, str]]:
    """A Dask client and a description of the engine. Without ``scheduler``, a LocalCluster
    of ``workers`` single-threaded worker processes on 127.0.0.1 (one audit, so at most
    one browser, per worker process), closed on exit."""
    distributed = import_dask()
    import dask

    # Dask's statistical profiler samples every worker thread each 10 ms: on audits (deep
    # stacks, a GIL shared with the crawler's threads) it costs far more than it tells.
    dask.config.set({"distributed.worker.profile.enabled": False})
    if quiet_logs:
        # Dask reports a worker that died and restarts at WARNING; the fleet reports it itself.
        dask.config.set({"logging.distributed": "error"})
        logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=15, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise FleetError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            client.wait_for_workers(1, timeout=30)
        except TimeoutError:
            client.close()
            raise FleetError(f"the Dask scheduler at {scheduler} has no workers (waited 30 s)") from None
        try:
            yield client, f"Dask scheduler {scheduler}"
        finally:
            client.close()
        return
    n = workers or default_workers()
    with warnings.catch_warnings():
        # With the dashboard off the scheduler still serves its health routes, on port 8787
        # when free, else on any port after a warning that would break the one-line output.
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                           dashboard_address=None,
                                           silence_logs=logging.ERROR if quiet_logs else logging.WARNING)
    try:
        client = distributed.Client(cluster, set_as_default=False)
        try:
            yield client, f"LocalCluster of {n} worker process{'es' if n != 1 else ''}"
        finally:
            if quiet_logs:
                quiet_for_shutdown(client)
            client.close()
    finally:
        cluster.close()


def silence_dask() -> None:
    """Turn off Dask's loggers, and Tornado's under them, in this process. Dask's logging
    configuration gives some of them (``distributed.client``) a level and a handler of
    their own, so each one is set, not only the parent."""
    names = [n for n in logging.root.manager.loggerDict if n.startswith(("distributed.", "tornado."))]
    for name in ("distributed", "tornado", *names):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def quiet_for_shutdown(client: Any) -> None:
    """Silence Dask in this process and in the LocalCluster's workers before it closes.

    Every site has its result by then. What Dask logs while its processes stop is a race
    of the shutdown. For example, a worker's heartbeat is cut off when the scheduler drops
    the worker; the worker logs it at ERROR with a traceback, which is not news for the
    user. Bounded: a worker that does not answer within 5 s is left as it is.
    """
    silence_dask()
    try:
        client.run(silence_dask, on_error="ignore", callback_timeout=5)
    except Exception:  # noqa: BLE001, S110 - a worker already gone has nothing left to say
        pass


def check_workers(client: Any) -> None:
    """Every worker runs the client's cxprobe version with the same plugin set, or one line
    saying which worker differs and how (exit 2)."""
    mine = identity()
    try:
        theirs = client.run(identity)
    except Exception as exc:  # noqa: BLE001 - e.g. a worker without cxprobe cannot unpickle the function
        raise FleetError(f"the Dask workers cannot run cxprobe ({type(exc).__name__}: {exc}); install cxprobe "
                         f"{mine['version']} and the same plugins on every worker") from None
    for address, their in sorted(theirs.items()):
        if their["version"] != mine["version"]:
            raise FleetError(f"worker {address} runs cxprobe {their['version']}, this client {mine['version']}: "
                             "install the same version on every worker")
        if tuple(their["plugins"]) != tuple(mine["plugins"]):
            extra = sorted(set(their["plugins"]) - set(mine["plugins"]))
            missing = sorted(set(mine["plugins"]) - set(their["plugins"]))
            diff = "; ".join(x for x in (f"it has {', '.join(extra)}" if extra else "",
                                         f"it lacks {', '.join(missing)}" if missing else "") if x)
            raise FleetError(f"worker {address} has another plugin set than this client ({diff}): install the same "
                             "plugins on every worker")


@dataclass
class Progress:
    """Sites done, failed and left, and an estimate of the time left."""

    total: int
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    failed: int = 0

    def line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        left = self.total - self.done
        elapsed = now - self.started
        eta = f", about {_duration(elapsed / self.done * left)} left" if self.done and left else ""
        return (f"fleet: {self.done}/{self.total} done, {self.failed} failed, {left} left, "
                f"{_duration(elapsed)} so far{eta}")


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


@dataclass
class _Pending:
    job: SiteJob
    host: str
    attempts: int = 0
    not_before: float = 0.0
    submitted: float = 0.0
    history: list[str] = field(default_factory=list)


def run_jobs(client: Any, jobs: Sequence[tuple[SiteJob, str]], *, retries: int = 2, backoff: float = 2.0,
             grace: float = 30.0, on_result: Callable[[dict[str, Any]], None] | None = None,
             on_tick: Callable[[], None] | None = None) -> list[dict[str, Any]]:
    """Run every ``(job, host key)`` on the cluster; return one result per job, in job order.

    - at most one task in flight per worker thread, never two with the same host key;
    - a transient failure (connection error, timeout, 5xx at the start page) is submitted
      again after ``backoff``, 2 x ``backoff``, ... seconds, up to ``retries`` times; a site
      that could not be measured for another reason is not retried;
    - a site with no result ``grace`` seconds past its audit's deadline (counted from when
      it was handed out) is given up (``not_measured``); its task is cancelled;
    - a worker that dies mid-audit: Dask runs the task again on another worker; a task
      that killed several workers fails with ``KilledWorker`` and is reported as an error.
    """
    import distributed

    waiting: list[_Pending] = [_Pending(job=j, host=h) for j, h in jobs]
    order = {id(p.job): i for i, p in enumerate(waiting)}
    running: dict[Any, _Pending] = {}
    results: dict[int, dict[str, Any]] = {}
    slots, checked = 1, 0.0

    def finish(p: _Pending, result: dict[str, Any]) -> None:
        result["attempts"] = p.attempts
        if p.history:
            result["retried_after"] = list(p.history)
        results[order[id(p.job)]] = result
        if on_result:
            on_result(result)

    while waiting or running:
        now = time.monotonic()
        if now - checked > 2.0:  # workers come and go (a restarted worker, a scaled cluster)
            slots = max(1, sum(client.nthreads().values()))
            checked = now
        busy = {p.host for p in running.values()}
        for p in list(waiting):
            if len(running) >= slots:
                break
            if p.host in busy or p.not_before > now:
                continue
            waiting.remove(p)
            p.attempts += 1
            p.submitted = now
            # pure=False: a retry is a new task, never the cached result of the last one.
            fut = client.submit(audit_site, p.job, pure=False, key=f"cxprobe-site-{p.job.name}-{p.attempts}")
            running[fut] = p
            busy.add(p.host)
        if not running:
            time.sleep(min(0.2, max(0.0, min(p.not_before for p in waiting) - now)) if waiting else 0)
            continue
        try:
            with client.as_current():
                done, _ = distributed.wait(list(running), timeout=0.25, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        now = time.monotonic()
        for fut in done:
            p = running.pop(fut)
            if fut.status == "finished":
                result = fut.result()
            else:
                try:
                    exc = fut.exception()
                except BaseException as raised:  # noqa: BLE001 - a cancelled future raises instead
                    exc = raised
                what = ("the worker running it died, again and again (Dask gave up)"
                        if type(exc).__name__ == "KilledWorker" else f"{type(exc).__name__}: {exc}")
                result = {"name": p.job.name, "status": "error", "report": None, "error": f"the task failed: {what}",
                          "transient": False, "exit_code": 4, "worker": "", "started": None, "finished": None}
            if result["status"] == "not_measured" and result.get("transient") and p.attempts <= retries:
                p.history.append(result["error"] or "")
                p.not_before = now + backoff * 2 ** (p.attempts - 1)
                waiting.append(p)
                continue
            finish(p, result)
        for fut, p in list(running.items()):
            limit = p.job.config.deadline + grace
            if now - p.submitted > limit:
                fut.cancel()
                del running[fut]
                finish(p, {"name": p.job.name, "status": "not_measured", "report": None, "transient": False,
                           "error": f"no result {limit:g} s after the audit started (its deadline "
                                    f"{p.job.config.deadline:g} s, and {grace:g} s more); given up",
                           "exit_code": 3, "worker": "", "started": None, "finished": None})
        if on_tick:
            on_tick()
    return [results[i] for i in range(len(jobs))]
