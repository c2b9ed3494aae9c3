"""``get_graph(xray=...)``: subgraphs drawn in place of their nodes, and their Mermaid
blocks. The node and edge lists are compared with LangGraph's in
tests/compat/programs/subgraph_xray.py; here, what only graphstage writes."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from graphstage import END, START, StateGraph
from graphstage._subgraph import subgraphs_of


class S(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def work(state: S) -> Any:
    return {}


def nested() -> Any:
    inner = StateGraph(S)
    inner.add_node("i1", work)
    inner.add_node("i2", work)
    inner.add_edge(START, "i1")
    inner.add_edge("i1", "i2")
    mid = StateGraph(S)
    mid.add_node("inner", inner.compile())
    mid.add_edge(START, "inner")
    top = StateGraph(S)
    top.add_node("t1", work)
    top.add_node("mid", mid.compile())
    top.add_edge(START, "t1")
    top.add_edge("t1", "mid")
    top.add_edge("mid", END)
    return top.compile()


def test_xray_draws_a_subgraphs_nodes_in_its_place_named_by_their_path() -> None:
    drawn = nested().get_graph(xray=True)
    assert tuple(drawn.nodes) == ("__start__", "t1", "__end__", "mid:inner:i1", "mid:inner:i2")
    assert [(e.source, e.target) for e in drawn.edges] == [
        ("__start__", "t1"),
        ("t1", "mid:inner:i1"),
        ("mid:inner:i2", "__end__"),
        ("mid:inner:i1", "mid:inner:i2"),
    ]
    assert drawn.groups == (("mid", ()), ("mid:inner", ("mid:inner:i1", "mid:inner:i2")))
    # one level: the inner subgraph stays a node of mid
    assert tuple(nested().get_graph(xray=1).nodes) == ("__start__", "t1", "__end__", "mid:inner")
    assert tuple(nested().get_graph().nodes) == ("__start__", "t1", "mid", "__end__")


def test_xray_mermaid_draws_each_subgraph_as_a_nested_block() -> None:
    lines = nested().get_graph(xray=True).draw_mermaid().splitlines()
    start = lines.index("    subgraph mid[mid]")
    assert lines[start : start + 6] == [
        "    subgraph mid[mid]",
        "        subgraph mid\\3ainner[inner]",
        "            mid\\3ainner\\3ai1[i1]",
        "            mid\\3ainner\\3ai2[i2]",
        "        end",
        "    end",
    ]
    assert "    t1 --> mid\\3ainner\\3ai1" in lines
    assert "    mid\\3ainner\\3ai2 --> __end__" in lines
    # without xray nothing changes: no blocks, the subgraph is one node
    plain = nested().draw_mermaid()
    assert "subgraph" not in plain and "    t1 --> mid" in plain.splitlines()


def test_a_node_that_names_its_own_graph_is_not_its_subgraph() -> None:
    def node(state: S) -> Any:
        return {"log": [type(graph).__name__]}  # reads the module's graph, not a subgraph

    builder = StateGraph(S)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    graph = builder.compile()
    assert tuple(graph.get_graph(xray=True).nodes) == ("__start__", "node", "__end__")


def test_get_graph_nodes_map_each_name_to_its_node() -> None:
    graph = nested()
    drawn = graph.get_graph()
    assert isinstance(drawn.nodes, dict)
    t1, mid, end = drawn.nodes["t1"], drawn.nodes["mid"], drawn.nodes["__end__"]
    assert (t1.id, t1.name, t1.data, t1.metadata) == ("t1", "t1", work, None)
    assert mid.data is subgraphs_of(graph)["mid"]  # a subgraph node: its compiled graph
    assert (end.id, end.name, end.data) == ("__end__", "__end__", None)
    inner = nested().get_graph(xray=True).nodes["mid:inner:i1"]
    assert (inner.id, inner.name, inner.data) == ("mid:inner:i1", "i1", work)


def test_get_graph_nodes_carry_add_node_metadata() -> None:
    builder = StateGraph(S)
    builder.add_node("node", work, metadata={"owner": "ops"})
    builder.add_edge(START, "node")
    assert builder.compile().get_graph().nodes["node"].metadata == {"owner": "ops"}
