"""The user's own program, with only its imports switched, behaves as seed-scenario.md says.

The same source runs twice: with graphstage's imports the cancelled stream still reaches
``cleanup_stage``; with LangGraph's (when the ``bench`` extra is installed) it does not —
the behaviour graphstage exists to change.
"""

from __future__ import annotations

import asyncio
import importlib.util
import textwrap

import pytest

pytestmark = pytest.mark.anyio

PROGRAM = """
import asyncio
from pydantic import BaseModel, Field
{imports}

class State(BaseModel):
    sleep_seconds: int = Field(gt=0)
    result: str | None = None

LOG = []

async def work_stage(state: State, writer):
    try:
        for second in range(state.sleep_seconds):
            await asyncio.sleep(0.1)
            writer(f"working {{second + 1}}")
    except asyncio.CancelledError:
        writer("cancellation detected")
        LOG.append("cancellation detected")
        return Command(goto="cleanup_stage")
    return Command(goto=END, update={{"result": "done"}})

async def cleanup_stage(state: State):
    LOG.append("cleanup_stage ran")
    return {{"result": "cleanup"}}

builder = StateGraph(State)
builder.add_node("work_stage", work_stage)
builder.add_node("cleanup_stage", cleanup_stage)
builder.add_edge(START, "work_stage")
graph = builder.compile()

async def main(chunks):
    async def consume():
        async for chunk in graph.astream(input={{"sleep_seconds": 50}}, stream_mode=["custom"]):
            chunks.append(chunk)
    task = asyncio.create_task(consume())
    while len(chunks) < 2:
        await asyncio.sleep(0.02)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        LOG.append("caller saw CancelledError")
"""

GRAPHSTAGE = "from graphstage import StateGraph, START, END, Command"
LANGGRAPH = (
    "from langgraph.graph import StateGraph, START, END\nfrom langgraph.types import Command"
)


def program(imports: str):
    source = textwrap.dedent(PROGRAM).format(imports=imports)
    spec = importlib.util.spec_from_loader("user_program", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, "user_program.py", "exec"), module.__dict__)
    return module


async def test_with_graphstage_imports_the_cancelled_stream_reaches_cleanup():
    module = program(GRAPHSTAGE)
    chunks: list[object] = []
    await asyncio.wait_for(module.main(chunks), 10)
    assert chunks[:2] == [("custom", "working 1"), ("custom", "working 2")]
    assert module.LOG == ["cancellation detected", "cleanup_stage ran", "caller saw CancelledError"]


async def test_with_langgraph_imports_cleanup_never_runs():
    pytest.importorskip("langgraph", reason="the comparison needs pip install -e '.[bench]'")
    module = program(LANGGRAPH)
    chunks: list[object] = []
    await asyncio.wait_for(module.main(chunks), 10)
    assert "cleanup_stage ran" not in module.LOG
    assert module.LOG[-1] == "caller saw CancelledError"
