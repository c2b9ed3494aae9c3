"""``Command(update=[(key, value), ...])``: an update given as a list of pairs, as LangGraph
accepts it in a Command (each pair one write, applied in order).

Every case runs the same program on LangGraph and on graphstage (only the imports differ)
and compares what they return or raise. A node returning a bare list of pairs (no Command)
is refused by both: LangGraph accepts pairs only as a Command's update.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

import graphstage
from graphstage import Command, InvalidUpdateError

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

langgraph = pytest.importorskip("langgraph.graph")
lg_types = pytest.importorskip("langgraph.types")


class State(TypedDict):
    items: Annotated[list[int], operator.add]
    count: int
    name: str


INPUT: dict[str, Any] = {"items": [], "count": 0, "name": ""}


def graph_of(g: Any, first: Any) -> Any:
    """``first`` (a node function) then ``second``, which adds 10 to ``count``."""

    def second(state: dict[str, Any]) -> dict[str, Any]:
        return {"count": state["count"] + 10}

    b = g.StateGraph(State)
    b.add_node("first", first)
    b.add_node("second", second)
    b.add_edge(g.START, "first")
    b.add_edge("first", "second")
    b.add_edge("second", g.END)
    return b.compile()


async def both(make_first: Any) -> tuple[Any, Any]:
    """Final state and ``updates`` chunks (or the exception's class name) on each engine;
    ``make_first(command_class)`` builds the first node for that engine's Command."""

    async def outcome(g: Any, command: type) -> Any:
        graph = graph_of(g, make_first(command))
        try:
            final = await graph.ainvoke(dict(INPUT))
            updates = [c async for c in graph.astream(dict(INPUT), stream_mode="updates")]
        except Exception as exc:
            return ("raised", type(exc).__name__)
        return final, updates

    return await outcome(langgraph, lg_types.Command), await outcome(graphstage, Command)


async def test_pairs_are_written_in_order_and_a_repeated_key_streams_each_write() -> None:
    lg, gs = await both(
        lambda command: lambda state: command(update=[("items", [1]), ("count", 1), ("items", [2])])
    )
    assert gs == lg
    final, updates = gs
    assert final == {"items": [1, 2], "count": 11, "name": ""}
    assert updates[0] == {"first": [{"items": [1]}, {"count": 1}, {"items": [2]}]}


async def test_pairs_without_a_repeated_key_stream_as_one_dict() -> None:
    lg, gs = await both(lambda command: lambda state: command(update=(("name", "x"), ("count", 2))))
    assert gs == lg
    assert gs[1][0] == {"first": {"name": "x", "count": 2}}


async def test_pairs_and_goto_together() -> None:
    def make_first(command: type) -> Any:
        return lambda state: command(update=[("name", "went")], goto="second")

    lg, gs = await both(make_first)
    assert gs == lg
    assert gs[0]["name"] == "went"


async def test_a_plain_field_written_twice_by_pairs_fails_the_run() -> None:
    lg, gs = await both(lambda command: lambda state: command(update=[("count", 1), ("count", 2)]))
    assert lg == gs == ("raised", "InvalidUpdateError")


async def test_a_node_returning_a_bare_list_of_pairs_is_refused_as_in_langgraph() -> None:
    lg, gs = await both(lambda command: lambda state: [("count", 1)])
    assert lg == gs == ("raised", "InvalidUpdateError")


async def test_a_list_of_commands_with_pair_updates() -> None:
    def make_first(command: type) -> Any:
        return lambda state: [
            command(update=[("items", [3]), ("name", "a")]),
            command(update=[("items", [4])]),
        ]

    lg, gs = await both(make_first)
    assert gs == lg
    assert gs[0]["items"] == [3, 4]


def test_pairs_become_a_dict_or_writes_when_the_command_is_made() -> None:
    assert Command(update=[("a", 1), ("b", 2)]).update == {"a": 1, "b": 2}
    repeated = Command(update=[("a", 1), ("a", 2)]).update
    assert list(repeated) == [{"a": 1}, {"a": 2}]  # type: ignore[arg-type]
    with pytest.raises(InvalidUpdateError, match="returned list"):
        graph_of(graphstage, lambda state: [1, 2]).invoke(dict(INPUT))
