"""History and replay: a banner marks it, other graphs' runs never break the views, the
selection stays put, live runs lock the replay controls, big runs load off the GUI thread;
the Gantt timeline picks a step."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from gui_helpers import chatty_graph, detour_graph, listed
from PySide6.QtCore import QPoint, QSettings, Qt
from pytestqt.qtbot import QtBot

from graphstage import Journal
from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph
from graphstage.app.timeline import AXIS, ROW

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


@pytest.fixture
def journal() -> Iterator[Journal]:
    j = Journal(":memory:")
    yield j
    j.close()


def run_once(window: MainWindow, run_async: RunAsync, wait_until: WaitUntil) -> str:
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def go() -> None:
        window.run_button.click()
        await wait_until(lambda: finished, 20)
        if window.history is not None:
            await wait_until(listed(window))  # the History lists read again

    run_async(go())
    window.runFinished.disconnect(finished.append)
    assert window.run is not None
    return window.run.run_id


def test_replay_is_marked_by_a_banner_and_back_to_live_restores_the_run(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil, journal: Journal
) -> None:
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    first = run_once(window, run_async, wait_until)
    second = run_once(window, run_async, wait_until)
    assert not window.banner.isVisible() and window.session.mode == "live"
    elapsed = window.status.elapsed_label.text()  # the second run's own time
    assert elapsed.startswith("elapsed ")
    assert [r.run_id for r in panel.records] == [second, first]
    assert panel.table.text(0, 0) == second[:8]
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.select_run(first)
    assert window.banner.isVisible()
    assert first[:8] in window.banner.text.full_text()
    assert window.status.status.startswith("replay · completed")
    assert not window.input_form.editors["seen"].widget.isEnabled()  # the form is not the run's
    assert panel.play_button.isEnabled() and panel.slider.isEnabled()
    panel.slider.setValue(panel.slider.maximum() // 2)
    assert panel.position_label.full_text().startswith("event ")
    window.banner.exit_button.click()
    assert not window.banner.isVisible() and window.session.run_id == second
    # the live run's status again: its own elapsed time (it was the end's time since the
    # epoch, "29930183 min 20 s"), and no replay position left in the History
    assert window.status.status == "completed" and window.status.elapsed_label.text() == elapsed
    assert panel.position_label.full_text() == "" and panel.slider.maximum() == 0
    assert window.state_view.field_text("seen") == "ab"
    assert window.input_form.editors["seen"].widget.isEnabled()


def test_run_is_off_while_a_replay_greys_the_form_and_its_tooltip_says_why(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil, journal: Journal
) -> None:
    """Run during a replay started a live run with the greyed form's values."""
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    first = run_once(window, run_async, wait_until)
    assert window.run_button.isEnabled() and window.run_action.isEnabled()
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.select_run(first)
    assert window.session.mode == "replay"
    assert not window.input_form.editors["seen"].widget.isEnabled()
    assert not window.run_button.isEnabled() and not window.run_action.isEnabled()
    assert "Back to live" in window.run_button.toolTip()
    window._on_run_clicked()  # Ctrl+R, had it got through: nothing starts
    assert window.run is not None and window.run.run_id == first
    window.banner.exit_button.click()  # Back to live: the form and Run come back
    assert window.session.mode == "live"
    assert window.run_button.isEnabled() and window.input_form.editors["seen"].widget.isEnabled()
    assert window.run_button.toolTip().startswith("Start a run")
    second = run_once(window, run_async, wait_until)
    assert second != first


