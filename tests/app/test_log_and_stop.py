"""The log follows its tail; Stop after this step, the typed stop reason and the
durations of killed nodes are shown; outcome names are the same everywhere."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from gui_helpers import shown_end, stubborn_graph
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import CustomOutput, Event, NodeCancelled, NodeFailed, NodeFinished, RunFinished
from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph
from graphstage.app.log_view import LogView

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


def lines(start: int, count: int) -> list[CustomOutput]:
    now = time.time()
    return [
        CustomOutput(run_id="r", seq=i, time=now, node="node", step=1, data=f"line {i}")
        for i in range(start, start + count)
    ]


def test_the_log_follows_its_tail_unless_scrolled_up_and_jumps_back_on_a_new_run(
    qtbot: QtBot,
) -> None:
    log = LogView(max_rows=500)
    qtbot.addWidget(log)
    log.resize(500, 200)
    log.show()
    bar = log.verticalScrollBar()
    for batch in range(10):
        log.append_events(lines(batch * 100, 100))
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=2000)
    assert log.log_model.texts()[-1] == "line 999"
    bar.setValue(bar.maximum() // 2)  # the user scrolls up to read
    assert not log.following
    kept = bar.value()
    log.append_events(lines(1000, 100))
    assert bar.value() <= kept and not log.following
    log.log_model.clear()  # a new run
    log.append_events(lines(0, 300))
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() and log.following, timeout=2000)


def test_stop_after_this_step_shows_in_the_status_and_the_buttons(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.input_form.editors["sleep_seconds"].widget.setValue(1)  # type: ignore[attr-defined]
        window.run_button.click()
        await wait_until(lambda: window.graph_view.active_nodes == ("work_stage",), 3)
        window.drain_action.trigger()
        assert window.status.status == "stopping after this step"
        assert "stopping after this step" in window.status.status_label.full_text()
        assert not window.drain_action.isEnabled()
        assert window.stop_button.isEnabled()  # a real stop is still possible
        await wait_until(lambda: finished, 10)

    run_async(scenario())
    assert finished == ["cancelled"]
    assert window.drain_action.isEnabled() is False and window.run_button.isEnabled()


def test_the_title_names_no_node_that_has_answered_or_a_settled_run(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.show()
    name = window.graph.name
    # (what the title said, the nodes still active) as each batch that ends a node is
    # shown, and as the window reports the run's end
    seen: list[tuple[str, tuple[str, ...]]] = []
    window.runFinished.connect(lambda _status: seen.append((window.windowTitle(), ())))

    def on_batch(events: list[Event]) -> None:
        ends = (NodeFinished, NodeCancelled, NodeFailed, RunFinished)
        if any(isinstance(e, ends) for e in events):
            seen.append((window.windowTitle(), window.graph_view.active_nodes))

    async def scenario() -> None:
        window.input_form.editors["sleep_seconds"].widget.setValue(3)  # type: ignore[attr-defined]
        window.run_button.click()
        assert window.bridge is not None  # its first batch comes from its timer, later
        window.bridge.lifecycleArrived.connect(on_batch)
        await wait_until(lambda: window.windowTitle().endswith(" — work_stage"), 5)
        window.stop_button.click()
        await wait_until(shown_end(window), 10)

    run_async(scenario())
    assert window.run is not None and window.run.status == "cancelled"
    assert seen and seen[-1] == (f"graphstage — {name}", ())  # stale: "... — work_stage"
    for title, active in seen:  # the nodes named are the active ones, no answered one
        assert title == f"graphstage — {name}" + (f" — {', '.join(active)}" if active else "")


def test_a_typed_stop_reason_reaches_the_run_and_a_killed_node_shows_its_real_duration(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(stubborn_graph(), settings=settings)
    qtbot.addWidget(window)
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.stop_reason.setText("budget exceeded")
        window.run_button.click()
        await wait_until(lambda: window.graph_view.active_nodes == ("stubborn",), 3)
        await wait_until(lambda: window.status.elapsed_label.text() >= "elapsed 0.30 s", 5)
        window.stop_button.click()
        await wait_until(lambda: "stop ·" in window.graph_view.nodes["stubborn"].detail, 3)
        window.force_stop_button.click()
        await wait_until(lambda: finished, 5)

    run_async(scenario())
    texts = window.log_view.log_model.texts()
    assert any("stop requested (graceful, budget exceeded)" in t for t in texts)
    killed = [t for t in texts if t.startswith("■ killed")]
    assert len(killed) == 1 and "after 0.000 s" not in killed[0]
    detail = window.graph_view.nodes["stubborn"].detail
    assert detail.startswith("killed · ") and detail != "killed · 0.00 s"
    row = window.timeline.row_texts()[0]
    assert row[4] == "killed" and row[3] != "0.00 s"


def test_a_long_error_never_widens_the_window(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    from pydantic import BaseModel

    from graphstage import START, StateGraph

    class State(BaseModel):
        x: int = 1

    async def explode(state: State) -> None:
        raise ValueError("no-room-" * 250)

    builder = StateGraph(State)
    builder.add_node("explode_with_a_rather_long_node_name", explode)
    builder.add_edge(START, "explode_with_a_rather_long_node_name")
    window = MainWindow(builder.compile(name="explode"), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: finished, 5)

    run_async(scenario())
    qtbot.waitUntil(lambda: window.status.status.startswith("failed"), timeout=2000)
    assert window.width() == 1066 and window.minimumSizeHint().width() <= 1066
    assert "no-room-" * 250 in window.status.status_label.full_text()
    assert "no-room-" * 250 in window.status.status_label.toolTip()  # the whole text
    assert not window.log_view.horizontalScrollBar().isVisible()


def test_a_narrow_log_cuts_long_node_names_not_the_text(qtbot: QtBot) -> None:
    """A 1,066 px window's log gave a subgraph's node paths 28 characters and the text a
    few; a narrow log now keeps 24 characters for the text and cuts the node column."""
    log = LogView()
    LONG = "research/summarise_the_findings"  # a subgraph node's path
    qtbot.addWidget(log)
    log.set_node_names(["plan", LONG])
    log.resize(1200, 200)
    log.show()
    qtbot.waitUntil(lambda: log.log_model.node_width == 28, timeout=2000)  # room: at most 28
    log.resize(330, 200)
    qtbot.waitUntil(lambda: log.log_model.node_width < 20, timeout=2000)
    chars = log.viewport().width() // log.fontMetrics().averageCharWidth()
    assert log.log_model.node_width == max(8, chars - 14 - 1 - 24)
    log.log_model.append_text(LONG, "✓ done after 0.192 s")
    model = log.log_model
    line = model.data(model.index(model.rowCount() - 1))  # as the row is drawn
    assert line.split()[1].endswith("…") and LONG.startswith(line.split()[1][:-1])
    assert line.endswith("✓ done after 0.192 s")
    tip = model.data(model.index(model.rowCount() - 1), 3)  # the whole line in its tooltip
    assert tip == f"{LONG}: ✓ done after 0.192 s"
