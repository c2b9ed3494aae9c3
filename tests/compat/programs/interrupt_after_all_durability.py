"""From LangGraph's test_interruption.py (test_interruption_without_state_updates): nodes
that write nothing, compiled with interrupt_after="*": each invoke(None, thread) runs one
more node and pauses after it, even though no state key changed; the number of checkpoints
in the history after each pause under each durability mode ("sync", "async", "exit": only
the pauses are saved)."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    input: str


def noop(_state):
    pass


builder = StateGraph(State)
builder.add_node("step_1", noop)
builder.add_node("step_2", noop)
builder.add_node("step_3", noop)
builder.add_edge(START, "step_1")
builder.add_edge("step_1", "step_2")
builder.add_edge("step_2", "step_3")
builder.add_edge("step_3", END)


def main():
    out = []
    for durability in ("sync", "async", "exit"):
        graph = builder.compile(checkpointer=InMemorySaver(), interrupt_after="*")
        thread = {"configurable": {"thread_id": "1"}}
        out.append(graph.invoke({"input": "hello world"}, thread, durability=durability))
        for _ in range(3):
            state = graph.get_state(thread)
            history = list(graph.get_state_history(thread))
            out.append((durability, state.next, len(history), [s.next for s in history]))
            graph.invoke(None, thread, durability=durability)
        out.append(graph.get_state(thread).values)
    return out
