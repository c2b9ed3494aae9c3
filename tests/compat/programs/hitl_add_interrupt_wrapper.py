"""Human in the loop, add interrupts to any tool: the how-to's add_human_in_the_loop
wrapper makes a tool (config: RunnableConfig, **tool_input) that asks with
interrupt([HumanInterrupt]) before calling the wrapped one; a prebuilt ReAct agent uses it,
and Command(resume=[{"type": "accept"}]) (or "edit", or "response") answers it."""

from collections.abc import Callable
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool
from langchain_core.tools import tool as create_tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import create_react_agent
from langgraph.prebuilt.interrupt import HumanInterrupt, HumanInterruptConfig
from langgraph.types import Command, interrupt


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def add_human_in_the_loop(
    tool: Callable | BaseTool,
    *,
    interrupt_config: HumanInterruptConfig = None,
) -> BaseTool:
    """Wrap a tool to support human-in-the-loop review."""
    if not isinstance(tool, BaseTool):
        tool = create_tool(tool)

    if interrupt_config is None:
        interrupt_config = {
            "allow_accept": True,
            "allow_edit": True,
            "allow_respond": True,
        }

    @create_tool(tool.name, description=tool.description, args_schema=tool.args_schema)
    def call_tool_with_interrupt(config: RunnableConfig, **tool_input):
        request: HumanInterrupt = {
            "action_request": {"action": tool.name, "args": tool_input},
            "config": interrupt_config,
            "description": "Please review the tool call",
        }
        response = interrupt([request])[0]
        # approve the tool call
        if response["type"] == "accept":
            tool_response = tool.invoke(tool_input, config)
        # update tool call args
        elif response["type"] == "edit":
            tool_input = response["args"]["args"]
            tool_response = tool.invoke(tool_input, config)
        # respond to the LLM with user feedback
        elif response["type"] == "response":
            user_feedback = response["args"]
            tool_response = user_feedback
        else:
            raise ValueError(f"Unsupported interrupt response type: {response['type']}")

        return tool_response

    return call_tool_with_interrupt


def book_hotel(hotel_name: str):
    """Book a hotel"""
    return f"Successfully booked a stay at {hotel_name}."


def main():
    call = {"name": "book_hotel", "args": {"hotel_name": "McKittrick"}, "id": "c1"}
    model = FakeToolModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("Done.")] * 3)
    checkpointer = InMemorySaver()
    agent = create_react_agent(
        model=model,
        tools=[
            add_human_in_the_loop(book_hotel),
        ],
        checkpointer=checkpointer,
    )
    out = []
    for thread, answer in (
        ("1", [{"type": "accept"}]),
        ("2", [{"type": "edit", "args": {"args": {"hotel_name": "McKittrick Hotel"}}}]),
        ("3", [{"type": "response", "args": "Not that one, please."}]),
    ):
        config = {"configurable": {"thread_id": thread}}
        paused = agent.invoke(
            {"messages": [{"role": "user", "content": "book a stay at McKittrick hotel"}]},
            config,
        )
        out.append([i.value for i in paused["__interrupt__"]])
        out.append(list(agent.stream(Command(resume=answer), config)))
    return out
