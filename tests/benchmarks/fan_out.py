"""Map-reduce with Send, and a wide wait-for-all join: graphstage vs LangGraph, same run.

    python tests/benchmarks/fan_out.py            # W = 250, 1000, 4000
    python tests/benchmarks/fan_out.py --quick    # W = 100, 400
    python tests/benchmarks/fan_out.py --cpu      # the loop thread's CPU time, not wall

Map-reduce: a conditional edge from START returns W Sends to ``work`` (each an execution of
its own); every ``work`` reaches ``reduce`` by an edge; an ``operator.add`` list gathers the
results. Join: W nodes started from START, all feeding one ``add_edge([...], "join")``. Both
should cost O(W) in total: the time per branch should stay flat as W grows. Best of 3.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import operator
import sys
import time
from typing import Annotated, Any, TypedDict


class State(TypedDict):
    items: list[int]
    results: Annotated[list[int], operator.add]


def map_reduce(lib: Any, send: Any) -> Any:
    async def work(arg: dict[str, int]) -> dict[str, list[int]]:
        return {"results": [arg["i"] * 2]}

    async def reduce(state: State) -> dict[str, list[int]]:
        return {"results": [sum(state["results"])]}

    b = lib.StateGraph(State)
    b.add_node("work", work)
    b.add_node("reduce", reduce)
    b.add_conditional_edges(lib.START, lambda s: [send("work", {"i": i}) for i in s["items"]])
    b.add_edge("work", "reduce")
    b.add_edge("reduce", lib.END)
    return b.compile()


def wide_join(lib: Any, width: int) -> Any:
    def node(i: int) -> Any:
        async def run(state: State) -> dict[str, list[int]]:
            return {"results": [i]}

        return run

    b = lib.StateGraph(State)
    names = [f"n{i}" for i in range(width)]
    for i, name in enumerate(names):
        b.add_node(name, node(i))
        b.add_edge(lib.START, name)
    b.add_node("join", node(-1))
    b.add_edge(names, "join")
    b.add_edge("join", lib.END)
    return b.compile()


CLOCK = time.perf_counter


async def best(graph: Any, inp: dict[str, Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = CLOCK()
        out = await graph.ainvoke(inp, {"recursion_limit": 10})
        times.append(CLOCK() - started)
        assert len(out["results"]) > 0
    return min(times)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="thread CPU time, not wall time")
    parser.add_argument("--width", type=int, action="append", help="W (repeatable)")
    args = parser.parse_args()
    widths = args.width or ([100, 400] if args.quick else [250, 1000, 4000])
    global CLOCK
    if args.cpu:
        CLOCK = time.thread_time
    import graphstage

    try:
        import langgraph.graph as lg
        from langgraph.types import Send as LGSend
    except ImportError:
        lg = None
    clock = "thread CPU time" if args.cpu else "wall time"
    print(f"python {sys.version.split()[0]}, best of 3, microseconds per branch, {clock}")
    for kind in ("map-reduce (Send)", "wait-for-all join"):
        print(kind)
        for width in widths:
            inp = {"items": list(range(width)), "results": []}
            if kind.startswith("map"):
                ours, theirs = map_reduce(graphstage, graphstage.Send), None
                if lg is not None:
                    theirs = map_reduce(lg, LGSend)
            else:
                ours = wide_join(graphstage, width)
                theirs = wide_join(lg, width) if lg is not None else None
            us = await best(ours, inp, 3) / width * 1e6
            line = f"  W={width:5d}  graphstage {us:7.1f} us"
            if theirs is not None:
                them = await best(theirs, inp, 3) / width * 1e6
                line += f"   langgraph {them:7.1f} us   ({them / us:.1f}x)"
            print(line)


if __name__ == "__main__":
    asyncio.run(main())
