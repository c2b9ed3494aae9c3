"""The subgraphs how-to, add persistence and view subgraph state: only the parent is
compiled with a checkpointer (MemorySaver, the old name); a subgraph node shares its
parent's schema; an interrupt() inside it pauses the parent, get_state(config,
subgraphs=True).tasks[0].state is the subgraph's snapshot, and Command(resume=...)
finishes it."""

from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    foo: str


# Subgraph


def subgraph_node_1(state: State):
    value = interrupt("Provide value:")
    return {"foo": state["foo"] + value}


subgraph_builder = StateGraph(State)
subgraph_builder.add_node(subgraph_node_1)
subgraph_builder.add_edge(START, "subgraph_node_1")
subgraph = subgraph_builder.compile()

# Parent graph

builder = StateGraph(State)
builder.add_node("node_1", subgraph)
builder.add_edge(START, "node_1")

checkpointer = MemorySaver()
graph = builder.compile(checkpointer=checkpointer)


def plain(value):
    if isinstance(value, dict):
        return {k: [i.value for i in v] if k == "__interrupt__" else v for k, v in value.items()}
    return value


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [plain(graph.invoke({"foo": ""}, config))]
    parent_state = graph.get_state(config)
    out.append((parent_state.values, parent_state.next, [t.name for t in parent_state.tasks]))
    out.append(parent_state.tasks[0].state is not None)  # a config naming the subgraph
    subgraph_state = graph.get_state(config, subgraphs=True).tasks[0].state
    out.append(
        (
            subgraph_state.values,
            subgraph_state.next,
            [t.name for t in subgraph_state.tasks],
            [i.value for i in subgraph_state.interrupts],
            subgraph_state.config["configurable"]["checkpoint_ns"].split(":")[0],
        )
    )
    # resume the subgraph
    out.append(graph.invoke(Command(resume="bar"), config))
    out.append(graph.get_state(config, subgraphs=True).tasks)
    return out
