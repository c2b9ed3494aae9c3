"""Resume is a thread continuation, and safe: the four bugs of issue 10, each pinned.

(1) a continuation whose next node is not in the graph is refused before any step runs;
(2) a thread is not continued twice from the same checkpoint (no double side effects);
(3) a stopped step does not use up the recursion budget;
(4) join progress, sibling writes and answered interrupts are in the checkpoint, so a
resumed run does what the uninterrupted one would have done.
"""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, TypedDict

import pytest

from graphstage import (
    END,
    START,
    Command,
    InMemorySaver,
    ResumeError,
    StateGraph,
    interrupt,
)

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    log: Annotated[list, operator.add]


def config(thread: str) -> dict:
    return {"configurable": {"thread_id": thread}}


def join_graph(saver, calls: list[str], gate: asyncio.Event):
    """START -> a -> b, and the join [a, b] -> c."""

    async def a(state):
        calls.append("a")
        return {"log": ["a"]}

    async def b(state):
        calls.append("b")
        await gate.wait()
        return {"log": ["b"]}

    async def c(state):
        calls.append("c")
        return {"log": ["c"]}

    builder = StateGraph(State)
    for name, fn in (("a", a), ("b", b), ("c", c)):
        builder.add_node(name, fn)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge(["a", "b"], "c")
    return builder.compile(checkpointer=saver, cancel_grace=2)


async def test_a_join_stopped_midway_runs_its_target_when_resumed(wait_until) -> None:
    saver, calls, gate = InMemorySaver(), [], asyncio.Event()
    graph = join_graph(saver, calls, gate)
    run = graph.start({"log": []}, config("j"))
    await wait_until(lambda: calls == ["a", "b"])
    run.stop()
    assert (await run.result()).status == "cancelled"
    snap = graph.get_state(config("j"))
    assert snap.next == ("b",) and snap.values == {"log": ["a"]}
    gate.set()
    result = await graph.ainvoke(None, config("j"))
    assert result == {"log": ["a", "b", "c"]}
    assert calls == ["a", "b", "b", "c"]


async def test_a_thread_is_not_continued_twice_from_one_checkpoint(wait_until) -> None:
    saver, calls, gate = InMemorySaver(), [], asyncio.Event()
    graph = join_graph(saver, calls, gate)
    run = graph.start({"log": []}, config("d"))
    await wait_until(lambda: calls == ["a", "b"])
    run.stop()
    await run.result()
    first = graph.start(None, config("d"))  # continues; b waits on the gate again
    with pytest.raises(ResumeError, match="being continued by run"):
        graph.start(None, config("d"))
    gate.set()
    assert (await first.result()).status == "completed"
    # continued to its end: continuing again runs nothing
    assert await graph.ainvoke(None, config("d")) == {"log": ["a", "b", "c"]}
    assert calls == ["a", "b", "b", "c"]


async def test_a_fork_is_the_explicit_way_to_run_a_checkpoint_again() -> None:
    saver, calls, gate = InMemorySaver(), [], asyncio.Event()
    gate.set()
    graph = join_graph(saver, calls, gate)
    await graph.ainvoke({"log": []}, config("f"))
    past = next(s for s in graph.get_state_history(config("f")) if s.next == ("b",))
    assert await graph.ainvoke(None, past.config) == {"log": ["a", "b", "c"]}
    assert calls == ["a", "b", "c", "b", "c"]
    sources = [s.metadata["source"] for s in graph.get_state_history(config("f"))]
    assert "fork" in sources


async def test_stops_do_not_use_up_the_recursion_budget(wait_until) -> None:
    saver, calls, gate = InMemorySaver(), [], asyncio.Event()
    graph = join_graph(saver, calls, gate)
    limit = {"recursion_limit": 3}
    run = graph.start({"log": []}, {**config("r"), **limit})
    for stops in range(1, 6):
        await wait_until(lambda n=stops: calls.count("b") == n)
        run.stop()
        assert (await run.result()).status == "cancelled"
        assert graph.get_state(config("r")).metadata["step"] == 1  # still before b
        run = graph.start(None, {**config("r"), **limit})
    gate.set()
    result = await run.result()
    assert result.status == "completed"
    assert calls[-2:] == ["b", "c"]


