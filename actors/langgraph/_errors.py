"""Errors of a graph carried over from LangGraph, as its own code catches them: a run's
failure raised from ``invoke``/``ainvoke``/``stream``/``astream`` is an instance of
graphstage's error type and of LangGraph's (``except langgraph.errors.GraphRecursionError``
and ``except graphstage.errors.GraphRecursionError`` both catch it)."""

from __future__ import annotations

from typing import Any

from .. import _errors

# graphstage's error -> LangGraph's of the same meaning (by name in langgraph.errors)
_SAME = (
    "GraphRecursionError",
    "InvalidUpdateError",
    "EmptyInputError",
    "NodeTimeoutError",
    "NodeCancelledError",
)
_BOTH: dict[type[BaseException], type[BaseException]] = {}


def _both_types() -> dict[type[BaseException], type[BaseException]]:
    """graphstage's error types -> a subclass of it and of LangGraph's (made once)."""
    if not _BOTH:
        import langgraph.errors as theirs

        for name in _SAME:
            ours: Any = getattr(_errors, name)
            # graphstage's own constructor and fields: LangGraph's __init__ takes others
            _BOTH[ours] = type(
                name,
                (ours, getattr(theirs, name)),
                {"__module__": ours.__module__, "__doc__": ours.__doc__, "__init__": ours.__init__},
            )
    return _BOTH


def as_langgraph_error(error: BaseException) -> BaseException:
    """``error`` made an instance of LangGraph's type too, where LangGraph has one (the
    same object: its message, fields, traceback and cause are kept)."""
    both = _both_types().get(type(error))
    if both is not None:
        error.__class__ = both
    return error
