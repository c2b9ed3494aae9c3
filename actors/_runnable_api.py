"""The rest of LangGraph's runnable surface a compiled graph answers to: ``invoke`` and
``stream`` from sync code, ``batch`` / ``abatch`` (one run per input, concurrently, as
LangChain's ``Runnable.abatch``), ``clear_cache`` / ``aclear_cache``, and LangChain's
``astream_events``."""

from __future__ import annotations

import asyncio
import typing
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from ._context import SYNC_KEY
from ._hold import HOLD_KEY
from ._sync import iterate_sync, run_sync

if TYPE_CHECKING:
    from .checkpoint._base import Durability


class RunnableAPI:
    """Mixed into ``CompiledGraph``; relies on its ``ainvoke``, ``astream`` and ``cache``."""

    cache: Any

    def invoke(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
        durability: Durability | None = None,
        debug: bool | None = None,
        stream_mode: str | list[str] = "values",
    ) -> Any:
        """``ainvoke`` from sync code (a new event loop; Ctrl+C stops the run gracefully;
        see ``graphstage._sync``)."""
        return run_sync(
            lambda: cast(Any, self).ainvoke(  # CompiledGraph's
                input,
                {**(config or {}), SYNC_KEY: True},
                interrupt_before=interrupt_before,
                interrupt_after=interrupt_after,
                context=context,
                durability=durability,
                stream_mode=stream_mode,
            )
        )

    def stream(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        stream_mode: str | list[str] | None = None,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
        subgraphs: bool = False,
        durability: Durability | None = None,
        debug: bool | None = None,
    ) -> Iterator[Any]:
        """``astream`` from sync code: each chunk as the run produces it, the run held
        back while the consumer handles a chunk, as LangGraph's; leaving the loop early
        (``break``) stops the run where it is held (``graphstage._hold`` says where)."""
        return iterate_sync(
            lambda: cast(Any, self).astream(  # CompiledGraph's
                input,
                {**(config or {}), SYNC_KEY: True, HOLD_KEY: True},
                stream_mode=stream_mode,
                interrupt_before=interrupt_before,
                interrupt_after=interrupt_after,
                context=context,
                subgraphs=subgraphs,
                durability=durability,
            )
        )

    async def abatch(
        self,
        inputs: Sequence[Any],
        config: dict[str, Any] | Sequence[dict[str, Any]] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        """``ainvoke`` each input (with its config, or the one config), concurrently, each a
        run of its own; the results in input order. ``config["max_concurrency"]`` bounds
        how many run at once, as in LangChain."""
        invoke = cast(Any, self).ainvoke  # CompiledGraph's
        configs = _configs(config, len(inputs))
        limit = next((c.get("max_concurrency") for c in configs if c.get("max_concurrency")), 0)
        gate = asyncio.Semaphore(limit) if limit else None

        async def one(item: Any, conf: dict[str, Any]) -> Any:
            if gate is None:
                return await invoke(item, conf, **kwargs)
            async with gate:
                return await invoke(item, conf, **kwargs)

        return list(
            await asyncio.gather(
                *(one(i, c) for i, c in zip(inputs, configs, strict=True)),
                return_exceptions=return_exceptions,
            )
        )

    def batch(
        self,
        inputs: Sequence[Any],
        config: dict[str, Any] | Sequence[dict[str, Any]] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        """``abatch`` from sync code (a new event loop), as ``invoke`` is ``ainvoke``."""
        configs = [{**c, SYNC_KEY: True} for c in _configs(config, len(inputs))]
        return run_sync(
            lambda: self.abatch(inputs, configs, return_exceptions=return_exceptions, **kwargs)
        )

    def clear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """Forget the cached results of every node (or of ``nodes``), as LangGraph's."""
        if self.cache is not None:
            self.cache.clear(nodes)

    async def aclear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """``clear_cache`` for async code."""
        self.clear_cache(nodes)

    def astream_events(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        version: str = "v2",
        include_names: Sequence[str] | None = None,
        include_types: Sequence[str] | None = None,
        include_tags: Sequence[str] | None = None,
        exclude_names: Sequence[str] | None = None,
        exclude_types: Sequence[str] | None = None,
        exclude_tags: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Any]:
        """LangChain's event stream of a run (``version="v2"``), as LangGraph's: the graph's
        and each node's ``on_chain_start``/``_stream``/``_end`` (LangGraph's names, tags and
        ``langgraph_*`` metadata), and the events of what nodes call (chat models' tokens,
        tools, retrievers, custom events), filtered by ``include_*``/``exclude_*``.
        ``kwargs`` go to ``astream`` (``stream_mode``, ``context``, ``interrupt_before``...).
        langchain-core's own tracer builds the events (``graphstage.langchain.events``);
        closing the stream early or cancelling its consumer stops the run gracefully, as
        ``astream``. Other versions raise ``NotImplementedError`` naming them."""
        from .langchain.events import astream_events

        return astream_events(
            cast(Any, self),
            input,
            config,
            version=version,
            include_names=include_names,
            include_types=include_types,
            include_tags=include_tags,
            exclude_names=exclude_names,
            exclude_types=exclude_types,
            exclude_tags=exclude_tags,
            kwargs=kwargs,
        )

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        """The name LangChain's callbacks know the graph by (a Runnable's ``get_name``):
        the one it was compiled with, else ``"LangGraph"``."""
        from .langchain.events import events_name

        base = name or events_name(cast(Any, self))
        if not suffix:  # as langchain-core's Runnable.get_name
            return base
        return base + suffix.title() if base[0].isupper() else f"{base}_{suffix.lower()}"

    def stream_events(
        self, input: Any, config: Any = None, *, version: str = "v2", **_: Any
    ) -> Any:
        """As LangGraph's for ``v1``/``v2``: langchain-core has no sync event stream."""
        raise NotImplementedError(
            f"stream_events(version={version!r}) is not supported. "
            "Use astream_events() for v1/v2, or stream_events(version='v3') "
            "on a supported subclass."
        )

    # -- JSON Schemas, as LangGraph's Runnable API gives them --------------------------

    def get_input_jsonschema(self, config: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's input: its ``input_schema`` (else its state)."""
        builder = cast(Any, self).builder
        name = f"{cast(Any, self).name}Input"
        return _jsonschema(builder.input_schema or builder.state_schema, name)

    def get_output_jsonschema(self, config: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's output: its ``output_schema`` (else its state)."""
        builder = cast(Any, self).builder
        name = f"{cast(Any, self).name}Output"
        return _jsonschema(builder.output_schema or builder.state_schema, name)

    def get_context_jsonschema(self) -> dict[str, Any] | None:
        """The JSON Schema of ``invoke(context=...)`` (``context_schema``), or None."""
        schema = cast(Any, self).builder.context_schema
        return None if schema is None else _jsonschema(schema)


def _configs(
    config: dict[str, Any] | Sequence[dict[str, Any]] | None, count: int
) -> list[dict[str, Any]]:
    if config is None or isinstance(config, dict):
        return [dict(config or {}) for _ in range(count)]
    configs = [dict(c or {}) for c in config]
    if len(configs) != count:
        raise ValueError(f"batch got {count} inputs but {len(configs)} configs")
    return configs


def _jsonschema(schema: Any, name: str = "") -> dict[str, Any]:
    """A state schema's JSON Schema as LangGraph gives it: a model's and a TypedDict's as
    pydantic writes them; a dataclass's as a model named ``name`` whose fields are optional
    when they have a default or may be None (LangGraph's ``get_field_default``)."""
    import dataclasses

    from pydantic import TypeAdapter, create_model

    from .state.fields import managed_kind, strip_qualifiers

    if not dataclasses.is_dataclass(schema):
        return TypeAdapter(schema).json_schema()
    hints = typing.get_type_hints(schema, include_extras=True)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(schema):
        annotation = hints.get(f.name, Any)
        if managed_kind(annotation) is not None:
            continue  # RemainingSteps and the like: not input
        base = strip_qualifiers(annotation)
        while typing.get_origin(base) is typing.Annotated:
            base = typing.get_args(base)[0]
        default: Any = ...
        if f.default is not dataclasses.MISSING and f.default is not ...:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        elif type(None) in typing.get_args(base):
            default = None
        fields[f.name] = (base, default)
    model: type[Any] = create_model(name or getattr(schema, "__name__", "State"), **fields)
    json_schema: dict[str, Any] = model.model_json_schema()
    return json_schema
