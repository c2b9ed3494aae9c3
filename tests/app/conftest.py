"""GUI test fixtures: a qasync loop per test, settings in a temp dir, a window helper.

pytest-qt has no qasync mode: ``run_async`` runs a test's coroutine on a fresh qasync
loop (``app.event_loop.EventLoop(qapp)``, the one the app ships) with
``run_until_complete`` and closes the loop after.
Inside such a coroutine, wait with the ``wait_until`` fixture of tests/conftest.py (it
awaits, so the loop keeps running); ``qtbot.waitUntil`` would re-enter the loop from inside
a task.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from graphstage.app.event_loop import EventLoop

T = TypeVar("T")

# pytest runs with --import-mode=importlib, which puts no test folder on sys.path: make
# this folder's gui_helpers importable by the test modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> Iterator[None]:
    """QSettings write to a temp dir, never to the user's real config."""
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(tmp_path / "settings"))
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
    yield


@pytest.fixture(autouse=True)
def _qt_garbage_collected_here(qapp: QApplication) -> Iterator[None]:
    """After everything else of the test is torn down (qtbot closes its widgets after
    ``run_async`` has collected), collect the garbage here, in the GUI thread: windows sit
    in reference cycles, and a collection that a later test's worker thread happens to run
    (a sync node's ``graph.invoke`` builds an event loop there) would destroy their
    QObjects in that thread and crash Qt when pytest-qt next processes events."""
    yield
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """A settings file of the test's own."""
    return QSettings(str(tmp_path / "graphstage.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def run_async(qapp: QApplication) -> Iterator[Callable[[Coroutine[Any, Any, T]], T]]:
    """Run a coroutine to completion on a qasync loop driving ``qapp``.

    Teardown closes the loop and then collects it *here*, in the GUI thread: qasync's loop
    owns QObjects (timers, socket notifiers) inside reference cycles, and left to the
    garbage collector they would be destroyed whenever a collection happens to run, in
    whatever thread (a later test's worker thread), or fire on a reused file descriptor
    when pytest-qt processes events after a later test: both crash Qt.
    """
    loops = [EventLoop(qapp)]
    asyncio.set_event_loop(loops[0])

    def run(coro: Coroutine[Any, Any, T]) -> T:
        return loops[0].run_until_complete(coro)

    yield run
    loops[0].close()
    asyncio.set_event_loop(None)
    loops.clear()
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
