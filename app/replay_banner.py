"""The banner over the window's views while they replay a journaled run, so a replay is
never mistaken for the live run (object name ``replayBanner``). GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from graphstage.app.elided_label import ElidedLabel
from graphstage.app.session import RunSession


class ReplayBanner(QFrame):
    """ "Replay of run … — the views show the journal" and a button back to the live view."""

    exitRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayBanner")
        self.setStyleSheet(
            "QFrame#replayBanner { background: #ede9fe; border: 1px solid #a78bfa;"
            " border-radius: 6px; } QLabel { color: #4c1d95; font-weight: 600; }"
        )
        self.text = ElidedLabel()
        self.text.setObjectName("replayText")
        self.exit_button = QPushButton("Back to live")
        self.exit_button.setObjectName("exitReplay")
        self.exit_button.setToolTip("Leave the replay: the views show this window's own run")
        self.exit_button.clicked.connect(self.exitRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.exit_button)
        self.hide()

    def on_session(self, session: RunSession) -> None:
        """Shown exactly while the session replays."""
        if session.mode == "replay":
            # short enough for a 1,066 px window: the middle elision cut the run's status
            self.text.setText(f"REPLAY · {session.label} — from the journal, not live")
            self.text.setToolTip(
                f"Replay of {session.label}: the views show the journal, not a live run"
            )
        self.setVisible(session.mode == "replay")
