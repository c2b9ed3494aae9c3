"""Time travel: the checkpoints of the shown run's thread, the state at any of them, and
"Edit state and run from here", which forks the thread from that checkpoint.

The panel (object name ``timeTravelPanel``) lists the checkpoints of the thread of the run
the views show — the live run, or the one History replays — newest first
(``checkpointList``: step, source, next nodes). Selecting one, or a step in the timeline
(``show_step``: the checkpoint that step took, or for a step that did not complete the one
its thread waits at), shows the state as of that checkpoint in the state view, pinned, and
rings the node(s) whose step took it in the graph. **Edit state and run from here**
(``forkButton``) opens the input form on that checkpoint's values (``forkForm``, validated
field by field as the input form is; nothing runs while it is invalid); the edit becomes a
new checkpoint after the chosen one (``edit_state``: its next step kept; reducer fields are
replaced, not folded) and a run starts from it — a fork, which the list and History's
thread tree then show. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from graphstage import (
    END,
    START,
    BaseCheckpointSaver,
    Overwrite,
    Run,
    SqliteSaver,
    ThreadCheckpoint,
)
from graphstage.app.history_reader import LatestRead
from graphstage.app.input_form import InputForm
from graphstage.app.ownership import check_owned, foreign

NAMES = {START: "START", END: "END"}
"""How the list names the graph's ends (``__start__`` read as an internal name)."""
MAX_LISTED = 100
"""Checkpoints listed, newest first (a step picked in the timeline lists them all if its
checkpoint is older)."""

LIVE_REFRESH_MS = 1000
"""While a live run goes on, its thread's list is read again this often (newest
``MAX_LISTED`` rows, in a worker thread), unless the user has picked a checkpoint."""

if TYPE_CHECKING:
    from graphstage.app.interrupt_panel import WindowThreads
    from graphstage.app.main_window import MainWindow


FORK_TIP = "Edit the checkpoint's state, then run from it (a fork)"
"""The fork button's tooltip (a thread of another graph's says why it is off instead)."""


