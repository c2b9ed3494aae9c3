"""astream_events of unmodified LangGraph graphs carried over with ``from_langgraph``: the
same events as LangGraph's own run of the same graph (types, names, tags, metadata without
task ids, depth, data), and graphstage's stop reaching the node's cleanup route."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip("langgraph.prebuilt", reason="needs pip install -e '.[bench]'")

from langchain_core.callbacks.manager import adispatch_custom_event
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

from graphstage.langgraph import from_langgraph

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.timeout(30),
    pytest.mark.usefixtures("no_leftover_tasks"),
]


class S(TypedDict):
    topic: str
    log: Annotated[list, operator.add]


@tool
def shout(text: str) -> str:
    """Shout the text."""
    return text.upper()


def build() -> Any:
    """A LangGraph graph with a model, a tool, a custom event and a conditional edge."""
    model = GenericFakeChatModel(messages=iter([AIMessage("a short reply")]))

    async def write(state: S) -> dict[str, Any]:
        reply = await model.ainvoke(state["topic"])
        await adispatch_custom_event("progress", {"step": "written"})
        return {"log": [reply.content]}

    async def loud(state: S) -> dict[str, Any]:
        return {"log": [await shout.ainvoke({"text": state["log"][-1]})]}

    def route(state: S) -> str:
        return "loud" if len(state["log"]) == 1 else END

    builder = StateGraph(S)
    builder.add_node("write", write)
    builder.add_node("loud", loud)
    builder.add_edge(START, "write")
    builder.add_conditional_edges("write", route, ["loud", END])
    builder.add_edge("loud", END)
    return builder.compile()


def shape(event: dict[str, Any]) -> tuple[Any, ...]:
    meta = dict(event["metadata"])
    for key in ("langgraph_checkpoint_ns", "checkpoint_ns"):
        if key in meta:
            meta[key] = "|".join(part.split(":")[0] for part in meta[key].split("|"))
    data = {k: getattr(v, "content", v) for k, v in event["data"].items()}
    return (event["event"], event["name"], event["tags"], meta, len(event["parent_ids"]), data)


async def test_a_langgraph_graphs_events_are_langgraphs() -> None:
    theirs = [shape(e) async for e in build().astream_events({"topic": "t"}, version="v2")]
    ours = [
        shape(e) async for e in from_langgraph(build()).astream_events({"topic": "t"}, version="v2")
    ]
    assert [s[:2] for s in ours] == [s[:2] for s in theirs]
    assert ours == theirs
    assert ("on_custom_event", "progress") in [s[:2] for s in ours]
    assert ("on_tool_end", "shout") in [s[:2] for s in ours]


async def test_a_stop_reaches_a_langgraph_nodes_cleanup_route_through_the_stream() -> None:
    done: list[str] = []

    async def work(state: S) -> Command[Any]:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            done.append("stopped")
            return Command(goto="cleanup")
        return Command(goto=END)  # pragma: no cover

    def cleanup(state: S) -> dict[str, Any]:
        done.append("cleanup")
        return {"log": ["cleaned"]}

    builder = StateGraph(S)
    builder.add_node("work", work)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "work")
    graph = from_langgraph(builder.compile())
    stream = graph.astream_events({"topic": "t"}, version="v2")
    async for event in stream:
        if (event["event"], event["name"]) == ("on_chain_start", "work"):
            break
    await asyncio.wait_for(stream.aclose(), 10)
    assert done == ["stopped", "cleanup"]
