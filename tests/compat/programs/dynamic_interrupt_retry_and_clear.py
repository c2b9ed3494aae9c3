"""From LangGraph's test_pregel_async.py (test_dynamic_interrupt): an async node with a
RetryPolicy that interrupts only for one market: the interrupt is not retried (the node ran
once), without a checkpointer the result carries the question and nothing more; compiled
with a checkpointer, a run without thread_id is refused naming thread_id; on a thread the
question streams and Command(resume=...) answers it; under durability="exit" the only
checkpoint is the paused one (source loop, step 0, its task waiting with the question), and
aupdate_state(thread, None, as_node=END) clears the question and the next step."""

import asyncio
import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, RetryPolicy, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    my_key: Annotated[str, operator.add]
    market: str


calls = []


async def tool_two_node(s: State) -> State:
    calls.append(s["market"])
    answer = interrupt("Just because...") if s["market"] == "DE" else " all good"
    return {"my_key": answer}


builder = StateGraph(State)
builder.add_node("tool_two", tool_two_node, retry_policy=RetryPolicy())
builder.add_edge(START, "tool_two")


def shown(value):
    if isinstance(value, dict) and "__interrupt__" in value:
        return {**value, "__interrupt__": [i.value for i in value["__interrupt__"]]}
    return value


async def run():
    out = []
    plain = builder.compile()
    out.append(shown(await plain.ainvoke({"my_key": "value", "market": "DE"})))
    out.append(list(calls))
    out.append(await plain.ainvoke({"my_key": "value", "market": "US"}))
    graph = builder.compile(checkpointer=InMemorySaver())
    try:
        await graph.ainvoke({"my_key": "value", "market": "DE"})
    except ValueError as exc:
        out.append(("ValueError", "thread_id" in str(exc)))
    thread2 = {"configurable": {"thread_id": "2"}}
    out.append([shown(c) async for c in graph.astream({"my_key": "v", "market": "DE"}, thread2)])
    out.append([c async for c in graph.astream(Command(resume=" my answer"), thread2)])
    thread1 = {"configurable": {"thread_id": "1"}}
    stream = graph.astream({"my_key": "v", "market": "DE"}, thread1, durability="exit")
    out.append([shown(c) async for c in stream])
    out.append([c.metadata async for c in graph.checkpointer.alist(thread1)])
    state = await graph.aget_state(thread1)
    out.append((state.values, state.next, state.metadata, state.parent_config))
    out.append([(t.name, [i.value for i in t.interrupts]) for t in state.tasks])
    await graph.aupdate_state(thread1, None, as_node=END)
    state = await graph.aget_state(thread1)
    out.append((state.values, state.next, state.tasks, state.interrupts, state.metadata))
    return out


def main():
    return asyncio.run(run())