class TimeTravelPanel(QWidget):
    """A thread's checkpoints; the state at one; a fork from it."""

    def __init__(self, window: MainWindow, threads: WindowThreads) -> None:
        super().__init__()
        self.setObjectName("timeTravelPanel")
        self.window_ = window
        self.threads = threads
        self.checkpoints: list[ThreadCheckpoint] = []  # the rows, in order
        self.thread_id: str | None = None  # the thread listed
        self.run_id: str | None = None  # the run whose thread is listed
        self.dialog: QDialog | None = None  # the open fork editor, if any
        self.label = QLabel("No thread yet: run the graph.")
        self.label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("checkpointList")
        # rows elided to the dock's width (whole in their tooltips): no sideways scroll bar
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.fork_button = QPushButton("Edit state and run from here…")
        self.fork_button.setObjectName("forkButton")
        self.fork_button.setToolTip(FORK_TIP)
        self.fork_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.fork_button)
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.fork_button.clicked.connect(self._on_fork_clicked)
        window.runFinished.connect(lambda _status: self.refresh())
        window.session.on_mode(lambda _session: self.refresh())
        # a live run's checkpoints appear as it goes, not only when it ends
        self.live_timer = QTimer(self)
        self.live_timer.setInterval(LIVE_REFRESH_MS)
        self.live_timer.timeout.connect(self._refresh_live)
        self._reader = LatestRead(self)  # the ticks' reads, off the GUI thread
        self._reader.done.connect(self._on_read)
        self.live_timer.start()

    def _refresh_live(self) -> None:
        """A tick: list the live run's thread again, read in a worker thread, if a run goes
        on, the views show it, the panel can be seen and no checkpoint is picked (a pick is
        never taken away)."""
        window = self.window_
        if (
            window.running
            and window.session.mode != "replay"
            and self.isVisible()
            and self.list.currentRow() < 0
        ):
            run_id = self._shown_run_id()
            saver, known = self.threads.saver, self.thread_known(run_id)
            self._reader.request(lambda: (run_id, *_read(saver, run_id, known, every=False)))

    def _on_read(self, result: tuple[str | None, str | None, list[ThreadCheckpoint], str]) -> None:
        """GUI thread: a tick's read is back; shown unless the user picked a checkpoint or
        another run is shown meanwhile."""
        run_id, thread_id, checkpoints, error = result
        if self.list.currentRow() < 0 and run_id == self._shown_run_id():
            self._fill(run_id, thread_id, checkpoints, error, every=False)

    # -- which thread -----------------------------------------------------------------

    def thread_known(self, run_id: str | None) -> str | None:
        """The thread of ``run_id`` if this window started it (no read needed)."""
        config = self.threads.threads.get(run_id) if run_id is not None else None
        return None if config is None else str(config["configurable"]["thread_id"])

    def thread_of(self, run_id: str | None) -> str | None:
        """The thread ``run_id`` ran on: one this window started, or (SQLite saver) the
        thread of a journaled run; None for a run without a thread."""
        return _thread_of(self.threads.saver, run_id, self.thread_known(run_id))

    def _shown_run_id(self) -> str | None:
        session, run = self.window_.session, self.window_.run
        return session.run_id if session.mode == "replay" else (run.run_id if run else None)

    def refresh(self) -> None:
        """List the checkpoints of the thread of the run the views show (newest first)."""
        self._list(self._shown_run_id())

    def _list(self, run_id: str | None, *, every: bool = False) -> bool:
        """Fill the list with ``run_id``'s thread, its newest ``MAX_LISTED`` checkpoints
        (``every``: all of them), read here; return whether older ones were left out."""
        self._reader.cancel()  # a tick's read under way would bring back an older list
        saver = self.threads.saver
        thread_id, checkpoints, error = _read(saver, run_id, self.thread_known(run_id), every)
        return self._fill(run_id, thread_id, checkpoints, error, every=every)

    def _fill(
        self,
        run_id: str | None,
        thread_id: str | None,
        checkpoints: list[ThreadCheckpoint],
        error: str,
        *,
        every: bool,
    ) -> bool:
        """Show a read of ``run_id``'s thread; return whether older checkpoints were left
        out (GUI thread)."""
        self.run_id, self.thread_id = run_id, thread_id
        self.list.blockSignals(True)  # refilling is not a pick
        self.list.clear()
        self.checkpoints = []
        if thread_id is None or error:
            self.list.blockSignals(False)
            none = "No thread yet: run the graph." if run_id is None else "This run has no thread."
            self.label.setText(error or none)
            self.fork_button.setEnabled(False)
            return False
        self.checkpoints = checkpoints
        more = not every and len(self.checkpoints) > MAX_LISTED
        del self.checkpoints[MAX_LISTED if more else len(self.checkpoints) :]
        live = self.window_.running and self.window_.session.mode == "live"
        self.label.setText(
            f"thread {thread_id}: "
            + (
                f"the newest {MAX_LISTED} checkpoints"
                if more
                else f"{len(self.checkpoints)} checkpoint"
                + ("" if len(self.checkpoints) == 1 else "s")
            )
            # a fast run is steps ahead of the last read: said, not claimed "the newest"
            + (f"; read every {LIVE_REFRESH_MS / 1000:g} s while the run goes on" if live else "")
        )
        self.label.setToolTip(
            f"`graphstage state {thread_id} --history` lists them all" if more else ""
        )
        steps = {c.checkpoint_id: c.step for c in self.checkpoints}
        for row, c in enumerate(self.checkpoints):
            nxt = ", ".join(NAMES.get(n, n) for n in c.next) or "(end)"
            text = f"step {c.step} · {c.source} · next {nxt}"
            older = self.checkpoints[row + 1] if row + 1 < len(self.checkpoints) else None
            if c.parent_id in steps and (older is None or older.checkpoint_id != c.parent_id):
                # rows are newest first: a branch starts where a parent is not the row below
                text += f" · branches from step {steps[c.parent_id]}"
            item = QListWidgetItem(text)
            item.setToolTip(f"{text}\ncheckpoint {c.checkpoint_id}\nrun {c.run_id or '(an edit)'}")
            self.list.addItem(item)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.fork_button.setEnabled(False)
        return more

    # -- picking a checkpoint ---------------------------------------------------------

    def select(self, row: int) -> None:
        """Show the state as of the checkpoint in ``row`` (what clicking it does)."""
        self.list.setCurrentRow(row)

    def show_step(self, run_id: str | None, step: int | None) -> ThreadCheckpoint | None:
        """A step picked in the timeline of ``run_id``: select the checkpoint it took (for a
        step cut short, the one its thread waits at, holding what finished); None (and no
        selection) when that run has no thread or ``step`` is None."""
        if step is None:
            self.list.setCurrentRow(-1)
            return None
        more = self._list(run_id)
        found = checkpoint_for(self.checkpoints, run_id, step)
        if found is None and more:  # an older step: worth the longer list, on a click
            self._list(run_id, every=True)
            found = checkpoint_for(self.checkpoints, run_id, step)
        if found is not None:
            self.list.setCurrentRow(self.checkpoints.index(found))
        return found

    @property
    def selected(self) -> ThreadCheckpoint | None:
        row = self.list.currentRow()
        return self.checkpoints[row] if 0 <= row < len(self.checkpoints) else None

    def _on_row_changed(self, row: int) -> None:
        checkpoint = self.selected
        # a thread of another graph is shown, not forked with the window's graph
        other = foreign(self.window_, self.run_id) if checkpoint is not None else None
        self.fork_button.setEnabled(
            checkpoint is not None and not self.window_.running and other is None
        )
        self.fork_button.setToolTip(other or FORK_TIP)
        if checkpoint is None:
            return
        window = self.window_
        window.state_view.show_checkpoint(checkpoint.step, self.values_at(checkpoint))
        ran = set(checkpoint.ran or ()) - {START}
        for name, item in window.graph_view.nodes.items():
            item.set_highlighted(name in ran)

    def values_at(self, checkpoint: ThreadCheckpoint) -> dict[str, Any]:
        """The state at ``checkpoint`` as the graph's types (a durable saver stores JSON)."""
        graph = self.window_.graph.with_checkpointer(self.threads.saver)
        try:
            return dict(graph.get_state(checkpoint.config).values)
        except Exception:  # a checkpoint of another version of the graph: as stored
            return dict(checkpoint.values)

    # -- forking ----------------------------------------------------------------------

    def fork_from(self, checkpoint: ThreadCheckpoint, values: Any) -> Run:
        """Write ``values`` as a new checkpoint after ``checkpoint`` (its next step kept)
        and run from it. Raises ``ValueError`` (or pydantic's) naming the problem; nothing
        runs then."""
        if not isinstance(values, dict):
            raise ValueError("the state must be a JSON object of its fields")
        window = self.window_
        check_owned(window, self.run_id)
        graph = window.graph.with_checkpointer(self.threads.saver)
        reducers = graph.schema.reducers
        before = self.values_at(checkpoint)
        changed = {
            k: Overwrite(v) if k in reducers else v
            for k, v in values.items()
            if before.get(k, object()) != v
        }
        forked = graph.edit_state(checkpoint.config, changed)
        thread_id = forked["configurable"]["thread_id"]
        config = {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_id": forked["configurable"]["checkpoint_id"],
            }
        }
        run = window.graph.start(
            None, config, journal=window.journal, checkpointer=self.threads.saver
        )
        self.threads.threads[run.run_id] = {"configurable": {"thread_id": thread_id}}
        window.show_run(run)
        return run

    def _on_fork_clicked(self) -> None:
        checkpoint = self.selected
        if checkpoint is None or self.window_.running:
            return
        self.dialog = dialog = QDialog(self)
        dialog.setObjectName("forkDialog")
        dialog.setWindowTitle(f"Edit the state at step {checkpoint.step} and run from here")
        form = InputForm(self.window_.graph.state_schema, initial=self.values_at(checkpoint))
        form.setObjectName("forkForm")
        scroll = QScrollArea()
        scroll.setObjectName("forkFormArea")  # white, framed: as the input panel's form
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        nxt = ", ".join(checkpoint.next) or "nothing (the thread had ended)"
        heading = QLabel(
            f"The state at step {checkpoint.step} (checkpoint {checkpoint.checkpoint_id[:8]}). "
            f"Runs next: {nxt}. Fields left as they are keep their values; a list a reducer "
            f"folds is replaced by what you write."
        )
        heading.setWordWrap(True)
        problem = QLabel("")
        problem.setObjectName("forkProblem")
        problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Run from here")
        ok.setObjectName("forkRunButton")
        ok.setEnabled(form.is_valid)
        form.validityChanged.connect(ok.setEnabled)
        layout = QVBoxLayout(dialog)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(problem)
        layout.addWidget(buttons)
        buttons.rejected.connect(dialog.reject)

        def accept() -> None:
            values = form.values()
            if values is None:  # invalid: the form shows why at each field
                return
            try:
                self.fork_from(checkpoint, values)
            except Exception as exc:  # shown at the editor, never a traceback
                problem.setText(f"{type(exc).__name__}: {exc}")
                return
            dialog.accept()

        buttons.accepted.connect(accept)
        dialog.resize(420, 480)
        dialog.open()


