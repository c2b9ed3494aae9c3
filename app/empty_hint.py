"""A grey sentence in an empty view, saying what will appear there: an empty white pane
with no word read as broken. GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

HINT_COLOUR = "#6b7280"
"""The hint's grey: 4.8:1 against the views' white, readable (WCAG AA)."""

LOG_HINT = (
    "Nothing logged yet. Run the graph (Ctrl+R): node starts, writer() lines, stops and "
    "transitions appear here."
)
TIMELINE_HINT = (
    "No steps yet. Each node's run appears here as a bar over the run's time; click one "
    "to see the state after it."
)
STATE_HINT = "The state is empty. A run's values appear here after each step."
RUNS_HINT = "No runs to list: none in the journal yet, or none in this scope and filter."
THREADS_HINT = "No threads to list yet: every run of this window is on one."


def paint_hint(widget: QWidget, text: str, top: int = 0) -> None:
    """Draw ``text`` centred in ``widget`` (below ``top`` pixels), wrapped, in grey."""
    painter = QPainter(widget)
    painter.setFont(QApplication.font())  # the log's own is fixed-width: not for prose
    painter.setPen(QColor(HINT_COLOUR))
    area = QRect(16, top + 8, max(0, widget.width() - 32), max(0, widget.height() - top - 16))
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()
