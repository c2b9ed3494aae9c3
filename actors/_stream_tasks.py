"""The ``tasks`` and ``debug`` stream modes: each node execution's start and result, in
LangGraph's shapes (without a checkpointer, LangGraph's ``debug`` shows only these too)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ._events import Event, NodeFailed, NodeFinished, NodeStarted


class TaskView:
    """Turns NodeStarted / NodeFinished / NodeFailed into task payloads."""

    def __init__(self) -> None:
        # (step, task key) -> the id LangGraph-style payloads carry for that execution
        self._ids: dict[tuple[int, str], str] = {}

    def payload(
        self,
        event: Event,
        values: dict[str, Any],
        update_of: Callable[[Any], Any],
        input_of: Callable[[dict[str, Any]], Any],
    ) -> tuple[str, dict[str, Any]] | None:
        """``("task" | "task_result", payload)`` for a node event, else None. ``values`` is
        the state the step started from (the node's input, for a node reached by an edge);
        ``update_of`` turns a node's update into a dict, ``input_of`` values into the
        state's type."""
        if isinstance(event, NodeStarted):
            key = (event.step, event.task or event.node)
            task_id = self._ids[key] = str(uuid.uuid4())
            return "task", {
                "id": task_id,
                "name": event.node,
                "input": input_of(values),
                "triggers": (f"branch:to:{event.node}",),
            }
        if isinstance(event, NodeFinished | NodeFailed):
            task_id = self._ids.pop((event.step, event.task or event.node), "")
            if isinstance(event, NodeFailed):
                error: str | None = f"{event.error_type}({event.error!r})"
                result: Any = {}
            else:
                error, update = None, update_of(event.update)
                result = update if update is not None else {}
            return "task_result", {
                "id": task_id,
                "name": event.node,
                "error": error,
                "result": result,
                "interrupts": [],
            }
        return None


def debug_chunk(event: Event, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A ``debug`` chunk: a task or checkpoint payload with its step, time and type."""
    step = payload["metadata"]["step"] if kind == "checkpoint" else getattr(event, "step", 0)
    return {
        "step": step,
        "timestamp": datetime.fromtimestamp(event.time, UTC).isoformat(),
        "type": kind,
        "payload": payload,
    }


class CheckpointView:
    """The ``checkpoints`` mode: the checkpoints a run's thread saved, in LangGraph's payload
    shape, each shown once the step it follows has been streamed. Without a thread (no
    checkpointer) there are none, as in LangGraph."""

    def __init__(self, thread: Any) -> None:
        # the run's Thread (graphstage.checkpoint), or None
        self._thread = thread
        # ids of the checkpoints already shown
        self._shown: set[str] = set()

    def due(self, event: Event) -> list[dict[str, Any]]:
        """Payloads of this run's checkpoints up to the step ``event`` closes."""
        thread = self._thread
        if thread is None:
            return []
        kind = getattr(event, "kind", "")
        if kind == "state_updated":
            upto = getattr(event, "step", 0)
        elif kind == "node_started" and getattr(event, "step", 0) == 1:
            upto = 0  # the input and entry checkpoints precede the first step
        elif kind == "run_finished":
            upto = None
        else:
            return []
        config = {"configurable": {"thread_id": thread.thread_id, "checkpoint_ns": thread.ns}}
        mine = [c for c in thread.saver.list(config) if c.run_id == thread.run_id]
        out = []
        for cp in reversed(mine):  # oldest first
            if cp.checkpoint_id in self._shown or (upto is not None and cp.step > upto):
                continue
            self._shown.add(cp.checkpoint_id)
            out.append(
                {
                    "config": cp.config,
                    "parent_config": cp.parent_config,
                    "values": dict(cp.values),
                    "metadata": cp.metadata,
                    "next": list(cp.next),
                    "tasks": [
                        {
                            "id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{cp.checkpoint_id}/{n}")),
                            "name": n,
                            "interrupts": (),
                            "state": None,
                        }
                        for n in cp.next
                    ],
                }
            )
        return out
