"""Memory and many runs at once: what a kept Run costs, and 1,000 runs side by side.

    python tests/benchmarks/memory.py                 # all three
    python tests/benchmarks/memory.py --runs 200 --concurrent 200

1. Kept runs: ``--runs`` settled runs of a 10-node chain, their ``Run`` handles kept; the
   traced memory they hold, per run, minus what their events alone hold.
2. ``writer()`` lines: one node writes ``--lines`` lines; traced memory growth while the
   run and its handle are alive, without and with the journal.
3. Concurrency: ``--concurrent`` 10-node runs at once on one loop vs. one run alone: µs per
   transition (best of 3 crowds, interleaved with 21 single runs), and their ratio (goal:
   at most 1.3x). ``--cpu`` times the loop thread's CPU, not the wall: on a loaded machine
   the crowd's 0.4 s is preempted where a single run's 0.4 ms is not, and the wall-time
   ratio then measures the machine's load (2.5x at load 5 for a 0.95x CPU ratio).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any, TypedDict

from graphstage import END, START, Journal, StateGraph


class Count(TypedDict):
    n: int


async def bump(state: Count) -> dict[str, int]:
    return {"n": state["n"] + 1}


def chain(length: int) -> Any:
    builder = StateGraph(Count)
    for i in range(length):
        builder.add_node(f"n{i}", bump)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{length - 1}", END)
    return builder.compile()


def traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def deep_size(obj: Any, seen: set[int]) -> int:
    """Bytes of ``obj`` and what it holds that ``seen`` has not counted yet."""
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    elif isinstance(obj, list | tuple):
        size += sum(deep_size(v, seen) for v in obj)
    elif hasattr(obj, "__slots__"):
        for name in getattr(type(obj), "__slots__", ()):
            size += deep_size(getattr(obj, name, None), seen)
    return size


async def kept_runs(count: int) -> None:
    graph = chain(10)
    await graph.start({"n": 0}).result()  # warm up
    tracemalloc.start()
    before = traced()
    runs = []
    for _ in range(count):
        run = graph.start({"n": 0})
        await run.result()
        runs.append(run)
    held = traced() - before
    tracemalloc.stop()
    seen: set[int] = set()
    events = sum(deep_size(run._events, seen) for run in runs)
    per_run = (held - events) / count
    print(
        f"kept runs: {count} settled 10-node runs hold {held / count / 1024:.1f} kB each, "
        f"{events / count / 1024:.1f} kB of it their events (goal: at most 5 kB besides "
        f"the events): {per_run / 1024:.1f} kB"
    )


async def writer_lines(lines: int, journal: Journal | None) -> None:
    async def chatty(state: Count, writer: Any) -> dict[str, int]:
        for i in range(lines):
            writer(i)
            if i % 1000 == 999:
                await asyncio.sleep(0)
        return {"n": 1}

    builder = StateGraph(Count)
    builder.add_node("chatty", chatty)
    builder.add_edge(START, "chatty")
    graph = builder.compile()
    tracemalloc.start()
    before = traced()
    run = graph.start({"n": 0}, journal=journal)
    peak_probe = 0
    while not run.done:
        await asyncio.sleep(0.05)
        peak_probe = max(peak_probe, tracemalloc.get_traced_memory()[0] - before)
    result = await run.result()
    held = traced() - before
    tracemalloc.stop()
    assert result.status == "completed", result
    label = "with journal" if journal is not None else "no journal"
    print(
        f"writer: {lines:,} lines ({label}): peak +{peak_probe / 2**20:.0f} MB while running, "
        f"+{held / 2**20:.0f} MB held by the settled run (goal: at most 100 MB)"
    )


async def concurrency(width: int, clock: Any, rounds: int = 3) -> None:
    graph = chain(10)

    async def many(k: int) -> float:
        gc.collect()
        t0 = clock()
        results = await asyncio.gather(*(graph.start({"n": 0}).result() for _ in range(k)))
        elapsed = clock() - t0
        assert all(r.status == "completed" for r in results)
        return elapsed / (k * 11) * 1e6  # 11 transitions per run (START -> n0 ... -> END)

    await many(1)
    await many(width)
    # interleaved, best of each: a machine that gets busier halfway weighs on both sides
    singles, crowds = [], []
    for _ in range(rounds):
        singles += [await many(1) for _ in range(7)]
        crowds.append(await many(width))
    single, crowd = min(singles), min(crowds)
    print(
        f"concurrency: one run {single:.1f} us/transition, {width} at once {crowd:.1f} "
        f"us/transition: {crowd / single:.2f}x (goal: at most 1.3x)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--concurrent", type=int, default=1000)
    parser.add_argument("--only", choices=["kept", "writer", "concurrency"])
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="concurrency in the loop thread's CPU time, not wall time: on a busy machine a "
        "long measurement (1,000 runs) is preempted where a short one (one run) is not",
    )
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}")
    if args.only in (None, "kept"):
        await kept_runs(args.runs)
    if args.only in (None, "writer"):
        await writer_lines(args.lines, None)
        with tempfile.TemporaryDirectory() as tmp, Journal(Path(tmp) / "j.sqlite3") as journal:
            await writer_lines(args.lines, journal)
    if args.only in (None, "concurrency"):
        await concurrency(args.concurrent, time.thread_time if args.cpu else time.perf_counter)


if __name__ == "__main__":
    asyncio.run(main())
