"""Print how many compatibility programs agree with LangGraph: ``python tests/compat/report.py``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from compat_runner import programs, run


def main() -> int:
    agree, on_purpose, disagree = [], [], []
    for path in programs():
        _, expected = run(path, "langgraph")
        module, got = run(path, "graphstage")
        differs = getattr(module, "DIFFERS", None)
        if differs:
            try:
                module.check_difference(expected, got)  # type: ignore[union-attr]
            except AssertionError:
                disagree.append(f"{path.stem}: not the difference it declares ({differs})")
            else:
                on_purpose.append(f"{path.stem}: {differs}")
        elif got == expected:
            agree.append(path.stem)
        else:
            disagree.append(f"{path.stem}: langgraph {expected!r}\n    graphstage {got!r}")
    total = len(agree) + len(on_purpose) + len(disagree)
    print(
        f"{len(agree)} of {total} programs give LangGraph's result, "
        f"{len(on_purpose)} differ on purpose as they declare"
    )
    for line in on_purpose:
        print(f"  differs on purpose: {line}")
    for line in disagree:
        print(f"  DISAGREES: {line}")
    return 1 if disagree else 0


if __name__ == "__main__":
    raise SystemExit(main())
