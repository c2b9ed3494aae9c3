"""Transitions name the step a run really took: joins and conditional edges, as recorded.

Every test compares the recorded ``Transition`` events with what happened (and, where a
result is involved, with LangGraph running the same graph).
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import END, START, StateGraph, Transition, load_event

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(20)]


class Log(TypedDict, total=False):
    log: Annotated[list[str], operator.add]
    n: int


def appender(name: str) -> Any:
    def node(state: dict[str, Any]) -> dict[str, Any]:
        return {"log": [name]}

    node.__name__ = name
    return node


def transitions(run_events: Any) -> list[tuple[str, str, str, str | None, int]]:
    return [
        (e.src, e.dst, e.reason, e.branch, e.step) for e in run_events if isinstance(e, Transition)
    ]


async def run_events(graph: Any, inp: dict[str, Any]) -> tuple[list[Any], Any]:
    run = graph.start(inp)
    result = await run.result()
    return list(run.event_log), result


async def test_join_sources_go_to_the_join_not_to_end(no_leftover_tasks: None) -> None:
    b = StateGraph(Log)
    for name in ("a", "b", "c"):
        b.add_node(name, appender(name))
    b.add_edge(START, "a")
    b.add_edge(START, "b")
    b.add_edge(["a", "b"], "c")
    b.add_edge("c", END)
    events, result = await run_events(b.compile(), {"log": []})
    assert result.status == "completed"
    assert transitions(events) == [
        ("__start__", "a", "edge", None, 0),
        ("__start__", "b", "edge", None, 0),
        ("a", "c", "edge", None, 1),
        ("b", "c", "edge", None, 1),
        ("c", "__end__", "edge", None, 2),
    ]


async def test_a_join_source_of_an_earlier_step_is_recorded_with_its_own_step() -> None:
    b = StateGraph(Log)
    for name in ("a", "b", "b2", "c"):
        b.add_node(name, appender(name))
    b.add_edge(START, "a")
    b.add_edge(START, "b")
    b.add_edge("b", "b2")
    b.add_edge(["a", "b2"], "c")
    events, result = await run_events(b.compile(), {"log": []})
    assert result.path == ("a", "b", "b2", "c")
    moves = transitions(events)
    # a finished in step 1 and waited: its move into the join is published when b2 (step 2)
    # completes the join, stamped with the step a ran in; nothing claims a -> END
    assert moves == [
        ("__start__", "a", "edge", None, 0),
        ("__start__", "b", "edge", None, 0),
        ("b", "b2", "edge", None, 1),
        ("a", "c", "edge", None, 1),
        ("b2", "c", "edge", None, 2),
        ("c", "__end__", "edge", None, 3),
    ]
    seqs = [e.seq for e in events if isinstance(e, Transition) and e.dst == "c"]
    b2_done = next(
        e.seq for e in events if getattr(e, "node", None) == "b2" and e.kind == "node_finished"
    )
    assert all(seq > b2_done for seq in seqs)


def review_graph(module: Any) -> Any:
    def draft(state: dict[str, Any]) -> dict[str, Any]:
        return {"log": ["draft"], "n": state.get("n", 0) + 1}

    def route(state: dict[str, Any]) -> str:
        return "revise" if state["n"] < 3 else "publish"

    b = module.StateGraph(Log)
    b.add_node("draft", draft)
    b.add_node("publish", appender("publish"))
    b.add_edge(module.START, "draft")
    b.add_conditional_edges("draft", route, {"revise": "draft", "publish": "publish"})
    b.add_edge("publish", module.END)
    return b.compile()


async def test_a_conditional_edge_records_its_branch_key() -> None:
    import graphstage

    events, result = await run_events(review_graph(graphstage), {"log": [], "n": 0})
    assert transitions(events)[1:] == [
        ("draft", "draft", "edge", "revise", 1),
        ("draft", "draft", "edge", "revise", 2),
        ("draft", "publish", "edge", "publish", 3),
        ("publish", "__end__", "edge", None, 4),
    ]
    langgraph = pytest.importorskip("langgraph.graph")
    expected = await review_graph(langgraph).ainvoke({"log": [], "n": 0})
    assert graphstage.StateGraph  # same program on both
    assert result.state == expected


def loop_join_graph(module: Any) -> Any:
    """START -> (a, b) -> join c -> back to (a, b) until three passes are done."""

    def c(state: dict[str, Any]) -> dict[str, Any]:
        return {"log": ["c"], "n": state.get("n", 0) + 1}

    def again(state: dict[str, Any]) -> list[str] | str:
        return ["a", "b"] if state["n"] < 3 else module.END

    b = module.StateGraph(Log)
    b.add_node("a", appender("a"))
    b.add_node("b", appender("b"))
    b.add_node("c", c)
    b.add_edge(module.START, "a")
    b.add_edge(module.START, "b")
    b.add_edge(["a", "b"], "c")
    b.add_conditional_edges("c", again, ["a", "b", module.END])
    return b.compile()


async def test_a_join_inside_a_loop_fires_once_per_pass() -> None:
    import graphstage

    events, result = await run_events(loop_join_graph(graphstage), {"log": [], "n": 0})
    assert result.status == "completed"
    assert result.path == ("a", "b", "c") * 3
    into_c = [(s, st) for s, d, _, _, st in transitions(events) if d == "c"]
    assert into_c == [("a", 1), ("b", 1), ("a", 3), ("b", 3), ("a", 5), ("b", 5)]
    langgraph = pytest.importorskip("langgraph.graph")
    expected = await loop_join_graph(langgraph).ainvoke({"log": [], "n": 0})
    assert result.state == expected


async def test_mermaid_writes_the_branch_keys() -> None:
    import graphstage

    graph = review_graph(graphstage)
    text = graph.get_graph().draw_mermaid()
    assert text == graph.draw_mermaid()
    assert "draft -. &nbsp;revise&nbsp; .-> draft" in text
    assert "draft -. &nbsp;publish&nbsp; .-> publish" not in text  # key == node: no label
    assert "draft -.-> publish" in text
    drawn = graph.get_graph()
    assert list(drawn.nodes) == ["__start__", "draft", "publish", "__end__"]
    langgraph = pytest.importorskip("langgraph.graph")
    theirs = review_graph(langgraph).get_graph().draw_mermaid()
    assert "-. &nbsp;revise&nbsp; .->" in theirs  # the same label, as LangGraph writes it


def test_a_transition_journaled_before_branch_keys_still_loads() -> None:
    old = {
        "kind": "transition",
        "run_id": "r",
        "seq": 3,
        "time": 1.0,
        "src": "a",
        "dst": "b",
        "reason": "edge",
        "step": 1,
        "after_stop": False,
    }
    event = load_event(old)
    assert isinstance(event, Transition) and event.branch is None
