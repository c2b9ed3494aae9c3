"""``RunControls``: the main window's Run / Stop / Stop after this step / Force stop, and
the run's lifecycle coming back from the bridge (status bar, which actions are enabled).

A mixin of ``MainWindow`` (which owns the widgets and the signals): the buttons only *tell*
the runtime what the user did (``threads.start``, ``run.stop``, ``run.kill``); the runtime
owns its tasks. GUI thread, on the qasync loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from graphstage import (
    Event,
    NodeCancelled,
    NodeFailed,
    NodeFinished,
    Run,
    RunFinished,
    RunStarted,
    StopRequested,
)
from graphstage.app.bridge import RunBridge

if TYPE_CHECKING:
    from graphstage.app.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object


RUN_TIP = "Start a run with this input (Ctrl+R)"
REPLAY_RUN_TIP = (
    "A past run is replayed: press Back to live (on the violet banner) to edit the input "
    "and run the graph"
)
"""The Run button's tooltip while a replay greys the form: why it is off, and the way out."""


class RunControls(_Base):
    """What the run buttons do, and what the window shows of a run's lifecycle."""

    @property
    def running(self) -> bool:
        """True from Run until the window has shown the run's ``RunFinished`` (the run's
        own task may still be winding down a moment after that: it is over for the user,
        and ``settle`` still waits for it)."""
        return self.run is not None and self.bridge is not None and not self.run.done

    def _on_run_clicked(self) -> None:
        """Run button / Ctrl+R (GUI thread): start a run on the qasync loop."""
        values = self.input_form.values()
        config = self.run_options.config()
        if self.running or self.session.mode == "replay" or values is None or config is None:
            return  # a replay greys the form: its values are not what the user sees
        try:
            run = self.interrupts.threads.start(values, config)  # on a thread: it may pause
        except Exception as exc:  # the runtime refused the input: say so, stay alive
            self.status.run_finished("failed", f"{type(exc).__name__}: {exc}")
            self.log_view.log_model.append_text("run", f"cannot start: {exc}", "node_failed")
            return
        self.show_run(run)

    def show_run(self, run: Run) -> None:
        """Follow ``run`` live in every view, as the Run button does (GUI thread)."""
        self.run, self._stopping, self._draining = run, False, False
        self.session.begin("live", run.run_id)
        self.bridge = RunBridge(run, self)
        self.bridge.subgraphEventsArrived.connect(self.session.apply_subgraph)
        self.bridge.eventsArrived.connect(self.session.apply)
        self.bridge.lifecycleArrived.connect(self._on_lifecycle_arrived)
        self.bridge.runFinished.connect(self._on_run_finished)
        self.bridge.start()
        self.status.run_started()
        self._update_actions()

    def _on_stop_clicked(self) -> None:
        """Stop button / Esc (GUI thread): send the graceful Cancel message."""
        if self.run is not None and self.running and not self._stopping:
            self._stopping = True
            self.run.stop(reason=self.input_panel.stop_reason_or("Stop button"))
            self.status.stop_requested(0.0)
            self._update_actions()

    def _on_drain_triggered(self) -> None:
        """Run > Stop after this step (GUI thread): let the active nodes finish, then stop.
        Stop stays enabled (to stop the active nodes now after all); this action does not."""
        if self.run is not None and self.running and not self._stopping and not self._draining:
            self._draining = True
            self.run.stop(
                drain=True, reason=self.stop_reason.text().strip() or "Stop after this step"
            )
            self.status.drain_requested()
            self._update_actions()

    def _on_grace_left(self, left: float | None) -> None:
        """The status bar's countdown, also on the nodes told to stop."""
        self.graph_view.show_grace(self.graph_view.active_nodes, left)

    def _on_force_stop_clicked(self) -> None:
        """Force stop button (GUI thread): kill the run now."""
        if self.run is not None and self.running:
            self.run.kill(reason="Force stop button")

    def _on_lifecycle_arrived(self, events: list[Event]) -> None:
        """A batch without writer output (the views have it from the session): status."""
        for event in events:
            if isinstance(event, RunStarted):
                self.status.run_started(event.time)
            elif isinstance(event, StopRequested) and event.mode == "graceful":
                self._stopping = True
                self.status.stop_requested(event.grace, event.time)
            elif isinstance(event, StopRequested) and event.mode == "drain":
                self._draining = True
                self.status.drain_requested()
            elif isinstance(event, NodeFinished | NodeCancelled) and self._stopping:
                self.status.stop_answered()
        if any(isinstance(e, NodeFinished | NodeCancelled | NodeFailed) for e in events):
            self._title_now()  # a node that answered is named no more, from this batch on
        self._update_actions()

    def _on_run_finished(self, event: RunFinished) -> None:
        """The run settled: final status, buttons back to Run."""
        self.status.run_finished(event.status, event.error, event.time)
        self._title_now()  # with the final status: no node named once the run settled
        if self.bridge is not None:
            self.bridge.close()
            self.bridge = None
        self._update_actions()
        self.runFinished.emit(event.status)

    def _title_now(self) -> None:
        """The title as the views are now, not a turn later: a node has ended or the run
        has settled (the status bar says so at once; the title named the node after it)."""
        self._title_timer.stop()
        self._set_title()

    def _update_actions(self) -> None:
        running = self.running
        replaying = self.session.mode == "replay"
        # a replay greys the form (it is not the replayed run's input): Run would start
        # a live run with values the user cannot see, so it waits for "Back to live"
        can_run = (
            not running and not replaying and self.input_form.is_valid and self.run_options.is_valid
        )
        can_stop = running and not self._stopping
        for widget in (self.run_button, self.run_action):
            widget.setEnabled(can_run)
        self.run_button.setToolTip(REPLAY_RUN_TIP if replaying else RUN_TIP)
        self.run_action.setToolTip(self.run_button.toolTip())
        for widget in (self.stop_button, self.stop_action):
            widget.setEnabled(can_stop)
        self.drain_action.setEnabled(can_stop and not self._draining)
        for widget in (self.force_stop_button, self.kill_action):
            widget.setEnabled(running)
        self.open_action.setEnabled(not running)
        self.input_form.set_enabled_for_run(running or replaying)
        # it shows or hides editors that are locked then: it waits with them
        self.input_panel.show_all.setEnabled(not running and not replaying)
        self.run_options.setEnabled(not running and not replaying)

    async def settle(self, grace: float | None = None) -> None:
        """Stop a live run gracefully and wait for it; kill it if it outlives ``grace``
        (default: the graph's ``cancel_grace`` plus one second). Runs on the qasync loop."""
        run = self.run
        if run is None or run.done:
            return
        run.stop(reason="window closed")
        limit = grace if grace is not None else self.graph.cancel_grace + 1.0
        try:
            await asyncio.wait_for(run.result(), limit)
        except TimeoutError:
            run.kill(reason="window closed (grace over)")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(run.result(), 5.0)
