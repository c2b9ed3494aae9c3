"""Empty views (timeline, state, log, the History's runs and threads) say what will appear
in them (an empty white pane read as broken), until a run fills them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gui_helpers import detour_graph, shown_end
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import Journal
from graphstage.app import MainWindow

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


def test_the_log_timeline_and_state_say_what_will_appear_until_a_run_fills_them(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    journal = Journal(":memory:")
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    history = window.history
    assert history is not None
    views = {
        "log": window.log_view,
        "state": window.state_view,
        "timeline": window.timeline.chart,
        "runs": history.table,
        "threads": history.tree,
    }
    qtbot.waitUntil(lambda: all(v.showing_hint for v in views.values()), timeout=5_000)

    async def run() -> None:
        window.run_button.click()
        await wait_until(shown_end(window), timeout=10)

    run_async(run())
    qtbot.waitUntil(lambda: not any(v.showing_hint for v in views.values()), timeout=5_000)
    assert window.log_view.log_model.rowCount() > 0 and window.timeline.model.bars
    journal.close()
