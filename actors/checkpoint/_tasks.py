"""A checkpoint's next-step tasks, and the writes of tasks that finished, as a saver stores
them and a continuation reads them back (LangGraph's pending writes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._command import Command, Send, Writes
from .._error_handler import Recovered
from .._messages import Finished
from .._routing import Task

if TYPE_CHECKING:
    from ._base import ThreadCheckpoint


NULL_TASK = "00000000-0000-0000-0000-000000000000"
"""The key of a checkpoint's writes that no task made: the updates and gotos of ``Command``
inputs given while the thread waits in that step (LangGraph's null task id), applied again
by every continuation of it until the step completes."""


def null_write(updates: list[Any], goto: tuple[Any, ...]) -> Any:
    """The stored write of the ``Command(update=..., goto=...)`` inputs given at a
    checkpoint."""
    update = updates[0] if len(updates) == 1 else Writes(updates) if updates else None
    return as_write(Command(update=update, goto=goto))


def null_inputs(checkpoint: ThreadCheckpoint) -> tuple[list[Any], tuple[Any, ...]]:
    """The updates (in order) and gotos of the ``Command`` inputs a checkpoint holds."""
    write = checkpoint.writes.get(NULL_TASK)
    if write is None:
        return [], ()
    command = as_answer(write).value
    update = command.update
    updates = list(update) if isinstance(update, Writes) else [] if update is None else [update]
    return updates, command.destinations


def as_write(value: Any) -> Any:
    """What a finished node returned, in a form a saver can store and ``as_answer`` reads
    (a node its error handler answered for: the handler's update, under its name)."""
    if isinstance(value, Recovered):
        write = as_write(value.value)
        write["handler"], write["error"] = value.handler, repr(value.error)
        return write
    if isinstance(value, Command):
        goto = [
            d if isinstance(d, str) else send_record(d, {"send": d.node, "arg": d.arg})
            for d in value.destinations
        ]  # a Send as JSON a durable saver keeps
        return {"update": value.update, "goto": goto, "command": True}
    return {"update": value, "command": False}


def send_record(send: Send, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` (a Send as a saver keeps it, JSON) with the Send's own timeout, if any."""
    if send.timeout is not None:
        record["timeout"] = send.timeout
    return record


def as_answer(write: Any) -> Finished:
    """A stored write as the answer of a node that need not run again."""
    value: Any
    if isinstance(write, Mapping) and write.get("command"):
        goto = tuple(
            Send(d["send"], d.get("arg"), timeout=d.get("timeout"))
            if isinstance(d, Mapping) and "send" in d
            else d
            for d in write["goto"]
        )
        update = write.get("update")
        if isinstance(update, list) and all(isinstance(u, Mapping) for u in update):
            update = Writes(update)  # several writes of one node, as JSON gave them back
        value = Command(update=update, goto=goto)
    else:
        value = write.get("update") if isinstance(write, Mapping) else write
    if isinstance(write, Mapping) and isinstance(write.get("handler"), str):
        # the node failed and its handler answered: applied as the handler's again
        value = Recovered(write["handler"], RuntimeError(write.get("error")), value)
    return Finished(value, False, 0.0)


def tasks_of(checkpoint: ThreadCheckpoint) -> list[Task]:
    """The next step's tasks a checkpoint records: its plain nodes (the first names of
    ``next``), then its Sends, each with its own input."""
    plain = checkpoint.next[: len(checkpoint.next) - len(checkpoint.sends)]
    tasks = [Task(node, node) for node in plain]
    tasks += [
        Task(s["id"], s["node"], Send(s["node"], s["arg"], timeout=s.get("timeout")), order)
        for s in checkpoint.sends
        for order in (s.get("order", 0),)
    ]
    return tasks
