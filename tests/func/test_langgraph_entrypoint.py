"""An unmodified LangGraph functional-API program (``langgraph.func``) run on graphstage
through ``from_langgraph``, against LangGraph running the same objects."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("langgraph.func")

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.graph import START, StateGraph
from langgraph.types import Command as LangGraphCommand
from langgraph.types import interrupt
from typing_extensions import TypedDict

from graphstage import Command, GraphError
from graphstage.func import Entrypoint
from graphstage.langgraph import from_langgraph

pytestmark = pytest.mark.anyio


@task
def add_one(x: int) -> int:
    return x + 1


@task
def ask(x: int) -> str:
    return interrupt(f"approve {x}?")


def test_a_langgraph_entrypoint_gives_langgraph_s_updates_on_graphstage():
    @entrypoint()
    def main(n: int, *, writer) -> int:
        writer("working")
        # one after the other: parallel tasks finish in any order, on both engines
        return add_one(add_one(n).result()).result()

    graph = from_langgraph(main)
    assert isinstance(graph, Entrypoint)
    modes = ["updates", "custom"]
    assert list(graph.stream(3, stream_mode=modes)) == list(main.stream(3, stream_mode=modes))
    assert graph.invoke(3) == main.invoke(3) == 5


def test_a_langgraph_task_interrupt_resumes_on_graphstage_as_on_langgraph():
    def build():
        @entrypoint(checkpointer=InMemorySaver())
        def review(n: int, *, previous=None) -> dict:
            first = add_one(n).result()
            return {"first": first, "answer": ask(first).result(), "previous": previous}

        return review

    lg, gs = build(), from_langgraph(build())
    config = {"configurable": {"thread_id": "1"}}
    for app, resume in ((lg, LangGraphCommand), (gs, Command)):
        paused = app.invoke(1, config)
        assert [i.value for i in paused["__interrupt__"]] == ["approve 2?"]
        assert app.invoke(resume(resume="yes"), config) == {
            "first": 2,
            "answer": "yes",
            "previous": None,
        }
        assert app.get_state(config).values["answer"] == "yes"


@pytest.mark.timeout(30)
async def test_a_stop_reaches_a_langgraph_task_and_the_cleanup_task_runs():
    started = asyncio.Event()
    log: list[str] = []

    @task
    async def slow_task(x: int) -> int:
        started.set()
        await asyncio.sleep(60)
        return x

    @task
    async def cleanup_task(x: int) -> str:
        log.append(f"cleanup {x}")
        return "cleaned"

    @entrypoint()
    async def workflow(x: int) -> dict:
        try:
            return {"value": await slow_task(x)}
        except asyncio.CancelledError:
            return {"cleanup": await cleanup_task(x)}

    graph = from_langgraph(workflow)
    run = graph.start(4)
    await asyncio.wait_for(started.wait(), 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "cancelled"
    assert result.state["output"] == {"cleanup": "cleaned"}
    assert log == ["cleanup 4"]


def test_a_langgraph_task_in_a_langgraph_graph_node_runs_on_graphstage():
    calls: list[str] = []

    @task
    def fetch(url: str) -> str:
        calls.append(url)
        return f"page {url}"

    class State(TypedDict, total=False):
        urls: list[str]
        pages: list[str]

    def call_api(state: State) -> dict:
        return {"pages": [f.result() for f in [fetch(u) for u in state["urls"]]]}

    builder = StateGraph(State)
    builder.add_node("call_api", call_api)
    builder.add_edge(START, "call_api")
    graph = from_langgraph(builder.compile())
    assert graph.invoke({"urls": ["a", "b"]}) == {"urls": ["a", "b"], "pages": ["page a", "page b"]}
    # the two sync tasks run in worker threads at once: their calls come in either order,
    # on LangGraph too (5 of 300 runs there called b first); each is called once
    assert sorted(calls) == ["a", "b"]


def test_a_langgraph_entrypoint_with_another_checkpointer_is_refused_by_name():
    class OtherSaver(InMemorySaver):
        pass

    @entrypoint(checkpointer=OtherSaver())
    def main(x: int) -> int:
        return x

    with pytest.raises(GraphError, match=r"checkpointer \(OtherSaver\)"):
        from_langgraph(main)


def test_a_langgraph_entrypoint_used_as_a_graph_node_is_carried_over():
    class State(TypedDict, total=False):
        x: int
        y: int

    @entrypoint()
    def doubler(state: dict) -> dict:
        return {"y": add_one(state["x"]).result() * 2}

    builder = StateGraph(State)
    builder.add_node("doubler", doubler)
    builder.add_edge(START, "doubler")
    lg = builder.compile()
    gs = from_langgraph(lg)
    assert gs.invoke({"x": 1}) == lg.invoke({"x": 1}) == {"x": 1, "y": 4}
    assert list(gs.stream({"x": 2})) == list(lg.stream({"x": 2})) == [{"doubler": {"y": 6}}]
