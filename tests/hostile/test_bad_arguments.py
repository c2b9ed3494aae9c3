"""Arguments of the wrong kind to a run: input that is not a dict is LangGraph's
``InvalidUpdateError`` ("Expected dict, got ..."), naming the state and what to pass; a
config (or its ``configurable``) that is not a dict is a ``TypeError`` saying so, before
anything runs (LangGraph fails later, with an ``AttributeError`` from its own code)."""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

import pytest
from pydantic import BaseModel

from graphstage import END, START, InMemorySaver, InvalidUpdateError, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class Typed(TypedDict):
    x: int


class Model(BaseModel):
    x: int = 0


def graph(schema: Any, saver: Any = None) -> Any:
    b = StateGraph(schema)
    b.add_node("a", lambda s: {"x": 1})
    b.add_edge(START, "a")
    b.add_edge("a", END)
    return b.compile(checkpointer=saver)


@pytest.mark.parametrize("schema", [Typed, Model])
@pytest.mark.parametrize("value", [[1, 2], "text", 5], ids=["list", "str", "int"])
@pytest.mark.parametrize("saver", [None, InMemorySaver], ids=["plain", "thread"])
async def test_input_that_is_not_a_dict_is_langgraphs_invalid_update_error(
    schema: Any, value: Any, saver: Any
) -> None:
    g = graph(schema, saver() if saver else None)
    config = {"configurable": {"thread_id": "t"}} if saver else None
    with pytest.raises(InvalidUpdateError, match=r"^Expected dict, got .*: the input for"):
        await asyncio.wait_for(g.ainvoke(value, config), 10)


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ([1], "config must be a dict (a RunnableConfig), got list"),
        ("cfg", "config must be a dict (a RunnableConfig), got str"),
        ({"configurable": 5}, "config['configurable'] must be a dict, got int"),
    ],
    ids=["list", "str", "configurable"],
)
async def test_a_config_that_is_not_a_dict_is_a_type_error_saying_so(
    config: Any, says: str
) -> None:
    with pytest.raises(TypeError) as raised:
        await asyncio.wait_for(graph(Typed).ainvoke({"x": 0}, config), 10)
    assert says in str(raised.value)
