"""Add memory, read and write short-term memory in tools: a prebuilt ReAct agent with a
custom state_schema (AgentState plus a key); one tool reads the key through InjectedState,
another writes it with Command(update=...) and a ToolMessage (InjectedToolCallId), reading
the user id from its RunnableConfig."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import InjectedToolCallId
from langgraph.prebuilt import InjectedState, create_react_agent
from langgraph.prebuilt.chat_agent_executor import AgentState
from langgraph.types import Command


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def call(name, ident):
    return AIMessage("", tool_calls=[{"name": name, "args": {}, "id": ident}])


class ReadState(AgentState):
    user_id: str


def get_user_info(state: Annotated[ReadState, InjectedState]) -> str:
    """Look up user info."""
    user_id = state["user_id"]
    return "User is John Smith" if user_id == "user_123" else "Unknown user"


class CustomState(AgentState):
    user_name: str


def update_user_info(
    tool_call_id: Annotated[str, InjectedToolCallId], config: RunnableConfig
) -> Command:
    """Look up and update user info."""
    user_id = config["configurable"].get("user_id")
    name = "John Smith" if user_id == "user_123" else "Unknown user"
    return Command(
        update={
            "user_name": name,
            # update the message history
            "messages": [
                ToolMessage("Successfully looked up user information", tool_call_id=tool_call_id)
            ],
        }
    )


def greet(state: Annotated[CustomState, InjectedState]) -> str:
    """Use this to greet the user once you found their info."""
    user_name = state["user_name"]
    return f"Hello {user_name}!"


def main():
    reader = create_react_agent(
        model=FakeToolModel(responses=[call("get_user_info", "c1"), AIMessage("John.")]),
        tools=[get_user_info],
        state_schema=ReadState,
    )
    out = [reader.invoke({"messages": "look up user information", "user_id": "user_123"})]
    writer = create_react_agent(
        model=FakeToolModel(
            responses=[call("update_user_info", "c2"), call("greet", "c3"), AIMessage("Hi!")]
        ),
        tools=[update_user_info, greet],
        state_schema=CustomState,
    )
    out.append(
        writer.invoke(
            {"messages": [{"role": "user", "content": "greet the user"}]},
            config={"configurable": {"user_id": "user_123"}},
        )
    )
    return out
