"""Benchmark: the real window, offscreen, while a node writes 100,000 lines via ``writer``.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/gui_load.py [--lines N] [--node KIND]

KIND is ``thread`` (a plain ``def`` node: it runs in a worker thread and writes as fast as
it can), ``async`` (an ``async def`` node that writes as fast as it can and yields to the
loop every 100 lines) or ``both`` (default). A 10 ms QTimer probe measures how late the
event loop serves it while the run goes on; goals: lag p99 < 50 ms, peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from pydantic import BaseModel
from PySide6.QtCore import QSettings, QTimer

from graphstage import START, CompiledGraph, StateGraph
from graphstage.app.event_loop import EventLoop
from graphstage.app.gui import GuiThreadCollector, application

PROBE_MS = 10


class State(BaseModel):
    lines: int = 100_000


def flood_graph(kind: str) -> CompiledGraph:
    """One node writing ``state.lines`` lines: in a worker thread, or cooperatively."""

    def threaded(state: State, writer: Any) -> None:
        for i in range(state.lines):
            writer(f"line {i} of {state.lines}: the quick brown fox")

    async def cooperative(state: State, writer: Any) -> None:
        for i in range(state.lines):
            writer(f"line {i} of {state.lines}: the quick brown fox")
            if i % 100 == 99:
                await asyncio.sleep(0)

    builder = StateGraph(State)
    builder.add_node("flood", threaded if kind == "thread" else cooperative)
    builder.add_edge(START, "flood")
    return builder.compile(name=f"flood_{kind}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(kind: str, lines: int, settings_path: str) -> dict[str, float]:
    from graphstage.app import MainWindow

    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    window = MainWindow(flood_graph(kind), settings=settings)
    window.resize(1280, 800)
    window.show()
    collector = GuiThreadCollector(window)  # as app.gui._boot does
    window.input_form.editors["lines"].widget.setValue(lines)  # type: ignore[attr-defined]
    await asyncio.sleep(0.3)  # let the window settle before measuring
    lags: list[float] = []
    last = [time.perf_counter()]

    def on_probe() -> None:
        now = time.perf_counter()
        lags.append(max(0.0, (now - last[0]) * 1000 - PROBE_MS))
        last[0] = now

    probe = QTimer()
    probe.setInterval(PROBE_MS)
    probe.timeout.connect(on_probe)
    finished = asyncio.Event()
    window.runFinished.connect(lambda _status: finished.set())
    batches: list[int] = []
    started = time.perf_counter()
    probe.start()
    window.run_button.click()
    assert window.bridge is not None
    window.bridge.eventsArrived.connect(lambda batch: batches.append(len(batch)))
    await asyncio.wait_for(finished.wait(), 120)
    elapsed = time.perf_counter() - started
    probe.stop()
    model = window.log_view.log_model
    status = window.status.status
    collector.stop()
    window.close()
    return {
        "status": status,
        "seconds": elapsed,
        "lines_per_s": lines / elapsed,
        "batches": len(batches),
        "events": sum(batches),
        "rows_kept": model.rowCount(),
        "lag_p50": statistics.median(lags),
        "lag_p99": percentile(lags, 0.99),
        "lag_max": max(lags),
        "probes": len(lags),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--node", choices=("thread", "async", "both"), default="both")
    args = parser.parse_args()
    app = application()
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    kinds = ("thread", "async") if args.node == "both" else (args.node,)
    ok = True
    settings_path = str(Path(os.environ.get("TMPDIR", "/tmp")) / "graphstage-bench.ini")
    for kind in kinds:
        r = loop.run_until_complete(measure(kind, args.lines, settings_path))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ok = ok and r["lag_p99"] < 50 and peak_mb < 300 and r["status"] == "completed"
        print(
            f"[{kind:6}] {args.lines:,} lines in {r['seconds']:.2f} s "
            f"({r['lines_per_s']:,.0f} lines/s), status {r['status']}; "
            f"{r['events']:,} events in {r['batches']} batches; log kept {r['rows_kept']} rows"
        )
        print(
            f"[{kind:6}] event-loop lag ({r['probes']} probes of {PROBE_MS} ms): "
            f"p50 {r['lag_p50']:.1f} ms, p99 {r['lag_p99']:.1f} ms, max {r['lag_max']:.1f} ms "
            f"(goal p99 < 50 ms)"
        )
        print(f"[{kind:6}] peak RSS so far {peak_mb:.0f} MB (goal < 300 MB)")
    loop.close()
    print("PASS" if ok else "MISSED A GOAL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
