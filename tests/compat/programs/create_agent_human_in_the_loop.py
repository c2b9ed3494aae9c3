"""create_agent with HumanInTheLoopMiddleware and a checkpointer: the tool call pauses the
run for approval; an edit decision changes the call's arguments; the run finishes."""

from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return f"sent to {to}: {body}"


async def main():
    call = {"name": "send_email", "args": {"to": "bob", "body": "hi"}, "id": "c1"}
    agent = create_agent(
        FakeToolModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("Sent.")]),
        [send_email],
        middleware=[HumanInTheLoopMiddleware(interrupt_on={"send_email": True})],
        checkpointer=InMemorySaver(),
    )
    config = {"configurable": {"thread_id": "mail"}}
    paused = await agent.ainvoke({"messages": [HumanMessage("mail bob")]}, config)
    questions = [i.value for i in paused["__interrupt__"]]
    edit = {
        "type": "edit",
        "edited_action": {"name": "send_email", "args": {"to": "bob", "body": "hello"}},
    }
    done = await agent.ainvoke(Command(resume={"decisions": [edit]}), config)
    return questions, done["messages"]
