"""``Command``: what a node returns to update the state and choose where the run goes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar, Generic, TypeVar, cast

from ._errors import InvalidUpdateError

N = TypeVar("N")


@dataclass(frozen=True, slots=True, kw_only=True)
class Command(Generic[N]):
    """Update the state and route the run, as LangGraph's ``Command`` does.

    A node returns ``Command(goto="cleanup_stage")`` (typically from its
    ``except asyncio.CancelledError`` branch) to send the run to its cleanup node, or
    ``Command(goto=END, update={"result": "done"})`` to finish with an update. A node
    annotated ``-> Command[Literal["a", "b"]]`` declares where it may go (for drawing).
    """

    update: Mapping[str, Any] | Writes | Sequence[tuple[str, Any]] | None = None
    """Partial state update, merged with each field's reducer; ``None`` changes nothing. As
    in LangGraph, a list of ``(key, value)`` pairs is accepted too: the writes are applied
    in order (a reducer field folds each; a plain field written twice is an
    ``InvalidUpdateError``); it is kept as a dict, or as ``Writes`` when a key repeats."""
    goto: str | Send | Sequence[str | Send] = ()
    r"""Node name(s) to run next, or ``Send``\ s (a node run on an input of its own); ``END``
    ends this branch; empty follows the graph's edges."""
    resume: Any = None
    """As a run's input: the answer to the thread's pending ``interrupt()`` (or a dict of
    interrupt id -> answer when several are pending)."""
    graph: str | None = None
    """``None``: this graph. ``Command.PARENT``: the graph that runs this one as a node (a
    subgraph's node hands the run back to its parent, which applies the update and goto)."""

    PARENT: ClassVar[str] = "__parent__"
    """The value of ``graph`` that addresses the closest parent graph, as in LangGraph."""

    def __post_init__(self) -> None:
        pairs = self.update
        if (
            isinstance(pairs, list | tuple)
            and not isinstance(pairs, Writes)
            and all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in pairs)
        ):
            written: list[tuple[str, Any]] = [(str(k), v) for k, v in pairs]
            update: Mapping[str, Any] | Writes = dict(written)
            if len(update) != len(written):  # a key written twice: each write, in order
                update = Writes({k: v} for k, v in written)
            object.__setattr__(self, "update", update)

    def __repr__(self) -> str:
        parts = []
        if self.update is not None:
            parts.append(f"update={self.update!r}")
        if self.goto:
            parts.append(f"goto={self.goto!r}")
        if self.resume is not None:
            parts.append(f"resume={self.resume!r}")
        if self.graph is not None:
            parts.append(f"graph={self.graph!r}")
        return f"Command({', '.join(parts)})"

    @property
    def destinations(self) -> tuple[str | Send, ...]:
        """``goto`` as a tuple of node names and Sends (a single one becomes a 1-tuple)."""
        if isinstance(self.goto, str | Send):
            return (self.goto,)
        return tuple(self.goto)


@dataclass(slots=True, unsafe_hash=True, init=False)
class Send:
    """Run ``node`` in the next step on ``arg`` instead of the state, as LangGraph's ``Send``.

    Returned by a conditional edge's path function (a list of them is a map: one execution
    per Send) or put in ``Command(goto=[Send(...), ...])``. Each Send is an execution of its
    own (a task, with its own actor), so a Stop, a drain or a kill reaches it as it reaches
    any node; the node's updates merge in the order the Sends were made, after the updates
    of the nodes reached by edges, as LangGraph merges them.

    Not frozen, as LangGraph's is not: a fan-out makes one per branch, and a frozen
    dataclass's ``__init__`` costs two and a half times a plain one's.
    """

    node: str
    """The node to run."""
    arg: Any
    """Its input (often a dict with a part of the state)."""
    timeout: float | None
    """Seconds this execution may run (each attempt, as ``add_node(timeout=...)``), instead
    of its node's own timeout; None: the node's (LangGraph 1.2's ``Send(timeout=...)``)."""

    def __init__(
        self, /, node: str, arg: Any, *, timeout: float | timedelta | Any | None = None
    ) -> None:
        self.node = node
        self.arg = arg
        self.timeout = None if timeout is None else _send_timeout(node, timeout)

    def __repr__(self) -> str:
        if self.timeout is None:
            return f"Send(node={self.node!r}, arg={self.arg!r})"
        return f"Send(node={self.node!r}, arg={self.arg!r}, timeout={self.timeout!r})"