async def test_a_renamed_next_node_is_refused_before_any_step_runs(wait_until) -> None:
    saver, calls, gate = InMemorySaver(), [], asyncio.Event()
    graph = join_graph(saver, calls, gate)
    run = graph.start({"log": []}, config("n"))
    await wait_until(lambda: calls == ["a", "b"])
    run.stop()
    await run.result()

    async def renamed(state):
        calls.append("renamed")
        return {"log": ["x"]}

    builder = StateGraph(State)
    builder.add_node("a", renamed)
    builder.add_node("b2", renamed)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b2")
    changed = builder.compile(checkpointer=saver)
    with pytest.raises(ResumeError, match="runs node\\(s\\) b next, which graph"):
        changed.start(None, config("n"))
    assert calls == ["a", "b"]
    # the refusal released the thread: the right graph continues it
    gate.set()
    assert await graph.ainvoke(None, config("n")) == {"log": ["a", "b", "c"]}


async def test_a_finished_sibling_is_not_run_again_after_a_stop(wait_until) -> None:
    calls: list[str] = []
    gate = asyncio.Event()

    async def quick(state):
        calls.append("quick")
        return {"log": ["quick"]}

    async def slow(state):
        calls.append("slow")
        await gate.wait()
        return {"log": ["slow"]}

    async def after(state):
        calls.append("after")
        return {"log": ["after"]}

    builder = StateGraph(State)
    builder.add_node("quick", quick)
    builder.add_node("slow", slow)
    builder.add_node("after", after)
    builder.add_edge(START, "quick")
    builder.add_edge(START, "slow")
    builder.add_edge("quick", "after")
    graph = builder.compile(checkpointer=InMemorySaver())
    run = graph.start({"log": []}, config("s"))
    await wait_until(lambda: sorted(calls) == ["quick", "slow"])
    run.stop()
    await run.result()
    gate.set()
    result = await graph.ainvoke(None, config("s"))
    # as the uninterrupted run: quick and slow in step 1, after in step 2
    assert result == {"log": ["quick", "slow", "after"]}
    assert sorted(calls) == ["after", "quick", "slow", "slow"]


async def test_stop_while_waiting_at_an_interrupt_takes_the_cleanup_route() -> None:
    log: list[str] = []

    async def ask(state):
        try:
            answer = interrupt("go on?")
        except asyncio.CancelledError:
            log.append("ask saw the stop")
            return Command(goto="cleanup")
        return {"log": [f"answer {answer}"]}

    async def cleanup(state):
        log.append("cleanup")
        return {"log": ["cleaned up"]}

    builder = StateGraph(State)
    builder.add_node("ask", ask)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "ask")
    builder.add_edge("ask", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    paused = await graph.ainvoke({"log": []}, config("w"))
    assert [i.value for i in paused["__interrupt__"]] == ["go on?"]
    result = await graph.stop_thread(config("w")).result()
    assert result.status == "cancelled"
    assert result.path == ("ask", "cleanup")
    assert log == ["ask saw the stop", "cleanup"]
    assert graph.get_state(config("w")).values == {"log": ["cleaned up"]}


async def test_stop_while_waiting_takes_on_cancel_when_the_node_does_not_catch() -> None:
    def ask(state):  # a sync node: interrupt() raises the cancellation there too
        return {"log": [interrupt("go on?")]}

    def cleanup(state):
        return {"log": ["cleanup"]}

    builder = StateGraph(State)
    builder.add_node("ask", ask, on_cancel="cleanup")
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "ask")
    graph = builder.compile(checkpointer=InMemorySaver())
    await graph.ainvoke({"log": []}, config("oc"))
    result = await graph.stop_thread(config("oc")).result()
    assert (result.status, result.path) == ("cancelled", ("ask", "cleanup"))


async def test_a_resume_answer_needs_a_waiting_interrupt() -> None:
    builder = StateGraph(State)
    builder.add_node("a", lambda s: {"log": ["a"]})
    builder.add_edge(START, "a")
    graph = builder.compile(checkpointer=InMemorySaver())
    await graph.ainvoke({"log": []}, config("x"))
    with pytest.raises(ResumeError, match="no interrupt waiting"):
        graph.start(Command(resume="yes"), config("x"))
    with pytest.raises(ValueError, match="thread_id"):
        await graph.ainvoke({"log": []})
