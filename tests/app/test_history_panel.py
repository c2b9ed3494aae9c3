"""The history panel: a journaled run replays with the same sequence of active nodes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gui_helpers import kill_in_work_stage, listed
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import Journal
from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


def test_history_replay_shows_the_same_active_nodes_as_the_run(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    journal = Journal(":memory:")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    live: list[tuple[str, ...]] = []
    window.graph_view.activeNodesChanged.connect(live.append)

    async def scenario() -> None:
        window.input_form.editors["sleep_seconds"].widget.setValue(3)  # type: ignore[attr-defined]
        window.run_button.click()
        await wait_until(lambda: window.graph_view.active_nodes == ("work_stage",))
        window.stop_button.click()
        await wait_until(lambda: not window.running, timeout=10)

    run_async(scenario())
    run_id = window.run.run_id  # type: ignore[union-attr]
    window.graph_view.activeNodesChanged.disconnect(live.append)
    assert live == [("work_stage",), (), ("cleanup_stage",), ()]

    replayed: list[tuple[str, ...]] = []
    window.graph_view.activeNodesChanged.connect(replayed.append)
    panel.refresh()
    qtbot.waitUntil(listed(window), timeout=5000)
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.select_run(run_id)
    assert window.banner.isVisible() and window.session.mode == "replay"
    replayed.clear()
    for position in range(len(panel.events) + 1):  # step by step, as the slider does
        panel.slider.setValue(position)
    assert panel.position == len(panel.events)
    assert replayed == live
    assert window.state_view.values["result"] == "cleanup"
    assert panel.resume_button.isEnabled() is False  # cancelled after its cleanup ran
    journal.close()


def test_resume_button_restarts_a_killed_run_from_its_checkpoint(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    journal = Journal(":memory:")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        killed = await kill_in_work_stage(window, wait_until, finished)
        await wait_until(listed(window))
        panel.select_run(killed)
        await wait_until(lambda: panel.resume_button.isEnabled(), timeout=5)
        panel.resume_button.click()
        await wait_until(lambda: finished == ["killed", "completed"], timeout=20)
        assert journal.run(window.run.run_id).resumed_from == killed  # type: ignore[union-attr]

    run_async(scenario())
    assert window.state_view.values["result"] == "done"
    journal.close()
