"""The ``tasks`` and ``debug`` stream modes: each node execution's start and result, in
LangGraph's shapes (without a checkpointer, LangGraph's ``debug`` shows only these too)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ._events import Event, NodeFailed, NodeFinished, NodeInterrupted, NodeStarted
from .state.fields import MISSING

if TYPE_CHECKING:
    from ._run import Run

T = TypeVar("T")

PUSH_TRIGGERS = ("__pregel_push",)
"""A ``Send``'s task triggers, as LangGraph names them."""
HIDDEN_METADATA = frozenset(
    {
        "thread_id",
        "checkpoint_id",
        "checkpoint_ns",
        "checkpoint_map",
        "langgraph_step",
        "langgraph_node",
        "langgraph_triggers",
        "langgraph_path",
        "langgraph_checkpoint_ns",
    }
)
"""Metadata keys LangGraph leaves out of a task payload (they repeat the task's fields)."""


def listing_order(starts: list[T], event_of: Callable[[T], NodeStarted]) -> list[T]:
    """One step's task starts as LangGraph lists them (``prepare_next_tasks``): the Sends
    first, in the order they were made, then the nodes reached by edges, by name.
    graphstage starts them (and its events, journal and window show them) in its own
    order: edge-reached nodes in edge order, then the Sends."""
    if len(starts) < 2:
        return starts
    return sorted(starts, key=lambda item: _listing_key(event_of(item)))


def _listing_key(event: NodeStarted) -> tuple[int, str]:
    return (0, "") if event.task is not None else (1, event.node)


async def listed(run: Run) -> AsyncIterator[Event]:
    """``run.events()`` with each step's ``NodeStarted`` events in ``listing_order``. A
    step publishes its starts together, before any of them runs, so the group is complete
    once no later event is published yet: nothing is held back waiting for the run."""
    group: list[NodeStarted] = []
    async for event in run.events():
        if group and not (isinstance(event, NodeStarted) and event.step == group[0].step):
            for start in listing_order(group, _same):
                yield start
            group = []
        if not isinstance(event, NodeStarted):
            yield event
            continue
        group.append(event)
        if not run.published_after(event.seq):
            for start in listing_order(group, _same):
                yield start
            group = []
    for start in listing_order(group, _same):
        yield start


def _same(event: NodeStarted) -> NodeStarted:
    return event


class TaskView:
    """Turns NodeStarted / NodeFinished / NodeFailed into task payloads.

    ``graph`` (the compiled graph, when known) gives each node's triggers (LangGraph's
    channel names: ``branch:to:NODE``, one ``join:A+B:NODE`` per join into it) and the
    metadata of ``add_node(metadata=...)``; ``config`` the run's own metadata and tags.
    """

    def __init__(self, graph: Any = None, config: Mapping[str, Any] | None = None) -> None:
        # (step, task key) -> the id LangGraph-style payloads carry for that execution
        self._ids: dict[tuple[int, str], str] = {}
        # node -> its triggers, for nodes a join leads to (others: ("branch:to:NODE",))
        self._triggers: dict[str, tuple[str, ...]] = {}
        for sources, dst in getattr(graph, "joins", ()):
            known = self._triggers.get(dst, (f"branch:to:{dst}",))
            self._triggers[dst] = tuple(sorted({*known, f"join:{'+'.join(sources)}:{dst}"}))
        config = config or {}
        # what every task's metadata starts from: the run's metadata (its user tags last)
        self._shared: dict[str, Any] = dict(config.get("metadata") or {})
        self._tags = [t for t in config.get("tags") or () if not t.startswith("seq:step")]
        # node -> its add_node(metadata=...), which adds to (and wins over) the run's
        self._own: dict[str, dict[str, Any]] = dict(
            getattr(getattr(graph, "builder", None), "metadata", None) or {}
        )

    def payload(
        self,
        event: Event,
        values: dict[str, Any],
        update_of: Callable[[Any], Any],
        input_of: Callable[[dict[str, Any]], Any],
    ) -> tuple[str, dict[str, Any]] | None:
        """``("task" | "task_result", payload)`` for a node event, else None. A task's input
        is what the node was given (``NodeStarted.input``: its view of the state, or a
        Send's argument) when the run carries it, else ``values``, the state the step
        started from, as the state's type (``input_of``); ``update_of`` turns a node's
        update into a dict."""
        if isinstance(event, NodeStarted):
            node = event.node
            key = (event.step, event.task or node)
            task_id = self._ids[key] = str(uuid.uuid4())
            payload = {
                "id": task_id,
                "name": node,
                "input": event.input if event.input is not None else input_of(values),
                "triggers": (
                    PUSH_TRIGGERS
                    if event.task is not None
                    else self._triggers.get(node) or (f"branch:to:{node}",)
                ),
            }
            meta = {**self._shared, **self._own.get(node, {})}
            meta = {k: v for k, v in meta.items() if k not in HIDDEN_METADATA}
            if self._tags:
                meta["tags"] = list(self._tags)
            if meta:  # as LangGraph: no "metadata" key when there is none
                payload["metadata"] = meta
            return "task", payload
        if isinstance(event, NodeInterrupted):
            task_id = self._ids.pop((event.step, event.node), "")
            return "task_result", {
                "id": task_id,
                "name": event.node,
                "error": None,
                "result": {},
                "interrupts": [dataclasses.asdict(i) for i in event.interrupts],
            }
        if isinstance(event, NodeFinished | NodeFailed):
            key = (event.step, event.task or event.node)
            if key not in self._ids:  # a kept write of a continued step: no task of the run
                return None
            task_id = self._ids.pop(key)
            if isinstance(event, NodeFailed):
                error: str | None = f"{event.error_type}({event.error!r})"
                result: Any = {}
            else:
                error, update = None, update_of(event.update)
                if isinstance(update, list):  # several writes (a key written twice)
                    update = folded_writes(update)
                result = update if update is not None else {}
            return "task_result", {
                "id": task_id,
                "name": event.node,
                "error": error,
                "result": result,
                "interrupts": [],
            }
        return None


