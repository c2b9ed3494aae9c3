"""Threads on the command line: ``graphstage threads``, ``state``, runs on a thread, and
interrupts answered at the terminal or with ``--answer``. Imports no Qt.

Every CLI run belongs to a thread kept in the journal's file (a ``SqliteSaver`` on the same
``Journal``): ``--thread ID`` names it, else the thread is named after the run. A run that
pauses at an ``interrupt()`` is answered from ``--answer`` (one per pause, in order), else
at a prompt when stdin is a terminal (or ``--ask``); otherwise the process exits 3 and the
thread waits in the journal — across restarts — for ``graphstage resume THREAD --answer``.
Ctrl+C at the prompt stops the waiting node, which takes its cleanup route.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from graphstage import (
    BaseCheckpointSaver,
    Command,
    CompiledGraph,
    InMemorySaver,
    InvalidUpdateError,
    Journal,
    ResumeError,
    Run,
    RunResult,
    SurvivingTaskError,
    ThreadCheckpoint,
    ThreadInfo,
)
from graphstage.app import cli
from graphstage.app.loader import load_graph
from graphstage.checkpoint.sqlite import SqliteSaver

EXIT_PAUSED = 3
"""Exit code of a run left waiting for an answer (or at a breakpoint) in its thread."""

_STOP = object()
"""What the prompt returns when Ctrl+C (or SIGTERM) was pressed at it."""


# -- running on a thread ------------------------------------------------------------------


def drive_thread(
    graph: CompiledGraph,
    spec: str,
    journal: Journal | None,
    ns: argparse.Namespace,
    config: dict[str, Any],
    first: Callable[[CompiledGraph], Run],
) -> int:
    """Run ``first(graph)`` on the thread ``config`` names, answering each pause from
    ``--answer`` or the prompt; the process exit code. Without a journal (``--no-journal``)
    the thread lives in memory: its pauses are answered in this process or not at all."""
    saver: BaseCheckpointSaver = SqliteSaver(journal) if journal is not None else InMemorySaver()
    graph = graph.with_checkpointer(saver)
    answers = [parse_answer(text) for text in (ns.answer or [])]
    ask = bool(getattr(ns, "ask", False)) or sys.stdin.isatty()
    return cli._drive(
        graph, spec, journal, ns.json, lambda: first(graph), converse=(config, answers, ask)
    )


async def converse(
    graph: CompiledGraph,
    start: Callable[[], Run],
    as_json: bool,
    config: dict[str, Any],
    answers: list[Any],
    ask: bool,
) -> tuple[int, bool]:
    """Follow runs on one thread until one does not pause, or no answer is at hand."""
    thread_id = config["configurable"]["thread_id"]
    # the runs that answer or stop a pause are new runs: each gets an id of its own
    config = {k: v for k, v in config.items() if k != "run_id"}
    while True:
        result = await _follow(start, as_json)
        code = cli.EXIT_CODES.get(result.status, 1)
        abandoned = isinstance(result.error, SurvivingTaskError)
        if result.status != "paused":
            return code, abandoned
        where = _describe_pause(result)
        answer: Any
        if result.interrupts and answers:
            answer = answers.pop(0)
            cli.say(f"answering {where} with {cli._j(answer)}")
        elif ask:
            answer = await _prompt(where, needs_answer=bool(result.interrupts))
            if answer is None:  # end of input: leave the thread waiting
                return _left_waiting(thread_id, result), abandoned
        else:
            return _left_waiting(thread_id, result), abandoned
        if answer is _STOP:
            cli.say(f"stopping the node waiting at {where}: it takes its cleanup route")

            def start(reason: str = "Ctrl+C at the prompt") -> Run:
                return graph.stop_thread(config, reason=reason)
        elif result.interrupts:

            def start(answer: Any = answer) -> Run:
                return graph.start(Command(resume=answer), config)
        else:

            def start() -> Run:
                return graph.start(None, config)


async def _follow(start: Callable[[], Run], as_json: bool) -> RunResult:
    try:
        run = start()
    except ResumeError as exc:
        raise cli.UsageError(str(exc)) from None
    except ValidationError as exc:
        raise cli.UsageError(cli._describe_validation(exc)) from None
    except (InvalidUpdateError, TypeError, ValueError) as exc:
        raise cli.UsageError(f"invalid input: {exc}") from None
    cli._install_signals(run)
    async for event in run.events():
        cli._print_event(event, as_json)
    return await run.result()


def _describe_pause(result: RunResult) -> str:
    if result.interrupts:
        questions = "; ".join(_question(i.value) for i in result.interrupts)
        return f"the interrupt in {', '.join(result.next)} ({questions})"
    return f"a breakpoint before {', '.join(result.next)}"


def _question(value: Any) -> str:
    return value if isinstance(value, str) else cli._j(value)


def _left_waiting(thread_id: str, result: RunResult) -> int:
    how = (
        f"graphstage resume {thread_id} --answer JSON"
        if result.interrupts
        else f"graphstage resume {thread_id}"
    )
    cli.say(f"thread {thread_id} waits at {_describe_pause(result)}; `{how}` goes on")
    return EXIT_PAUSED


async def _prompt(where: str, *, needs_answer: bool) -> Any:
    """Read one answer from stdin in a daemon thread (a blocked read must not keep the
    process alive), while Ctrl+C returns ``_STOP``; None at end of input."""
    loop = asyncio.get_running_loop()
    while True:
        done: asyncio.Future[Any] = loop.create_future()

        def settle(value: Any, done: asyncio.Future[Any] = done) -> None:
            if not done.done():
                done.set_result(value)

        def read(settle: Callable[[Any], None] = settle) -> None:
            try:
                line: str | None = sys.stdin.readline()
            except (OSError, ValueError):
                line = None
            loop.call_soon_threadsafe(settle, line or None)

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, settle, _STOP)
        hint = "answer (JSON, or text)" if needs_answer else "Enter goes on"
        print(
            f"graphstage: paused at {where}\n{hint}; Ctrl+C stops: ",
            end="",
            file=sys.stderr,
            flush=True,
        )
        threading.Thread(target=read, name="graphstage prompt", daemon=True).start()
        line = await done
        if line is _STOP or line is None:
            print(file=sys.stderr)
            return line
        text = line.rstrip("\r\n")
        if needs_answer and not text.strip():
            continue
        return parse_answer(text)


def parse_answer(text: str) -> Any:
    """An answer as typed: JSON if it parses, else the text itself."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError):
        return text


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
        print(f"{what} {named} at step {head.step + 1}: {', '.join(head.next)}", flush=True)

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
        print(f"no threads in {journal.path}")
        return 0
    print(f"{'THREAD':16}  {'UPDATED':19}  {'STATUS':6}  {'STEP':>4}  {'RUNS':>4}  NEXT")
    for t in threads:
        print(
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
        print(
            f"{checkpoint.checkpoint_id[:8]}  step {checkpoint.step:>3}  "
            f"{checkpoint.source:6}  {_when(checkpoint.created_at)}  next {_next(checkpoint)}"
        )
        if not ns.history or checkpoint is checkpoints[0]:
            print(f"  values {cli._j(checkpoint.values)}")
            for key, write in checkpoint.writes.items():
                print(f"  {key} finished: {cli._j(write.get('update'))}")
            for key, items in checkpoint.interrupts.items():
                for item in items:
                    print(f"  {key} waits: {_question(item.value)} (interrupt {item.id[:8]})")
    if not ns.json and info.status == "paused":
        print(f"thread {info.thread_id} is paused; `graphstage resume {info.thread_id}` goes on")
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
        "interrupts": {
            k: [{"value": i.value, "id": i.id} for i in v] for k, v in c.interrupts.items()
        },
        "paused": c.paused,
    }
