"""cxprobe._aio.run: asyncio.run without formatting its result (CPython issue 112559)."""

from __future__ import annotations

import asyncio

import pytest

from cxprobe import _aio


class Loud:
    """A result whose repr must never be asked for (a whole crawled site's is seconds)."""

    asked = 0

    def __repr__(self) -> str:
        Loud.asked += 1
        return "<Loud>"


def test_the_result_comes_back_without_its_repr() -> None:
    async def produce() -> Loud:
        await asyncio.sleep(0)
        return Loud()

    Loud.asked = 0
    assert isinstance(_aio.run(produce()), Loud)
    assert Loud.asked == 0


def test_exceptions_come_through_as_raised() -> None:
    async def fail() -> None:
        raise ValueError("broken page")

    with pytest.raises(ValueError, match="broken page"):
        _aio.run(fail())
