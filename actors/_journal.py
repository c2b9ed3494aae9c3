"""The journal's old home, kept so ``graphstage._journal`` names still import: the code now
lives in the ``graphstage.journal`` subpackage. Monkeypatch a name in the module that uses it
(``graphstage.journal._recovery._pid_alive``, ``..._recovery.HEARTBEAT_INTERVAL``,
``..._store.default_path``): patching it here changes nothing."""

import socket as socket

from .journal import (
    HEARTBEAT_INTERVAL,
    RESUMABLE_STATUSES,
    SCHEMA_VERSION,
    SNAPSHOT_BYTES,
    STALE_AFTER,
    Journal,
    JournalError,
    RunRecord,
    default_path,
)
from .journal._records import _describe_resumable
from .journal._recovery import _pid_alive

__all__ = [
    "HEARTBEAT_INTERVAL",
    "RESUMABLE_STATUSES",
    "SCHEMA_VERSION",
    "SNAPSHOT_BYTES",
    "STALE_AFTER",
    "Journal",
    "JournalError",
    "RunRecord",
    "_describe_resumable",
    "_pid_alive",
    "default_path",
    "socket",
]
