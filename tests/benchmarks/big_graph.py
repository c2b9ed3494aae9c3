"""Big graphs in the window: open time, GUI-thread blocking, event-loop lag while running.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/big_graph.py [--opens N]

After a warm-up window (a 3-node chain: the first window pays Qt's start-up), for a
1,000-node chain and a 400-node DAG (about 700 edges): the time from creating the window to
the layout being drawn, the longest gap of a 5 ms probe timer meanwhile (how long the GUI
thread was blocked: the window's construction, built a piece per event-loop turn by
``MainWindow.open`` as the app does, and its first show included; and after the show:
laying out, adding the boxes and edges, the first paints). The garbage collector runs as
in the app (``GuiThreadCollector``: start-up frozen, collections on a timer in the GUI
thread). A second 3-node window gives the cost of the window itself, whatever its graph.
Each block is also given in GUI-thread CPU time (``time.thread_time``), which the
machine's other processes do not stretch: the most CPU any one block took says what the
window's own work is, whatever the load. Then the 1,000-node chain runs (recursion limit
5,000) and a 10 ms probe timer measures the event-loop lag (gap minus 10 ms): p50, p99,
max. For comparison, grandalf (the layout used before for every graph) on the same graphs,
timed alone. ``--opens N`` only opens each graph N times (the 3-node window too) and
prints each open's longest block and its CPU: more samples, where the load blurs one.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TypedDict

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from graphstage import END, START, CompiledGraph, StateGraph
from graphstage.app.event_loop import EventLoop
from graphstage.app.gui import application


class Count(TypedDict):
    steps: int


def _step(state: Count) -> dict[str, int]:
    return {"steps": state.get("steps", 0) + 1}


def chain(length: int) -> CompiledGraph:
    builder = StateGraph(Count)
    names = [f"step_{i:04d}" for i in range(length)]
    for name in names:
        builder.add_node(name, _step)
    builder.add_edge(START, names[0])
    for a, b in itertools.pairwise(names):
        builder.add_edge(a, b)
    builder.add_edge(names[-1], END)
    return builder.compile(name=f"chain{length}")


def dag(size: int, seed: int = 1) -> tuple[CompiledGraph, int]:
    """A layered DAG: each node after the first joins 1-3 earlier ones (static edges)."""
    rng = random.Random(seed)
    builder = StateGraph(Count)
    names = [f"task_{i:03d}" for i in range(size)]
    for name in names:
        builder.add_node(name, _step)
    builder.add_edge(START, names[0])
    edges = 0
    for i in range(1, size):
        for j in rng.sample(range(max(0, i - 40), i), min(i, rng.choice([1, 1, 2, 3]))):
            builder.add_edge(names[j], names[i])
            edges += 1
    return builder.compile(name=f"dag{size}"), edges


class Probe:
    """A timer firing every ``interval`` s; records the gaps between its ticks."""

    def __init__(self, interval_ms: int) -> None:
        from PySide6.QtCore import QTimer

        self.interval = interval_ms / 1000
        self.gaps: list[float] = []
        self.ends: list[float] = []  # when each gap ended
        self.cpu: list[float] = []  # the GUI thread's CPU time in each gap
        self._waiting: list[tuple[int, asyncio.Event]] = []  # (tick count, set when reached)
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.cpu.append(cpu - self._last_cpu)
        self._last_cpu = cpu
        self.gaps.append(now - self._last)
        self.ends.append(now)
        self._last = now
        for count, ticked in list(self._waiting):
            if len(self.gaps) >= count:
                ticked.set()
                self._waiting.remove((count, ticked))

    async def ticks(self, more: int) -> None:
        """Wait until the timer has ticked ``more`` more times."""
        ticked = asyncio.Event()
        self._waiting.append((len(self.gaps) + more, ticked))
        await ticked.wait()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.gaps


async def open_window(graph: CompiledGraph, settings: Any) -> dict[str, float]:
    from graphstage.app import MainWindow

    probe = Probe(5)
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    window = await MainWindow.open(graph, settings=settings)  # as the app opens it
    built = time.perf_counter() - started
    window.resize(1440, 820)
    window.show()
    shown = time.perf_counter()
    laid_out = asyncio.Event()
    window.graph_view.layoutReady.connect(lambda _: laid_out.set())
    if not window.graph_view.laid_out:
        await laid_out.wait()
    await asyncio.sleep(0.02)  # the first paint
    opened = time.perf_counter() - started
    await probe.ticks(2)  # the probe's gap over the first paint is counted
    gaps = probe.stop()
    after = [g for g, end in zip(gaps, probe.ends, strict=True) if end - g >= shown]
    window.close()
    return {
        "open_s": opened,
        "constructor_ms": built * 1000,  # over several event-loop turns
        "max_gui_block_ms": max(gaps) * 1000,
        "max_gui_block_cpu_ms": max(probe.cpu) * 1000,
        "after_show_block_ms": max(after, default=0.0) * 1000,
        "layout": window.graph_view.layout_info,  # type: ignore[dict-item]
    }


async def run_chain(graph: CompiledGraph, settings: Any) -> dict[str, float]:
    from graphstage.app import MainWindow

    window = await MainWindow.open(graph, settings=settings)
    window.resize(1440, 820)
    window.show()
    laid_out = asyncio.Event()
    window.graph_view.layoutReady.connect(lambda _: laid_out.set())
    if not window.graph_view.laid_out:
        await laid_out.wait()
    window.run_options.recursion_limit.setValue(5000)
    finished = asyncio.Event()
    window.runFinished.connect(lambda _status: finished.set())
    probe = Probe(10)
    started = time.perf_counter()
    window.run_button.click()
    await finished.wait()
    took = time.perf_counter() - started
    lags = sorted(max(0.0, g - probe.interval) * 1000 for g in probe.stop())
    status = window.status.status
    window.close()
    return {
        "run_s": took,
        "status": status,  # type: ignore[dict-item]
        "lag_p50_ms": statistics.median(lags),
        "lag_p99_ms": lags[int(len(lags) * 0.99) - 1],
        "lag_max_ms": lags[-1],
    }


def grandalf_alone(graph: CompiledGraph) -> str:
    from graphstage.app.graph_layout import layered_layout

    sizes = {n: (132.0, 50.0) for n in (START, *graph.nodes, END)}
    edges = [(e.src, e.dst) for e in graph.edges_for_drawing()]
    started = time.perf_counter()
    try:
        layered_layout(sizes, edges, [START])
    except RecursionError:
        return f"RecursionError after {time.perf_counter() - started:.2f} s"
    return f"{time.perf_counter() - started:.2f} s"


async def opens(count: int, settings: Any) -> None:
    """Each graph opened ``count`` times: each open's longest block, wall and CPU (ms)."""
    graphs = {
        "3-node chain": chain(3),
        "1,000-node chain": chain(1000),
        "400-node DAG": dag(400)[0],
    }
    blocks: dict[str, list[str]] = {label: [] for label in graphs}
    for _ in range(count):
        for label, graph in graphs.items():
            result = await open_window(graph, settings)
            blocks[label].append(
                f"{result['max_gui_block_ms']:.0f}/{result['max_gui_block_cpu_ms']:.1f}"
            )
    for label, found in blocks.items():
        print(f"{label}: longest block per open, wall/CPU ms: {' '.join(found)}")


