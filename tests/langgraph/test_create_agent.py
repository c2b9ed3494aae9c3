"""LangChain 1.x's ``create_agent`` on graphstage: the LangGraph graph it builds (model node,
ToolNode, middleware nodes, ``jump_to``) runs on graphstage's actors with LangGraph's
result, and a Stop reaches its running tools."""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("langchain.agents", reason="needs pip install -e '.[bench]'")

from langchain.agents import create_agent as lc_create_agent
from langchain.agents.middleware import ModelCallLimitMiddleware, before_model
from langchain.tools import ToolRuntime
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command as LangGraphCommand

import graphstage
from graphstage import GraphError, NodeCancelled, NodeStarted
from graphstage.langgraph import from_langgraph
from graphstage.langgraph.agents import create_agent

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

HERE = Path(__file__).resolve().parent


def load() -> ModuleType:
    """A fresh copy of agent_app.py (its fake model answers from a list it consumes)."""
    spec = importlib.util.spec_from_file_location("lg_agent_app", HERE / "agent_app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def messages(state: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (type(m).__name__, m.content, [c["name"] for c in getattr(m, "tool_calls", [])])
        for m in state["messages"]
    ]


INPUT = {"messages": [HumanMessage("Paris?")]}


@dataclass
class Ctx:
    user: str


async def test_create_agent_gives_langgraphs_messages_and_middleware_calls() -> None:
    lg = load()
    expected = await lg.agent.ainvoke(INPUT)
    gs = load()
    run = from_langgraph(gs.agent).start(INPUT)
    result = await run.result()
    assert result.status == "completed", result.error
    assert messages(result.state) == messages(expected)
    assert result.state["messages"][2].content == "sunny in Paris (asked after 2 messages)"
    assert (
        gs.SEEN
        == lg.SEEN
        == [
            ("before_model", 1),
            ("after_model", 2),
            ("before_model", 4),
            ("after_model", 5),
        ]
    )
    started = [(e.node, e.task) for e in run.event_log if isinstance(e, NodeStarted)]
    assert started == [
        ("count_calls.before_model", None),
        ("model", None),
        ("after.after_model", None),
        ("tools", "tools[0]"),
        ("tools", "tools[1]"),
        ("count_calls.before_model", None),
        ("model", None),
        ("after.after_model", None),
    ]


async def test_the_model_nodes_list_of_commands_streams_as_langgraphs() -> None:
    expected = [c async for c in load().agent.astream(INPUT, stream_mode="updates")]
    got = [c async for c in from_langgraph(load().agent).astream(INPUT, stream_mode="updates")]
    assert [list(c) for c in got] == [list(c) for c in expected]
    model_update = next(c["model"] for c in got if "model" in c)
    assert isinstance(model_update, dict)  # one Command: its update, as LangGraph shows it


