"""The headless CLI: ``graphstage run|runs|show|resume|threads|state|graph``. Imports no Qt.

    graphstage run FILE_OR_MODULE:graph --input '{"sleep_seconds": 5}' [--json]
        [--recursion-limit N] [--config '{"configurable": {...}}'] [--ray [ADDRESS]]
        [--thread ID] [--answer JSON]...
    graphstage runs                 # the journal, newest first
    graphstage show RUN_ID          # a run's events (a unique prefix of the id will do)
    graphstage resume ID [--answer JSON]  # a thread (or a run's), from its last checkpoint
    graphstage threads              # the threads, most recently updated first
    graphstage state THREAD [--history]
    graphstage graph FILE:graph --mermaid

Every run is journaled (``--db PATH``, else ``$GRAPHSTAGE_DB``, else the user's data dir).
The first Ctrl+C (or SIGTERM) stops the run gracefully, so its cleanup route runs; a second
one kills it. Exit codes: 0 completed, 1 failed, 2 bad usage or bad input, 3 paused (the
thread waits for an answer, or at a breakpoint), 130 cancelled, 137 killed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, NoReturn

from pydantic import BaseModel, ValidationError

from graphstage import (
    RESUMABLE_STATUSES,
    CompiledGraph,
    Event,
    GraphError,
    InvalidUpdateError,
    Journal,
    JournalError,
    ResumeError,
    Run,
    RunRecord,
    SurvivingTaskError,
    dump_event,
    dump_event_json,
)
from graphstage.app.loader import GraphLoadError, load_graph, split_spec
from graphstage.app.outcomes import Durations, node_outcome

EXIT_CODES = {"completed": 0, "failed": 1, "paused": 3, "cancelled": 130, "killed": 137}
"""Process exit code by final run status; bad usage or input exits 2."""

EXIT_USAGE = 2

SHUTDOWN_WAIT = 1.0
"""Seconds the CLI waits, after a run, for tasks still alive before it abandons them."""

_COMMANDS = ("run", "runs", "show", "resume", "threads", "state", "graph")

EXAMPLES = {
    "run": """examples:
  graphstage run app/graph.py:graph --input '{"question": "hi"}'
  graphstage run my_pkg.flows:graph --input @input.json --json
  graphstage run loop.py:graph --recursion-limit 500 --config '{"configurable": {"k": 1}}'
  graphstage run app/graph.py:graph --ray                  (nodes on a local Ray, 2 hosts)
  graphstage run app/graph.py:graph --ray auto --ray-hosts 4   (join the cluster of `ray start`)
  graphstage run approve.py:graph --input '{"draft": "hi"}' --thread t1 --answer true
