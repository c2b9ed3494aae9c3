"""Graphs whose nodes misbehave, for the CLI's fault tests (``tests/journal/hostile.py:NAME``).

``stubborn``: an async node that swallows every CancelledError and never returns.
``stuck_thread``: a sync node that ignores ``ctx.cancel_requested`` and sleeps on.
``exits``: a node that calls ``sys.exit(3)`` (argparse inside a node does that).
``interrupts``: a node that raises ``KeyboardInterrupt``.
``keeps_and_ignores``: a sync node that puts a checkpoint into a saver of its own (the file
``$GRAPHSTAGE_TEST_SIDE_DB``), then ignores the stop as ``stuck_thread`` does.
"""

import asyncio
import os
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


def keep_and_ignore(state: S, writer):
    from graphstage import Journal, SqliteSaver, ThreadCheckpoint
    from graphstage.checkpoint._base import new_checkpoint_id, now_iso

    saver = SqliteSaver(Journal(os.environ["GRAPHSTAGE_TEST_SIDE_DB"], timeout=30))
    saver.put(
        ThreadCheckpoint(
            thread_id="side",
            checkpoint_id=new_checkpoint_id(),
            parent_id=None,
            step=0,
            source="input",
            values={"kept": True},
            next=(),
            created_at=now_iso(),
        )
    )
    writer("entered")
    time.sleep(60)
    return {"x": saver.path != ""}


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
keeps_and_ignores = _one("keeps_and_ignores", keep_and_ignore)
