"""Time travel: the checkpoints of the shown run's thread, the state at any of them, and
"Edit state and run from here", which forks the thread from that checkpoint.

The panel (object name ``timeTravelPanel``) lists the thread's checkpoints, newest first
(``checkpointList``: step, source, next nodes). Selecting one shows the state as of that
checkpoint in the state view. **Edit state and run from here** (``forkButton``) opens an
editor on its values (JSON; a value that does not parse, or that the state rejects, is
refused with the reason, nothing runs); the edit becomes a new checkpoint after the chosen
one (``update_state``: reducer fields are replaced, not folded) and a run starts from it —
a fork, which the list then shows. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from graphstage import Overwrite, Run, ThreadCheckpoint
from graphstage.app.json_editor import JsonEdit

MAX_LISTED = 100
"""Checkpoints listed, newest first."""

if TYPE_CHECKING:
    from graphstage.app.interrupt_panel import WindowThreads
    from graphstage.app.main_window import MainWindow


class TimeTravelPanel(QWidget):
    """A thread's checkpoints; the state at one; a fork from it."""

    def __init__(self, window: MainWindow, threads: WindowThreads) -> None:
        super().__init__()
        self.setObjectName("timeTravelPanel")
        self.window_ = window
        self.threads = threads
        self.checkpoints: list[ThreadCheckpoint] = []  # the rows, in order
        self.thread_id: str | None = None
        self.label = QLabel("No thread yet: run the graph.")
        self.label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("checkpointList")
        self.fork_button = QPushButton("Edit state and run from here…")
        self.fork_button.setObjectName("forkButton")
        self.fork_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.fork_button)
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.fork_button.clicked.connect(self._on_fork_clicked)
        window.runFinished.connect(lambda _status: self.refresh())

    def refresh(self) -> None:
        """List the checkpoints of the thread of the run shown (newest first)."""
        run = self.window_.run
        config = self.threads.threads.get(run.run_id) if run is not None else None
        self.list.clear()
        self.checkpoints = []
        if config is None:
            self.thread_id = None
            self.label.setText("This run has no thread.")
            self.fork_button.setEnabled(False)
            return
        self.thread_id = config["configurable"]["thread_id"]
        # the newest only: listing (and copying) every checkpoint of a 1,000-step run held
        # the GUI thread for 160 ms as the run ended
        config = {"configurable": {"thread_id": self.thread_id}}
        self.checkpoints = list(self.threads.saver.list(config, limit=MAX_LISTED + 1))
        more = len(self.checkpoints) > MAX_LISTED
        del self.checkpoints[MAX_LISTED:]
        self.label.setText(
            f"thread {self.thread_id}: "
            + (
                f"the newest {MAX_LISTED} checkpoints (`graphstage state {self.thread_id} "
                f"--history` lists them all)"
                if more
                else f"{len(self.checkpoints)} checkpoints"
            )
        )
        for c in self.checkpoints:
            nxt = ", ".join(c.next) or "(end)"
            self.list.addItem(QListWidgetItem(f"step {c.step} · {c.source} · next {nxt}"))

    def select(self, row: int) -> None:
        """Show the state as of the checkpoint in ``row`` (what clicking it does)."""
        self.list.setCurrentRow(row)

    @property
    def selected(self) -> ThreadCheckpoint | None:
        row = self.list.currentRow()
        return self.checkpoints[row] if 0 <= row < len(self.checkpoints) else None

    def _on_row_changed(self, row: int) -> None:
        checkpoint = self.selected
        self.fork_button.setEnabled(checkpoint is not None and not self.window_.running)
        if checkpoint is not None:
            self.window_.state_view.show_state(checkpoint.values)

    def fork_from(self, checkpoint: ThreadCheckpoint, values: Any) -> Run:
        """Write ``values`` as a new checkpoint after ``checkpoint`` and run from it.
        Raises ``ValueError`` (or pydantic's) naming the problem; nothing runs then."""
        if not isinstance(values, dict):
            raise ValueError("the state must be a JSON object of its fields")
        window = self.window_
        graph = window.graph.with_checkpointer(self.threads.saver)
        reducers = graph.schema.reducers
        changed = {
            k: Overwrite(v) if k in reducers else v
            for k, v in values.items()
            if checkpoint.values.get(k, object()) != v
        }
        forked = graph.edit_state(checkpoint.config, changed)
        config = {"configurable": {"thread_id": forked["configurable"]["thread_id"]}}
        config["configurable"]["checkpoint_id"] = forked["configurable"]["checkpoint_id"]
        run = window.graph.start(
            None, config, journal=window.journal, checkpointer=self.threads.saver
        )
        self.threads.threads[run.run_id] = {"configurable": {"thread_id": self.thread_id}}
        window.show_run(run)
        return run

    def _on_fork_clicked(self) -> None:
        checkpoint = self.selected
        if checkpoint is None or self.window_.running:
            return
        dialog = QDialog(self)
        dialog.setObjectName("forkDialog")
        dialog.setWindowTitle(f"State at step {checkpoint.step}")
        editor = JsonEdit(checkpoint.values)
        problem = QLabel("")
        problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(dialog)
        layout.addWidget(editor, 1)
        layout.addWidget(problem)
        layout.addWidget(buttons)
        buttons.rejected.connect(dialog.reject)

        def accept() -> None:
            try:
                self.fork_from(checkpoint, editor.value())
            except Exception as exc:  # shown at the editor, never a traceback
                problem.setText(f"{type(exc).__name__}: {exc}")
                return
            dialog.accept()

        buttons.accepted.connect(accept)
        dialog.open()


def install_time_travel(window: MainWindow, threads: WindowThreads) -> TimeTravelPanel:
    panel = TimeTravelPanel(window, threads)
    dock = QDockWidget("Thread history", window)
    dock.setObjectName("timeTravelDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    return panel
