"""LangChain 1.x's create_agent with a fake chat model that calls two tools in one turn;
one tool reads the agent's state through ToolRuntime, a middleware counts model calls.
``graphstage run tests/langgraph/agent_app.py:agent --input '{"messages": [...]}'`` runs it."""

import asyncio
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import after_model, before_model
from langchain.tools import ToolRuntime
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool

SLOW = {"seconds": 0.0}
SEEN: list[tuple[str, int]] = []


class ToolCallingFake(FakeMessagesListChatModel):
    """langchain-core's fake chat model, told it can call tools (it answers from a list)."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ToolCallingFake":
        return self


@tool
async def weather(city: str, runtime: ToolRuntime) -> str:
    """The weather in a city."""
    await asyncio.sleep(SLOW["seconds"])
    return f"sunny in {city} (asked after {len(runtime.state['messages'])} messages)"


@tool
def population(city: str) -> str:
    """How many people live in a city."""
    return f"{city}: 2 million"


@before_model
async def count_calls(state: Any, runtime: Any) -> None:
    SEEN.append(("before_model", len(state["messages"])))


@after_model
async def after(state: Any, runtime: Any) -> None:
    SEEN.append(("after_model", len(state["messages"])))


def two_tools_model() -> ToolCallingFake:
    """Calls both tools in one turn, then answers."""
    return ToolCallingFake(
        responses=[
            AIMessage(
                content="",
                tool_calls=[
                    {"name": "weather", "args": {"city": "Paris"}, "id": "call_1"},
                    {"name": "population", "args": {"city": "Paris"}, "id": "call_2"},
                ],
            ),
            AIMessage(content="Paris: sunny, 2 million people."),
        ]
    )


def one_tool_model() -> ToolCallingFake:
    """Calls population once, then answers."""
    call = {"name": "population", "args": {"city": "Rome"}, "id": "call_1"}
    return ToolCallingFake(responses=[AIMessage("", tool_calls=[call]), AIMessage("Rome.")])


def make_agent(middleware: Any = (count_calls, after), **kwargs: Any) -> Any:
    return create_agent(
        two_tools_model(), [weather, population], middleware=list(middleware), **kwargs
    )


agent = make_agent()
