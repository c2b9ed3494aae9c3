"""Helpers shared by the tests that drive the CLI in real processes
(``tests/journal/test_journal_cli.py``, ``tests/persistence/test_cli_threads.py``): wait
for what another process writes, and read its journal as another process would.

Not a test module (pytest collects ``test_*.py`` only); the tests put this folder on
``sys.path`` (pytest runs with ``--import-mode=importlib``, which puts none there). Not
``tests/`` itself: its folders would shadow packages (``tests/ray`` is then ``ray``)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def poll(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Call ``check()`` until it returns something truthy, and return that; fail after
    ``timeout`` s (a hang check: the other process is slow under load, never wrong)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout}s"
        time.sleep(0.02)


def journal_rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Query the journal as another process would (no recovery, read only); ``[]`` while
    the file or its schema is not there yet."""
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # the schema is not there yet
        return []
    finally:
        conn.close()
