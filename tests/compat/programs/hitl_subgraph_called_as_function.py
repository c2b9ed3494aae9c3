"""Human in the loop, using with subgraphs called as functions: a parent node invokes a
subgraph (compiled with its own checkpointer) whose second node calls interrupt(); on resume
the parent node and the subgraph's interrupting node run again from their start, the
subgraph's first node does not (the counters the how-to prints)."""

import uuid
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.constants import START
from langgraph.graph import StateGraph
from langgraph.types import Command, interrupt

LOG = []


class State(TypedDict):
    """The graph state."""

    state_counter: int


counter_node_in_subgraph = 0


def node_in_subgraph(state: State):
    """A node in the sub-graph."""
    global counter_node_in_subgraph
    counter_node_in_subgraph += 1  # This code will **NOT** run again!
    LOG.append(f"Entered `node_in_subgraph` a total of {counter_node_in_subgraph} times")


counter_human_node = 0


def human_node(state: State):
    global counter_human_node
    counter_human_node += 1  # This code will run again!
    LOG.append(f"Entered human_node in sub-graph a total of {counter_human_node} times")
    answer = interrupt("what is your name?")
    LOG.append(f"Got an answer of {answer}")


checkpointer = InMemorySaver()

subgraph_builder = StateGraph(State)
subgraph_builder.add_node("some_node", node_in_subgraph)
subgraph_builder.add_node("human_node", human_node)
subgraph_builder.add_edge(START, "some_node")
subgraph_builder.add_edge("some_node", "human_node")
subgraph = subgraph_builder.compile(checkpointer=checkpointer)


counter_parent_node = 0


def parent_node(state: State):
    """This parent node will invoke the subgraph."""
    global counter_parent_node

    counter_parent_node += 1  # This code will run again on resuming!
    LOG.append(f"Entered `parent_node` a total of {counter_parent_node} times")

    subgraph_state = subgraph.invoke(state)
    return subgraph_state


builder = StateGraph(State)
builder.add_node("parent_node", parent_node)
builder.add_edge(START, "parent_node")

# A checkpointer must be enabled for interrupts to work!
checkpointer = InMemorySaver()
graph = builder.compile(checkpointer=checkpointer)


def main():
    config = {"configurable": {"thread_id": uuid.uuid4()}}
    first = list(graph.stream({"state_counter": 1}, config))
    LOG.append("--- Resuming ---")
    second = list(graph.stream(Command(resume="35"), config))
    plain = [
        {k: [i.value for i in v] if k == "__interrupt__" else v for k, v in c.items()}
        for c in first
    ]
    return plain, second, LOG
