"""``Supervisor``: owns one run, applies each node's answer, routes, and runs the stop ladder.

It is an actor too: its inbox receives the node actors' answers and the run handle's
``StopRun`` / ``KillRun``. Runs proceed in steps: every node of a step starts together,
their answers are gathered, their updates merged in a deterministic order, and the next
step is chosen from their Commands and the graph's edges."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .._constants import START
from .._errors import GraphRecursionError, recursion_message
from .._events import RunStarted, RunStatus
from .._hold import TAKEN
from .._messages import Envelope, Finished, KillRun, StopRun
from .._routing import Task, in_task_order, task_order
from .._subgraph import CURRENT_RUN
from ..checkpoint._state import apply_writes
from ..checkpoint._tasks import as_write
from ._base import YIELD_EVERY, HandOff, RunFailed, exit_error, names
from ._finish import Finishing
from ._settle import Settling
from ._step import Stepping


class Supervisor(Stepping, Settling, Finishing):
    """Runs one run to its end. Everything here runs in the supervisor's task, except
    ``deliver`` and ``kill_now``, which the run handle calls on the loop's thread."""

    async def main(self) -> None:
        status: RunStatus = "completed"
        error: BaseException | None = None
        frontier: list[Task] = []
        CURRENT_RUN.set(self.run)  # this task's context, which its node tasks inherit
        try:
            resumed_from = self._resume[2] if self._resume else None
            if self._thread is not None and self._thread.resumed_from is not None:
                resumed_from = self._thread.resumed_from
            inp, self.state = self.state, self.graph.schema.own(self.state)
            self._emit(
                RunStarted,
                graph=self.graph.name,
                input=inp,
                resumed_from=resumed_from,
            )
            thread = self._thread
            if thread is not None:  # another process may have claimed it in the same instant
                await thread.exclusive()
            start = thread.start if thread is not None else None
            pending: dict[str, Any] = {}
            skip_before = False
            if start is not None and not start.fresh:
                self.step, frontier = start.step, list(start.frontier)
                pending, self._given = start.pending, start.answers
                skip_before = start.skip_before
                self._router.restore_joins(start.joins)
            elif self._resume is not None:
                self.step, nodes, _ = self._resume
                frontier = [Task(node, node) for node in nodes]
            else:
                if start is not None:
                    self.step = start.step
                resolved = await self._resolve_branches([START])
                frontier = self._hold_deferred(self._enter(self._router.entry(resolved)))
                if thread is not None:
                    thread.entered(self.step, self.state, frontier, self._router.joins_snapshot())
                    if thread.durability == "sync":
                        await self._synced()
            first_step = self._first_step = self.step
            while frontier:
                if thread is not None and not skip_before and thread.pause_before(frontier):
                    self._pause("before", frontier)
                    break
                skip_before = False
                if self.run._hold is not None and await self._held_by_stream():
                    self.resume_next = names(frontier)  # the consumer left between steps
                    break
                self.step += 1
                answers = self._start_step(frontier, pending)
                if self._take_answers(answers) and self._active:
                    await self._await_answers(answers)  # (no await if all have answered)
                if self.killed is not None:
                    if thread is not None:  # the nodes that finished are not run again
                        thread.partial(frontier, answers, self._given, {})
                    break
                if self._interrupts and "\0failed" not in answers:
                    self._cut_short(frontier, answers)
                    break
                hold = self.run._hold
                if (
                    hold is not None
                    and (hold.eager or len(frontier) > 1)
                    and "\0failed" not in answers
                    and await self._held_by_stream()
                ):
                    # the consumer left before the step was applied: as LangGraph's, the
                    # step is not applied; its tasks' writes are kept on the thread
                    if thread is not None:
                        thread.partial(frontier, answers, self._given, {})
                    break
                ran, pending = frontier, {}
                merged = self._merge_step(frontier, answers)
                # the conditional edges of the nodes that finished (user code, may await)
                branches = self.graph.branches
                resolved = await self._resolve_branches(merged[1]) if branches else {}
                frontier = self._route_step(frontier, answers, merged, resolved)
                if thread is not None and thread.durability == "sync":
                    await self._synced()  # the step's checkpoint is durable before the next
                if self.graph.deferred:
                    frontier = self._hold_deferred(frontier)
                if self._given:
                    self._given = {}
                if time.monotonic() - self._yielded_at > YIELD_EVERY:
                    # nodes that return at once never make this task wait: let the loop
                    # run (a stop from another thread, the window) every YIELD_EVERY s
                    await asyncio.sleep(0)
                    self._yielded_at = time.monotonic()
                # As LangGraph: the limit's last step runs and is applied, then the run
                # fails even if it would end there (a stopped run may end quietly).
                if self.step - first_step >= self.limit and (frontier or not self.stop_mode):
                    self.resume_next = names(frontier)  # the step the limit prevented
                    raise RunFailed(GraphRecursionError(recursion_message(self.limit)))
                if frontier and thread is not None and thread.pause_after(ran):
                    self._pause("after", frontier)
                    break
            status = self.ladder.status(paused=self._paused is not None)
        except RunFailed as failed:
            status, error = "failed", failed.error
        except HandOff as handoff:  # the step's updates are left to the parent's Command
            self.handoff = handoff.command
        except asyncio.CancelledError:  # kill_now cancelled us in the middle of user code
            status = "killed"
        except Exception as exc:  # a bug in a path function or in graphstage itself
            status, error = "failed", exc
        except BaseException as exc:  # never let it end the loop
            status, error = "failed", exit_error("the supervisor", exc)
        if self.killed is not None:
            status = "killed"
        await self._finish(status, error)

    async def _held_by_stream(self) -> bool:
        """``astream()``/``stream()`` holds the run (``graphstage._hold``): wait until its
        consumer has taken every chunk published so far. True if a stop or kill came
        meanwhile (the consumer left: ``break``), which ends the run here. Once a stop is
        in effect (it reached this step's nodes) nothing is held: the stop goes on as
        graphstage's does (its cleanup route runs), the consumer being gone or not."""
        if self.stop_mode is not None:
            return False
        run = self.run
        hold = run._hold
        assert hold is not None
        inbox = self._inbox
        try:
            while run.published_after(hold.read):
                hold.wake_with(lambda: inbox.put(Envelope(TAKEN, "")))
                try:
                    message = (await inbox.get()).message
                except asyncio.CancelledError:
                    if not self._cancelled_from_outside():
                        raise
                    return True  # stopped as stop() would
                if isinstance(message, StopRun):
                    self._on_stop(message)
                    return True
                if isinstance(message, KillRun):
                    return True
                # else the consumer took something (or an abandoned step's answer): look again
        finally:
            hold.wake_with(None)
        return False

    def _pause(self, kind: str, frontier: list[Task]) -> None:
        """Pause at a breakpoint: the run ends ``paused``; its thread goes on from here."""
        self._paused = kind
        self.resume_next = names(frontier)
        if self._thread is not None and kind != "interrupt":
            self._thread.pause(kind)  # type: ignore[arg-type]

    def _cut_short(self, tasks: list[Task], answers: dict[str, Any]) -> None:
        """A node interrupted: the step does not complete. The tasks that finished keep
        their writes in the thread's checkpoint; the step is run again on resume."""
        # the questions in the step's task order, as LangGraph gives them, not in the order
        # the nodes happened to ask (parallel subgraphs interrupt in any order)
        order = {t.id: i for i, t in enumerate(sorted(tasks, key=task_order))}
        self._interrupts = dict(
            sorted(self._interrupts.items(), key=lambda item: order.get(item[0], len(order)))
        )
        if self._thread is not None:
            self._thread.partial(tasks, answers, self._given, self._interrupts)
            # the result shows the finished tasks' writes applied, as LangGraph's does (in
            # its order: by task, not as they finished)
            writes = [
                (t.node, as_write(a.value))
                for t in in_task_order(tasks)
                if isinstance(a := answers.get(t.id), Finished)
            ]
            self.state = apply_writes(self.graph, self.state, writes)
        self.step -= 1
        self._pause("interrupt", tasks)
