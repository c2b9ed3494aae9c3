"""A subgraph's checkpoints name the checkpoints of the graphs around them (LangGraph's
``metadata["parents"]`` and ``checkpoint_map``), on both savers and after a restart;
compared with LangGraph in tests/compat/programs/subgraph_checkpoint_map.py."""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import START, InMemorySaver, SqliteSaver, StateGraph
from graphstage.types import Command, interrupt

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    log: Annotated[list, operator.add]


def nested(saver: Any) -> Any:
    async def ask(state):
        return {"log": [f"ask={interrupt('go on?')}"]}

    sub = StateGraph(State)
    sub.add_node("ask", ask)
    sub.add_edge(START, "ask")
    top = StateGraph(State)
    top.add_node("sub", sub.compile())
    top.add_edge(START, "sub")
    return top.compile(checkpointer=saver)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
async def test_a_subgraphs_checkpoints_name_their_parents_checkpoint(
    kind: str, tmp_path: Path
) -> None:
    path = tmp_path / "threads.sqlite3"
    saver = InMemorySaver() if kind == "memory" else SqliteSaver(path)
    try:
        config = {"configurable": {"thread_id": "t"}}
        graph = nested(saver)
        await graph.ainvoke({"log": []}, config)
        if isinstance(saver, SqliteSaver):  # read back by another saver: from the file
            saver.close()
            saver = SqliteSaver(path)
            graph = nested(saver)
        top = await graph.aget_state(config, subgraphs=True)
        [task] = top.tasks
        inner = task.state
        ns = inner.config["configurable"]["checkpoint_ns"]
        root_id = top.config["configurable"]["checkpoint_id"]
        assert ns.startswith("sub:") and "checkpoint_map" not in top.config["configurable"]
        assert top.metadata["parents"] == {}
        assert inner.metadata["parents"] == {"": root_id}
        own = inner.config["configurable"]["checkpoint_id"]
        assert inner.config["configurable"]["checkpoint_map"] == {"": root_id, ns: own}
        parent = inner.parent_config["configurable"]
        assert parent["checkpoint_map"] == {"": root_id, ns: parent["checkpoint_id"]}
        # the config with its map names the same checkpoint
        again = await graph.aget_state(inner.config)
        assert again.config == inner.config
        assert await graph.ainvoke(Command(resume="yes"), config) == {"log": ["ask=yes"]}
    finally:
        if isinstance(saver, SqliteSaver):
            saver.close()
