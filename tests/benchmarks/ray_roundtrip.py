"""What a node on a Ray host costs against the same node in this process.

    GRAPHSTAGE_RAY_TESTS=1 unshare -n -p -f --mount-proc bash -c \
        'ip link set lo up && python tests/benchmarks/ray_roundtrip.py'

(a local Ray inside a loopback-only network namespace, as the Ray tests; the script refuses
to start Ray where another interface is up). Per transition: a chain of N trivial nodes,
best of R runs. Stop: S runs of the user's story, each stopped while ``work`` is running;
the latency from ``run.stop()`` to the node's Command being back (its ``NodeFinished``),
to ``cleanup`` starting (its ``NodeStarted``) and to cleanup's first line arriving. Goal on
a local Ray: stop -> cleanup start p99 under 25 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from pydantic import BaseModel

from graphstage import END, START, Command, CustomOutput, NodeFinished, NodeStarted, StateGraph

sys.path.insert(0, str(Path(__file__).parents[1] / "ray"))
from conftest import skip_reason


class Counter(BaseModel):
    count: int = 0


async def step(state: Counter) -> dict[str, int]:
    return {"count": state.count + 1}


def chain(n: int, executor):
    builder = StateGraph(Counter)
    for i in range(n):
        builder.add_node(f"n{i}", step)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{n - 1}", END)
    return builder.compile(executor=executor)


async def work(state: Counter, writer):
    writer("working")
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        return Command(goto="cleanup")
    return {"count": 1}


async def cleanup(state: Counter, writer):
    writer("cleanup started")
    return {"count": -1}


def story(executor):
    builder = StateGraph(Counter)
    builder.add_node("work", work)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "work")
    return builder.compile(executor=executor)


async def per_transition(graph, n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = await graph.ainvoke({}, {"recursion_limit": n + 1})
        best = min(best, time.perf_counter() - started)
        assert result["count"] == n
    return best / n * 1e6


async def stop_latency(graph, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"command": [], "cleanup start": [], "cleanup line": []}
    for _ in range(runs):
        run = graph.start({})
        stopped = 0.0
        async for event in run.events():
            if isinstance(event, CustomOutput) and event.data == "working":
                stopped = time.time()
                run.stop()
            elif isinstance(event, NodeFinished) and event.node == "work":
                out["command"].append((event.time - stopped) * 1e3)
            elif isinstance(event, NodeStarted) and event.node == "cleanup":
                out["cleanup start"].append((event.time - stopped) * 1e3)
            elif isinstance(event, CustomOutput) and event.data == "cleanup started":
                out["cleanup line"].append((event.time - stopped) * 1e3)
        result = await run.result()
        assert result.status == "cancelled" and result.path == ("work", "cleanup"), result
    return out


def ray_memory() -> str:
    """Resident memory of the processes this driver started (Ray's own and the hosts)."""
    import psutil  # a dependency of Ray

    children = psutil.Process().children(recursive=True)
    rss = sum(p.memory_info().rss for p in children if p.is_running())
    return f"{len(children)} processes, {rss / 2**30:.2f} GiB resident"


def summary(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]
    return f"p50 {statistics.median(values):.2f} ms, p99 {p99:.2f} ms, max {values[-1]:.2f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stops", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=2)
    args = parser.parse_args()
    reason = skip_reason()
    if reason is not None:
        sys.exit(f"not starting Ray: {reason}")
    from graphstage import LocalExecutor
    from graphstage.ray import RayExecutor

    ray_pool = RayExecutor(hosts=args.hosts)
    started = time.perf_counter()
    lags: list[float] = []

    async def probe() -> None:  # what a window's loop sees while Ray starts (astart)
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append((time.perf_counter() - before - 0.01) * 1e3)

    prober = asyncio.ensure_future(probe())
    await ray_pool.astart()
    prober.cancel()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, Ray start-up with "
        f"{args.hosts} hosts: {time.perf_counter() - started:.1f} s, {ray_memory()}"
    )
    print(f"event-loop lag while Ray starts (astart, 10 ms probes): {summary(lags)}")
    local = LocalExecutor()
    host = ray_pool._hosts[0]
    await host.info.remote()
    times = []
    for _ in range(500):
        begun = time.perf_counter()
        await host.info.remote()
        times.append((time.perf_counter() - begun) * 1e3)
    print(f"       ray: a bare actor call's round trip {summary(times)} (500 calls)")
    for name, executor in (("in-process", local), ("ray", ray_pool)):
        await per_transition(chain(20, executor), 20, 1)  # warm up (ships the functions)
        us = await per_transition(chain(args.nodes, executor), args.nodes, args.repeat)
        print(f"{name:>10}: {us:8.1f} us/transition (chain of {args.nodes}, best of {args.repeat})")
    for name, executor in (("in-process", local), ("ray", ray_pool)):
        await stop_latency(story(executor), 5)  # warm up
        latencies = await stop_latency(story(executor), args.stops)
        for what, values in latencies.items():
            print(f"{name:>10}: stop -> {what:<13} {summary(values)} ({args.stops} stops)")
    await ray_pool.wait_idle()
    ray_pool.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
