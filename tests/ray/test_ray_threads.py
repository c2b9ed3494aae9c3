"""Nodes on Ray hosts pause at ``interrupt()`` and are resumed with ``Command(resume=...)`` on
their thread, as local nodes are. One local Ray (conftest's session pool) serves them."""

from __future__ import annotations

import asyncio
import os
from typing import Any, TypedDict

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")

from graphstage import END, START, Command, NodeStarted, StateGraph, interrupt
from graphstage.checkpoint.memory import InMemorySaver

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(120)]


@pytest.fixture
async def ray_pool(executor):
    yield executor
    await executor.wait_idle()


class Form(TypedDict, total=False):
    name: str
    age: str
    pids: list[int]
    cleaned: bool


async def ask(state: Form) -> dict[str, Any]:
    name = interrupt("name?")  # answered first, then asked again for the age
    age = interrupt({"question": "age?", "name": name})
    return {"name": name, "age": age, "pids": [os.getpid()]}


def ask_sync(state: Form) -> dict[str, Any]:
    return {"name": interrupt("name?"), "pids": [os.getpid()]}


async def ask_or_clean_up(state: Form) -> Any:
    try:
        return {"name": interrupt("name?")}
    except asyncio.CancelledError:
        return Command(goto="cleanup")


async def cleanup(state: Form) -> dict[str, Any]:
    return {"cleaned": True}


def form(node: Any, ray_pool: Any) -> Any:
    builder = StateGraph(Form)
    builder.add_node("ask", node)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "ask")
    builder.add_edge("ask", END)
    return builder.compile(checkpointer=InMemorySaver(), executor=ray_pool)


async def where_ask_ran(graph: Any, value: Any, config: dict[str, Any]) -> tuple[Any, str]:
    run = graph.start(value, config)
    result = await asyncio.wait_for(run.result(), 60)
    started = [e for e in run.event_log if isinstance(e, NodeStarted)]
    return result, started[0].where


async def test_interrupt_on_a_ray_host_pauses_and_command_resume_answers_it(ray_pool):
    graph = form(ask, ray_pool)
    config = {"configurable": {"thread_id": "form"}}
    first = await asyncio.wait_for(graph.ainvoke({}, config), 60)
    (question,) = first["__interrupt__"]
    assert question.value == "name?"
    assert graph.get_state(config).next == ("ask",)
    second = await asyncio.wait_for(graph.ainvoke(Command(resume="Ada"), config), 60)
    (question,) = second["__interrupt__"]
    assert question.value == {"question": "age?", "name": "Ada"}
    result, where = await where_ask_ran(graph, Command(resume="36"), config)
    assert result.status == "completed"
    assert where.startswith("ray host")
    assert (result.state["name"], result.state["age"]) == ("Ada", "36")
    assert result.state["pids"] != [os.getpid()]  # it ran in a host process
    assert graph.get_state(config).next == ()


async def test_a_sync_node_on_a_ray_host_is_resumed_with_its_answer(ray_pool):
    graph = form(ask_sync, ray_pool)
    config = {"configurable": {"thread_id": "sync form"}}
    first = await asyncio.wait_for(graph.ainvoke({}, config), 60)
    assert [q.value for q in first["__interrupt__"]] == ["name?"]
    done = await asyncio.wait_for(graph.ainvoke(Command(resume="Grace"), config), 60)
    assert done["name"] == "Grace" and "__interrupt__" not in done
    assert done["pids"] != [os.getpid()]


async def test_a_stopped_thread_waiting_on_a_ray_host_takes_its_cleanup_route(ray_pool):
    graph = form(ask_or_clean_up, ray_pool)
    config = {"configurable": {"thread_id": "stopped form"}}
    first = await asyncio.wait_for(graph.ainvoke({}, config), 60)
    assert [q.value for q in first["__interrupt__"]] == ["name?"]
    result = await asyncio.wait_for(graph.stop_thread(config).result(), 60)
    # as locally (tests/persistence/test_resume_safety.py): the stop reached interrupt()
    assert (result.status, result.path) == ("cancelled", ("ask", "cleanup"))
    assert graph.get_state(config).values == {"cleaned": True}