async def main() -> None:
    from PySide6.QtCore import QSettings

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    print(f"python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    await open_window(chain(3), settings)  # the first window pays Qt's own start-up
    if "--opens" in sys.argv:
        await opens(int(sys.argv[sys.argv.index("--opens") + 1]), settings)
        return
    big_chain = chain(1000)
    big_dag, edges = dag(400)
    small = await open_window(chain(3), settings)
    print(
        f"3-node chain (the window's own cost): built in {small['constructor_ms']:.0f} ms; "
        f"longest GUI-thread block {small['max_gui_block_ms']:.0f} ms (building and show), "
        f"{small['after_show_block_ms']:.0f} ms after show; the most CPU in one block "
        f"{small['max_gui_block_cpu_ms']:.0f} ms"
    )
    for label, graph in (
        ("1,000-node chain", big_chain),
        (f"400-node DAG ({edges} edges)", big_dag),
    ):
        result = await open_window(graph, settings)
        print(
            f"{label}: opens in {result['open_s']:.2f} s; built in "
            f"{result['constructor_ms']:.0f} ms; longest GUI-thread block "
            f"{result['max_gui_block_ms']:.0f} ms (building and show), "
            f"{result['after_show_block_ms']:.0f} ms after show; the most CPU in one block "
            f"{result['max_gui_block_cpu_ms']:.0f} ms; {result['layout']}"
        )
        print(f"    grandalf alone on it: {grandalf_alone(graph)}")
    result = await run_chain(big_chain, settings)
    print(
        f"1,000-node chain run: {result['status']} in {result['run_s']:.2f} s; event-loop lag "
        f"p50 {result['lag_p50_ms']:.1f} ms, p99 {result['lag_p99_ms']:.1f} ms, "
        f"max {result['lag_max_ms']:.1f} ms"
    )


if __name__ == "__main__":
    from graphstage.app.gui import GuiThreadCollector

    app = application()
    collector = GuiThreadCollector(app)  # the app's garbage-collection regime
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    sys.setrecursionlimit(3000)  # grandalf needs more than the default on the chain
    loop.run_until_complete(main())
    loop.close()
