"""What a store call costs a node on a Ray host (the store stays in the driver; each call
travels there and back), against the same node in this process, in the same run.

    GRAPHSTAGE_RAY_TESTS=1 unshare -n -p -f --mount-proc bash -c \\
        'ip link set lo up && python tests/benchmarks/ray_store.py'
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from typing import Any, TypedDict

from graphstage import LocalExecutor, StateGraph
from graphstage.store.memory import InMemoryStore

CALLS = 200


class State(TypedDict, total=False):
    times: list[float]


async def calls(state: State, *, store: Any) -> dict[str, Any]:
    await store.aput(("bench",), "k", {"v": 1})
    times = []
    for _ in range(CALLS):
        t0 = time.perf_counter()
        await store.aget(("bench",), "k")
        times.append(time.perf_counter() - t0)
    return {"times": times}


def graph(executor: Any) -> Any:
    builder = StateGraph(State)
    builder.add_node("calls", calls)
    builder.set_entry_point("calls")
    return builder.compile(store=InMemoryStore(), executor=executor)


def line(name: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p99 = ms[int(len(ms) * 0.99) - 1]
    return f"{name}: aget p50 {statistics.median(ms):.3f} ms, p99 {p99:.3f} ms ({len(ms)} calls)"


async def main() -> None:
    from graphstage.ray import RayExecutor

    pool = RayExecutor(hosts=1, init_options={"num_cpus": 2})
    await pool.astart()
    try:
        remote, local = graph(pool), graph(LocalExecutor())
        await remote.ainvoke({})  # warm up: the function shipped, the host ready
        print(f"python {sys.version.split()[0]}, {CALLS} store.aget calls from one node")
        print(line("  in-process", (await local.ainvoke({}))["times"]))
        print(line("  ray host  ", (await remote.ainvoke({}))["times"]))
    finally:
        pool.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
