"""A checkpoint's next-step tasks, and the writes of tasks that finished, as a saver stores
them and a continuation reads them back (LangGraph's pending writes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._command import Command, Send
from .._messages import Finished
from .._routing import Task

if TYPE_CHECKING:
    from ._base import ThreadCheckpoint


def as_write(value: Any) -> Any:
    """What a finished node returned, in a form a saver can store and ``as_answer`` reads."""
    if isinstance(value, Command):
        return {"update": value.update, "goto": list(value.destinations), "command": True}
    return {"update": value, "command": False}


def as_answer(write: Any) -> Finished:
    """A stored write as the answer of a node that need not run again."""
    if isinstance(write, Mapping) and write.get("command"):
        return Finished(Command(update=write.get("update"), goto=tuple(write["goto"])), False, 0.0)
    update = write.get("update") if isinstance(write, Mapping) else write
    return Finished(update, False, 0.0)


def tasks_of(checkpoint: ThreadCheckpoint) -> list[Task]:
    """The next step's tasks a checkpoint records: its plain nodes (the first names of
    ``next``), then its Sends, each with its own input."""
    plain = checkpoint.next[: len(checkpoint.next) - len(checkpoint.sends)]
    tasks = [Task(node, node) for node in plain]
    tasks += [
        Task(s["id"], s["node"], Send(s["node"], s["arg"]), s.get("order", 0))
        for s in checkpoint.sends
    ]
    return tasks
