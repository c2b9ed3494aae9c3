"""The context page: static runtime context read with get_runtime(ContextSchema) in a
prebuilt ReAct agent's prompt function and in its tool (create_react_agent(...,
context_schema=...), invoke(..., context={...})); dynamic context from a custom
AgentState key read by the prompt; graph nodes reading runtime.context, one through its
runtime parameter, one through get_runtime(). A fake
model answers with the system prompt it was given."""

from dataclasses import dataclass
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, AnyMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import create_react_agent
from langgraph.prebuilt.chat_agent_executor import AgentState
from langgraph.runtime import Runtime, get_runtime


@dataclass
class ContextSchema:
    user_name: str


class ScriptedModel(FakeMessagesListChatModel):
    """Replies in turn, each reply's text prefixed with the system prompt it saw."""

    def bind_tools(self, tools: Any, **kwargs: Any):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        reply = self.responses[self.i % len(self.responses)]
        self.i += 1
        system = [m.content for m in messages if m.type == "system"]
        message = reply.model_copy(update={"content": f"{system}: {reply.content}"})
        return ChatResult(generations=[ChatGeneration(message=message)])


def get_user_email_from_db(user_name):
    return f"{user_name.split()[0].lower()}@example.com"


@tool
def get_user_email() -> str:
    """Retrieve user information based on user ID."""
    # simulate fetching user info from a database
    runtime = get_runtime(ContextSchema)
    email = get_user_email_from_db(runtime.context.user_name)
    return email


def prompt(state: AgentState) -> list[AnyMessage]:
    runtime = get_runtime(ContextSchema)
    system_msg = f"You are a helpful assistant. Address the user as {runtime.context.user_name}."
    return [{"role": "system", "content": system_msg}, *state["messages"]]


class CustomState(AgentState):
    user_name: str


def dynamic_prompt(state: CustomState) -> list[AnyMessage]:
    user_name = state["user_name"]
    system_msg = f"You are a helpful assistant. User's name is {user_name}"
    return [{"role": "system", "content": system_msg}, *state["messages"]]


def node(state: MessagesState, runtime: Runtime[ContextSchema]):
    user_name = runtime.context.user_name
    return {"messages": [("ai", f"Hi {user_name}")]}


def plain_node(state: MessagesState):
    # no runtime parameter: get_runtime() still finds the run's context
    return {"messages": [("ai", f"Bye {get_runtime(ContextSchema).context.user_name}")]}


def main():
    call = {"name": "get_user_email", "args": {}, "id": "c1"}
    agent = create_react_agent(
        model=ScriptedModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("Done.")]),
        tools=[get_user_email],
        prompt=prompt,
        context_schema=ContextSchema,
    )
    out = [
        agent.invoke(
            {"messages": [{"role": "user", "content": "what is my email?"}]},
            context={"user_name": "John Smith"},
        )["messages"][1:]
    ]
    dynamic = create_react_agent(
        model=ScriptedModel(responses=[AIMessage("Hello!")]),
        tools=[],
        state_schema=CustomState,
        prompt=dynamic_prompt,
    )
    out.append(dynamic.invoke({"messages": "hi!", "user_name": "John Smith"}))
    graph = (
        StateGraph(MessagesState, context_schema=ContextSchema)
        .add_node(node)
        .add_node(plain_node)
        .add_edge(START, "node")
        .add_edge("node", "plain_node")
        .compile()
    )
    out.append(
        graph.invoke(
            {"messages": [{"role": "user", "content": "hi!"}]},
            context={"user_name": "John Smith"},
        )["messages"][-2:]
    )
    return out
