"""The ``stream_mode`` views of a run's event stream, as LangGraph names them."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ._context import CONTEXT_KEY, STORE_KEY, SYNC_KEY
from ._events import (
    CustomOutput,
    Event,
    NodeFinished,
    NodeInterrupted,
    RunFinished,
    RunStarted,
    StateUpdated,
)
from ._stream_tasks import CheckpointView, TaskView, debug_chunk
from .checkpoint._scope import task_configurable
from .state import StateSchema

STREAM_MODES = (
    "values",
    "updates",
    "custom",
    "messages",
    "tasks",
    "debug",
    "checkpoints",
    "events",
)
"""``checkpoints`` yields the thread's checkpoints (nothing without a checkpointer, as in
LangGraph)."""

MESSAGES_KEY = "__graphstage_stream_messages__"
"""Set in a run's config when its stream wants ``messages``: nodes then attach the handler."""
INPUTS_KEY = "__graphstage_stream_inputs__"
CHECKPOINTS_KEY = "__graphstage_stream_checkpoints__"
"""In a run's config: a stream shows its checkpoints (under ``durability="exit"`` the run
keeps them for it, as it does not save them)."""
"""Set in a run's config when its stream shows task inputs (``tasks``, ``debug``): each
``NodeStarted`` then carries what the node was given."""
EVENTS_KEY = "__graphstage_callback_run__"
"""In a run's config when it reports to LangChain callbacks (``astream_events``, a tracer):
the graph's callback run (``graphstage.langchain.events.GraphRun``), its nodes' parent."""
PRIVATE_KEYS = frozenset({CONTEXT_KEY, MESSAGES_KEY, INPUTS_KEY, STORE_KEY, SYNC_KEY, EVENTS_KEY})
"""Config keys graphstage uses to carry a run's context; never passed on to LangChain."""


@dataclass(frozen=True, slots=True, repr=False)
class StreamedMessage:
    """A chat message (or token chunk) a node's model produced, sent through its writer
    for the ``messages`` stream (the ``custom`` stream leaves it out)."""

    message: Any
    """langchain-core's message or message chunk."""
    metadata: dict[str, Any]
    """LangGraph's metadata: ``langgraph_step``, ``langgraph_node``... and the model's."""
    dedupe: bool = False
    """A whole reply: shown only if its id was not streamed already."""

    def __str__(self) -> str:
        return str(getattr(self.message, "content", self.message))

    def __repr__(self) -> str:  # the window's log line for a token: short, not the dataclass
        return f"{type(self.message).__name__}({str(self)!r})"


def wants_callbacks(config: Mapping[str, Any] | None) -> bool:
    """Whether a run started with ``config`` here reports to LangChain callbacks: the config
    has some, or this task runs inside a traced runnable (a node of a run that reports)."""
    if config and config.get("callbacks"):
        return True
    if "langchain_core" not in sys.modules:
        return False
    from .langchain.events import ambient_manager

    return ambient_manager()


def task_id(run_id: str, node: str, step: int) -> str:
    """A stable id for one execution (LangGraph's task ids are uuid-shaped too)."""
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"{run_id}/{node}/{step}"))


def node_config(
    config: dict[str, Any], run_id: str, node: str, step: int, task: str | None = None
) -> dict[str, Any]:
    """The ``config`` a node that takes one receives, shaped as LangGraph's: the run's
    config with ``configurable`` always there and the node's metadata added (a ``Send``'s
    execution, ``task``: LangGraph's push task's)."""
    out = {k: v for k, v in config.items() if k not in PRIVATE_KEYS}
    meta = node_metadata(node, step, task_id(run_id, task or node, step), task)
    # as LangGraph: the node's own namespace (and, on a thread, its checkpoint map)
    own = task_configurable() or {"checkpoint_ns": meta["langgraph_checkpoint_ns"]}
    out["configurable"] = {**(config.get("configurable") or {}), **own}
    out["metadata"] = {**run_metadata(config, out["configurable"]), **meta}
    out.setdefault("callbacks", None)
    return out


PROPAGATED = ("thread_id", "checkpoint_id", "checkpoint_ns", "task_id", "run_id")
"""``configurable`` keys LangGraph copies into a run's metadata (``ensure_config``), with
``assistant_id`` and ``graph_id``, when the metadata has none of its own."""


