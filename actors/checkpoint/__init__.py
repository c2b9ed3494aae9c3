"""Persistence: threads of checkpoints, as LangGraph's ``langgraph.checkpoint``.

``InMemorySaver`` (alias ``MemorySaver``) keeps threads in memory; ``SqliteSaver`` /
``AsyncSqliteSaver`` keep them in the run journal's SQLite file. Both implement
``BaseCheckpointSaver``, the one interface the runtime uses.
"""

from typing import Any

from ._base import BaseCheckpointSaver, ThreadCheckpoint, ThreadInfo
from .memory import InMemorySaver, MemorySaver

__all__ = [
    "AsyncSqliteSaver",
    "BaseCheckpointSaver",
    "InMemorySaver",
    "MemorySaver",
    "SqliteSaver",
    "ThreadCheckpoint",
    "ThreadInfo",
]


def __getattr__(name: str) -> Any:
    # The SQLite savers sit on the journal, which imports the compiled graph: loading them
    # on first use keeps the runtime's modules free of an import cycle.
    if name in ("SqliteSaver", "AsyncSqliteSaver"):
        from . import sqlite

        return getattr(sqlite, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
