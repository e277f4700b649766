"""Awaiting many things at once, and things that may fail because a page went away."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any


async def gather_all(awaitables: Iterable[Any]) -> list[Any]:
    """The results of every awaitable, run concurrently, in order.

    Like ``asyncio.gather``, but on an interrupt (the caller cancelled) every child is
    cancelled and awaited before the cancellation goes on: none keeps running, and
    none is left holding an exception nobody reads (Python 3.11's gather can print
    "_GatheringFuture exception was never retrieved" then). A child that raises
    cancels the others and its exception is raised as is, not wrapped in a group.
    """
    tasks: list[asyncio.Task[Any]] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(a) for a in awaitables]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [t.result() for t in tasks]


async def quiet(awaitable: Any) -> None:
    """Await a browser action; a page or request closed meanwhile is not an error."""
    try:
        await awaitable
    except Exception:  # noqa: BLE001, S110 - the request or page is gone
        pass
