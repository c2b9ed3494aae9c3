"""What a thread's checkpoints cost per step, graphstage vs LangGraph in the same run.

    python tests/benchmarks/checkpoint_overhead.py            # 300-node chain, best of 5
    python tests/benchmarks/checkpoint_overhead.py --quick

A chain of N trivial nodes (each returns {"count": count + 1}) run with ``ainvoke`` on a
thread: without a checkpointer, with ``InMemorySaver``, and with ``SqliteSaver`` (a file in
a temporary directory, one commit per checkpoint). LangGraph (the optional ``bench`` extra)
runs the same chain without a checkpointer and with its own ``InMemorySaver``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from pathlib import Path
from typing import Any, TypedDict


class Counter(TypedDict):
    count: int


def step(state: Counter) -> dict[str, int]:
    return {"count": state["count"] + 1}


async def astep(state: Counter) -> dict[str, int]:
    return {"count": state["count"] + 1}


def chain(StateGraph: Any, start: Any, n: int, fn: Any) -> Any:
    builder = StateGraph(Counter)
    for i in range(n):
        builder.add_node(f"n{i}", fn)
        builder.add_edge(start if i == 0 else f"n{i - 1}", f"n{i}")
    return builder


async def per_step(graph: Any, n: int, repeat: int, thread: bool) -> float:
    best = float("inf")
    for r in range(repeat):
        config: dict[str, Any] = {"recursion_limit": n + 10}
        if thread:
            config["configurable"] = {"thread_id": f"t{r}"}
        gc.collect()
        started = time.perf_counter()
        result = await graph.ainvoke({"count": 0}, config)
        best = min(best, time.perf_counter() - started)
        assert result["count"] == n
    return best / n * 1e6


async def main(n: int, repeat: int) -> None:
    from graphstage import START, InMemorySaver, SqliteSaver, StateGraph

    rows = []
    builder = chain(StateGraph, START, n, astep)
    rows.append(
        ("graphstage, no checkpointer", await per_step(builder.compile(), n, repeat, False))
    )
    graph = builder.compile(checkpointer=InMemorySaver())
    rows.append(("graphstage, InMemorySaver", await per_step(graph, n, repeat, True)))
    with tempfile.TemporaryDirectory() as tmp, SqliteSaver(Path(tmp) / "j.sqlite3") as saver:
        graph = builder.compile(checkpointer=saver)
        rows.append(("graphstage, SqliteSaver", await per_step(graph, n, repeat, True)))
    try:
        from langgraph.checkpoint.memory import InMemorySaver as LGSaver
        from langgraph.graph import START as LGSTART
        from langgraph.graph import StateGraph as LGStateGraph
    except ImportError:
        print("(LangGraph is not installed: pip install -e '.[bench]')")
    else:
        lg = chain(LGStateGraph, LGSTART, n, astep)
        rows.append(("langgraph, no checkpointer", await per_step(lg.compile(), n, repeat, False)))
        graph = lg.compile(checkpointer=LGSaver())
        rows.append(("langgraph, InMemorySaver", await per_step(graph, n, repeat, True)))
    print(f"chain of {n} nodes, best of {repeat}, microseconds per step")
    for name, us in rows:
        print(f"  {name:30} {us:8.1f} us/step")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(60, 2) if args.quick else main(300, 5))
