"""``astream()`` per step, graphstage vs LangGraph, in the same process and taken in turns:
a chain of N nodes streamed with ``stream_mode="updates"`` (``--mode``), the consumer
taking each chunk at once. graphstage's ``astream`` holds the run while the consumer
handles a chunk (the next step starts only once the consumer asks for the next chunk), as
LangGraph's generator does; this measures what that costs.

    python tests/benchmarks/astream.py                  # N = 300, async nodes, 5 turns
    python tests/benchmarks/astream.py --sync           # sync nodes (worker threads)
    python tests/benchmarks/astream.py --awaiting       # async nodes that await once
    python tests/benchmarks/astream.py --subgraphs      # the chain inside a subgraph node,
                                                        # astream(subgraphs=True)
    python tests/benchmarks/astream.py --cpu            # the loop thread's CPU time

Each turn runs graphstage then LangGraph once (best of ``--repeats`` each) on one event
loop; the figures are the median over turns of each one's best, in microseconds a step.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from typing import Any, TypedDict


class State(TypedDict):
    count: int


async def astep(state: State) -> dict[str, int]:
    return {"count": state["count"] + 1}


async def awaiting_step(state: State) -> dict[str, int]:
    await asyncio.sleep(0)  # as a node doing I/O: it waits once
    return {"count": state["count"] + 1}


def sstep(state: State) -> dict[str, int]:
    return {"count": state["count"] + 1}


def chain(lib: Any, n: int, kind: str, subgraphs: bool) -> Any:
    builder = lib.StateGraph(State)
    step = {"sync": sstep, "async": astep, "awaiting": awaiting_step}[kind]
    for i in range(n):
        builder.add_node(f"n{i}", step)
        builder.add_edge(lib.START if i == 0 else f"n{i - 1}", f"n{i}")
    graph = builder.compile()
    if not subgraphs:
        return graph
    outer = lib.StateGraph(State)
    outer.add_node("inner", graph)
    outer.add_edge(lib.START, "inner")
    return outer.compile()


async def per_step(graph: Any, n: int, args: argparse.Namespace) -> float:
    clock = time.thread_time if args.cpu else time.perf_counter
    config = {"recursion_limit": n + 10}
    best = float("inf")
    for _ in range(args.repeats):
        chunks = 0
        t0 = clock()
        async for _ in graph.astream(
            {"count": 0}, config, stream_mode=args.mode, subgraphs=args.subgraphs
        ):
            chunks += 1
        best = min(best, clock() - t0)
        assert chunks >= n, chunks
    return best / n * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--mode", default="updates")
    parser.add_argument("--sync", action="store_true", help="sync nodes")
    parser.add_argument("--awaiting", action="store_true", help="nodes that await once")
    parser.add_argument("--subgraphs", action="store_true", help="the chain in a subgraph")
    parser.add_argument("--cpu", action="store_true", help="the loop thread's CPU time")
    args = parser.parse_args()
    import langgraph.graph

    import graphstage

    n = args.nodes
    kind = "sync" if args.sync else "awaiting" if args.awaiting else "async"
    gs_graph = chain(graphstage, n, kind, args.subgraphs)
    lg_graph = chain(langgraph.graph, n, kind, args.subgraphs)
    await per_step(gs_graph, n, args)  # warm both up
    await per_step(lg_graph, n, args)
    gs, lg = [], []
    for _ in range(args.turns):
        gs.append(await per_step(gs_graph, n, args))
        lg.append(await per_step(lg_graph, n, args))
    where = ", in a subgraph, subgraphs=True" if args.subgraphs else ""
    clock = "CPU" if args.cpu else "wall"
    print(
        f"python {sys.version.split()[0]}, chain of {n} {kind} nodes{where}, "
        f"astream({args.mode!r}), {clock}, median of {args.turns} turns (best of {args.repeats})"
    )
    g, lang = statistics.median(gs), statistics.median(lg)
    print(f"  graphstage {g:7.1f} us/step   langgraph {lang:7.1f} us/step   ({lang / g:.1f}x)")
    print(f"  graphstage turns: {' '.join(f'{x:.1f}' for x in gs)}")
    print(f"  langgraph  turns: {' '.join(f'{x:.1f}' for x in lg)}")


if __name__ == "__main__":
    asyncio.run(main())
