"""A state that grows step by step: updates validated alone, lists grown in place, and
nobody who holds a state, a list or an input ever sees it change."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest
from pydantic import BaseModel, Field, field_validator

from graphstage import END, START, InvalidUpdateError, StateGraph, StateUpdated

pytestmark = pytest.mark.anyio


class Chat(TypedDict):
    messages: Annotated[list[dict[str, str]], operator.add]
    turns: int


class ChatModel(BaseModel):
    messages: Annotated[list[dict[str, str]], operator.add] = []
    turns: int = 0


def _get(state: Any, name: str) -> Any:
    return state[name] if isinstance(state, dict) else getattr(state, name)


def chat_graph(schema: type[Any], steps: int, node_fn: Any = None) -> Any:
    async def reply(state: Any) -> dict[str, Any]:
        turn = _get(state, "turns") + 1
        return {"messages": [{"role": "ai", "content": f"reply {turn}"}], "turns": turn}

    builder = StateGraph(schema)
    for i in range(steps):
        builder.add_node(f"n{i}", node_fn or reply)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{steps - 1}", END)
    return builder.compile()


def contents(messages: list[dict[str, str]]) -> list[str]:
    return [m["content"] for m in messages]


@pytest.mark.parametrize("schema", [Chat, ChatModel])
async def test_what_a_node_keeps_never_changes_after_it_returns(schema: type[Any]) -> None:
    kept: list[tuple[Any, list[str], list[dict[str, str]], int]] = []

    async def keep(state: Any) -> dict[str, Any]:
        messages = _get(state, "messages")
        kept.append((state, contents(messages), messages, len(messages)))
        turn = _get(state, "turns") + 1
        return {"messages": [{"role": "ai", "content": f"reply {turn}"}], "turns": turn}

    out = await chat_graph(schema, 5, keep).ainvoke({"messages": [], "turns": 0})
    assert contents(out["messages"]) == [f"reply {i}" for i in range(1, 6)]
    for state, seen, messages, length in kept:
        assert len(messages) == length  # the list it was given did not grow afterwards
        assert contents(_get(state, "messages")) == seen
    assert [length for *_, length in kept] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("schema", [Chat, ChatModel])
async def test_the_callers_input_is_never_changed(schema: type[Any]) -> None:
    history = [{"role": "user", "content": "hi"}]
    given: Any = {"messages": history, "turns": 0}
    if schema is ChatModel:
        given = ChatModel(messages=history)
        history = given.messages
    out = await chat_graph(schema, 3).ainvoke(given)
    assert contents(history) == ["hi"]
    assert contents(out["messages"]) == ["hi", "reply 1", "reply 2", "reply 3"]


async def test_a_run_result_is_not_changed_by_a_later_run() -> None:
    graph = chat_graph(Chat, 2)
    first = await graph.ainvoke({"messages": [], "turns": 0})
    await graph.ainvoke({"messages": first["messages"], "turns": first["turns"]})
    assert contents(first["messages"]) == ["reply 1", "reply 2"]


async def test_a_bad_appended_item_is_rejected_naming_the_node_and_field() -> None:
    """A pydantic state validates each update (a TypedDict's reducer fields are not
    validated, as in LangGraph)."""

    async def bad(state: Any) -> dict[str, Any]:
        return {"messages": [{"role": "ai", "content": 3}]}

    with pytest.raises(InvalidUpdateError, match=r"node 'n0' set field 'messages'"):
        await chat_graph(ChatModel, 2, bad).ainvoke({"messages": [], "turns": 0})


async def test_a_constrained_list_is_checked_whole() -> None:
    class Short(BaseModel):
        messages: Annotated[list[str], Field(max_length=2), operator.add] = []

    async def more(state: Short) -> dict[str, Any]:
        return {"messages": ["x"]}

    builder = StateGraph(Short)
    for name, nxt in (("a", "b"), ("b", "c"), ("c", END)):
        builder.add_node(name, more)
        builder.add_edge(name, nxt)
    builder.add_edge(START, "a")
    with pytest.raises(InvalidUpdateError, match=r"node 'c' set field 'messages'.*at most 2"):
        await builder.compile().ainvoke({})


async def test_a_model_with_validators_is_still_validated_whole() -> None:
    class Checked(BaseModel):
        messages: Annotated[list[str], operator.add] = []
        limit: int = 2

        @field_validator("messages")
        @classmethod
        def not_too_many(cls, value: list[str]) -> list[str]:
            if len(value) > 2:
                raise ValueError("too many messages")
            return value

    async def more(state: Checked) -> dict[str, Any]:
        return {"messages": ["x"]}

    builder = StateGraph(Checked)
    for name, nxt in (("a", "b"), ("b", "c"), ("c", END)):
        builder.add_node(name, more)
        builder.add_edge(name, nxt)
    builder.add_edge(START, "a")
    with pytest.raises(InvalidUpdateError, match=r"node 'c' set field 'messages'.*too many"):
        await builder.compile().ainvoke({})


async def test_the_model_config_applies_to_updates() -> None:
    class Strict(BaseModel, strict=True):
        turns: int = 0

    async def text(state: Strict) -> dict[str, Any]:
        return {"turns": "1"}

    builder = StateGraph(Strict)
    builder.add_node("a", text)
    builder.add_edge(START, "a")
    with pytest.raises(InvalidUpdateError, match="node 'a' set field 'turns'"):
        await builder.compile().ainvoke({})


async def test_events_carry_the_delta_and_the_values_stream_the_whole_state() -> None:
    graph = chat_graph(Chat, 3)
    inp = {"messages": [{"role": "user", "content": "hi"}], "turns": 0}
    run = graph.start(inp)
    updates = [e async for e in run.events() if isinstance(e, StateUpdated)]
    assert [(e.update, e.appended) for e in updates] == [
        ({"turns": i}, {"messages": [{"role": "ai", "content": f"reply {i}"}]}) for i in (1, 2, 3)
    ]
    values = [v async for v in graph.astream(inp, stream_mode="values")]
    assert [contents(v["messages"]) for v in values] == [
        ["hi"],
        ["hi", "reply 1"],
        ["hi", "reply 1", "reply 2"],
        ["hi", "reply 1", "reply 2", "reply 3"],
    ]
    assert [v["turns"] for v in values] == [0, 1, 2, 3]


async def test_a_fan_out_appends_in_frontier_order() -> None:
    async def say(name: str) -> Any:
        async def node(state: Chat) -> dict[str, Any]:
            return {"messages": [{"role": "ai", "content": name}]}

        return node

    builder = StateGraph(Chat)
    for name in ("a", "b", "c"):
        builder.add_node(name, await say(name))
        builder.add_edge(START, name)
    out = await builder.compile().ainvoke({"messages": [], "turns": 0})
    assert contents(out["messages"]) == ["a", "b", "c"]
