"""graphstage.func: entrypoints and tasks, compared with what LangGraph gives for the same
program (the expected values below were taken from LangGraph 1.x running it)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import NotRequired, TypedDict

import pytest
from pydantic import BaseModel

from graphstage import Command, InMemorySaver, NodeFinished, NodeStarted, RunFinished, interrupt
from graphstage.func import Entrypoint, entrypoint, task

pytestmark = pytest.mark.anyio


@task
def add_one(x: int) -> int:
    return x + 1


@task
async def double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


class Score(BaseModel):
    points: int


@dataclass
class Pair:
    left: int
    right: tuple


class UrlState(TypedDict):
    urls: list[str]
    pages: NotRequired[list[str]]


def thread(name: str) -> dict:
    return {"configurable": {"thread_id": name}}


def test_a_sync_entrypoint_runs_its_tasks_in_parallel_and_returns_their_results():
    seen: list[int] = []

    @task
    def both(x: int) -> int:
        seen.append(threading.get_ident())
        return x

    @entrypoint()
    def main(n: int) -> list[int]:
        futures = [add_one(i) for i in range(n)]
        return [f.result() for f in futures] + [both(9).result()]

    assert isinstance(main, Entrypoint)
    assert main.invoke(3) == [1, 2, 3, 9]
    assert seen and seen[0] != threading.get_ident()  # a sync task runs in a worker thread


async def test_an_async_entrypoint_awaits_its_tasks():
    @entrypoint()
    async def main(n: int) -> int:
        results = await asyncio.gather(*(double(i) for i in range(n)))
        return sum(results)

    assert await main.ainvoke(4) == 12


def test_the_updates_stream_shows_each_task_then_the_entrypoint_as_langgraph():
    @entrypoint()
    def main(n: int) -> int:
        return add_one(add_one(n).result()).result()

    assert list(main.stream(1)) == [{"add_one": 2}, {"add_one": 3}, {"main": 3}]
    assert list(main.stream(1, stream_mode="values")) == [3]


def test_custom_output_and_injected_parameters_reach_the_function():
    from graphstage.store.memory import InMemoryStore

    memory = InMemoryStore()

    @entrypoint(store=memory)
    def main(n: int, *, writer, config, store, previous=None) -> dict:
        writer({"progress": n})
        return {"thread": config["configurable"].get("thread_id"), "store": store is memory}

    chunks = list(main.stream(5, stream_mode=["custom", "updates"]))
    assert chunks == [
        ("custom", {"progress": 5}),
        ("updates", {"main": {"thread": None, "store": True}}),
    ]


def test_previous_is_what_the_last_call_on_the_thread_saved():
    @entrypoint(checkpointer=InMemorySaver())
    def counter(n: int, *, previous: int | None = None) -> entrypoint.final:
        total = (previous or 0) + n
        return entrypoint.final(value=previous, save=total)

    config = thread("t")
    assert [counter.invoke(n, config) for n in (3, 4, 5)] == [None, 3, 7]
    assert counter.get_state(config).values == 7  # the last value returned
    assert counter.invoke(1, thread("other")) is None  # threads do not share


def test_interrupt_in_a_task_resumes_without_running_finished_tasks_again():
    calls: list[str] = []

    @task
    def step(x: int) -> int:
        calls.append(f"step {x}")
        return x * 10

    @task
    def ask(question: str) -> str:
        calls.append("ask")
        return interrupt(question)

    @entrypoint(checkpointer=InMemorySaver())
    def main(n: int) -> dict:
        first = step(n).result()
        answer = ask(f"approve {first}?").result()
        second = interrupt("and again?")
        return {"first": first, "answer": answer, "second": second}

    config = thread("hitl")
    paused = main.invoke(1, config)
    assert [i.value for i in paused["__interrupt__"]] == ["approve 10?"]
    assert main.get_state(config).next == ("main",)
    paused = main.invoke(Command(resume="yes"), config)
    assert [i.value for i in paused["__interrupt__"]] == ["and again?"]
    assert main.invoke(Command(resume="sure"), config) == {
        "first": 10,
        "answer": "yes",
        "second": "sure",
    }
    # step ran once; ask ran again once to get its answer (as LangGraph: a task re-runs
    # from its start on resume), and not again when the entrypoint's own interrupt resumed
    assert calls == ["step 1", "ask", "ask"]
    assert main.get_state(config).values == {"first": 10, "answer": "yes", "second": "sure"}


async def test_a_run_publishes_the_entrypoint_node_events_in_order():
    @entrypoint()
    async def main(n: int) -> int:
        return await double(n)

    run = main.start(2)
    kinds = [type(e).__name__ for e in [e async for e in run.events()]]
    result = await run.result()
    assert result.status == "completed"
    assert result.state["output"] == 4
    assert kinds[0] == "RunStarted" and kinds[-1] == "RunFinished"
    started = kinds.index(NodeStarted.__name__)
    assert kinds.index("CustomOutput") > started  # the task's result, as the node runs
    assert kinds.index(NodeFinished.__name__) > kinds.index("CustomOutput")
    assert RunFinished.__name__ in kinds


def test_retry_policy_retries_a_failing_task():
    from graphstage import RetryPolicy

    attempts: list[int] = []

    @task(retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.0, jitter=False))
    def flaky(x: int) -> int:
        attempts.append(x)
        if len(attempts) < 3:
            raise ConnectionError("not yet")
        return x

    @entrypoint()
    def main(x: int) -> int:
        return flaky(x).result()

    assert main.invoke(7) == 7
    assert attempts == [7, 7, 7]


def test_cache_policy_answers_a_second_call_from_the_cache():
    from graphstage import CachePolicy, InMemoryCache

    calls: list[int] = []

    @task(cache_policy=CachePolicy())
    def slow_square(x: int) -> int:
        calls.append(x)
        return x * x

    @entrypoint(cache=InMemoryCache())
    def main(x: int) -> list[int]:
        return [slow_square(x).result(), slow_square(x).result()]

    assert main.invoke(3) == [9, 9]
    assert calls == [3]


def test_a_task_called_outside_an_entrypoint_is_named():
    with pytest.raises(RuntimeError, match="task 'add_one' was called outside an entrypoint"):
        add_one(1)


def test_a_task_result_the_checkpointer_cannot_save_is_named():
    @task
    def make_lock(x: int) -> object:
        return threading.Lock()

    @entrypoint(checkpointer=InMemorySaver())
    def main(x: int) -> object:
        return make_lock(x).result()

    with pytest.raises(TypeError, match="task 'make_lock' returned a lock value"):
        main.invoke(1, thread("bad"))


def test_an_entrypoint_needs_an_input_parameter_and_no_generator():
    with pytest.raises(ValueError, match="at least one parameter"):
        entrypoint()(lambda: 1)

    def gen(x: int):
        yield x

    with pytest.raises(NotImplementedError, match="Generators"):
        entrypoint()(gen)


async def test_result_in_an_async_entrypoint_before_the_task_ends_is_named():
    @entrypoint()
    async def main(x: int) -> int:
        return double(x).result()

    with pytest.raises(RuntimeError, match="`await` its future"):
        await main.ainvoke(1)


def test_a_task_in_a_graph_node_is_not_run_again_when_the_node_resumes():
    from graphstage import END, START, StateGraph

    calls: list[str] = []

    @task
    def fetch(url: str) -> str:
        calls.append(url)
        return f"page {url}"

    def call_api(state: UrlState) -> dict:
        pages = [f.result() for f in [fetch(url) for url in state["urls"]]]
        return {"pages": [*pages, interrupt("ok?")]}

    builder = StateGraph(UrlState)
    builder.add_node("call_api", call_api)
    builder.add_edge(START, "call_api")
    builder.add_edge("call_api", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    config = thread("durable")
    assert [i.value for i in graph.invoke({"urls": ["a", "b"]}, config)["__interrupt__"]] == ["ok?"]
    assert graph.invoke(Command(resume="yes"), config)["pages"] == ["page a", "page b", "yes"]
    # the durable-execution page's promise: each task called once, not again on resume
    # (the two run in worker threads at once: in either order, on LangGraph too)
    assert sorted(calls) == ["a", "b"]


def test_a_task_s_own_calls_are_keyed_under_it_and_not_run_again_on_resume():
    calls: list[str] = []

    @task
    def inner(x: int) -> int:
        calls.append(f"inner {x}")
        return x + 1

    @task
    def outer(x: int) -> int:
        calls.append(f"outer {x}")
        return inner(x).result() * 10

    saver = InMemorySaver()

    @entrypoint(checkpointer=saver)
    def main(n: int) -> list:
        firsts = [outer(i) for i in range(n)]  # in parallel, each calling inner
        values = [f.result() for f in firsts]
        return [*values, interrupt("done?")]

    config = thread("nested")
    main.invoke(2, config)
    assert main.invoke(Command(resume="yes"), config) == [10, 20, "yes"]
    assert sorted(calls) == ["inner 0", "inner 1", "outer 0", "outer 1"]  # each ran once
    step = saver.get_tuple(main.get_state_history(config).__next__().parent_config)
    keys = sorted(k for k in step.writes if k.startswith("__func__:"))
    assert keys == [
        "__func__:0:outer",
        "__func__:0:outer/0:inner",
        "__func__:1:outer",
        "__func__:1:outer/0:inner",
    ]


def test_with_sqlite_a_resumed_entrypoint_gets_its_tasks_results_and_previous_typed(tmp_path):
    from langchain_core.messages import AIMessage

    from graphstage.checkpoint.sqlite import SqliteSaver

    calls: list[int] = []

    @task
    def make(x: int) -> dict:
        calls.append(x)
        return {"msg": AIMessage(content=f"hi {x}", id="m"), "score": Score(points=x)}

    @task
    def pair(x: int) -> Pair:
        return Pair(x, (x, x))

    @entrypoint(checkpointer=SqliteSaver(tmp_path / "threads.db"))
    def main(x: int, *, previous=None) -> dict:
        made, made_pair = make(x).result(), pair(x).result()
        answer = interrupt("ok?")
        return {**made, "pair": made_pair, "answer": answer, "previous": previous}

    config = thread("sqlite")
    main.invoke(1, config)
    first = main.invoke(Command(resume=True), config)
    assert calls == [1]  # not run again on resume
    assert first["msg"] == AIMessage(content="hi 1", id="m")
    assert first["score"] == Score(points=1)
    assert first["pair"] == Pair(1, (1, 1))
    assert main.get_state(config).values == first
    main.invoke(2, config)
    second = main.invoke(Command(resume=False), config)
    assert second["previous"] == first  # the saved value, with its types


def test_subgraphs_true_gives_langgraph_s_namespaced_shape():
    @entrypoint()
    def main(n: int) -> int:
        return add_one(n).result()

    assert list(main.stream(1, subgraphs=True)) == [((), {"add_one": 2}), ((), {"main": 2})]
    assert list(main.stream(1, subgraphs=True, stream_mode=["values"])) == [((), "values", 2)]


def test_update_state_sets_the_value_and_the_next_call_s_previous_as_langgraph():
    @entrypoint(checkpointer=InMemorySaver())
    def total(n: int, *, previous: int | None = None) -> int:
        return (previous or 0) + n

    config = thread("update")
    assert total.invoke(1, config) == 1
    total.update_state(config, 100)
    assert (total.get_state(config).values, total.get_state(config).next) == (100, ())
    assert total.invoke(1, config) == 101  # LangGraph gives 1, 100, 101 too


def test_a_timeout_is_refused_by_name():
    with pytest.raises(TypeError, match="does not carry over a task's timeout"):
        task(timeout=1.0)(lambda x: x)
    with pytest.raises(TypeError, match="does not carry over an entrypoint's timeout"):
        entrypoint(timeout=1.0)


def test_history_shows_the_calls_value_as_the_entrypoint_task_s_result():
    @entrypoint(checkpointer=InMemorySaver())
    def main(x: int) -> list:
        return [add_one(x).result(), interrupt("q")]

    config = thread("history")
    main.invoke(1, config)
    assert main.invoke(Command(resume="a"), config) == [2, "a"]
    history = [
        (s.values, [(t.name, t.result) for t in s.tasks]) for s in main.get_state_history(config)
    ]
    # graphstage's extra START step holds the input (LangGraph: input, then the entrypoint)
    assert history == [([2, "a"], []), (None, [("main", [2, "a"])]), (None, [("__start__", 1)])]
