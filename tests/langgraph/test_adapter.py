"""Unmodified LangGraph graphs on graphstage: same results as LangGraph, graphstage's stop.

Each program is built with LangGraph's own API, run on LangGraph, then carried over with
``graphstage.langgraph.from_langgraph`` and run on graphstage's actors.
"""

from __future__ import annotations

import asyncio
import importlib.util
import operator
import warnings
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip("langgraph.prebuilt", reason="needs pip install -e '.[bench]'")

from langgraph.cache.memory import InMemoryCache
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.types import CachePolicy, Command, RetryPolicy, Send, interrupt

import graphstage
from graphstage import CompiledGraph, GraphError, NodeCancelled, NodeStarted
from graphstage.app.loader import GraphLoadError, load_graph
from graphstage.langgraph import from_langgraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

HERE = Path(__file__).resolve().parent


def load(name: str) -> ModuleType:
    """A fresh copy of a program in this folder (fake models keep their own state)."""
    spec = importlib.util.spec_from_file_location(f"lg_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():  # create_react_agent is deprecated in favour of LangChain's
        warnings.simplefilter("ignore")
        spec.loader.exec_module(module)
    return module


def messages(state: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (type(m).__name__, m.content, getattr(m, "tool_calls", None), getattr(m, "name", None))
        for m in state["messages"]
    ]


async def test_the_seed_program_in_langgraph_form_reaches_cleanup_when_stopped(
    no_leftover_tasks: None,
) -> None:
    seed = load("seed_langgraph")
    graph = from_langgraph(seed.graph)
    assert isinstance(graph, CompiledGraph)
    run = graph.start({"sleep_seconds": 30})
    async for event in run.events():
        if event.kind == "custom_output":  # the first line: work_stage is running
            run.stop()
            break
    result = await run.result()
    assert result.status == "cancelled"
    assert result.path == ("work_stage", "cleanup_stage")
    assert result.state.result == "cleanup"
    lines = [e.data for e in run.event_log if e.kind == "custom_output"]
    assert lines == ["working: 1/30 s", "cancellation detected"]


async def test_an_uninterrupted_run_gives_langgraphs_result() -> None:
    seed = load("seed_langgraph")
    expected = await seed.graph.ainvoke({"sleep_seconds": 1})
    assert await from_langgraph(seed.graph).ainvoke({"sleep_seconds": 1}) == expected
    assert await from_langgraph(seed.builder).ainvoke({"sleep_seconds": 1}) == expected


async def test_the_prebuilt_react_agent_gives_langgraphs_messages(
    no_leftover_tasks: None,
) -> None:
    inp = {"messages": [("user", "weather in Paris and Rome?")]}
    expected = await load("react_agent").graph.ainvoke(inp)
    graph = from_langgraph(load("react_agent").graph)
    run = graph.start(inp)
    result = await run.result()
    assert result.status == "completed", result.error
    got = result.state
    assert messages(got) == messages(expected)
    assert messages(got)[2][1] == "sunny in Paris (asked after 2 messages)"  # injected state
    # create_react_agent sends each tool call to the ToolNode as a Send: two tasks
    started = [(e.node, e.task) for e in run.event_log if isinstance(e, NodeStarted)]
    assert started == [
        ("agent", None),
        ("tools", "tools[0]"),
        ("tools", "tools[1]"),
        ("agent", None),
    ]


async def test_stop_reaches_the_agents_running_tools(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    agent = load("react_agent")
    agent.SLOW["seconds"] = 60
    run = from_langgraph(agent.graph).start({"messages": [("user", "weather?")]})
    await wait_until(
        lambda: any(e.kind == "node_started" and e.node == "tools" for e in run.event_log)
    )
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "cancelled"
    cancelled = sorted((e.task, e.how) for e in run.event_log if isinstance(e, NodeCancelled))
    assert cancelled == [("tools[0]", "reraised"), ("tools[1]", "reraised")]
    assert result.next == ("tools",)


class S(TypedDict):
    log: Annotated[list[Any], operator.add]


async def test_langgraphs_command_send_and_stream_writer_work_inside_nodes() -> None:
    def fan(state: S) -> Command:
        get_stream_writer()("fanning out")
        return Command(goto=[Send("work", 2), Send("work", 1)], update={"log": ["fan"]})

    def work(n: int) -> dict[str, Any]:
        return {"log": [n * 10]}

    def route(state: S) -> list[Send] | str:
        return [Send("work", 5)] if len(state["log"]) < 4 else END

    b = StateGraph(S)
    b.add_node("fan", fan)
    b.add_node("work", work)
    b.add_node("check", lambda s: {"log": ["check"]})
    b.add_edge(START, "fan")
    b.add_edge("work", "check")
    b.add_conditional_edges("check", route)
    lg = b.compile()
    expected = [c async for c in lg.astream({"log": []}, stream_mode=["custom", "values"])]
    graph = from_langgraph(lg)
    got = [c async for c in graph.astream({"log": []}, stream_mode=["custom", "values"])]
    assert got[-1] == expected[-1]
    assert ("custom", "fanning out") in got


def test_what_cannot_be_carried_over_is_refused_by_name() -> None:
    b = StateGraph(TypedDict("S", {"x": int}))
    b.add_node("a", lambda s: {"x": 1})
    b.add_edge(START, "a")

    class OwnSaver(InMemorySaver):  # not LangGraph's InMemorySaver itself
        pass

    with pytest.raises(GraphError, match=r"a checkpointer \(OwnSaver\): only LangGraph's"):
        from_langgraph(b.compile(checkpointer=OwnSaver()))


class Asked(TypedDict):
    x: Any
    y: Any


def asking_graph(checkpointer: Any) -> Any:
    def ask(state: Asked) -> dict[str, Any]:
        return {"x": interrupt("first?"), "y": interrupt("second?")}

    b = StateGraph(Asked)
    b.add_node("ask", ask)
    b.add_edge(START, "ask")
    b.add_edge("ask", END)
    return b.compile(checkpointer=checkpointer)


async def test_langgraphs_interrupt_pauses_and_resumes_as_graphstages() -> None:
    config = {"configurable": {"thread_id": "t1"}}
    lg = asking_graph(InMemorySaver())
    expected = [
        await lg.ainvoke({"x": 0, "y": 0}, config),
        await lg.ainvoke(Command(resume="A"), config),
        await lg.ainvoke(Command(resume="B"), config),
    ]
    graph = from_langgraph(asking_graph(InMemorySaver()))  # LangGraph's saver: graphstage's
    got = [
        await graph.ainvoke({"x": 0, "y": 0}, config),
        await graph.ainvoke(graphstage.Command(resume="A"), config),
        await graph.ainvoke(graphstage.Command(resume="B"), config),
    ]
    questions = [[i.value for i in r.pop("__interrupt__", [])] for r in (*expected, *got)]
    assert questions == [["first?"], ["second?"], [], ["first?"], ["second?"], []]
    assert got == expected == [{"x": 0, "y": 0}, {"x": 0, "y": 0}, {"x": "A", "y": "B"}]


def test_the_loader_accepts_a_langgraph_graph_and_its_builder(tmp_path: Path) -> None:
    graph = load_graph(f"{HERE / 'seed_langgraph.py'}:graph")
    assert list(graph.nodes) == ["work_stage", "cleanup_stage"]
    assert list(load_graph(f"{HERE / 'seed_langgraph.py'}:builder").nodes) == list(graph.nodes)
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from typing import TypedDict\n"
        "from langgraph.graph import StateGraph, START\n"
        "from langgraph.checkpoint.memory import InMemorySaver\n"
        "class OwnSaver(InMemorySaver): pass\n"
        "b = StateGraph(TypedDict('S', {'x': int}))\n"
        "b.add_node('a', lambda s: {})\n"
        "b.add_edge(START, 'a')\n"
        "graph = b.compile(checkpointer=OwnSaver())\n"
    )
    with pytest.raises(GraphLoadError, match=r"cannot run on graphstage: .*checkpointer"):
        load_graph(f"{bad}:graph")


async def test_langgraph_subgraphs_and_command_parent_are_carried_over() -> None:
    def decide(state: S) -> Command:
        return Command(graph=Command.PARENT, goto="other", update={"log": ["handed back"]})

    inner = StateGraph(S)
    inner.add_node("work", lambda s: {"log": ["inner work"]})
    inner.add_node("decide", decide)
    inner.add_edge(START, "work")
    inner.add_edge("work", "decide")
    outer = StateGraph(S)
    outer.add_node("first", lambda s: {"log": ["first"]})
    outer.add_node("sub", inner.compile())
    outer.add_node("other", lambda s: {"log": ["other"]})
    outer.add_edge(START, "first")
    outer.add_edge("first", "sub")
    lg = outer.compile()
    expected = await lg.ainvoke({"log": []})
    got = await from_langgraph(lg).ainvoke({"log": []})
    assert got == expected
    # the subgraph's own updates stay in it: only the handed-back Command reaches the parent
    assert got["log"] == ["first", "handed back", "other"]


async def test_retry_cache_and_defer_are_carried_over() -> None:
    def program() -> tuple[Any, list[str]]:
        calls: list[str] = []

        def flaky(state: S) -> dict[str, Any]:
            calls.append("flaky")
            if calls.count("flaky") < 3:
                raise ConnectionError("not yet")  # retried by default, as in LangGraph
            return {"log": ["flaky ok"]}

        def cached(state: S) -> dict[str, Any]:
            calls.append("cached")
            return {"log": ["cached"]}

        b = StateGraph(S)
        b.add_node("flaky", flaky, retry_policy=RetryPolicy(initial_interval=0, jitter=False))
        b.add_node("fast", lambda s: {"log": ["fast"]})
        b.add_node("last", lambda s: {"log": ["last"]}, defer=True)
        b.add_node("cached", cached, cache_policy=CachePolicy())
        b.add_edge(START, "flaky")
        b.add_edge(START, "fast")
        b.add_edge("fast", "last")
        b.add_edge("flaky", "cached")
        return b.compile(cache=InMemoryCache()), calls

    lg, lg_calls = program()
    expected = [await lg.ainvoke({"log": []}), await lg.ainvoke({"log": []})]
    theirs, calls = program()
    graph = from_langgraph(theirs)
    got = [await graph.ainvoke({"log": []}), await graph.ainvoke({"log": []})]
    assert got == expected
    assert calls == lg_calls == ["flaky", "flaky", "flaky", "cached", "flaky"]


async def test_stop_reaches_inside_a_langgraph_subgraph(wait_until: Any) -> None:
    entered: list[str] = []

    async def slow(state: S) -> Any:
        entered.append("slow")
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            return Command(goto="inner_cleanup", update={"log": ["inner stopped"]})
        return {"log": ["slow done"]}

    inner = StateGraph(S)
    inner.add_node("slow", slow)
    inner.add_node("inner_cleanup", lambda s: {"log": ["inner cleanup"]})
    inner.add_edge(START, "slow")
    outer = StateGraph(S)
    outer.add_node("sub", inner.compile())
    outer.add_node("after", lambda s: {"log": ["after"]})
    outer.add_edge(START, "sub")
    outer.add_edge("sub", "after")
    run = from_langgraph(outer.compile()).start({"log": []})
    await wait_until(lambda: entered == ["slow"])
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    # the subgraph's node answered the stop and its cleanup ran; the parent then ended
    assert result.status == "cancelled"
    assert result.state["log"] == ["inner stopped", "inner cleanup"]
    assert result.next == ("after",)


async def test_the_messages_stream_of_the_agent_matches_langgraphs() -> None:
    inp = {"messages": [("user", "weather?")]}

    async def kinds(graph: Any) -> list[tuple[str, Any, Any]]:
        return [
            (type(message).__name__, message.content, meta.get("langgraph_node"))
            async for message, meta in graph.astream(inp, stream_mode="messages")
        ]

    expected = await kinds(load("react_agent").graph)
    got = await kinds(from_langgraph(load("react_agent").graph))
    assert got == expected
    assert [k[0] for k in got] == ["AIMessage", "ToolMessage", "ToolMessage", "AIMessage"]


async def test_a_node_timeout_is_carried_over() -> None:
    async def slow(state: S) -> dict[str, Any]:
        await asyncio.sleep(5)
        return {"log": ["slow"]}

    b = StateGraph(S)
    b.add_node("slow", slow, timeout=0.05)
    b.add_edge(START, "slow")
    from langgraph.errors import NodeTimeoutError as LangGraphTimeout

    from graphstage.errors import NodeTimeoutError

    with pytest.raises(LangGraphTimeout):
        await b.compile().ainvoke({"log": []})
    with pytest.raises(NodeTimeoutError):
        await from_langgraph(b.compile()).ainvoke({"log": []})


async def test_langgraphs_store_is_carried_over_to_nodes_and_tools() -> None:
    from langgraph.store.base import BaseStore
    from langgraph.store.memory import InMemoryStore

    def remember(state: S, *, store: BaseStore) -> dict[str, Any]:
        store.put(("notes",), str(len(state["log"])), {"seen": list(state["log"])})
        return {"log": [len(store.search(("notes",)))]}

    def build(store: Any) -> Any:
        b = StateGraph(S)
        b.add_node("remember", remember)
        b.add_edge(START, "remember")
        return b.compile(store=store)

    lg_store, gs_store = InMemoryStore(), InMemoryStore()
    expected = [await build(lg_store).ainvoke({"log": [x]}) for x in "ab"]
    graph = from_langgraph(build(gs_store))
    assert graph.store is gs_store
    assert (
        [await graph.ainvoke({"log": [x]}) for x in "ab"]
        == expected
        == [
            {"log": ["a", 1]},
            {"log": ["b", 1]},  # the same key, replaced
        ]
    )
    assert [i.value for i in gs_store.search(("notes",))] == [{"seen": ["b"]}]


async def test_langgraphs_error_handlers_and_node_defaults_are_carried_over() -> None:
    from langgraph.errors import NodeError

    def boom(state: S) -> dict[str, Any]:
        raise ValueError("boom")

    def handler(state: S, error: NodeError) -> Command:
        return Command(goto="d", update={"log": [f"{error.node}: {error.error!r}"]})

    def fallback(state: S, error: NodeError) -> dict[str, Any]:
        return {"log": [f"default for {error.node}"]}

    def build(defaults: bool) -> Any:
        b = StateGraph(S)
        if defaults:
            b.set_node_defaults(error_handler=fallback)
        b.add_node("b", boom, error_handler=None if defaults else handler)
        b.add_node("d", lambda s: {"log": ["d"]})
        return b.add_edge(START, "b")

    for defaults in (False, True):
        expected = await build(defaults).compile().ainvoke({"log": []})
        assert await from_langgraph(build(defaults).compile()).ainvoke({"log": []}) == expected
        assert await from_langgraph(build(defaults)).ainvoke({"log": []}) == expected
    assert expected == {"log": ["default for b"]}
