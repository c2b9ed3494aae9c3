"""The checkpointer's own tuples carry their step's pending writes (the persistence page,
"Checkpoints" / get_tuple and list): a step paused at an interrupt() lists the writes of the
nodes that finished, the interrupt, and a Command's goto; a completed step keeps its writes;
on InMemorySaver (sync get_tuple/list) and on the SQLite saver (aget_tuple/alist). Task ids
differ (LangGraph's are UUIDs, graphstage's the nodes' names), so each tuple is compared as
its tasks' write groups (the resumed task's ``__resume__`` write included). Left out, as
graphstage's tuples do not list them: LangGraph's edge triggers (``branch:to:`` of a plain
edge) and its run-wide ``__resume__`` write under the null task id."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send, interrupt
from typing_extensions import TypedDict

NULL_TASK_ID = "00000000-0000-0000-0000-000000000000"


class State(TypedDict):
    log: Annotated[list, operator.add]
    x: int


def fan(state):
    return {"log": ["fan"], "x": 1}


def ok(state):
    return {"log": ["ok"]}


def asks(state):
    return {"log": [interrupt("approve?")]}


def routes(state):
    return Command(update={"log": ["routes"]}, goto=[Send("worker", {"log": [], "x": 7})])


def worker(state):
    return {"log": [f"worker {state['x']}"]}


builder = StateGraph(State)
for name, node in [("fan", fan), ("ok", ok), ("asks", asks), ("routes", routes)]:
    builder.add_node(name, node)
builder.add_node("worker", worker)
builder.add_edge(START, "fan")
for name in ("ok", "asks", "routes"):
    builder.add_edge("fan", name)


def shown(value):
    if hasattr(value, "node") and hasattr(value, "arg"):  # a Send
        return ("Send", value.node, value.arg)
    if isinstance(value, list) and value and hasattr(value[0], "value"):  # interrupts
        return ("interrupts", [i.value for i in value])
    return value


def groups(pending_writes):
    """The tuple's writes grouped by task (each group in its order), groups sorted."""
    by_task = {}
    for task_id, channel, value in pending_writes:
        if task_id == NULL_TASK_ID or channel.startswith("branch:to:"):
            continue
        by_task.setdefault(task_id, []).append((channel, shown(value)))
    return sorted(by_task.values(), key=repr)


def tuples(items):
    return [(t.metadata["step"], groups(t.pending_writes)) for t in items]


def run_memory():
    saver = InMemorySaver()
    graph = builder.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "1"}}
    graph.invoke({"log": [], "x": 0}, config)
    paused = groups(saver.get_tuple(config).pending_writes)
    graph.invoke(Command(resume="yes"), config)
    return [paused, tuples(saver.list(config))]


async def run_sqlite():
    async with AsyncSqliteSaver.from_conn_string(":memory:") as saver:
        graph = builder.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "1"}}
        await graph.ainvoke({"log": [], "x": 0}, config)
        paused = groups((await saver.aget_tuple(config)).pending_writes)
        await graph.ainvoke(Command(resume="yes"), config)
        return [paused, tuples([t async for t in saver.alist(config)])]


async def main():
    return [run_memory(), await run_sqlite()]
