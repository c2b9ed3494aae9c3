"""Lifecycle events of a run: past-tense facts, in the order they happened.

Every event carries ``run_id``, ``seq`` (0, 1, 2... with no gaps within a run) and ``time``
(seconds since the epoch). The ``stream_mode`` views of ``astream``, the journal and the
desktop app all read this one stream. ``dump_event`` / ``load_event`` serialise events
through a pydantic ``TypeAdapter``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, TypeAdapter

from ._frozen import frozen
from ._interrupt import Interrupt
from ._jsonsafe import dump_json, jsonable

RunStatus = Literal["running", "completed", "cancelled", "failed", "killed", "paused"]
"""``running`` until the run settles; then a final status, or ``paused``: the run waits
in its thread's checkpoint for an answer to an ``interrupt()`` or at a breakpoint."""

TransitionReason = Literal["edge", "command", "cancel_route"]
"""Why the run moved: a static or conditional edge, a node's ``Command(goto=...)``, or the
node's ``on_cancel`` route after a stop."""

StopMode = Literal["graceful", "drain", "kill"]
"""``graceful``: Cancel the active nodes; ``drain``: stop after this step; ``kill``: now."""


@frozen(kw_only=True)
class Event:
    """Base of all events."""

    run_id: str
    """The run this event belongs to."""
    seq: int
    """Position in the run's event stream, from 0, contiguous."""
    time: float
    """When it happened, in seconds since the epoch."""

    _positional: ClassVar[Callable[..., Any]]
    # the event from every field's value in field order (see graphstage._frozen)


@frozen(kw_only=True)
class RunStarted(Event):
    """The supervisor has validated the input and is about to run the entry node(s)."""

    graph: str
    """The graph's name."""
    input: Any
    """The validated input state."""
    resumed_from: str | None = None
    """The run this one resumes from its last checkpoint, if any."""
    kind: Literal["run_started"] = "run_started"


@frozen(kw_only=True)
class NodeStarted(Event):
    """An actor began running its node function."""

    node: str
    step: int
    """1-based step number; nodes started together in a fan-out share it."""
    shielded: bool = False
    """True for a node started after a stop: further graceful stops do not reach it."""
    where: str = ""
    """Where it runs: ``""`` in this process, else its executor's place for it, e.g.
    ``"ray host 1 (node 3f2a9c01, pid 4242)"``."""
    task: str | None = None
    """The task id when this execution came from a ``Send`` (``"worker[2]"``): a Send runs
    one node several times in a step, each with its own input. ``None`` otherwise."""
    input: Any = None
    """What the node was given (its view of the state, or a ``Send``'s argument), only
    when a stream of the run shows task inputs (``stream_mode`` "tasks" or "debug");
    ``None`` otherwise, so that a journal does not copy the state at every node."""
    kind: Literal["node_started"] = "node_started"


@frozen(kw_only=True)
class CustomOutput(Event):
    """A node called its ``writer``."""

    node: str
    step: int
    data: Any
    """Whatever the node wrote."""
    kind: Literal["custom_output"] = "custom_output"


@frozen(kw_only=True)
class NodeFinished(Event):
    """A node function returned."""

    node: str
    step: int
    update: Any
    """The node's partial update (a dict) or ``None``."""
    goto: tuple[str, ...] = ()
    """Destinations of the ``Command`` it returned, if any."""
    answered_cancel: bool = False
    """True when this return was the node's answer to a Cancel."""
    duration: float = 0.0
    """Seconds the node function ran."""
    task: str | None = None
    """The task id when this execution came from a ``Send`` (``"worker[2]"``): a Send runs
    one node several times in a step, each with its own input. ``None`` otherwise."""
    to_parent: bool = False
    """True when it returned ``Command(graph=Command.PARENT)``: its update and goto are
    the parent graph's (applied there, as the subgraph node's), not this graph's."""
    cached: bool = False
    """True when its answer came from the cache (``add_node(cache_policy=...)``)."""
    kind: Literal["node_finished"] = "node_finished"


@frozen(kw_only=True)
class NodeCancelled(Event):
    """A node ended through the cancellation: it re-raised it, was escalated, or killed."""

    node: str
    step: int
    how: Literal["reraised", "escalated", "killed"] = "reraised"
    """``escalated``: it did not answer within ``cancel_grace``; ``killed``: by ``kill()``."""
    duration: float = 0.0
    task: str | None = None
    """The task id when this execution came from a ``Send`` (``"worker[2]"``): a Send runs
    one node several times in a step, each with its own input. ``None`` otherwise."""
    kind: Literal["node_cancelled"] = "node_cancelled"


@frozen(kw_only=True)
class NodeInterrupted(Event):
    """A node called ``interrupt()``: it waits for an answer (its run pauses after the step)."""

    node: str
    step: int
    interrupts: tuple[Interrupt, ...]
    """The questions it asked (one per execution: the run pauses at the first)."""
    duration: float = 0.0
    kind: Literal["node_interrupted"] = "node_interrupted"


