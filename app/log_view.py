"""The live log: writer output and lifecycle events, in a bounded model-based list.

Only the last ``max_rows`` lines are kept in memory (the journal keeps every line); the
view is a ``QListView`` with uniform row heights, so a flood of lines costs little.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from graphstage import END, START, Event, dump_event, jsonable
from graphstage.app.empty_hint import LOG_HINT, paint_hint
from graphstage.app.outcomes import Durations, node_outcome
from graphstage.app.theme import PATH_SEP, reason_label

MAX_ROWS = 5000
"""Lines kept by default; older ones are dropped from the view (not from the journal)."""

_KIND_COLOURS = {
    "custom_output": None,
    "run_started": "#2563eb",
    "node_started": "#2563eb",
    "node_finished": "#16a34a",
    "transition": "#7c3aed",
    "state_updated": "#6b7280",
    "stop_requested": "#d97706",
    "node_cancelled": "#c2410c",
    "node_failed": "#dc2626",
    "node_interrupted": "#b45309",
    "run_finished": "#111827",
}

_NAMES = {START: "START", END: "END"}

_NODE_LINES = frozenset(
    {
        "custom_output",
        "node_started",
        "node_finished",
        "node_cancelled",
        "node_failed",
        "node_interrupted",
    }
)
"""The kinds of a subgraph run's events the log shows (with the node's path)."""

Index = QModelIndex | QPersistentModelIndex


def describe(event: Event, durations: Durations | None = None) -> tuple[str, str]:
    """(node or "run", one line of text) for the log; ``durations`` supplies the time of
    nodes whose end event carries none (killed, escalated)."""
    e: Any = event
    kind = getattr(event, "kind", "")
    if isinstance(event, _Line):  # a line of the window's own (a start refused): its text
        return e.node, e.data
    if kind == "custom_output":
        data = e.data
        return e.node, data if isinstance(data, str) else repr(data)
    if kind == "run_started":
        return "run", f"▶ run started: {e.graph}" + (
            f" (resumed from {e.resumed_from})" if e.resumed_from else ""
        )
    if kind == "node_started":
        if durations is not None:
            durations.started(e)
        where = f" on {e.where}" if getattr(e, "where", "") else ""
        return e.node, f"▶ started (step {e.step}{', shielded' if e.shielded else ''}){where}"
    if kind in ("node_finished", "node_cancelled", "node_failed"):
        outcome, how = node_outcome(e)
        took = durations.of(e) if durations is not None else e.duration
        goto = ""
        if kind == "node_finished" and e.goto:
            goto = f", goto {', '.join(_NAMES.get(g, g) for g in e.goto)}"
        mark = {"done": "✓", "failed": "✕"}.get(outcome, "■")
        error = f": {e.error}" if kind == "node_failed" else ""
        how_text = f" ({how})" if how and outcome != "failed" else ""
        failed = f" {how}{error}" if outcome == "failed" else ""
        return e.node, f"{mark} {outcome}{how_text}{failed} after {took:.3f} s{goto}"
    if kind == "node_interrupted":  # the question as the CLI prints it (it was a repr)
        asked = "; ".join(_question(i.value) for i in e.interrupts) or "(no question)"
        return e.node, f"‖ waits for an answer: {asked}"  # ‖: the fonts here have no ⏸
    if kind == "stop_requested":
        nodes = ", ".join(e.nodes) or "no active node"
        return "run", f"■ stop requested ({e.mode}, {e.reason}); grace {e.grace:g} s; {nodes}"
    if kind == "transition":
        src, dst = _NAMES.get(e.src, e.src), _NAMES.get(e.dst, e.dst)
        return "run", f"→ {src} → {dst} ({reason_label(e.reason, e.after_stop, e.branch)})"
    if kind == "state_updated":
        keys = ", ".join(e.update) or "nothing"
        return "run", f"state after step {e.step}: updated {keys}"
    if kind == "run_finished":
        error = f": {e.error}" if e.error else ""
        return "run", f"■ run {e.status}{error}"
    try:
        return "run", repr(event)
    except Exception:  # a value in it whose repr raises (an interrupt()'s question, say)
        return "run", f"{kind}: {dump_event(event)}"


def _question(value: Any) -> str:
    """An interrupt's value on one line: text as text, else compact JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=repr)
    except Exception:  # a cycle, a repr() that raises: the journal's markers
        return json.dumps(jsonable(value), ensure_ascii=False)


class LogModel(QAbstractListModel):
    """The last ``max_rows`` log lines; ``append_events`` adds a batch (GUI thread)."""

    def __init__(self, max_rows: int = MAX_ROWS, parent: Any = None) -> None:
        super().__init__(parent)
        self.max_rows = max_rows
        # (time, node, text, kind) per row, oldest first; never longer than max_rows
        self._rows: deque[tuple[float, str, str, str]] = deque()
        self.dropped = 0  # lines no longer shown because the log is full
        self.node_width = 14  # characters of the node column: the graph's longest name
        self._durations = Durations()  # start times, for killed/escalated node durations
        self._font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        when, node, text, kind = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            clock = time.strftime("%H:%M:%S", time.localtime(when))
            width = self.node_width
            shown = node if len(node) <= width else node[: width - 1] + "…"
            return f"{clock}.{int(when * 1000) % 1000:03d}  {shown:<{width}} {text}"
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = _KIND_COLOURS.get(kind)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.FontRole:
            return self._font
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole line, never cut
            return f"{node}: {text}" if len(text) > 60 or len(node) > self.node_width else None
        return None

    def append_events(self, events: Sequence[Event]) -> None:
        """Add a batch of events as lines; only the last ``max_rows`` are described."""
        if not events:
            return
        skipped = max(0, len(events) - self.max_rows)
        self.dropped += skipped
        durations = self._durations
        new = [(e.time, *describe(e, durations), getattr(e, "kind", "")) for e in events[skipped:]]
        overflow = len(self._rows) + len(new) - self.max_rows
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            for _ in range(overflow):
                self._rows.popleft()
            self.endRemoveRows()
            self.dropped += overflow
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)  # type: ignore[arg-type]
        self.endInsertRows()

    def append_text(self, node: str, text: str, kind: str = "custom_output") -> None:
        """Add one line that is not an event (a start error, for instance)."""
        self.append_events([_Line(time.time(), node, text, kind)])  # type: ignore[list-item]

    def clear(self) -> None:
        """Forget every line (a new run starts)."""
        self.beginResetModel()
        self._rows.clear()
        self.dropped = 0
        self._durations.clear()
        self.endResetModel()

    def line(self, row: int) -> tuple[str, str]:
        """(time and node, text) of ``row``, whole: nothing elided."""
        when, node, text, _kind = self._rows[row]
        clock = time.strftime("%H:%M:%S", time.localtime(when))
        return f"{clock}.{int(when * 1000) % 1000:03d}  {node}", text

    def texts(self) -> list[str]:
        """The text of every row kept (for tests and copy)."""
        return [text for _, _, text, _ in self._rows]