def folded_writes(writes: list[dict[str, Any]]) -> dict[str, Any]:
    """A task's writes as LangGraph's task result: ``{key: value}``, or for a key written
    more than once ``{key: {"$writes": [value, ...]}}``, keys in order of first write."""
    result: dict[str, Any] = {}
    for write in writes:
        for key, value in write.items():
            existing = result.get(key)
            if existing is None:  # as LangGraph: a None first write is replaced, not kept
                result[key] = value
            elif isinstance(existing, dict) and isinstance(existing.get("$writes"), list):
                existing["$writes"].append(value)
            else:
                result[key] = {"$writes": [existing, value]}
    return result


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

    def __init__(self, thread: Any, schema: Any = None) -> None:
        """``schema`` (the graph's ``StateSchema``) gives an input checkpoint's reducer
        fields their empty values, as LangGraph's channels show them (``{'log': []}``)."""
        # the run's Thread (graphstage.checkpoint), or None
        self._thread = thread
        self._schema = schema
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
        trail = getattr(thread, "trail", None)  # durability="exit": taken, not yet saved
        if trail is not None:
            mine = trail[::-1]
        else:
            mine = [c for c in thread.saver.list(config) if c.run_id == thread.run_id]
        # durability="exit": none of them is saved but the last, whose parent is the
        # thread's previous saved checkpoint, as LangGraph shows every one of them
        exit_parent = getattr(thread, "_exit_parent", None) if trail is not None else None
        out = []
        for cp in reversed(mine):  # oldest first
            if cp.checkpoint_id in self._shown or (upto is not None and cp.step > upto):
                continue
            self._shown.add(cp.checkpoint_id)
            shown = cp if exit_parent is None else replace(cp, parent_id=exit_parent[0])
            out.append(
                {
                    "config": cp.config,
                    "parent_config": shown.parent_config,
                    "values": self._values(cp),
                    "metadata": cp.metadata,
                    "next": list(cp.next),
                    "tasks": self._tasks(cp),
                }
            )
        return out

    def _tasks(self, checkpoint: Any) -> list[dict[str, Any]]:
        """The checkpoint's next tasks as ``get_state_history`` shows them (the same ids, a
        subgraph node's ``state`` naming its checkpoints' namespace), in LangGraph's debug
        payload shape."""
        from .checkpoint._state import snapshot  # the state layer imports this module

        graph = getattr(self._thread, "graph", None)
        if graph is None:
            return []
        tasks = snapshot(graph, checkpoint, checkpoint.config, live=False).tasks
        return [{"id": t.id, "name": t.name, "interrupts": (), "state": t.state} for t in tasks]

    def _values(self, checkpoint: Any) -> dict[str, Any]:
        values = dict(checkpoint.values)
        channels = getattr(self._schema, "channels", None)
        if checkpoint.source != "input" or not channels:
            return values
        # a new thread's input checkpoint holds no values yet (its input is START's
        # pending write); LangGraph shows each reducer field's channel, empty
        empty = {}
        for name, channel in channels.items():
            if channel.reducer is not None and name not in values:
                start = channel.start()
                if start is not MISSING:
                    empty[name] = start
        return {**empty, **values}
