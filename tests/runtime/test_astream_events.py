"""astream_events (LangChain's event stream, version "v2") on graphstage graphs: the order,
names, tags and metadata of the graph's, nodes', path functions' and models' events; a
stop (the consumer cancelled, the stream closed early, a node's timeout) reaching the
node's cleanup route; callbacks given to ainvoke; bad arguments."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

lc = pytest.importorskip("langchain_core", reason="needs pip install -e '.[messages]'")

from langchain_core.callbacks import AsyncCallbackHandler  # noqa: E402
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel  # noqa: E402
from langchain_core.messages import AIMessage  # noqa: E402

from graphstage import END, START, Command, StateGraph  # noqa: E402

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.timeout(30),
    pytest.mark.usefixtures("no_leftover_tasks"),
]


class S(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def two_nodes(route: Any = None) -> Any:
    model = GenericFakeChatModel(messages=iter([AIMessage("hello world")]))

    async def write(state: S) -> dict[str, Any]:
        reply = await model.ainvoke(f"about {state['topic']}")
        return {"log": [reply.content]}

    def review(state: S) -> dict[str, Any]:
        return {"log": ["reviewed"]}

    builder = StateGraph(S).add_node("write", write).add_node("review", review)
    builder.add_edge(START, "write")
    if route is None:
        builder.add_edge("write", "review")
    else:
        builder.add_conditional_edges("write", route, ["review", END])
    return builder.add_edge("review", END).compile()


async def events_of(graph: Any, inp: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return [e async for e in graph.astream_events(inp, version="v2", **kwargs)]


async def test_the_graph_and_each_node_report_in_langgraphs_order() -> None:
    events = await events_of(two_nodes(), {"topic": "cats", "log": []})
    assert [(e["event"], e["name"]) for e in events] == [
        ("on_chain_start", "LangGraph"),
        ("on_chain_start", "write"),
        ("on_chat_model_start", "GenericFakeChatModel"),
        ("on_chat_model_stream", "GenericFakeChatModel"),
        ("on_chat_model_stream", "GenericFakeChatModel"),
        ("on_chat_model_stream", "GenericFakeChatModel"),
        ("on_chat_model_end", "GenericFakeChatModel"),
        ("on_chain_stream", "write"),
        ("on_chain_end", "write"),
        ("on_chain_stream", "LangGraph"),  # the step's update, before the next step starts
        ("on_chain_start", "review"),
        ("on_chain_stream", "review"),
        ("on_chain_end", "review"),
        ("on_chain_stream", "LangGraph"),
        ("on_chain_end", "LangGraph"),
    ]
    graph_run, write = events[0], events[1]
    assert write["tags"] == ["graph:step:1"]
    assert write["parent_ids"] == [graph_run["run_id"]]
    meta = write["metadata"]
    assert (meta["langgraph_node"], meta["langgraph_step"]) == ("write", 1)
    assert meta["langgraph_triggers"] == ("branch:to:write",)
    assert meta["langgraph_path"] == ("__pregel_pull", "write")
    assert meta["langgraph_checkpoint_ns"].startswith("write:")
    token = events[3]
    assert token["parent_ids"] == [graph_run["run_id"], write["run_id"]]
    assert token["metadata"]["langgraph_node"] == "write"
    assert token["metadata"]["checkpoint_ns"] == meta["langgraph_checkpoint_ns"]
    assert [e["data"]["chunk"].content for e in events[3:6]] == ["hello", " ", "world"]
    assert events[7]["data"] == {"chunk": {"log": ["hello world"]}}
    assert events[9]["data"] == {"chunk": {"write": {"log": ["hello world"]}}}
    assert events[-1]["data"] == {"output": {"topic": "cats", "log": ["hello world", "reviewed"]}}
    assert events[0]["data"] == {"input": {"topic": "cats", "log": []}}


async def test_a_path_function_runs_inside_its_node_before_the_nodes_end() -> None:
    def route(state: S) -> str:
        return "review"

    events = await events_of(two_nodes(route), {"topic": "cats", "log": []})
    names = [(e["event"], e["name"]) for e in events]
    start = names.index(("on_chain_start", "route"))
    assert names[start - 1] == ("on_chat_model_end", "GenericFakeChatModel")
    assert names[start : start + 5] == [
        ("on_chain_start", "route"),
        ("on_chain_end", "route"),
        ("on_chain_stream", "write"),
        ("on_chain_end", "write"),
        ("on_chain_stream", "LangGraph"),
    ]
    route_start = events[start]
    assert route_start["tags"] == ["seq:step:3"]
    assert route_start["parent_ids"] == [events[0]["run_id"], events[1]["run_id"]]
    assert route_start["metadata"]["langgraph_node"] == "write"
    assert route_start["data"] == {"input": {"topic": "cats", "log": ["hello world"]}}
    assert events[start + 1]["data"]["output"] == "review"


async def test_filters_pick_events_by_name_type_and_tag() -> None:
    only_review = await events_of(two_nodes(), {"topic": "x", "log": []}, include_names=["review"])
    assert [(e["event"], e["name"]) for e in only_review] == [
        ("on_chain_start", "review"),
        ("on_chain_stream", "review"),
        ("on_chain_end", "review"),
    ]
    models = await events_of(two_nodes(), {"topic": "x", "log": []}, include_types=["chat_model"])
    assert {e["event"] for e in models} == {
        "on_chat_model_start",
        "on_chat_model_stream",
        "on_chat_model_end",
    }
    steps = await events_of(two_nodes(), {"topic": "x", "log": []}, include_tags=["graph:step:2"])
    assert {e["name"] for e in steps} == {"review"}


async def test_config_tags_metadata_and_run_name_reach_every_event() -> None:
    config = {"tags": ["mine"], "metadata": {"user": "u1"}, "run_name": "jokes"}
    events = [e async for e in two_nodes().astream_events({"topic": "x", "log": []}, config)]
    assert events[0]["name"] == events[-1]["name"] == "jokes"
    assert all("mine" in e["tags"] and e["metadata"]["user"] == "u1" for e in events)
    assert events[1]["tags"] == ["graph:step:1", "mine"]


def user_story(done: list[str], *, timeout: float | None = None) -> Any:
    """The README's user story: a node that answers a stop with Command(goto=cleanup)."""

    class State(TypedDict):
        result: str

    async def work_stage(state: State) -> Command[Any]:
        try:
            await asyncio.Event().wait()  # until stopped
        except asyncio.CancelledError:
            done.append("cancellation detected")
            return Command(goto="cleanup_stage")
        return Command(goto=END)  # pragma: no cover - never reached

    async def cleanup_stage(state: State) -> dict[str, Any]:
        done.append("cleanup")
        return {"result": "cleanup"}

    builder = StateGraph(State)
    builder.add_node("work_stage", work_stage, timeout=timeout)
    builder.add_node("cleanup_stage", cleanup_stage)
    builder.add_edge(START, "work_stage")
    return builder.compile(cancel_grace=5.0)


