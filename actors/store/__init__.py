"""Long-term memory across runs and threads, as LangGraph's ``langgraph.store``.

``compile(store=InMemoryStore())`` (graphstage's, or LangGraph's own) gives every node that
takes a ``store`` parameter, and ``runtime.store``, the same store.
"""

from ._base import BaseStore, InvalidNamespaceError, Item, SearchItem, is_store
from .memory import InMemoryStore

__all__ = ["BaseStore", "InMemoryStore", "InvalidNamespaceError", "Item", "SearchItem", "is_store"]
