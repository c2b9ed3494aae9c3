"""Shared test set-up. Async tests are marked ``pytest.mark.anyio`` (module ``pytestmark``)
and run on asyncio, the loop graphstage targets."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def wait_until():
    """``await wait_until(predicate, timeout=5)``: poll until true, fail on timeout."""
    import asyncio

    async def wait(predicate, timeout: float = 5.0, interval: float = 0.01) -> None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
            await asyncio.sleep(interval)

    return wait
