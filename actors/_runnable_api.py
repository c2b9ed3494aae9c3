"""The rest of LangGraph's runnable surface a compiled graph answers to: ``batch`` /
``abatch`` (one run per input, concurrently, as LangChain's ``Runnable.abatch``),
``clear_cache`` / ``aclear_cache``, and a named refusal of ``astream_events``."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, cast

from ._context import SYNC_KEY
from ._sync import run_sync


class RunnableAPI:
    """Mixed into ``CompiledGraph``; relies on its ``ainvoke`` and ``cache``."""

    cache: Any

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

    def astream_events(self, *args: Any, **kwargs: Any) -> Any:
        """Not carried over: graphstage has no LangChain callback event stream."""
        raise NotImplementedError(
            "astream_events is not supported by graphstage: use astream(stream_mode=[...]) "
            "('updates', 'messages', 'custom', 'tasks', 'debug'...) or run.events()"
        )

    stream_events = astream_events


def _configs(
    config: dict[str, Any] | Sequence[dict[str, Any]] | None, count: int
) -> list[dict[str, Any]]:
    if config is None or isinstance(config, dict):
        return [dict(config or {}) for _ in range(count)]
    configs = [dict(c or {}) for c in config]
    if len(configs) != count:
        raise ValueError(f"batch got {count} inputs but {len(configs)} configs")
    return configs
