"""A question asked inside a subgraph pauses the window's run as one asked by a node of the
graph itself: the interrupt panel shows it under the subgraph's node and its answer
resumes the subgraph from its own checkpoint (its finished nodes do not run again)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

from gui_helpers import shown_end
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import START, Journal, SqliteSaver, StateGraph, interrupt
from graphstage.app import MainWindow

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]

RAN: list[str] = []


class State(TypedDict, total=False):
    log: Annotated[list, operator.add]


def research() -> Any:
    def search(state: State) -> dict:
        RAN.append("search")
        return {"log": ["searched"]}

    def confirm(state: State) -> dict:
        RAN.append("confirm")
        return {"log": [f"confirmed {interrupt({'question': 'use these sources?'})!r}"]}

    child = StateGraph(State)
    child.add_node("search", search)
    child.add_node("confirm", confirm)
    child.add_edge(START, "search")
    child.add_edge("search", "confirm")
    parent = StateGraph(State)
    parent.add_node("research", child.compile())
    parent.add_node("write", lambda state: {"log": ["written"]})
    parent.add_edge(START, "research")
    parent.add_edge("research", "write")
    return parent.compile()


def test_a_question_inside_a_subgraph_is_answered_from_the_panel(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    RAN.clear()
    journal = Journal(":memory:")
    window = MainWindow(research(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()

    async def start() -> None:
        window.run_button.click()
        await wait_until(shown_end(window), timeout=10)

    run_async(start())
    panel = window.interrupts
    assert window.run is not None and window.run.status == "paused"
    assert panel.heading.text() == "research asks:"  # the parent's node that waits
    assert '"question": "use these sources?"' in panel.question.toPlainText()
    [thread] = SqliteSaver(journal).threads()  # one thread: the subgraph's is inside it
    assert (thread.status, thread.head.next) == ("paused", ("research",))
    paused = window.run

    async def answer() -> None:
        panel.answer_editor.setPlainText("true")
        panel.answer_button.click()
        await wait_until(shown_end(window, paused), timeout=10)

    run_async(answer())
    assert window.run.status == "completed"
    assert window.state_view.values["log"][-2:] == ["confirmed True", "written"]
    assert RAN == ["search", "confirm", "confirm"]  # search did not run again
    journal.close()
