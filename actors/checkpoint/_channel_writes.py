"""A checkpoint's pending writes as LangGraph's ``CheckpointTuple.pending_writes`` shows
them: ``(task_id, channel, value)`` triples, a state field's name as the channel, and
LangGraph's own channels for the rest (``__interrupt__``, ``__resume__``, ``__error__``,
``__pregel_tasks`` for a ``Send``, ``branch:to:<node>`` for a ``Command``'s goto).

graphstage keeps a task's write whole (``ThreadCheckpoint.writes``: what the node
returned); this only spells it out for a reader. Task ids are graphstage's (the node's
name, ``"node[i]"`` for a Send), not LangGraph's UUIDs; the triggers LangGraph writes for
edges (``branch:to:<node>`` of a plain or conditional edge) are not listed (a saver does
not know the graph's edges), nor LangGraph's run-wide ``__resume__`` write (under its null
task id): each task's answers are its own ``__resume__`` write.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .._command import Send

if TYPE_CHECKING:
    from ._base import ThreadCheckpoint

ChannelWrite = tuple[str, str, Any]
"""One write: the task that made it, the channel (a state field), the value."""

INTERRUPT, RESUME, ERROR, TASKS = "__interrupt__", "__resume__", "__error__", "__pregel_tasks"


def channel_writes(checkpoint: ThreadCheckpoint) -> list[ChannelWrite]:
    """Every pending write of ``checkpoint``, each task's together (its answers, its
    questions, its state writes in the order it made them, its goto, its error), tasks in
    the order they finished."""
    tasks = dict.fromkeys([*checkpoint.writes, *checkpoint.interrupts, *checkpoint.errors])
    out: list[ChannelWrite] = []
    for task in tasks:
        write = checkpoint.writes.get(task)
        if task in checkpoint.answers:  # a task still waiting: the answers so far
            out.append((task, RESUME, list(checkpoint.answers[task])))
        elif isinstance(write, Mapping) and write.get("resume"):  # a task that finished
            out.append((task, RESUME, list(write["resume"])))
        if task in checkpoint.interrupts:
            out.append((task, INTERRUPT, list(checkpoint.interrupts[task])))
        if isinstance(write, Mapping):
            out += [(task, key, value) for key, value in _fields(write.get("update"))]
            out += [(task, *_goto(target)) for target in write.get("goto") or ()]
        if task in checkpoint.errors:
            out.append((task, ERROR, checkpoint.errors[task]))
    return out


def _fields(update: Any) -> list[tuple[str, Any]]:
    """The (field, value) writes of a node's update: a dict, a list of pairs or of dicts
    (``Command(update=[(key, value), ...])``), a returned model or dataclass."""
    if update is None:
        return []
    if isinstance(update, Mapping):
        return [(str(k), v) for k, v in update.items()]
    if isinstance(update, list | tuple):
        out: list[tuple[str, Any]] = []
        for item in update:
            if isinstance(item, Mapping):
                out += [(str(k), v) for k, v in item.items()]
            elif isinstance(item, list | tuple) and len(item) == 2:
                out.append((str(item[0]), item[1]))
        return out
    if isinstance(update, BaseModel):
        return [(k, getattr(update, k)) for k in update.model_fields_set]
    if dataclasses.is_dataclass(update) and not isinstance(update, type):
        return [(f.name, getattr(update, f.name)) for f in dataclasses.fields(update)]
    return []


def _goto(target: Any) -> tuple[str, Any]:
    if isinstance(target, Mapping) and "send" in target:  # a Send as a saver keeps it
        return TASKS, Send(target["send"], target.get("arg"), timeout=target.get("timeout"))
    return f"branch:to:{target}", None