async def test_stop_reaches_the_agents_running_tool(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    app = load()
    app.SLOW["seconds"] = 60
    run = from_langgraph(app.agent).start(INPUT)
    # the fast tool has answered (a stop before that would reach it too): only the slow
    # one is left running
    await wait_until(
        lambda: any(e.kind == "node_finished" and e.task == "tools[1]" for e in run.event_log)
    )
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "cancelled"
    cancelled = [(e.task, e.how) for e in run.event_log if isinstance(e, NodeCancelled)]
    assert cancelled == [("tools[0]", "reraised")]  # the slow weather tool; population ended
    # the stopped tool runs again on resume; the finished one's successor is next too
    assert result.next == ("tools", "count_calls.before_model")


async def test_a_jump_to_from_middleware_lasts_one_step_as_in_langgraph() -> None:
    @before_model(can_jump_to=["end"])
    async def guard(state: Any, runtime: Any) -> dict[str, Any] | None:
        if len(state["messages"]) >= 3:  # after the first tool round: end the run
            return {"jump_to": "end", "messages": [AIMessage("stopped by guard")]}
        return None

    results = []
    for engine in ("langgraph", "graphstage"):
        app = load()
        agent = lc_create_agent(app.one_tool_model(), [app.population], middleware=[guard])
        graph = agent if engine == "langgraph" else from_langgraph(agent)
        results.append(messages(await graph.ainvoke(INPUT)))
    assert results[0] == results[1]
    assert results[1][-1] == ("AIMessage", "stopped by guard", [])


async def test_a_model_call_limit_ends_the_run_as_in_langgraph() -> None:
    def limit() -> Any:
        return [ModelCallLimitMiddleware(run_limit=1, exit_behavior="end")]

    expected = await load().make_agent(limit()).ainvoke(INPUT)
    got = await from_langgraph(load().make_agent(limit())).ainvoke(INPUT)
    assert messages(got) == messages(expected)
    assert "Model call limits exceeded" in got["messages"][-1].content


async def test_human_in_the_loop_middleware_pauses_and_resumes_as_in_langgraph() -> None:
    from langchain.agents.middleware import HumanInTheLoopMiddleware

    def hitl() -> Any:
        return [HumanInTheLoopMiddleware(interrupt_on={"population": True})]

    config = {"configurable": {"thread_id": "t"}}
    app = load()
    lg = lc_create_agent(
        app.one_tool_model(), [app.population], middleware=hitl(), checkpointer=InMemorySaver()
    )
    asked = await lg.ainvoke(INPUT, config)
    approve = {"decisions": [{"type": "approve"}]}
    done = await lg.ainvoke(LangGraphCommand(resume=approve), config)
    # graphstage's own saver, given to the factory as LangGraph's would be
    gs = create_agent(
        app.one_tool_model(),
        [app.population],
        middleware=hitl(),
        checkpointer=graphstage.InMemorySaver(),
    )
    paused = await gs.ainvoke(INPUT, config)
    assert [i.value for i in paused["__interrupt__"]] == [i.value for i in asked["__interrupt__"]]
    resumed = await gs.ainvoke(graphstage.Command(resume=approve), config)
    assert messages(resumed) == messages(done)
    assert resumed["messages"][2].content == "Rome: 2 million"


def test_graphstage_run_runs_the_agent_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphstage",
            "run",
            f"{HERE / 'agent_app.py'}:agent",
            "--input",
            '{"messages": [{"role": "user", "content": "Paris?"}]}',
            "--db",
            str(tmp_path / "j.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Paris: sunny, 2 million people." in done.stdout
    assert "tools started" in done.stdout


async def test_tools_returning_commands_and_the_runtime_context_as_in_langgraph() -> None:
    @tool
    def remember(fact: str, runtime: ToolRuntime[Ctx]) -> LangGraphCommand:
        """Remember a fact."""
        text = f"{runtime.context.user} noted {fact}"
        return LangGraphCommand(
            update={"messages": [ToolMessage(text, tool_call_id=runtime.tool_call_id)]}
        )

    def build() -> Any:
        calls = [
            {"name": "remember", "args": {"fact": fact}, "id": f"c{i}"}
            for i, fact in enumerate("xy")
        ]
        model = load().ToolCallingFake(responses=[AIMessage("", tool_calls=calls), AIMessage("ok")])
        return lc_create_agent(model, [remember], context_schema=Ctx)

    expected = await build().ainvoke(INPUT, context=Ctx("ann"))
    got = await from_langgraph(build()).ainvoke(INPUT, context={"user": "ann"})
    assert messages(got) == messages(expected)
    assert [m.content for m in got["messages"][2:4]] == ["ann noted x", "ann noted y"]


def test_an_agent_checkpointer_graphstage_cannot_carry_over_is_refused_by_name() -> None:
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        saver = SqliteSaver(conn)
        with pytest.raises(GraphError, match=r"a checkpointer \(SqliteSaver\)"):
            create_agent(load().one_tool_model(), [load().population], checkpointer=saver)
    finally:
        conn.close()  # 3.13 warns of an unclosed database in whichever test collects it


def test_sync_invoke_takes_langgraphs_sync_path_so_sync_only_middleware_works() -> None:
    from langchain.agents.middleware import wrap_model_call

    calls: list[str] = []

    @wrap_model_call
    def count(request: Any, handler: Any) -> Any:  # no async twin: LangGraph's invoke only
        calls.append("model call")
        return handler(request)

    app = load()
    expected = lc_create_agent(app.one_tool_model(), [app.population], middleware=[count]).invoke(
        INPUT
    )
    agent = from_langgraph(
        lc_create_agent(app.one_tool_model(), [app.population], middleware=[count])
    )
    assert messages(agent.invoke(INPUT)) == messages(expected)
    assert calls == ["model call"] * 4