async def test_cancelling_the_consumer_stops_the_run_through_its_cleanup_route() -> None:
    done: list[str] = []
    seen: list[tuple[str, str]] = []
    started = asyncio.Event()

    async def consume() -> None:
        async for event in user_story(done).astream_events({"result": ""}, version="v2"):
            seen.append((event["event"], event["name"]))
            if seen[-1] == ("on_chain_start", "work_stage"):
                started.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    assert done == ["cancellation detected", "cleanup"]  # cleanup ran before it ended
    assert seen == [("on_chain_start", "LangGraph"), ("on_chain_start", "work_stage")]


async def test_closing_the_stream_early_stops_the_run_through_its_cleanup_route() -> None:
    done: list[str] = []
    stream = user_story(done).astream_events({"result": ""}, version="v2")
    async for event in stream:
        if (event["event"], event["name"]) == ("on_chain_start", "work_stage"):
            break
    await asyncio.wait_for(stream.aclose(), 10)  # as `break` then GC, without waiting for GC
    assert done == ["cancellation detected", "cleanup"]


async def test_a_timeouts_stop_shows_in_the_stream_which_ends_cleanly() -> None:
    done: list[str] = []
    graph = user_story(done, timeout=0.05)
    events = await asyncio.wait_for(events_of(graph, {"result": ""}), 10)
    assert [(e["event"], e["name"]) for e in events] == [
        ("on_chain_start", "LangGraph"),
        ("on_chain_start", "work_stage"),
        ("on_chain_stream", "work_stage"),
        ("on_chain_end", "work_stage"),
        ("on_chain_stream", "LangGraph"),
        ("on_chain_start", "cleanup_stage"),
        ("on_chain_stream", "cleanup_stage"),
        ("on_chain_end", "cleanup_stage"),
        ("on_chain_stream", "LangGraph"),
        ("on_chain_end", "LangGraph"),
    ]
    assert events[3]["data"]["output"] == Command(goto="cleanup_stage")  # its answer
    assert events[-1]["data"]["output"] == {"result": "cleanup"}
    assert done == ["cancellation detected", "cleanup"]


