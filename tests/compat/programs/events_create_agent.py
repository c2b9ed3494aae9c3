"""astream_events of LangChain 1.x's ``create_agent`` (the agents page's weather agent, a
fake tool-calling model standing in for the LLM): every event's type, name, tags, node,
step, depth and input, in order; the model node's edges run inside it without runs of
their own, the tool node's input is the tool call its Send carried."""

from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


async def main():
    calls = [{"name": "get_weather", "args": {"city": "sf"}, "id": "call_1"}]
    model = FakeToolModel(responses=[AIMessage("", tool_calls=calls), AIMessage("Sunny.")])
    agent = create_agent(model, tools=[get_weather], system_prompt="You are a helpful assistant")
    out = []
    inputs = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}
    async for e in agent.astream_events(inputs, version="v2"):
        meta = e["metadata"]
        data = e["data"].get("input") if e["event"].endswith("_start") else None
        out.append(
            (
                e["event"],
                e["name"],
                e["tags"],
                meta.get("langgraph_node"),
                meta.get("langgraph_step"),
                len(e["parent_ids"]),
                data,
            )
        )
    return out
