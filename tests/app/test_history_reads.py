"""History's lists (runs, threads and their checkpoints) are read in a worker thread: a big
journal never holds the GUI thread, and a refresh overtaken by a newer one never shows."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from gui_helpers import detour_graph, listed
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import Journal, SqliteSaver
from graphstage.app import MainWindow

RunAsync = Callable[[Any], Any]


@pytest.fixture
def journal() -> Iterator[Journal]:
    j = Journal(":memory:")
    yield j
    j.close()


def journal_runs(run_async: RunAsync, journal: Journal, count: int) -> list[str]:
    """``count`` runs of the detour graph in ``journal``, each on a thread of its own."""
    graph = detour_graph()
    saver = SqliteSaver(journal)

    async def go() -> list[str]:
        ids = []
        for _ in range(count):
            config = {"configurable": {"thread_id": uuid.uuid4().hex}}
            run = graph.start({}, config, journal=journal, checkpointer=saver)
            assert (await run.result()).status == "completed"
            ids.append(run.run_id)
        return ids

    return run_async(go())  # type: ignore[no-any-return]


def test_a_refresh_reads_runs_threads_and_checkpoints_off_the_gui_thread(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, journal: Journal
) -> None:
    ids = journal_runs(run_async, journal, 12)
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    panel = window.history
    assert panel is not None
    saver = window.interrupts.threads.saver
    readers: list[tuple[str, int]] = []

    def spy(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            readers.append((name, threading.get_ident()))
            return real(*args, **kwargs)

        return call

    qtbot.waitUntil(listed(window), timeout=5000)
    for owner, name in ((journal, "runs"), (saver, "threads"), (saver, "list")):
        setattr(owner, name, spy(name, getattr(owner, name)))
    panel.refresh()
    assert panel.reading  # refresh() returned before the read is done
    qtbot.waitUntil(listed(window), timeout=5000)
    assert {name for name, _ in readers} == {"runs", "threads", "list"}
    assert threading.get_ident() not in {ident for _, ident in readers}
    assert [r.run_id for r in panel.records] == ids[::-1]  # newest first
    assert panel.table.rowCount() == 12 and panel.table.text(0, 0) == ids[-1][:8]
    assert panel.tree.topLevelItemCount() == 12


def test_a_refresh_overtaken_by_a_newer_one_never_shows(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, journal: Journal
) -> None:
    [first] = journal_runs(run_async, journal, 1)
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    panel = window.history
    assert panel is not None
    qtbot.waitUntil(listed(window), timeout=5000)
    assert [r.run_id for r in panel.records] == [first]
    real, gate, reads = journal.runs, threading.Event(), []

    def slow_first_read(**kwargs: Any) -> Any:
        found = real(**kwargs)
        reads.append(len(found))
        if len(reads) == 1:
            assert gate.wait(10)  # the older read comes back last
        return found

    journal.runs = slow_first_read  # type: ignore[method-assign]
    shown: list[int] = []
    real_fill = panel.table.fill
    panel.table.fill = lambda records, selected: (  # type: ignore[method-assign]
        shown.append(len(records)),
        real_fill(records, selected),
    )
    delivered: list[list[str]] = []
    panel.listed.connect(lambda: delivered.append([r.run_id for r in panel.records]))
    second = journal_runs(run_async, journal, 1)[0]
    panel.refresh()  # reads [second, first], then waits at the gate
    qtbot.waitUntil(lambda: reads == [2], timeout=5000)
    third = journal_runs(run_async, journal, 1)[0]
    panel.refresh()  # the newer refresh: [third, second, first]
    gate.set()
    qtbot.waitUntil(listed(window), timeout=5000)
    assert reads == [2, 3]  # both read, in order
    assert delivered == [[third, second, first]]  # the older one dropped, never shown
    assert 2 not in shown and shown[-1] == 3


@pytest.mark.timeout(60)
def test_a_refill_of_a_thousand_runs_keeps_the_selection(qtbot: QtBot) -> None:
    """The table made six items per run and re-measured every row at each: a second fill
    of 1,000 runs held the GUI thread for over a minute (the timeout is the hang check)."""
    from graphstage import RunRecord
    from graphstage.app.run_table import RunTable

    def runs(status: str) -> list[RunRecord]:
        return [
            RunRecord(
                run_id=f"{i:032x}",
                graph="g",
                spec=None,
                status=status,
                started=1e9 + i,
                finished=1e9 + i + 1.5,
                input={},
                resumed_from=None,
                error=None,
                steps=i % 7,
                next=(),
                values={},
                pid=None,
                damaged="",
            )
            for i in range(1000)
        ]

    table = RunTable()
    qtbot.addWidget(table)
    table.resize(700, 300)
    table.show()
    picked: list[int] = []
    table.itemSelectionChanged.connect(lambda: picked.append(1))
    table.fill(runs("completed"), None)
    table.selectRow(500)
    assert picked == [1]  # a user's pick is heard...
    for status in ("cancelled", "failed"):
        table.fill(runs(status), f"{500:032x}")
    assert picked == [1]  # ...a refill keeping it is not
    assert table.rowCount() == 1000 and table.text(999, 4) == "failed"
    assert table.text(500, 3) == "1.50 s" and table.text(6, 5) == "6"
    assert [i.row() for i in table.selectionModel().selectedRows()] == [500]


def test_the_thread_tree_lists_the_latest_threads_and_says_how_many_are_left_out(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    journal: Journal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("graphstage.app.history_reader.THREADS_LISTED", 3)
    ids = journal_runs(run_async, journal, 5)
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    panel = window.history
    assert panel is not None
    qtbot.waitUntil(listed(window), timeout=5000)
    tree = panel.tree
    rows = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    shown = [tree.topLevelItem(i).child(0).text(0) for i in range(3)]
    assert shown == [run_id[:8] for run_id in ids[:1:-1]]  # the latest three threads
    assert rows[3] == "… 2 older threads" and len(rows) == 4
    assert "graphstage threads" in tree.topLevelItem(3).toolTip(0)


def test_a_narrow_run_table_hides_steps_then_duration_and_never_cuts_a_column(
    qtbot: QtBot, run_async: RunAsync, journal: Journal
) -> None:
    """A 1,066 px window's dock listing all graphs cut the Steps column at its edge."""
    from graphstage.app.run_table import RunTable

    journal_runs(run_async, journal, 30)
    table = RunTable()
    qtbot.addWidget(table)
    table.fill(journal.runs(), None)
    header = table.horizontalHeader()
    table.resize(700, 300)
    table.show()
    qtbot.waitUntil(lambda: not header.isSectionHidden(5), timeout=5000)  # all fit
    table.resize(300, 300)
    qtbot.waitUntil(lambda: header.isSectionHidden(5), timeout=5000)  # steps first
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width(), timeout=5000)
    assert not header.isSectionHidden(0) and not header.isSectionHidden(4)  # id, status
    assert "step(s)" in table.runs.data(table.runs.index(0, 0), 3)  # in the tooltip
    table.resize(700, 300)
    qtbot.waitUntil(lambda: not header.isSectionHidden(3), timeout=5000)  # back


def test_a_thread_named_by_the_user_is_shown_whole() -> None:
    from graphstage.app.history_tree import short_id

    assert short_id("thread-001") == "thread-001"  # cut to 8, two read "thread-0"
    assert short_id("3f2a9c01d4e5b6a7c8d9e0f1a2b3c4d5") == "3f2a9c01"
