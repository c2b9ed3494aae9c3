"""astream() holds the run while the consumer handles a chunk, as the sync stream() does (the
next step runs only when the next chunk is asked for), so leaving the loop with a plain
`break` leaves the thread where LangGraph leaves it: at a node's update its step is saved
(durability="sync") with the next node still to run and nothing else started; at the first
values chunk (the input) nothing has run. With the custom mode (LangGraph then hands chunks
over while tasks run), a break at a node's update leaves its step not applied, the write
kept as the step's pending write. The thread is read right after the break (get_state,
get_state_history, and the checkpointer's own list), then continued at once with
ainvoke(None), each node having run once in all."""

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
    async def run(state):
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


async def main():
    out = []
    # where the thread is while the consumer holds each chunk
    saver = InMemorySaver()
    graph = builder.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "held"}}
    out.append(
        [
            (mode, chunk, list(RAN), where(graph, config))
            async for mode, chunk in graph.astream(
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
        saver = InMemorySaver()
        graph = builder.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": f"{mode}{nth}"}}
        seen = 0
        async for got, _ in graph.astream(
            {"log": []}, config, stream_mode=list(modes), durability="sync"
        ):
            seen += got == mode
            if seen == nth:
                break
        left = (list(RAN), where(graph, config))
        history = [(s.metadata["step"], s.next) for s in graph.get_state_history(config)]
        saved = [t.checkpoint["channel_values"].get("log") for t in saver.list(config)]
        again = await graph.ainvoke(None, config)
        out.append((modes, mode, nth, left, history, saved, again, list(RAN)))
    return out
