"""interrupt() inside a compiled graph added as a node pauses the whole run: the parent's
result and stream carry the question, get_state shows the parent waiting in that node and,
with subgraphs=True, the subgraph's own state; Command(resume=...) on the parent's thread
runs the subgraph's waiting node again, not the nodes it had finished (LangGraph's
subgraphs how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

RAN = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def prepare(state):
    RAN.append("prepare")
    return {"log": ["prepared"]}


def ask(state):
    RAN.append("ask")
    answer = interrupt({"question": "go on?", "seen": state["log"]})
    RAN.append(f"ask got {answer}")
    return {"log": [f"answer {answer}"]}


child = StateGraph(State)
child.add_node("prepare", prepare)
child.add_node("ask", ask)
child.add_node("finish", lambda state: {"log": ["finished"]})
child.add_edge(START, "prepare")
child.add_edge("prepare", "ask")
child.add_edge("ask", "finish")

parent = StateGraph(State)
parent.add_node("first", lambda state: {"log": ["first"]})
parent.add_node("sub", child.compile())
parent.add_node("last", lambda state: {"log": ["last"]})
parent.add_edge(START, "first")
parent.add_edge("first", "sub")
parent.add_edge("sub", "last")
graph = parent.compile(checkpointer=InMemorySaver())


def plain(value):
    """Interrupts as ("interrupt", value), namespaces without their task ids."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", plain(value.value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str) and ":" in value:
        return value.split(":")[0]
    return value


def snap(state):
    return {
        "values": state.values,
        "next": state.next,
        "interrupts": state.interrupts,
        "tasks": [(t.name, t.interrupts) for t in state.tasks],
        "source": state.metadata["source"],
        "step": state.metadata["step"],
    }


async def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [await graph.ainvoke({"log": []}, config), list(RAN)]
    state = await graph.aget_state(config)
    out.append(snap(state))
    sub_config = state.tasks[0].state
    out.append(sorted(sub_config["configurable"]))
    out.append(plain(sub_config["configurable"]["checkpoint_ns"]))
    inner = (await graph.aget_state(config, subgraphs=True)).tasks[0].state
    out.append(snap(inner))
    out.append(plain(inner.config["configurable"]["checkpoint_ns"]))
    RAN.clear()
    out.append(
        [
            c
            async for c in graph.astream(
                Command(resume="yes"), config, stream_mode="updates", subgraphs=True
            )
        ]
    )
    out.append(list(RAN))
    state = await graph.aget_state(config)
    out.append((state.values, state.next, state.tasks))
    return plain(out)
