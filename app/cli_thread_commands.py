"""``graphstage resume`` of a thread (or of a run's thread), ``graphstage threads`` and
``graphstage state``: the commands that read the threads a journal keeps. Imports no Qt.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import datetime
from typing import Any

from graphstage import (
    Command,
    CompiledGraph,
    Journal,
    Run,
    ThreadCheckpoint,
    ThreadInfo,
)
from graphstage.app import cli
from graphstage.app.cli_threads import _question, drive_thread, parse_answer
from graphstage.app.loader import load_graph
from graphstage.checkpoint.sqlite import SqliteSaver

# -- resume: a thread (or a run's thread) -------------------------------------------------


def cmd_resume(ns: argparse.Namespace) -> int:
    """``graphstage resume ID``: continue a thread (or the thread of run ID)."""
    journal = Journal(ns.db)
    try:
        saver = SqliteSaver(journal)
        head, run_id = _resolve(saver, journal, ns.run_id, fork=ns.fork)
        if head is None:
            if ns.ray is not None:  # the journal's own resume runs its nodes locally
                raise cli.UsageError(
                    f"--ray: run {run_id or ns.run_id} was journaled without a thread; "
                    f"resume it without --ray"
                )
            return cli.resume_legacy(ns, journal)
        spec = ns.graph or _spec_of(journal, saver, head.thread_id)
        if not ns.graph:  # code named by the journal, which anyone may have written
            cli._confirm_spec(run_id or head.thread_id, spec, assume_yes=ns.yes)
        graph = load_graph(spec)
        spec = cli._absolute_spec(spec)
    except BaseException:
        journal.close()
        raise
    config = {**(cli._parse_config(ns) or {}), "run_id": uuid.uuid4().hex}
    conf: dict[str, Any] = {"thread_id": head.thread_id}
    if ns.fork:
        conf["checkpoint_id"] = head.checkpoint_id
    config["configurable"] = {**config.get("configurable", {}), **conf}
    answers = list(ns.answer or [])
    waiting = head.pending_interrupts
    if not head.next and not waiting:
        journal.close()
        raise cli.UsageError(
            f"thread {head.thread_id} has reached its end (step {head.step}); nothing to "
            f"resume; `graphstage run ... --thread {head.thread_id}` starts it again with input"
        )
    if waiting and not answers and not (ns.ask or sys.stdin.isatty()):
        journal.close()
        questions = "; ".join(_question(i.value) for i in waiting)
        raise cli.UsageError(
            f"thread {head.thread_id} waits for an answer to: {questions}; pass --answer JSON"
        )
    if not ns.json:
        what = "forking" if ns.fork else "resuming"
        named = f"thread {head.thread_id}"
        if run_id:
            named = f"run {run_id[:12]} ({named})"
        _print(f"{what} {named} at step {head.step + 1}: {', '.join(head.next)}", flush=True)

    def first(graph: CompiledGraph) -> Run:
        if waiting and answers:
            answer = parse_answer(answers.pop(0))
            return graph.start(Command(resume=answer), config)
        if waiting:  # at the prompt: the paused run's question comes first
            return graph.start(None, config)
        return graph.start(None, config)

    ns.answer = answers
    # Ray starts last (it takes seconds): every refusal above comes first
    try:
        executor = None if ns.ray is None else cli._ray_executor(ns.ray or None, ns.ray_hosts)
    except BaseException:
        journal.close()
        raise
    try:
        if executor is not None:
            graph = cli._on_ray(graph, executor)
        return drive_thread(graph, spec, journal, ns, config, first)
    finally:
        if executor is not None:
            executor.shutdown()


def _resolve(
    saver: SqliteSaver, journal: Journal, ident: str, *, fork: bool
) -> tuple[ThreadCheckpoint | None, str | None]:
    """The checkpoint a resume of ``ident`` (a thread id, or a run id, or a unique prefix
    of either) starts from, and the run named; ``(None, None)`` for a run without a thread
    (journaled before threads): the journal's own resume then."""
    info = find_thread(saver, ident)
    if info is not None:
        return info.head, None
    record = journal.run(ident)  # KeyError (no such run) is the CLI's one-line error
    taken = saver.run_checkpoint(record.run_id)
    if taken is None:
        return None, record.run_id
    head = saver.get_tuple({"configurable": {"thread_id": taken.thread_id}})
    if head is not None and head.checkpoint_id != taken.checkpoint_id and not fork:
        raise cli.UsageError(
            f"run {record.run_id[:12]} was already continued (thread {taken.thread_id} is "
            f"at step {head.step}, by run {(head.run_id or '?')[:12]}); "
            f"`graphstage resume {taken.thread_id}` goes on from there, or --fork runs "
            f"from this run's checkpoint again"
        )
    return taken, record.run_id


