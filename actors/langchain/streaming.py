"""``stream_mode="messages"``: chat-model tokens from inside nodes, as LangGraph streams them.

Before a node's function runs, ``enter_node`` gives LangChain runnables called inside it the
run's config (its callbacks, ``configurable`` and metadata), as LangGraph does through
langchain-core's context variable. When the run streams messages, a callback handler is
added that sends every token chunk (and a non-streamed reply) through the node's writer as
a ``StreamedMessage`` with LangGraph's metadata (``langgraph_step``, ``langgraph_node``...);
the stream view yields them as ``(message, metadata)`` pairs. Being a streaming handler, it
makes ``model.invoke`` stream, as in LangGraph.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import (
    ChatGeneration,
    ChatGenerationChunk,
    GenerationChunk,
    LLMResult,
)
from langchain_core.runnables.config import var_child_runnable_config

from .._node import NodeContext
from .._stream import EVENTS_KEY, MESSAGES_KEY, StreamedMessage, node_config
from .callback_runs import current_node_run

try:
    from langchain_core.tracers._streaming import _StreamingCallbackHandler
except ImportError:  # pragma: no cover - older langchain-core
    _StreamingCallbackHandler = object  # type: ignore[assignment,misc]


class MessagesHandler(BaseCallbackHandler, _StreamingCallbackHandler[Any]):
    """Sends a node's chat-model output through its writer (one handler per execution)."""

    run_inline = True  # on the caller's thread: chunks keep their order

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        # chat-model run -> the metadata its chunks carry
        self.metadata: dict[UUID, dict[str, Any]] = {}

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: Any,
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        if metadata and not (tags and "nostream" in tags):
            # the model's own tags (not LangChain's seq:step bookkeeping), as LangGraph
            # shows them: a program tells two models apart by metadata["tags"]
            user_tags = [t for t in tags or () if not t.startswith("seq:step")]
            self.metadata[run_id] = {**metadata, "tags": user_tags} if user_tags else metadata

    def on_llm_new_token(
        self,
        token: str | list[str | dict[str, Any]],
        *,
        chunk: GenerationChunk | ChatGenerationChunk | None = None,
        run_id: UUID,
        **kwargs: Any,
    ) -> Any:
        meta = self.metadata.get(run_id)
        if meta is not None and isinstance(chunk, ChatGenerationChunk):
            self.writer(StreamedMessage(chunk.message, meta))

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> Any:
        meta = self.metadata.pop(run_id, None)
        if meta is not None and response.generations and response.generations[0]:
            generation = response.generations[0][0]
            if isinstance(generation, ChatGeneration):  # shown unless its chunks were
                self.writer(StreamedMessage(generation.message, meta, dedupe=True))

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> Any:
        self.metadata.pop(run_id, None)

    def tap_output_aiter(self, run_id: UUID, output: Any) -> Any:
        return output

    def tap_output_iter(self, run_id: UUID, output: Any) -> Any:
        return output


def enter_node(ctx: NodeContext) -> dict[str, Any] | None:
    """In the node's task (or thread), before its function: the config LangChain runnables
    called inside it inherit. When the run reports to callbacks (``astream_events``), that
    is the config of the node's own callback run, also returned: the node's ``config``."""
    config = ctx.config
    node_run = current_node_run(ctx) if EVENTS_KEY in config else None
    if node_run is not None:
        child = node_run.config
        if config.get(MESSAGES_KEY):
            child["callbacks"].add_handler(MessagesHandler(ctx.writer), inherit=True)
        var_child_runnable_config.set(child)  # type: ignore[arg-type]
        return child
    callbacks = config.get("callbacks")
    callbacks = list(callbacks) if isinstance(callbacks, list | tuple) else []
    if config.get(MESSAGES_KEY):
        callbacks.append(MessagesHandler(ctx.writer))
    child = node_config(config, ctx.run_id, ctx.node, ctx.step, ctx.task)
    child["metadata"].setdefault("checkpoint_ns", child["metadata"]["langgraph_checkpoint_ns"])
    child["callbacks"] = callbacks
    var_child_runnable_config.set(child)  # type: ignore[arg-type]
    return None
