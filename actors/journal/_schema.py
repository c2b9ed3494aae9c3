"""The journal's tables, their version and migration, and the checks on its file."""

from __future__ import annotations

import os
from pathlib import Path

from ._base import JournalError, _JournalBase

SCHEMA_VERSION = 2
"""The schema this module writes (``PRAGMA user_version``). Version 1 (a full state in every
checkpoint row) is migrated on opening: its rows become snapshots."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id       TEXT PRIMARY KEY,
    graph        TEXT NOT NULL,
    spec         TEXT,
    status       TEXT NOT NULL,
    started      REAL NOT NULL,
    finished     REAL,
    input        TEXT,
    resumed_from TEXT,
    error        TEXT,
    steps        INTEGER NOT NULL DEFAULT 0,
    next         TEXT,
    final_values TEXT,
    pid          INTEGER,
    host         TEXT,
    heartbeat    REAL
);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status);
CREATE TABLE IF NOT EXISTS events (
    run_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    time   REAL NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    run_id   TEXT NOT NULL,
    step     INTEGER NOT NULL,
    seq      INTEGER,
    "values" TEXT,
    next     TEXT NOT NULL,
    time     REAL NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
"""
# checkpoints: ``seq`` is the step's StateUpdated event (its delta); ``values`` the whole
# state as JSON on snapshot rows only (every row of a version-1 journal)

_MIGRATE_1_TO_2 = """
ALTER TABLE checkpoints RENAME TO checkpoints_v1;
CREATE TABLE checkpoints (
    run_id   TEXT NOT NULL,
    step     INTEGER NOT NULL,
    seq      INTEGER,
    "values" TEXT,
    next     TEXT NOT NULL,
    time     REAL NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
INSERT INTO checkpoints (run_id, step, seq, "values", next, time)
    SELECT run_id, step, NULL, "values", next, time FROM checkpoints_v1;
DROP TABLE checkpoints_v1
"""


def default_path() -> Path:
    """``$GRAPHSTAGE_DB`` if set, else ``journal.sqlite3`` in the user's data directory."""
    env = os.environ.get("GRAPHSTAGE_DB")
    if env:
        return _expanded(Path(env))
    import platformdirs  # here, not at module level: the CLI starts faster without it

    return platformdirs.user_data_path("graphstage") / "journal.sqlite3"


def _expanded(path: Path) -> Path:
    """``path`` with ``~`` expanded; as written if it cannot be (``~nouser``, no home): the
    checks below then say that its directory does not exist."""
    try:
        return path.expanduser()
    except RuntimeError:
        return path


def _prepare_file(path: str, *, make_dir: bool) -> None:
    """Check a journal path before SQLite opens it, and create a new journal file readable
    by its owner only (0600; SQLite gives its -wal and -shm files the same mode). Only the
    default data directory is created (0700); a directory the user named must exist: a
    typo must not leave directories behind. ``JournalError`` says what is wrong."""
    if not path.strip():
        raise JournalError(
            "run journal path is empty; name a file with --db or GRAPHSTAGE_DB (or ':memory:' "
            "for a journal that is not kept)"
        )
    if path.endswith(("/", os.sep)):  # pathlib would drop the slash; SQLite and stat do not
        raise JournalError(f"run journal {path} ends with a slash; name a file, not a folder")
    try:
        _check_file(path, _expanded(Path(path)), make_dir=make_dir)
    except OSError as exc:  # a name too long, a path through a file...: said, not raised
        raise JournalError(
            f"run journal {path}: {exc.strerror or exc}; use another file with --db or "
            f"GRAPHSTAGE_DB"
        ) from None


def _check_file(path: str, file: Path, *, make_dir: bool) -> None:
    parent = file.parent
    if make_dir:
        try:
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(
                f"run journal {path}: cannot create its directory ({exc.strerror}); use "
                f"another file with --db or GRAPHSTAGE_DB"
            ) from None
    elif parent.exists() and not parent.is_dir():
        raise JournalError(
            f"run journal {path}: {parent} is a file, not a directory; use another file "
            f"with --db or GRAPHSTAGE_DB"
        )
    elif not parent.is_dir():
        raise JournalError(
            f"run journal {path}: directory {parent} does not exist; create it, or use "
            f"another file with --db or GRAPHSTAGE_DB"
        )
    if file.is_dir():
        raise JournalError(f"run journal {path} is a directory; name a file in it")
    try:
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # an existing file: its mode is its owner's choice
    except OSError as exc:
        raise JournalError(
            f"run journal {path}: cannot create it ({exc.strerror}); use another file with "
            f"--db or GRAPHSTAGE_DB"
        ) from None


class _Schema(_JournalBase):
    """Opening: create the schema, check its version, migrate an older one."""

    def _setup(self) -> None:
        conn = self._db
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"run journal {self.path} has schema version {version}, written by a newer "
                f"graphstage (this one reads up to version {SCHEMA_VERSION}); upgrade "
                f"graphstage, or use another file with --db or GRAPHSTAGE_DB"
            )
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if (version == 0 and tables) or (version > 0 and "runs" not in tables):
            # someone else's database: adopting it would add tables, set user_version and
            # switch it to WAL under its owner's feet
            raise JournalError(
                f"run journal {self.path} is an SQLite database but not a graphstage journal "
                f"(it holds {', '.join(sorted(tables)[:5]) or 'no runs table'}); leave it alone "
                f"and use another file with --db or GRAPHSTAGE_DB"
            )
        if self.path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a commit survives a process crash; only a power loss may lose the
        # last commits, never corrupt the file.
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if version == 1:
                    self._run_statements(_MIGRATE_1_TO_2)
                self._create_schema()
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _create_schema(self) -> None:
        self._run_statements(_SCHEMA)

    def _run_statements(self, script: str) -> None:
        # executescript would COMMIT our transaction first; run the statements one by one
        for statement in script.split(";"):
            if statement.strip():
                self._db.execute(statement)
