"""The streaming how-to's "stream subgraph outputs" (stream(subgraphs=True)) when a subgraph
pauses, as LangGraph's tests see it (test_weather_subgraph): an interrupt() inside the
subgraph shows its question in the subgraph's namespace and at the top; a breakpoint inside
it (interrupt_before, interrupt_after) shows {"__interrupt__": ()} at the top only; the
values mode shows each namespace's values as they come."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import interrupt
from typing_extensions import TypedDict


class S(TypedDict):
    x: str


def ask(s):
    return {"x": interrupt("q")}


def inner_node(s):
    return {"x": "i"}


sub1 = StateGraph(S).add_node("ask", ask).add_edge(START, "ask").compile()
sub2 = (
    StateGraph(S)
    .add_node("a", inner_node)
    .add_node("b", inner_node)
    .add_edge(START, "a")
    .add_edge("a", "b")
    .compile(interrupt_before=["b"])
)
sub3 = (
    StateGraph(S)
    .add_node("a", inner_node)
    .add_node("b", inner_node)
    .add_edge(START, "a")
    .add_edge("a", "b")
    .compile(interrupt_after=["a"])
)


def main():
    out = []
    for sub in (sub1, sub2, sub3):
        g = (
            StateGraph(S)
            .add_node("sub", sub)
            .add_edge(START, "sub")
            .compile(checkpointer=InMemorySaver())
        )
        c = {"configurable": {"thread_id": "1"}}
        out.append(
            [
                (
                    tuple(p.split(":")[0] for p in ns),
                    {
                        k: ([i.value for i in v] if k == "__interrupt__" else v)
                        for k, v in ch.items()
                    },
                )
                for ns, ch in g.stream({"x": ""}, c, stream_mode="updates", subgraphs=True)
            ]
        )
        out.append(
            [
                (tuple(p.split(":")[0] for p in ns), sorted(ch))
                for ns, ch in g.stream(
                    {"x": ""},
                    {"configurable": {"thread_id": "2"}},
                    stream_mode="values",
                    subgraphs=True,
                )
            ]
        )
    return out
