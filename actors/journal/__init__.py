"""``Journal``: every event of every run, and a checkpoint after every step, in SQLite.

One database file (WAL mode) holds three tables: ``runs`` (one row a run), ``events`` (every
event, as ``dump_event_json`` wrote it) and ``checkpoints`` (one row per step: the nodes to
run next, and where the state after the step is found). The runtime writes it: pass
``journal=`` to ``compile`` or ``start``, and the supervisor calls the sink that
``sink_for`` returns with every event, in order, on the event loop's thread.

What is written per step is what changed (schema version 2): a step's ``StateUpdated`` event
carries its delta, and its checkpoint row points at that event. A full snapshot of the state
is written only once the deltas since the last one add up to its size (and at least
``snapshot_bytes``), so the file grows by O(update) per step (amortised, at most twice the
deltas) and a resume replays at most a snapshot's worth of deltas. ``checkpoints`` rebuilds
each step's state from the nearest snapshot (or the run's input) and the deltas after it.

Writes are batched and off the event loop: the sink serialises each event and buffers it;
a writer thread writes the buffer in one transaction on a short timer (``flush_interval``),
at once on ``RunStarted``, and on ``RunFinished``, for which the sink returns a future the
supervisor awaits before it settles the run. So a crash loses at most the last
``flush_interval`` seconds of a run, a run that ends is on disk when its result is, and the
loop (the GUI's, under qasync) never waits for the disk, even when another process holds
the file locked: the writer thread waits out the lock.

A run still marked ``running`` whose writer process is gone was interrupted by a crash:
opening the journal marks it ``interrupted``, and ``resume`` gives its last checkpoint.

Stdlib ``sqlite3`` only; no Qt.
"""

from ._base import JournalError
from ._records import RESUMABLE_STATUSES, RunRecord
from ._recovery import HEARTBEAT_INTERVAL, STALE_AFTER
from ._schema import SCHEMA_VERSION, default_path
from ._sink import SNAPSHOT_BYTES
from ._store import Journal, flush_open_journals

__all__ = [
    "HEARTBEAT_INTERVAL",
    "RESUMABLE_STATUSES",
    "SCHEMA_VERSION",
    "SNAPSHOT_BYTES",
    "STALE_AFTER",
    "Journal",
    "JournalError",
    "RunRecord",
    "default_path",
    "flush_open_journals",
]
