"""Tiny graphs the GUI tests run."""

from __future__ import annotations

import asyncio
import enum
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from graphstage import END, START, Command, CompiledGraph, StateGraph

if TYPE_CHECKING:
    from graphstage.app import MainWindow


async def kill_in_work_stage(
    window: MainWindow, wait_until: Callable[..., Any], finished: list[str]
) -> str:
    """Run the bundled example with a 3 s ``work_stage``, Force stop it there, wait for the
    window to report ``killed``; the killed run's id. 3 s: a loaded machine finished a 1 s
    node before the kill landed (the resume runs ``work_stage`` again for as long)."""
    window.input_form.editors["sleep_seconds"].widget.setValue(3)  # type: ignore[attr-defined]
    window.run_button.click()
    await wait_until(lambda: window.graph_view.active_nodes == ("work_stage",))
    window.force_stop_button.click()
    await wait_until(lambda: finished == ["killed"], timeout=10)
    assert window.run is not None
    return window.run.run_id


def shown_end(window: MainWindow, before: object = None) -> Callable[[], bool]:
    """Until the window has shown the end of a run other than ``before``: ``run.done``
    comes first, and the window shows the end (panels, state) a moment later."""
    return lambda: (
        window.run is not None
        and window.run is not before
        and window.run.done
        and window.bridge is None
    )


def listed(window: MainWindow) -> Callable[[], bool]:
    """Until History's lists show the newest read of the journal: a refresh (as after
    every run) reads it in a worker thread."""
    return lambda: window.history is not None and not window.history.reading


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


class Plain(BaseModel):
    """A state with one field of each kind the form knows."""

    count: int = Field(3, gt=0)
    name: str = Field("ok", min_length=2)
    ratio: float = 0.5
    flag: bool = False
    colour: Literal["red", "green"] = "red"
    mode: Mode = Mode.FAST
    limit: int | None = None
    note: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


def stubborn_graph() -> CompiledGraph:
    """One node that swallows the first cancellation and keeps sleeping."""

    class State(BaseModel):
        x: int = 1

    async def stubborn(state: State) -> dict[str, Any]:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            await asyncio.sleep(60)  # ignores the stop: only a second cancel ends this
        return {"x": 2}

    builder = StateGraph(State)
    builder.add_node("stubborn", stubborn)
    builder.add_edge(START, "stubborn")
    builder.add_edge("stubborn", END)
    return builder.compile(cancel_grace=30.0, name="stubborn")


def chatty_graph(count: int, *, threaded: bool = False) -> CompiledGraph:
    """One node that writes ``count`` lines through its writer as fast as it can: an async
    node yielding every 200 lines, or (``threaded``) a plain def node in a worker thread."""

    class State(BaseModel):
        lines: int = Field(count, gt=0)

    async def chatty(state: State, writer: Any) -> None:
        for i in range(state.lines):
            writer(f"line {i}")
            if i % 200 == 0:
                await asyncio.sleep(0)

    def chatty_thread(state: State, writer: Any) -> None:
        for i in range(state.lines):
            writer(f"line {i}")

    builder = StateGraph(State)
    builder.add_node("chatty", chatty_thread if threaded else chatty)
    builder.add_edge(START, "chatty")
    return builder.compile(name="chatty")


def detour_graph() -> CompiledGraph:
    """``a`` jumps to ``b`` by a Command the graph never declared."""

    class State(BaseModel):
        seen: str = ""

    async def a(state: State) -> Command:
        return Command(goto="b", update={"seen": "a"})

    async def b(state: State) -> dict[str, str]:
        return {"seen": state.seen + "b"}

    builder = StateGraph(State)
    builder.add_node("a", a)
    builder.add_node("b", b)
    builder.add_edge(START, "a")
    return builder.compile(name="detour")


def form_graph() -> CompiledGraph:
    """A graph whose state has every kind of field, each read by its node (so the form
    offers every one)."""

    async def node(state: Plain) -> None:
        _ = (state.count, state.name, state.ratio, state.flag, state.colour, state.mode)
        _ = (state.limit, state.note, state.options)

    builder = StateGraph(Plain)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    return builder.compile(name="form")


def chain_graph(length: int, *, name: str = "chain") -> CompiledGraph:
    """``length`` trivial nodes in a row (``n0000`` -> ``n0001`` -> ...), TypedDict state."""
    from typing import TypedDict

    class Count(TypedDict):
        steps: int

    def step(state: Count) -> dict[str, int]:
        return {"steps": state.get("steps", 0) + 1}

    builder = StateGraph(Count)
    names = [f"n{i:04d}" for i in range(length)]
    for node in names:
        builder.add_node(node, step)
    builder.add_edge(START, names[0])
    for a, b in itertools.pairwise(names):
        builder.add_edge(a, b)
    builder.add_edge(names[-1], END)
    return builder.compile(name=name)


def loop_graph() -> CompiledGraph:
    """A TypedDict state looping ``n`` up to ``target``: more than 25 steps by default."""
    from typing import TypedDict

    class Loop(TypedDict):
        n: int
        target: int
        result: str

    def inc(state: Loop) -> dict[str, Any]:
        return {"n": state.get("n", 0) + 1}

    def route(state: Loop) -> str:
        return "done" if state.get("n", 0) >= state.get("target", 40) else "inc"

    def done(state: Loop) -> dict[str, Any]:
        return {"result": f"counted to {state['n']}"}

    builder = StateGraph(Loop)
    builder.add_node("inc", inc)
    builder.add_node("done", done)
    builder.add_edge(START, "inc")
    builder.add_conditional_edges("inc", route, {"inc": "inc", "done": "done"})
    builder.add_edge("done", END)
    return builder.compile(name="loop")
