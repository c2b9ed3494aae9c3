"""``DetailPane``: the whole text of what the user picked, wrapped, never cut: a log line,
a timeline bar (its outcome, its transitions with their reasons, the stop's reason), a
state value. The views elide to keep the window's width; this is where the rest is read.
GUI thread only.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class DetailPane(QPlainTextEdit):
    """Read-only, word-wrapped text (object name ``detailPane``); a long text scrolls
    inside the pane and never widens the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # a 2,000-character word (a token, a path) wraps too, rather than scrolling sideways
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)))
        self.setPlaceholderText(
            "Select a log line, a timeline bar or a state value to read it whole here."
        )
        self.setMinimumWidth(0)
        self.title = ""  # what is shown ("log line", "step 3 · work_stage", ...)

    def show_text(self, title: str, text: str) -> None:
        """Show ``text`` whole, under a first line naming what it is."""
        self.title = title
        self.setPlainText(f"{title}\n{text}" if title else text)

    def clear_text(self) -> None:
        """Nothing picked."""
        self.title = ""
        self.clear()
