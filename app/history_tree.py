"""``HistoryTree``: the journal's threads, each with its runs as children, forks marked.

A thread (a ``thread_id`` of the window's checkpointer) is a top-level row: its id, the
graph of its runs, when it began, its status (``paused``, ``idle``, ``done``, ``busy``) and
how many checkpoints it holds. Its runs follow as children, oldest first, with the run
rows' id, graph, start, status and steps. A run that did not go on from the thread's
latest checkpoint (``checkpoint_id`` in its config, or "Edit state and run from here" on a
past checkpoint) is a fork: its status reads ``… · fork of <checkpoint>``. The threads are
read off the GUI thread (``history_reader``); filling the tree is the GUI thread's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from graphstage import RunRecord, ThreadCheckpoint
from graphstage.app.empty_hint import THREADS_HINT, paint_hint
from graphstage.app.run_table import fit_columns

if TYPE_CHECKING:
    from graphstage.app.history_reader import ThreadRow

COLUMNS = ("Thread / run", "Graph", "Started", "Status", "Steps")


def forks(checkpoints: Sequence[ThreadCheckpoint]) -> dict[str, str]:
    """Run id -> the checkpoint it forked from, for a thread's ``checkpoints`` oldest first.

    A run goes on from the thread's latest checkpoint unless it was forked; an edit
    (``update_state``, no run of its own) before the run counts as part of its start."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for i, c in enumerate(checkpoints):
        if not c.run_id or c.run_id in seen:
            continue
        seen.add(c.run_id)
        start, j = c, i  # back over the edits that lead to this run
        while j > 0 and checkpoints[j - 1].run_id is None and checkpoints[j - 1].source == "update":
            if start.parent_id != checkpoints[j - 1].checkpoint_id:
                break
            j -= 1
            start = checkpoints[j]
        before = checkpoints[j - 1].checkpoint_id if j > 0 else None
        if c.source == "fork" or (start.parent_id is not None and start.parent_id != before):
            out[c.run_id] = start.parent_id or c.checkpoint_id
    return out


class HistoryTree(QTreeWidget):
    """Threads and their runs (object name ``historyTree``)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("historyTree")
        self.showing_hint = False  # the last paint showed the empty tree's hint
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(list(COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformRowHeights(True)
        # the columns share the dock's width (never a sideways scroll bar): cut texts are
        # elided, whole in their tooltips
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(36)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column in range(len(COLUMNS)):  # ids, times and counts whole; names share the rest
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if COLUMNS[column] in ("Graph", "Status")
                else QHeaderView.ResizeMode.ResizeToContents,
            )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.showing_hint = self.topLevelItemCount() == 0  # what the last paint showed
        if self.showing_hint:
            paint_hint(self.viewport(), THREADS_HINT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Hide the steps when the columns would not fit (each cell is whole in its
        tooltip)."""
        fit_columns(self, self.header(), (COLUMNS.index("Steps"),))

    def setColumnHidden(self, column: int, hide: bool) -> None:
        super().setColumnHidden(column, hide)
        self.fit_columns()

    def picked_run(self) -> str | None:
        """The id of the run row selected, if a run (not a thread) is."""
        items = self.selectedItems()
        run_id = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        return run_id if isinstance(run_id, str) else None

    def fill(
        self,
        threads: Iterable[ThreadRow],
        records: Iterable[RunRecord],
        *,
        graph: str | None,
        wanted: str,
        when: Callable[[float], str],
        older: int = 0,
    ) -> None:
        """Show ``threads`` (read by ``history_reader``, off the GUI thread) with their
        runs: only runs of ``graph`` (None: all) and threads whose id, or one of whose runs,
        matches ``wanted`` (lower case); ``when`` writes a run's start time; ``older``
        threads were not read (a last row says so)."""
        by_id = {r.run_id: r for r in records}
        picked = self.picked_run()  # kept: a refresh lands whenever its read is done
        self.blockSignals(True)  # refilling is not a pick
        # columns sized to their contents re-measured at each row added (1,000 threads:
        # 180 ms): fixed while filling, measured once after, the rows added at once
        header = self.header()
        modes = [header.sectionResizeMode(c) for c in range(self.columnCount())]
        for column in range(self.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.setUpdatesEnabled(False)
        self.clear()
        tops: list[QTreeWidgetItem] = []
        for row in threads:
            info, forked = row.info, row.forks
            runs = [by_id[r] for r in info.runs if r in by_id]
            if graph is not None:
                runs = [r for r in runs if r.graph == graph]
                if not runs:
                    continue
            text = f"{info.thread_id} " + " ".join(f"{r.run_id} {r.graph} {r.status}" for r in runs)
            if wanted and wanted not in text.lower():
                continue
            top = QTreeWidgetItem(
                [
                    short_id(info.thread_id),
                    ", ".join(dict.fromkeys(r.graph for r in runs)),
                    _started(info.created_at, when),
                    info.status,
                    str(info.checkpoints),
                ]
            )
            _tips(top)
            top.setToolTip(0, f"thread {info.thread_id}")
            for record in runs:
                status = record.status
                if record.run_id in forked:
                    status += f" · fork of {forked[record.run_id][:8]}"
                child = QTreeWidgetItem(
                    [
                        record.run_id[:8],
                        record.graph,
                        when(record.started),
                        status,
                        str(record.steps),
                    ]
                )
                _tips(child)
                child.setToolTip(0, f"run {record.run_id}")
                child.setData(0, Qt.ItemDataRole.UserRole, record.run_id)
                top.addChild(child)
            tops.append(top)
        if older:
            more = QTreeWidgetItem([f"… {older} older thread" + ("" if older == 1 else "s")])
            more.setToolTip(0, "`graphstage threads` lists every thread of the journal")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            tops.append(more)
        self.addTopLevelItems(tops)
        for top in tops:
            top.setExpanded(True)
            for i in range(top.childCount()):
                if top.child(i).data(0, Qt.ItemDataRole.UserRole) == picked:
                    top.child(i).setSelected(True)
        for column, mode in enumerate(modes):
            header.setSectionResizeMode(column, mode)
        self.setUpdatesEnabled(True)
        self.blockSignals(False)
        self.fit_columns()


def short_id(thread_id: str) -> str:
    """A thread id as the tree shows it: a generated one (hex, over 12 characters) by its
    first 8, as run ids are; a name the user gave whole ("thread-001" and "thread-002"
    both read "thread-0" when cut to 8), elided only by its column."""
    if len(thread_id) > 12 and all(c in "0123456789abcdef-" for c in thread_id.lower()):
        return thread_id[:8]
    return thread_id


def _started(created_at: str, when: Callable[[float], str]) -> str:
    """A thread's start written as its runs' are (``created_at`` is ISO 8601)."""
    try:
        return when(datetime.fromisoformat(created_at).timestamp())
    except ValueError:
        return created_at[:19].replace("T", " ")


def _tips(item: QTreeWidgetItem) -> None:
    """Every cell's whole text as its tooltip (the columns may elide it)."""
    for column in range(item.columnCount()):
        item.setToolTip(column, item.text(column))
