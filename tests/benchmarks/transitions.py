"""Per-transition cost and stop latency, graphstage vs LangGraph in the same run.

    python tests/benchmarks/transitions.py            # 1,000-node chain, 200 stops
    python tests/benchmarks/transitions.py --quick    # smaller, for a smoke check
    python tests/benchmarks/transitions.py --cpu      # the loop thread's CPU time, not wall
    python tests/benchmarks/transitions.py --state typeddict   # graphstage on a TypedDict too

``--cpu`` times with ``time.thread_time()``: on a machine shared with other work, time the
loop's thread spent waiting for a core does not count (both libraries alike).

Per-transition: a chain of N trivial nodes (each returns {"count": count + 1}), run through
the real mailboxes; best of R runs, in microseconds per transition. graphstage's state is a
pydantic ``BaseModel`` (``--state pydantic``, the default) or a ``TypedDict``; LangGraph
(the optional ``bench`` extra) runs the same chain on a ``TypedDict``, on the same loop, if
it is installed.
Stop latency: from ``run.stop()`` to the first line of the cleanup node, over S runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from typing import TypedDict

from pydantic import BaseModel

from graphstage import END, START, Command, StateGraph


class Counter(BaseModel):
    count: int = 0


class CounterDict(TypedDict):
    count: int


async def step(state: Counter) -> dict[str, int]:
    return {"count": state.count + 1}


async def dict_step(state: CounterDict) -> dict[str, int]:
    return {"count": state["count"] + 1}


def graphstage_chain(n: int, state: str = "pydantic"):
    typed = state == "typeddict"
    builder = StateGraph(CounterDict if typed else Counter)
    for i in range(n):
        builder.add_node(f"n{i}", dict_step if typed else step)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{n - 1}", END)
    return builder.compile()


def langgraph_chain(n: int):
    from langgraph.graph import END as LG_END
    from langgraph.graph import START as LG_START
    from langgraph.graph import StateGraph as LGStateGraph

    async def lg_step(state: CounterDict) -> dict[str, int]:
        return {"count": state["count"] + 1}

    builder = LGStateGraph(CounterDict)
    for i in range(n):
        builder.add_node(f"n{i}", lg_step)
        builder.add_edge(LG_START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{n - 1}", LG_END)
    return builder.compile()


CLOCK = time.perf_counter


async def per_transition(graph, n: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t0 = CLOCK()
        out = await graph.ainvoke({"count": 0}, {"recursion_limit": n + 10})
        elapsed = CLOCK() - t0
        assert out["count"] == n, out
        best = min(best, elapsed)
    return best / n * 1e6


async def stop_latency(runs: int) -> list[float]:
    cleanup_started: list[float] = []
    stopped_at: list[float] = []

    async def work(state: Counter):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup")

    async def cleanup(state: Counter):
        cleanup_started.append(time.perf_counter())
        return {"count": 1}

    builder = StateGraph(Counter)
    builder.add_node("work", work)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "work")
    graph = builder.compile()
    for _ in range(runs):
        run = graph.start({})
        async for event in run.events():
            if type(event).__name__ == "NodeStarted":
                break
        await asyncio.sleep(0)  # let work_stage reach its await
        stopped_at.append(time.perf_counter())
        run.stop()
        result = await run.result()
        assert result.state.count == 1
    return [(c - s) * 1e3 for s, c in zip(stopped_at, cleanup_started, strict=True)]


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--stops", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="thread CPU time, not wall time")
    parser.add_argument(
        "--state",
        choices=("pydantic", "typeddict"),
        default="pydantic",
        help="graphstage's state schema (LangGraph always runs a TypedDict)",
    )
    args = parser.parse_args()
    if args.quick:
        args.nodes, args.repeats, args.stops = 200, 2, 20
    global CLOCK
    if args.cpu:
        CLOCK = time.thread_time
    clock = "thread CPU time" if args.cpu else "wall time"
    print(
        f"python {sys.version.split()[0]}, chain of {args.nodes} nodes, best of "
        f"{args.repeats}, {clock}, graphstage state: {args.state}"
    )
    graph = graphstage_chain(args.nodes, args.state)
    ours = await per_transition(graph, args.nodes, args.repeats)
    print(f"graphstage: {ours:8.1f} us/transition")
    try:
        lg = langgraph_chain(args.nodes)
    except ImportError:
        print("langgraph:  not installed (pip install -e '.[bench]')")
    else:
        theirs = await per_transition(lg, args.nodes, args.repeats)
        print(
            f"langgraph:  {theirs:8.1f} us/transition  -> graphstage is {theirs / ours:.1f}x faster"
        )
    latencies = await stop_latency(args.stops)
    print(
        f"stop -> cleanup start over {args.stops} runs: p50 {pct(latencies, 50):.3f} ms, "
        f"p99 {pct(latencies, 99):.3f} ms, max {max(latencies):.3f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
