"""The names ``langgraph.types`` exports, for programs that import them from there.

from graphstage.types import Command, Overwrite, Send
"""

from ._command import Command, Send
from .state import Overwrite

__all__ = ["Command", "Overwrite", "Send"]
