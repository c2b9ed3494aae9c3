"""The History panel lists a journal with damaged and crafted rows: the window starts, the
damaged rows say so, and selecting one replays what can be read."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import Journal
from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from crafted import CRAFTED_RUNS, craft


def test_the_window_starts_on_a_journal_with_damaged_rows(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    db = tmp_path / "j.sqlite3"
    craft(db)
    journal = Journal(db)
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    listed = {r.run_id: panel.table.item(i, 3).text() for i, r in enumerate(panel.records)}
    assert set(listed) == set(CRAFTED_RUNS)
    for run_id in ("badinput", "numnext", "texttime", "deep", "blobs"):
        assert listed[run_id] == "damaged", run_id
    for run_id in CRAFTED_RUNS:
        panel.select_run(run_id)
        assert not panel.resume_button.isEnabled()  # another graph, or damaged
    panel.select_run("escape")
    assert panel.events == []
    assert "5 damaged event(s) left out" in panel.position_label.text()
    journal.close()
