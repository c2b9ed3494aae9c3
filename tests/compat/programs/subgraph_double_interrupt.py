"""From LangGraph's test_pregel.py (test_double_interrupt_subgraph): a graph of two nodes
that each interrupt(), streamed on its own thread (each answer streams the node's update,
then the next question), and the same graph compiled without a checkpointer, invoked by a
parent's node (subgraph.invoke(state) inside the node): the parent pauses on each question
in turn and its node's update carries the last answer (the test answers True into a str
field, which graphstage refuses on purpose: the answers here are strings)."""

import uuid

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class AgentState(TypedDict):
    input: str


def node_1(state: AgentState):
    result = interrupt("interrupt node 1")
    return {"input": result}


def node_2(state: AgentState):
    result = interrupt("interrupt node 2")
    return {"input": result}


subgraph_builder = (
    StateGraph(AgentState)
    .add_node("node_1", node_1)
    .add_node("node_2", node_2)
    .add_edge(START, "node_1")
    .add_edge("node_1", "node_2")
    .add_edge("node_2", END)
)
saver = InMemorySaver()
alone = subgraph_builder.compile(checkpointer=saver)
subgraph = subgraph_builder.compile()


def invoke_sub_agent(state: AgentState):
    return subgraph.invoke(state)


parent_agent = (
    StateGraph(AgentState)
    .add_node("invoke_sub_agent", invoke_sub_agent)
    .add_edge(START, "invoke_sub_agent")
    .add_edge("invoke_sub_agent", END)
    .compile(checkpointer=saver)
)


def shown(chunks):
    return [
        {k: [i.value for i in v] if k == "__interrupt__" else v for k, v in c.items()}
        for c in chunks
    ]


def main():
    out = []
    thread = {"configurable": {"thread_id": str(uuid.uuid4())}}
    out.append(shown(alone.stream({"input": "test"}, thread)))
    out.append(shown(alone.stream(Command(resume="123"), thread)))
    out.append(shown(alone.stream(Command(resume="456"), thread)))
    thread = {"configurable": {"thread_id": str(uuid.uuid4())}}
    out.append(shown(parent_agent.stream({"input": "test"}, thread)))
    out.append(shown(parent_agent.stream(Command(resume="yes"), thread)))
    out.append(shown(parent_agent.stream(Command(resume="no"), thread)))
    out.append(parent_agent.get_state(thread).values)
    return out
