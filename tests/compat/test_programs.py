"""The compatibility suite: each program in ``programs/`` gives LangGraph's result on
graphstage, with only its imports switched (see ``compat_runner.py``); where graphstage differs on
purpose, the program says why and the test asserts that difference."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from compat_runner import programs, run

pytest.importorskip("langgraph", reason="the compatibility suite needs pip install -e '.[bench]'")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", programs(), ids=lambda p: p.stem)
def test_program_gives_langgraphs_result(path: Path) -> None:
    _, expected = run(path, "langgraph")
    module, got = run(path, "graphstage")
    differs = getattr(module, "DIFFERS", None)
    if differs:
        module.check_difference(expected, got)
    else:
        assert got == expected
