"""Benchmark: time from process start to the window shown.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/startup.py [--runs 5] [-- GRAPH]

Spawns ``python -m graphstage`` with ``GRAPHSTAGE_QUIT_WHEN_SHOWN=1``: the app prints a line once
its window is shown and quits. The figure is measured here, from just before the spawn to
that line (so interpreter start-up and every import count). Goal: under 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def once(graph: list[str]) -> tuple[float, str]:
    journal = Path(tempfile.gettempdir()) / "graphstage-startup-bench.sqlite3"
    env = dict(os.environ, GRAPHSTAGE_QUIT_WHEN_SHOWN="1", GRAPHSTAGE_DB=str(journal))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphstage", *graph],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "window shown" in line:
            elapsed = time.perf_counter() - started
            proc.wait(timeout=30)
            return elapsed, line.strip()
    proc.wait(timeout=30)
    raise SystemExit(f"the app exited ({proc.returncode}) without showing its window")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("graph", nargs="*", help="graph spec (default: the bundled example)")
    args = parser.parse_args()
    once(args.graph)  # warm the OS file cache and __pycache__; not counted
    times = []
    for i in range(args.runs):
        elapsed, line = once(args.graph)
        times.append(elapsed)
        print(f"run {i + 1}: {elapsed * 1000:.0f} ms to window shown ({line})")
    median = statistics.median(times)
    print(
        f"process start -> window shown: median {median * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (goal < 1500 ms)"
    )
    return 0 if median < 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
