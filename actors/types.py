"""The names ``langgraph.types`` exports, for programs that import them from there.

from graphstage.types import Command, Overwrite
"""

from ._command import Command
from .state import Overwrite

__all__ = ["Command", "Overwrite"]
