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
import sys
import uuid
from typing import Any, NoReturn

from graphstage import DEFAULT_RECURSION_LIMIT, RESUMABLE_STATUSES, Journal, JournalError

# The CLI is split by concern; the names the other modules (cli_threads) and tests use stay
# importable from here. Each is defined once, in the module that uses it.
from graphstage.app.cli_drive import EXIT_CODES as EXIT_CODES
from graphstage.app.cli_drive import SHUTDOWN_WAIT as SHUTDOWN_WAIT
from graphstage.app.cli_drive import _drive as _drive
from graphstage.app.cli_drive import _install_signals as _install_signals
from graphstage.app.cli_drive import _on_ray, _ray_executor
from graphstage.app.cli_input import UsageError as UsageError
from graphstage.app.cli_input import _absolute_spec as _absolute_spec
from graphstage.app.cli_input import _describe_validation as _describe_validation
from graphstage.app.cli_input import _parse_config as _parse_config
from graphstage.app.cli_input import _parse_input, _reject_unknown_keys
from graphstage.app.cli_input import _safe as _safe
from graphstage.app.cli_output import _cmd_graph, _cmd_runs, _cmd_show
from graphstage.app.cli_output import _j as _j
from graphstage.app.cli_output import _print_event as _print_event
from graphstage.app.cli_output import format_event as format_event
from graphstage.app.cli_output import say as say
from graphstage.app.cli_resume import _confirm_spec as _confirm_spec
from graphstage.app.cli_resume import resume_legacy as resume_legacy
from graphstage.app.loader import GraphLoadError, load_graph
from graphstage.func import Entrypoint

EXIT_USAGE = 2
"""Exit code for bad usage or bad input (a ``UsageError``); by status: ``EXIT_CODES``."""


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
        _check_text(ns)
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


def _check_text(ns: argparse.Namespace) -> None:
    """Ids and names are looked up in the journal as UTF-8: one holding bytes that are not
    (a lone surrogate, from argv) cannot be there; say so rather than fail in SQLite."""
    for name in ("run_id", "thread", "status"):
        value = getattr(ns, name, None)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                option = {"run_id": "ID", "thread": "THREAD", "status": "--status"}[name]
                raise UsageError(
                    f"{option} {_safe(value)} is not valid UTF-8 text; no id or name holds it"
                ) from None


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
            help=(
                "steps the run may take before it fails (LangGraph's recursion_limit; default "
                f"{DEFAULT_RECURSION_LIMIT}, as LangGraph 1.2's)"
            ),
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
    p.add_argument("--limit", "-n", type=_count, default=50, help="at most this many (default 50)")
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
    p.add_argument("--ray", nargs="?", const="", metavar="ADDRESS", help="as run --ray")
    p.add_argument("--ray-hosts", type=int, default=2, metavar="N", help="as run --ray-hosts")
    db_option(p)
    p.set_defaults(func=_lazy("cmd_resume"))

    p = add("threads", "List the threads in the journal, most recently updated first.")
    p.add_argument("--limit", "-n", type=_count, default=50, help="at most this many (default 50)")
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


def _cmd_run(ns: argparse.Namespace) -> int:
    config = _parse_config(ns)
    graph = load_graph(ns.graph)
    # an entrypoint (graphstage.func, or LangGraph's @entrypoint) takes any JSON value
    inp = _parse_input(ns.input, any_value=isinstance(graph, Entrypoint))
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


def _count(text: str) -> int:
    """A ``--limit``: a whole number from 1 (SQLite takes a negative LIMIT as none, and one
    over 64 bits raised OverflowError)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return min(value, 2**62)  # more than any journal holds
    return value


def _lazy(name: str) -> Any:
    """A command of ``cli_thread_commands`` (imported when run: it imports this module)."""

    def command(ns: argparse.Namespace) -> int:
        from graphstage.app import cli_thread_commands

        code: int = getattr(cli_thread_commands, name)(ns)
        return code

    return command
