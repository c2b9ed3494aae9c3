"""From LangGraph's test_subgraph_persistence.py (test_stateful_namespace_isolation,
test_child_with_own_thread_id_keeps_namespace): two graphs compiled with checkpointer=True,
each wrapping an agent under a different node name, invoked by one parent node: each keeps
its own history across the parent's invocations, with no cross-contamination; a child graph
with a checkpointer of its own, invoked inside a parent node with its own thread_id, keeps
its checkpoints on its own thread (namespace ""), and its count grows on each invocation."""

from uuid import uuid4

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import MessagesState
from typing_extensions import TypedDict


class ParentState(TypedDict):
    result: str


def echo_with(prefix):
    def echo(state: MessagesState) -> dict:
        return {"messages": [AIMessage(content=f"{prefix}: {state['messages'][-1].text}")]}

    return echo


def wrapped(node_name, prefix):
    inner = StateGraph(MessagesState).add_node("echo", echo_with(prefix))
    inner = inner.add_edge(START, "echo").compile()
    return (
        StateGraph(MessagesState)
        .add_node(node_name, inner)
        .add_edge(START, node_name)
        .compile(checkpointer=True)
    )


fruit = wrapped("fruit_agent", "Fruit")
veggie = wrapped("veggie_agent", "Veggie")
fruit_msgs, veggie_msgs = [], []


def call_both(state: ParentState) -> dict:
    suffix = "round 1" if not fruit_msgs else "round 2"
    f = fruit.invoke({"messages": [HumanMessage(content=f"cherries {suffix}")]})
    v = veggie.invoke({"messages": [HumanMessage(content=f"broccoli {suffix}")]})
    fruit_msgs.append([m.text for m in f["messages"]])
    veggie_msgs.append([m.text for m in v["messages"]])
    return {"result": f["messages"][-1].text}


class ChildState(TypedDict):
    count: int


def child_node(state: ChildState) -> dict:
    return {"count": (state.get("count") or 0) + 1}


saver = InMemorySaver()
child = StateGraph(ChildState).add_node("n", child_node).add_edge(START, "n")
child = child.compile(checkpointer=saver)
child_config = {"configurable": {"thread_id": str(uuid4())}}


def parent_node(state: ParentState) -> dict:
    child.invoke({}, config=child_config)
    return {"result": "ok"}


def main():
    parent = (
        StateGraph(ParentState)
        .add_node("call_both", call_both)
        .add_edge(START, "call_both")
        .compile(checkpointer=InMemorySaver())
    )
    config = {"configurable": {"thread_id": str(uuid4())}}
    out = [parent.invoke({"result": ""}, config), parent.invoke({"result": ""}, config)]
    out += [fruit_msgs, veggie_msgs]
    parent = (
        StateGraph(ParentState)
        .add_node("p", parent_node)
        .add_edge(START, "p")
        .compile(checkpointer=saver)
    )
    parent_config = {"configurable": {"thread_id": str(uuid4())}}
    for _ in range(2):
        parent.invoke({"result": ""}, config=parent_config)
        state = child.get_state(child_config)
        out.append((state.values, state.config["configurable"]["checkpoint_ns"]))
    out.append(len(list(child.get_state_history(child_config))))
    return out
