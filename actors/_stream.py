"""The ``stream_mode`` views of a run's event stream, as LangGraph names them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._events import CustomOutput, Event, NodeFinished, RunFinished, RunStarted, StateUpdated
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


class Chunker:
    """Turns one run's events into ``(mode, chunk)`` pairs, in order. The ``values`` mode
    rebuilds the whole state after each step from the deltas the events carry."""

    def __init__(self, modes: tuple[str, ...], schema: StateSchema) -> None:
        self.modes = modes
        self.schema = schema
        self.values: dict[str, Any] = {}

    def chunks(self, event: Event) -> Iterator[tuple[str, Any]]:
        """``(mode, chunk)`` for each requested mode this event shows up in."""
        if isinstance(event, RunFinished) and event.status == "paused":
            # as LangGraph 1.x: the questions, or () at a breakpoint
            for mode in self.modes:
                if mode == "updates":
                    yield mode, {"__interrupt__": event.interrupts}
                elif mode == "values" and event.interrupts:
                    values = self.schema.as_dict(event.values)
                    yield mode, {**values, "__interrupt__": event.interrupts}
        for mode in self.modes:
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
                    self.values = self.schema.as_dict(event.input)
                    yield mode, dict(self.values)
                elif isinstance(event, StateUpdated) and (event.update or event.appended):
                    # as LangGraph: a step that wrote nothing shows no values chunk
                    self.values = event.apply(self.values)
                    yield mode, dict(self.values)
