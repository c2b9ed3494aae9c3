"""Run one program's source on graphstage and on LangGraph, with only its imports switched.

A program defines ``main()`` returning a list of observations; ``normalise`` turns each
engine's ``Interrupt`` objects into ``("interrupt", value)`` (their ids differ by design:
each engine hashes its own namespace), so the two lists can be compared whole.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from typing import Any

import pytest

GRAPHSTAGE = """
from graphstage import StateGraph, START, END, Command, interrupt, InMemorySaver, MemorySaver
"""
LANGGRAPH = """
from langgraph.graph import StateGraph, START, END
from langgraph.types import Command, interrupt
from langgraph.checkpoint.memory import InMemorySaver, MemorySaver
"""


def load(source: str, imports: str, name: str) -> Any:
    code = textwrap.dedent(imports) + textwrap.dedent(source)
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module  # get_type_hints looks the state's annotations up here
    exec(compile(code, f"{name}.py", "exec"), module.__dict__)
    return module


def normalise(value: Any) -> Any:
    if type(value).__name__ == "Interrupt" and hasattr(value, "value"):
        return ("interrupt", normalise(value.value))
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(normalise(v) for v in value)
    return value


def run_both(source: str) -> tuple[list[Any], list[Any] | None]:
    """``(graphstage's observations, LangGraph's or None if it is not installed)``."""
    ours = normalise(load(source, GRAPHSTAGE, "on_graphstage").main())
    if importlib.util.find_spec("langgraph") is None:
        return ours, None
    theirs = normalise(load(source, LANGGRAPH, "on_langgraph").main())
    return ours, theirs


def assert_same(source: str) -> list[Any]:
    ours, theirs = run_both(source)
    if theirs is None:
        pytest.skip("the comparison needs LangGraph: pip install -e '.[bench]'")
    assert ours == theirs
    return ours
