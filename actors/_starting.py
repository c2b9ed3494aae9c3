"""Starting a run of a compiled graph: the input and config checked, the run's thread (a
checkpointer and a thread_id) or the checkpoint it resumes from, then its supervisor's task."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from ._command import Command
from ._config_api import merge_configs
from ._constants import DEFAULT_RECURSION_LIMIT
from ._context import CONTEXT_KEY, coerce_context
from ._errors import InvalidUpdateError, ResumeError
from ._node import current_node
from ._run import Run
from ._stream import CHECKPOINTS_KEY
from ._subgraph import CURRENT_RUN, tap_parent
from .checkpoint._base import Durability, check_durability
from .checkpoint._nested import nested_thread
from .checkpoint._thread import ThreadRun
from .state import StateSchema
from .supervisor import Supervisor

if TYPE_CHECKING:
    from ._builder import StateGraph
    from ._graph import CompiledGraph
    from ._node import NodeSpec
    from .checkpoint import BaseCheckpointSaver

# Runs in flight: the runtime owns their supervisor tasks, so it keeps them referenced.
_RUNNING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where to resume a run: the state after its last completed step and what comes next."""

    run_id: str
    """The run this checkpoint was taken from."""
    step: int
    """The last completed step."""
    values: Any
    """The state after that step (a dict or a model instance)."""
    next: tuple[str, ...]
    """The nodes to run next."""


