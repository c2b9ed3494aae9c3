"""graphstage's runtime: LangGraph-style state graphs on actors, where Stop is a message.

    from graphstage import StateGraph, Command, START, END

This package imports no Qt; the desktop app in ``app`` uses only what is exported here.
"""

from ._builder import StateGraph
from ._command import Command, Send
from ._constants import END, START
from ._errors import (
    EmptyInputError,
    GraphError,
    GraphRecursionError,
    InvalidUpdateError,
    JournalWarning,
    NodeTimeoutError,
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
from ._graph import Checkpoint, CompiledGraph, GraphEdge
from ._journal import RESUMABLE_STATUSES, Journal, JournalError, RunRecord
from ._node import NodeContext, get_stream_writer
from ._run import Run, RunResult
from .executors import Executor, LocalExecutor, NodeHandle
from .state import IsLastStep, Overwrite, RemainingSteps

__all__ = [
    "END",
    "RESUMABLE_STATUSES",
    "START",
    "AnyEvent",
    "Checkpoint",
    "Command",
    "CompiledGraph",
    "CustomOutput",
    "EmptyInputError",
    "Event",
    "Executor",
    "GraphEdge",
    "GraphError",
    "GraphRecursionError",
    "InvalidUpdateError",
    "IsLastStep",
    "Journal",
    "JournalError",
    "JournalWarning",
    "LocalExecutor",
    "NodeCancelled",
    "NodeContext",
    "NodeFailed",
    "NodeFinished",
    "NodeHandle",
    "NodeStarted",
    "NodeTimeoutError",
    "Overwrite",
    "RemainingSteps",
    "Run",
    "RunFinished",
    "RunRecord",
    "RunResult",
    "RunStarted",
    "RunStatus",
    "Send",
    "StateGraph",
    "StateUpdated",
    "StopRequested",
    "SurvivingTaskError",
    "Transition",
    "TransitionReason",
    "UnknownNodeError",
    "WriterClosedError",
    "dump_event",
    "dump_event_json",
    "get_stream_writer",
    "load_event",
]
