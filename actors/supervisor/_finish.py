"""The end of a run: kill what is left, reap node tasks that outlive it, publish
``RunFinished`` once, wait for the journal's write and settle the run's result."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from .._errors import SurvivingTaskError, error_text
from .._events import NodeCancelled, RunFinished, RunStatus, StopRequested
from .._messages import Kill
from .._run import RunResult
from ._base import SupervisorBase, task_of

if TYPE_CHECKING:
    from ..executors import NodeHandle


class Finishing(SupervisorBase):
    """Settles the run, however it ended (in the supervisor's task, or in its done
    callback if the task ended without settling)."""

    async def _finish(self, status: RunStatus, error: BaseException | None) -> None:
        self._finishing = True
        if self._thread is not None:
            self._thread.ended()
            # the thread's checkpoints are on disk when the result is (awaited below, off
            # the loop), or the result names the write that failed
            landing = self._thread.saver.written()
            if landing is not None:
                self._pending_writes.append(landing)
        if self.killed is not None:  # published here, once, however the kill landed
            nodes = tuple(a.node for a in self._active.values())
            self._emit(StopRequested, mode="kill", reason=self.killed.reason, nodes=nodes)
        for key, active in list(self._active.items()):
            self._emit(
                NodeCancelled,
                node=active.node,
                step=self.step,
                how="killed",
                task=task_of(key, active),
            )
            actor = self._actors.get(key)
            if actor is not None:  # (none: its step failed before it was given one)
                actor.tell(Kill())
        self._active.clear()
        actors = self._each_actor()
        survivors = await self._reap(actors)
        survivors += [f"{a.spec.name} (its worker thread)" for a in actors if a.threads_running]
        if survivors and error is None:
            error = SurvivingTaskError(
                f"node(s) {', '.join(survivors)} did not end when cancelled and were abandoned "
                f"(a sync node's thread cannot be interrupted; an async node must not "
                f"swallow CancelledError)"
            )
        elif (
            error is None
            and status == "killed"
            and self.killed is None
            and self.ladder.escalated_unrouted
        ):
            error = TimeoutError(
                f"node(s) did not answer the stop within cancel_grace={self.graph.cancel_grace}s"
            )
        next_nodes = self.resume_next if status != "completed" else ()
        interrupts = tuple(i for items in self._interrupts.values() for i in items)
        if self._paused is None:
            interrupts = ()
        self._emit(
            RunFinished,
            status=status,
            values=self.state,
            next=next_nodes,
            steps=self.step,
            error=None if error is None else f"{type(error).__name__}: {error_text(error)}",
            interrupts=interrupts,
        )
        self._published_end = True
        self._ended = RunResult(
            run_id=self.run.run_id,
            status=status,
            state=self.state,
            path=tuple(self.path),
            error=error,
            next=next_nodes,
            interrupts=interrupts,
            handoff=self.handoff,
        )
        for write in self._pending_writes:  # off the loop: the writer thread writes
            try:
                await write
            except Exception as exc:
                if self.journal_error is None:
                    self.journal_error = exc
        self._inbox.close()
        self.run._settle(replace(self._ended, journal_error=self.journal_error))

    def on_task_done(self, task: asyncio.Task[None]) -> None:
        """The supervisor's task ended: if it did so without settling the run (a fault in
        ``_finish`` itself, or the task cancelled before its first line), settle it here,
        ``failed`` with what ended the task, so no caller waits for a result forever."""
        if self.run.done:
            return
        if self._ended is not None:
            # RunFinished is out: the task was cancelled while the journal wrote the end
            # (a loop shutting down). The run ended as published; its last rows are still
            # queued for the writer thread, which writes them (leaving the process too)
            self._inbox.close()
            self.run._settle(replace(self._ended, journal_error=self.journal_error))
            return
        error: BaseException
        if task.cancelled():
            error = RuntimeError("the run's supervisor task was cancelled before it settled")
        else:
            exc = task.exception()
            error = exc if exc is not None else RuntimeError("the supervisor ended unsettled")
        for actor in self._each_actor():
            actor.close()
            if actor.node_task is not None:
                actor.node_task.cancel()
        self._finishing = True
        if self._thread is not None:
            try:
                self._thread.ended()  # the thread may be continued again
            except Exception:  # the saver failed too: the settling below matters more
                pass
        try:
            self._emit(
                RunFinished,
                status="failed",
                values=self.state,
                next=self.resume_next,
                steps=self.step,
                error=f"{type(error).__name__}: {error_text(error)}",
            )
        except Exception:  # the run must settle whatever publishing does
            pass
        self._inbox.close()
        self.run._settle(
            RunResult(
                run_id=self.run.run_id,
                status="failed",
                state=self.state,
                path=tuple(self.path),
                error=error,
                next=self.resume_next,
                journal_error=self.journal_error,
            )
        )

    async def _reap(self, actors: list[NodeHandle]) -> list[str]:
        """Close every mailbox; keep cancelling node tasks that outlive the run, for up to
        ``kill_timeout``; return the names of those that survive it."""
        alive = []
        for actor in actors:
            actor.close()
            task = actor.node_task
            if task is not None and not task.done():
                alive.append(actor)
        deadline = self._loop.time() + self.graph.kill_timeout
        while alive and self._loop.time() < deadline:
            for actor in alive:
                actor.node_task.cancel()  # type: ignore[union-attr]
            await asyncio.sleep(0.001)
            alive = [a for a in alive if a.node_task and not a.node_task.done()]
        return [a.spec.name for a in alive]
