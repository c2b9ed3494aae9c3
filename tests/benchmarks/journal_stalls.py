"""Does the journal ever stall the event loop? The longest loop stall while runs end.

    python tests/benchmarks/journal_stalls.py

A probe task sleeps 1 ms in a loop and records how late it wakes (the loop's stall) while:
a run over a 50,000-message state ends (its last node waits for the probe to start); 50
journaled runs are active and end together; another connection holds the file's write lock
while runs end (the runs settle once it is released; the loop must not wait for it); and the
same with the runs on threads of a ``SqliteSaver`` on the journal (a checkpoint per step,
the thread claimed and released), the lock released by a timer thread after 0.3 s (so a
loop that did wait would wait 0.3 s, not forever). Each line gives the probe's worst
lateness (wall time) and the longest loop iteration in the loop thread's CPU time: on a
loaded machine the first includes the time the OS ran other processes. Goal: no stall over 16 ms.
"""

from __future__ import annotations

import asyncio
import operator
import sqlite3
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any, TypedDict

from graphstage import END, START, Journal, SqliteSaver, StateGraph


class Chat(TypedDict):
    messages: Annotated[list[dict[str, str]], operator.add]


async def reply(state: Chat) -> dict[str, Any]:
    await asyncio.sleep(0.001)
    return {"messages": [{"role": "ai", "content": "reply"}]}


def chat_graph(
    steps: int, saver: Any = None, gate: asyncio.Event | None = None, at: Any = None
) -> Any:
    async def last(state: Chat) -> dict[str, Any]:
        assert gate is not None and at is not None
        at.set()
        await gate.wait()
        return await reply(state)

    builder = StateGraph(Chat)
    for i in range(steps):
        builder.add_node(f"n{i}", last if gate is not None and i == steps - 1 else reply)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{steps - 1}", END)
    return builder.compile(checkpointer=saver)


class Probe:
    """How late a task sleeping 1 ms wakes (wall time: the loop's stall as anything on it
    sees it), and the longest loop iteration in the loop thread's CPU time (what the
    loop's own callbacks cost, without the time the OS gave the CPU to other processes)."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_cpu = 0.0
        self.task: asyncio.Task[None] | None = None
        self._loop: Any = None

    async def _run(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(0.001)
            self.worst = max(self.worst, time.perf_counter() - t0 - 0.001)

    async def __aenter__(self) -> Probe:
        self._loop = loop = asyncio.get_running_loop()
        run_once = loop._run_once  # type: ignore[attr-defined]

        def timed() -> None:  # (the loop looks _run_once up on itself each iteration)
            t0 = time.thread_time()
            run_once()
            self.worst_cpu = max(self.worst_cpu, time.thread_time() - t0)

        loop._run_once = timed  # type: ignore[attr-defined]
        self.task = asyncio.create_task(self._run())
        await asyncio.sleep(0.01)
        self.worst = self.worst_cpu = 0.0
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.task is not None
        self.task.cancel()
        del self._loop._run_once

    def __str__(self) -> str:
        return f"worst stall {self.worst * 1e3:5.1f} ms (CPU {self.worst_cpu * 1e3:4.1f} ms)"


def messages(n: int) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"message number {i}"} for i in range(n)]


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "journal.sqlite3"
        with Journal(path) as journal:
            gate, at_last = asyncio.Event(), asyncio.Event()
            big = messages(50_000)
            run = chat_graph(5, gate=gate, at=at_last).start({"messages": big}, journal=journal)
            await at_last.wait()  # past its start (the input is serialised there)
            async with Probe() as probe:
                gate.set()  # its last node answers: the run ends under the probe
                await run.result()
            graph = chat_graph(5)
            print(f"a run over 50,000 messages ends:      {probe}")

            runs = [graph.start({"messages": messages(1000)}, journal=journal) for _ in range(50)]
            await asyncio.sleep(0.002)
            async with Probe() as probe:
                await asyncio.gather(*(r.result() for r in runs))
            print(f"50 active runs end together:          {probe}")

            with closing(sqlite3.connect(path, isolation_level=None)) as blocker:
                async with Probe() as probe:
                    blocker.execute("BEGIN IMMEDIATE")
                    runs = [graph.start({"messages": messages(10)}, journal=journal)]
                    runs += [graph.start({"messages": messages(10)}, journal=journal)]
                    await asyncio.sleep(0.3)  # they end meanwhile; their writes wait
                    settled = sum(r.done for r in runs)
                    blocker.execute("COMMIT")
                    await asyncio.gather(*(r.result() for r in runs))
            print(
                f"the file locked while runs end:       {probe} "
                f"({settled} of 2 settled before the lock was released)"
            )
            saver = SqliteSaver(journal)
            threaded = chat_graph(5, saver)
            with closing(sqlite3.connect(path, isolation_level=None, check_same_thread=False)) as b:
                b.execute("BEGIN IMMEDIATE")
                threading.Timer(0.3, lambda: b.execute("COMMIT")).start()
                async with Probe() as probe:
                    runs = [
                        threaded.start(
                            {"messages": messages(10)}, {"configurable": {"thread_id": f"t{i}"}}
                        )
                        for i in range(2)
                    ]
                    results = await asyncio.gather(*(r.result() for r in runs))
            landed = len(list(saver.list({"configurable": {"thread_id": "t0"}})))
            print(
                f"the same, runs on SqliteSaver threads: {probe} "
                f"({[r.status for r in results]}, {landed} checkpoints of t0)"
            )
    print("goal: no stall over 16 ms")


if __name__ == "__main__":
    asyncio.run(main())
