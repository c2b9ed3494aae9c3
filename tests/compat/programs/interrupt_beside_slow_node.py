"""From LangGraph's test_pregel_async.py (test_node_not_cancelled_on_other_node_interrupted):
a conditional entry point starts a slow async node beside one that interrupts; the slow one
is not cancelled and its write is in the paused result; invoke(None, thread, debug=True) on
the paused thread runs nothing again and pauses on the same question; the answer finishes the
step without running the slow node again."""

import asyncio
import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    hello: Annotated[str, operator.add]


record = {"awhiles": 0, "cancelled": False}


async def awhile(input: State):
    record["awhiles"] += 1
    try:
        await asyncio.sleep(0.2)
        return {"hello": " again"}
    except asyncio.CancelledError:
        record["cancelled"] = True
        raise


async def iambad(input: State):
    return {"hello": interrupt("I am bad")}


builder = StateGraph(State)
builder.add_node("agent", awhile)
builder.add_node("bad", iambad)
builder.set_conditional_entry_point(lambda _: ["agent", "bad"])
graph = builder.compile(checkpointer=InMemorySaver())


def shown(result):
    return {**result, "__interrupt__": [i.value for i in result.get("__interrupt__", [])]}


async def run():
    thread = {"configurable": {"thread_id": "1"}}
    out = [shown(await graph.ainvoke({"hello": "world"}, thread)), dict(record)]
    out.append(shown(await graph.ainvoke(None, thread, debug=True)))
    out.append(dict(record))
    out.append(await graph.ainvoke(Command(resume=" okay"), thread))
    out.append(dict(record))
    return out


def main():
    return asyncio.run(run())
