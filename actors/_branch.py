"""``Branch``: a conditional edge as the builder declares it and the router resolves it."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any

from ._command import Send
from ._destinations import literal_targets
from ._errors import UnknownNodeError
from ._stream import EVENTS_KEY


class Branch:
    """A conditional edge: ``path(state)`` names the next node(s), maybe through ``path_map``."""

    __slots__ = ("_literal", "_needs_config", "path", "path_map", "source", "view")

    def __init__(
        self, source: str, path: Callable[..., Any], path_map: Mapping[Hashable, str] | None
    ) -> None:
        self.source = source
        self.path = path
        self.path_map = path_map
        try:
            params = inspect.signature(path).parameters
        except (TypeError, ValueError):
            params = {}  # type: ignore[assignment]
        self._needs_config = "config" in params
        # without a path_map: the names a `-> Literal[...]` return annotation lists
        self._literal = literal_targets(path) if path_map is None else ()
        self.view: Any = None
        """Set by compile() when the path function's first parameter is annotated with a
        schema: builds its input (only that schema's keys) from the state."""

    def targets(self) -> tuple[str, ...]:
        """Every destination this branch may take, when that is known (for drawing)."""
        return tuple(self.path_map.values()) if self.path_map else self._literal

    def labelled_targets(self) -> tuple[tuple[str, str], ...]:
        """``(key, destination)`` for every entry of the path_map (for drawing)."""
        if not self.path_map:
            return tuple((t, t) for t in self._literal)
        return tuple((str(k), v) for k, v in self.path_map.items())

    def _call(self, state: Any, config: dict[str, Any]) -> Any:
        return self.path(state, config) if self._needs_config else self.path(state)

    async def resolve(self, state: Any, config: dict[str, Any]) -> list[tuple[str, str] | Send]:
        """Call the path function: the ``(key, destination)`` pairs it chose (the key is
        what it returned, before the path_map), and each ``Send`` as it is (its own
        destination: no pair made for each of a fan-out's W Sends)."""
        if self.view is not None:
            state = self.view(state)
        graph_run = config.get(EVENTS_KEY)
        if graph_run is not None:  # the run reports to LangChain callbacks (astream_events)
            result = await graph_run.route(self, state, config, lambda: self._call(state, config))
        else:
            result = self._call(state, config)
            if isinstance(result, Awaitable):
                result = await result
        keys = [result] if isinstance(result, str) or not isinstance(result, Sequence) else result
        dsts: list[tuple[str, str] | Send] = []
        for key in keys:
            if isinstance(key, Send):
                dsts.append(key)
                continue
            dst = key
            if self.path_map is not None:
                if key not in self.path_map:
                    raise UnknownNodeError(
                        f"the conditional edge from '{self.source}' returned {key!r}, which is "
                        f"not in its path_map (keys: {', '.join(map(repr, self.path_map))})"
                    )
                dst = self.path_map[key]
            if not isinstance(dst, str):
                raise UnknownNodeError(
                    f"the conditional edge from '{self.source}' returned {dst!r}; it must "
                    f"return a node name, END, or a list of them"
                )
            dsts.append((str(key), dst))
        return dsts
