"""``graphstage resume`` of a run journaled before threads existed, and the confirmation
asked before loading the graph file a journal names (its path and owner shown). Imports no
Qt."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from graphstage import Journal
from graphstage.app.cli_drive import _drive
from graphstage.app.cli_input import UsageError, _absolute_spec, _parse_config, _safe
from graphstage.app.loader import expanded, load_graph, split_spec


def resume_legacy(ns: argparse.Namespace, journal: Journal) -> int:
    """Resume a run journaled without a thread (before threads existed) from the journal's
    own checkpoint; refused if it was resumed already."""
    try:
        record = journal.run(ns.run_id)
        checkpoint = journal.resume(record.run_id)
        spec = ns.graph or record.spec
        if not spec:
            raise UsageError(
                f"run {record.run_id} did not record where its graph came from; "
                f"pass --graph FILE_OR_MODULE:graph"
            )
        if not ns.graph:  # code named by the journal, which anyone may have written
            _confirm_spec(record.run_id, spec, assume_yes=ns.yes)
        graph = load_graph(spec)
        spec = _absolute_spec(spec)
    except BaseException:
        journal.close()
        raise
    already = [r for r in journal.runs() if r.resumed_from == record.run_id]
    if already and not ns.fork:
        journal.close()
        raise UsageError(
            f"run {record.run_id[:12]} was already resumed by run {already[0].run_id[:12]}; "
            f"resume that one, or pass --fork to run from this checkpoint again"
        )
    if not ns.json:
        print(
            f"resuming run {record.run_id[:12]} at step {checkpoint.step + 1}: "
            f"{', '.join(checkpoint.next)}",
            flush=True,
        )
    config = _parse_config(ns)
    return _drive(
        graph, spec, journal, ns.json, lambda: graph.resume(checkpoint, config, journal=journal)
    )


def _confirm_spec(run_id: str, spec: str, *, assume_yes: bool) -> None:
    """Show the file the journal says the run's graph came from, and ask before loading
    it (running its code): a journal file can come from anyone. ``UsageError`` if it does
    not resolve to a file this user can read, or the answer is not yes."""
    target, _ = split_spec(spec.strip())
    path = _spec_file(target)
    owner = _owner(path)
    print(
        f"run {_safe(run_id[:12])} will load its graph from {_safe(spec)} "
        f"(file {_safe(str(path))}, owned by {owner})",
        file=sys.stderr,
        flush=True,
    )
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(
            f"not resumed: confirm loading {_safe(str(path))} with --yes, or name the graph "
            f"with --graph"
        )
    try:
        answer = input("load it and resume? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise UsageError("not resumed")


def _spec_file(target: str) -> Path:
    """The file a spec's target names (a path, or a module found without importing
    anything); ``UsageError`` unless it is a file this user can read."""
    import importlib.machinery

    if target.endswith(".py") or "/" in target or "\\" in target:
        path = expanded(Path(target))
    else:
        search: Any = [os.getcwd(), *sys.path]  # as the loader imports: the cwd first
        origin = None
        parts = target.split(".")
        for i in range(len(parts)):
            try:
                found = importlib.machinery.PathFinder.find_spec(".".join(parts[: i + 1]), search)
            except (ImportError, ValueError):
                found = None
            if found is None:
                raise UsageError(f"the journal's spec {_safe(target)!r} resolves to no file")
            search, origin = found.submodule_search_locations, found.origin
        if not origin or origin in ("built-in", "frozen"):
            raise UsageError(f"the journal's spec {_safe(target)!r} resolves to no file")
        path = Path(origin)
    if not path.is_file() or not os.access(path, os.R_OK):
        raise UsageError(
            f"the journal's spec {_safe(str(path))} is not a file you can read; pass --graph"
        )
    return path.resolve()


def _owner(path: Path) -> str:
    uid = path.stat().st_uid
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name + ("" if uid != os.getuid() else " (you)")
    except (ImportError, KeyError):
        return f"uid {uid}"
