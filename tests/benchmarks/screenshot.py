"""Render the real window mid-run, offscreen, to resources/screenshot.png.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/screenshot.py [OUT.png]

Opens the bundled stop/cleanup example, sets sleep_seconds to 5, clicks Run, waits two
seconds of work, clicks Stop, and grabs the window while the token runs along the
work_stage -> cleanup_stage edge ("command after stop").
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]

from PySide6.QtCore import QSettings  # noqa: E402

from graphstage import CompiledGraph  # noqa: E402  (runtime before PySide6, as app.gui does)
from graphstage.app.event_loop import EventLoop  # noqa: E402
from graphstage.app.gui import application  # noqa: E402
from graphstage.app.loader import DEFAULT_GRAPH, load_graph  # noqa: E402


async def shoot(graph: CompiledGraph, out: Path) -> None:
    from graphstage import Journal
    from graphstage.app import MainWindow

    tmp = Path(tempfile.mkdtemp())
    settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
    journal = Journal(tmp / "journal.sqlite3")  # so the History dock has runs to list
    await graph.start({"sleep_seconds": 1}, journal=journal).result()
    window = MainWindow(graph, journal=journal, settings=settings)
    window.resize(1440, 820)
    window.show()
    window.input_form.editors["sleep_seconds"].widget.setValue(5)  # type: ignore[attr-defined]
    working, finished = asyncio.Event(), asyncio.Event()
    window.graph_view.activeNodesChanged.connect(
        lambda nodes: working.set() if nodes == ("work_stage",) else None
    )
    window.runFinished.connect(lambda _status: finished.set())
    await asyncio.sleep(0.2)
    window.run_button.click()
    await working.wait()
    await asyncio.sleep(2.3)  # two progress lines in the log
    window.stop_button.click()
    await finished.wait()
    await asyncio.sleep(0.25)  # mid-animation: the token is on its edge
    window.grab().save(str(out))
    print(
        f"saved {out}: status {window.status.status}, "
        f"result {window.state_view.field_text('result')}"
    )
    window.close()
    journal.close()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshot.png"
    app = application()
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(shoot(load_graph(DEFAULT_GRAPH), out))
    loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
