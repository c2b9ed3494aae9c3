"""State schemas and channel semantics, as LangGraph's: every kind of state class, reducers
that start at their type's empty value, one writer per plain field a step, schemas that
narrow input, output and what a node reads, managed values and the recursion limit."""

from __future__ import annotations

import operator
import typing
from dataclasses import dataclass, field
from typing import Annotated, Any, TypedDict

import pytest
import typing_extensions
from pydantic import BaseModel, ValidationError

from graphstage import (
    END,
    START,
    GraphError,
    GraphRecursionError,
    InvalidUpdateError,
    NodeCancelled,
    NodeStarted,
    Overwrite,
    RemainingSteps,
    StateGraph,
)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]


def one_node(schema, fn, **kwargs):
    builder = StateGraph(schema, **kwargs)
    builder.add_node("n", fn)
    builder.add_edge(START, "n")
    return builder.compile()


class ExtTD(typing_extensions.TypedDict):
    topic: str
    notes: Annotated[list[str], operator.add]


async def test_a_typing_extensions_typed_dict_is_a_state():
    graph = one_node(ExtTD, lambda s: {"notes": [s["topic"]]})
    assert await graph.ainvoke({"topic": "t"}) == {"topic": "t", "notes": ["t"]}


class Partial(typing_extensions.TypedDict, total=False):
    a: typing_extensions.Required[int]
    b: typing_extensions.NotRequired[str]
    c: typing.NotRequired[int]
    log: Annotated[typing_extensions.NotRequired[list[int]], operator.add]


async def test_total_false_required_and_not_required_fields_are_plain_fields():
    seen = []
    graph = one_node(Partial, lambda s: seen.append(dict(s)) or {"b": "x", "log": [1]})
    assert await graph.ainvoke({"a": 1}) == {"a": 1, "b": "x", "log": [1]}
    assert seen == [{"a": 1, "log": []}]  # an unset key is absent; a reducer key is empty


def no_none(old, new):
    assert old is not None, "the reducer saw None"
    return {**old, **new}


class Reducers(typing_extensions.TypedDict):
    items: Annotated[list, operator.add]
    total: Annotated[int, operator.add]
    text: Annotated[str, operator.add]
    tags: Annotated[set, operator.or_]
    merged: Annotated[dict, no_none]


async def test_reducer_fields_start_at_their_empty_value_and_fold_the_input_too():
    graph = one_node(Reducers, lambda s: {"items": [2], "total": 2, "merged": {"b": 2}})
    out = await graph.ainvoke({"items": [1], "total": 1, "merged": {"a": 1}})
    assert out == {
        "items": [1, 2],
        "total": 3,
        "text": "",
        "tags": set(),
        "merged": {"a": 1, "b": 2},
    }


async def test_an_overwrite_replaces_a_reducer_fields_value():
    graph = one_node(Reducers, lambda s: {"items": Overwrite([9])})
    assert (await graph.ainvoke({"items": [1, 2]}))["items"] == [9]


async def test_two_overwrites_of_one_field_in_a_step_are_an_invalid_update():
    builder = StateGraph(Reducers)
    for name in ("a", "b"):
        builder.add_node(name, lambda s: {"items": Overwrite([0])})
        builder.add_edge(START, name)
    with pytest.raises(InvalidUpdateError, match="Can receive only one Overwrite value"):
        await builder.compile().ainvoke({})


@dataclass
class DC:
    a: int
    log: Annotated[list[str], operator.add] = field(default_factory=list)
    c: str = "c"


async def test_a_dataclass_state_gives_nodes_an_instance_and_returns_a_dict():
    seen = []

    def node(state: DC):
        seen.append(state)
        return {"log": [f"a={state.a}"]}

    assert await one_node(DC, node).ainvoke({"a": 5}) == {"a": 5, "log": ["a=5"]}
    assert seen == [DC(a=5, log=[], c="c")]


class PState(BaseModel):
    a: int = 1
    b: str | None = None
    c: int = 3
    items: Annotated[list[int], operator.add]


