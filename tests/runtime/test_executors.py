"""Where nodes run: the executor seam, without Ray."""

from __future__ import annotations

import importlib
import sys
from typing import TypedDict

import pytest

from graphstage import START, GraphError, LocalExecutor, NodeStarted, StateGraph

pytestmark = pytest.mark.anyio


class Count(TypedDict):
    n: int


async def node(state: Count) -> dict[str, int]:
    return {"n": state["n"] + 1}


class Counting(LocalExecutor):
    """A local executor that records what it was asked to place."""

    def __init__(self) -> None:
        self.prepared: list[str] = []
        self.handles: list[str] = []

    def prepare(self, spec):
        self.prepared.append(spec.name)

    def handle(self, spec, *args):
        self.handles.append(spec.name)
        return super().handle(spec, *args)


def graph(executor=None, placed=None):
    builder = StateGraph(Count)
    builder.add_node("a", node)
    builder.add_node("b", node, executor=placed)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    return builder.compile(executor=executor)


async def test_add_node_places_one_node_and_compile_places_the_rest():
    everyone, just_b = Counting(), Counting()
    run = graph(everyone, just_b).start({"n": 0})
    result = await run.result()
    assert (result.status, result.state) == ("completed", {"n": 2})
    assert (everyone.prepared, everyone.handles) == (["a"], ["a"])
    assert (just_b.prepared, just_b.handles) == (["b"], ["b"])
    assert [e.where async for e in run.events() if isinstance(e, NodeStarted)] == ["", ""]


def test_something_that_is_not_an_executor_is_named_at_compile():
    with pytest.raises(GraphError, match="node 'b': executor 'ray' is not an executor"):
        graph(placed="ray")


def test_graphstage_ray_without_ray_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if absent
    for name in [m for m in sys.modules if m.startswith(("graphstage.ray", "graphstage.exec"))]:
        if "_ray" in name or name == "graphstage.ray":
            monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError, match=r"pip install 'graphstage\[ray\]'"):
        importlib.import_module("graphstage.ray")


def test_a_subgraph_node_stays_here_and_its_nodes_go_where_it_was_compiled_for():
    inner = Counting()
    builder = StateGraph(Count)
    builder.add_node("inner", node)
    builder.add_edge(START, "inner")
    sub = builder.compile(executor=inner)
    outer = Counting()
    builder = StateGraph(Count)
    builder.add_node("sub", sub)
    builder.add_node("after", node)
    builder.add_edge(START, "sub")
    builder.add_edge("sub", "after")
    parent = builder.compile(executor=outer)
    assert parent.invoke({"n": 0}) == {"n": 2}
    assert (outer.prepared, outer.handles) == (["after"], ["after"])
    assert (inner.prepared, inner.handles) == (["inner"], ["inner"])
    assert parent.on_executor(outer).executors["sub"] is parent.executors["sub"]


@pytest.mark.parametrize(
    ("hosts", "kill_after", "named"),
    [(0, 1.0, "hosts=0"), (1.5, 1.0, "hosts=1.5"), (2, float("nan"), "kill_after=nan")],
)
def test_a_ray_pool_with_bad_sizes_is_refused_before_ray_starts(hosts, kill_after, named):
    pytest.importorskip("ray", reason="Ray is not installed")  # graphstage.ray raises ImportError
    ray_executor = pytest.importorskip("graphstage.ray", reason="Ray is not installed")
    with pytest.raises(ValueError, match=named):
        ray_executor.RayExecutor(hosts=hosts, kill_after=kill_after)
