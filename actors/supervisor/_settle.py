"""Between steps: merge the step's updates in LangGraph's order, resolve conditional edges,
choose the next step, publish the transitions and tell the thread's checkpoint."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from typing import Any

from .._command import Command, Send, Writes
from .._error_handler import Recovered
from .._errors import InvalidUpdateError, UnknownNodeError
from .._events import StateUpdated, Transition
from .._messages import Finished
from .._routing import Resolved, Route, StepRoutes, Task, in_task_order
from ._base import HandOff, RunFailed, SupervisorBase, exit_error, names

Merged = tuple[
    dict[str, tuple[str | Send, ...]], dict[str, None], dict[str, Any], dict[str, list[Any]]
]
"""What ``_merge_step`` returns: gotos, the finished nodes, the fields set, the appends."""


class Settling(SupervisorBase):
    """From one step's answers to the next step's frontier (in the supervisor's task)."""

    def _merge_step(self, tasks: list[Task], answers: dict[str, Any]) -> Merged:
        """Merge the step's updates into the run's state; return the finished tasks'
        Command destinations (task id -> destinations), the nodes that finished, and the
        step's delta (the fields set, the items appended).

        Updates are merged in LangGraph's order (``task_order``: nodes reached by edges by
        name, then Sends as they were made), not in answer order, so fan-out is
        deterministic; routing (``_route_step``, after the finished nodes' conditional
        edges ran) then reads the merged state, as LangGraph's edges do.
        """
        if len(tasks) == 1:
            key, node = tasks[0][0], tasks[0][1]
            answer = answers.get(key)
            if type(answer) is Finished and type(answer.value) is dict:
                return self._merge_one(key, node, answer.value)
        failed = answers.get("\0failed")
        if isinstance(failed, RunFailed):
            if self._thread is not None:  # as LangGraph: the finished tasks' writes are kept
                self._thread.partial(tasks, answers, self._given, {})
            raise failed
        ordered = in_task_order(tasks)
        schema = self.graph.schema
        channels = schema.channels.keys()
        updates: list[tuple[str, Any]] = []
        gotos: dict[str, tuple[str | Send, ...]] = {}
        finished: dict[str, None] = {}
        invalid: RunFailed | None = None  # raised once no Command hands off to the parent
        for key, node, _, _ in ordered:
            answer = answers.get(key)
            if type(answer) is not Finished:
                continue
            value = answer.value
            writer = node
            if type(value) is dict:  # the usual answer: an update of known fields
                gotos[key] = ()
                finished[node] = None
                if value and channels >= value.keys():
                    updates.append((node, value))  # (merging never changes it)
                    continue
                update: Any = value
            else:
                if isinstance(value, Recovered):  # its error handler's update and goto
                    writer, value = value.handler, value.value
                else:  # its conditional edges are resolved (a failed node's are not)
                    finished[node] = None
                if isinstance(value, Command):
                    if value.graph == Command.PARENT and answer.value is value:
                        raise HandOff(value)
                    update, gotos[key] = value.update, value.destinations
                else:
                    update, gotos[key] = value, ()
            if invalid is not None:
                continue
            try:
                for each in update if isinstance(update, Writes) else (update,):
                    checked = schema.check_update(writer, each)
                    if checked:
                        updates.append((writer, checked))
            except InvalidUpdateError as exc:
                invalid = RunFailed(exc, node)
        if invalid is not None:
            raise invalid
        try:
            self.state, changed, appended = schema.merge(self.state, updates)
        except InvalidUpdateError as exc:
            raise RunFailed(exc) from None
        return gotos, finished, changed, appended

    def _merge_one(self, key: str, node: str, update: dict[str, Any]) -> Merged:
        """``_merge_step`` for the common step: one node that returned a plain dict."""
        schema = self.graph.schema
        try:
            done = schema.merge_one(self.state, node, update)
        except InvalidUpdateError as exc:
            raise RunFailed(exc) from None
        if done is not None:
            self.state, changed, appended = done
            return {key: ()}, {node: None}, changed, appended
        try:
            checked = schema.check_update(node, update)
        except InvalidUpdateError as exc:
            raise RunFailed(exc, node) from None
        try:
            self.state, changed, appended = schema.merge(
                self.state, [(node, checked)] if checked else []
            )
        except InvalidUpdateError as exc:
            raise RunFailed(exc) from None
        return {key: ()}, {node: None}, changed, appended

    def _route_step(
        self, tasks: list[Task], answers: dict[str, Any], merged: Merged, resolved: Resolved
    ) -> list[Task]:
        """Choose the next step (``resolved``: the finished nodes' conditional edges'
        answers), publish the step's checkpoint and transitions; return the next step."""
        gotos, _, changed, appended = merged
        stopped = self.ladder.mode is not None
        if not stopped and len(tasks) == 1 and self._thread is None:
            straight = self._router.straight(tasks[0], answers, gotos)
            if straight is not None:  # a chain's step: what the general path below does
                routes, following = straight
                self.ladder.routed(False, bool(following))
                # step, update, appended, next
                self._emit_values(
                    StateUpdated,
                    self.step,
                    changed,
                    appended or None,
                    (following[0].node,) if following else (),
                )
                self._publish_routes(routes, False)
                return list(following)
        try:
            step = self._router.after_step(
                tasks,
                answers,
                gotos,
                resolved,
                self.step,
                stopped=stopped,
                shielded=self._step_shielded,
            )
        except UnknownNodeError as exc:
            raise RunFailed(exc) from None
        frontier = names(step.frontier)
        if stopped:
            self.resume_next = frontier or tuple(step.resume_next)
        self.ladder.routed(step.escalated_unrouted, goes_on=bool(step.frontier))
        # step, update, appended, next
        self._emit_values(
            StateUpdated,
            self.step,
            changed,
            appended or None,
            self.resume_next if stopped else frontier,
        )
        if self._thread is not None:
            if (
                stopped
                and not step.frontier
                and any(not isinstance(answers.get(t.id), Finished) for t in tasks)
            ):  # a stop left nodes unfinished: the step is run again on resume
                self._thread.partial(tasks, answers, self._given, {})
            else:
                nxt = step.frontier or [Task(n, n) for n in step.resume_next]
                self._thread.stepped(
                    self.step,
                    self.state,
                    nxt,
                    self._router.joins_snapshot(),
                    ran=[t.node for t in tasks],
                )
        self._publish_routes(step.routes, stopped)
        return step.frontier

    async def _synced(self) -> None:
        """``durability="sync"``: wait until the checkpoints taken so far are durable (an
        in-memory saver's are at once). A kill cancels the wait; a write the saver could not
        make ends nothing: it is named in ``RunResult.journal_error``, as for the default."""
        assert self._thread is not None
        landing = self._thread.saver.written()
        if landing is None:
            return
        self._in_user_code = True  # so that a kill cancels this wait (kill_now)
        try:
            await landing
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self.journal_error is None:
                self.journal_error = exc
        finally:
            self._in_user_code = False

    def _hold_deferred(self, frontier: list[Task]) -> list[Task]:
        """Hold back ``add_node(defer=True)`` nodes while anything else is left to run;
        run them (each once) when nothing else is, as LangGraph's deferred nodes."""
        deferred = self.graph.deferred
        if not deferred:
            return frontier
        ready = [t for t in frontier if t.node not in deferred or t.send is not None]
        held_ids = {t.id for t in self._held}
        self._held.extend(t for t in frontier if t not in ready and t.id not in held_ids)
        if ready:
            return ready
        held, self._held = self._held, []
        return held

    async def _resolve_branches(self, nodes: Iterable[str]) -> Resolved:
        """Run the conditional edges of ``nodes``, if they have any. They are user code:
        a kill cancels the supervisor's task while it waits here, so an async path
        function cannot delay it; any exception they raise fails the run."""
        branching = [n for n in nodes if n in self.graph.branches]
        if not branching:
            return {}
        self._in_user_code = True
        self._in_branches += 1  # odd while awaiting them: a stop's timer checks it
        try:
            view = self.graph.state_view(self.state, self.step - self._first_step, self.limit)
            return await self._router.resolve(branching, view)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise RunFailed(exc) from None
        except BaseException as exc:  # SystemExit from a path function: fail the run only
            raise RunFailed(exit_error("a conditional edge", exc)) from None
        finally:
            self._in_user_code = False
            self._in_branches += 1

    def _enter(self, entry: StepRoutes) -> list[Task]:
        self._publish_routes(entry.routes, False)
        return entry.frontier

    def _publish_routes(self, routes: Sequence[Route], stopped: bool) -> None:
        at = self.step
        run = self.run
        if self._sinks or run._tap is not None:
            emit = self._emit_values
            for src, dst, reason, branch, src_step, _, task in routes:
                # src, dst, reason, step, after_stop, branch, task
                step = at if src_step is None else src_step
                emit(Transition, src, dst, reason, step, stopped, branch, task)
            return
        if run._unread:
            return
        # nobody reads events as they come: the step's transitions as records, at once
        # (what _emit_values does for one, without a call and a clock read for each)
        seq = self._seq
        now = time.time()
        records = [
            # src, dst, reason, step, after_stop, branch, task
            (
                "Transition",
                seq + i,
                now,
                src,
                dst,
                reason,
                at if step is None else step,
                stopped,
                branch,
                task,
            )
            for i, (src, dst, reason, branch, step, _, task) in enumerate(routes)
        ]
        self._seq = seq + len(records)
        run._events.extend(records)
        if run._waiter is not None:
            run._wake()
