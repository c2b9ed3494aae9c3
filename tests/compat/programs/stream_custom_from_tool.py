"""The streaming how-to, stream custom data: get_stream_writer() inside a node, and inside
a tool run by the prebuilt ToolNode (progress chunks), with stream_mode="custom" and with
["updates", "custom"] together."""

from typing import Annotated, Any, TypedDict

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition


class State(TypedDict):
    query: str
    answer: str


def node(state: State):
    writer = get_stream_writer()
    writer({"custom_key": "Generating custom data inside node"})
    return {"answer": "some data"}


graph = StateGraph(State).add_node(node).add_edge(START, "node").compile()


@tool
def query_database(query: str) -> str:
    """Query the database."""
    writer = get_stream_writer()
    writer({"data": "Retrieved 0/100 records", "type": "progress"})
    # perform query
    writer({"data": "Retrieved 100/100 records", "type": "progress"})
    return "some-answer"


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


call = {"name": "query_database", "args": {"query": "users"}, "id": "c1"}


class Chat(TypedDict):
    messages: Annotated[list, add_messages]


def agent_graph():
    model = FakeToolModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("done")])

    def agent(state: Chat):
        return {"messages": [model.invoke(state["messages"])]}

    builder = StateGraph(Chat)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode([query_database]))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition)
    builder.add_edge("tools", "agent")
    return builder.compile()


def main():
    out = [list(graph.stream({"query": "example"}, stream_mode="custom"))]
    out.append(
        list(agent_graph().stream({"messages": [("user", "count users")]}, stream_mode="custom"))
    )
    out.append(
        list(
            agent_graph().stream(
                {"messages": [("user", "count users")]}, stream_mode=["updates", "custom"]
            )
        )
    )
    return out