def find_thread(saver: SqliteSaver, ident: str) -> ThreadInfo | None:
    """The thread whose id is ``ident`` or starts with it; ``UsageError`` if ambiguous."""
    threads = saver.threads()
    exact = [t for t in threads if t.thread_id == ident]
    if exact:
        return exact[0]
    found = [t for t in threads if t.thread_id.startswith(ident)]
    if len(found) > 1:
        ids = ", ".join(t.thread_id[:16] for t in found[:5])
        raise cli.UsageError(f"thread id {ident!r} is ambiguous ({ids}...); give more of it")
    return found[0] if found else None


def _spec_of(journal: Journal, saver: SqliteSaver, thread_id: str) -> str:
    runs = next((i.runs for i in saver.threads() if i.thread_id == thread_id), ())
    for run_id in reversed(runs):
        try:
            spec = journal.run(run_id).spec
        except KeyError:
            continue
        if spec:
            return spec
    raise cli.UsageError(
        f"thread {thread_id} did not record where its graph came from; pass "
        f"--graph FILE_OR_MODULE:graph"
    )


# -- threads and state ---------------------------------------------------------------------


def cmd_threads(ns: argparse.Namespace) -> int:
    with Journal(ns.db) as journal:
        threads = SqliteSaver(journal).threads()[: ns.limit]
    if ns.json:
        for t in threads:
            print(json.dumps(_thread_json(t), default=str))
        return 0
    if not threads:
        _print(f"no threads in {journal.path}")
        return 0
    print(f"{'THREAD':16}  {'UPDATED':19}  {'STATUS':6}  {'STEP':>4}  {'RUNS':>4}  NEXT")
    for t in threads:
        _print(
            f"{t.thread_id[:16]:16}  {_when(t.head.created_at)}  {t.status:6}  "
            f"{t.head.step:>4}  {len(t.runs):>4}  {_next(t.head)}"
        )
    return 0


def cmd_state(ns: argparse.Namespace) -> int:
    with Journal(ns.db) as journal:
        saver = SqliteSaver(journal)
        info = find_thread(saver, ns.thread)
        if info is None:
            raise cli.UsageError(
                f"no thread {ns.thread!r} in {journal.path}; `graphstage threads` lists them"
            )
        config = {"configurable": {"thread_id": info.thread_id}}
        checkpoints = list(saver.list(config)) if ns.history else [info.head]
    for checkpoint in checkpoints:
        if ns.json:
            print(json.dumps(_checkpoint_json(checkpoint), default=str))
            continue
        _print(
            f"{checkpoint.checkpoint_id[:8]}  step {checkpoint.step:>3}  "
            f"{checkpoint.source:6}  {_when(checkpoint.created_at)}  next {_next(checkpoint)}"
        )
        if not ns.history or checkpoint is checkpoints[0]:
            _print(f"  values {cli._j(checkpoint.values)}")
            for key, write in checkpoint.writes.items():
                _print(f"  {key} finished: {cli._j(write.get('update'))}")
            for key, error in checkpoint.errors.items():
                _print(f"  {key} failed: {error} (runs again when the thread goes on)")
            for key, items in checkpoint.interrupts.items():
                for item in items:
                    _print(f"  {key} waits: {_question(item.value)} (interrupt {item.id[:8]})")
    if not ns.json and info.status == "paused":
        _print(f"thread {info.thread_id} is paused; `graphstage resume {info.thread_id}` goes on")
    return 0


def _next(checkpoint: ThreadCheckpoint) -> str:
    if not checkpoint.next:
        return "(end)"
    marks = {"before": " (breakpoint)", "interrupt": " (waits for an answer)"}
    return ", ".join(checkpoint.next) + marks.get(checkpoint.paused or "", "")


def _when(iso: str) -> str:
    try:
        return time.strftime(
            "%Y-%m-%d %H:%M:%S", time.localtime(datetime.fromisoformat(iso).timestamp())
        )
    except ValueError:
        return iso[:19]


def _thread_json(t: ThreadInfo) -> dict[str, Any]:
    return {
        "thread_id": t.thread_id,
        "status": t.status,
        "runs": list(t.runs),
        "checkpoints": t.checkpoints,
        "created_at": t.created_at,
        "head": _checkpoint_json(t.head),
    }


def _checkpoint_json(c: ThreadCheckpoint) -> dict[str, Any]:
    return {
        "checkpoint_id": c.checkpoint_id,
        "parent_id": c.parent_id,
        "thread_id": c.thread_id,
        "step": c.step,
        "source": c.source,
        "created_at": c.created_at,
        "run_id": c.run_id,
        "values": c.values,
        "next": list(c.next),
        "writes": dict(c.writes),
        "errors": dict(c.errors),
        "interrupts": {
            k: [{"value": i.value, "id": i.id} for i in v] for k, v in c.interrupts.items()
        },
        "paused": c.paused,
    }


def _print(text: str, **kw: object) -> None:
    """A line for the terminal: journal text (thread ids, node names, values) escaped, so
    that a crafted journal or id cannot drive the terminal."""
    print(cli._safe(text), **kw)  # type: ignore[call-overload]