def run_metadata(
    config: Mapping[str, Any], configurable: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A run's ``metadata`` with LangGraph's propagated ``configurable`` keys added (those
    of ``configurable``, the run's own by default)."""
    metadata = dict(config.get("metadata") or {})
    conf = config.get("configurable") if configurable is None else configurable
    for key in (*PROPAGATED, "assistant_id", "graph_id"):
        if key not in metadata and conf and conf.get(key):
            metadata[key] = conf[key]
    return metadata


def node_metadata(node: str, step: int, task_id: str, task: str | None = None) -> dict[str, Any]:
    """The metadata LangGraph attaches to what a node execution streams; ``task`` names a
    ``Send``'s execution (``"node[i]"``, the step's i-th Send): LangGraph's push task."""
    if task is not None and task.endswith("]") and "[" in task:
        triggers: tuple[str, ...] = ("__pregel_push",)
        path: tuple[Any, ...] = ("__pregel_push", int(task[task.rindex("[") + 1 : -1]), False)
    else:
        triggers, path = (f"branch:to:{node}",), ("__pregel_pull", node)
    return {
        "langgraph_step": step,
        "langgraph_node": node,
        "langgraph_triggers": triggers,
        "langgraph_path": path,
        "langgraph_checkpoint_ns": f"{node}:{task_id}",
    }


def parse_modes(
    stream_mode: str | list[str] | tuple[str, ...] | None,
) -> tuple[tuple[str, ...], bool]:
    """The requested modes and whether a single mode was asked for (chunks are then bare)."""
    if stream_mode is None:
        stream_mode = "updates"
    single = isinstance(stream_mode, str)
    modes = (stream_mode,) if isinstance(stream_mode, str) else tuple(stream_mode)
    for mode in modes:
        if mode not in STREAM_MODES:
            raise ValueError(
                f"stream_mode {mode!r} is not supported; use one or more of "
                f"{', '.join(STREAM_MODES)}"
            )
    if not modes:
        raise ValueError(f"stream_mode is empty; use one or more of {', '.join(STREAM_MODES)}")
    return modes, single


class Chunker:
    """Turns one run's events into ``(mode, chunk)`` pairs, in order. The ``values`` mode
    rebuilds the whole state after each step from the deltas the events carry."""

    def __init__(
        self,
        modes: tuple[str, ...],
        schema: StateSchema,
        thread: Any = None,
        *,
        graph: Any = None,
        config: Mapping[str, Any] | None = None,
        nested: bool = False,
    ) -> None:
        """``graph`` and ``config`` (the run's), when known, complete the ``tasks`` and
        ``debug`` payloads: each node's triggers and metadata (see ``TaskView``);
        ``nested``: the events are a subgraph's (``subgraphs=True``)."""
        self.modes = modes
        self._nested = nested
        self.schema = schema
        self.values: dict[str, Any] = {}
        # the state after the last step, kept for the values, tasks and debug modes
        self._track = any(m in modes for m in ("values", "tasks", "debug"))
        self._tasks = TaskView(graph, config) if "tasks" in modes or "debug" in modes else None
        # the checkpoints mode: the run's thread (graphstage.checkpoint), if it has one
        wants_checkpoints = "checkpoints" in modes or "debug" in modes
        self._checkpoints = CheckpointView(thread, schema) if wants_checkpoints else None
        # the messages mode: ids of messages shown or already in the state (shown once)
        self._seen: set[str] = set()
        # the updates mode: ids of the questions already shown (NodeInterrupted)
        self._asked: set[str] = set()
        # the tasks and debug modes: the asking tasks' results, shown with the pause
        self._interrupted: list[tuple[Event, tuple[str, dict[str, Any]]]] = []
        self._run_metadata = run_metadata(config or {})
        self._is_message: Callable[[Any], bool] | None = None
        self._messages_first: tuple[str, ...] | None = None
        if "messages" in modes:
            self._messages_first = ("messages", *(m for m in modes if m != "messages"))
            from langchain_core.messages import BaseMessage

            self._is_message = lambda value: isinstance(value, BaseMessage)

    def chunks(self, event: Event) -> Iterator[tuple[str, Any]]:
        """``(mode, chunk)`` for each requested mode this event shows up in."""
        if isinstance(event, RunFinished) and event.status == "paused":
            yield from self._paused(event)
        stepped = False  # a step that wrote something: a values chunk
        if self._track:
            if isinstance(event, RunStarted):
                self.values = self.schema.as_dict(event.input)
                # as LangGraph: an empty input on a new thread writes nothing, so no chunk
                stepped = bool(self.values) or event.resumed_from is not None
            elif isinstance(event, StateUpdated) and (event.update or event.appended):
                # as LangGraph: a step that wrote nothing shows no values chunk
                self.values, stepped = event.apply(self.values), True
        task = (
            self._tasks.payload(event, self.values, self.update_of, self.input_of)
            if self._tasks is not None
            else None
        )
        if task is not None and isinstance(event, NodeInterrupted):
            # as LangGraph: an asking task's result comes with the pause
            self._interrupted.append((event, task))
            task = None
        saved = self._checkpoints.due(event) if self._checkpoints is not None else []
        modes = self.modes
        if isinstance(event, NodeFinished) and self._messages_first is not None:
            # as LangGraph: the messages a node returns show before its update
            modes = self._messages_first
        for mode in modes:
            if mode == "events":
                yield mode, event
            elif mode == "custom":
                if isinstance(event, CustomOutput) and not isinstance(event.data, StreamedMessage):
                    yield mode, event.data
            elif mode == "messages":
                yield from self._messages(event)
            elif mode == "updates":
                if isinstance(event, NodeInterrupted) and event.interrupts:
                    # as LangGraph: each task's questions as it asks them
                    self._asked.update(i.id for i in event.interrupts)
                    yield mode, {"__interrupt__": event.interrupts}
                elif isinstance(event, NodeFinished) and not event.to_parent:
                    # a hand-off's update is the parent's: LangGraph shows it only there
                    chunk = {event.node: self.update_of(event.update)}
                    if event.cached:  # as LangGraph marks an answer from the cache
                        chunk["__metadata__"] = {"cached": True}
                    yield mode, chunk
            elif mode == "values":
                if stepped:
                    yield mode, dict(self.values)
            elif mode == "tasks":
                if task is not None:
                    yield mode, task[1]
            elif mode == "debug":
                for payload in saved:  # as LangGraph: a step's checkpoint precedes its tasks
                    yield mode, debug_chunk(event, "checkpoint", payload)
                if task is not None:
                    yield mode, debug_chunk(event, *task)
            elif mode == "checkpoints":
                yield from ((mode, payload) for payload in saved)

    def _paused(self, event: RunFinished) -> Iterator[tuple[str, Any]]:
        """The chunks of a run's pause, as LangGraph 1.2 shows them: the questions not shown
        yet (``()`` at a breakpoint, at the top only), the state as the step began with the
        questions, the asking tasks' results, then the state with the writes of the
        step's nodes that finished first."""
        modes = self.modes
        if "updates" in modes:
            # each node's questions were shown as it asked (chunks): the rest here
            rest = tuple(i for i in event.interrupts if i.id not in self._asked)
            if rest or not (self._asked or (self._nested and not event.interrupts)):
                yield "updates", {"__interrupt__": rest}
        applied = None
        if "values" in modes:
            values = self.schema.as_dict(event.values)
            before = self.values if self._track else values
            if event.interrupts:
                yield "values", {**before, "__interrupt__": event.interrupts}
            if values != before:  # (also at a breakpoint inside a subgraph node)
                applied = values
        for asked, (kind, payload) in self._interrupted:
            if "tasks" in modes:
                yield "tasks", payload
            if "debug" in modes:
                yield "debug", debug_chunk(asked, kind, payload)
        if applied is not None:
            yield "values", applied

    def input_of(self, values: dict[str, Any]) -> Any:
        """``values`` as the state's type, as a node reading the whole state gets them."""
        schema = self.schema
        try:
            if schema.kind == "dataclass":
                return schema.model(**values)
            if schema.kind == "model":
                return schema.model.model_validate(values)
        except Exception:  # a state the type rejects (a missing field): show the values
            pass
        return dict(values)

    def update_of(self, update: Any) -> Any:
        """A node's update as LangGraph streams it: a dict (from a returned model or
        dataclass, the fields LangGraph takes from it), or None."""
        if update is None or isinstance(update, dict):
            return update
        if isinstance(update, list):  # a list of Commands' updates, as LangGraph shows it
            return [self.update_of(each) for each in update]
        fields = self.schema.updates_of(update)
        return fields if fields is not None else dict(update)

    def _messages(self, event: Event) -> Iterator[tuple[str, Any]]:
        """The ``messages`` mode, as LangGraph's handler: model output as it streams, then
        the messages a node returns that were neither streamed nor already in the state."""
        seen = self._seen
        if isinstance(event, CustomOutput) and isinstance(event.data, StreamedMessage):
            message = event.data.message
            if event.data.dedupe and message.id in seen:
                return
            if message.id is not None:
                seen.add(message.id)
            yield "messages", (message, event.data.metadata)
        elif isinstance(event, NodeFinished):
            meta: dict[str, Any] | None = None
            for message in self._found(event.update):
                if message.id in seen:
                    continue
                if message.id is None:
                    message.id = str(uuid.uuid4())
                seen.add(message.id)
                if meta is None:
                    task = task_id(event.run_id, event.task or event.node, event.step)
                    # as LangGraph: the node's run's metadata (the run's, with its
                    # propagated configurable keys), not what the node's config adds
                    meta = {**self._run_metadata, "ls_integration": "langgraph"}
                    meta.update(node_metadata(event.node, event.step, task, event.task))
                yield "messages", (message, meta)
        elif isinstance(event, RunStarted):
            seen.update(m.id for m in self._found(self.schema.as_dict(event.input)) if m.id)
        elif isinstance(event, StateUpdated):
            seen.update(m.id for m in self._found(event.update) if m.id)
            seen.update(m.id for m in self._found(event.appended or {}) if m.id)

    def _found(self, values: Any) -> Iterator[Any]:
        """The messages among a dict's values and in the lists among them."""
        is_message = self._is_message
        if is_message is None or not isinstance(values, dict):
            return
        for value in values.values():
            if is_message(value):
                yield value
            elif isinstance(value, list | tuple):
                yield from (item for item in value if is_message(item))