class _Line:
    """A log line that did not come from the run (quacks like a CustomOutput)."""

    __slots__ = ("data", "kind", "node", "time")

    def __init__(self, when: float, node: str, text: str, kind: str) -> None:
        self.time, self.node, self.data, self.kind = when, node, text, kind


CLOCK_CHARS = 14
"""Characters of a line's clock ("12:00:00.123  ")."""
TEXT_CHARS = 24
"""Characters of text a narrow log keeps after the node column."""


class LogView(QListView):
    """The log list (object name ``eventLog``): follows its tail unless the user scrolled
    up, and again once they scroll back to the bottom or a new run starts. Long lines are
    elided at the right (no horizontal scroll bar) with the whole line in the tooltip."""

    def __init__(self, max_rows: int = MAX_ROWS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventLog")
        self.log_model = LogModel(max_rows, self)
        self.setModel(self.log_model)
        # Uniform rows make layout O(1) per row; no batched layout (it left the view blank
        # and the scroll range stale during a flood).
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setFont(font)
        self.following = True  # stick to the tail; False once the user scrolls up
        self.showing_hint = False  # the last paint showed the empty view's hint
        self._longest = 8  # characters of the graph's longest node name
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_value_changed)
        self.log_model.modelReset.connect(self.follow_tail)
        # the empty log's hint is painted over the whole viewport: gone with the first line
        self.log_model.rowsInserted.connect(self._on_rows_inserted)
        self.log_model.modelReset.connect(self.viewport().update)

    def _on_rows_inserted(self, _parent: object, first: int, _last: int) -> None:
        if first == 0:
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.showing_hint = self.log_model.rowCount() == 0  # what the last paint showed
        if self.showing_hint:
            paint_hint(self.viewport(), LOG_HINT)

    def follow_tail(self) -> None:
        """Jump to the last line and follow it again (a new run, or the user asked)."""
        self.following = True
        self.scrollToBottom()

    def _on_range_changed(self, _low: int, high: int) -> None:
        if self.following:
            self.verticalScrollBar().setValue(high)

    def _on_value_changed(self, value: int) -> None:
        # Only the user moves the bar off the bottom: new rows only grow the range, and
        # _on_range_changed puts the bar back at the bottom while following.
        self.following = value >= self.verticalScrollBar().maximum() - 1

    def append_events(self, events: Sequence[Event]) -> None:
        """Add a batch from the bridge (GUI thread), following the tail if we were there."""
        self.log_model.append_events(events)  # _on_range_changed keeps the tail in sight

    apply = append_events  # the session's View protocol

    def append_subgraph_events(self, batch: Sequence[tuple[tuple[str, ...], Event]]) -> None:
        """Add the node lines and writer output of subgraph runs, each node named by its
        path (``research/search``); their runs' own start and end are the parent's
        subgraph node's lines already."""
        lines: list[Event] = []
        for namespace, event in batch:
            e: Any = event
            prefix = PATH_SEP.join(part.split(":", 1)[0] for part in namespace) + PATH_SEP
            kind = getattr(event, "kind", "")
            if kind == "transition":
                src, dst = (prefix + _NAMES.get(n, n) for n in (e.src, e.dst))
                lines.append(dataclasses.replace(e, src=src, dst=dst))
            elif kind in _NODE_LINES:
                lines.append(dataclasses.replace(e, node=prefix + e.node))
        self.log_model.append_events(lines)

    apply_subgraph = append_subgraph_events  # what a session calls

    def reset_run(self) -> None:
        """A new run or replay: empty, and following the tail again."""
        self.log_model.clear()

    def set_node_names(self, names: Sequence[str]) -> None:
        """Size the node column to the graph's longest node name (8 to 28 characters, and
        never over a third of the line: ``_fit_node_column``)."""
        self._longest = max((len(n) for n in names), default=8)
        self._fit_node_column()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_node_column()

    def _fit_node_column(self) -> None:
        """A narrow log keeps ``TEXT_CHARS`` for its text, cutting the node column (down to
        8): in a 1,066 px window the paths of a subgraph's nodes left the text a few
        characters. A cut name ends in "…", whole in the line's tooltip."""
        chars = int(self.viewport().width() / max(1.0, self.fontMetrics().averageCharWidth()))
        room = chars - CLOCK_CHARS - 1 - TEXT_CHARS
        width = max(8, min(28, self._longest, room))
        if width != self.log_model.node_width:
            self.log_model.node_width = width
            self.viewport().update()  # the lines are made at paint time
