"""Long-term memory across runs and threads, as LangGraph's ``langgraph.store``.

``compile(store=InMemoryStore())`` (graphstage's, or LangGraph's own) gives every node that
takes a ``store`` parameter, and ``runtime.store``, the same store.
``InMemoryStore(index={"dims": ..., "embed": ...})`` searches by meaning
(``search(prefix, query=...)``), as LangGraph's.
"""

from ._base import BaseStore, IndexConfig, InvalidNamespaceError, Item, SearchItem, is_store
from ._embed import Embeddings, ensure_embeddings, get_text_at_path, tokenize_path
from .memory import InMemoryStore

__all__ = [
    "BaseStore",
    "Embeddings",
    "InMemoryStore",
    "IndexConfig",
    "InvalidNamespaceError",
    "Item",
    "SearchItem",
    "ensure_embeddings",
    "get_text_at_path",
    "is_store",
    "tokenize_path",
]
