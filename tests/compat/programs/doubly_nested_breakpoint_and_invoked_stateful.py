"""From LangGraph's test_pregel.py (test_doubly_nested_graph_interrupts,
test_subgraph_checkpoint_true_interrupt, under each durability): a breakpoint two levels
down (a grandchild compiled with interrupt_before) pauses the top graph after its first
node; invoke(None) finishes it; the updates stream shows {"__interrupt__": ()} then the
child's and the last node's updates; the values stream of each part. A subgraph compiled
with checkpointer=True that a node invokes itself asks a question: get_state(subgraphs=True)
shows the subgraph's values, and the answer finishes the run."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    my_key: str


grandchild = StateGraph(State)
grandchild.add_node("grandchild_1", lambda s: {"my_key": s["my_key"] + " here"})
grandchild.add_node("grandchild_2", lambda s: {"my_key": s["my_key"] + " and there"})
grandchild.add_edge("grandchild_1", "grandchild_2")
grandchild.set_entry_point("grandchild_1")
grandchild.set_finish_point("grandchild_2")

child = StateGraph(State)
child.add_node("child_1", grandchild.compile(interrupt_before=["grandchild_2"]))
child.set_entry_point("child_1")
child.set_finish_point("child_1")

graph = StateGraph(State)
graph.add_node("parent_1", lambda s: {"my_key": "hi " + s["my_key"]})
graph.add_node("child", child.compile())
graph.add_node("parent_2", lambda s: {"my_key": s["my_key"] + " and back again"})
graph.set_entry_point("parent_1")
graph.add_edge("parent_1", "child")
graph.add_edge("child", "parent_2")
graph.set_finish_point("parent_2")


class SubgraphState(TypedDict):
    bar: str
    baz: str


def subgraph_node_1(state: SubgraphState):
    return {"baz": interrupt("Provide baz value")}


def subgraph_node_2(state: SubgraphState):
    return {"bar": state["bar"] + state["baz"]}


subgraph_builder = StateGraph(SubgraphState)
subgraph_builder.add_node(subgraph_node_1)
subgraph_builder.add_node(subgraph_node_2)
subgraph_builder.add_edge(START, "subgraph_node_1")
subgraph_builder.add_edge("subgraph_node_1", "subgraph_node_2")
subgraph = subgraph_builder.compile(checkpointer=True)


class ParentState(TypedDict):
    foo: str


def node_2(state: ParentState):
    response = subgraph.invoke({"bar": state["foo"]})
    return {"foo": response["bar"]}


parent = StateGraph(ParentState)
parent.add_node("node_1", lambda s: {"foo": "hi! " + s["foo"]})
parent.add_node("node_2", node_2)
parent.add_edge(START, "node_1")
parent.add_edge("node_1", "node_2")


def main():
    out = []
    for durability in ("sync", "async", "exit"):
        app = graph.compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "1"}}
        out.append(app.invoke({"my_key": "my value"}, config, durability=durability))
        out.append(app.invoke(None, config, durability=durability))
        config = {"configurable": {"thread_id": "2"}}
        out.append(list(app.stream({"my_key": "my value"}, config, durability=durability)))
        out.append(list(app.stream(None, config, durability=durability)))
        config = {"configurable": {"thread_id": "3"}}
        values = {"stream_mode": "values", "durability": durability}
        out.append(list(app.stream({"my_key": "my value"}, config, **values)))
        out.append(list(app.stream(None, config, **values)))

        stateful = parent.compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "1"}}
        paused = stateful.invoke({"foo": "foo"}, config, durability=durability)
        out.append((paused["foo"], [i.value for i in paused["__interrupt__"]]))
        out.append(stateful.get_state(config, subgraphs=True).tasks[0].state.values)
        out.append(stateful.invoke(Command(resume="baz"), config, durability=durability))
    return out
