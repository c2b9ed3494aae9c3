"""Nodes on Ray hosts pause at ``interrupt()`` and are resumed with ``Command(resume=...)`` on
their thread, and use the graph's store (which stays in the driver), as local nodes do. One
local Ray (conftest's session pool) serves them."""

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


# -- the store: it stays in the driver; nodes on hosts reach it ----------------------------


class Memo(TypedDict, total=False):
    user: str
    seen: list[str]
    found: list[str]
    pids: list[int]


async def remember(state: Memo, *, store: Any) -> dict[str, Any]:
    namespace = ("memories", state["user"])
    await store.aput(namespace, "first", {"text": "likes tea"})
    item = await store.aget(namespace, "first")
    return {"seen": [item.value["text"]], "pids": [os.getpid()]}


def recall(state: Memo, runtime: Any) -> dict[str, Any]:  # sync: in a worker thread there
    from graphstage import get_config, get_store

    store = get_store()
    assert store is runtime.store
    assert get_config()["metadata"]["langgraph_node"] == "recall"
    store.put(("memories", state["user"]), "second", {"text": "walks at noon"})
    found = store.search(("memories", state["user"]))
    return {"found": sorted(i.value["text"] for i in found), "pids": [os.getpid()]}


async def misuse(state: Memo, *, store: Any) -> dict[str, Any]:
    store.get(("memories",), "x")  # a sync call from an async node: refused with advice
    return {}


def memo(ray_pool: Any, store: Any, *nodes: Any) -> Any:
    builder = StateGraph(Memo)
    previous = START
    for node in nodes:
        builder.add_node(node.__name__, node)
        builder.add_edge(previous, node.__name__)
        previous = node.__name__
    return builder.compile(store=store, executor=ray_pool)


@pytest.mark.parametrize("kind", ["graphstage", "langgraph"])
async def test_nodes_on_ray_hosts_use_the_store_that_stays_in_the_driver(ray_pool, kind):
    if kind == "langgraph":
        memory = pytest.importorskip("langgraph.store.memory")
        store = memory.InMemoryStore()
    else:
        from graphstage.store.memory import InMemoryStore

        store = InMemoryStore()
    graph = memo(ray_pool, store, remember, recall)
    out = await asyncio.wait_for(graph.ainvoke({"user": "ada", "pids": []}), 60)
    assert out["seen"] == ["likes tea"]
    assert out["found"] == ["likes tea", "walks at noon"]
    assert os.getpid() not in out["pids"]  # both ran in host processes
    # what they put is in the driver's store, where this process reads it
    assert store.get(("memories", "ada"), "second").value == {"text": "walks at noon"}


async def test_a_sync_store_call_from_an_async_node_on_a_host_is_refused_by_name(ray_pool):
    from graphstage.store.memory import InMemoryStore

    graph = memo(ray_pool, InMemoryStore(), misuse)
    with pytest.raises(RuntimeError, match=r"await store\.aget"):
        await asyncio.wait_for(graph.ainvoke({"user": "ada"}), 60)


async def bad_namespace(state: Memo, *, store: Any) -> dict[str, Any]:
    await store.aput(("has.period",), "k", {"v": 1})  # the driver's store refuses it
    return {}


async def polls_the_store(state: Memo, *, store: Any, writer: Any) -> Any:
    try:
        while True:
            await store.aget(("memories", "ada"), "first")
            writer("polled")
    except asyncio.CancelledError:  # the stop reached it between (or during) store calls
        return Command(goto="cleanup", update={"seen": ["stopped"]})


async def memo_cleanup(state: Memo) -> dict[str, Any]:
    return {"found": ["cleaned"]}


async def test_the_driver_stores_error_is_raised_in_the_node_on_the_host(ray_pool):
    from graphstage.store import InvalidNamespaceError
    from graphstage.store.memory import InMemoryStore

    graph = memo(ray_pool, InMemoryStore(), bad_namespace)
    with pytest.raises(InvalidNamespaceError):
        await asyncio.wait_for(graph.ainvoke({"user": "ada"}), 60)


async def test_a_stop_reaches_a_node_busy_with_store_calls_and_its_cleanup_runs(ray_pool):
    from graphstage import CustomOutput
    from graphstage.store.memory import InMemoryStore

    builder = StateGraph(Memo)
    builder.add_node("polls_the_store", polls_the_store)
    builder.add_node("cleanup", memo_cleanup)
    builder.add_edge(START, "polls_the_store")
    graph = builder.compile(store=InMemoryStore(), executor=ray_pool)
    run = graph.start({"user": "ada"})
    async for event in run.events():
        if isinstance(event, CustomOutput):  # it has made a store call: stop it
            run.stop()
            break
    result = await asyncio.wait_for(run.result(), 60)
    assert result.path == ("polls_the_store", "cleanup")
    assert (result.state["seen"], result.state["found"]) == (["stopped"], ["cleaned"])
