"""The streaming how-to's "stream multiple modes" and "stream subgraph outputs" together:
stream(stream_mode=["updates", "custom", "values"], subgraphs=True) yields (namespace, mode,
chunk) triples; get_stream_writer() inside a subgraph's node writes custom chunks under the
subgraph's namespace, a parent node's under (); a single mode with subgraphs=True yields
(namespace, chunk) pairs; the async astream gives the same."""

import asyncio

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    foo: str


def sub_1(state: State):
    get_stream_writer()({"progress": "sub_1 working"})
    return {"foo": state["foo"] + "|sub_1"}


def sub_2(state: State):
    writer = get_stream_writer()
    writer({"progress": "sub_2 half"})
    writer({"progress": "sub_2 done"})
    return {"foo": state["foo"] + "|sub_2"}


subgraph = (
    StateGraph(State)
    .add_node("sub_1", sub_1)
    .add_node("sub_2", sub_2)
    .add_edge(START, "sub_1")
    .add_edge("sub_1", "sub_2")
    .compile()
)


def node_1(state: State):
    get_stream_writer()("parent says hi")
    return {"foo": "hi"}


graph = (
    StateGraph(State)
    .add_node("node_1", node_1)
    .add_node("node_2", subgraph)
    .add_edge(START, "node_1")
    .add_edge("node_1", "node_2")
    .compile()
)


def label(ns):
    return tuple(part.split(":")[0] for part in ns)


async def collect_async():
    return [
        (label(ns), mode, chunk)
        async for ns, mode, chunk in graph.astream(
            {"foo": "x"}, stream_mode=["custom", "updates"], subgraphs=True
        )
    ]


def main():
    out = [
        [
            (label(ns), mode, chunk)
            for ns, mode, chunk in graph.stream(
                {"foo": "x"}, stream_mode=["updates", "custom", "values"], subgraphs=True
            )
        ]
    ]
    out.append(
        [
            (label(ns), c)
            for ns, c in graph.stream({"foo": "x"}, stream_mode="custom", subgraphs=True)
        ]
    )
    out.append(asyncio.run(collect_async()))
    return out
