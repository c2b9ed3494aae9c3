"""The window never continues another graph's run with its own graph, silently (issue 11).

The window loads code only from files the user picks; it never loads the graph a journal's
spec names. So each way it continues a journaled run (History's Resume, time travel's fork,
answering an interrupt) first checks the run is the shown graph's: here two files define a
graph of the same name, and a run of one is refused in the other, naming its graph and file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import Journal, ResumeError
from graphstage.app import MainWindow
from graphstage.app.loader import load_graph
from graphstage.app.ownership import set_graph_spec

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]

GRAPH = """
from typing import TypedDict
from graphstage import START, StateGraph, interrupt

class S(TypedDict, total=False):
    answer: str

def ask(state):
    return {{"answer": {prefix!r} + str(interrupt("ok?"))}}

builder = StateGraph(S)
builder.add_node("ask", ask)
builder.add_edge(START, "ask")
graph = builder.compile(name="twin")
"""


@pytest.fixture
def twins(tmp_path: Path) -> tuple[str, str]:
    """Two files, each a graph named ``twin``."""
    specs = []
    for name in ("first", "second"):
        path = (tmp_path / f"{name}.py").resolve()
        path.write_text(GRAPH.format(prefix=name))
        specs.append(f"{path}:graph")
    return specs[0], specs[1]


def test_a_run_of_another_file_is_not_resumed_answered_or_forked_with_the_shown_graph(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    wait_until: WaitUntil,
    twins: tuple[str, str],
    tmp_path: Path,
) -> None:
    first, second = twins
    journal = Journal(tmp_path / "j.sqlite3")
    window = MainWindow(load_graph(first), journal=journal, settings=settings)
    set_graph_spec(window, window.graph, first)  # as the command line does
    qtbot.addWidget(window)
    window.show()
    finished: list[str] = []
    window.runFinished.connect(finished.append)
    history, panel, travel = window.history, window.interrupts, window.time_travel
    assert history is not None

    def pick(run_id: str) -> None:
        """Select the run as a click does, without its replay (loaded in a worker thread,
        which must not outlive the test's window): what Resume's state depends on."""
        history.table.blockSignals(True)
        history.select_run(run_id)
        history.table.blockSignals(False)
        history._set_controls()

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: finished == ["paused"], timeout=10)
        paused = window.run.run_id  # type: ignore[union-attr]
        held = panel.run  # the paused run the interrupt panel asks about
        assert held is not None and held.run_id == paused
        assert journal.run(paused).spec == first  # recorded, for `graphstage resume` too
        assert window.open_graph(second)  # File > Open: same graph name, another file
        history.refresh()
        await wait_until(lambda: not history.reading)
        pick(paused)
        why = history.resume_button.toolTip()
        assert not history.resume_button.isEnabled()
        assert f"belongs to graph 'twin' from {first}" in why
        assert f"this window shows graph 'twin' from {second}" in why
        history._on_resume_clicked()  # even if asked: refused, and said
        assert "belongs to graph 'twin'" in history.position_label.text()
        # answering the interrupt it waits at: refused the same way
        panel.run = held  # (opening a graph may clear the panel: asked all the same)
        panel._on_answer_clicked()
        assert "belongs to graph 'twin'" in panel.heading.text()
        # time travel on its thread: shown, not forked
        travel._list(paused)
        travel.select(0)
        assert travel.selected is not None and not travel.fork_button.isEnabled()
        with pytest.raises(ResumeError, match="belongs to graph 'twin'"):
            travel.fork_from(travel.selected, {"answer": "edited"})
        assert window.run is None and finished == ["paused"]  # nothing ran
        # the graph it belongs to continues it
        assert window.open_graph(first)
        history.refresh()
        await wait_until(lambda: not history.reading)
        pick(paused)
        assert "belongs to" not in history.resume_button.toolTip()
        panel.run = held
        panel.answer_editor.setPlainText("yes")
        panel._on_answer_clicked()
        await wait_until(lambda: finished == ["paused", "completed"], timeout=10)
        assert window.state_view.values["answer"] == "firstyes"

    run_async(scenario())
    journal.close()
