"""Events from within a tool (the "stream events from within tools" how-to): a tool that
calls a chat model itself, inside the ReAct agent's tool node: the inner model's tokens
come as ``on_chat_model_stream`` events under the tool's run, tagged with the ``tools``
node."""

import warnings
from typing import Any

from langchain_core.language_models.fake_chat_models import (
    FakeMessagesListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.prebuilt import create_react_agent


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


inner = GenericFakeChatModel(messages=iter([AIMessage("tiny poem here")]))


@tool
async def get_items(place: str) -> str:
    """Use this tool to look up which items are in the given place."""
    reply = await inner.ainvoke(f"items in {place}")
    return reply.content


async def main():
    calls = [{"name": "get_items", "args": {"place": "bedroom"}, "id": "call_1"}]
    model = FakeToolModel(responses=[AIMessage("", tool_calls=calls), AIMessage("done")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        agent = create_react_agent(model, [get_items])
    out = []
    inputs = {"messages": [("user", "what's in my bedroom?")]}
    async for event in agent.astream_events(inputs, version="v2"):
        kind = event["event"]
        if kind == "on_chat_model_stream" and event["metadata"]["langgraph_node"] == "tools":
            out.append(("token", event["data"]["chunk"].content, len(event["parent_ids"])))
        elif kind in ("on_tool_start", "on_tool_end"):
            out.append((kind, event["name"], len(event["parent_ids"])))
    return out
