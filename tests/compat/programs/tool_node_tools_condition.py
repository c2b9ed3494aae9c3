"""LangGraph's add-tools tutorial: a chatbot node, the prebuilt ToolNode added to the graph
(named "tools" after itself) and tools_condition routing to it; one tool updates the state
by returning a Command (the how-to "use inside tools"), imported from langgraph.types as
the how-to does (on graphstage: graphstage's Command, which the ToolNode takes too)."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    messages: Annotated[list, add_messages]
    user_info: str


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def search(query: str) -> str:
    """Search the web."""
    return f"3 results for {query}"


@tool
def lookup_user_info(tool_call_id: Annotated[str, InjectedToolCallId]):
    """Look up the user."""
    return Command(
        update={
            "user_info": "ann (premium)",
            "messages": [
                ToolMessage("Successfully looked up user information", tool_call_id=tool_call_id)
            ],
        }
    )


def build():
    calls = [
        {"name": "search", "args": {"query": "actors"}, "id": "call_1"},
        {"name": "lookup_user_info", "args": {}, "id": "call_2"},
    ]
    llm = FakeToolModel(responses=[AIMessage("", tool_calls=calls), AIMessage("All done.")])

    def chatbot(state: State):
        return {"messages": [llm.invoke(state["messages"])]}

    builder = StateGraph(State)
    builder.add_node("chatbot", chatbot)
    builder.add_node(ToolNode(tools=[search, lookup_user_info]))
    builder.add_conditional_edges("chatbot", tools_condition)
    builder.add_edge("tools", "chatbot")
    builder.add_edge(START, "chatbot")
    return builder.compile()


async def main():
    chunks = [list(c) async for c in build().astream({"messages": [("user", "hi")]})]
    return await build().ainvoke({"messages": [("user", "hi")]}), chunks
