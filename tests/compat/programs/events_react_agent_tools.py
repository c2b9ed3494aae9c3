"""astream_events of the prebuilt ReAct agent, as the agents and streaming pages use it:
the tool's ``on_tool_start``/``on_tool_end`` (its input and output), the model's
start/end inside the agent node, and the node names and steps they run in."""

import warnings
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.prebuilt import create_react_agent


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def get_weather(city: str) -> str:
    """Get the weather for a city."""
    return f"It's always sunny in {city}!"


async def main():
    calls = [{"name": "get_weather", "args": {"city": "sf"}, "id": "call_1"}]
    model = FakeToolModel(responses=[AIMessage("", tool_calls=calls), AIMessage("Sunny in sf.")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        agent = create_react_agent(model, [get_weather])
    seen = []
    inputs = {"messages": [("user", "what is the weather in sf")]}
    async for event in agent.astream_events(inputs, version="v2"):
        kind = event["event"]
        meta = event["metadata"]
        if kind in ("on_tool_start", "on_tool_end"):
            seen.append((kind, event["name"], meta["langgraph_node"], event["data"]))
        elif kind in ("on_chat_model_start", "on_chat_model_end"):
            seen.append((kind, meta["langgraph_node"], meta["langgraph_step"]))
        elif kind.startswith("on_chain"):
            seen.append((kind, event["name"], len(event["parent_ids"])))
    return seen
