"""Fan-out and join: W parallel branches and a node that waits for all of them.

    python tests/benchmarks/fan_out.py                    # W = 10, 100, 1,000, 3,000
    python tests/benchmarks/fan_out.py --widths 1000 --repeat 7

START -> split -> b0..b{W-1} (one step, in parallel) -> join (``add_edge([b0, ...], "join")``)
-> END; every branch appends its name to a list with an ``operator.add`` reducer. graphstage
and LangGraph run the same graph in the same process, interleaved; best of ``--repeat``
runs, in milliseconds per run and microseconds per branch. Linear routing shows as a flat
µs-per-branch column.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import operator
import sys
import time
from typing import Annotated, Any, TypedDict

import graphstage


class Fan(TypedDict):
    done: Annotated[list[str], operator.add]


async def split(state: Fan) -> dict[str, Any]:
    return {}


def branch(name: str) -> Any:
    async def run(state: Fan) -> dict[str, Any]:
        return {"done": [name]}

    return run


async def join(state: Fan) -> dict[str, Any]:
    return {"done": ["join"]}


def build(lib: Any, width: int) -> Any:
    builder = lib.StateGraph(Fan)
    builder.add_node("split", split)
    builder.add_edge(lib.START, "split")
    names = [f"b{i}" for i in range(width)]
    for name in names:
        builder.add_node(name, branch(name))
        builder.add_edge("split", name)
    builder.add_node("join", join)
    builder.add_edge(names, "join")
    builder.add_edge("join", lib.END)
    return builder.compile()


async def best(graph: Any, width: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = await graph.ainvoke({"done": []})
        times.append(time.perf_counter() - t0)
        assert len(out["done"]) == width + 1 and out["done"][-1] == "join", out["done"][-3:]
    return min(times)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[10, 100, 1000, 3000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    try:
        import langgraph.graph as lg
    except ImportError:
        lg = None
        print("langgraph not installed (pip install -e '.[bench]'): graphstage only")
    print(f"python {sys.version.split()[0]}, fan-out + join of W branches, best of {args.repeat}")
    head = ("W", "graphstage ms", "us/branch", "LangGraph ms", "us/branch")
    print("{:>6} {:>14} {:>10} {:>13} {:>10}".format(*head))
    for width in args.widths:
        gs_graph = build(graphstage, width)
        lg_graph = build(lg, width) if lg is not None else None
        await best(gs_graph, width, 1)  # warm up
        ours = theirs = float("inf")
        for _ in range(args.repeat):  # interleaved
            ours = min(ours, await best(gs_graph, width, 1))
            if lg_graph is not None:
                theirs = min(theirs, await best(lg_graph, width, 1))
        line = f"{width:>6,} {ours * 1e3:>14.2f} {ours / width * 1e6:>10.1f}"
        if lg_graph is not None:
            line += f" {theirs * 1e3:>13.2f} {theirs / width * 1e6:>10.1f}"
            line += f"   graphstage {theirs / ours:.1f}x faster"
        print(line, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
