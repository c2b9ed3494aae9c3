"""interrupt(value, response_schema=...) (LangGraph 1.2): the schema a question carries
survives a durable saver, an answer that does not fit is refused without being saved (the
question stays open), and a run without a thread still shows the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from typing_extensions import TypedDict

from graphstage import START, StateGraph
from graphstage.checkpoint.sqlite import SqliteSaver
from graphstage.errors import is_invalid_resume
from graphstage.types import Command, interrupt


class Decision(BaseModel):
    action: str
    score: int = 0


class State(TypedDict, total=False):
    outcome: Any


def review(state: State) -> dict[str, Any]:
    decision = interrupt("decide", response_schema=Decision)
    return {"outcome": decision}


def builder() -> StateGraph:
    return StateGraph(State).add_node("review", review).add_edge(START, "review")


@pytest.mark.timeout(30)
def test_schema_and_open_question_survive_the_sqlite_saver(tmp_path: Path) -> None:
    db = tmp_path / "threads.sqlite3"
    config = {"configurable": {"thread_id": "t"}}
    with SqliteSaver(db) as saver:
        graph = builder().compile(checkpointer=saver)
        asked = graph.invoke({}, config)["__interrupt__"][0]
        assert asked.response_schema == Decision.model_json_schema()
        with pytest.raises(ValidationError) as caught:
            graph.invoke(Command(resume={"score": "high"}), config)
        assert is_invalid_resume(caught.value)
    with SqliteSaver(db) as saver:  # read back from the file
        graph = builder().compile(checkpointer=saver)
        waiting = graph.get_state(config).tasks[0].interrupts
        assert [(i.value, i.response_schema) for i in waiting] == [
            ("decide", Decision.model_json_schema())
        ]
        done = graph.invoke(Command(resume={"action": "ok", "score": "3"}), config)
    assert done == {"outcome": Decision(action="ok", score=3)}


def test_a_run_without_a_thread_shows_the_schema() -> None:
    out = builder().compile().invoke({})
    assert out["__interrupt__"][0].response_schema == Decision.model_json_schema()
    assert not is_invalid_resume(ValueError("not an answer"))
