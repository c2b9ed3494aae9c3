"""The user's seed program kept in its LangGraph form (LangGraph's imports, unchanged):
``graphstage run`` runs it on graphstage, and Ctrl+C reaches cleanup_stage."""

import asyncio

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from pydantic import BaseModel, Field


class State(BaseModel):
    sleep_seconds: int = Field(gt=0)
    result: str | None = None


async def work_stage(state: State, writer):
    try:
        for second in range(state.sleep_seconds):
            await asyncio.sleep(1)
            writer(f"working: {second + 1}/{state.sleep_seconds} s")
    except asyncio.CancelledError:
        writer("cancellation detected")
        return Command(goto="cleanup_stage")  # applied: the run goes on to cleanup
    return Command(goto=END, update={"result": "done"})


async def cleanup_stage(state: State):
    return {"result": "cleanup"}


builder = StateGraph(State)
builder.add_node("work_stage", work_stage)
builder.add_node("cleanup_stage", cleanup_stage)
builder.add_edge(START, "work_stage")
graph = builder.compile()
