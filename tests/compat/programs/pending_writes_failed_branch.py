"""A fan-out where one branch fails: the branch that finished keeps its write (LangGraph's
pending writes), get_state shows it applied with the failed task's error, and
invoke(None, config) runs only the failed branch again, then goes on to the join."""

import asyncio
import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

CALLS = []
FAILS = [1]
READY = {}


class State(TypedDict):
    log: Annotated[list, operator.add]


def fan(state):
    CALLS.append("fan")
    return {"log": ["fan"]}


async def flaky(state):
    CALLS.append("flaky")
    await READY["steady"].wait()  # fails only after its sibling has finished
    if FAILS[0]:
        FAILS[0] -= 1
        raise ValueError("flaky failed")
    return {"log": ["flaky"]}


async def steady(state):
    CALLS.append("steady")
    READY["steady"].set()
    return {"log": ["steady"]}


def join(state):
    CALLS.append("join")
    return {"log": ["join"]}


builder = StateGraph(State)
builder.add_node("fan", fan)
builder.add_node("flaky", flaky)
builder.add_node("steady", steady)
builder.add_node("join", join)
builder.add_edge(START, "fan")
builder.add_edge("fan", "flaky")
builder.add_edge("fan", "steady")
builder.add_edge(["flaky", "steady"], "join")
graph = builder.compile(checkpointer=InMemorySaver())


async def main():
    READY["steady"] = asyncio.Event()
    config = {"configurable": {"thread_id": "pw"}}
    out = []
    try:
        await graph.ainvoke({"log": []}, config)
    except ValueError as exc:
        out.append(("raised", str(exc)))
    state = await graph.aget_state(config)
    out.append((state.values, state.next, state.metadata["step"]))
    out.append(sorted((t.name, repr(t.error), t.result) for t in state.tasks))
    out.append(list(CALLS))
    out.append(await graph.ainvoke(None, config))
    out.append(list(CALLS))
    out.append([(s.metadata["step"], s.next) async for s in graph.aget_state_history(config)])
    return out
