"""Errors raised by graphstage. Each message names the problem and the likely fix.

The classes LangGraph users catch carry LangGraph's names (``InvalidUpdateError``,
``GraphRecursionError``, ``EmptyInputError``...) and, where LangGraph has one, its message
shape with its troubleshooting link; ``graphstage.errors`` exports them as
``langgraph.errors`` does.
"""

from enum import Enum
from typing import Any


class ErrorCode(Enum):
    """LangGraph's error codes: each has a troubleshooting page."""

    GRAPH_RECURSION_LIMIT = "GRAPH_RECURSION_LIMIT"
    INVALID_CONCURRENT_GRAPH_UPDATE = "INVALID_CONCURRENT_GRAPH_UPDATE"
    INVALID_GRAPH_NODE_RETURN_VALUE = "INVALID_GRAPH_NODE_RETURN_VALUE"
    MULTIPLE_SUBGRAPHS = "MULTIPLE_SUBGRAPHS"
    INVALID_CHAT_HISTORY = "INVALID_CHAT_HISTORY"


def troubleshooting(code: str) -> str:
    """The line LangGraph appends to an error message with a code."""
    return (
        "\nFor troubleshooting, visit: "
        f"https://docs.langchain.com/oss/python/langgraph/errors/{code}"
    )


def error_text(exc: BaseException) -> str:
    """``str(exc)``, or a description of ``exc`` when its ``__str__`` raises: a user's
    exception must never replace itself (or lose the run's events) by failing to print."""
    try:
        return str(exc)
    except Exception as broken:
        return f"<{type(exc).__name__}: its str() raised {_plain(broken)}>"


def error_repr(value: Any) -> str:
    """``repr(value)``, or a description of ``value`` when its ``__repr__`` raises."""
    try:
        return repr(value)
    except Exception as broken:
        return f"<{type(value).__name__}: its repr() raised {_plain(broken)}>"


def _plain(exc: BaseException) -> str:
    """``"Type: text"`` of the exception a ``__str__``/``__repr__`` raised (its type alone
    if that one will not print either)."""
    try:
        return f"{type(exc).__name__}: {exc}"
    except Exception:
        return type(exc).__name__


def create_error_message(*, message: str, error_code: ErrorCode) -> str:
    """``message`` with its troubleshooting link, as ``langgraph.errors`` builds it."""
    return message + troubleshooting(error_code.value)


class GraphError(ValueError):
    """The graph as built cannot run: an unknown node, no entry edge, a duplicate name...

    Raised by ``StateGraph.compile()`` (and by ``add_node`` for a node function whose
    parameters cannot be injected).
    """


class InvalidUpdateError(ValueError):
    """A node returned an update the state model rejects: unknown field, invalid value,
    two values for one field in a step without a reducer, or a reducer that raised."""


class UnknownNodeError(LookupError):
    """A node's ``Command(goto=...)`` or a conditional edge named a node that does not exist."""


class GraphRecursionError(RecursionError):
    """The run took ``config["recursion_limit"]`` steps (10007 by default, as
    LangGraph 1.2) without ending.

    Counted as LangGraph counts: the limit's last step runs and its update is applied, then
    the run fails, even if that step would have ended it.
    """


def recursion_message(limit: int) -> str:
    """LangGraph's message for ``GraphRecursionError``."""
    return (
        f"Recursion limit of {limit} reached without hitting a stop condition. You can "
        f"increase the limit by setting the `recursion_limit` config key."
        + troubleshooting(ErrorCode.GRAPH_RECURSION_LIMIT.value)
    )


class NodeTimeoutError(TimeoutError):
    """A node's attempt ran longer than its ``add_node(..., timeout=...)`` (LangGraph's
    error), or a cleanup node longer than ``compile(cleanup_timeout=...)`` allows."""

    node: str | None = None
    """The node whose own timeout expired (None for a cleanup timeout)."""
    run_timeout: float | None = None
    """That timeout, in seconds."""
    elapsed: float | None = None
    """How long the attempt ran, in seconds."""
    kind = "run"
    """Which timeout fired: always the run timeout (LangGraph's ``kind``)."""
    idle_timeout = None
    """Always None: graphstage has no idle timeouts (LangGraph's field)."""

    @property
    def timeout(self) -> float | None:
        """The timeout that fired, in seconds (LangGraph's field): ``run_timeout``."""
        return self.run_timeout


class SurvivingTaskError(RuntimeError):
    """``kill()`` could not end a node: its task swallowed every cancellation, or it runs
    in a worker thread, which Python cannot interrupt. The node was abandoned."""


class WriterClosedError(RuntimeError):
    """A node's ``writer`` was called after the node had ended."""


class JournalWarning(RuntimeWarning):
    """The journal could not record all of a run (``ainvoke``/``astream`` warn with it; the
    run itself went on, and ``RunResult.journal_error`` has the error)."""


class NodeExitError(RuntimeError):
    """A node raised a ``BaseException`` that is not an ``Exception`` (``SystemExit``,
    ``KeyboardInterrupt``, ``GeneratorExit``, a custom one): the run fails with this error
    instead, naming the node, so the node never ends the caller's process or event loop.
    The original exception is its ``__cause__``."""


class NodeCancelledError(RuntimeError):
    """A node raised ``CancelledError`` though no stop was requested: reported as the
    node's failure, so the task awaiting ``ainvoke`` does not look cancelled itself."""

    node: str | None = None
    """The node that raised it."""


class EmptyInputError(Exception):
    """A graph was invoked with an empty input where one is needed."""


class EmptyChannelError(Exception):
    """A channel was read before anything was written to it."""


class ResumeError(ValueError):
    """A thread or run cannot be continued as asked: its next node is not in the graph,
    another run is continuing it, it was continued already, or nothing waits for an
    answer. Raised before any step runs; the message says what to do instead."""


class ParentCommand(Exception):
    """A subgraph's node returned ``Command(graph=Command.PARENT)``: the subgraph's run
    ends and hands the Command to the graph that runs it as a node. Raised by a subgraph's
    ``ainvoke`` (a node of the parent that lets it propagate has returned that Command);
    at the top level, where there is no parent, it reaches the caller."""

    def __init__(self, command: Any) -> None:
        super().__init__(command)  # args[0] is the Command, as LangGraph's
        self.command = command

    def __str__(self) -> str:
        return (
            f"{self.command!r} addresses the parent graph; it is applied where this graph "
            f"runs as a node (a graph run on its own has no parent)"
        )
