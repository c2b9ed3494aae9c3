"""Driving a run from the CLI: the event loop (with a bounded shutdown), Ctrl+C / SIGTERM
(a graceful stop, then a kill), the exit code by final status, and the ``--ray`` executor.
Imports no Qt."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import sys
import time
from collections.abc import Coroutine
from typing import Any, NoReturn

from pydantic import ValidationError

from graphstage import (
    CompiledGraph,
    GraphError,
    InvalidUpdateError,
    Journal,
    ResumeError,
    Run,
    SurvivingTaskError,
)
from graphstage.app.cli_input import UsageError, _describe_validation
from graphstage.app.cli_output import print_events
from graphstage.app.cli_signals import install_signals as _install_signals
from graphstage.app.cli_signals import restore_signals
from graphstage.journal import flush_open_journals

EXIT_CODES = {"completed": 0, "failed": 1, "paused": 3, "cancelled": 130, "killed": 137}
"""Process exit code by final run status; bad usage or input exits 2."""


SHUTDOWN_WAIT = 1.0
"""Seconds the CLI waits, after a run, for tasks still alive before it abandons them."""


def _drive(
    graph: CompiledGraph,
    spec: str,
    journal: Journal | None,
    as_json: bool,
    start: Any,
    converse: tuple[Any, ...] | None = None,
) -> int:
    """Start a run with ``start()``, print its events, and return the exit code. With
    ``converse`` (config, answers, ask) the run is on a thread: its pauses are answered."""
    if journal is not None:
        journal.remember_spec(graph, spec)
    abandoned = False
    try:
        if converse is not None:
            from graphstage.app.cli_threads import converse as talk

            code, abandoned = _run_loop(talk(graph, start, as_json, *converse))
        else:
            code, abandoned = _run_loop(_follow(start, as_json))
        return code
    finally:
        try:
            if journal is not None:
                journal.close()  # a failing last write is kept in journal.error
                if journal.error is not None:
                    print(f"graphstage: warning: {journal.error}", file=sys.stderr)
        finally:
            if abandoned:
                _leave(code)


def _leave(code: int) -> NoReturn:
    """Exit now with ``code``, with a node task or thread still running that cannot be
    ended (a node that swallows every cancellation, a sync node's thread): the interpreter
    would wait for it at exit forever. ``os._exit`` skips the exit handlers, so first write
    what every journal of the process has queued (the run's own is closed already: its
    ``killed`` row is on disk; a node's own saver may have rows queued) and flush the
    output; a closed pipe or a second Ctrl+C must not stop the exit."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # leaving already: no traceback
        flush_open_journals()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe or stream: nothing to save
                pass
        os._exit(code)


FREEZE_AFTER_LOAD = False
"""Set by the console script (``graphstage run ...``; not by ``cli.main`` called in another
process's code, a test's): freeze the start-up heap before the run's loop starts."""


def _run_loop(main: Coroutine[Any, Any, tuple[int, bool]]) -> tuple[int, bool]:
    """``asyncio.run(main)``, except that tasks still alive afterwards are cancelled and
    waited for at most ``SHUTDOWN_WAIT`` seconds, not forever. Returns the exit code and
    whether something (a task or a worker thread) had to be abandoned."""
    if FREEZE_AFTER_LOAD:
        # the graph and everything it imported are loaded: frozen, so the collections
        # while the run goes on walk the run's objects, not the start-up heap (LangChain
        # and pydantic are hundreds of thousands of objects: each full collection of them
        # is a pause of tens of milliseconds in the loop's thread)
        gc.collect()
        gc.freeze()
    loop = asyncio.new_event_loop()
    code, survivors = EXIT_CODES["failed"], False
    try:
        code, survivors = loop.run_until_complete(main)
    finally:
        left = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in left:
            task.cancel()
        if left:
            loop.run_until_complete(asyncio.wait(left, timeout=SHUTDOWN_WAIT))
        restore_signals()
        abandoned = survivors or any(not t.done() for t in left)
        if not abandoned:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
    return code, abandoned


async def _follow(start: Any, as_json: bool) -> tuple[int, bool]:
    """Run to the end: the exit code, and whether a node had to be abandoned."""
    try:
        run: Run = start()
    except ResumeError as exc:  # refused before anything ran: one line, exit 2
        raise UsageError(str(exc)) from None
    except ValidationError as exc:
        raise UsageError(_describe_validation(exc)) from None
    except (InvalidUpdateError, TypeError, ValueError) as exc:
        raise UsageError(f"invalid input: {exc}") from None
    _install_signals(run)
    await print_events(run, as_json)
    result = await run.result()
    return EXIT_CODES.get(result.status, 1), isinstance(result.error, SurvivingTaskError)


def _ray_executor(address: str | None, hosts: int) -> Any:
    """A RayExecutor, started now (seconds: said on stderr), or a UsageError saying why not."""
    try:
        from graphstage.ray import RayExecutor
    except ImportError as exc:
        raise UsageError(f"--ray: {exc}") from None
    try:
        executor = RayExecutor(address, hosts)
    except ValueError as exc:
        raise UsageError(f"--ray-hosts: {exc}") from None
    where = f"Ray at {address}" if address else "a local Ray"
    print(f"graphstage: starting {where} with {hosts} host(s)...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        executor.start()
    except Exception as exc:  # Ray's own errors: no cluster at that address, and so on
        raise UsageError(f"--ray: could not start {where}: {type(exc).__name__}: {exc}") from None
    hosts_at = ", ".join(f"{h.index}: node {h.node_id[:8]} pid {h.pid}" for h in executor.info)
    print(
        f"graphstage: Ray ready in {time.perf_counter() - started:.1f} s (hosts {hosts_at})",
        file=sys.stderr,
        flush=True,
    )
    return executor


def _on_ray(graph: CompiledGraph, executor: Any) -> CompiledGraph:
    try:
        placed: CompiledGraph = graph.on_executor(executor)
    except GraphError as exc:
        raise UsageError(f"--ray: {exc}") from None
    return placed
