"""The time a page may take to read: its own CPU budget and the run's deadline.

Every loop of the extraction (the core's and every extractor's) calls :meth:`Clock.tick`,
and every step that may take a while :meth:`Clock.check`; when a limit runs out,
:class:`ExtractionInterrupted` says which, how long reading ran and what it was doing.
"""

from __future__ import annotations

import math
import time
from typing import Any

from bs4.builder._lxml import LXMLTreeBuilder  # bs4.builder exports it only at run time


class ExtractionInterrupted(Exception):
    """Extracting one page ran out of time: its own budget, or the run's deadline.
    The page has no facts."""

    def __init__(self, reason: str, cpu_seconds: float, wall_seconds: float, limit: float, stage: str,
                 size: int) -> None:
        #: "budget" (the page's own CPU-time budget) or "deadline" (the run's).
        self.reason = reason
        #: CPU and wall-clock seconds extraction had taken when it stopped.
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        #: The limit that ran out, in seconds (CPU seconds for the budget).
        self.limit = limit
        #: What extraction was doing when it stopped ("parsing", "scanning phone numbers"...).
        self.stage = stage
        #: Bytes of the page.
        self.size = size
        if reason == "budget":
            what = f"extraction took more than its budget of {limit:g} s of CPU time"
        else:
            what = f"the run's deadline ended {wall_seconds:.1f} s into extraction"
        super().__init__(f"{what} (stopped while {stage}; the page is {size:,} bytes)")


class Clock:
    """Time left for one page, checked cooperatively by every loop of the extraction.

    Two limits: the page's own budget in CPU seconds (what the page costs, whatever else
    the machine is doing, so a busy CI runner does not change the report), and the run's
    deadline on the wall clock. ``tick()`` sits in the loops over elements and matches
    and reads the clocks only every ``_EVERY`` calls, so a check costs a subtraction;
    ``check()`` reads them at once, for steps that may each take a while.
    """

    _EVERY = 64
    __slots__ = ("budget", "cpu_deadline", "cpu_start", "size", "stage", "wall_deadline", "wall_start", "_left")

    def __init__(self, budget: float | None, time_left: float | None, size: int) -> None:
        self.cpu_start = time.thread_time()
        self.wall_start = time.monotonic()
        self.budget = budget
        self.cpu_deadline = math.inf if budget is None else self.cpu_start + budget
        self.wall_deadline = math.inf if time_left is None else self.wall_start + time_left
        self.size = size
        self.stage = "decoding"
        self._left = self._EVERY

    def tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._left = self._EVERY
            self.check()

    def check(self) -> None:
        cpu = time.thread_time()
        wall = time.monotonic()
        if cpu > self.cpu_deadline:
            raise ExtractionInterrupted("budget", cpu - self.cpu_start, wall - self.wall_start, self.budget or 0.0,
                                        self.stage, self.size)
        if wall > self.wall_deadline:
            raise ExtractionInterrupted("deadline", cpu - self.cpu_start, wall - self.wall_start,
                                        self.wall_deadline - self.wall_start, self.stage, self.size)

    def enter(self, stage: str) -> None:
        """Start the next step of the extraction: the clocks are read between steps."""
        self.check()
        self.stage = stage


class ClockedLXMLBuilder(LXMLTreeBuilder):
    """bs4's lxml tree builder that stops when the page's budget runs out: building the
    tree is the largest single step of extraction (about 1.5 s per MB of markup)."""

    def __init__(self, budget: Clock) -> None:
        super().__init__()
        self._budget = budget

    # lxml calls these for every tag and every run of text.
    def start(self, *args: Any, **kwargs: Any) -> None:
        self._budget.tick()
        super().start(*args, **kwargs)

    def data(self, *args: Any, **kwargs: Any) -> None:
        self._budget.tick()
        super().data(*args, **kwargs)