async def test_a_pydantic_state_returns_a_dict_of_the_fields_that_have_a_value():
    seen = []

    def node(state: PState):
        seen.append(state)
        return {"c": 7}

    assert await one_node(PState, node).ainvoke({"a": 5}) == {"a": 5, "c": 7, "items": []}
    assert seen == [PState(a=5, items=[])]


async def test_a_returned_model_updates_the_fields_langgraph_takes_from_it():
    graph = one_node(PState, lambda s: PState(a=9, items=[1]))
    # set explicitly, or with a non-None default: b (default None, unset) is not written
    assert await graph.ainvoke({}) == {"a": 9, "c": 3, "items": [1]}


async def test_a_bad_value_for_a_typed_dict_field_fails_naming_node_and_field():
    class S(typing_extensions.TypedDict):
        count: int

    with pytest.raises(InvalidUpdateError, match="node 'n' set field 'count' to 'x'"):
        await one_node(S, lambda s: {"count": "x"}).ainvoke({"count": 1})


class Overall(typing_extensions.TypedDict):
    question: str
    answer: str


class In(typing_extensions.TypedDict):
    question: str


class Out(typing_extensions.TypedDict):
    answer: str


class Private(typing_extensions.TypedDict):
    scratch: str


async def test_input_output_and_private_schemas_narrow_what_is_read_and_returned():
    reads = []

    def first(state: In) -> Private:
        reads.append(("first", dict(state)))
        return {"scratch": state["question"].upper()}

    def second(state: Private):
        reads.append(("second", dict(state)))
        return {"answer": state["scratch"] + "!"}

    builder = StateGraph(Overall, input_schema=In, output_schema=Out)
    builder.add_sequence([first, second])
    builder.add_edge(START, "first")
    graph = builder.compile()
    assert await graph.ainvoke({"question": "hi"}) == {"answer": "HI!"}
    assert reads == [("first", {"question": "hi"}), ("second", {"scratch": "HI"})]
    # as LangGraph, the values stream shows every key, private ones too
    assert [c async for c in graph.astream({"question": "hi"}, stream_mode="values")] == [
        {"question": "hi"},
        {"question": "hi", "scratch": "HI"},
        {"question": "hi", "scratch": "HI", "answer": "HI!"},
    ]


class Steps(typing_extensions.TypedDict):
    remaining_steps: RemainingSteps
    log: Annotated[list[int], operator.add]


async def test_remaining_steps_counts_down_to_the_recursion_limit():
    def node(state: Steps):
        return {"log": [state["remaining_steps"]]}

    builder = StateGraph(Steps)
    builder.add_node("a", node)
    builder.add_node("b", node)
    builder.add_edge(START, "a")
    builder.add_conditional_edges("a", lambda s: END if s["remaining_steps"] <= 2 else "b")
    builder.add_edge("b", "a")
    # a conditional edge sees the value of the step that just ran
    assert await builder.compile().ainvoke({}, {"recursion_limit": 6}) == {"log": [5, 4, 3, 2, 1]}


def loop_of(steps: int):
    """A graph that ends after exactly ``steps`` steps."""

    class S(typing_extensions.TypedDict):
        n: int

    builder = StateGraph(S)
    builder.add_node("tick", lambda s: {"n": s["n"] + 1})
    builder.add_edge(START, "tick")
    builder.add_conditional_edges("tick", lambda s: END if s["n"] >= steps else "tick")
    return builder.compile()


async def test_the_recursion_limit_counts_steps_as_langgraph_does():
    # the limit's last step runs, then the run fails, even though it would end there
    with pytest.raises(GraphRecursionError, match=r"^Recursion limit of 7 reached"):
        await loop_of(7).ainvoke({"n": 0}, {"recursion_limit": 7})
    assert await loop_of(7).ainvoke({"n": 0}, {"recursion_limit": 8}) == {"n": 7}


async def test_with_config_sets_a_default_recursion_limit_a_run_may_override():
    graph = loop_of(7).with_config(recursion_limit=7)
    with pytest.raises(GraphRecursionError):
        await graph.ainvoke({"n": 0})
    assert await graph.ainvoke({"n": 0}, {"recursion_limit": 8}) == {"n": 7}


