"""Runs on a thread from the command line, and interrupts answered at the terminal or with
``--answer`` (``graphstage resume``, ``threads`` and ``state`` are in cli_thread_commands).
Imports no Qt.

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
from collections.abc import Callable
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
)
from graphstage.app import cli
from graphstage.app.cli_output import print_events
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
            if answers:  # a typo'd thread, or a graph that no longer asks: say so
                cli.say(
                    f"{len(answers)} --answer value(s) not used: the run ended {result.status} "
                    f"without asking for them"
                )
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
    await print_events(run, as_json)
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
