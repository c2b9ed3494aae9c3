"""The names ``langgraph.types`` exports, for programs that import them from there.

from graphstage.types import CachePolicy, Command, Overwrite, RetryPolicy, Send, StreamWriter
from graphstage.types import TimeoutPolicy
from graphstage.types import Interrupt, interrupt, StateSnapshot, PregelTask, Durability
from graphstage.types import StateUpdate
"""

from ._command import Command, Send
from ._context import StreamWriter
from ._interrupt import Interrupt, interrupt
from ._policies import CachePolicy, RetryPolicy, TimeoutPolicy
from .checkpoint._base import Durability
from .checkpoint._state import PregelTask, StateSnapshot
from .checkpoint._update import StateUpdate
from .state import Overwrite

__all__ = [
    "CachePolicy",
    "Command",
    "Durability",
    "Interrupt",
    "Overwrite",
    "PregelTask",
    "RetryPolicy",
    "Send",
    "StateSnapshot",
    "StateUpdate",
    "StreamWriter",
    "TimeoutPolicy",
    "interrupt",
]
