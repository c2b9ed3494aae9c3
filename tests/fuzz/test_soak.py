"""A small soak: hundreds of runs one after another and 50 at once all settle, and memory
does not grow with the number of runs. The full soak (with timings) is
``python tests/benchmarks/soak.py``; this test shares its code and asserts no timing."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphstage import Journal

pytestmark = pytest.mark.anyio

SOAK = Path(__file__).resolve().parents[1] / "benchmarks" / "soak.py"


def load_soak() -> Any:
    spec = importlib.util.spec_from_file_location("graphstage_soak", SOAK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


soak = load_soak()


@pytest.fixture
def traced() -> Iterator[None]:
    tracemalloc.start()
    yield
    tracemalloc.stop()


async def test_hundreds_of_runs_in_a_row_settle_and_leave_no_memory_behind(
    journal: Journal, traced: None
) -> None:
    await soak.sequential(100, journal)  # warm-up: caches and pools, not a leak
    before = soak.traced_mb()
    problems = await soak.sequential(500, journal)
    grown = soak.traced_mb() - before
    assert problems == []
    assert grown < 2.0  # MB; a per-run leak of even 4 KB would show as 2 MB here
    await asyncio.sleep(0)
    assert soak.graphstage_tasks() == []


async def test_fifty_runs_at_once_settle_when_stopped_one_at_a_time(journal: Journal) -> None:
    latencies, problems = await soak.concurrent(width=50, stops=100, tick=0.01, journal=journal)
    assert problems == []
    assert len(latencies) == 100  # every stop reached its cleanup node
    await asyncio.sleep(0)
    assert soak.graphstage_tasks() == []
    assert journal.error is None
