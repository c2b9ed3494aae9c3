"""The errors a LangGraph program catches, under ``langgraph.errors``' names.

from graphstage.errors import GraphRecursionError, InvalidUpdateError
"""

from ._errors import (
    EmptyChannelError,
    EmptyInputError,
    ErrorCode,
    GraphError,
    GraphRecursionError,
    InvalidUpdateError,
    NodeTimeoutError,
    UnknownNodeError,
    create_error_message,
)

__all__ = [
    "EmptyChannelError",
    "EmptyInputError",
    "ErrorCode",
    "GraphError",
    "GraphRecursionError",
    "InvalidUpdateError",
    "NodeTimeoutError",
    "UnknownNodeError",
    "create_error_message",
]
