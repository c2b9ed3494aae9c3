"""The names ``langgraph.types`` exports, for programs that import them from there.

from graphstage.types import CachePolicy, Command, Overwrite, RetryPolicy, Send, StreamWriter
"""

from ._command import Command, Send
from ._context import StreamWriter
from ._policies import CachePolicy, RetryPolicy
from .state import Overwrite

__all__ = ["CachePolicy", "Command", "Overwrite", "RetryPolicy", "Send", "StreamWriter"]
