"""Shared test set-up. Async tests are marked ``pytest.mark.anyio`` (module ``pytestmark``)
and run on asyncio, the loop graphstage targets."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

_STRICT = [
    Path(__file__).resolve().parent / d for d in ("runtime", "journal", "fuzz", "func", "hostile")
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every warning in a runtime, journal, fuzz or hostile test is an error (an unclosed stream, a
    coroutine never awaited, a task exception never retrieved), as under
    ``python -X dev -W error``; the window's tests are left to Qt's own warnings."""
    for item in items:
        parents = Path(str(item.path)).resolve().parents
        if any(d in parents for d in _STRICT):
            item.add_marker(pytest.mark.filterwarnings("error"))


@pytest.fixture(autouse=True)
def _garbage_collected_in_the_main_thread() -> Iterator[None]:
    """Every test runs under the window's collection regime (``graphstage.app.gui.GcTimer``):
    no automatic collection, one in the main thread after the test. An automatic collection
    runs in whichever thread trips the threshold, often a sync node's worker thread (the
    compat programs run many); when it frees a window left over from a GUI test, Qt
    objects die in that thread, and pytest-qt's next event processing segfaulted (3 of 4
    runs of tests/app + tests/compat on 3.11). Memory is still collected once per test."""
    gc.disable()
    yield
    gc.collect()
    gc.disable()  # GcTimer.stop() turns it back on


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
