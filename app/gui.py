"""Start-up of the desktop app: one QApplication, one qasync loop, one MainWindow.

``main(argv)`` is what ``graphstage [GRAPH] [--db PATH]`` runs. The order matters (qasync's
traps): ``QT_API`` is set before qasync is imported; the loop is ``event_loop.EventLoop``
(qasync's, with a ``call_soon_threadsafe`` that survives worker threads writing fast); the
window and every task are created in the async ``_boot`` coroutine, once the loop runs;
Qt does not quit when the last window closes: ``_boot`` waits for the window's ``closed``,
lets a live run settle (cleanup included), and only then returns, which ends the loop.
With ``--ray``, Ray and its hosts start first, before the QApplication exists (said on
stderr): ``ray.init`` holds the GIL for seconds, so no window is up to freeze meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

# The runtime (and pydantic) are imported before PySide6 on purpose: once PySide6 is
# imported, its import hook inspects the source of every module imported after it, which
# costs about a third of a second at start-up.
from graphstage import CompiledGraph  # isort: skip
from graphstage.app.loader import DEFAULT_GRAPH, GraphLoadError, load_graph  # isort: skip
from graphstage.app.theme import STYLE_PROPERTY  # isort: skip
from PySide6.QtCore import QObject, QTimer  # isort: skip
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox  # isort: skip

RESOURCES = Path(str(files("graphstage.resources")))
STYLE_SHEET = RESOURCES / "style.qss"
QUIT_WHEN_SHOWN = "GRAPHSTAGE_QUIT_WHEN_SHOWN"
"""Environment variable: when set, print the start-up time once the window is shown, then
quit (used by tests/benchmarks/startup.py)."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    """``[GRAPH] [--db PATH]``; GRAPH is ``path/to/file.py:graph`` or ``pkg.module:graph``."""
    parser = argparse.ArgumentParser(
        prog="graphstage window",
        description="Open the desktop app: watch a state graph run; Stop is a message.",
        epilog="examples:\n  graphstage window\n  graphstage app/graph.py:graph --db runs.sqlite3\n"
        "  graphstage my_pkg.flows:graph\n  graphstage app/graph.py:graph --ray",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "graph",
        nargs="?",
        default=DEFAULT_GRAPH,
        help="path/to/file.py:graph or package.module:graph "
        "(default: the bundled stop/cleanup example)",
    )
    parser.add_argument("--db", metavar="PATH", help="journal file for the runs")
    parser.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="run every node on Ray hosts (needs graphstage[ray]): a local Ray without "
        "ADDRESS, else 'auto' or ray://HOST:PORT; Ray starts before the window opens",
    )
    parser.add_argument("--ray-hosts", type=int, default=2, metavar="N", help="Ray hosts")
    return parser.parse_args(argv)


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named for QSettings and styled."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0], *(argv or [])])
    app.setOrganizationName("graphstage")
    app.setApplicationName("graphstage")
    app.setApplicationDisplayName("graphstage")
    app.setQuitOnLastWindowClosed(False)  # _boot decides when to quit, after runs settle
    if STYLE_SHEET.is_file():
        # kept for the windows to apply to themselves: an application-wide style sheet
        # restyles every widget each time it is put in a parent (a window's construction
        # took 250-320 ms at load 5, against 40-55 ms styling the finished window once)
        app.setProperty(STYLE_PROPERTY, style_sheet())
    return app


def style_sheet() -> str:
    """resources/style.qss, with ``%RES%`` pointing at the resources folder."""
    text = STYLE_SHEET.read_text(encoding="utf-8")
    return text.replace("%RES%", RESOURCES.as_posix())


class GuiThreadCollector(QObject):
    """Runs the cyclic garbage collector in the GUI thread only (start it before the
    window is built).

    Python collects in whichever thread allocates when a threshold trips: a sync node's
    worker thread, the journal's writer. A Qt object that dies in such a collection is
    destroyed in the wrong thread, which crashes Qt. So automatic collection is switched
    off and this timer collects, young generations often and everything now and then.
    What start-up created is frozen first: a run keeps every event for replay, so the heap
    grows by hundreds of thousands of objects, and full collections must not also walk
    the start-up heap (60-120 ms pauses under a 100,000-line flood before this).
    """

    def __init__(self, parent: QObject, interval_ms: int = 500, full_every: int = 20) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._full_every = full_every
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_tick)
        gc.collect()
        gc.freeze()
        gc.disable()
        self._timer.start()

    def _on_tick(self) -> None:
        """GUI thread, every ``interval_ms``."""
        self._ticks += 1
        gc.collect(2 if self._ticks % self._full_every == 0 else 1)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()


def open_journal(db: str | None) -> Any:
    """The journal every run of the window goes to: ``--db PATH``, else ``$GRAPHSTAGE_DB``,
    else ``journal.sqlite3`` in the user's data directory (as the CLI's)."""
    from graphstage import Journal

    return Journal(db)


def main(argv: list[str] | None = None) -> int:
    """Open the window on the graph named in ``argv`` and run until it is closed."""
    started = time.perf_counter()
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    executor = None
    if args.ray is not None:
        # Before any window exists: ray.init holds the GIL for seconds even in a thread of
        # its own, which froze the window's loop when Ray started with the window open.
        executor = start_ray(args.ray or None, args.ray_hosts)
        if executor is None:
            return 2
    try:
        return _open(args, started, executor)
    finally:
        if executor is not None:
            executor.shutdown()


def _open(args: argparse.Namespace, started: float, executor: Any) -> int:
    app = application()
    try:
        graph = load_graph(args.graph)
    except GraphLoadError as exc:
        # said on stderr first: the dialog waits for a click (and a terminal user, or a
        # display-less run, would otherwise see nothing until it is closed)
        print(f"graphstage: {exc}", file=sys.stderr, flush=True)
        QMessageBox.critical(None, "graphstage: cannot open graph", str(exc))
        return 2
    except KeyboardInterrupt:  # Ctrl+C while importing (or the file raised it): no traceback
        print(f"graphstage: interrupted while loading {args.graph}", file=sys.stderr)
        return 130
    if executor is not None:
        try:
            graph = graph.on_executor(executor)
        except ValueError as exc:  # GraphError: a node that cannot be shipped, named
            print(f"graphstage: --ray: {exc}", file=sys.stderr, flush=True)
            QMessageBox.critical(None, "graphstage: cannot run on Ray", str(exc))
            return 2
    try:
        journal = open_journal(args.db)
    except Exception as exc:  # a journal that cannot be opened is the user's to fix
        print(f"graphstage: cannot open journal: {exc}", file=sys.stderr, flush=True)
        QMessageBox.critical(None, "graphstage: cannot open journal", str(exc))
        return 2

    from graphstage.app.event_loop import EventLoop

    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_boot(graph, journal, started, executor, args.graph))
    finally:
        if journal is not None and hasattr(journal, "close"):
            journal.close()
        loop.close()


def start_ray(address: str | None, hosts: int) -> Any:
    """A started RayExecutor (seconds: said on stderr first), or None once a one-line
    error saying why not is on stderr."""
    where = f"Ray at {address}" if address else "a local Ray"
    try:
        from graphstage.ray import RayExecutor

        executor = RayExecutor(address, hosts)
    except (ImportError, ValueError) as exc:
        print(f"graphstage: --ray: {exc}", file=sys.stderr)
        return None
    print(f"graphstage: starting {where} with {hosts} host(s)...", file=sys.stderr, flush=True)
    try:
        executor.start()
    except (Exception, KeyboardInterrupt) as exc:  # Ray's own errors: no cluster there...
        executor.shutdown()
        lines = str(exc).strip().splitlines() or [""]
        why = f"{type(exc).__name__}: {lines[0]}".rstrip(": ")
        print(f"graphstage: --ray: could not start {where}: {why}", file=sys.stderr)
        return None
    return executor


def ray_label(executor: Any) -> QLabel:
    """The status bar's word on where nodes run: the Ray and its hosts (one per line in
    the tooltip: host, Ray node id, pid)."""
    where = f"Ray at {executor.address}" if executor.address else "local Ray"
    label = QLabel(f"{where}: {executor.size} host(s)")
    label.setObjectName("executorInfo")
    label.setToolTip("\n".join(executor.where(h.index) for h in executor.info))
    return label


async def _boot(
    graph: CompiledGraph,
    journal: Any,
    started: float,
    executor: Any = None,
    spec: str | None = None,
) -> int:
    """Runs on the qasync loop: show the window, wait for it to close, let a run settle."""
    from graphstage.app.main_window import MainWindow
    from graphstage.app.ownership import set_graph_spec

    # before the window: its first full collection walks only the start-up heap, and no
    # automatic collection pauses the window's construction (a big graph's items)
    app = QApplication.instance()
    assert app is not None  # _open made it
    collector = GuiThreadCollector(app)
    window = await MainWindow.open(graph, journal=journal)  # a piece per event-loop turn
    set_graph_spec(window, graph, spec)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.show()
    if executor is not None:
        window.status.addPermanentWidget(ray_label(executor))
    if os.environ.get(QUIT_WHEN_SHOWN):

        def report() -> None:
            print(
                f"graphstage: window shown after {(time.perf_counter() - started) * 1000:.0f} "
                f"ms in main()",
                flush=True,
            )
            window.close()

        QTimer.singleShot(0, report)
    await closed.wait()
    await window.settle()
    collector.stop()
    return 0
