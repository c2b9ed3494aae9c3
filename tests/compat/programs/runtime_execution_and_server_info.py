"""From LangGraph's test_runtime.py (test_execution_info_populated_in_graph and _async,
test_server_info_from_configurable, test_server_info_none_without_configurable) and
test_retry.py (test_graph_with_single_retry_policy's attempts): a node taking runtime reads
runtime.execution_info (the thread id, a task id, a checkpoint id and namespace, attempt 1,
when the first attempt started) and runtime.server_info (from configurable assistant_id and
graph_id; None without them); a node retried by its RetryPolicy sees node_attempt count up,
with the first attempt's time kept."""

import asyncio
from typing import Any

from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    message: str


def capture_graph(capture, checkpointer=None):
    def capture_node(state: State, runtime: Runtime) -> dict[str, Any]:
        capture["execution_info"] = runtime.execution_info
        capture["server_info"] = runtime.server_info
        return {"message": "done"}

    graph = StateGraph(state_schema=State)
    graph.add_node("capture", capture_node)
    graph.add_edge(START, "capture")
    graph.add_edge("capture", END)
    return graph.compile(checkpointer=checkpointer)


def described(info):
    return (
        info.thread_id,
        info.task_id is not None,
        info.checkpoint_id is not None,
        info.checkpoint_ns.split(":")[0],
        info.node_attempt,
        isinstance(info.node_first_attempt_time, float),
    )


attempts = []


def flaky(state: State, runtime: Runtime):
    info = runtime.execution_info
    attempts.append((info.node_attempt, info.node_first_attempt_time))
    if info.node_attempt < 3:
        raise ConnectionError("try again")
    return {"message": f"ok after {info.node_attempt}"}


def main():
    out = []
    captured = {}
    capture_graph(captured, MemorySaver()).invoke(
        {"message": "hi"}, config={"configurable": {"thread_id": "t-123"}}
    )
    out.append(described(captured["execution_info"]))
    asyncio.run(
        capture_graph(captured, MemorySaver()).ainvoke(
            {"message": "hi"}, config={"configurable": {"thread_id": "t-xyz"}}
        )
    )
    out.append(described(captured["execution_info"]))
    capture_graph(captured).invoke(
        {"message": "hi"}, config={"configurable": {"assistant_id": "asst-abc", "graph_id": "g"}}
    )
    si = captured["server_info"]
    out.append((si.assistant_id, si.graph_id, si.user))
    capture_graph(captured).invoke({"message": "hi"})
    out.append(captured["server_info"])
    policy = RetryPolicy(initial_interval=0.01, jitter=False)
    builder = StateGraph(State).add_node("flaky", flaky, retry_policy=policy)
    out.append(builder.add_edge(START, "flaky").compile().invoke({"message": ""}))
    out.append([number for number, _ in attempts])
    out.append(len({first for _, first in attempts}))
    return out