def _thread_of(saver: BaseCheckpointSaver, run_id: str | None, known: str | None) -> str | None:
    """``run_id``'s thread: ``known`` (this window started it), else a journaled run's
    (SQLite saver); None for no run or a run without a thread. Any thread."""
    if run_id is None or known is not None:
        return known
    taken = saver.run_checkpoint(run_id) if isinstance(saver, SqliteSaver) else None
    return None if taken is None else taken.thread_id


def _read(
    saver: BaseCheckpointSaver, run_id: str | None, known: str | None, every: bool
) -> tuple[str | None, list[ThreadCheckpoint], str]:
    """``run_id``'s thread and its newest ``MAX_LISTED`` + 1 checkpoints (``every``: all),
    or why they cannot be read (any thread: a tick reads them in a worker thread)."""
    thread_id = known
    try:
        thread_id = _thread_of(saver, run_id, known)
        if thread_id is None:
            return None, [], ""
        # the newest only: listing (and copying) every checkpoint of a 1,000-step run held
        # the GUI thread for 160 ms as the run ended
        config = {"configurable": {"thread_id": thread_id}}
        return thread_id, list(saver.list(config, limit=None if every else MAX_LISTED + 1)), ""
    except Exception as exc:  # a closed or damaged journal: said in the panel, no traceback
        return thread_id, [], f"cannot list the checkpoints of thread {thread_id or '?'}: {exc}"


def checkpoint_for(
    checkpoints: list[ThreadCheckpoint], run_id: str | None, step: int
) -> ThreadCheckpoint | None:
    """Of a thread's ``checkpoints`` (newest first), the one run ``run_id``'s ``step``
    took; for a step that did not complete (an interrupt, a failure, a stop), the newest
    one that run reached before it, where its thread waits."""
    taken = [c for c in checkpoints if c.run_id == run_id and c.step <= step]
    exact = next((c for c in taken if c.step == step and c.source == "loop"), None)
    return exact if exact is not None else (taken[0] if taken else None)


def install_time_travel(window: MainWindow, threads: WindowThreads) -> TimeTravelPanel:
    panel = TimeTravelPanel(window, threads)
    dock = QDockWidget("Thread history", window)
    dock.setObjectName("timeTravelDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    return panel
