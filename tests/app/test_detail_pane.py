"""Full text has a place: a picked log line, timeline bar or state value is shown whole in
the detail pane, wrapped, and the window never widens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from graphstage import START, StateGraph
from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


def test_a_long_log_line_and_value_are_read_whole_in_the_detail_pane(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    long_line = "a-very-long-token-" * 120  # 2,160 characters, no space to wrap at

    class State(BaseModel):
        summary: str = ""

    def talk(state: State, writer: Any) -> dict[str, str]:
        writer(long_line)
        return {"summary": "partial: " + "not much yet " * 80}

    builder = StateGraph(State)
    builder.add_node("a_node_with_a_name_longer_than_the_column", talk)
    builder.add_edge(START, "a_node_with_a_name_longer_than_the_column")
    window = MainWindow(builder.compile(name="talk"), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: window.bridge is None, 10)

    run_async(scenario())
    model = window.log_view.log_model
    row = next(i for i, t in enumerate(model.texts()) if t == long_line)
    window.log_view.setCurrentIndex(model.index(row))
    pane = window.detail
    text = pane.toPlainText()
    assert long_line in text and "a_node_with_a_name_longer_than_the_column" in text
    assert not pane.horizontalScrollBar().isVisible()  # wrapped, even without spaces
    # a state value, picked in the state view
    item = window.state_view.findItems("summary", Qt.MatchFlag.MatchExactly, 0)[0]
    window.state_view.setCurrentItem(item)
    assert ("partial: " + "not much yet " * 80).strip() in pane.toPlainText()
    assert window.width() == 1066 and window.minimumSizeHint().width() <= 1066


def test_a_timeline_bar_shows_its_whole_transition_and_stop_reason(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    window.input_form.editors["sleep_seconds"].widget.setValue(5)  # type: ignore[attr-defined]

    async def scenario() -> None:
        window.stop_reason.setText("the operator needs the machine back for something else")
        window.run_button.click()
        await wait_until(lambda: window.graph_view.active_nodes == ("work_stage",), 10)
        window.stop_button.click()
        await wait_until(lambda: window.bridge is None, 20)

    run_async(scenario())
    step = next(int(r[0]) for r in window.timeline.row_texts() if r[1] == "work_stage")
    window.timeline.select(("work_stage", step))
    text = window.detail.toPlainText()
    assert "work_stage · step" in text
    assert "graceful stop: the operator needs the machine back for something else" in text
    assert "→ cleanup_stage · command after stop" in text
    assert window.width() == 1066
