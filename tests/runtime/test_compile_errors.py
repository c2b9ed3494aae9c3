"""compile() and add_node() refuse a graph that cannot run, naming the problem."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from graphstage import END, START, GraphError, StateGraph


class State(BaseModel):
    result: str | None = None


def builder_with(*names: str) -> StateGraph:
    builder = StateGraph(State)
    for name in names:
        builder.add_node(name, lambda s: None)
    return builder


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda b: b.add_edge(START, "ghost"),
            "add_edge('__start__', 'ghost'): node 'ghost' does not exist; add it with "
            "add_node('ghost', ...) first (known nodes: work)",
        ),
        (
            lambda b: (b.add_edge(START, "work"), b.add_edge("ghost", "work")),
            "node 'ghost' does not exist",
        ),
        (
            lambda b: (
                b.add_edge(START, "work"),
                b.add_conditional_edges("work", lambda s: "x", {"x": "ghost"}),
            ),
            "the path_map of add_conditional_edges('work', ...): node 'ghost' does not exist",
        ),
        (
            lambda b: b.add_edge("work", END),
            "the graph has no entry point: add add_edge(START, 'first_node')",
        ),
        (
            lambda b: (
                b.add_edge(START, "work"),
                b.add_node("other", lambda s: None, on_cancel="ghost"),
            ),
            "add_node('other', on_cancel='ghost'): node 'ghost' does not exist",
        ),
        (
            lambda b: (b.add_edge(START, "work"), b.add_node("work", lambda s: None)),
            "node 'work' is added twice; node names must be unique",
        ),
        (
            lambda b: (b.add_edge(START, "work"), b.add_node(END, lambda s: None)),
            "'__end__' is reserved for START/END",
        ),
    ],
    ids=[
        "edge-to-unknown",
        "edge-from-unknown",
        "path-map-unknown",
        "no-entry",
        "on-cancel-unknown",
        "duplicate",
        "reserved-name",
    ],
)
def test_compile_names_the_problem(build, message):
    builder = builder_with("work")
    build(builder)
    with pytest.raises(GraphError) as info:
        builder.compile()
    assert message in str(info.value)


def test_a_node_whose_parameters_cannot_be_injected_is_refused():
    async def node(state, database):
        return None

    with pytest.raises(GraphError, match="parameter 'database' cannot be injected"):
        StateGraph(State).add_node("n", node)


def test_a_state_that_is_neither_a_model_nor_a_typed_dict_is_refused():
    with pytest.raises(GraphError, match="a TypedDict, a dataclass or a pydantic BaseModel"):
        StateGraph(dict)
