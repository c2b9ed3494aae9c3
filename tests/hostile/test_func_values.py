"""The functional API with a checkpointer, handed results no saver can keep: a task or an
entrypoint returning a value that holds itself (or nests over 200 levels) fails with a
``TypeError`` naming it, as LangGraph's ("Recursion limit reached", a ``TypeError``), not
a ``RecursionError`` from graphstage's encoder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graphstage import SqliteSaver
from graphstage.func import entrypoint, task

pytestmark = pytest.mark.timeout(30)

CYCLE: list[Any] = []
CYCLE.append(CYCLE)


def deep(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels):
        value = [value]
    return value


@task
def returns_cycle(x: int) -> Any:
    return CYCLE


@pytest.mark.parametrize("value", [CYCLE, deep(300)], ids=["cycle", "deep"])
def test_an_entrypoint_returning_what_no_saver_keeps_is_a_type_error_naming_it(
    tmp_path: Path, value: Any
) -> None:
    with SqliteSaver(str(tmp_path / "c.sqlite3")) as saver:

        @entrypoint(checkpointer=saver)
        def answers(x: int) -> Any:
            return value

        with pytest.raises(TypeError, match="entrypoint 'answers' returned a list value that"):
            answers.invoke(1, {"configurable": {"thread_id": "t"}})


def test_a_task_returning_a_value_that_holds_itself_is_a_type_error_naming_it(
    tmp_path: Path,
) -> None:
    with SqliteSaver(str(tmp_path / "c.sqlite3")) as saver:

        @entrypoint(checkpointer=saver)
        def calls(x: int) -> Any:
            return returns_cycle(x).result()

        with pytest.raises(TypeError, match="task 'returns_cycle' returned a list value that"):
            calls.invoke(1, {"configurable": {"thread_id": "t"}})
