"""create_agent(response_format=ToolStrategy(Model)): the model answers through the
structured-output tool; the result carries structured_response."""

from typing import Any

from langchain.agents import create_agent
from langchain.agents.structured_output import ToolStrategy
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from pydantic import BaseModel


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


class Forecast(BaseModel):
    city: str
    sky: str


@tool
def weather(city: str) -> str:
    """Weather in a city."""
    return "clear"


async def main():
    model = FakeToolModel(
        responses=[
            AIMessage("", tool_calls=[{"name": "weather", "args": {"city": "Oslo"}, "id": "c1"}]),
            AIMessage(
                "",
                tool_calls=[
                    {"name": "Forecast", "args": {"city": "Oslo", "sky": "clear"}, "id": "c2"}
                ],
            ),
        ]
    )
    agent = create_agent(model, [weather], response_format=ToolStrategy(Forecast))
    result = await agent.ainvoke({"messages": [HumanMessage("Oslo?")]})
    return result["messages"], result["structured_response"].model_dump()
