"""How hard one crawl presses on a host: requests at once, the gap between them, and the
pauses a server asks for (``429``/``503`` with ``Retry-After``).

Every page request goes through :meth:`HostGate.slot`. The waits are bounded by the
run's deadline: a server that asks for more time than the run has left gets its answer
recorded (HTTP 429 or 503) instead of a retry.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

#: Longest pause one Retry-After may ask for and still be honoured, in seconds.
MAX_RETRY_WAIT = 60.0
#: Retries of one URL after a 429 or 503 with Retry-After.
MAX_RETRIES = 2
RETRY_CODES = (429, 503)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` value asks to wait (delta-seconds or an HTTP date), or None
    when it is missing or unreadable. A date in the past is 0."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), 10**9))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    wait = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, wait) if math.isfinite(wait) else None


class HostGate:
    """Per-host politeness for one crawl: at most ``per_host`` requests at once, starts at
    least ``delay`` seconds apart, and no request while a host asked for a pause."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.per_host = max(1, per_host)
        self.delay = max(0.0, delay)
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._paused_until: dict[str, float] = {}
        #: When the last request to each host really started (after its wait).
        self._started: dict[str, float] = {}
        #: Seconds spent waiting for pauses servers asked for (the report's note).
        self.paused_seconds = 0.0

    @asynccontextmanager
    async def slot(self, host: str, time_left: Callable[[], float]) -> AsyncIterator[None]:
        """Hold one of the host's request slots, after its delay and any pause it asked for
        (never waiting past the run's deadline)."""
        sem = self._sems.setdefault(host, asyncio.Semaphore(self.per_host))
        async with sem:
            while True:
                now = time.monotonic()
                last = self._started.get(host)
                start = max(now, self._next_start.get(host, 0.0), self._paused_until.get(host, 0.0),
                            0.0 if last is None else last + self.delay)
                # Claimed before sleeping: the next request to this host starts after this one.
                self._next_start[host] = start + self.delay
                wait = min(start - now, max(0.0, time_left()))
                if wait > 0:
                    if self._paused_until.get(host, 0.0) > now:
                        self.paused_seconds += wait
                    await asyncio.sleep(wait)
                # An event loop kept busy (a page read in the crawl's own process) wakes
                # sleepers late, and two of them together: the delay holds between the
                # requests' real starts, so a request woken too soon after another waits again.
                last = self._started.get(host)
                if not self.delay or last is None or time.monotonic() - last >= self.delay or time_left() <= 0:
                    break
            self._started[host] = time.monotonic()
            yield

    def pause(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` (a server's Retry-After)."""
        self._paused_until[host] = max(self._paused_until.get(host, 0.0), time.monotonic() + seconds)
