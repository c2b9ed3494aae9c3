"""LangGraph basics 1 and 3 (build a basic chatbot, add memory): a chatbot node with a
fake chat model and a tool node (ToolNode, tools_condition), compiled with InMemorySaver;
two turns on thread "1" remember the first, thread "2" starts afresh; the streamed values'
last messages and get_state's snapshot (values, next, metadata, tasks, parent)."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from typing_extensions import TypedDict


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def search(query: str) -> str:
    """Search the web."""
    return f"results for {query}"


llm = FakeToolModel(
    responses=[
        AIMessage("Hello Will!"),
        AIMessage("", tool_calls=[{"name": "search", "args": {"query": "Will"}, "id": "c1"}]),
        AIMessage("Your name is Will."),
        AIMessage("I don't know your name."),
    ]
)


class State(TypedDict):
    messages: Annotated[list, add_messages]


graph_builder = StateGraph(State)

tools = [search]
llm_with_tools = llm.bind_tools(tools)


def chatbot(state: State):
    return {"messages": [llm_with_tools.invoke(state["messages"])]}


graph_builder.add_node("chatbot", chatbot)

tool_node = ToolNode(tools=[search])
graph_builder.add_node("tools", tool_node)

graph_builder.add_conditional_edges(
    "chatbot",
    tools_condition,
)
graph_builder.add_edge("tools", "chatbot")
graph_builder.set_entry_point("chatbot")
memory = InMemorySaver()
graph = graph_builder.compile(checkpointer=memory)


def turn(user_input, config):
    events = graph.stream(
        {"messages": [{"role": "user", "content": user_input}]},
        config,
        stream_mode="values",
    )
    return [event["messages"][-1] for event in events]


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [turn("Hi there! My name is Will.", config)]
    out.append(turn("Remember my name?", config))
    out.append(turn("Remember my name?", {"configurable": {"thread_id": "2"}}))
    snapshot = graph.get_state(config)
    out.append(
        (
            snapshot.values,
            snapshot.next,
            snapshot.metadata,
            snapshot.tasks,
            snapshot.interrupts,
            snapshot.parent_config is not None,
            sorted(snapshot.config["configurable"]),
        )
    )
    return out
