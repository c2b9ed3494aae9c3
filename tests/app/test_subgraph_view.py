"""Subgraphs in the graph view: one box, opened in place (double-click), live on both."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypedDict

import pytest
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtGui import QFontMetricsF
from pytestqt.qtbot import QtBot

from graphstage import END, START, CompiledGraph, StateGraph
from graphstage.app import MainWindow
from graphstage.app.graph_model import display_graph
from graphstage.app.theme import PATH_SEP

INNER = PATH_SEP.join(["middle", "inner"])
SHOUT = PATH_SEP.join(["middle", "inner", "shout"])
RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


class State(TypedDict, total=False):
    text: str


def nested(gate: asyncio.Event | None = None) -> CompiledGraph:
    """outer: prepare -> middle (a subgraph: inner, itself a subgraph: shout) -> END."""

    async def shout(state: State, writer: Any) -> dict[str, Any]:
        writer("shouting")
        if gate is not None:
            await gate.wait()
        return {"text": state.get("text", "") + "!"}

    inner = StateGraph(State)
    inner.add_node("shout", shout)
    inner.add_edge(START, "shout")
    inner.add_edge("shout", END)
    middle = StateGraph(State)
    middle.add_node("inner", inner.compile(name="inner"))
    middle.add_edge(START, "inner")
    middle.add_edge("inner", END)
    outer = StateGraph(State)
    outer.add_node("prepare", lambda state: {"text": "hi"})
    outer.add_node("middle", middle.compile(name="middle"))
    outer.add_edge(START, "prepare")
    outer.add_edge("prepare", "middle")
    outer.add_edge("middle", END)
    return outer.compile(name="outer")


def test_an_opened_subgraph_is_drawn_in_place_between_its_own_start_and_end() -> None:
    graph = nested()
    closed = display_graph(graph)
    assert [b.key for b in closed.boxes] == ["__start__", "prepare", "middle", "__end__"]
    assert [b.subgraph for b in closed.boxes] == [False, False, True, False]
    opened = display_graph(graph, {"middle", "middle/inner"})
    assert [b.key for b in opened.boxes] == [
        "__start__",
        "prepare",
        "middle/__start__",
        "middle/inner/__start__",
        "middle/inner/shout",
        "middle/inner/__end__",
        "middle/__end__",
        "__end__",
    ]
    assert {(s, d) for s, d, _ in opened.edges} == {
        ("__start__", "prepare"),
        ("prepare", "middle/__start__"),
        ("middle/__end__", "__end__"),
        ("middle/__start__", "middle/inner/__start__"),
        ("middle/inner/__end__", "middle/__end__"),
        ("middle/inner/__start__", "middle/inner/shout"),
        ("middle/inner/shout", "middle/inner/__end__"),
    }
    assert opened.clusters["middle/inner"] == [
        "middle/inner/__start__",
        "middle/inner/shout",
        "middle/inner/__end__",
    ]


def test_double_click_opens_a_subgraph_and_closes_it_again(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(nested(), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    view = window.graph_view

    def double_click(item: Any, *, title: bool = False) -> None:
        rect = item.sceneBoundingRect()
        where = rect.topLeft() + QPointF(40, 14) if title else rect.center()
        point = view.mapFromScene(where)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    box = view.nodes["middle"]
    assert box.subgraph and "double-click" in box.toolTip()
    double_click(box)
    qtbot.waitUntil(lambda: "middle/inner" in view.nodes and view.laid_out, timeout=5000)
    assert "middle" not in view.nodes and "middle" in view.clusters
    assert ("prepare", "middle/__start__") in view.edges
    frame = view.clusters["middle"].sceneBoundingRect()
    assert frame.contains(view.nodes["middle/inner"].sceneBoundingRect())
    view.set_expanded("middle/inner", True)
    assert "middle/inner/shout" in view.nodes
    double_click(view.clusters["middle"], title=True)  # its frame's title
    qtbot.waitUntil(lambda: "middle" in view.nodes, timeout=5000)
    assert view.expanded == set() and not view.clusters
    assert not any("/" in key for key in view.nodes)


def test_an_opened_subgraph_shows_its_run_live(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        window = MainWindow(nested(gate), settings=settings)
        qtbot.addWidget(window)
        window.resize(1440, 820)  # room for the node paths in the log (a narrow log cuts them)
        window.show()
        view = window.graph_view
        view.set_expanded("middle", True)
        view.set_expanded("middle/inner", True)
        window.run_button.click()
        shout = view.nodes["middle/inner/shout"]
        await wait_until(lambda: shout.state == "running", 10)
        assert view.clusters["middle"].state == "running"  # the subgraph node, from the parent
        assert view.clusters["middle/inner"].state == "running"
        assert "middle/inner/shout" in view.active_nodes
        await wait_until(lambda: SHOUT in window.windowTitle(), 5)
        gate.set()
        await wait_until(lambda: window.bridge is None, 10)
        assert window.status.status == "completed"
        assert shout.state == "done" and view.nodes["middle/inner/__end__"].state == "done"
        assert view.clusters["middle"].state == "done"
        assert view.edges[("prepare", "middle/__start__")].taken
        assert view.edges[("middle/__end__", END)].taken
        assert view.edges[("middle/inner/shout", "middle/inner/__end__")].taken
        # the log has the subgraphs' node lines too, each node named by its path
        texts = window.log_view.log_model.texts()
        assert any(t.startswith("▶ started") for t in texts)
        model = window.log_view.log_model
        nodes = [model.line(i)[0].split("  ", 1)[1] for i in range(model.rowCount())]
        assert SHOUT in nodes and INNER in nodes
        said = next(i for i, t in enumerate(texts) if t == "shouting")  # its writer output
        assert model.node_width >= len(SHOUT)  # its column fits the paths
        assert nodes[said] == SHOUT
        assert any(t.startswith(f"→ {INNER}{PATH_SEP}START → {SHOUT}") for t in texts)

    run_async(scenario())


def test_a_closed_subgraph_says_which_of_its_nodes_runs(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        window = MainWindow(nested(gate), settings=settings)
        qtbot.addWidget(window)
        window.show()
        box = window.graph_view.nodes["middle"]
        window.run_button.click()
        await wait_until(lambda: box.detail.endswith(f"in inner{PATH_SEP}shout"), 10)
        assert box.state == "running" and box.active
        # opened while it runs: the boxes inside take up the run where it is
        window.graph_view.set_expanded("middle", True)
        inner = window.graph_view.nodes["middle/inner"]
        await wait_until(lambda: window.graph_view.laid_out, 10)
        assert inner.state == "running" and "middle/inner" in window.graph_view.active_nodes
        assert window.graph_view.nodes["middle/__start__"].state == "done"
        gate.set()
        await wait_until(lambda: window.bridge is None, 10)
        assert inner.state == "done"
        assert window.graph_view.clusters["middle"].state == "done"

    run_async(scenario())


def test_stop_shows_inside_an_opened_subgraph_its_cleanup_route(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    from graphstage import Command

    async def work(state: State) -> Any:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            return Command(goto="cleanup", update={"text": "stopped"})
        return {"text": "finished"}

    inner = StateGraph(State)
    inner.add_node("work", work, destinations=("cleanup",))
    inner.add_node("cleanup", lambda state: {"text": state.get("text", "") + ", cleaned"})
    inner.add_edge(START, "work")
    inner.add_edge("work", END)
    inner.add_edge("cleanup", END)
    outer = StateGraph(State)
    outer.add_node("job", inner.compile(name="job"))
    outer.add_edge(START, "job")
    window = MainWindow(outer.compile(name="outer"), settings=settings)
    qtbot.addWidget(window)
    window.show()
    view = window.graph_view
    view.set_expanded("job", True)

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: view.nodes["job/work"].state == "running", 10)
        window.stop_button.click()
        await wait_until(lambda: window.bridge is None, 20)

    run_async(scenario())
    assert view.nodes["job/work"].state == "cancelled"
    assert view.nodes["job/work"].detail.startswith("stopped")
    assert view.nodes["job/cleanup"].state == "done"
    edge = view.edges[("job/work", "job/cleanup")]
    assert edge.taken and edge.label.text == "command after stop"
    assert window.state_view.field_text("text") == "stopped, cleaned"


def test_the_timeline_has_a_bar_per_node_run_inside_a_subgraph_under_its_node(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    """Live: middle's run and inner's run inside it are bars named by path, each placed
    under its subgraph node's bar; picking one shows its subgraph's state after that step
    and rings its box (the closed subgraph's box while it is closed)."""
    gate = asyncio.Event()
    window = MainWindow(nested(gate), settings=settings)
    qtbot.addWidget(window)
    window.resize(1440, 820)
    window.show()

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(
            lambda: any(r[1] == SHOUT for r in window.timeline.row_texts()),
            10,
        )
        shout = next(r for r in window.timeline.row_texts() if r[1].endswith("shout"))
        assert shout[3] == "…" and shout[4] == "running"  # live, still running
        gate.set()
        await wait_until(lambda: window.bridge is None, 10)

    run_async(scenario())
    rows = [(r[1], r[4]) for r in window.timeline.row_texts()]
    assert rows == [
        ("prepare", "done"),
        ("middle", "done"),
        (INNER, "done"),
        (SHOUT, "done"),
    ]
    bars = list(window.timeline.model.bars)
    assert [b.node for b in bars[2:]] == ["middle/inner", "middle/inner/shout"]
    chart = window.timeline.chart  # the name column fits the paths: none elided
    metrics = QFontMetricsF(chart.font())
    for bar in bars:
        text, room = f"{bar.step:>3}  {bar.label}", chart.label_width() - 8 - 10 * len(bar.path)
        assert metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, room) == text
    assert bars[1].start <= bars[2].start <= bars[3].start and bars[3].end <= bars[1].end
    window.timeline.select(("middle/inner/shout", 1))
    assert window.timeline.selected_bar is bars[3]
    assert window.state_view.pinned_step == 1
    assert window.state_view.field_text("text") == "hi!"  # inner's state after shout
    assert window.graph_view.nodes["middle"].highlighted  # closed: its subgraph's box
    assert f"{SHOUT} · step 1 of subgraph inner" in window.detail.toPlainText()
    window.graph_view.set_expanded("middle", True)
    window.graph_view.set_expanded("middle/inner", True)
    qtbot.waitUntil(lambda: window.graph_view.laid_out, timeout=5000)
    window.timeline.select(None)
    window.timeline.select(("middle/inner/shout", 1))
    assert window.graph_view.nodes["middle/inner/shout"].highlighted


