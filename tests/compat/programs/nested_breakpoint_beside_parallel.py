"""From LangGraph's test_pregel.py (test_nested_graph_interrupts_parallel, under each
durability): a subgraph compiled with interrupt_before=["inner_2"] runs beside a parallel
node, joined by a wait-for-all edge: the run pauses inside the subgraph with the parallel
node's write kept (and not run again on continuation: its update streams marked cached);
streamed with subgraphs=True, in "values" mode, and with breakpoints before and after the
parallel node itself, each continuation's chunks as LangGraph's."""

import operator
import time
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class InnerState(TypedDict):
    my_key: Annotated[str, operator.add]
    my_other_key: str


def inner_1(state: InnerState):
    time.sleep(0.1)
    return {"my_key": "got here", "my_other_key": state["my_key"]}


def inner_2(state: InnerState):
    return {"my_key": " and there", "my_other_key": state["my_key"]}


inner = StateGraph(InnerState)
inner.add_node("inner_1", inner_1)
inner.add_node("inner_2", inner_2)
inner.add_edge("inner_1", "inner_2")
inner.set_entry_point("inner_1")
inner.set_finish_point("inner_2")


class State(TypedDict):
    my_key: Annotated[str, operator.add]


graph = StateGraph(State)
graph.add_node("inner", inner.compile(interrupt_before=["inner_2"]))
graph.add_node("outer_1", lambda state: {"my_key": " and parallel"})
graph.add_node("outer_2", lambda state: {"my_key": " and back again"})
graph.add_edge(START, "inner")
graph.add_edge(START, "outer_1")
graph.add_edge(["inner", "outer_1"], "outer_2")
graph.set_finish_point("outer_2")


def ns(chunks):
    return [(tuple(p.split(":")[0] for p in n), c) for n, c in chunks]


def main():
    out = []
    for durability in ("sync", "async", "exit"):
        app = graph.compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "1"}}
        out.append(app.invoke({"my_key": ""}, config, durability=durability))
        out.append(app.invoke(None, config, durability=durability))
        config = {"configurable": {"thread_id": "2"}}
        first = app.stream({"my_key": ""}, config, subgraphs=True, durability=durability)
        out.append(ns(first))
        out.append(list(app.stream(None, config, durability=durability)))
        config = {"configurable": {"thread_id": "3"}}
        values = {"stream_mode": "values", "durability": durability}
        out.append(list(app.stream({"my_key": ""}, config, **values)))
        out.append(list(app.stream(None, config, **values)))
        for where in ("interrupt_before", "interrupt_after"):
            app = graph.compile(checkpointer=InMemorySaver(), **{where: ["outer_1"]})
            config = {"configurable": {"thread_id": where}}
            out.append(list(app.stream({"my_key": ""}, config, **values)))
            out.append(list(app.stream(None, config, **values)))
            out.append(list(app.stream(None, config, **values)))
    return out
