"""``interrupt()``: pause a node for a human's answer, as LangGraph's ``interrupt`` does.

The first call in a node execution raises ``GraphInterrupt``; the run pauses (status
``paused``), its thread's checkpoint records the question, and nothing keeps running: the
thread waits in its checkpointer (across restarts, with a durable one) for an answer.
``Command(resume=answer)`` re-runs the node from its beginning, and this time the first
``interrupt()`` returns ``answer``; a second ``interrupt()`` in the same node pauses again,
and so on: answers are matched to calls by their order in the node.

Where graphstage differs on purpose: a stop that reaches a node waiting at an interrupt
(``graph.stop_thread(config)``, Stop in the window, Ctrl+C at the CLI's prompt) makes that
``interrupt()`` call raise ``asyncio.CancelledError``, so the node takes its cleanup route
exactly as if it had been stopped at an ``await``.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError


@dataclass(frozen=True, slots=True)
class Interrupt:
    """A question a node asked with ``interrupt(value)``; LangGraph's ``Interrupt``."""

    value: Any
    """What the node passed to ``interrupt()``: shown to the person who answers."""
    id: str
    """Stable id of this interrupt (node, step and position in the node), for answering
    several pending interrupts at once with ``Command(resume={id: answer, ...})``."""
    response_schema: Any = field(default=None, kw_only=True)
    """JSON Schema of the answer expected, when the node gave ``interrupt(...,
    response_schema=...)`` (a model class, TypedDict or dataclass is shown as its JSON
    Schema, as LangGraph surfaces it); None otherwise."""


class GraphInterrupt(Exception):
    """Raised by ``interrupt()`` to pause the run; the runtime catches it. A node must not
    swallow it (an ``except Exception`` around ``interrupt()`` would)."""

    def __init__(self, interrupts: tuple[Interrupt, ...]) -> None:
        super().__init__(interrupts)
        self.interrupts = interrupts


class ResumeSlot:
    """The answers of one node execution, consumed by its ``interrupt()`` calls in order."""

    __slots__ = ("answers", "base", "cancelled", "index", "scope")

    def __init__(
        self, base: str, answers: tuple[Any, ...], scope: Any = None, *, cancelled: Any
    ) -> None:
        self.base = base
        """Seed of this execution's interrupt ids: thread, step and node."""
        self.answers = answers
        """The answers given so far, in the order of the ``interrupt()`` calls."""
        self.index = 0
        """How many ``interrupt()`` calls this execution has made."""
        self.cancelled = cancelled
        """A zero-argument callable: true once a stop has reached this node."""
        self.scope = scope
        """The execution's ``TaskScope`` (graphstage.checkpoint._scope): where a graph it
        starts keeps its checkpoints (None: not known, as for a remote node)."""


_slot: contextvars.ContextVar[ResumeSlot | None] = contextvars.ContextVar(
    "graphstage_resume", default=None
)


def interrupt_id(base: str, index: int) -> str:
    """The id of the ``index``-th interrupt of the execution seeded by ``base``."""
    return hashlib.sha256(f"{base}:{index}".encode()).hexdigest()[:32]


def interrupt(value: Any, *, response_schema: Any = None) -> Any:
    """Ask for a human's answer: the run pauses here until ``Command(resume=answer)``.

    Returns the answer once one is given (the node is run again from its beginning, and
    each ``interrupt()`` call returns its answer in order). To be answered, the run needs
    a checkpointer (``compile(checkpointer=InMemorySaver())``) and a ``thread_id``; in a
    run without one, as in LangGraph, the run pauses all the same (``invoke`` returns the
    state with the question under ``"__interrupt__"``) with nothing to resume from.
    Outside a node it raises ``RuntimeError``.

    ``response_schema`` (LangGraph 1.2) describes the answer expected: a JSON Schema
    ``dict`` is shown as it is and answers are not checked; a pydantic model class, a
    TypedDict or a dataclass is shown as its JSON Schema, and the answer is validated
    against it and returned validated (a model instance for a model). An answer that does
    not fit raises ``pydantic.ValidationError`` in the node (``is_invalid_resume`` tells it
    apart), as LangGraph's does.
    """
    adapter = None
    if response_schema is not None and not isinstance(response_schema, dict):
        adapter = TypeAdapter(response_schema)
    schema = adapter.json_schema() if adapter is not None else response_schema
    slot = _slot.get()
    if slot is None:
        return _pause_without_thread(value, schema)
    index = slot.index
    slot.index += 1
    if index < len(slot.answers):
        answer = slot.answers[index]
        return _validated(adapter, answer) if adapter is not None else answer
    if slot.cancelled():
        # the node waits here for an answer, and a stop reached it: it sees the
        # cancellation at this call, as it would at an await
        raise asyncio.CancelledError("stopped while waiting at an interrupt")
    question = Interrupt(value, interrupt_id(slot.base, index), response_schema=schema)
    raise GraphInterrupt((question,))


_INVALID_RESUME = "_langgraph_invalid_resume"


def _validated(adapter: TypeAdapter[Any], answer: Any) -> Any:
    try:
        return adapter.validate_python(answer)
    except ValidationError as exc:
        setattr(exc, _INVALID_RESUME, True)
        raise


def is_invalid_resume(error: BaseException) -> bool:
    """Whether ``error`` was raised because an answer did not fit its interrupt's
    ``response_schema`` (LangGraph's ``langgraph.errors.is_invalid_resume``)."""
    return getattr(error, _INVALID_RESUME, False) is True


def current_slot() -> ResumeSlot | None:
    """The running node execution's slot (None outside a node of a run on a thread)."""
    return _slot.get()


def set_slot(slot: ResumeSlot | None) -> contextvars.Token[ResumeSlot | None]:
    """Make ``slot`` the running node's (the actor calls it in the node's task)."""
    return _slot.set(slot)


def reset_slot(token: contextvars.Token[ResumeSlot | None]) -> None:
    _slot.reset(token)


def _pause_without_thread(value: Any, schema: Any) -> Any:
    """``interrupt()`` in a node of a run that keeps no thread: the run pauses with this
    question (no answer can ever reach it, so there is no answer to return)."""
    # imported here: the node module imports the events, which import this one
    from ._node import _current_ctx

    ctx = _current_ctx.get()
    if ctx is None:
        raise RuntimeError(
            "interrupt() was called outside a node (a conditional edge's path function is "
            "outside its node in graphstage, though LangGraph runs it in the node's task): "
            "call it inside a node of a graph compiled with checkpointer=InMemorySaver() "
            "(or SqliteSaver) and run with config={'configurable': {'thread_id': ...}} to "
            "answer it"
        )
    if ctx.cancel_requested:  # a stop reached the node: it sees it here, as at an await
        raise asyncio.CancelledError("stopped while waiting at an interrupt")
    base = f"{ctx.run_id}:{ctx.step}:{ctx.task or ctx.node}"
    raise GraphInterrupt((Interrupt(value, interrupt_id(base, 0), response_schema=schema),))
