"""The window runs a functional-API entrypoint: its form offers the function's argument,
Run starts it, Stop reaches the running task and the entrypoint's cleanup task runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage.app import MainWindow
from graphstage.func import entrypoint, task

log: list[str] = []


@task
async def slow_task(x: int) -> int:
    log.append(f"slow {x}")
    await asyncio.sleep(60)
    return x


@task
async def cleanup_task(x: int) -> str:
    log.append(f"cleanup {x}")
    return "cleaned"


@entrypoint()
async def workflow(x: int) -> dict:
    try:
        return {"value": await slow_task(x)}
    except asyncio.CancelledError:
        return {"cleanup": await cleanup_task(x)}


def test_stop_in_the_window_reaches_the_entrypoint_s_cleanup_task(
    qtbot: QtBot, run_async: Callable[[Any], Any], settings: QSettings, wait_until: Any
) -> None:
    log.clear()
    window = MainWindow(workflow, settings=settings)
    qtbot.addWidget(window)
    window.show()
    finished: list[str] = []
    window.runFinished.connect(finished.append)
    assert list(window.input_form.editors) == ["input"]  # the function's argument

    async def scenario() -> None:
        window.input_form.editors["input"].widget.setValue(7)  # type: ignore[attr-defined]
        window.run_button.click()
        await wait_until(lambda: log == ["slow 7"], 5)
        window.stop_button.click()
        await wait_until(lambda: finished, 10)

    run_async(scenario())
    assert finished == ["cancelled"]
    assert log == ["slow 7", "cleanup 7"]
    assert window.run is not None
