"""A graph for the journal's CLI tests: its nodes wait on files, so tests steer it exactly.

``first`` counts 1 and goes to ``work``; ``work`` waits until the file ``state.gate`` exists
(a stop sends it to ``cleanup``); ``cleanup`` waits while the file ``state.hold`` exists,
then records ``result="cleanup"``. Load it as ``tests/journal/gated.py:graph``.

The nodes poll a file because the test steering them is another process.
"""

import asyncio
import os

from pydantic import BaseModel

from graphstage import END, START, Command, StateGraph


class Gated(BaseModel):
    gate: str
    """Path of the file whose existence lets ``work`` finish."""
    hold: str = ""
    """Path of a file that keeps ``cleanup`` waiting while it exists."""
    count: int = 0
    result: str | None = None


async def first(state: Gated, writer):
    writer("first: done")
    return {"count": state.count + 1}


async def work(state: Gated, writer):
    try:
        while not os.path.exists(state.gate):  # noqa: ASYNC110, ASYNC240
            await asyncio.sleep(0.02)
    except asyncio.CancelledError:
        writer("cancellation detected")
        return Command(goto="cleanup")
    writer("work: gate open")
    return Command(goto=END, update={"result": "done"})


async def cleanup(state: Gated, writer):
    while state.hold and os.path.exists(state.hold):  # noqa: ASYNC110, ASYNC240
        await asyncio.sleep(0.02)
    writer("cleanup: done")
    return {"result": "cleanup"}


builder = StateGraph(Gated)
builder.add_node("first", first)
builder.add_node("work", work, destinations=("cleanup",))
builder.add_node("cleanup", cleanup)
builder.add_edge(START, "first")
builder.add_edge("first", "work")
graph = builder.compile(cancel_grace=5.0, name="gated")
