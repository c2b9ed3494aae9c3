"""LangChain 1.x create_agent: a tool-calling model (a fake) calls two tools in one turn, one
reading the agent's state through ToolRuntime; the final messages."""

from typing import Any

from langchain.agents import create_agent
from langchain.tools import ToolRuntime
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def get_weather(city: str, runtime: ToolRuntime) -> str:
    """Get the weather for a city."""
    return f"sunny in {city} ({len(runtime.state['messages'])} messages so far)"


@tool
def get_time(city: str) -> str:
    """Get the time in a city."""
    return f"noon in {city}"


def make_model():
    calls = [
        {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1"},
        {"name": "get_time", "args": {"city": "Paris"}, "id": "call_2"},
    ]
    return FakeToolModel(responses=[AIMessage("", tool_calls=calls), AIMessage("Sunny, noon.")])


async def main():
    agent = create_agent(make_model(), [get_weather, get_time], system_prompt="Be brief.")
    result = await agent.ainvoke({"messages": [HumanMessage("Paris?")]})
    updates = [
        list(c)
        async for c in create_agent(make_model(), [get_weather, get_time]).astream(
            {"messages": [HumanMessage("Paris?")]}, stream_mode="updates"
        )
    ]
    return result, updates
