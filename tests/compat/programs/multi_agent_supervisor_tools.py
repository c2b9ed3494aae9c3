"""Multi-agent systems, supervisor (tool-calling): two agents written as tools that read the
graph's state through InjectedState; a prebuilt ReAct agent is the supervisor, calling them
in turn (the fake model asks for both in one turn, then answers)."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langgraph.prebuilt import InjectedState, create_react_agent


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


# this is the agent function that will be called as tool
# notice that you can pass the state to the tool via InjectedState annotation
def agent_1(state: Annotated[dict, InjectedState]):
    """The first agent."""
    # return the LLM response as a string (expected tool response format)
    # this will be automatically turned to ToolMessage
    # by the prebuilt create_react_agent (supervisor)
    return f"agent 1 saw {len(state['messages'])} messages"


def agent_2(state: Annotated[dict, InjectedState]):
    """The second agent."""
    return f"agent 2 saw: {state['messages'][0].content}"


tools = [agent_1, agent_2]
calls = [
    {"name": "agent_1", "args": {}, "id": "c1"},
    {"name": "agent_2", "args": {}, "id": "c2"},
]
model = FakeToolModel(responses=[AIMessage("", tool_calls=calls), AIMessage("Both answered.")])
# the simplest way to build a supervisor w/ tool-calling is to use prebuilt ReAct agent graph
# that consists of a tool-calling LLM node (i.e. supervisor) and a tool-executing node
supervisor = create_react_agent(model, tools)


def main():
    return supervisor.invoke({"messages": [("user", "ask both")]})
