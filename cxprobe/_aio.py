"""``asyncio.run`` without the cost of its result's ``repr``.

On Python 3.11 (and early 3.12), ``asyncio.run`` restores the SIGINT handler it installed
through ``signal.getsignal``/``signal.signal``, which try to read the handler (a partial
holding the main task) as an enum member and, failing, format the task's ``repr`` for the
error message they then drop. A finished task's ``repr`` includes its result's, and the
result here is a whole site: 1.4 s of dataclass ``repr`` on a 1,000-page crawl
(CPython issue 112559). The task here returns nothing; the result travels in a box.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``: the same result, exceptions and interruption."""
    box: list[T] = []

    async def main() -> None:
        box.append(await coro)

    asyncio.run(main())
    return box[0]
