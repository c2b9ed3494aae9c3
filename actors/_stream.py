"""The ``stream_mode`` views of a run's event stream, as LangGraph names them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._events import CustomOutput, Event, NodeFinished, RunStarted, StateUpdated
from .state import StateSchema

STREAM_MODES = ("values", "updates", "custom", "events")


def parse_modes(
    stream_mode: str | list[str] | tuple[str, ...] | None,
) -> tuple[tuple[str, ...], bool]:
    """The requested modes and whether a single mode was asked for (chunks are then bare)."""
    if stream_mode is None:
        stream_mode = "updates"
    single = isinstance(stream_mode, str)
    modes = (stream_mode,) if isinstance(stream_mode, str) else tuple(stream_mode)
    for mode in modes:
        if mode not in STREAM_MODES:
            raise ValueError(
                f"stream_mode {mode!r} is not supported; use one or more of "
                f"{', '.join(STREAM_MODES)}"
            )
    if not modes:
        raise ValueError(f"stream_mode is empty; use one or more of {', '.join(STREAM_MODES)}")
    return modes, single


def chunks(event: Event, modes: tuple[str, ...], schema: StateSchema) -> Iterator[tuple[str, Any]]:
    """``(mode, chunk)`` for each requested mode this event shows up in."""
    for mode in modes:
        if mode == "events":
            yield mode, event
        elif mode == "custom":
            if isinstance(event, CustomOutput):
                yield mode, event.data
        elif mode == "updates":
            if isinstance(event, NodeFinished):
                update = event.update
                if update is not None and not isinstance(update, dict):
                    update = dict(update)
                yield mode, {event.node: update}
        elif mode == "values":
            if isinstance(event, RunStarted):
                yield mode, schema.as_dict(event.input)
            elif isinstance(event, StateUpdated):
                yield mode, schema.as_dict(event.values)
