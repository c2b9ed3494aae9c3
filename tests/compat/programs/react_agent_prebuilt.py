"""The prebuilt create_react_agent with a fake tool-calling model: two tool calls in one
turn, one tool reading the state through InjectedState."""

import warnings
from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.prebuilt import InjectedState, create_react_agent


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def weather(city: str, state: Annotated[dict, InjectedState]) -> str:
    """The weather in a city."""
    return f"sunny in {city} after {len(state['messages'])} messages"


async def main():
    calls = [
        {"name": "weather", "args": {"city": "Paris"}, "id": "call_1"},
        {"name": "weather", "args": {"city": "Rome"}, "id": "call_2"},
    ]
    model = FakeToolModel(responses=[AIMessage("", tool_calls=calls), AIMessage("Sunny.")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        agent = create_react_agent(model, [weather])
    return await agent.ainvoke({"messages": [("user", "weather?")]})
