"""A finished branch's write is saved when the branch finishes (put_writes), not when its
step ends: get_state while its sibling still runs shows it applied, with the sibling still
next; the step's checkpoint then keeps each task's result in the history."""

import asyncio
import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

EVENTS = {}


class State(TypedDict):
    log: Annotated[list, operator.add]


def fan(state):
    return {"log": ["fan"]}


async def fast(state):
    EVENTS["fast"].set()
    return {"log": ["fast"]}


async def slow(state):
    await EVENTS["release"].wait()
    return {"log": ["slow"]}


def tail(state):
    return {"log": ["tail"]}


builder = StateGraph(State)
builder.add_node("fan", fan)
builder.add_node("fast", fast)
builder.add_node("slow", slow)
builder.add_node("tail", tail)
builder.add_edge(START, "fan")
builder.add_edge("fan", "fast")
builder.add_edge("fan", "slow")
builder.add_edge(["fast", "slow"], "tail")
graph = builder.compile(checkpointer=InMemorySaver())


async def main():
    EVENTS["fast"], EVENTS["release"] = asyncio.Event(), asyncio.Event()
    config = {"configurable": {"thread_id": "mid"}}
    run = asyncio.ensure_future(graph.ainvoke({"log": []}, config))
    await asyncio.wait_for(EVENTS["fast"].wait(), 10)
    for _ in range(500):  # the write is saved as fast returns (in the background)
        state = await graph.aget_state(config)
        if "fast" in state.values["log"]:
            break
        await asyncio.sleep(0.01)
    mid = (state.values, state.next, sorted((t.name, t.result) for t in state.tasks))
    EVENTS["release"].set()
    out = await asyncio.wait_for(run, 10)
    history = [
        (s.metadata["step"], s.next, sorted((t.name, t.result) for t in s.tasks))
        async for s in graph.aget_state_history(config)
    ]
    return [mid, out, history]
