"""``InterruptPanel``: where a person answers a run paused at ``interrupt()``.

Every run the window starts belongs to a thread (``WindowThreads``: in the window's journal
file when it has one, else in memory), so a run can pause. When the run shown pauses, the
panel (object name ``interruptPanel``) shows the question — text as text, anything else as
pretty-printed JSON — an answer editor (``answerEditor``: JSON if it parses, else the text)
and **Answer and resume** (``answerButton``), which starts the thread's next run with
``Command(resume=answer)``. **Stop waiting node** (``stopWaitingButton``) stops the node
that waits at the interrupt: it sees ``CancelledError`` there and takes its cleanup route.
A run paused at a breakpoint (``interrupt_before``/``interrupt_after``) shows the nodes it
waits before, and the button continues it. GUI thread only; it only tells the runtime.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from graphstage import (
    BaseCheckpointSaver,
    Command,
    InMemorySaver,
    Journal,
    JournalError,
    ResumeError,
    Run,
    RunFinished,
    SqliteSaver,
    jsonable,
)
from graphstage.app.ownership import check_owned
from graphstage.func import Entrypoint

if TYPE_CHECKING:
    from graphstage.app.main_window import MainWindow


class WindowThreads:
    """The window's runs on threads: each Run click starts a new thread named after its run
    (or continues the one the run options' ``configurable.thread_id`` names)."""

    def __init__(self, window: MainWindow, journal: Any) -> None:
        self.window = window
        self.saver: BaseCheckpointSaver = (
            SqliteSaver(journal) if isinstance(journal, Journal) else InMemorySaver()
        )
        # run id -> the thread config it ran on
        self.threads: dict[str, dict[str, Any]] = {}

    def start(self, values: Any, config: dict[str, Any]) -> Run:
        """Start a run on a thread (what the Run button does)."""
        conf = dict(config.get("configurable") or {})
        config = dict(config)
        if not conf.get("thread_id"):
            conf["thread_id"] = config.setdefault("run_id", uuid.uuid4().hex)
        config["configurable"] = conf
        graph = self.window.graph
        if isinstance(graph, Entrypoint) and isinstance(values, dict):
            values = values.get("input")  # the form's one field is the function's argument
        return self._remember(
            graph.start(
                values,
                config,
                journal=self.window.journal,
                checkpointer=self.saver,
                **self._breakpoints(),
            ),
            config,
        )

    def answer(self, run: Run, value: Any, *, breakpoint: bool) -> Run:
        """The thread's next run: ``Command(resume=value)`` (or go on, at a breakpoint)."""
        check_owned(self.window, run.run_id)
        config = self._thread_of(run)
        command = None if breakpoint else Command(resume=value)
        started = self.window.graph.start(
            command,
            config,
            journal=self.window.journal,
            checkpointer=self.saver,
            **self._breakpoints(),
        )
        return self._remember(started, config)

    def stop_waiting(self, run: Run) -> Run:
        """Stop the node waiting at the interrupt: it takes its cleanup route."""
        check_owned(self.window, run.run_id)
        config = self._thread_of(run)
        started = self.window.graph.stop_thread(
            config, reason="Stop button (waiting at an interrupt)", checkpointer=self.saver
        )
        return self._remember(started, config)

    def resume_run(self, run_id: str) -> Run | None:
        """Continue the thread of a journaled run (History's Resume), or None if the run
        has no thread (journaled before threads: History then resumes it the old way).
        ``ResumeError`` if the thread went on since that run: nothing runs twice."""
        check_owned(self.window, run_id)
        saver = self.saver
        taken = saver.run_checkpoint(run_id) if isinstance(saver, SqliteSaver) else None
        if taken is None:
            return None
        config = {"configurable": {"thread_id": taken.thread_id}}
        head = saver.get_tuple(config)
        if head is not None and head.checkpoint_id != taken.checkpoint_id:
            raise ResumeError(
                f"run {run_id[:12]} was already continued (its thread is at step "
                f"{head.step}, by run {(head.run_id or '?')[:12]}): resume that run"
            )
        if head is not None and not head.next and not head.interrupts:
            raise ResumeError(f"run {run_id[:12]}'s thread has reached its end")
        started = self.window.graph.start(
            None, config, journal=self.window.journal, checkpointer=saver
        )
        return self._remember(started, config)

    def _breakpoints(self) -> dict[str, Any]:
        breakpoints = getattr(self.window, "breakpoints", None)
        return breakpoints.options() if breakpoints is not None else {}

    def _thread_of(self, run: Run) -> dict[str, Any]:
        thread = self.threads[run.run_id]["configurable"]["thread_id"]
        return {"configurable": {"thread_id": thread}}

    def _remember(self, run: Run, config: dict[str, Any]) -> Run:
        self.threads[run.run_id] = config
        return run


def question_text(value: Any) -> str:
    """An interrupt's value as a person reads it: text as text, else pretty JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=repr)
    except Exception:  # a cycle, a repr() that raises: the journal's markers
        return json.dumps(jsonable(value), indent=2, ensure_ascii=False)


def parse_answer(text: str) -> Any:
    """JSON if the text parses, else the text itself."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError):
        return text


class InterruptPanel(QWidget):
    """The question a paused run waits on, and the answer that resumes it."""

    def __init__(self, window: MainWindow, threads: WindowThreads) -> None:
        super().__init__()
        self.setObjectName("interruptPanel")
        self.window_ = window
        self.threads = threads
        self.run: Run | None = None  # the paused run shown
        self.breakpoint = False  # paused at a breakpoint, not at an interrupt()
        self.heading = QLabel()
        self.heading.setObjectName("interruptHeading")
        self.heading.setWordWrap(True)
        self.question = QPlainTextEdit()
        self.question.setObjectName("interruptQuestion")
        self.question.setReadOnly(True)
        self.answer_editor = QPlainTextEdit()
        self.answer_editor.setObjectName("answerEditor")
        self.answer_editor.setPlaceholderText("Your answer: JSON (true, 42, {...}) or text")
        self.answer_button = QPushButton("Answer and resume")
        self.answer_button.setObjectName("answerButton")
        self.answer_button.setToolTip("Resume the node with Command(resume=answer)")
        self.stop_button = QPushButton("Stop waiting node")
        self.stop_button.setObjectName("stopWaitingButton")
        self.stop_button.setToolTip(
            "Stop the node waiting at the interrupt: it takes its cleanup route"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.question, 1)
        layout.addWidget(self.answer_editor, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.answer_button)
        buttons.addWidget(self.stop_button)
        layout.addLayout(buttons)
        # shown only while a run waits: an idle panel is one line, leaving its room to
        # the docks beside it (History, Thread history)
        self._asking = (self.question, self.answer_editor, self.answer_button, self.stop_button)
        self.answer_button.clicked.connect(self._on_answer_clicked)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        window.runFinished.connect(self._on_run_finished)
        self.clear()

    def clear(self) -> None:
        """Nothing waits: the panel is empty and its buttons disabled."""
        self.run = None
        self.heading.setText("No run is waiting for an answer.")
        self.question.setPlainText("")
        self.answer_button.setEnabled(False)
        self.stop_button.setEnabled(False)
        for widget in self._asking:
            widget.hide()

    def _on_run_finished(self, status: str) -> None:
        run = self.window_.run
        if status != "paused" or run is None or run.run_id not in self.threads.threads:
            self.clear()
            return
        finished = run.event_log[-1]
        assert isinstance(finished, RunFinished)
        self.run = run
        self.breakpoint = not finished.interrupts
        nodes = ", ".join(finished.next)
        if self.breakpoint:
            self.heading.setText(f"Paused at a breakpoint before {nodes}.")
            self.question.setPlainText("")
            self.answer_button.setText("Continue")
        else:
            self.heading.setText(f"{nodes} asks:")
            self.question.setPlainText(
                "\n\n".join(question_text(i.value) for i in finished.interrupts)
            )
            self.answer_button.setText("Answer and resume")
        for widget in self._asking:
            widget.show()
        self.question.setVisible(not self.breakpoint)
        self.answer_button.setEnabled(True)
        self.stop_button.setEnabled(not self.breakpoint)
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.show()
            dock.raise_()
        self.answer_editor.setFocus()

    def _on_answer_clicked(self) -> None:
        if self.run is None or self.window_.running:
            return
        answer = parse_answer(self.answer_editor.toPlainText().strip())
        try:
            run = self.threads.answer(self.run, answer, breakpoint=self.breakpoint)
        except (JournalError, ValueError) as exc:  # ResumeError too: said here, nothing ran
            self.heading.setText(str(exc))
            return
        self.answer_editor.clear()
        self.clear()
        self.window_.show_run(run)

    def _on_stop_clicked(self) -> None:
        if self.run is None or self.window_.running:
            return
        try:
            run = self.threads.stop_waiting(self.run)
        except (JournalError, ValueError) as exc:
            self.heading.setText(str(exc))
            return
        self.clear()
        self.window_.show_run(run)


def install_interrupts(window: MainWindow, journal: Any) -> InterruptPanel:
    """Dock an interrupt panel on ``window``; its ``threads`` start the window's runs."""
    panel = InterruptPanel(window, WindowThreads(window, journal))
    dock = QDockWidget("Waiting for an answer", window)
    dock.setObjectName("interruptDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    return panel
