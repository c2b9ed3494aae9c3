"""Graphs whose nodes misbehave, for the CLI's fault tests (``tests/journal/hostile.py:NAME``).

``stubborn``: an async node that swallows every CancelledError and never returns.
``stuck_thread``: a sync node that ignores ``ctx.cancel_requested`` and sleeps on.
``exits``: a node that calls ``sys.exit(3)`` (argparse inside a node does that).
``interrupts``: a node that raises ``KeyboardInterrupt``.
"""

import asyncio
import sys
import time
from typing import TypedDict

from graphstage import START, StateGraph


class S(TypedDict, total=False):
    x: int


async def swallow(state: S, writer):
    writer("entered")
    while True:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            writer("swallowed a cancellation")


def ignore(state: S, writer):
    writer("entered")
    time.sleep(60)


async def exit_now(state: S):
    sys.exit(3)


async def interrupt(state: S):
    raise KeyboardInterrupt


def _one(name, fn):
    builder = StateGraph(S)
    builder.add_node(name, fn)
    builder.add_edge(START, name)
    return builder.compile(cancel_grace=0.2, kill_timeout=0.2, name=name)


stubborn = _one("stubborn", swallow)
stuck_thread = _one("stuck_thread", ignore)
exits = _one("exits", exit_now)
interrupts = _one("interrupts", interrupt)
