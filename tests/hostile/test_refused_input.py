"""Input that a run refuses at ``start()`` (before any node) leaves the thread as it was:
no input checkpoint holding the bad input, so ``threads``/``get_state_history`` do not list
a thread no run ever ran, and the next good input starts it as new.

LangGraph writes its input checkpoint first and fails at the first node (a pydantic
state); graphstage refuses the input at ``start()``, so there is no run to have written it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, TypedDict

import pytest
from pydantic import BaseModel, ValidationError, model_validator

from graphstage import END, START, InMemorySaver, InvalidUpdateError, SqliteSaver, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

CONFIG = {"configurable": {"thread_id": "t"}}


class Typed(TypedDict):
    x: int


class Model(BaseModel):
    x: int

    @model_validator(mode="after")
    def not_thirteen(self) -> Model:
        if self.x == 13:
            raise ValueError("x must not be 13")
        return self


def graph(schema: Any, saver: Any) -> Any:
    b = StateGraph(schema)
    b.add_node("a", lambda s: {"x": 5})
    b.add_edge(START, "a")
    b.add_edge("a", END)
    return b.compile(checkpointer=saver)


CASES = [
    (Typed, {"x": "not a number"}, InvalidUpdateError),
    (Typed, {"y": 1}, InvalidUpdateError),
    (Model, {"x": "not a number"}, ValidationError),
    (Model, {"x": 13}, ValidationError),  # the state as a whole is refused
]
IDS = ["type", "unknown", "model", "model_validator"]


@pytest.fixture(params=["memory", "sqlite"])
def saver(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "memory":
        yield InMemorySaver()
        return
    with SqliteSaver(str(tmp_path / "c.sqlite3")) as saver:
        yield saver


@pytest.mark.parametrize(("schema", "bad", "error"), CASES, ids=IDS)
async def test_input_refused_at_start_leaves_a_new_thread_empty(
    saver: Any, schema: Any, bad: dict[str, Any], error: type[Exception]
) -> None:
    g = graph(schema, saver)
    with pytest.raises(error):
        g.start(bad, CONFIG)
    assert list(g.get_state_history(CONFIG)) == []
    assert list(saver.list(CONFIG)) == []
    result = await asyncio.wait_for(g.start({"x": 1}, CONFIG).result(), 10)
    assert result.status == "completed"
    steps = [c.metadata["step"] for c in g.get_state_history(CONFIG)]
    assert steps == [1, 0, -1]


@pytest.mark.parametrize(("schema", "bad"), [c[:2] for c in CASES], ids=IDS)
async def test_input_refused_at_start_leaves_a_used_thread_at_its_checkpoint(
    saver: Any, schema: Any, bad: dict[str, Any]
) -> None:
    g = graph(schema, saver)
    await asyncio.wait_for(g.start({"x": 1}, CONFIG).result(), 10)
    before = [c.config["configurable"]["checkpoint_id"] for c in g.get_state_history(CONFIG)]
    # on a used thread the input is an update to its state: InvalidUpdateError names its
    # field; the state it makes is then validated as a whole
    with pytest.raises((InvalidUpdateError, ValidationError)):
        g.start(bad, CONFIG)
    after = [c.config["configurable"]["checkpoint_id"] for c in g.get_state_history(CONFIG)]
    assert after == before
    result = await asyncio.wait_for(g.start({"x": 2}, CONFIG).result(), 10)
    assert result.status == "completed"
