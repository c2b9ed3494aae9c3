"""LangGraph's prebuilt ReAct agent with a fake chat model that calls a tool twice in one
turn; the tool reads the agent's state through InjectedState."""

import asyncio
from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.prebuilt import InjectedState, create_react_agent

SLOW = {"seconds": 0.0}


class ToolCallingFake(FakeMessagesListChatModel):
    """langchain-core's fake chat model, told it can call tools (it answers from a list)."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ToolCallingFake":
        return self


@tool
async def weather(city: str, state: Annotated[dict, InjectedState]) -> str:
    """The weather in a city."""
    await asyncio.sleep(SLOW["seconds"])
    return f"sunny in {city} (asked after {len(state['messages'])} messages)"


def make_graph() -> Any:
    model = ToolCallingFake(
        responses=[
            AIMessage(
                content="",
                tool_calls=[
                    {"name": "weather", "args": {"city": "Paris"}, "id": "call_1"},
                    {"name": "weather", "args": {"city": "Rome"}, "id": "call_2"},
                ],
            ),
            AIMessage(content="It is sunny in Paris and Rome."),
        ]
    )
    return create_react_agent(model, [weather])


graph = make_graph()
