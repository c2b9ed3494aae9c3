"""From LangGraph's test_pregel.py (test_stream_subgraphs_during_execution): a subgraph node
runs beside a slower parallel node, joined by a wait-for-all edge; stream(subgraphs=True)
shows the subgraph's first update while it still runs, before the parallel node's, then the
subgraph's second update, the subgraph node's update and the join's (the test's sleeps set
that order; it also checks the timings, which this program does not)."""

import operator
import time
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class InnerState(TypedDict):
    my_key: Annotated[str, operator.add]
    my_other_key: str


def inner_1(state: InnerState):
    return {"my_key": "got here", "my_other_key": state["my_key"]}


def inner_2(state: InnerState):
    time.sleep(0.5)
    return {"my_key": " and there", "my_other_key": state["my_key"]}


inner = StateGraph(InnerState)
inner.add_node("inner_1", inner_1)
inner.add_node("inner_2", inner_2)
inner.add_edge("inner_1", "inner_2")
inner.set_entry_point("inner_1")
inner.set_finish_point("inner_2")


class State(TypedDict):
    my_key: Annotated[str, operator.add]


def outer_1(state: State):
    time.sleep(0.2)
    return {"my_key": " and parallel"}


graph = StateGraph(State)
graph.add_node("inner", inner.compile())
graph.add_node("outer_1", outer_1)
graph.add_node("outer_2", lambda state: {"my_key": " and back again"})
graph.add_edge(START, "inner")
graph.add_edge(START, "outer_1")
graph.add_edge(["inner", "outer_1"], "outer_2")
graph.add_edge("outer_2", END)
app = graph.compile(checkpointer=InMemorySaver())


def main():
    config = {"configurable": {"thread_id": "2"}}
    return [
        (tuple(part.split(":")[0] for part in ns), chunk)
        for ns, chunk in app.stream({"my_key": ""}, config, subgraphs=True)
    ]
