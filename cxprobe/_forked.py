"""Work for a second core: a function run in a forked copy of this process.

After a large static crawl the probes run on one core while the other is idle (the
extraction workers have exited). A forked child has the site's facts without copying or
pickling them (its memory is this process's, shared until written), runs a share of the
probes, and sends back only their results: :func:`second_core_share` says which probes,
and when; :func:`second_core` runs them (the runner's ``_run_probes`` calls it).

Forking a process that has threads copies none of them, and a lock one of them held stays
held in the child. The child here only reads the site and runs Python (the allocator,
``re``, the probes' own caches); the locks that code takes are reset at the fork
(``logging``'s by the stdlib, cxprobe's own by ``os.register_at_fork``). Whatever goes wrong
in the child (an exception, a signal, a hang past the deadline, a result that cannot be
pickled), the caller gets None and runs the work itself: forking saves time, never
results.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Issue, ProbeResult, Site
    from .probe import Context, Probe
    from .runner import Session

#: Bytes read from the child per call.
_CHUNK = 1 << 20


def can_fork() -> bool:
    """True where a forked child may run Python: Linux (macOS's system libraries are not
    safe to use after a fork; Windows has none)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class Forked:
    """``fn()`` started in a forked child; :meth:`result` collects its value."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(read)
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it, quietly
                value = fn()
                gc.disable()  # see _loads: the child ends right after
                data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(write, view):]
                code = 0
            except BaseException:  # noqa: BLE001, S110 - the parent runs the work itself
                pass
            finally:
                os._exit(code)
        os.close(write)
        self.pid: int | None = pid
        self._read = read

    def result(self, timeout: float) -> Any | None:
        """The child's value, or None when it failed or had not finished within ``timeout``
        seconds (it is then killed)."""
        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                ready, _, _ = select.select([self._read], [], [], left)
                if not ready:
                    continue
                chunk = os.read(self._read, _CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
            status = self._reap()
            if status != 0:
                return None
            return _loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - a result that cannot be read is no result
            return None
        finally:
            self.close()

    def _reap(self) -> int | None:
        """Wait for the child to end: its exit code (None when already reaped)."""
        if self.pid is None:
            return None
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        """Kill the child if it still runs, and reap it."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self._reap()
            except ChildProcessError:
                self.pid = None
        if self._read >= 0:
            os.close(self._read)
            self._read = -1


def _loads(data: bytes) -> Any:
    """``pickle.loads`` with the cycle collector off: reading back thousands of findings
    makes objects by the hundred thousand, none of them garbage, and the collections they
    set off walked them and everything else alive (on 5,000 pages of facts: 0.02-0.04 s
    instead of 0.06-0.12 s; pickling them in the child, 0.04-0.08 s instead of 0.09-0.1)."""
    enabled = gc.isenabled()
    try:
        gc.disable()
        return pickle.loads(data)  # noqa: S301 - our own forked child's results
    finally:
        if enabled:
            gc.enable()


#: Touchpoints whose built-in probes a large static run hands to a second core: about half
#: of the catalogue's time (measured on 5,000 synthetic pages: 1.7-2.1 s there, 1.8-2.0 s
#: for the rest here), and little of what the rest computes (where the contact, support
#: and policy pages are) is needed by them.
SECOND_CORE_TOUCHPOINTS = frozenset({"clarity", "consistency", "feedback", "mobile", "pricing", "social"})
#: Judged pages from which a second core pays (forking costs tens of milliseconds).
SECOND_CORE_PAGES = 250
#: Seconds the run waits for the child at least (else four times its own part's time).
SECOND_CORE_PATIENCE = 10.0


def second_core_share(session: Session, site: Site, selected: list[Probe]) -> list[Probe]:
    """The probes a forked child runs while this process runs the rest, or none: only in
    static mode, on Linux, with a second core and ``--jobs`` not 1, on a site of
    :data:`SECOND_CORE_PAGES` judged pages or more; only cxprobe's own probes (a plugin's
    probe may keep state for its other hooks, which a child would keep to itself) of
    :data:`SECOND_CORE_TOUCHPOINTS`, and none that needs the rendering or the journeys."""
    from ._registry import _is_builtin
    from .document._worker import cores

    if (session.mode != "static" or session.config.jobs == 1 or not can_fork() or cores() < 2
            or len(site.ok_pages) < SECOND_CORE_PAGES):
        return []
    pm = session.pm
    share = [p for p in selected if p.touchpoint in SECOND_CORE_TOUCHPOINTS and _is_builtin(pm.owner("probe", p.id))
             and not {"rendering", "journeys"} & set(p.requires)]
    return share if len(share) >= 2 else []


def second_core(session: Session, site: Site, ctx: Context, selected: list[Probe],
                run_one: Callable[[Probe, Context], tuple[ProbeResult, tuple[Issue, ...]]],
                share: list[Probe] | None) -> dict[str, tuple[ProbeResult, tuple[Issue, ...]]]:
    """Probe id -> (result, issues) of every probe that needs no journeys, when a share of
    them ran in a forked child (the rest ran here meanwhile); else nothing, and the caller
    runs each in turn. A child that fails or overruns leaves its share to this process."""
    share = second_core_share(session, site, selected) if share is None else share
    if not share:
        return {}
    pm = session.pm
    failed_render = "rendering" in session.gatherer_errors
    here = [p for p in selected if p not in share and "journeys" not in p.requires
            and not ("rendering" in p.requires and failed_render)]
    forked = Forked(lambda: [(p.id, run_one(p, ctx)) for p in share])
    try:
        started = time.monotonic()
        done = {p.id: run_one(p, ctx) for p in here}
        # The share takes about as long as this process's part. A child stuck far beyond
        # that (a lock a thread held at the fork) is given up: its share runs here.
        waited = max(SECOND_CORE_PATIENCE, 4 * (time.monotonic() - started))
        got = forked.result(timeout=min(waited, len(share) * session.budget() + 5.0))
    finally:
        forked.close()
    if got is None:
        if pm.tracing:
            pm._trace(f"the second core's {len(share)} probes failed there: run here")
        got = [(p.id, run_one(p, ctx)) for p in share]
    done.update(got)
    return done
