"""Waiting on events, never on the clock: a test polls an async predicate and fails with what it waited for
once a generous timeout passes (a loaded 2-core machine must still pass)."""

from __future__ import annotations

import asyncio

import pytest

WAIT = 60.0


async def until(predicate, what: str, timeout: float = WAIT, every: float = 0.02) -> None:
    """Wait until the async predicate holds (checked every `every` seconds), failing the test after `timeout`."""

    async def check():
        while not await predicate():
            await asyncio.sleep(every)

    try:
        await asyncio.wait_for(check(), timeout)
    except asyncio.TimeoutError:
        pytest.fail(f"timed out waiting for {what}")