def _send_timeout(node: str, timeout: Any) -> float | None:
    """A Send's ``timeout`` (seconds, a ``timedelta``, or a ``TimeoutPolicy``, graphstage's
    or LangGraph's) in seconds; ``ValueError`` naming the Send, as LangGraph raises one."""
    from ._policies import timeout_seconds

    if timeout == math.inf:  # no limit (LangGraph accepts it)
        return None
    seconds, problem = timeout_seconds(timeout, node)
    if problem:
        problem = problem.replace(f"add_node('{node}', ", f"Send('{node}', ..., ", 1)
        raise ValueError(problem)
    return seconds


class Writes(tuple[Mapping[str, Any], ...]):
    """Several updates from one node execution, applied in order within its step: what a
    node returning a list of Commands (or of Commands and dicts) writes, as LangGraph
    applies such a list (a reducer field folds each; a plain field written twice is an
    ``InvalidUpdateError``)."""

    __slots__ = ()

    def as_streamed(self) -> dict[str, Any] | list[dict[str, Any]]:
        """What the ``updates`` stream shows, as LangGraph: one dict when no key is written
        twice, else each write as a one-key dict, in order."""
        pairs = [(k, v) for update in self for k, v in update.items()]
        merged = dict(pairs)
        return merged if len(merged) == len(pairs) else [{k: v} for k, v in pairs]


def combine(node: str, value: Any) -> Any:
    """A node's return value with a list of Commands (and dicts) made one ``Command``
    whose ``update`` is ``Writes`` and whose ``goto`` joins theirs; anything else as is."""
    if not isinstance(value, list | tuple) or not any(isinstance(v, Command) for v in value):
        return value
    for item in value:
        if isinstance(item, Command) and item.graph == Command.PARENT:
            # as LangGraph: the first Command for the parent ends the node (its ParentCommand),
            # the rest of the list is not applied (a ToolNode's handoff comes in a list)
            return item
    updates: list[Mapping[str, Any]] = []
    goto: list[str | Send] = []
    for item in value:
        if isinstance(item, Command):
            if item.graph is not None:
                raise InvalidUpdateError(
                    f"node '{node}' returned a list holding Command(graph={item.graph!r}): "
                    f"return a Command for the parent graph on its own"
                )
            if isinstance(item.update, Writes):
                updates.extend(item.update)
            elif item.update is not None:
                updates.append(cast("Mapping[str, Any]", item.update))  # pairs: a dict now
            goto.extend(destinations_of(node, item))
        elif isinstance(item, Mapping):
            updates.append(item)
        elif item is not None:
            raise InvalidUpdateError(
                f"node '{node}' returned a list of Commands holding {type(item).__name__} "
                f"{item!r}; such a list holds Commands and dict updates"
            )
    return Command(update=Writes(updates) if updates else None, goto=goto)


def goto_names(goto: tuple[str | Send, ...]) -> tuple[str, ...]:
    """A Command's destinations as node names (a Send by the node it runs)."""
    return tuple(d if isinstance(d, str) else d.node for d in goto)


def destinations_of(node: str, command: Command[Any]) -> tuple[str | Send, ...]:
    """``command.destinations``, or ``InvalidUpdateError`` naming ``node`` and what
    ``goto`` accepts when it is neither a node name nor a sequence of them."""
    goto = command.goto
    if isinstance(goto, str | Send):
        return (goto,)
    if isinstance(goto, Sequence) and all(_is_destination(d) for d in goto):
        return tuple(goto)
    raise InvalidUpdateError(
        f"node '{node}' returned Command(goto={goto!r}); goto accepts a node name, END, a "
        f"Send, or a list of them (got {type(goto).__name__})"
    )


def _is_destination(item: object) -> bool:
    # a node name, or a Send-like object addressed to one
    return isinstance(item, str) or isinstance(getattr(item, "node", None), str)
