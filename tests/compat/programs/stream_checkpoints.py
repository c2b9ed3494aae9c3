"""stream_mode="checkpoints" with a checkpointer: one payload per checkpoint (the input's,
then one per step) with LangGraph's keys, each pointing at its parent; the input checkpoint of
a new thread shows each reducer field empty (its input is START's pending write); "debug"
interleaves them with the tasks."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    x: int
    log: Annotated[list, operator.add]


builder = StateGraph(State)
builder.add_node("a", lambda state: {"x": state["x"] + 1, "log": ["a"]})
builder.add_node("b", lambda state: {"x": state["x"] * 2})
builder.add_edge(START, "a")
builder.add_edge("a", "b")
graph = builder.compile(checkpointer=InMemorySaver())


async def main():
    out = []
    previous = None
    config = {"configurable": {"thread_id": "t1"}}
    async for cp in graph.astream({"x": 1}, config, stream_mode="checkpoints"):
        parent = cp["parent_config"]
        out.append(
            (
                sorted(cp),
                cp["values"],
                cp["metadata"],
                cp["next"],
                [t["name"] for t in cp["tasks"]],
                parent["configurable"]["checkpoint_id"] if parent else None,
            )
        )
        assert parent is None or parent["configurable"]["checkpoint_id"] == previous
        previous = cp["config"]["configurable"]["checkpoint_id"]
    debug = [
        (c["type"], c["step"], c["payload"]["name"] if "name" in c["payload"] else None)
        async for c in graph.astream(
            {"x": 1}, {"configurable": {"thread_id": "t2"}}, stream_mode="debug"
        )
    ]
    return out, debug
