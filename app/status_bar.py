"""The status bar: the run's status, its elapsed time, and the grace countdown on Stop.

GUI thread only. The main window tells it what happened; a 100 ms timer redraws the clock
while a run is going on.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from graphstage.app.elided_label import ElidedLabel
from graphstage.app.theme import RUN_STATUS_COLOURS, format_seconds

TICK_MS = 100


class RunStatusBar(QStatusBar):
    """Shows ``ready``, ``running``, ``stopping… 4.2 s grace left``, then the final status."""

    graceLeft = Signal(object)
    """Seconds of grace left while a graceful stop counts down; None once answered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.status_label = ElidedLabel()
        self.status_label.setObjectName("runStatus")
        self.elapsed_label = QLabel()
        self.elapsed_label.setObjectName("elapsed")
        self.graph_label = ElidedLabel()
        self.graph_label.setObjectName("graphName")
        self.addWidget(self.status_label, 1)
        self.addWidget(self.elapsed_label)
        self.layout_label = ElidedLabel()
        self.layout_label.setObjectName("layoutInfo")
        self.addPermanentWidget(self.layout_label)
        self.addPermanentWidget(self.graph_label)
        self._status = "ready"
        self._colour = ""  # the status label's colour now
        self._started: float | None = None  # time.time() of RunStarted (or the click)
        self._ended: float | None = None  # time.time() of RunFinished
        self._grace_until: float | None = None  # when a graceful stop escalates
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self._show()

    @property
    def status(self) -> str:
        """The word shown: ready, starting, running, stopping, or the run's final status."""
        return self._status

    def set_graph_name(self, name: str) -> None:
        """Show which graph the window is on."""
        self.graph_label.setText(f"graph: {name}")

    def set_layout_info(self, text: str) -> None:
        """How the graph was laid out (a fallback says why), in grey at the right."""
        self.layout_label.setText(text)
        self.layout_label.setToolTip(text)

    def show_idle(self) -> None:
        """No run shown."""
        self._status, self._started, self._ended, self._grace_until = "ready", None, None, None
        self._timer.stop()
        self._show()

    def show_replay(self, status: str, duration: float | None) -> None:
        """A journaled run is replayed: its status, marked as a replay."""
        self._timer.stop()
        self._status, self._grace_until = f"replay · {status}", None
        self._started, self._ended = (0.0, duration) if duration is not None else (None, None)
        self._show()

    def run_started(self, when: float | None = None) -> None:
        """A run began (``when`` in seconds since the epoch)."""
        self._status, self._started, self._ended, self._grace_until = (
            "running",
            when or time.time(),
            None,
            None,
        )
        self._timer.start()
        self._show()

    def stop_requested(self, grace: float, when: float | None = None) -> None:
        """A graceful stop was asked: count ``grace`` seconds down from ``when``."""
        if self._ended is None:
            self._status = "stopping"
            if grace > 0:
                self._grace_until = (when or time.time()) + grace
            self._show()

    def drain_requested(self) -> None:
        """Stop after this step: the active nodes finish, then the run stops."""
        if self._ended is None:
            self._status = "stopping after this step"
            self._show()

    def stop_answered(self) -> None:
        """The stopped nodes answered: no more countdown (cleanup may still run)."""
        if self._grace_until is not None:
            self._grace_until = None
            self.graceLeft.emit(None)
        self._show()

    def run_finished(self, status: str, error: str | None, when: float | None = None) -> None:
        """The run settled with ``status``."""
        self._status = status + (f": {error}" if error else "")
        self._ended = when or time.time()
        self._grace_until = None
        self._timer.stop()
        self._show()

    def _on_tick(self) -> None:
        """Every 100 ms while a run goes on (GUI thread): redraw the clock."""
        self._show()

    def _show(self) -> None:
        word = self._status.split(":", 1)[0]
        colour_word = word.split(" ")[-1] if word.startswith("replay") else word.split(" ", 1)[0]
        text = self._status
        if self._status == "stopping":
            text = "stopping…"
            if self._grace_until is not None:
                left = max(0.0, self._grace_until - time.time())
                text += f" {left:.1f} s grace left"
                self.graceLeft.emit(left)
        elif word == "stopping after this step":
            text = "stopping after this step…"
        colour = RUN_STATUS_COLOURS.get(colour_word, "#374151")
        self.status_label.setText(text)
        if colour != self._colour:  # a style sheet costs a re-polish: only on change
            self._colour = colour
            self.status_label.setStyleSheet(f"color: {colour}; font-weight: 600;")
        if self._started is None:
            self.elapsed_label.setText("")
        else:
            end = self._ended if self._ended is not None else time.time()
            self.elapsed_label.setText(f"elapsed {format_seconds(max(0.0, end - self._started))}")
