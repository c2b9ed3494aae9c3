"""The errors a LangGraph program catches, under ``langgraph.errors``' names (and
graphstage's own).

    from graphstage.errors import GraphRecursionError, InvalidUpdateError
"""

from ._error_handler import NodeError
from ._errors import (
    EmptyChannelError,
    EmptyInputError,
    ErrorCode,
    GraphError,
    GraphRecursionError,
    InvalidUpdateError,
    NodeCancelledError,
    NodeExitError,
    NodeTimeoutError,
    ParentCommand,
    ResumeError,
    SurvivingTaskError,
    UnknownNodeError,
    WriterClosedError,
    create_error_message,
)
from ._interrupt import GraphInterrupt, is_invalid_resume

__all__ = [
    "EmptyChannelError",
    "EmptyInputError",
    "ErrorCode",
    "GraphError",
    "GraphInterrupt",
    "GraphRecursionError",
    "InvalidUpdateError",
    "NodeCancelledError",
    "NodeError",
    "NodeExitError",
    "NodeTimeoutError",
    "ParentCommand",
    "ResumeError",
    "SurvivingTaskError",
    "UnknownNodeError",
    "WriterClosedError",
    "create_error_message",
    "is_invalid_resume",
]
