"""What of LangGraph graphstage does not carry over is refused with an error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("langgraph.func", reason="needs pip install -e '.[bench]'")

from graphstage import GraphError
from graphstage.app.loader import load_graph
from graphstage.langgraph import from_langgraph


def test_a_raw_pregel_is_refused_by_name(tmp_path: Path) -> None:
    from langgraph.channels import EphemeralValue
    from langgraph.pregel import NodeBuilder, Pregel

    node = NodeBuilder().subscribe_only("a").do(lambda x: x + x).write_to("b")
    app = Pregel(
        nodes={"node1": node},
        channels={"a": EphemeralValue(str), "b": EphemeralValue(str)},
        input_channels=["a"],
        output_channels=["b"],
    )
    with pytest.raises(GraphError, match=r"built neither with a StateGraph nor with @entrypoint"):
        from_langgraph(app)


def test_the_functional_api_loads_as_an_entrypoint(tmp_path: Path) -> None:
    from graphstage.func import Entrypoint

    app = tmp_path / "func_app.py"
    app.write_text(
        "from langgraph.func import entrypoint\n"
        "@entrypoint()\n"
        "def workflow(x: int) -> int:\n"
        "    return x + 1\n"
    )
    graph = load_graph(f"{app}:workflow")
    assert isinstance(graph, Entrypoint)
    assert graph.invoke(1) == 2
