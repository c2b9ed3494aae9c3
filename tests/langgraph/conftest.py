"""Fixtures for the LangGraph adapter tests: every test checks that no task outlives its runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest


@pytest.fixture
async def no_leftover_tasks() -> AsyncIterator[None]:
    """Fails the test if a graphstage task is still alive once its runs have settled."""
    yield
    await asyncio.sleep(0)  # let finished tasks be reaped by the loop
    leftovers = [
        t.get_name()
        for t in asyncio.all_tasks()
        if t is not asyncio.current_task() and t.get_name().startswith("graphstage")
    ]
    assert leftovers == []
