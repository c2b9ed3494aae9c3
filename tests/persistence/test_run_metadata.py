"""A run's config adds its scalar ``configurable`` and ``metadata`` values to every
checkpoint's metadata, as LangGraph's savers do: kept in the SQLite file, and in the
checkpoints of a subgraph the run starts."""

from __future__ import annotations

from pathlib import Path

from typing_extensions import TypedDict

from graphstage import START, StateGraph
from graphstage.checkpoint.sqlite import SqliteSaver


class State(TypedDict):
    n: int


def bump(state: State) -> State:
    return {"n": state["n"] + 1}


def test_run_config_values_are_in_every_checkpoints_metadata(tmp_path: Path) -> None:
    inner = StateGraph(State).add_node("bump", bump).add_edge(START, "bump").compile()
    builder = StateGraph(State).add_node("sub", inner).add_edge(START, "sub")
    db = tmp_path / "threads.sqlite3"
    config = {
        "configurable": {"thread_id": "t", "user": "ada", "limit": 3, "obj": object()},
        "metadata": {"source_app": "cli", "user": "not this one"},
    }
    with SqliteSaver(db) as saver:
        builder.compile(checkpointer=saver).invoke({"n": 0}, config)
    with SqliteSaver(db) as saver:
        thread = {"configurable": {"thread_id": "t"}}
        outer = [c.metadata for c in saver.list(thread)]
        subs = [c.metadata for c in saver.list(None) if c.checkpoint_ns.startswith("sub:")]
    assert len(outer) == 3 and subs
    for metadata in outer + subs:
        # config["metadata"] comes first; a key it has is not taken from configurable;
        # non-scalar values and the thread's own keys are left out
        assert {k: metadata[k] for k in ("source_app", "user", "limit")} == {
            "source_app": "cli",
            "user": "not this one",
            "limit": 3,
        }
        assert "obj" not in metadata and "thread_id" not in metadata
    assert [m["source"] for m in outer] == ["loop", "loop", "input"]