def picky(old: list, new: list) -> list:
    raise TypeError("no thanks")


class Picky(typing_extensions.TypedDict):
    items: Annotated[list, picky]


async def test_a_reducer_that_raises_fails_the_run_naming_field_and_node():
    with pytest.raises(InvalidUpdateError) as caught:
        await one_node(Picky, lambda s: {"items": [1]}).ainvoke({})
    message = str(caught.value)
    assert "field 'items'" in message and "node 'n'" in message and "no thanks" in message


async def test_input_outside_the_input_schema_is_refused_naming_the_keys_it_takes():
    builder = StateGraph(Overall, input_schema=In, output_schema=Out)
    builder.add_node("n", lambda s: {"answer": "a"})
    builder.add_edge(START, "n")
    with pytest.raises(InvalidUpdateError, match=r"'answer'.*accepts: question"):
        await builder.compile().ainvoke({"question": "q", "answer": "sneaky"})


@pytest.mark.anyio  # the module's marks need an async test; this one awaits nothing
async def test_a_state_whose_annotations_cannot_be_resolved_is_a_clear_graph_error():
    def local_reducer(old: list, new: list) -> list:
        return old + new

    class Local(typing_extensions.TypedDict):
        items: Annotated[list, local_reducer]  # a string here: this module's annotations

    with pytest.raises(GraphError, match="annotations of state Local could not be resolved"):
        StateGraph(Local)


class _Loose(TypedDict, total=False):
    a: int
    x: str


class _NeedsInt(BaseModel):
    x: int


@pytest.mark.parametrize("beside", [0, 2], ids=["alone", "beside-two-others"])
async def test_a_node_whose_input_schema_rejects_the_state_fails_the_run_with_that_error(
    beside: int,
) -> None:
    """The node never starts; the run fails with its input's ValidationError (it failed
    with KeyError: the node was counted active with no actor to kill), and the nodes of
    its step started before it are killed, each after its NodeStarted."""

    async def ok(s: _Loose) -> dict[str, Any]:
        return {"a": 1}

    async def picky(s: _NeedsInt) -> dict[str, Any]:
        return {"a": 2}

    builder = StateGraph(_Loose)
    others = [f"o{i}" for i in range(beside)]
    for name in others:
        builder.add_node(name, ok)
        builder.add_edge(START, name)
    builder.add_node("picky", picky)
    builder.add_edge(START, "picky")
    run = builder.compile().start({"x": "not an int"})
    result = await run.result()
    assert result.status == "failed"
    assert isinstance(result.error, ValidationError), repr(result.error)
    seen = [
        (type(e).__name__, e.node)  # type: ignore[attr-defined]
        for e in run.event_log
        if isinstance(e, NodeStarted | NodeCancelled)
    ]
    assert seen == [("NodeStarted", n) for n in others] + [("NodeCancelled", n) for n in others]


class EphemeralValue:
    """Stands in for LangGraph's channel of that name (graphstage matches it by name)."""


class Flash(typing_extensions.TypedDict, total=False):
    flash: Annotated[str | None, EphemeralValue]
    n: int


async def test_an_ephemeral_value_lasts_one_step_also_when_the_next_writes_plain_fields():
    """As LangGraph's EphemeralValue (same program run on LangGraph: the same reads): the
    next node reads it, the one after does not, also when the step between writes only
    last-value fields (the merge's common case)."""
    seen: list[str | None] = []

    def a(state: Flash) -> dict[str, object]:
        return {"flash": "hi", "n": 1}

    def b(state: Flash) -> dict[str, int]:
        seen.append(state.get("flash"))
        return {"n": 2}

    def c(state: Flash) -> dict[str, int]:
        seen.append(state.get("flash"))
        return {"n": 3}

    builder = StateGraph(Flash)
    for name, fn in (("a", a), ("b", b), ("c", c)):
        builder.add_node(name, fn)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", "c")
    builder.add_edge("c", END)
    result = await builder.compile().start({"n": 0}).result()
    assert (result.status, seen, result.state["n"]) == ("completed", ["hi", None], 3)
