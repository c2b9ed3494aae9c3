"""The timeline as a Gantt chart: one row per node execution, its bar placed over the
run's time, so parallel branches show as bars side by side in time. Click a bar to pick
that step: ``stepSelected`` tells the window, which rings the node in the graph and shows
the state after that step. GUI thread only; the data lives in ``timeline_model``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QLineF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QScrollArea, QToolTip, QWidget

from graphstage import Event
from graphstage.app.empty_hint import TIMELINE_HINT, paint_hint
from graphstage.app.theme import NODE_COLOURS, REASON_COLOURS, format_seconds
from graphstage.app.timeline_model import Bar, TimelineModel

ROW = 22
"""Height of a row, in pixels."""
LABEL_WIDTH = 150
"""Least width of the node-name column, in pixels; it grows with the longest name (a
subgraph's node paths) up to ``LABEL_SHARE`` of the chart (longer names are elided in the
middle, whole in the tooltip and the detail pane)."""
LABEL_SHARE = 0.4
AXIS = 20
"""Height of the time axis at the top."""
INDENT = 10
"""How far a subgraph's node names are indented per level, in pixels."""


def tick_text(seconds: float, step: float) -> str:
    """A time axis label, precise enough that ticks ``step`` apart never read the same (a
    10 ms run's axis read "+0.00 s" three times)."""
    if step >= 0.01:
        return f"+{format_seconds(seconds)}"
    digits = 0 if step >= 0.002 else 1 if step >= 0.0002 else 2
    return f"+{seconds * 1000:.{digits}f} ms"


def bar_details(bar: Bar, now: float) -> str:
    """Everything about one bar, whole: node and step, outcome, timing, why a stop reached
    it, and every transition it led to with its reason (the tooltip and the detail pane)."""
    end = bar.end if bar.end is not None else now
    where = f" of subgraph {bar.path[-1]}" if bar.path else ""
    lines = [
        f"{bar.label} · step {bar.step}{where}",
        f"{bar.outcome}" + (f" ({bar.how})" if bar.how else ""),
        f"start +{format_seconds(bar.start)}, duration {format_seconds(end - bar.start)}",
    ]
    if bar.stop_reason:
        lines.append(bar.stop_reason)
    lines += [f"→ {dst} · {label}" for dst, label in bar.transitions]
    return "\n".join(lines)


