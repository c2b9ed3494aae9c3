"""The stop ladder's side in the supervisor: a stop or a kill from the run handle, Cancel to
the nodes it reaches, escalation when they do not answer in time, and a failed step.

The ladder itself (modes, who is cancelled, the final status) is ``_ladder.Ladder``, a pure
state machine; this layer owns *when* (mailboxes, deadlines) and tells the node actors."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from .._errors import NodeTimeoutError
from .._events import NodeCancelled, StopRequested
from .._messages import ESCALATED, Cancel, Envelope, Failed, Kill, KillRun, StopRun
from ._base import RunFailed, SupervisorBase, task_of


class Stopping(SupervisorBase):
    """Stop, kill and escalation: ``deliver`` and ``kill_now`` run on the loop's thread,
    called by the run handle; the rest in the supervisor's task."""

    def deliver(self, message: StopRun) -> None:
        if self._finishing:
            return
        self._inbox.put(Envelope(message, ""))
        if self._in_branches % 2 and not message.drain:
            # this task awaits an async path function: it reads the stop once that returns;
            # one that has not within cancel_grace is killed, as a node that does not answer
            grace = self.graph.cancel_grace
            self._loop.call_later(grace, self._branches_overdue, self._in_branches, grace)

    def _branches_overdue(self, wait: int, grace: float) -> None:
        if self._in_branches == wait:  # still in the same wait
            self.kill_now(
                KillRun(
                    f"a conditional edge did not return within cancel_grace={grace}s of the stop"
                )
            )

    def kill_now(self, message: KillRun) -> None:
        """Cancel every node task at once, then let the supervisor's task settle the run."""
        if self.killed is not None or self._finishing:
            return  # already killed, or settling: there is nothing left to kill
        self.killed = message
        self.ladder.kill()
        for actor in self._each_actor():
            actor.tell(Kill())
            task = actor.node_task
            if task is not None and not task.done():
                task.cancel()
        self._inbox.put(Envelope(message, ""))
        if self._in_user_code and self.task is not None:
            self.task.cancel()  # an async path function is running: it must not delay a kill

    def _cancelled_from_outside(self) -> bool:
        """This task was cancelled while waiting for answers. By ``kill_now``: let it end
        the run. By anyone else (``asyncio.run`` cancelling every task as it shuts down
        after the caller returned): absorb it and stop the run as ``stop()`` would, so the
        cleanup route still runs; a second such cancellation kills."""
        task = self.task
        if self.killed is not None or task is None:
            return False
        task.uncancel()
        if self.ladder.outside_cancel() == "kill":
            self.kill_now(KillRun("supervisor task cancelled again"))
        else:
            self._on_stop(StopRun(False, "supervisor task cancelled"))
        return True

    def _fail_step(self, node: str, answers: dict[str, Any], error: BaseException) -> None:
        """A node failed: the run fails; siblings still running are cancelled, not awaited."""
        for sibling, active in list(self._active.items()):
            actor = self._actors.get(sibling)
            if actor is not None:  # (none: its step failed before it was given one)
                actor.tell(Kill())
            self._emit(
                NodeCancelled,
                node=active.node,
                step=self.step,
                how="killed",
                task=task_of(sibling, active),
            )
            del self._active[sibling]
            # as LangGraph's async runner records a sibling it cancels (it runs again)
            answers[sibling] = Failed(asyncio.CancelledError(), 0.0)
        answers["\0failed"] = RunFailed(error, node)

    def _on_stop(self, message: StopRun) -> None:
        mode = self.ladder.ask(message.drain)
        if mode is None:
            return
        told: list[str] = []
        if mode == "graceful":
            deadline = self._loop.time() + self.graph.cancel_grace
            actives = self._active
            for key, active in actives.items():
                if self.ladder.cancels(active.shielded, active.told_to_stop):
                    # its own record (a step's Sends of one node share one until told)
                    actives[key] = replace(active, told_to_stop=True, deadline=deadline)
                    self._timed = True
                    self._actors[key].tell(Cancel(message.reason))
                    told.append(active.node)
        self._emit(
            StopRequested,
            mode=self.stop_mode,
            reason=message.reason,
            grace=0.0 if message.drain else self.graph.cancel_grace,
            nodes=tuple(told),
        )

    def _escalate_due(self, answers: dict[str, Any]) -> None:
        now = self._loop.time()
        for key, active in list(self._active.items()):
            if active.deadline <= now:
                del self._active[key]
                node = active.node
                self._actors[key].tell(Kill())
                self._emit(
                    NodeCancelled,
                    node=node,
                    step=self.step,
                    how="escalated",
                    task=task_of(key, active),
                )
                if active.shielded:
                    answers["\0failed"] = RunFailed(
                        NodeTimeoutError(
                            f"cleanup node '{node}' did not finish within "
                            f"cleanup_timeout={self.graph.cleanup_timeout}s"
                        ),
                        node,
                    )
                else:
                    answers[key] = ESCALATED
