"""An entrypoint run's stream chunks, as LangGraph streams an entrypoint's.

The run is a one-node graph's, whose state holds ``input``, ``output`` and ``previous``;
its tasks report through the node's custom output (``TaskStarted``, ``TaskUpdate``).
``Chunks`` turns the graph's chunks into LangGraph's: ``updates`` shows each task's result
as ``{task: value}`` and the function's as ``{entrypoint: value}``; ``values`` the value
(only once the function has returned, or first the thread's value when a run continues
it); ``tasks`` and ``debug`` each task call as a push task with its ``input`` (its
arguments) and ``result`` (``{"__return__": value}``), the entrypoint as the task
triggered by ``__start__`` whose result is ``{"__end__": value}``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from ._codec import decode
from ._execution import TaskStarted, TaskUpdate

INTERRUPT = "__interrupt__"


class Chunks:
    """The translation of one stream (made per ``astream`` call)."""

    def __init__(self, name: str, modes: list[str], *, resuming: bool) -> None:
        self.name = name
        self.modes = modes
        # the values stream shows the value: at once when the run continues a thread,
        # else once the function has returned (the node's update has come)
        self.shown = resuming
        # the entrypoint's step, as its debug chunks give it (its tasks' chunks carry it)
        self.step = 0

    def translate(self, mode: str, chunk: Any) -> Iterator[tuple[str, Any]]:
        """The chunks LangGraph gives for one chunk of the graph (none, one or more)."""
        modes = self.modes
        if mode == "custom":
            if isinstance(chunk, TaskStarted | TaskUpdate):
                yield from self._task(chunk)
            elif "custom" in modes:
                yield mode, chunk
        elif mode == "updates":
            for node, update in chunk.items():
                if node == self.name:
                    self.shown = True
                if mode not in modes:
                    continue
                if node == INTERRUPT:
                    yield mode, {node: update}
                elif node == self.name and isinstance(update, Mapping):
                    yield mode, {node: decode(update.get("output"))}
        elif mode == "values":
            value = decode(chunk.get("output")) if isinstance(chunk, Mapping) else chunk
            if isinstance(chunk, Mapping) and INTERRUPT in chunk:
                ints = chunk[INTERRUPT]
                yield (
                    mode,
                    {**value, INTERRUPT: ints} if isinstance(value, dict) else {INTERRUPT: ints},
                )
            elif self.shown:
                yield mode, value
        elif mode == "tasks":
            yield mode, self._own(chunk)
        elif mode == "debug":
            if isinstance(chunk, Mapping) and chunk.get("type") in ("task", "task_result"):
                self.step = chunk.get("step", self.step)
                yield mode, {**chunk, "payload": self._own(chunk.get("payload"))}
            else:
                yield mode, map_values(chunk)
        elif mode == "checkpoints":
            yield mode, map_values(chunk)
        else:
            yield mode, chunk

    def _own(self, payload: Any) -> Any:
        """The entrypoint's own task, as LangGraph shows it."""
        if not isinstance(payload, Mapping) or payload.get("name") != self.name:
            return payload
        if "input" in payload:
            given = payload["input"]
            value = given.get("input") if isinstance(given, Mapping) else given
            return {**payload, "input": value, "triggers": ("__start__",)}
        result = payload.get("result")
        if isinstance(result, Mapping) and "output" in result:
            return {**payload, "result": {"__end__": decode(result["output"])}}
        return payload

    def _task(self, event: TaskStarted | TaskUpdate) -> Iterator[tuple[str, Any]]:
        modes = self.modes
        if isinstance(event, TaskStarted):
            kind = "task"
            payload: dict[str, Any] = {
                "id": event.id,
                "name": event.name,
                "input": (event.args, event.kwargs),
                "triggers": ("__pregel_push",),
            }
        else:
            if event.error is None and "updates" in modes:
                update = {event.name: event.value}
                if event.cached:
                    update["__metadata__"] = {"cached": True}
                yield "updates", update
            if not event.id:
                return
            kind = "task_result"
            payload = {
                "id": event.id,
                "name": event.name,
                "error": event.error,
                "result": {} if event.error is not None else {"__return__": event.value},
                "interrupts": [],
            }
        if "tasks" in modes:
            yield "tasks", payload
        if "debug" in modes:
            now = datetime.datetime.now(datetime.UTC).isoformat()
            yield "debug", {"step": self.step, "timestamp": now, "type": kind, "payload": payload}


def map_values(chunk: Any) -> Any:
    """A checkpoints/debug chunk with the entrypoint's value as its ``values``."""
    if isinstance(chunk, Mapping):
        if isinstance(chunk.get("payload"), Mapping):
            return {**chunk, "payload": map_values(chunk["payload"])}
        if isinstance(chunk.get("values"), Mapping):
            return {**chunk, "values": decode(chunk["values"].get("output"))}
    return chunk
