"""update_state as START (the next step is the entry again), as END with no values (the
pending step is dropped), and as "__copy__" (the checkpoint again, beside it: same parent,
source "fork"); naming a node the graph lacks, or END with values, is refused. A thread
paused at a breakpoint runs its new next step without pausing again."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import InvalidUpdateError
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

CALLS = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def make(name):
    def node(state):
        CALLS.append(name)
        return {"log": [name]}

    return node


builder = StateGraph(State)
for name in ("a", "b", "c"):
    builder.add_node(name, make(name))
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", "c")
graph = builder.compile(checkpointer=InMemorySaver(), interrupt_before=["b", "c"])


def show(config):
    snap = graph.get_state(config)
    return snap.values, snap.next, snap.metadata["source"], snap.metadata["step"]


def refused(config, values, as_node):
    try:
        graph.update_state(config, values, as_node=as_node)
    except InvalidUpdateError:
        return "refused"
    return "accepted"


def main():
    out = []
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"log": []}, config)
    graph.update_state(config, {"log": ["s"]}, as_node=START)
    out.append(show(config))
    out.append(graph.invoke(None, config))  # a runs again, then the breakpoint before b
    graph.update_state(config, {"log": ["u"]}, as_node="b")
    out.append(show(config))
    out.append(graph.invoke(None, config))  # c runs: no pause before it again
    graph.invoke({"log": ["again"]}, config)
    out.append(show(config))
    graph.update_state(config, None, as_node=END)
    out.append(show(config))
    graph.update_state(config, None, as_node="__copy__")
    out.append(show(config))
    history = list(graph.get_state_history(config))
    out.append([(s.metadata["source"], s.metadata["step"], s.next) for s in history[:3]])
    out.append(history[0].parent_config == history[1].parent_config)
    out.append(refused(config, {"log": ["z"]}, END))
    out.append(refused(config, {"log": ["z"]}, "nope"))
    out.append(refused({"configurable": {"thread_id": "empty"}}, None, "__copy__"))
    out.append(CALLS)
    return out
