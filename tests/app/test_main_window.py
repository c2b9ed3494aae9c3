"""The window on real runs: Stop routes to cleanup, Force stop kills, the log stays bounded."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from gui_helpers import chatty_graph, detour_graph, stubborn_graph
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QPushButton, QSplitter
from pytestqt.qtbot import QtBot

from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


def make_window(qtbot: QtBot, graph: Any, settings: QSettings) -> MainWindow:
    window = MainWindow(graph, settings=settings)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    return window


def button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_stop_sends_work_stage_to_cleanup_stage(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = make_window(qtbot, load_graph(DEFAULT_GRAPH), settings)
    active: list[tuple[str, ...]] = []
    window.graph_view.activeNodesChanged.connect(active.append)
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.input_form.editors["sleep_seconds"].widget.setValue(5)  # type: ignore[attr-defined]
        assert button(window, "stopButton").isEnabled() is False
        qtbot.mouseClick(button(window, "runButton"), Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.graph_view.active_nodes == ("work_stage",), 3)
        assert button(window, "runButton").isEnabled() is False
        assert button(window, "stopButton").isEnabled() is True
        qtbot.mouseClick(button(window, "stopButton"), Qt.MouseButton.LeftButton)
        assert window.status.status == "stopping"
        await wait_until(lambda: finished, 5)

    run_async(scenario())
    assert active == [("work_stage",), (), ("cleanup_stage",), ()]
    assert finished == ["cancelled"]
    rows = window.timeline.row_texts()
    assert [(r[1], r[4]) for r in rows] == [
        ("work_stage", "stopped"),
        ("cleanup_stage", "done"),
    ]
    assert rows[0][5] == "→ cleanup_stage · command after stop"
    assert window.state_view.field_text("result") == "cleanup"
    assert window.status.status == "cancelled"
    assert window.status.status_label.text() == "cancelled"
    edge = window.graph_view.edges[("work_stage", "cleanup_stage")]
    assert edge.taken and edge.label.text == "command after stop"
    assert "cancellation detected" in window.log_view.log_model.texts()
    assert button(window, "runButton").isEnabled() is True
    assert button(window, "forceStopButton").isEnabled() is False


def test_force_stop_kills_a_node_that_ignores_cancellation_within_a_second(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = make_window(qtbot, stubborn_graph(), settings)
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> float:
        button(window, "runButton").click()
        await wait_until(lambda: window.graph_view.active_nodes == ("stubborn",), 3)
        button(window, "stopButton").click()  # the node swallows this one
        await wait_until(lambda: "grace left" in window.status.status_label.text(), 2)
        assert window.graph_view.nodes["stubborn"].state == "stopping"
        assert button(window, "forceStopButton").isEnabled()
        clicked = time.monotonic()
        button(window, "forceStopButton").click()
        await wait_until(lambda: finished, 1.0)
        return time.monotonic() - clicked

    took = run_async(scenario())
    assert finished == ["killed"]
    assert took < 1.0
    assert window.status.status.startswith("killed")
    assert window.graph_view.nodes["stubborn"].state == "cancelled"


@pytest.mark.parametrize("threaded", [False, True], ids=["async-node", "thread-node"])
def test_log_stays_bounded_and_the_window_responsive_under_a_flood(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    wait_until: WaitUntil,
    threaded: bool,
) -> None:
    window = make_window(qtbot, chatty_graph(30_000, threaded=threaded), settings)
    finished: list[str] = []
    window.runFinished.connect(finished.append)
    batches: list[int] = []
    gaps: list[float] = []

    async def scenario() -> None:
        probe = QTimer()
        probe.setInterval(10)
        last = [time.monotonic()]

        def on_probe() -> None:
            now = time.monotonic()
            gaps.append(now - last[0])
            last[0] = now

        probe.timeout.connect(on_probe)
        probe.start()
        button(window, "runButton").click()
        assert window.bridge is not None
        window.bridge.eventsArrived.connect(lambda batch: batches.append(len(batch)))
        await wait_until(lambda: finished, 20)
        probe.stop()

    run_async(scenario())
    model = window.log_view.log_model
    assert finished == ["completed"]
    assert model.rowCount() == model.max_rows
    assert model.dropped > 0
    assert model.texts()[-1].startswith("■ run completed")
    assert sum(batches) > 30_000  # every line reached the bridge...
    assert len(batches) < 1_000  # ...in a few batches, not one signal per line
    assert max(gaps) < 0.5  # generous: CI machines are slow; the benchmark has the real goal


def test_a_command_to_an_undeclared_node_draws_its_edge_on_the_fly(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = make_window(qtbot, detour_graph(), settings)
    assert ("a", "b") not in window.graph_view.edges
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        button(window, "runButton").click()
        await wait_until(lambda: finished, 3)

    run_async(scenario())
    edge = window.graph_view.edges[("a", "b")]
    assert edge.kind == "dynamic" and edge.label.text == "command"
    assert window.state_view.field_text("seen") == "ab"


def test_splitter_sizes_and_geometry_are_kept_in_settings(
    qtbot: QtBot, settings: QSettings
) -> None:
    graph = load_graph(DEFAULT_GRAPH)
    window = make_window(qtbot, graph, settings)
    outer = window.findChild(QSplitter, "outerSplitter")
    assert outer is not None
    outer.setSizes([300, 400])
    wanted = outer.sizes()
    window.close()
    again = make_window(qtbot, graph, settings)
    restored = again.findChild(QSplitter, "outerSplitter")
    assert restored is not None and restored.sizes() == wanted


def test_open_builds_the_window_a_piece_per_event_loop_turn_and_styles_it_once(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, qapp: Any
) -> None:
    """``MainWindow.open`` (the app's way) lets the event loop run between the pieces of
    the window (a 5 ms timer ticks meanwhile) and applies the application's style sheet to
    the finished window, not to the application (which restyled every widget as it was
    put in its parent)."""
    from graphstage.app.theme import STYLE_PROPERTY

    sheet = "QLabel#panelTitle { color: #123456; }"
    qapp.setProperty(STYLE_PROPERTY, sheet)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.append(1))

    async def scenario() -> MainWindow:
        timer.start()
        try:
            return await MainWindow.open(load_graph(DEFAULT_GRAPH), settings=settings)
        finally:
            timer.stop()

    try:
        window = run_async(scenario())
    finally:
        qapp.setProperty(STYLE_PROPERTY, None)
    qtbot.addWidget(window)
    assert len(ticks) >= 8  # the loop ran between the pieces
    assert window.styleSheet() == sheet and qapp.styleSheet() == ""
    assert window.history is None and window.time_travel is not None  # no journal: no history
    window.show()
    assert window.run_button.isEnabled()


def test_docks_take_at_most_30_percent_of_a_narrow_window(
    qtbot: QtBot, settings: QSettings
) -> None:
    """A 1,066 px window gave its docks 360 px (its state view had 100): at most 30%; the
    runs table and the thread tree fit in them, their texts elided, not cut."""
    from PySide6.QtWidgets import QDockWidget

    from graphstage import Journal

    journal = Journal(":memory:")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 800)
    window.show()
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
    assert len(docks) >= 3
    qtbot.waitUntil(lambda: all(d.width() <= 1066 * 3 // 10 for d in docks), timeout=5000)
    history = window.history
    assert history is not None
    for view in (history.table, history.tree):
        header = view.horizontalHeader() if view is history.table else view.header()
        qtbot.waitUntil(lambda h=header, v=view: h.length() <= v.viewport().width(), timeout=5000)
    window.close()
    journal.close()
