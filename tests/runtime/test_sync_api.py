"""The sync entry points, for scripts without an event loop."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from graphstage import START, StateGraph


class Counter(BaseModel):
    count: int = 0


def chain(n: int):
    builder = StateGraph(Counter)
    for i in range(n):
        builder.add_node(f"n{i}", lambda s: {"count": s.count + 1})
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    return builder.compile()


def test_invoke_runs_from_sync_code():
    assert chain(3).invoke({})["count"] == 3


def test_the_mermaid_diagram_names_every_node_and_edge():
    text = chain(2).draw_mermaid()
    assert "__start__ --> n0" in text and "n0 --> n1" in text


def test_stream_yields_the_chunks_from_sync_code():
    assert list(chain(2).stream({}, stream_mode="updates")) == [
        {"n0": {"count": 1}},
        {"n1": {"count": 2}},
    ]


def test_start_without_a_running_loop_says_what_to_do():
    with pytest.raises(RuntimeError, match="needs a running event loop"):
        chain(1).start({})
