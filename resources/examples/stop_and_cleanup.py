"""The user's story: a work stage that a Stop sends to its cleanup stage.

``work_stage`` sleeps one second at a time, writing progress through ``writer``. When the
run is stopped (the Stop button, ``run.stop()``, Ctrl+C, or the caller's task being
cancelled) it sees ``asyncio.CancelledError``, says so, and returns
``Command(goto="cleanup_stage")``: the cleanup stage really runs and records its result.
"""

import asyncio

from pydantic import BaseModel, Field

from graphstage import END, START, Command, StateGraph


class State(BaseModel):
    sleep_seconds: int = Field(5, gt=0, description="How many seconds work_stage works")
    result: str | None = None


async def work_stage(state: State, writer):
    try:
        for second in range(1, state.sleep_seconds + 1):
            await asyncio.sleep(1)
            writer(f"working: {second}/{state.sleep_seconds} s")
    except asyncio.CancelledError:
        writer("cancellation detected")
        return Command(goto="cleanup_stage")
    return Command(goto=END, update={"result": "done"})


async def cleanup_stage(state: State, writer):
    writer("releasing resources")
    return {"result": "cleanup"}


builder = StateGraph(State)
builder.add_node("work_stage", work_stage, destinations=("cleanup_stage",))
builder.add_node("cleanup_stage", cleanup_stage)
builder.add_edge(START, "work_stage")
graph = builder.compile(cancel_grace=5.0, name="stop_and_cleanup")
