"""What of LangGraph graphstage does not carry over is refused with an error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("langgraph.func", reason="needs pip install -e '.[bench]'")

from graphstage import GraphError
from graphstage.app.loader import GraphLoadError, load_graph
from graphstage.langgraph import from_langgraph


def test_the_functional_api_is_refused_by_name(tmp_path: Path) -> None:
    from langgraph.func import entrypoint

    @entrypoint()
    def workflow(x: int) -> int:
        return x

    with pytest.raises(GraphError, match="the functional API's @entrypoint/@task"):
        from_langgraph(workflow)
    app = tmp_path / "func_app.py"
    app.write_text(
        "from langgraph.func import entrypoint\n"
        "@entrypoint()\n"
        "def workflow(x: int) -> int:\n"
        "    return x\n"
    )
    with pytest.raises(GraphLoadError, match=r"cannot run on graphstage: a LangGraph Pregel"):
        load_graph(f"{app}:workflow")
