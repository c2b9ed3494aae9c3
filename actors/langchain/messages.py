"""``add_messages`` and ``MessagesState``, as ``langgraph.graph.message`` defines them.

Messages are langchain-core's own classes: dicts (``{"role": "user", "content": ...}``,
OpenAI-style with ``tool_calls``), ``("user", "hi")`` tuples and strings are coerced to them;
every message gets an id; a message whose id is already in the list replaces it;
``RemoveMessage(id=...)`` deletes one, ``RemoveMessage(id=REMOVE_ALL_MESSAGES)`` all before it.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from typing_extensions import TypedDict

try:
    from langchain_core.messages import (
        AIMessage,
        AnyMessage,
        BaseMessage,
        ChatMessage,
        FunctionMessage,
        HumanMessage,
        RemoveMessage,
        SystemMessage,
        ToolMessage,
        convert_to_messages,
        message_chunk_to_message,
    )
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "graphstage's chat messages (add_messages, MessagesState, stream_mode='messages') "
        "need langchain-core: pip install 'graphstage[messages]'"
    ) from exc

_PLAIN = frozenset(
    {AIMessage, HumanMessage, SystemMessage, ToolMessage, FunctionMessage, ChatMessage}
)
"""Message classes that need no conversion (not chunks, not dicts or tuples)."""

REMOVE_ALL_MESSAGES = "__remove_all__"
"""``RemoveMessage(id=REMOVE_ALL_MESSAGES)`` clears the list (LangGraph's constant)."""

Messages = list[Any] | Any


def _as_messages(value: Any) -> list[BaseMessage]:
    items = value if isinstance(value, list) else [value]
    # the state's own list is whole messages already: one cheap pass instead of
    # langchain-core's conversions (about 15x faster on a long history)
    plain = _PLAIN
    if all(type(m) in plain for m in items):
        return list(items)
    return [message_chunk_to_message(m) for m in convert_to_messages(items)]


def add_messages(
    left: Messages = None,
    right: Messages = None,
    *,
    format: Literal["langchain-openai"] | None = None,
) -> Any:
    """Merge two lists of messages, updating existing messages by id (LangGraph's reducer).

    Called with no lists (``add_messages(format=...)``) it returns a reducer, as LangGraph's.
    """
    if left is None and right is None:
        return lambda a, b: add_messages(a, b, format=format)
    if format is not None and format != "langchain-openai":
        raise ValueError(f"add_messages: unknown format {format!r}")
    merged = _as_messages(left if left is not None else [])
    new = _as_messages(right if right is not None else [])
    for message in merged:
        if message.id is None:
            message.id = str(uuid.uuid4())
    remove_all = None
    for i, message in enumerate(new):
        if message.id is None:
            message.id = str(uuid.uuid4())
        if isinstance(message, RemoveMessage) and message.id == REMOVE_ALL_MESSAGES:
            remove_all = i
    if remove_all is not None:
        return new[remove_all + 1 :]
    index = {m.id: i for i, m in enumerate(merged)}
    removed: set[str | None] = set()
    for message in new:
        at = index.get(message.id)
        if at is not None:
            if isinstance(message, RemoveMessage):
                removed.add(message.id)
            else:
                removed.discard(message.id)
                merged[at] = message
        elif isinstance(message, RemoveMessage):
            raise ValueError(
                f"Attempting to delete a message with an ID that doesn't exist ('{message.id}')"
            )
        else:
            index[message.id] = len(merged)
            merged.append(message)
    if removed:
        merged = [m for m in merged if m.id not in removed]
    if format == "langchain-openai":
        from langchain_core.messages import convert_to_openai_messages

        merged = _as_messages(convert_to_openai_messages(merged))
    return merged


class MessagesState(TypedDict):
    """A state holding a chat's messages, merged by ``add_messages``."""

    messages: Annotated[list[AnyMessage], add_messages]
