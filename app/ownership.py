"""Which graph a journaled run belongs to: the window never continues another graph's
thread with its own graph, silently.

The window loads code only from a file the user picks (the command line, File > Open); it
never loads the graph a journal's ``spec`` names (that is the CLI's ``resume``, which shows
the file and its owner and asks first). So every way the window continues a journaled run —
History's Resume, time travel's "Edit state and run from here", answering an interrupt —
runs the window's graph, and first checks the run is one of that graph's: the same graph
name and, when both are known, the same file (``file.py:graph``, made absolute). Otherwise
it refuses with a ``ResumeError`` naming the run's graph and file, and the window's.

The window records its graph's spec in the journal for its runs, as the CLI does, so a
window's run can be checked the same way (and resumed by ``graphstage resume``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphstage import Journal, JournalError, ResumeError
from graphstage.app.cli_input import _absolute_spec, _safe

if TYPE_CHECKING:
    from graphstage import CompiledGraph


def set_graph_spec(window: Any, graph: CompiledGraph, spec: str | None) -> None:
    """``window`` shows ``graph``, loaded from ``spec``: remember it (and tell the journal,
    so the runs record where their graph came from)."""
    absolute = _absolute_spec(spec) if spec else None
    window.graph_spec = absolute
    journal = getattr(window, "journal", None)
    if absolute is not None and isinstance(journal, Journal):
        journal.remember_spec(graph, absolute)


def foreign(window: Any, run_id: str | None) -> str | None:
    """Why the window's graph must not continue ``run_id``: the run belongs to another
    graph (the sentence says which, and what to do); None if it is the window graph's, or
    not journaled (a run of this window on a journal-less window)."""
    journal = getattr(window, "journal", None)
    if run_id is None or not isinstance(journal, Journal):
        return None
    try:
        record = journal.run(run_id)
    except (KeyError, JournalError):
        return None
    graph = window.graph
    mine = getattr(window, "graph_spec", None)
    same_file = record.spec is None or mine is None or _absolute_spec(record.spec) == mine
    if record.graph == graph.name and same_file:
        return None
    theirs = f"graph {_safe(record.graph)!r}" + (
        f" from {_safe(record.spec)}" if record.spec else ""
    )
    shown = f"graph {graph.name!r}" + (f" from {mine}" if mine else "")
    return (
        f"run {run_id[:12]} belongs to {theirs}; this window shows {shown}, which would run "
        f"in its place. Open that graph (File > Open) to continue it"
    )


def check_owned(window: Any, run_id: str | None) -> None:
    """``ResumeError`` (see ``foreign``) unless the window's graph may continue ``run_id``."""
    reason = foreign(window, run_id)
    if reason is not None:
        raise ResumeError(reason)