def test_a_replayed_run_colours_its_subgraphs_nodes_and_has_their_bars(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    """History replay draws a subgraph as the live run did: closed, its box's status and
    which of its nodes ran; opened, its own nodes coloured; its nodes' bars in the
    timeline, under the subgraph node's bar."""
    from graphstage import Journal

    journal = Journal(":memory:")
    window = MainWindow(nested(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def go() -> None:
        window.run_button.click()
        await wait_until(lambda: finished, 20)

    run_async(go())
    assert window.run is not None
    run_id = window.run.run_id
    live_rows = window.timeline.row_texts()
    panel = window.history
    assert panel is not None
    view = window.graph_view
    view.set_expanded("middle", True)
    view.set_expanded("middle/inner", True)
    qtbot.waitUntil(lambda: view.laid_out, timeout=5000)
    window.session.begin("idle", None)  # nothing shown: the replay must draw it all
    assert view.nodes["middle/inner/shout"].state == "idle"
    qtbot.waitUntil(lambda: not panel.reading, timeout=5000)  # the run listed
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.select_run(run_id)
    qtbot.waitUntil(lambda: panel.position == len(panel.events), timeout=5000)
    assert view.nodes["middle/inner/shout"].state == "done"
    assert view.nodes["middle/inner/__end__"].state == "done"
    assert view.clusters["middle/inner"].state == "done"
    assert view.edges[("middle/inner/shout", "middle/inner/__end__")].taken
    assert [r[1:2] + r[4:5] for r in window.timeline.row_texts()] == [
        r[1:2] + r[4:5] for r in live_rows
    ]
    assert [r[1] for r in live_rows][2:] == [INNER, SHOUT]
    # mid-replay, closed: the subgraph's box says which of its nodes runs
    view.set_expanded("middle", False)
    qtbot.waitUntil(lambda: view.laid_out and "middle" in view.nodes, timeout=5000)
    shout_started = next(
        i
        for i, e in enumerate(panel.events)
        if getattr(getattr(e, "event", None), "node", None) == "shout"
    )
    panel.show_position(shout_started + 1)
    qtbot.waitUntil(lambda: panel.position == shout_started + 1, timeout=5000)
    assert view.nodes["middle"].state == "running"
    assert view.nodes["middle"].detail.endswith(f"in inner{PATH_SEP}shout")
    window.close()
    journal.close()


def branches() -> CompiledGraph:
    """START -> (left | mid: subgraphs of one node each | a chain of 2 | a chain of 3)
    -> join -> END: laid out as plain boxes, the two frames came within 8 px."""

    def step(name: str) -> Any:
        return lambda state: {"text": name}

    def one(name: str) -> CompiledGraph:
        inner = StateGraph(State)
        inner.add_node(f"{name}_work", step(name))
        inner.add_edge(START, f"{name}_work")
        inner.add_edge(f"{name}_work", END)
        return inner.compile(name=name)

    outer = StateGraph(State)
    for name in ("left", "mid"):
        outer.add_node(name, one(name))
        outer.add_edge(START, name)
        outer.add_edge(name, "join")
    for chain, length in (("a", 2), ("b", 3)):
        previous = START
        for i in range(length):
            outer.add_node(f"{chain}{i}", step(f"{chain}{i}"))
            outer.add_edge(previous, f"{chain}{i}")
            previous = f"{chain}{i}"
        outer.add_edge(previous, "join")
    outer.add_node("join", step("join"))
    outer.add_edge("join", END)
    return outer.compile(name="branches")


def overlaps(view: Any, gap: float = 14.0) -> list[tuple[str, str]]:
    """Pairs of boxes, or a box and a frame not holding it, or two frames not nested,
    whose rectangles intersect or come closer than ``gap``."""
    grow = gap / 2
    rects = {
        k: item.sceneBoundingRect().adjusted(6 - grow, 6 - grow, grow - 6, grow - 6)
        for k, item in view.nodes.items()
    }
    frames = {
        k: frame.rect().adjusted(-grow, -grow, grow, grow) for k, frame in view.clusters.items()
    }
    found = []
    keys = sorted(rects)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if rects[a].intersects(rects[b]):
                found.append((a, b))
        for f, frame in frames.items():
            if not a.startswith(f + "/") and frame.intersects(rects[a]):
                found.append((f, a))
    for f in frames:
        for g in frames:
            nested_in = g.startswith(f + "/") or f.startswith(g + "/")
            if f < g and not nested_in and frames[f].intersects(frames[g]):
                found.append((f, g))
    return found


def test_an_opened_subgraph_gets_room_of_its_own_and_closing_gives_it_back(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(branches(), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    view = window.graph_view
    qtbot.waitUntil(lambda: view.laid_out, timeout=5000)
    closed_size = view.graph_rect.size()
    assert overlaps(view) == []
    for key in ("left", "mid"):
        view.set_expanded(key, True)
        qtbot.waitUntil(lambda: view.laid_out, timeout=5000)
        assert overlaps(view) == [], key
    for key in ("left", "mid"):
        frame = view.clusters[key].rect()
        for member in ("__start__", f"{key}_work", "__end__"):
            box = view.nodes[f"{key}/{member}"].sceneBoundingRect().adjusted(6, 6, -6, -6)
            assert frame.contains(box)
        assert view.graph_rect.contains(frame)
    view.set_expanded("left", False)
    view.set_expanded("mid", False)
    qtbot.waitUntil(lambda: view.laid_out and "mid" in view.nodes, timeout=5000)
    assert overlaps(view) == [] and view.expanded == set()
    assert view.graph_rect.size() == closed_size  # the room given back


@pytest.mark.parametrize("seed", range(6))
def test_frame_layout_never_overlaps_frames_and_boxes(seed: int) -> None:
    """Random graphs: parallel chains beside one or two opened subgraphs, one of them
    with another opened inside it; no two boxes, no frame and a box outside it, no two
    frames side by side come within the layout's least gap."""
    import random

    from graphstage.app.graph_frames import MIN_GAP, frame_layout

    rng = random.Random(seed)

    def step(name: str) -> Any:
        return lambda state: {"text": name}

    def sub(name: str, width: int, depth: int, inner: CompiledGraph | None) -> CompiledGraph:
        builder = StateGraph(State)
        previous = [START]
        for d in range(depth):
            layer = [f"{name}{d}_{i}" for i in range(width if d == 1 else 1)]
            for node in layer:
                builder.add_node(node, step(node))
                for p in previous:
                    builder.add_edge(p, node)
            previous = layer
        if inner is not None:
            builder.add_node("inner", inner)
            for p in previous:
                builder.add_edge(p, "inner")
            previous = ["inner"]
        for p in previous:
            builder.add_edge(p, END)
        return builder.compile(name=name)

    outer = StateGraph(State)
    subs = [f"s{i}" for i in range(rng.randint(1, 2))]
    for i, name in enumerate(subs):
        deeper = sub("deep", rng.randint(1, 3), 2, None) if i == 0 else None
        outer.add_node(name, sub(name, rng.randint(1, 4), rng.randint(1, 4), deeper))
        outer.add_edge(START, name)
        outer.add_edge(name, "join")
    for c in range(rng.randint(1, 3)):
        previous = START
        for j in range(rng.randint(1, 4)):
            outer.add_node(f"c{c}_{j}", step("c"))
            outer.add_edge(previous, f"c{c}_{j}")
            previous = f"c{c}_{j}"
        outer.add_edge(previous, "join")
    outer.add_node("join", step("join"))
    outer.add_edge("join", END)
    display = display_graph(outer.compile(name="g"), {*subs, "s0/inner"})
    sizes = {b.key: (84.0, 32.0) if b.terminal else (132.0, 50.0) for b in display.boxes}
    layout, frames = frame_layout(sizes, [(s, d) for s, d, _ in display.edges], display.clusters)
    assert set(layout.positions) == set(sizes) and set(frames) == set(display.clusters)
    rects = {
        k: (x - sizes[k][0] / 2, y - sizes[k][1] / 2, x + sizes[k][0] / 2, y + sizes[k][1] / 2)
        for k, (x, y) in layout.positions.items()
    }

    def close(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        g = MIN_GAP - 0.01
        return a[0] < b[2] + g and b[0] < a[2] + g and a[1] < b[3] + g and b[1] < a[3] + g

    keys = sorted(rects)
    for i, a in enumerate(keys):
        assert not [b for b in keys[i + 1 :] if close(rects[a], rects[b])], a
        for f, frame in frames.items():
            inside = a.startswith(f + "/")
            contained = frame[0] <= rects[a][0] and rects[a][2] <= frame[2]
            assert (inside and contained) or (not inside and not close(frame, rects[a])), (f, a)
    for f in frames:
        for g in frames:
            if f < g and not (g.startswith(f + "/") or f.startswith(g + "/")):
                assert not close(frames[f], frames[g]), (f, g)
