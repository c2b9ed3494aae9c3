"""graphstage's runtime: LangGraph-style state graphs on actors, where Stop is a message.

    from graphstage import StateGraph, Command, START, END

This package imports no Qt; the desktop app in ``app`` uses only what is exported here.
"""

from typing import Any

from ._builder import StateGraph
from ._command import Command, Send
from ._config_api import get_config, get_store
from ._constants import DEFAULT_RECURSION_LIMIT, END, START
from ._context import ExecutionInfo, Runtime, ServerInfo, StreamWriter, get_runtime
from ._drawing import GraphEdge
from ._errors import (
    EmptyInputError,
    GraphError,
    GraphRecursionError,
    InvalidUpdateError,
    JournalWarning,
    NodeTimeoutError,
    ParentCommand,
    ResumeError,
    SurvivingTaskError,
    UnknownNodeError,
    WriterClosedError,
)
from ._events import (
    AnyEvent,
    CustomOutput,
    Event,
    NodeCancelled,
    NodeFailed,
    NodeFinished,
    NodeInterrupted,
    NodeStarted,
    RunFinished,
    RunStarted,
    RunStatus,
    StateUpdated,
    StopRequested,
    Transition,
    TransitionReason,
    dump_event,
    dump_event_json,
    load_event,
)
from ._graph import CompiledGraph
from ._interrupt import GraphInterrupt, Interrupt, interrupt
from ._jsonsafe import jsonable
from ._node import NodeContext, get_stream_writer
from ._policies import CachePolicy, InMemoryCache, RetryPolicy
from ._run import Run, RunResult
from ._starting import Checkpoint
from .checkpoint import (
    BaseCheckpointSaver,
    InMemorySaver,
    MemorySaver,
    ThreadCheckpoint,
    ThreadInfo,
)
from .checkpoint._state import PregelTask, StateSnapshot
from .executors import Executor, LocalExecutor, NodeHandle
from .journal import RESUMABLE_STATUSES, Journal, JournalError, RunRecord
from .state import IsLastStep, Overwrite, RemainingSteps

__all__ = [
    "DEFAULT_RECURSION_LIMIT",
    "END",
    "RESUMABLE_STATUSES",
    "START",
    "AnyEvent",
    "AsyncSqliteSaver",
    "BaseCheckpointSaver",
    "CachePolicy",
    "Checkpoint",
    "Command",
    "CompiledGraph",
    "CustomOutput",
    "EmptyInputError",
    "Event",
    "ExecutionInfo",
    "Executor",
    "GraphEdge",
    "GraphError",
    "GraphInterrupt",
    "GraphRecursionError",
    "InMemoryCache",
    "InMemorySaver",
    "Interrupt",
    "InvalidUpdateError",
    "IsLastStep",
    "Journal",
    "JournalError",
    "JournalWarning",
    "LocalExecutor",
    "MemorySaver",
    "NodeCancelled",
    "NodeContext",
    "NodeFailed",
    "NodeFinished",
    "NodeHandle",
    "NodeInterrupted",
    "NodeStarted",
    "NodeTimeoutError",
    "Overwrite",
    "ParentCommand",
    "PregelTask",
    "RemainingSteps",
    "ResumeError",
    "RetryPolicy",
    "Run",
    "RunFinished",
    "RunRecord",
    "RunResult",
    "RunStarted",
    "RunStatus",
    "Runtime",
    "Send",
    "ServerInfo",
    "SqliteSaver",
    "StateGraph",
    "StateSnapshot",
    "StateUpdated",
    "StopRequested",
    "StreamWriter",
    "SurvivingTaskError",
    "ThreadCheckpoint",
    "ThreadInfo",
    "Transition",
    "TransitionReason",
    "UnknownNodeError",
    "WriterClosedError",
    "dump_event",
    "dump_event_json",
    "get_config",
    "get_runtime",
    "get_store",
    "get_stream_writer",
    "interrupt",
    "jsonable",
    "load_event",
]


def __getattr__(name: str) -> Any:
    # The SQLite savers load on first use (they sit on the journal; see graphstage.checkpoint).
    if name in ("SqliteSaver", "AsyncSqliteSaver"):
        from .checkpoint import sqlite

        return getattr(sqlite, name)
    # langchain-core is optional (the `messages` extra): imported only when these are used
    if name in ("MessagesState", "REMOVE_ALL_MESSAGES", "add_messages"):
        from .langchain import messages

        return getattr(messages, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
