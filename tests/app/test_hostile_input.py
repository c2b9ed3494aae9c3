"""Hostile input in the window: a named problem where the input is, never a traceback.

pytest-qt fails a test when a Qt slot raises, so each of these also checks that nothing
escaped: JSON nested deeper than the parser's stack or an integer over 4,300 digits in a JSON
field, a start the runtime refuses (its line in the log), and a journal whose thread
checkpoint rows are damaged or crafted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import Journal, SqliteSaver
from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[" * 100_000, "invalid JSON: nested too deeply"),
        ('{"n": ' + "1" * 5000 + "}", "invalid JSON: Exceeds the limit (4300 digits)"),
        ("{bad", "invalid JSON: Expecting property name"),
    ],
    ids=["deep", "long int", "not JSON"],
)
def test_a_json_field_the_parser_cannot_take_is_an_error_at_the_field(
    qtbot: QtBot, settings: QSettings, text: str, says: str
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.run_options.configurable.setPlainText(text)
    assert window.run_options.config() is None
    assert says in window.run_options.error.text()
    window.run_button.click()  # refused: nothing starts
    assert window.run is None


def test_a_start_the_runtime_refuses_is_a_line_in_the_log(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.run_options.configurable.setPlainText('{"thread_id": "t", "checkpoint_id": "nope"}')

    async def scenario() -> None:
        window.run_button.click()

    run_async(scenario())
    model = window.log_view.log_model
    lines = [model.line(row)[1] for row in range(model.rowCount())]
    assert any("cannot start: thread 't' has no checkpoint 'nope'" in line for line in lines)
    assert window.run is None
    journal.close()


def test_damaged_thread_checkpoint_rows_are_listed_not_fatal(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    db = tmp_path / "j.sqlite3"
    SqliteSaver(str(db)).close()
    rows = [
        ("t-json", "", "c1", None, "r1", 0, "loop", "now", "not json", "[]", "{}"),
        ("t-next", "", "c2", None, "r2", 0, "loop", "now", "{}", "5", "{}"),
        ("t-kind", "", "c3", None, "r3", "x", "bogus", "now", "[]", "[]", '{"answers": 3}'),
        ("t-deep", "", "c4", None, "r4", 0, "loop", "now", "[" * 5000 + "]" * 5000, "[]", "{}"),
    ]
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.executemany(
            "INSERT INTO thread_checkpoints (thread_id, checkpoint_ns, checkpoint_id, "
            'parent_id, run_id, step, source, created_at, "values", next, pending) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    journal = Journal(db)
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    assert window.history is not None
    window.history.scope.setCurrentIndex(1)  # all graphs
    window.history.refresh()
    qtbot.waitUntil(lambda: not window.history.reading, timeout=5000)  # type: ignore[union-attr]
    assert window.history.tree.topLevelItemCount() == 4
    threads = SqliteSaver(journal).threads()
    assert sorted(t.thread_id for t in threads) == ["t-deep", "t-json", "t-kind", "t-next"]
    for info in threads:
        assert "checkpoint row cannot be read" in info.head.values["$damaged"]
        assert (info.head.next, info.status) == ((), "done")
    journal.close()
