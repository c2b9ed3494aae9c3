"""Custom events from inside a node and a tool (LangChain's ``adispatch_custom_event``,
as the "stream custom data" how-to showed before ``get_stream_writer``): the
``on_custom_event`` events with their names, data and the node that sent them."""

import operator
from typing import Annotated, TypedDict

from langchain_core.callbacks.manager import adispatch_custom_event
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import tool
from langgraph.graph import START, StateGraph


class State(TypedDict):
    items: Annotated[list, operator.add]


@tool
async def fetch(item: str) -> str:
    """Fetch one item."""
    await adispatch_custom_event("fetching", {"item": item})
    return item.upper()


async def gather(state: State, config: RunnableConfig):
    await adispatch_custom_event("progress", {"done": 0}, config=config)
    got = [await fetch.ainvoke({"item": name}) for name in ("a", "b")]
    await adispatch_custom_event("progress", {"done": len(got)})
    return {"items": got}


graph = StateGraph(State).add_node("gather", gather).add_edge(START, "gather").compile()


async def main():
    out = []
    async for event in graph.astream_events({"items": []}, version="v2"):
        if event["event"] == "on_custom_event":
            node = event["metadata"].get("langgraph_node")
            out.append((event["name"], event["data"], node, len(event["parent_ids"])))
        elif event["event"] in ("on_tool_start", "on_tool_end"):
            out.append((event["event"], event["name"], len(event["parent_ids"])))
    return out
