"""The ``graphstage`` console script.

``graphstage [GRAPH]`` opens the window (on the bundled stop/cleanup example by default);
``graphstage run|runs|show|resume|threads|state|graph ...`` is the headless CLI, which
imports no Qt.
"""

from __future__ import annotations

import sys

CLI_COMMANDS = ("run", "runs", "show", "resume", "threads", "state", "graph")

OVERVIEW = """\
usage: graphstage [GRAPH] [--db PATH]
       graphstage COMMAND [ARGS]

Run LangGraph-style state graphs on actors, where Stop is a message, and watch them live.
GRAPH is path/to/file.py:graph or package.module:graph.

commands:
  window [GRAPH]  open the desktop app on GRAPH (the default: the bundled stop/cleanup example)
  run GRAPH       run a graph headless, printing its events and final state
  runs            list the journaled runs, newest first
  show RUN_ID     print a journaled run's events
  resume ID       continue an interrupted, cancelled, killed or failed run (its thread), or
                  a thread, from its last checkpoint; --answer JSON answers its interrupt()
  threads         list the threads (runs and their continuations), newest first
  state THREAD    print a thread's state at its latest checkpoint (--history: every one)
  graph GRAPH     describe a graph: its nodes and edges, or a Mermaid diagram

'graphstage COMMAND --help' shows a command's options and an example.
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help", "help"):
        print(OVERVIEW, end="")
        return 0
    if args and args[0] == "window":
        args = args[1:]
    if args and args[0] in CLI_COMMANDS:
        try:
            from graphstage.app import cli_drive
            from graphstage.app.cli import main as cli_main
        except KeyboardInterrupt:  # Ctrl+C while the CLI itself is importing
            print(f"graphstage {args[0]}: interrupted", file=sys.stderr)
            return 130
        cli_drive.FREEZE_AFTER_LOAD = argv is None  # this process is the CLI
        return cli_main(args)
    from graphstage.app.gui import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
