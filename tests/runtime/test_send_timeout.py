"""A ``Send`` with a timeout of its own (LangGraph 1.2's ``Send(node, arg, timeout=...)``):
it bounds that execution instead of the node's timeout; the stop contract holds for it (a
node that answers the timeout's cancellation is routed by its answer); a thread keeps it
across a pause."""

from __future__ import annotations

import asyncio
import operator
from datetime import timedelta
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import END, START, Command, InMemorySaver, Send, StateGraph
from graphstage.errors import NodeTimeoutError
from graphstage.types import TimeoutPolicy

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    jobs: list[Any]
    log: Annotated[list[str], operator.add]


async def work(job: dict[str, Any]) -> Any:
    try:
        await asyncio.sleep(job["seconds"])
    except asyncio.CancelledError:
        if job.get("answers"):
            return Command(goto="cleanup", update={"log": [f"{job['name']} cut short"]})
        raise
    return {"log": [job["name"]]}


async def cleanup(state: State) -> dict[str, list[str]]:
    return {"log": ["cleanup"]}


def sends(state: State) -> list[Send]:
    return [Send("work", job, timeout=job.get("timeout")) for job in state["jobs"]]


def graph(**compile_kw: Any) -> Any:
    builder = StateGraph(State)
    builder.add_node("work", work, timeout=10)
    builder.add_node("cleanup", cleanup)
    builder.add_conditional_edges(START, sends)
    builder.add_edge("work", END)
    return builder.compile(**compile_kw)


async def test_a_sends_timeout_bounds_its_execution_only() -> None:
    with pytest.raises(NodeTimeoutError, match=r"run timeout of 0\.050s"):
        await graph().ainvoke(
            {"jobs": [{"name": "slow", "seconds": 5, "timeout": 0.05}], "log": []}
        )
    # the node's own timeout (10 s) still bounds a Send without one
    out = await graph().ainvoke(
        {"jobs": [{"name": "a", "seconds": 0}, {"name": "b", "seconds": 0.01}], "log": []}
    )
    assert out["log"] == ["a", "b"]


async def test_a_node_that_answers_its_sends_timeout_is_routed_by_its_answer() -> None:
    run = graph().start(
        {
            "jobs": [
                {"name": "slow", "seconds": 5, "timeout": 0.05, "answers": True},
                {"name": "quick", "seconds": 0},
            ],
            "log": [],
        }
    )
    result = await run.result()
    assert result.status == "completed"
    assert result.state["log"] == ["slow cut short", "quick", "cleanup"]  # in Send order
    assert result.path == ("work", "work", "cleanup")


async def test_a_stop_reaches_a_timed_send_as_any_node() -> None:
    run = graph().start(
        {"jobs": [{"name": "long", "seconds": 30, "timeout": 20, "answers": True}], "log": []}
    )
    async for event in run.events():
        if event.kind == "node_started":
            break
    run.stop()  # (a Cancel before the node's first line reaches it at its first await)
    result = await run.result()
    assert result.state["log"] == ["long cut short", "cleanup"]


async def test_a_thread_keeps_a_sends_timeout_across_a_pause() -> None:
    app = graph(checkpointer=InMemorySaver(), interrupt_before=["work"])
    config = {"configurable": {"thread_id": "t"}}
    await app.ainvoke(
        {"jobs": [{"name": "slow", "seconds": 5, "timeout": 0.05}], "log": []}, config
    )
    (task,) = (await app.aget_state(config)).tasks
    assert task.name == "work"
    with pytest.raises(NodeTimeoutError, match=r"run timeout of 0\.050s"):
        await app.ainvoke(None, config)


@pytest.mark.parametrize(
    ("timeout", "seconds"),
    [(2, 2.0), (timedelta(milliseconds=1500), 1.5), (TimeoutPolicy(run_timeout=3), 3.0)],
)
def test_a_sends_timeout_is_kept_in_seconds(timeout: Any, seconds: float) -> None:
    send = Send("work", {"x": 1}, timeout=timeout)
    assert send.timeout == seconds
    assert repr(send) == f"Send(node='work', arg={{'x': 1}}, timeout={seconds!r})"
    assert send == Send("work", {"x": 1}, timeout=seconds) != Send("work", {"x": 1})


@pytest.mark.parametrize("timeout", [0, -1, "soon", TimeoutPolicy(idle_timeout=1)])
def test_a_bad_sends_timeout_is_refused_naming_the_send(timeout: Any) -> None:
    with pytest.raises(ValueError, match=r"^Send\('work', \.\.\., timeout="):
        Send("work", {}, timeout=timeout)
