"""The sync ``stream()`` per step, graphstage vs LangGraph, same run: a chain of N sync
nodes streamed with ``stream_mode="updates"`` from plain sync code, the consumer taking
each chunk at once. graphstage's sync ``stream()`` holds the run while the consumer handles
a chunk (as LangGraph's generator does), so every step costs a hand-over to the consumer's
thread and back.

    python tests/benchmarks/sync_stream.py            # N = 300, best of 3, wall time
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TypedDict


class State(TypedDict):
    count: int


def step(state: State) -> dict[str, int]:
    return {"count": state["count"] + 1}


def chain(lib: Any, n: int) -> Any:
    builder = lib.StateGraph(State)
    for i in range(n):
        builder.add_node(f"n{i}", step)
        builder.add_edge(lib.START if i == 0 else f"n{i - 1}", f"n{i}")
    return builder.compile()


def per_step(graph: Any, n: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        chunks = sum(
            1
            for _ in graph.stream({"count": 0}, {"recursion_limit": n + 10}, stream_mode="updates")
        )
        best = min(best, time.perf_counter() - t0)
        assert chunks == n, chunks
    return best / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import langgraph.graph

    import graphstage

    gs = per_step(chain(graphstage, args.nodes), args.nodes, args.repeats)
    lg = per_step(chain(langgraph.graph, args.nodes), args.nodes, args.repeats)
    print(f"python {sys.version.split()[0]}, chain of {args.nodes} sync nodes, sync stream()")
    print(f"  graphstage {gs:7.1f} us/step   langgraph {lg:7.1f} us/step   ({lg / gs:.1f}x)")


if __name__ == "__main__":
    main()
