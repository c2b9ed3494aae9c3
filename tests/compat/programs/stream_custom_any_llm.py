"""The streaming how-to, use with any LLM: an async tool streams a client's chunks with
get_stream_writer(); the graph node calls it from an OpenAI-style tool call in a state of
plain dicts (operator.add); astream(stream_mode="custom") yields each chunk. A fake async
generator stands in for the OpenAI client."""

import json
import operator
from typing import Annotated, TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph


async def stream_tokens(model_name: str, messages: list[dict]):
    for i, word in enumerate(["bed,", "lamp,", "pillow"]):
        yield {"role": "assistant" if i == 0 else None, "content": word}


# this is our tool
async def get_items(place: str) -> str:
    """Use this tool to list items one might find in a place you're asked about."""
    writer = get_stream_writer()
    response = ""
    async for msg_chunk in stream_tokens(
        "fake-model",
        [{"role": "user", "content": f"Items in the following place: '{place}'."}],
    ):
        response += msg_chunk["content"]
        writer(msg_chunk)

    return response


class State(TypedDict):
    messages: Annotated[list[dict], operator.add]


# this is the tool-calling graph node
async def call_tool(state: State):
    ai_message = state["messages"][-1]
    tool_call = ai_message["tool_calls"][-1]

    function_name = tool_call["function"]["name"]
    if function_name != "get_items":
        raise ValueError(f"Tool {function_name} not supported")

    function_arguments = tool_call["function"]["arguments"]
    arguments = json.loads(function_arguments)

    function_response = await get_items(**arguments)
    tool_message = {
        "tool_call_id": tool_call["id"],
        "role": "tool",
        "name": function_name,
        "content": function_response,
    }
    return {"messages": [tool_message]}


graph = StateGraph(State).add_node(call_tool).add_edge(START, "call_tool").compile()

inputs = {
    "messages": [
        {
            "content": None,
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "1",
                    "function": {
                        "arguments": '{"place":"bedroom"}',
                        "name": "get_items",
                    },
                    "type": "function",
                }
            ],
        }
    ]
}


async def main():
    chunks = [chunk async for chunk in graph.astream(inputs, stream_mode="custom")]
    final = await graph.ainvoke(inputs)
    bad = dict(inputs["messages"][0], tool_calls=[{"id": "2", "function": {"name": "x"}}])
    try:
        await graph.ainvoke({"messages": [bad]})
    except ValueError as exc:
        error = str(exc)
    return chunks, final, error