def test_a_refresh_keeps_the_selection_and_a_live_run_locks_the_replay_controls(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil, journal: Journal
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    window.input_form.editors["sleep_seconds"].widget.setValue(1)  # type: ignore[attr-defined]
    old = run_once(window, run_async, wait_until)
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.select_run(old)
    panel.refresh()  # a refresh (as after any run) keeps the same run selected
    assert panel.selected_run_id() == old
    qtbot.waitUntil(listed(window), timeout=5000)
    assert panel.selected_run_id() == old
    window.banner.exit_button.click()  # Run is off during a replay: back to live first
    assert panel.selected_run_id() is None  # cleared when the live view took the views
    locked: list[tuple[bool, bool, bool, str]] = []

    async def live() -> None:
        window.run_button.click()
        await wait_until(lambda: window.graph_view.active_nodes == ("work_stage",), 5)
        panel.select_run(old)  # picked while the live run goes on: not replayed
        locked.append(
            (
                panel.play_button.isEnabled(),
                panel.resume_button.isEnabled(),
                panel.slider.isEnabled(),
                window.session.mode,
            )
        )
        await wait_until(lambda: not window.running, 10)

    run_async(live())
    assert locked == [(False, False, False, "live")]
    assert not window.banner.isVisible()


def test_runs_of_another_graph_are_filtered_and_never_replayed_into_this_one(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil, journal: Journal
) -> None:
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    panel = window.history
    assert panel is not None
    other = run_once(window, run_async, wait_until)
    assert window.open_graph(DEFAULT_GRAPH)  # File > Open
    assert panel.records == []  # this graph's runs only, by default
    panel.scope.setCurrentIndex(1)  # all graphs
    panel.select_run(other)
    assert "open that graph" in panel.position_label.full_text()
    assert window.session.mode == "idle" and not window.banner.isVisible()
    panel.filter.setText("no-such-run")
    assert panel.records == []


def test_a_big_run_loads_in_a_worker_thread_and_replays_in_chunks(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    wait_until: WaitUntil,
    journal: Journal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(chatty_graph(20_000), journal=journal, settings=settings)
    qtbot.addWidget(window)
    panel = window.history
    assert panel is not None
    run_id = run_once(window, run_async, wait_until)
    threads: list[str] = []
    real = journal.events

    def spy(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(journal, "events", spy)
    positions: list[int] = []
    panel.positionChanged.connect(positions.append)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.select_run(run_id)
    qtbot.waitUntil(lambda: panel.position == len(panel.events), timeout=10_000)
    assert threads == ["graphstage history"]
    assert len(positions) > 3 and positions == sorted(positions)  # several turns, in order
    assert window.log_view.log_model.texts()[-1].startswith("■ run completed")


def test_picking_a_bar_rings_the_node_and_shows_the_state_after_its_step(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(detour_graph(), settings=settings)
    qtbot.addWidget(window)
    window.show()
    run_once(window, run_async, wait_until)
    rows = window.timeline.row_texts()
    assert [(r[1], r[4]) for r in rows] == [("a", "done"), ("b", "done")]
    assert rows[0][5] == "→ b · command"
    chart = window.timeline.chart
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(60, AXIS + ROW // 2))
    assert window.timeline.selected == ("a", 1)
    assert window.graph_view.nodes["a"].highlighted
    assert window.state_view.field_text("seen") == "a"  # after step 1, not the final "ab"
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(60, AXIS + 10 * ROW))
    assert window.timeline.selected is None
    assert window.state_view.field_text("seen") == "ab"


def test_parallel_branches_are_bars_side_by_side_in_time(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    from graphstage.app.loader import EXAMPLES

    window = MainWindow(load_graph(f"{EXAMPLES / 'research_fan_out.py'}:graph"), settings=settings)
    qtbot.addWidget(window)
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: "web: result 1/3" in window.log_view.log_model.texts(), 5)
        window.stop_button.click()
        await wait_until(lambda: finished, 10)

    run_async(scenario())
    bars = {bar.node: bar for bar in window.timeline.model.bars}
    web, papers = bars["search_web"], bars["search_papers"]
    assert web.end is not None and papers.end is not None
    assert web.start < papers.end and papers.start < web.end  # they overlap in time
    assert (web.outcome, papers.outcome) == ("stopped", "stopped")
    assert bars["save_partial"].start >= max(web.end, papers.end) - 0.01
    summary = window.state_view.field_text("summary") or ""
    assert summary.startswith("partial: ") and "web r1 result 1" in summary


def test_a_short_runs_time_axis_never_repeats_a_tick() -> None:
    from graphstage.app.timeline import tick_text

    for span in (0.0004, 0.004, 0.012, 0.03, 0.38, 4.2):
        ticks = [tick_text(span * i / 4, span / 4) for i in range(5)]
        assert len(set(ticks)) == 5, ticks  # a 10 ms run read "+0.00 s" three times
    assert tick_text(0.0075, 0.0025) == "+8 ms" and tick_text(0.38, 0.095) == "+0.38 s"
