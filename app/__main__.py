"""The ``graphstage`` console script.

``graphstage [GRAPH]`` opens the window (on the bundled stop/cleanup example by default);
``graphstage run|runs|show|resume|graph ...`` is the headless CLI, which imports no Qt.
"""

from __future__ import annotations

import sys

CLI_COMMANDS = ("run", "runs", "show", "resume", "graph")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CLI_COMMANDS:
        from app.cli import main as cli_main

        return cli_main(args)
    from app.gui import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
