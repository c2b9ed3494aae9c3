"""From LangGraph's test_pregel.py (test_interrupt_subgraph_reenter_checkpointer_true): a
node invokes a graph compiled with checkpointer=True whose second node asks a question; the
parent's next node sends the run back to that node once with Command(goto=...), so the
subgraph runs twice in one invocation and once more in the next turn, each time keeping its
state (the values its first node sees carry the earlier answers), and only the asking node
runs again on resume. (The test's node returns the subgraph's whole output, whose "bar" key
the parent lacks: LangGraph drops it, graphstage refuses it on purpose; this node returns
only "foo".)"""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class SubgraphState(TypedDict):
    foo: str
    bar: str


class ParentState(TypedDict):
    foo: str
    counter: int


called = []
bar_values = []


def subnode_1(state: SubgraphState):
    called.append("subnode_1")
    bar_values.append(state.get("bar"))
    return {"foo": "subgraph_1"}


def subnode_2(state: SubgraphState):
    called.append("subnode_2")
    value = interrupt("Provide value")
    value += "baz"
    return {"foo": "subgraph_2", "bar": value}


subgraph = (
    StateGraph(SubgraphState)
    .add_node(subnode_1)
    .add_node(subnode_2)
    .add_edge(START, "subnode_1")
    .add_edge("subnode_1", "subnode_2")
    .compile(checkpointer=True)
)


def call_subgraph(state: ParentState):
    called.append("call_subgraph")
    return {"foo": subgraph.invoke(state)["foo"]}


def node(state: ParentState):
    called.append("parent")
    if state["counter"] < 1:
        return Command(goto="call_subgraph", update={"counter": state["counter"] + 1})
    return {"foo": state["foo"] + "|" + "parent"}


parent = (
    StateGraph(ParentState)
    .add_node(call_subgraph)
    .add_node(node)
    .add_edge(START, "call_subgraph")
    .add_edge("call_subgraph", "node")
    .compile(checkpointer=InMemorySaver())
)


def shown(result):
    return {**result, "__interrupt__": [i.value for i in result.get("__interrupt__", [])]}


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [shown(parent.invoke({"foo": "", "counter": 0}, config))]
    out.append(shown(parent.invoke(Command(resume="bar"), config)))
    out.append(shown(parent.invoke(Command(resume="qux"), config)))
    out.append(list(called))
    out.append(shown(parent.invoke({"foo": "meow", "counter": 0}, config)))
    out.append(bar_values)
    return out
