"""A node's answer to its execution (``Finished``, ``Cancelled``, ``Failed``, an interrupt),
published as the matching event; a failure fails the step."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .._command import Command, Writes, combine, destinations_of, goto_names
from .._error_handler import Recovered
from .._errors import (
    InvalidUpdateError,
    NodeCancelledError,
    NodeTimeoutError,
    ParentCommand,
    error_text,
)
from .._events import NodeCancelled, NodeFailed, NodeFinished, NodeInterrupted
from .._interrupt import GraphInterrupt
from .._messages import Cancelled, Failed, Finished
from .._policies import Cached
from ._base import exit_error, task_of
from ._stopping import Stopping

_CACHED = (True,)  # NodeFinished.cached, given only for an answer from the cache


class Answers(Stopping):
    """Handles each answer of the current step as it arrives (in the supervisor's task)."""

    def _on_direct_answers(self, direct: list[Any], answers: dict[str, Any]) -> None:
        """The answers given on the supervisor's stack (task id, answer, task id, answer...,
        see ``NodeActor.kick``), in order. Nobody reads events as they come and no thread
        keeps the run: a plain dict update's ``NodeFinished`` records are made here with one
        clock read and published together (what ``_on_answer`` does for each)."""
        active = self._active
        pairs = iter(direct)
        run = self.run
        if self._sinks or run._tap is not None or self._thread is not None:
            for key, message in zip(pairs, pairs, strict=False):  # (task id, answer)
                if key in active:  # (not a sibling a failed answer just cancelled)
                    self._on_answer(key, message, answers)
            return
        records: list[tuple[Any, ...]] = []
        seq, step, clock = self._seq, self.step, time.time()
        unread = run._unread
        try:
            for key, message in zip(pairs, pairs, strict=False):
                if key not in active:
                    continue
                if type(message) is Finished and type(message.value) is dict:
                    done = active.pop(key)
                    answers[key] = message
                    if unread:
                        continue
                    # node, step, update, goto, answered_cancel, duration, task
                    records.append(
                        (
                            "NodeFinished",
                            seq,
                            clock,
                            done.node,
                            step,
                            message.value,
                            (),
                            message.answered_cancel,
                            message.duration,
                            key if done.send else None,
                        )
                    )
                    seq += 1
                    continue
                if records:  # (what is batched so far comes first)
                    self._seq = seq
                    run._events.extend(records)
                    records.clear()
                self._on_answer(key, message, answers)
                seq = self._seq
        finally:
            if records:
                self._seq = seq
                run._events.extend(records)
                if run._waiter is not None:
                    run._wake()

    def _restored(self, node: str, task: str | None, answer: Finished) -> None:
        """A task of a continued step that had finished before the step was cut short is not
        run again: its kept write is published as a ``NodeFinished`` marked ``cached``, as
        LangGraph's stream shows it (``{"node": update, "__metadata__": {"cached": True}}``).
        """
        value, shown = answer.value, node
        update: Any
        if isinstance(value, Recovered):  # its error handler's answer, under the handler
            shown, value = value.handler, value.value
        if isinstance(value, Command):
            update, goto = value.update, goto_names(destinations_of(node, value))
        else:
            update, goto = value, ()
        if isinstance(update, Writes):
            update = update.as_streamed()
        # node, step, update, goto, answered_cancel, duration, task, to_parent, cached
        self._emit_values(
            NodeFinished, shown, self.step, update, goto, False, 0.0, task, False, True
        )

    def _on_answer(self, key: str, message: Any, answers: dict[str, Any]) -> None:
        if type(message) is Finished and type(message.value) is dict:
            # the common answer, a plain dict update (checked with the step's others)
            active = self._active.pop(key)
            answers[key] = message
            # node, step, update, goto, answered_cancel, duration, task
            self._emit_values(
                NodeFinished,
                active.node,
                self.step,
                message.value,
                (),
                message.answered_cancel,
                message.duration,
                key if active.send else None,
            )
            if self._thread is not None:  # saved now, as below
                self._thread.finished(key, message.value, last=not self._active)
            return
        active = self._active.pop(key)
        node, task = active.node, task_of(key, active)
        if isinstance(message, Failed) and isinstance(message.error, ParentCommand):
            # a subgraph run inside this node handed its Command to this graph: the node
            # answered with it; told to stop, the hand-off came from the subgraph's answer
            # to that stop (its cleanup route), so the node answered the stop with it
            command = dataclasses.replace(message.error.command, graph=None)
            message = Finished(command, active.told_to_stop, message.duration)
        answers[key] = message
        step = self.step
        if isinstance(message, Finished):
            value = message.value
            cached = isinstance(value, Cached)
            if cached:  # answered from the cache: the value, marked in the event
                value = value.value
                message = answers[key] = message._replace(value=value)
            shown = node  # whose update it is: the node's, or its error handler's
            recovered = value if isinstance(value, Recovered) else None
            if recovered is not None:  # the node failed and its error handler answered
                error = recovered.error
                self._emit(
                    NodeFailed,
                    node=node,
                    step=step,
                    error_type=type(error).__name__,
                    error=error_text(error),
                    duration=message.duration,
                    task=task,
                )
                shown, value = recovered.handler, recovered.value
            try:
                if isinstance(value, list | tuple):  # a list of Commands: one Command
                    combined = combine(node, value)
                    if combined is not value:
                        value = combined
                        kept = value if recovered is None else replace(recovered, value=value)
                        message = answers[key] = message._replace(value=kept)
                update: Any
                if isinstance(value, Command):
                    update, goto = value.update, goto_names(destinations_of(node, value))
                else:
                    update, goto = value, ()
                if type(update) is dict or update is None:
                    pass  # checked with the step's other updates
                elif isinstance(update, Writes):
                    for each in update:
                        self.graph.schema.check_update(node, each)
                    update = update.as_streamed()
                elif not isinstance(update, Mapping):
                    self.graph.schema.check_update(node, update)  # a model instance, or raises
            except InvalidUpdateError as exc:  # named here, before any view sees the value
                self._node_failed(node, step, task, message.duration, answers, exc)
                return
            # node, step, update, goto, answered_cancel, duration, task, to_parent[, cached]
            self._emit_values(
                NodeFinished,
                shown,
                step,
                update,
                goto,
                message.answered_cancel,
                message.duration,
                task,
                isinstance(value, Command) and value.graph is not None,
                *_CACHED if cached else (),
            )
            if self._thread is not None and not (
                isinstance(value, Command) and value.graph == Command.PARENT
            ):  # saved now, not when the step ends: a process killed mid-step keeps it
                self._thread.finished(key, message.value, last=not self._active)
        elif isinstance(message, Cancelled):
            if self.stop_mode is None:  # not an answer to a stop: the node's own failure
                error = NodeCancelledError(
                    f"node '{node}' raised CancelledError though no stop was requested; "
                    f"a node must not cancel itself (raise another exception to fail)"
                )
                error.node = node
                self._node_failed(node, step, task, message.duration, answers, error)
            else:
                self._emit(
                    NodeCancelled,
                    node=node,
                    step=step,
                    how="reraised",
                    duration=message.duration,
                    task=task,
                )
        elif isinstance(message, Failed) and isinstance(message.error, GraphInterrupt):
            self._interrupts[key] = message.error.interrupts
            self._emit(
                NodeInterrupted,
                node=node,
                step=step,
                interrupts=message.error.interrupts,
                duration=message.duration,
            )
        elif isinstance(message, Failed):
            err = message.error
            if not isinstance(err, Exception):
                err = exit_error(node, err)
            if self._timed_out_to_cleanup(node, err):
                # its own timeout, not answered, retried nor handled: a timeout is a
                # Cancel to the node, so its on_cancel route runs as after a stop
                answers[key] = Cancelled(message.duration)
                self._emit(
                    NodeFailed,
                    node=node,
                    step=step,
                    error_type=type(err).__name__,
                    error=error_text(err),
                    duration=message.duration,
                    task=task,
                )
                return
            self._node_failed(node, step, task, message.duration, answers, err)

    def _timed_out_to_cleanup(self, node: str, error: BaseException) -> bool:
        return (
            isinstance(error, NodeTimeoutError)
            and error.node == node
            and self.graph.nodes[node].on_cancel is not None
        )

    def _node_failed(
        self,
        node: str,
        step: int,
        task: str | None,
        duration: float,
        answers: dict[str, Any],
        error: BaseException,
    ) -> None:
        """Publish that ``node`` (execution ``task``) failed with ``error``; fail the step."""
        self._emit(
            NodeFailed,
            node=node,
            step=step,
            error_type=type(error).__name__,
            error=error_text(error),
            duration=duration,
            task=task,
        )
        # what the thread records for it (an invalid update arrived as a Finished)
        answers[task or node] = Failed(error, duration)
        self._fail_step(node, answers, error)
