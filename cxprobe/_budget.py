"""Time budgets for plugin calls: a probe, gatherer or hook implementation that hangs is
cut off, named, and the run goes on (as an incomplete run).

Python cannot stop a thread, so a call that overruns keeps running in a daemon thread
until it returns or the process exits; cxprobe stops waiting for it and never uses what it
returns afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: Seconds a plugin call may always take, even once the run's deadline has passed, so a
#: quick probe still runs after a crawl that used the whole deadline.
MIN_BUDGET = 2.0


class Overrun(Exception):
    """A bounded call did not finish within its budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"did not finish within {seconds:g} s")
        self.seconds = seconds


def run_bounded(fn: Callable[[], T], seconds: float | None, name: str = "cxprobe-plugin-call") -> T:
    """``fn()`` in a daemon thread, waiting at most ``seconds``; raises :class:`Overrun`
    when it is still running, and re-raises what ``fn`` raised. ``None``: no bound, called
    in this thread."""
    if seconds is None:
        return fn()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name=name, daemon=True)
    worker.start()
    worker.join(max(0.0, seconds))
    if worker.is_alive():
        raise Overrun(seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
