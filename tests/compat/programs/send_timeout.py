"""Map-reduce where each Send carries a timeout of its own (LangGraph 1.2's
``Send(node, arg, timeout=...)``): it replaces the node's own timeout for that execution; a
branch that runs over fails the run with NodeTimeoutError; a retry policy retries the timed
out attempt; a sync node's Send runs untimed. In the spirit of the graph API how-to's
map-reduce and node timeouts sections."""

import asyncio
import operator
from typing import Annotated, Any

from langgraph.errors import NodeTimeoutError
from langgraph.graph import END, START, StateGraph
from langgraph.types import RetryPolicy, Send
from typing_extensions import TypedDict


class State(TypedDict):
    jobs: list[Any]
    done: Annotated[list[str], operator.add]


def graph_for(node_timeout=None, retry=None, sync=False):
    attempts = []

    async def work(job: dict):
        attempts.append(job["name"])
        await asyncio.sleep(job["seconds"])
        return {"done": [job["name"]]}

    def sync_work(job: dict):
        return {"done": [job["name"]]}

    builder = StateGraph(State)
    builder.add_node("work", sync_work if sync else work, timeout=node_timeout, retry_policy=retry)
    builder.add_conditional_edges(
        START,
        lambda state: [
            Send("work", {"name": name, "seconds": seconds}, timeout=timeout)
            for name, seconds, timeout in state["jobs"]
        ],
    )
    builder.add_edge("work", END)
    return builder.compile(), attempts


async def outcome(jobs, **kw):
    graph, attempts = graph_for(**kw)
    try:
        result = await graph.ainvoke({"jobs": jobs, "done": []})
        return sorted(result["done"]), sorted(attempts)
    except NodeTimeoutError as exc:
        return "NodeTimeoutError", str(exc).split(" (elapsed")[0], sorted(attempts)


async def main():
    retry = RetryPolicy(max_attempts=2, initial_interval=0.01, jitter=False, retry_on=Exception)
    return [
        await outcome([["quick", 0.0, 2.0], ["slow", 0.05, 5.0]]),
        await outcome([["slow", 2.0, 0.05], ["quick", 0.0, None]]),
        # the Send's timeout replaces the node's own for that execution only
        await outcome([["patient", 0.2, 2.0], ["quick", 0.0, None]], node_timeout=0.05),
        await outcome([["slow", 0.2, None]], node_timeout=0.05),
        # each attempt is bounded, and retried
        await outcome([["slow", 2.0, 0.05]], retry=retry),
        await outcome([["sync", 0.0, 0.05]], sync=True),
        repr(Send("work", {"x": 1})),
        Send("work", 1, timeout=2) == Send("work", 1, timeout=2.0),
        Send("work", 1) == Send("work", 1, timeout=1),
    ]
