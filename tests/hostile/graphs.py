"""Graphs for the hostile CLI tests (loaded as ``tests/hostile/graphs.py:NAME`` by the CLI
in another process). Each misbehaves in one way; a test says what it expects of it."""

from __future__ import annotations

import asyncio
import time
from typing import Any, TypedDict

from graphstage import END, START, StateGraph, interrupt


class S(TypedDict, total=False):
    x: Any


class Opaque:
    """A value whose ``repr()`` raises: no text can be had of it."""

    def __repr__(self) -> str:
        raise RuntimeError("repr broke")


class Stubborn(Exception):
    def __str__(self) -> str:
        raise RuntimeError("str broke")


CYCLE: list[Any] = []
CYCLE.append(CYCLE)


def _one(fn: Any) -> Any:
    b = StateGraph(S)
    b.add_node("a", fn)
    b.add_edge(START, "a")
    b.add_edge("a", END)
    return b.compile()


async def _hog(state: S) -> dict[str, Any]:
    print("hogging", flush=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # never awaits: the loop is blocked
        pass
    return {"x": "done"}


async def _chatty(state: S, writer: Any) -> dict[str, Any]:
    for i in range(200):
        writer(f"line {i}")
        await asyncio.sleep(0.005)
    return {"x": "done"}


def _raise_stubborn(state: S) -> dict[str, Any]:
    raise Stubborn()


hog = _one(_hog)
chatty = _one(_chatty)
stubborn = _one(_raise_stubborn)
asks_opaque = _one(lambda s: {"x": interrupt(Opaque())})
asks_cycle = _one(lambda s: {"x": interrupt(CYCLE)})
returns_opaque = _one(lambda s: {"x": Opaque()})

ESC = "\x1b[31m"
"""An ANSI escape: a terminal would turn the rest of its output red (or worse)."""

_escapes = StateGraph(S)
_escapes.add_node("n" + ESC, lambda s: {"x": interrupt("q" + ESC)})
_escapes.add_edge(START, "n" + ESC)
_escapes.add_edge("n" + ESC, END)
escapes = _escapes.compile(name="g" + ESC)
