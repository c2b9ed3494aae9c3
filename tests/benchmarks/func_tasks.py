"""The functional API per task call, graphstage vs LangGraph, same run: one async
entrypoint awaiting N async tasks one after the other (``chain``) and N tasks started
together then gathered (``parallel``), without a checkpointer and with an in-memory one.

    python tests/benchmarks/func_tasks.py            # N = 500, best of 3, wall time
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any


def build(func: Any, saver: Any, n: int) -> tuple[Any, Any]:
    @func.task
    async def add_one(x: int) -> int:
        return x + 1

    @func.entrypoint(checkpointer=saver)
    async def chain(x: int) -> int:
        for _ in range(n):
            x = await add_one(x)
        return x

    @func.entrypoint(checkpointer=saver)
    async def parallel(x: int) -> int:
        return sum(await asyncio.gather(*(add_one(i) for i in range(n))))

    return chain, parallel


async def per_task(app: Any, n: int, repeats: int, saver: bool) -> float:
    best = float("inf")
    for i in range(repeats):
        config = {"configurable": {"thread_id": f"t{i}"}} if saver else None
        t0 = time.perf_counter()
        await app.ainvoke(0, config)
        best = min(best, time.perf_counter() - t0)
    return best / n * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import langgraph.checkpoint.memory as lg_memory
    import langgraph.func as lg_func

    import graphstage.checkpoint.memory as gs_memory
    import graphstage.func as gs_func

    engines = {
        "LangGraph": (lg_func, lg_memory.InMemorySaver),
        "graphstage": (gs_func, gs_memory.InMemorySaver),
    }
    print(f"us per task call, N={args.n}, best of {args.repeats}")
    for saver in (False, True):
        for name, (func, make_saver) in engines.items():
            chain, parallel = build(func, make_saver() if saver else None, args.n)
            c = await per_task(chain, args.n, args.repeats, saver)
            p = await per_task(parallel, args.n, args.repeats, saver)
            label = "with InMemorySaver" if saver else "no checkpointer"
            print(f"{name:11} {label:19} chain {c:7.1f}   parallel {p:7.1f}")


if __name__ == "__main__":
    asyncio.run(main())