Ctrl+C stops gracefully (the cleanup route runs); a second Ctrl+C kills. An interrupt()
is answered by the next --answer, else at a prompt (a terminal, or --ask), else the thread
waits in the journal: `graphstage resume t1 --answer JSON` answers it, in any later process.
exit codes: 0 completed, 1 failed, 2 bad usage or input, 3 paused (waits for an answer),
130 cancelled, 137 killed""",
    "runs": """examples:
  graphstage runs
  graphstage runs --status interrupted -n 10""",
    "show": """examples:
  graphstage show 3f2a            (any unique prefix of a run id)
  graphstage show 3f2a --json""",
    "resume": """examples:
  graphstage resume 3f2a                 (a thread, or a run's thread: any unique id prefix)
  graphstage resume 3f2a --yes           (load the graph file it recorded without asking)
  graphstage resume t1 --answer '{"approved": true}'   (the answer to its interrupt())
  graphstage resume 3f2a --fork          (run that run's checkpoint again, as a fork)
  graphstage resume 3f2a --graph app/graph.py:graph
A run that was already continued is not resumed again (resume its thread, or --fork);
a checkpoint whose next node the graph no longer has is refused before anything runs.""",
    "threads": """examples:
  graphstage threads
  graphstage threads -n 10 --json""",
    "state": """examples:
  graphstage state t1              (its latest checkpoint: values, next nodes, questions)
  graphstage state t1 --history    (every checkpoint, newest first)""",
    "graph": """examples:
  graphstage graph app/graph.py:graph
  graphstage graph my_pkg.flows:graph --mermaid""",
}
"""One example per command, shown at the end of its ``--help``."""


_RESUMABLE_TEXT = f"an {', '.join(RESUMABLE_STATUSES[:-1])} or {RESUMABLE_STATUSES[-1]}"
"""The statuses ``resume`` accepts, for its help (the journal's one definition)."""


class UsageError(Exception):
    """Bad usage or input: printed as one line on stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def main(args: list[str]) -> int:
    """Run one CLI command; return the process exit code."""
    parser = _build_parser()
    command = args[0] if args else ""
    try:
        ns = parser.parse_args(args)
        code: int = ns.func(ns)
        return code
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except (UsageError, GraphLoadError, JournalError) as exc:
        _fail(command, str(exc))
    except KeyError as exc:  # Journal.run: no such run, or an ambiguous prefix
        _fail(command, str(exc.args[0]) if exc.args else str(exc))
    except KeyboardInterrupt:  # Ctrl+C before a run started (while loading, say)
        _fail(command, "interrupted")
        return EXIT_CODES["cancelled"]
    except BrokenPipeError:  # `graphstage runs | head`
        sys.stderr.close()
        return 0
    return EXIT_USAGE


def say(message: str) -> None:
    """One line to the person at the terminal (stderr: stdout carries the events)."""
    print(f"graphstage: {_safe(message)}", file=sys.stderr, flush=True)


def _fail(command: str, message: str) -> None:
    prefix = f"graphstage {command}" if command in _COMMANDS else "graphstage"
    print(f"{prefix}: {_safe(message)}", file=sys.stderr)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="graphstage", description="Run and inspect graphstage graphs headless.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return p

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db",
            metavar="PATH",
            help="journal file (default: $GRAPHSTAGE_DB, "
            "else journal.sqlite3 in the user's data directory)",
        )

    def answer_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--answer",
            action="append",
            metavar="JSON",
            help="the answer to the next interrupt() (JSON, else taken as text); repeat it "
            "for several",
        )
        p.add_argument(
            "--ask",
            action="store_true",
            help="prompt for answers even when stdin is not a terminal",
        )

    def config_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--recursion-limit",
            type=int,
            metavar="N",
            help="steps the run may take before it fails (LangGraph's recursion_limit; default 25)",
        )
        p.add_argument(
            "--config",
            metavar="JSON",
            help="the run's config as a JSON object, e.g. "
            """'{"configurable": {"thread_id": "1"}}' (or @FILE)""",
        )

    p = add("run", "Run a graph, printing one line per event and the final state.")
    p.add_argument("graph", metavar="FILE_OR_MODULE:graph")
    p.add_argument(
        "--input",
        "-i",
        metavar="JSON",
        help="the input state as a JSON object, or @FILE to read it from a file",
    )
    config_options(p)
    p.add_argument("--json", action="store_true", help="print events as JSON lines")
    p.add_argument("--no-journal", action="store_true", help="do not journal this run")
    p.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="run every node on Ray hosts (needs graphstage[ray]): a local Ray without "
        "ADDRESS, else 'auto' or ray://HOST:PORT to join a cluster",
    )
    p.add_argument(
        "--ray-hosts", type=int, default=2, metavar="N", help="Ray hosts to start (default 2)"
    )
    p.add_argument(
        "--thread",
        metavar="ID",
        help="the thread to run on: new input is applied to its state (default: a new "
        "thread named after the run)",
    )
    answer_options(p)
    db_option(p)
    p.set_defaults(func=_cmd_run)

    p = add("runs", "List the journaled runs, newest first.")
    p.add_argument("--limit", "-n", type=int, default=50, help="at most this many (default 50)")
    p.add_argument("--status", help="only runs with this status (e.g. interrupted)")
    p.add_argument("--json", action="store_true", help="one JSON object per run")
    db_option(p)
    p.set_defaults(func=_cmd_runs)

    p = add("show", "Print a journaled run's events.")
    p.add_argument("run_id", metavar="RUN_ID", help="the run's id, or a unique prefix of it")
    p.add_argument("--json", action="store_true", help="print events as JSON lines")
    db_option(p)
    p.set_defaults(func=_cmd_show)

    p = add(
        "resume",
        f"Resume {_RESUMABLE_TEXT} run (its thread), or a thread, from its last checkpoint.",
    )
    p.add_argument(
        "run_id", metavar="ID", help="a thread's or a run's id, or a unique prefix of it"
    )
    p.add_argument(
        "--fork",
        action="store_true",
        help="run from this run's checkpoint again even though it was continued since",
    )
    answer_options(p)
    p.add_argument(
        "--graph",
        metavar="FILE_OR_MODULE:graph",
        help="load the graph from here instead of where the run recorded it",
    )
    p.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="load the graph file the journal names without asking (it is shown either way)",
    )
    config_options(p)
    p.add_argument("--json", action="store_true", help="print events as JSON lines")
    db_option(p)
    p.set_defaults(func=_lazy("cmd_resume"))

    p = add("threads", "List the threads in the journal, most recently updated first.")
    p.add_argument("--limit", "-n", type=int, default=50, help="at most this many (default 50)")
    p.add_argument("--json", action="store_true", help="one JSON object per thread")
    db_option(p)
    p.set_defaults(func=_lazy("cmd_threads"))

    p = add("state", "Print a thread's state: its latest checkpoint, or all of them.")
    p.add_argument("thread", metavar="THREAD", help="the thread's id, or a unique prefix of it")
    p.add_argument("--history", action="store_true", help="every checkpoint, newest first")
    p.add_argument("--json", action="store_true", help="one JSON object per checkpoint")
    db_option(p)
    p.set_defaults(func=_lazy("cmd_state"))

    p = add("graph", "Describe a graph: its nodes and edges, or a Mermaid diagram.")
    p.add_argument("graph", metavar="FILE_OR_MODULE:graph")
    p.add_argument("--mermaid", action="store_true", help="print a Mermaid flowchart")
    db_option(p)
    p.set_defaults(func=_cmd_graph)
    return parser


# -- commands ---------------------------------------------------------------------------


def _cmd_run(ns: argparse.Namespace) -> int:
    inp = _parse_input(ns.input)
    config = _parse_config(ns)
    graph = load_graph(ns.graph)
    _reject_unknown_keys(graph, inp)
    spec = _absolute_spec(ns.graph)
    executor = None if ns.ray is None else _ray_executor(ns.ray or None, ns.ray_hosts)
    try:
        if executor is not None:
            graph = _on_ray(graph, executor)
        journal = None if ns.no_journal else Journal(ns.db)
        config = dict(config or {})
        conf = dict(config.get("configurable") or {})
        thread_id = ns.thread or conf.get("thread_id") or uuid.uuid4().hex
        if not ns.thread and not conf.get("thread_id"):
            config["run_id"] = thread_id  # a new thread is named after its first run
        config["configurable"] = {**conf, "thread_id": str(thread_id)}
        from graphstage.app.cli_threads import drive_thread

        return drive_thread(graph, spec, journal, ns, config, lambda g: g.start(inp, config))
    finally:
        if executor is not None:
            executor.shutdown()


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


def _lazy(name: str) -> Any:
    """A command of ``cli_threads`` (imported when run: it imports this module)."""

    def command(ns: argparse.Namespace) -> int:
        from graphstage.app import cli_threads

        code: int = getattr(cli_threads, name)(ns)
        return code

    return command


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


def _cmd_runs(ns: argparse.Namespace) -> int:
    with Journal(ns.db) as journal:
        records = journal.runs(limit=ns.limit, status=ns.status)
    if ns.json:
        for r in records:
            print(json.dumps(_record_json(r)))
        return 0
    if not records:
        print(f"no runs in {_safe(journal.path)}")
        return 0
    print(f"{'RUN':12}  {'STARTED':19}  {'DURATION':>8}  {'STATUS':11}  {'STEPS':>5}  GRAPH")
    for r in records:
        duration = "-" if r.duration is None else f"{r.duration:.2f}s"
        resumed = f" (resumes {_safe(r.resumed_from[:12])})" if r.resumed_from else ""
        status = "damaged" if r.damaged else r.status
        print(
            f"{_safe(r.run_id[:12]):12}  {_when(r.started):19}  {duration:>8}  "
            f"{_safe(status):11}  {r.steps:>5}  {_safe(r.graph)}{resumed}"
        )
    for r in records:
        if r.damaged:
            print(f"run {_safe(r.run_id[:12])} is damaged: {_safe(r.damaged)}")
    return 0


def _when(timestamp: float) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):  # a crafted time
        return "?"


def _cmd_show(ns: argparse.Namespace) -> int:
    damaged: list[str] = []
    with Journal(ns.db) as journal:
        record = journal.run(ns.run_id)
        events = journal.events(record.run_id, damaged)
    if record.damaged:
        damaged.insert(0, f"run {record.run_id}: {record.damaged}")
    for event in events:
        _print_event(event, ns.json)
    for line in damaged:  # shown, never fatal
        print(f"graphstage show: damaged journal row: {_safe(line)}", file=sys.stderr)
    if not ns.json and record.status in ("running", "interrupted"):
        print(
            f"run {record.run_id[:12]} is {record.status}"
            + (
                f"; `graphstage resume {record.run_id[:12]}` goes on from its last checkpoint"
                if record.status == "interrupted"
                else ""
            )
        )
    return 0


def _cmd_graph(ns: argparse.Namespace) -> int:
    graph = load_graph(ns.graph)
    if ns.mermaid:
        sys.stdout.write(graph.draw_mermaid())
        return 0
    print(f"graph {graph.name}: nodes {', '.join(graph.nodes)}")
    for edge in graph.edges_for_drawing():
        key = f": {edge.label}" if edge.label else ""
        print(f"  {edge.src} -> {edge.dst} ({edge.kind}{key})")
    return 0


# -- running ----------------------------------------------------------------------------


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
        if journal is not None:
            journal.close()  # a failing last write is kept in journal.error
            if journal.error is not None:
                print(f"graphstage: warning: {journal.error}", file=sys.stderr)
        if abandoned:
            # A node task that swallows every cancellation, or a sync node's thread, cannot
            # be ended; the interpreter would wait for it at exit forever. The journal is
            # closed and the output flushed: leave now, with the run's exit code.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)


def _run_loop(main: Coroutine[Any, Any, tuple[int, bool]]) -> tuple[int, bool]:
    """``asyncio.run(main)``, except that tasks still alive afterwards are cancelled and
    waited for at most ``SHUTDOWN_WAIT`` seconds, not forever. Returns the exit code and
    whether something (a task or a worker thread) had to be abandoned."""
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
    async for event in run.events():
        _print_event(event, as_json)
    result = await run.result()
    return EXIT_CODES.get(result.status, 1), isinstance(result.error, SurvivingTaskError)


def _install_signals(run: Run) -> None:
    """First SIGINT/SIGTERM: graceful stop (the cleanup route runs); the second: kill."""
    loop = asyncio.get_running_loop()
    seen: list[str] = []

    def on_signal(name: str) -> None:
        seen.append(name)
        if len(seen) == 1:
            print(
                f"graphstage: {name}: stopping the run gracefully (press Ctrl+C again to kill it)",
                file=sys.stderr,
                flush=True,
            )
            run.stop(reason=name)
        else:
            print(f"graphstage: {name} again: killing the run", file=sys.stderr, flush=True)
            run.kill(reason=f"{name} again")

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, on_signal, sig.name)
        except (NotImplementedError, RuntimeError):  # Windows: no add_signal_handler
            signal.signal(
                sig, lambda _n, _f, name=sig.name: loop.call_soon_threadsafe(on_signal, name)
            )


# -- formatting -------------------------------------------------------------------------


def _print_event(event: Event, as_json: bool) -> None:
    if as_json:
        sys.stdout.buffer.write(dump_event_json(event) + b"\n")
        sys.stdout.flush()
        return
    for line in format_event(event):
        print(_safe(line, keep="\n\t"), flush=True)


def format_event(event: Event) -> list[str]:
    """The event as human-readable lines (usually one)."""
    d = dump_event(event)
    kind = d["kind"]
    step = f"[step {d.get('step')}]"
    if kind == "run_started":
        resumed = f", resuming run {d['resumed_from'][:12]}" if d.get("resumed_from") else ""
        return [f"run {d['run_id']} started: graph {d['graph']}, input {_j(d['input'])}{resumed}"]
    if kind == "transition":
        why = d["reason"] + (" after stop" if d["after_stop"] else "")
        if d.get("branch") is not None:
            why = f"{why}: {d['branch']}"
        return [f"{step} {_node(d['src'])} -> {_node(d['dst'])} ({why})"]
    if kind == "node_started":
        _DURATIONS.started(event)
        where = f" on {d['where']}" if d.get("where") else ""
        shielded = " (shielded)" if d["shielded"] else ""
        return [f"{step} {d['node']} started{where}{shielded}"]
    if kind == "custom_output":
        data = d["data"]
        return [f"{step} {d['node']}: {data if isinstance(data, str) else _j(data)}"]
    if kind == "node_finished":
        extras = []
        if d["update"]:
            extras.append(f"update {_j(d['update'])}")
        if d["goto"]:
            extras.append(f"goto {', '.join(map(_node, d['goto']))}")
        outcome, how = node_outcome(event)
        if how:
            extras.insert(0, how)
        line = f"{step} {d['node']} {outcome} after {_DURATIONS.of(event):.2f}s"
        return [line + (": " + ", ".join(extras) if extras else "")]
    if kind == "node_cancelled":
        outcome, how = node_outcome(event)
        return [f"{step} {d['node']} {outcome} ({how}) after {_DURATIONS.of(event):.2f}s"]
    if kind == "node_interrupted":
        questions = [i["value"] for i in d["interrupts"]]
        asked = "; ".join(q if isinstance(q, str) else _j(q) for q in questions)
        return [f"{step} {d['node']} waits for an answer: {asked}"]
    if kind == "node_failed":
        return [f"{step} {d['node']} failed: {d['error_type']}: {d['error']}"]
    if kind == "stop_requested":
        told = f", telling {', '.join(d['nodes'])}" if d["nodes"] else ""
        grace = f", grace {d['grace']:g}s" if d["mode"] == "graceful" else ""
        return [f"stop requested ({d['mode']}, by {d['reason']}){told}{grace}"]
    if kind == "state_updated":
        nxt = f"; next {', '.join(d['next'])}" if d["next"] else ""
        return [f"{step} state updated {_j(d['update'])}{nxt}"]
    if kind == "run_finished":
        lines = [
            f"run {d['run_id']} {d['status']} after {d['steps']} step(s)"
            + (f": {d['error']}" if d["error"] else "")
            + (f"; resumable at {', '.join(d['next'])}" if d["next"] else "")
        ]
        lines.append(f"final state: {_j(d['values'])}")
        return lines
    return [f"{kind}: {_j(d)}"]


_DURATIONS = Durations()
"""Start times of the nodes printed, for the time of a killed or escalated node."""


def _node(name: str) -> str:
    return {"__start__": "START", "__end__": "END"}.get(name, name)


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _record_json(r: RunRecord) -> dict[str, Any]:
    return {
        "run_id": r.run_id,
        "graph": r.graph,
        "spec": r.spec,
        "status": r.status,
        "started": r.started,
        "finished": r.finished,
        "duration": r.duration,
        "steps": r.steps,
        "resumed_from": r.resumed_from,
        "error": r.error,
        "input": r.input,
        "values": r.values,
        "next": list(r.next),
        "damaged": r.damaged,
    }


# -- input ------------------------------------------------------------------------------


def _parse_config(ns: argparse.Namespace) -> dict[str, Any] | None:
    """``--config`` (a JSON object or @FILE) with ``--recursion-limit`` laid over it."""
    config: dict[str, Any] = {}
    if ns.config is not None:
        config = _parse_json_object(ns.config, "--config", '{"recursion_limit": 100}')
    if ns.recursion_limit is not None:
        if ns.recursion_limit < 1:
            raise UsageError(f"--recursion-limit must be at least 1, got {ns.recursion_limit}")
        config["recursion_limit"] = ns.recursion_limit
    limit = config.get("recursion_limit", 25)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise UsageError(f"--config: recursion_limit must be a whole number >= 1, got {limit!r}")
    return config or None


def _parse_input(text: str | None) -> Any:
    """The ``--input`` JSON (or ``@file``) as an object; ``UsageError`` if it is not one."""
    if text is None:
        return None
    return _parse_json_object(text, "--input", '{"sleep_seconds": 5}')


def _parse_json_object(text: str, option: str, example: str) -> dict[str, Any]:
    """``text`` (or the file named by ``@FILE``) as a JSON object, or a ``UsageError``."""
    where = option
    if text.startswith("@"):
        where = text[1:]
        try:
            text = Path(where).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{option} {text}: cannot read it: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"{option} {_safe(text)}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
            ) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{where} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}; "
            f"write it as a JSON object, e.g. '{example}'"
        ) from None
    except RecursionError:
        raise UsageError(f"{_safe(where)}: JSON nested too deeply") from None
    except ValueError as exc:  # an integer over Python's 4300-digit conversion limit
        raise UsageError(f"{_safe(where)}: {exc}") from None
    try:  # a lone surrogate (from a \ud800 escape, or non-UTF-8 bytes in argv) cannot be
        # stored or printed: say so now, not as a traceback from the journal
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(
            f"{_safe(where)}: text that is not valid Unicode ({exc.reason}); remove the lone "
            f"surrogate escape"
        ) from None
    except (RecursionError, ValueError):
        raise UsageError(f"{_safe(where)}: JSON nested too deeply") from None
    if not isinstance(value, dict):
        raise UsageError(
            f"{where} must be a JSON object, got {type(value).__name__} {_safe(text.strip()[:40])}"
        )
    return value


def _reject_unknown_keys(graph: CompiledGraph, inp: dict[str, Any] | None) -> None:
    """A pydantic state ignores unknown fields; on the command line one is a typo
    (``dryrun`` for ``dry_run``) that would run with the default: refuse it."""
    model = graph.state_schema
    if not inp or not (isinstance(model, type) and issubclass(model, BaseModel)):
        return  # TypedDict and dataclass states reject unknown keys themselves
    known = set(model.model_fields) | {
        f.alias for f in model.model_fields.values() if f.alias is not None
    }
    unknown = [k for k in inp if k not in known]
    if unknown:
        raise UsageError(
            f"--input: unknown field(s) {', '.join(map(repr, unknown))} for "
            f"{model.__name__}; its fields are {', '.join(model.model_fields) or '(none)'}"
        )


def _safe(text: str, keep: str = "") -> str:
    """``text`` fit for a terminal: control characters (but those in ``keep``) and lone
    surrogates escaped, so a journal or an argument cannot drive the terminal."""
    if text.isprintable():
        return text
    return "".join(
        ch
        if (ch.isprintable() or ch in keep) and not 0xD800 <= ord(ch) <= 0xDFFF
        else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
        for ch in text
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
        path = Path(target).expanduser()
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


def _describe_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "input"
        got = f" (got {err['input']!r})" if "input" in err and err["type"] != "missing" else ""
        parts.append(f"{loc}: {err['msg']}{got}")
    return f"invalid input for {exc.title}: " + "; ".join(parts)


def _absolute_spec(spec: str) -> str:
    """A file spec with an absolute path, so a resume from elsewhere finds it again."""
    target, attr = split_spec(spec.strip())
    if target.endswith(".py") or "/" in target or "\\" in target:
        target = str(Path(target).expanduser().resolve())
    return f"{target}:{attr}"
