"""The names LangGraph programs import most often exist where the compatibility table
(``compat_runner.IMPORTS``) sends them, so switching imports is all a program needs."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from compat_runner import IMPORTS

NAMES = {
    "langgraph.graph": ["StateGraph", "START", "END", "MessagesState", "add_messages"],
    "langgraph.graph.message": ["add_messages", "MessagesState", "REMOVE_ALL_MESSAGES"],
    "langgraph.types": [
        "Command",
        "Send",
        "RetryPolicy",
        "CachePolicy",
        "Overwrite",
        "StreamWriter",
        "interrupt",
        "Durability",
    ],
    "langgraph.errors": [
        "GraphRecursionError",
        "InvalidUpdateError",
        "EmptyInputError",
        "EmptyChannelError",
        "GraphInterrupt",
        "ParentCommand",
        "ErrorCode",
        "create_error_message",
    ],
    "langgraph.config": ["get_stream_writer", "get_store", "get_config"],
    "langgraph.runtime": ["Runtime", "get_runtime"],
    "langgraph.managed": ["RemainingSteps", "IsLastStep"],
    "langgraph.cache.memory": ["InMemoryCache"],
    "langgraph.store.memory": ["InMemoryStore"],
    "langgraph.store.base": [
        "BaseStore",
        "Item",
        "SearchItem",
        "IndexConfig",
        "InvalidNamespaceError",
        "Embeddings",
        "ensure_embeddings",
        "get_text_at_path",
        "tokenize_path",
    ],
    "langgraph.prebuilt.interrupt": ["HumanInterrupt", "HumanInterruptConfig", "HumanResponse"],
}


@pytest.mark.parametrize("module", sorted(NAMES))
def test_langgraphs_names_exist_in_graphstage(module: str) -> None:
    pytest.importorskip("langchain_core")
    target = importlib.import_module(IMPORTS[module])
    missing = [name for name in NAMES[module] if not hasattr(target, name)]
    assert missing == [], f"{IMPORTS[module]} lacks {missing} (LangGraph's {module} has them)"
