"""Errors raised by graphstage. Each message names the problem and the likely fix."""


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
    """The run took more steps than ``config["recursion_limit"]`` allows (25 by default)."""


class NodeTimeoutError(TimeoutError):
    """A cleanup node ran longer than ``compile(cleanup_timeout=...)`` allows."""


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
