"""stream_mode="checkpoints" with subgraphs=True: the thread's checkpoints and, under the
subgraph node's namespace, the subgraph's own (input, then one per step), in the order
they were taken, under each durability mode — "exit" included, where they are streamed
though not saved while the run goes, and at its end only the thread's last checkpoint is
saved, none of the subgraph's (the persistence page's durability modes)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


sub = StateGraph(State)
sub.add_node("inner", lambda state: {"log": ["inner"]})
sub.add_node("inner2", lambda state: {"log": ["inner2"]})
sub.add_edge(START, "inner")
sub.add_edge("inner", "inner2")

builder = StateGraph(State)
builder.add_node("sub", sub.compile())
builder.add_node("after", lambda state: {"log": ["after"]})
builder.add_edge(START, "sub")
builder.add_edge("sub", "after")


async def main():
    out = {}
    for durability in ("sync", "async", "exit"):
        saver = InMemorySaver()
        graph = builder.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": durability}}
        out[durability] = [
            (
                [part.split(":")[0] for part in ns],
                chunk["metadata"]["source"],
                chunk["metadata"]["step"],
                chunk["values"],
                chunk["next"],
                chunk["config"]["configurable"]["checkpoint_ns"].split(":")[0],
            )
            async for ns, chunk in graph.astream(
                {"log": []},
                config,
                stream_mode="checkpoints",
                subgraphs=True,
                durability=durability,
            )
        ]
        # what the saver kept: under "exit" only the thread's last checkpoint
        out[durability + " saved"] = sorted(
            (t.config["configurable"]["checkpoint_ns"] != "", t.metadata["step"])
            for t in saver.list(None)
        )
    return out
