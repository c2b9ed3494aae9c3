"""The sync stream() holds the run while the consumer handles a chunk (the next step runs
only when the next chunk is asked for), so a `break` leaves the thread where LangGraph
leaves it: at the first chunk (the input), nothing has run; at a node's update, its step is
not applied (the write is kept as the step's pending write, next is empty); at a step's
values, that step is saved with the next one still to run. With the custom mode (LangGraph
then hands chunks over while tasks run), a break at a node's update leaves its step not
applied, the write kept as the step's pending write. A continuation (invoke(None))
then finishes the run, each node having run once. At each chunk the consumer also reads
where the thread is (get_state), which shows how far the run has gone."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

RAN = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def node(name):
    def run(state):
        RAN.append(name)
        get_stream_writer()(f"{name} runs")
        return {"log": [name]}

    return run


builder = StateGraph(State)
for name in ("a", "b", "c"):
    builder.add_node(name, node(name))
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", "c")


def where(graph, config):
    state = graph.get_state(config)
    return (state.values, state.next, [(t.name, t.result) for t in state.tasks])


def main():
    out = []
    # where the thread is while the consumer holds each chunk
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "held"}}
    out.append(
        [
            (mode, chunk, where(graph, config))
            for mode, chunk in graph.stream(
                {"log": []}, config, stream_mode=["updates", "values"], durability="sync"
            )
        ]
    )
    cases = [
        (("updates", "values"), "values", 1),
        (("updates", "values"), "updates", 1),
        (("updates", "values"), "values", 2),
        (("updates", "values"), "updates", 2),
        (("updates", "custom"), "updates", 1),
    ]
    for modes, mode, nth in cases:
        RAN.clear()
        graph = builder.compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": f"{mode}{nth}"}}
        seen = 0
        for got, _ in graph.stream({"log": []}, config, stream_mode=list(modes)):
            seen += got == mode
            if seen == nth:
                break
        left = (list(RAN), where(graph, config))
        history = [(s.metadata["step"], s.next) for s in graph.get_state_history(config)]
        out.append((modes, mode, nth, left, history, graph.invoke(None, config), list(RAN)))
    return out
