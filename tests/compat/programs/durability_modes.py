"""durability= on invoke/stream, as LangGraph 1.x: "sync" saves each step's checkpoint
before the next step starts (a node sees its predecessor's checkpoint), "exit" saves only
when the run exits (at the interrupt, the error or the end: the history holds only those
checkpoints, and a node mid-run sees none of this run's), "async" (the default) saves every
checkpoint. The checkpoints stream shows every checkpoint in every mode."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

SEEN = []
MODE = ["async"]


class State(TypedDict):
    log: Annotated[list, operator.add]


async def a(state):
    return {"log": ["a"]}


async def b(state):
    if MODE[0] != "async":  # under "async" the checkpoint may land before or after this
        snap = await graph.aget_state({"configurable": {"thread_id": MODE[0]}})
        step = snap.metadata["step"] if snap.metadata else None
        SEEN.append((MODE[0], snap.values, snap.next, step))
    return {"log": ["b"]}


async def ask(state):
    answer = interrupt("go on?")
    return {"log": [f"ask={answer}"]}


builder = StateGraph(State)
builder.add_node("a", a)
builder.add_node("b", b)
builder.add_node("ask", ask)
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", "ask")
graph = builder.compile(checkpointer=InMemorySaver())


def history(config):
    return [
        (s.metadata["step"], s.metadata["source"], s.next, s.parent_config is not None)
        for s in graph.get_state_history(config)
    ]


async def main():
    out = []
    for mode in ("sync", "async", "exit"):
        MODE[0] = mode
        config = {"configurable": {"thread_id": mode}}
        first = await graph.ainvoke({"log": []}, config, durability=mode)
        out.append((mode, first["log"], len(first["__interrupt__"]), history(config)))
        done = await graph.ainvoke(Command(resume="yes"), config, durability=mode)
        out.append((mode, done, history(config)))
    out.append(SEEN)
    MODE[0] = "async"
    config = {"configurable": {"thread_id": "stream"}}
    out.append(
        [
            (c["metadata"]["step"], c["next"])
            async for c in graph.astream(
                {"log": []}, config, stream_mode="checkpoints", durability="exit"
            )
        ]
    )
    out.append(history(config))
    return out