async def test_a_failing_node_ends_the_stream_with_its_error() -> None:
    def boom(state: S) -> dict[str, Any]:
        raise ValueError("boom")

    graph = StateGraph(S).add_node("boom", boom).add_edge(START, "boom").compile()
    seen: list[tuple[str, str]] = []
    with pytest.raises(ValueError, match="boom"):
        async for event in graph.astream_events({"topic": "x", "log": []}, version="v2"):
            seen.append((event["event"], event["name"]))
    assert seen == [("on_chain_start", "LangGraph"), ("on_chain_start", "boom")]


class Recorder(AsyncCallbackHandler):
    """A tracer as a user passes one: what chain runs started, and under which parent."""

    def __init__(self) -> None:
        self.starts: list[tuple[str, Any, Any]] = []

    async def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
        self.starts.append((kwargs["name"], kwargs["run_id"], kwargs["parent_run_id"]))


async def test_callbacks_given_to_ainvoke_hear_the_graph_and_its_nodes() -> None:
    recorder = Recorder()
    out = await two_nodes().ainvoke({"topic": "x", "log": []}, {"callbacks": [recorder]})
    assert out == {"topic": "x", "log": ["hello world", "reviewed"]}
    (graph, graph_id, root), *nodes = recorder.starts
    assert (graph, root) == ("LangGraph", None)
    assert [(name, parent) for name, _, parent in nodes] == [
        ("write", graph_id),
        ("review", graph_id),
    ]


async def test_a_subgraph_node_reports_its_graph_under_the_node() -> None:
    def inner(state: S) -> dict[str, Any]:
        return {"log": ["inner"]}

    sub = StateGraph(S).add_node("inner", inner).add_edge(START, "inner").compile()
    graph = StateGraph(S).add_node("sub", sub).add_edge(START, "sub").compile()
    events = await events_of(graph, {"topic": "x", "log": []})
    names = [(e["event"], e["name"], len(e["parent_ids"])) for e in events]
    assert names[:4] == [
        ("on_chain_start", "LangGraph", 0),
        ("on_chain_start", "sub", 1),
        ("on_chain_start", "LangGraph", 2),  # the subgraph's run, inside its node's
        ("on_chain_start", "inner", 3),
    ]
    ns = events[3]["metadata"]["langgraph_checkpoint_ns"]
    assert ns.startswith("sub:") and "|inner:" in ns


async def test_unsupported_versions_are_refused_by_name() -> None:
    graph = two_nodes()
    with pytest.raises(NotImplementedError, match="version='v3'"):
        graph.astream_events({"topic": "x", "log": []}, version="v3")
    with pytest.raises(NotImplementedError, match="Unsupported version: 'v9'"):
        graph.astream_events({"topic": "x", "log": []}, version="v9")
    with pytest.raises(NotImplementedError, match="Use astream_events"):
        graph.stream_events({"topic": "x", "log": []}, version="v2")


async def test_a_run_without_callbacks_makes_no_callback_runs(monkeypatch: Any) -> None:
    from graphstage.langchain import events

    async def refuse(*args: Any) -> None:
        raise AssertionError("a node reported to callbacks nobody gave")

    monkeypatch.setattr(events.NodeRun, "start", refuse)
    out = await two_nodes().ainvoke({"topic": "x", "log": []})
    assert out["log"] == ["hello world", "reviewed"]


async def test_get_config_in_a_node_gives_the_nodes_callback_config() -> None:
    from graphstage import get_config

    model = GenericFakeChatModel(messages=iter([AIMessage("hi")]))

    async def helper_call(state: S) -> dict[str, Any]:
        reply = await model.ainvoke("x", get_config())  # the config passed on explicitly
        return {"log": [reply.content]}

    graph = StateGraph(S).add_node("n", helper_call).add_edge(START, "n").compile()
    events = await events_of(graph, {"topic": "x", "log": []})
    start = next(e for e in events if e["event"] == "on_chat_model_start")
    assert len(start["parent_ids"]) == 2  # under the graph's and the node's runs
    assert start["metadata"]["langgraph_node"] == "n"
