"""Work for a second core: a function run in a forked copy of this process.

After a large static crawl the probes run on one core while the other is idle (the
extraction workers have exited). A forked child has the site's facts without copying or
pickling them (its memory is this process's, shared until written), runs a share of the
probes, and sends back only their results. See :func:`cxprobe.runner.second_core_share`
for which probes, and when.

Forking a process that has threads copies none of them, and a lock one of them held stays
held in the child. The child here only reads the site and runs Python (the allocator,
``re``, the probes' own caches); the locks that code takes are reset at the fork
(``logging``'s by the stdlib, cxprobe's own by ``os.register_at_fork``). Whatever goes wrong
in the child (an exception, a signal, a hang past the deadline, a result that cannot be
pickled), the caller gets None and runs the work itself: forking saves time, never
results.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

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
                data = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
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
            return pickle.loads(b"".join(chunks))
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