class _Chart(QWidget):
    """The painted rows; only the visible ones are drawn."""

    def __init__(self, owner: TimelineView) -> None:
        super().__init__()
        self.owner = owner
        self.setMouseTracking(True)
        self.showing_hint = False  # the last paint showed the empty timeline's hint

    def sizeHint(self) -> QSize:
        return QSize(300, AXIS + ROW * max(1, len(self.owner.model.bars)))

    def label_width(self) -> float:
        """The node-name column: as wide as the longest name, within its bounds."""
        chars = self.owner.model.label_chars
        wanted = QFontMetricsF(self.font()).averageCharWidth() * chars + 16
        return max(LABEL_WIDTH, min(wanted, self.width() * LABEL_SHARE))

    def _x_scale(self) -> tuple[float, float]:
        span = max(self.owner.model.span(), self.owner.now())  # live: bars run up to now
        width = max(40.0, self.width() - self.label_width() - 16)
        return width / span, span

    def paintEvent(self, event: QPaintEvent) -> None:
        owner = self.owner
        bars = owner.model.bars
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#ffffff"))
        scale, span = self._x_scale()
        label_width = self.label_width()
        metrics = QFontMetricsF(self.font())
        first = max(0, (event.rect().top() - AXIS) // ROW)
        last = min(len(bars), (event.rect().bottom() - AXIS) // ROW + 1)
        for row in range(first, last):
            bar = bars[row]
            top = AXIS + row * ROW
            if row % 2:
                painter.fillRect(0, top, self.width(), ROW, QColor("#f8fafc"))
            if bar is owner.selected_bar:
                painter.fillRect(0, top, self.width(), ROW, QColor("#ede9fe"))
            indent = INDENT * len(bar.path)  # a subgraph's nodes under its node's bar
            if indent:
                painter.setPen(QPen(QColor("#c4b5fd"), 2))
                painter.drawLine(QLineF(indent - 3, top + 2, indent - 3, top + ROW - 2))
            painter.setPen(QColor("#111827"))
            name = metrics.elidedText(
                f"{bar.step:>3}  {bar.label}",
                Qt.TextElideMode.ElideMiddle,
                label_width - 8 - indent,
            )
            painter.drawText(
                QRectF(4 + indent, top, label_width - 8 - indent, ROW),
                Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            end = bar.end if bar.end is not None else owner.now()
            x0 = label_width + bar.start * scale
            width = max(3.0, (end - bar.start) * scale)
            fill, border = NODE_COLOURS.get(bar.state, NODE_COLOURS["running"])
            painter.setPen(QPen(QColor(border), 1.2))
            painter.setBrush(QColor(fill))
            rect = QRectF(x0, top + 4, width, ROW - 8)
            painter.drawRoundedRect(rect, 3, 3)
            text = f"{bar.outcome} · {format_seconds(end - bar.start)}"
            if bar.transitions:
                dst, label = bar.transitions[-1]
                text += f"  → {dst} · {label}"
                painter.setPen(QColor(REASON_COLOURS.get(label, "#475569")))
            else:
                painter.setPen(QColor(border).darker(130))
            room = self.width() - rect.right() - 6
            left_room = rect.left() - label_width - 6
            inside = rect.width() - 8
            wanted = metrics.horizontalAdvance(text)
            # where the whole text fits: beside the bar, before it, inside it; else the
            # widest of those, elided (the tooltip and the detail pane have it whole)
            if room >= wanted or (room > 30 and room >= max(left_room, inside)):
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                painter.drawText(
                    QRectF(rect.right() + 4, top, room, ROW), Qt.AlignmentFlag.AlignVCenter, shown
                )
            elif left_room >= wanted or (left_room > 30 and left_room >= inside):
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, left_room)
                painter.drawText(
                    QRectF(label_width + 2, top, left_room, ROW),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    shown,
                )
            elif inside > 30:
                painter.setPen(QColor(border).darker(160))
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inside)
                painter.drawText(rect.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, shown)
        painter.setPen(QColor("#9aa4b2"))
        painter.fillRect(0, 0, self.width(), AXIS, QColor("#f3f4f7"))
        ticks = max(1, min(4, int((self.width() - label_width) / 90)))  # labels never overlap
        self.showing_hint = not bars  # what the last paint showed
        if not bars:  # no run yet: no scale (it read "+0.00 s" at every tick), a word why
            painter.end()
            paint_hint(self, TIMELINE_HINT, top=AXIS)
            return
        for i in range(ticks + 1):
            seconds = span * i / ticks
            x = min(label_width + seconds * scale, self.width() - 32)
            painter.drawLine(int(x), AXIS - 4, int(x), AXIS)
            painter.drawText(
                QRectF(x - 30, 0, 60, AXIS - 4),
                Qt.AlignmentFlag.AlignCenter,
                tick_text(seconds, span / ticks),
            )

    def bar_at(self, y: float) -> Bar | None:
        row = int((y - AXIS) // ROW)
        bars = self.owner.model.bars
        return bars[row] if y >= AXIS and 0 <= row < len(bars) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.owner.select_bar(self.bar_at(event.position().y()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position().y())
        if bar is None:
            QToolTip.hideText()
            return
        text = bar_details(bar, self.owner.now())
        QToolTip.showText(event.globalPosition().toPoint(), text, self)


class TimelineView(QScrollArea):
    """The Gantt chart (object name ``timeline``); rows scroll vertically, never sideways:
    the time axis always fits the width."""

    stepSelected = Signal(object)
    """(node, step) of the bar picked, or None when the pick is cleared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.model = TimelineModel()
        self.selected: tuple[str, int] | None = None  # (node, step) of the bar picked
        self.selected_bar: Bar | None = None  # the bar picked itself
        self.following = True  # keep the newest bar in sight unless the user scrolled up
        self.chart = _Chart(self)
        self.setWidget(self.chart)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._live_until: float | None = None  # wall clock of the newest event, for running bars
        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self.chart.update)
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi) if self.following else None)
        bar.valueChanged.connect(lambda v: setattr(self, "following", v >= bar.maximum() - 1))

    def now(self) -> float:
        """Seconds since the run started, for bars still running (live: the wall clock)."""
        model = self.model
        if self._tick.isActive() and model.t0 is not None:
            return max(model.last_time, time.time() - model.t0)
        return model.last_time

    def reset_run(self) -> None:
        """A new run or replay: no bars."""
        self.model.reset()
        self.selected = self.selected_bar = None
        self.following = True
        self._tick.stop()
        self._relayout()

    def apply(self, events: Sequence[Event]) -> None:
        """Show a batch of lifecycle events in order (GUI thread)."""
        self.model.apply(events)
        running = any(b.end is None for b in list(self.model.bars)[-20:])
        live = running and not any(getattr(e, "kind", "") == "run_finished" for e in events)
        if live and not self._tick.isActive():
            self._tick.start()
        elif not live:
            self._tick.stop()
        self._relayout()

    def apply_subgraph(self, batch: Sequence[tuple[tuple[str, ...], Event]]) -> None:
        """Show a batch of ``(namespace, event)`` of the subgraph runs (GUI thread): their
        nodes' bars, under their subgraph node's bar."""
        self.model.apply_subgraph(batch)
        self._relayout()

    def set_live(self, live: bool) -> None:
        """Live runs draw running bars up to now; replays up to their newest event."""
        if not live:
            self._tick.stop()

    def _relayout(self) -> None:
        self.chart.setMinimumHeight(AXIS + ROW * max(1, len(self.model.bars)))
        self.chart.update()

    def select(self, key: tuple[str, int] | None) -> None:
        """Pick the (newest) bar of (node, step), or none; ``node`` is a path
        (``research/search``) for a node inside a subgraph."""
        found = None
        if key is not None:
            found = next((b for b in reversed(self.model.bars) if (b.node, b.step) == key), None)
        self.select_bar(found)

    def select_bar(self, bar: Bar | None) -> None:
        """Pick ``bar``, or none: ``stepSelected`` says (node, step) of it."""
        if bar is not self.selected_bar:
            self.selected_bar = bar
            self.selected = None if bar is None else (bar.node, bar.step)
            self.chart.update()
            self.stepSelected.emit(self.selected)

    def state_after_selected(self) -> object:
        """The state after the picked bar's step (of its subgraph's run, for a node inside
        a subgraph), as a ``StateFold``; None if that step left none."""
        bar = self.selected_bar
        return None if bar is None else self.model.state_after(bar.step, bar.namespace)

    def details(self, key: tuple[str, int]) -> str | None:
        """The whole text of the bar of (node, step) (the picked one first), for the
        detail pane."""
        bars = [self.selected_bar] if self.selected_bar is not None else []
        for bar in (*bars, *reversed(self.model.bars)):
            if (bar.node, bar.step) == key:
                return bar_details(bar, self.now())
        return None

    def row_texts(self) -> list[tuple[str, ...]]:
        """Every bar as (step, node, start, duration, outcome, transitions): tests, copy."""
        rows = []
        for bar in self.model.bars:
            duration = "…" if bar.end is None else format_seconds(bar.end - bar.start)
            rows.append(
                (
                    str(bar.step),
                    bar.label,
                    f"+{bar.start:.2f} s",
                    duration,
                    bar.outcome,
                    bar.transition_text(),
                )
            )
        return rows