class Starting:
    """Mixed into ``CompiledGraph``: ``start`` and ``resume``, and the checks they make
    before any node runs."""

    name: str
    builder: StateGraph
    schema: StateSchema
    config: dict[str, Any]
    nodes: dict[str, NodeSpec]
    checkpointer: BaseCheckpointSaver | None
    journal: Any
    interrupt_before: tuple[str, ...]
    interrupt_after: tuple[str, ...]
    _input_fields: frozenset[str] | None

    @property
    def _graph(self) -> CompiledGraph:
        return cast("CompiledGraph", self)

    def start(
        self,
        input: Any = None,
        config: dict[str, Any] | None = None,
        *,
        journal: Any = None,
        resume: Checkpoint | None = None,
        interrupt_before: tuple[str, ...] | list[str] | None = None,
        interrupt_after: tuple[str, ...] | list[str] | None = None,
        stop_waiting: str | None = None,
        context: Any = None,
        checkpointer: BaseCheckpointSaver | None = None,
        durability: Durability | None = None,
    ) -> Run:
        """Start a run on the running event loop and return its handle at once.

        The input is validated first: pydantic's ``ValidationError`` is raised here, before
        any node runs. ``journal`` overrides the graph's journal for this run.

        With a checkpointer and ``config={"configurable": {"thread_id": ...}}`` the run
        belongs to that thread: new input is applied to the thread's state and the run
        starts from START; ``None`` continues from the thread's latest checkpoint (or the
        one ``checkpoint_id`` names: a fork); ``Command(resume=answer)`` answers the
        ``interrupt()`` it waits at. ``ResumeError`` says why a thread cannot be continued
        (its next node is not in the graph, another run continues it...), before any step.
        ``checkpointer`` overrides the compiled one for this run (how the window keeps its
        runs' threads in its journal). ``durability`` (``"sync"``, ``"async"``, the
        default, or ``"exit"``): when the thread's checkpoints are saved, as LangGraph's.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "graph.start() needs a running event loop: call it from async code, or use "
                "graph.invoke() from sync code"
            ) from None
        checked_config(config)
        config = merge_configs(self.config, config) if self.config else dict(config or {})
        if context is not None:
            config[CONTEXT_KEY] = coerce_context(self.builder.context_schema, context)
        limit = config.get("recursion_limit", DEFAULT_RECURSION_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError(
                f"config['recursion_limit'] must be a whole number of steps >= 1, got {limit!r}"
            )
        durable = check_durability(durability)
        run_id = str(config.get("run_id") or uuid.uuid4().hex)
        # inside a node of a run on a thread, a graph keeps its checkpoints in that thread
        nested = nested_thread(self._graph, run_id, CHECKPOINTS_KEY in config, config)
        thread = nested or self._thread_for(
            _own_namespace(config),
            run_id,
            interrupt_before,
            interrupt_after,
            checkpointer or self.checkpointer,
            durable,
        )
        if thread is not None:
            try:
                if input is not None and not isinstance(input, Command):
                    input = self._check_input(input)
                state = self.schema.validate_input(
                    thread.prepare(input, stop_reason=stop_waiting), restore=True
                )
            except BaseException:
                thread.ended()  # release the thread: nothing runs
                raise
        elif isinstance(input, Command) or stop_waiting is not None:
            raise ResumeError(
                "answering an interrupt needs a thread: compile the graph with a "
                "checkpointer and pass config={'configurable': {'thread_id': ...}}"
            )
        elif resume is not None and input is None:
            self._check_resumable(resume)
            state = self.schema.validate_input(resume.values, restore=True)
        else:
            state = self.schema.validate_input(self._check_input(input))
        run = Run(run_id, loop)
        journal = journal if journal is not None else self.journal
        sinks = [journal.sink_for(self._graph, run)] if journal is not None else []
        resume_at = (resume.step, resume.next, resume.run_id) if resume is not None else None
        supervisor = Supervisor(self._graph, run, state, config, resume_at, sinks, thread)
        run._supervisor = supervisor
        tap_parent(run, self.schema)  # started inside a node of an astream(subgraphs=True)
        task = loop.create_task(supervisor.main(), name=f"graphstage supervisor ({run.run_id})")
        supervisor.task = task
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)
        task.add_done_callback(supervisor.on_task_done)
        return run

    def _check_input(self, value: Any) -> Any:
        wanted = self._input_fields
        if isinstance(value, Mapping) and CURRENT_RUN.get() is not None:
            # invoked inside another run's node, typically with that run's state
            # (agent.invoke(state)): take the keys this graph knows, as a subgraph node
            # does and as LangGraph does; a top-level run still refuses unknown keys
            known = wanted if wanted is not None else self.schema.channels.keys()
            if any(k not in known for k in value):
                value = {k: v for k, v in value.items() if k in known}
        if wanted is not None and isinstance(value, Mapping):
            unknown = [k for k in value if k not in wanted]
            if unknown:
                raise InvalidUpdateError(
                    f"unknown input field(s) {', '.join(map(repr, unknown))}; the graph's "
                    f"input_schema accepts: {', '.join(sorted(wanted))}"
                )
        return value

    def _thread_for(
        self,
        config: dict[str, Any],
        run_id: str,
        before: Any,
        after: Any,
        saver: BaseCheckpointSaver | None,
        durability: Durability,
    ) -> ThreadRun | None:
        conf = config.get("configurable") or {}
        if saver is None or conf.get("thread_id") in (None, ""):
            if saver is not None:  # LangGraph's rule: a checkpointer needs a thread
                ThreadRun(self._graph, saver, config, run_id)  # raises, naming the missing key
            if before or after:
                raise ValueError(
                    "interrupt_before/interrupt_after need a checkpointer and a thread_id"
                )
            return None
        return ThreadRun(
            self._graph,
            saver,
            config,
            run_id,
            # as LangGraph: an empty per-call list falls back to the compiled one
            interrupt_before=tuple(before or self.interrupt_before),
            interrupt_after=tuple(after or self.interrupt_after),
            durability=durability,
            trail=CHECKPOINTS_KEY in config,
        )

    def _check_resumable(self, checkpoint: Checkpoint) -> None:
        missing = [n for n in checkpoint.next if n not in self.nodes]
        if missing:
            raise ResumeError(
                f"run {checkpoint.run_id} cannot be resumed: it runs node(s) "
                f"{', '.join(missing)} next, which graph {self.name!r} does not have "
                f"(nodes: {', '.join(self.nodes)}); was a node renamed? Load the graph it "
                f"ran with"
            )

    def resume(
        self, checkpoint: Checkpoint, config: dict[str, Any] | None = None, *, journal: Any = None
    ) -> Run:
        """Start a new run from a checkpoint: its state, at the nodes it names as next.
        ``ResumeError`` if one of them is not in this graph (nothing is run)."""
        return self.start(None, config, journal=journal, resume=checkpoint)


def _own_namespace(config: dict[str, Any]) -> dict[str, Any]:
    """The config a graph started inside a node keeps its own thread with: not the node's
    ``checkpoint_ns`` / ``checkpoint_map``, which a node's config carries (as LangGraph's)
    and a program may pass on with another ``thread_id``; its checkpoints are that thread's
    own, under namespace ``""``, as LangGraph keeps them."""
    conf = config.get("configurable") or {}
    if current_node() is None or not ({"checkpoint_ns", "checkpoint_map"} & conf.keys()):
        return config
    own = {k: v for k, v in conf.items() if k not in ("checkpoint_ns", "checkpoint_map")}
    return {**config, "configurable": own}


def checked_config(config: Any) -> None:
    """``TypeError`` naming what is wrong if ``config`` (a RunnableConfig) or its
    ``configurable`` is not a dict (LangGraph fails later, with an ``AttributeError``
    from its own code)."""
    if config is None:
        return
    if not isinstance(config, Mapping):
        raise TypeError(
            f"config must be a dict (a RunnableConfig), got {type(config).__name__}; e.g. "
            f"{{'configurable': {{'thread_id': '1'}}}}"
        )
    configurable = config.get("configurable")
    if configurable is not None and not isinstance(configurable, Mapping):
        raise TypeError(
            f"config['configurable'] must be a dict, got {type(configurable).__name__}; "
            f"e.g. {{'configurable': {{'thread_id': '1'}}}}"
        )