@frozen(kw_only=True)
class NodeFailed(Event):
    """A node function raised (or returned something the supervisor could not apply)."""

    node: str
    step: int
    error_type: str
    """The exception's class name, e.g. ``"ValueError"``."""
    error: str
    """The exception's message."""
    duration: float = 0.0
    task: str | None = None
    """The task id when this execution came from a ``Send`` (``"worker[2]"``): a Send runs
    one node several times in a step, each with its own input. ``None`` otherwise."""
    kind: Literal["node_failed"] = "node_failed"


@frozen(kw_only=True)
class StopRequested(Event):
    """Someone asked the run to stop; ``mode`` says how."""

    mode: StopMode
    reason: str
    """Who asked: ``"stop()"``, ``"outer cancel"``, ``"SIGINT"``, ``"Stop button"``..."""
    grace: float = 0.0
    """Seconds the stopped nodes have to answer before escalation (graceful mode)."""
    nodes: tuple[str, ...] = ()
    """The nodes told to stop (those shielded or already done are not)."""
    kind: Literal["stop_requested"] = "stop_requested"


@frozen(kw_only=True)
class Transition(Event):
    """The run moved from one node to the next."""

    src: str
    dst: str
    """Destination node name, or ``END``."""
    reason: TransitionReason
    step: int
    """The step ``src`` ran in."""
    after_stop: bool = False
    """True when the transition happened because of (or after) a stop."""
    branch: str | None = None
    """For a conditional edge: the key its path function returned (``"revise"``), which
    the path_map turned into ``dst``. ``None`` for every other transition."""
    task: str | None = None
    """When ``dst`` runs as a ``Send``: that execution's task id (``"worker[2]"``)."""
    kind: Literal["transition"] = "transition"


@frozen(kw_only=True)
class StateUpdated(Event):
    """The updates of a step were merged: this is the checkpoint after that step.

    It carries what changed, not the whole state (a state that grows by one message a step
    would otherwise be copied into every event): ``apply`` gives the state after the step
    from the state before it, starting from ``RunStarted.input``.
    """

    step: int
    update: dict[str, Any]
    """The fields the step set, each with its new value (a reducer's result, validated)."""
    appended: dict[str, list[Any]] | None = None
    """List fields that grew (``operator.add``): field -> the items appended this step."""
    next: tuple[str, ...] = ()
    """The nodes the run will execute next (empty when it ends here)."""
    kind: Literal["state_updated"] = "state_updated"

    def apply(self, values: dict[str, Any]) -> dict[str, Any]:
        """The state after this step, as a new dict, from ``values``, the state before it
        as a dict (lists that grew are new lists: ``values`` is left as it was)."""
        out = dict(values)
        out.update(self.update)
        for field, items in (self.appended or {}).items():
            out[field] = [*(out.get(field) or ()), *items]
        return out


@frozen(kw_only=True)
class RunFinished(Event):
    """The run has settled. Always the last event, exactly once."""

    status: RunStatus
    values: Any
    """The final state (as of the last completed step)."""
    error: str | None = None
    """``"ErrorType: message"`` for failed and killed runs."""
    next: tuple[str, ...] = ()
    """Nodes that would have run next: where ``resume`` starts a cancelled run."""
    steps: int = 0
    """Number of steps executed."""
    interrupts: tuple[Interrupt, ...] = ()
    """For a ``paused`` run: the questions waiting for an answer (empty at a breakpoint)."""
    kind: Literal["run_finished"] = "run_finished"


AnyEvent = Annotated[
    RunStarted
    | NodeStarted
    | CustomOutput
    | NodeFinished
    | NodeCancelled
    | NodeFailed
    | NodeInterrupted
    | StopRequested
    | Transition
    | StateUpdated
    | RunFinished,
    Field(discriminator="kind"),
]

EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        RunStarted,
        NodeStarted,
        CustomOutput,
        NodeFinished,
        NodeCancelled,
        NodeFailed,
        NodeInterrupted,
        StopRequested,
        Transition,
        StateUpdated,
        RunFinished,
    )
}
"""Event class name -> class. A run's records (events not built yet, see ``Run``) name
their class by its name: a string, so that a record holding only plain values is one the
garbage collector stops tracking (a class would keep every record tracked for good)."""

EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)
"""Serialises any event to JSON-compatible data and back."""


def dump_event(event: Event) -> dict[str, Any]:
    """The event as JSON-compatible data (state models become dicts; a value JSON cannot
    hold becomes a marker, see ``graphstage._jsonsafe``)."""
    try:
        data: dict[str, Any] = EVENT_ADAPTER.dump_python(event, mode="json")  # type: ignore[arg-type]
    except Exception:  # a custom object, bytes that are not UTF-8...
        data = jsonable(event)
    return data


def dump_event_json(event: Event) -> bytes:
    """The event as JSON bytes (a value JSON cannot hold becomes a marker)."""
    return dump_json(EVENT_ADAPTER, event)


def load_event(data: dict[str, Any] | str | bytes) -> Event:
    """An event from ``dump_event`` data or ``dump_event_json`` bytes."""
    if isinstance(data, str | bytes):
        return EVENT_ADAPTER.validate_json(data)
    return EVENT_ADAPTER.validate_python(data)
