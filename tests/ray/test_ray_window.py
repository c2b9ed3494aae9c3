"""The window on Ray: it starts Ray without stopping its loop, and says where nodes run."""

from __future__ import annotations

import asyncio
import gc
import os
import time

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QLabel

from graphstage import NodeStarted
from graphstage.app.event_loop import EventLoop
from graphstage.app.gui import start_ray
from graphstage.app.log_view import describe
from graphstage.ray import RayExecutor


def test_ray_starts_while_the_window_loop_keeps_running_and_the_label_says_so(executor, qapp):
    # Ray is up (the module's session); a new pool still starts two host processes
    pool = RayExecutor(hosts=2)
    label = QLabel()
    seen_while_starting: list[str] = []
    loop = EventLoop(qapp)
    asyncio.set_event_loop(loop)

    async def watch(start: asyncio.Future[None]) -> None:
        while not start.done():  # the loop turns while Ray starts in its own thread
            seen_while_starting.append(label.text())
            await asyncio.sleep(0.01)

    async def scenario() -> None:
        start = asyncio.ensure_future(start_ray(pool, label))
        await asyncio.gather(start, watch(start))

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 60))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        gc.collect()
        pool.shutdown()
    assert "local Ray: starting 2 host(s)…" in seen_while_starting
    assert label.text() == "local Ray: 2 host(s)"
    assert label.toolTip().startswith("ray host 0 (node ")


def test_the_log_says_where_a_node_started():
    event = NodeStarted(
        run_id="r", seq=1, time=time.time(), node="work", step=1, where="ray host 1 (node ab)"
    )
    assert describe(event) == ("work", "▶ started (step 1) on ray host 1 (node ab)")
