"""LangGraph basics 4 (add human-in-the-loop controls): a human_assistance tool calls
interrupt() inside the prebuilt ToolNode; the stream pauses, get_state shows the tools node
waiting, and Command(resume={"data": ...}) answers it; the chatbot then replies."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


class State(TypedDict):
    messages: Annotated[list, add_messages]


graph_builder = StateGraph(State)


@tool
def human_assistance(query: str) -> str:
    """Request assistance from a human."""
    human_response = interrupt({"query": query})
    return human_response["data"]


@tool
def search(query: str) -> str:
    """Search the web."""
    return f"results for {query}"


ask = {"name": "human_assistance", "args": {"query": "Guidance for an agent?"}, "id": "c1"}
llm = FakeToolModel(
    responses=[AIMessage("", tool_calls=[ask]), AIMessage("The experts say: use LangGraph.")]
)
tools = [search, human_assistance]
llm_with_tools = llm.bind_tools(tools)


def chatbot(state: State):
    message = llm_with_tools.invoke(state["messages"])
    # Because we will be interrupting during tool execution,
    # we disable parallel tool calling to avoid repeating any
    # tool invocations when we resume.
    assert len(message.tool_calls) <= 1
    return {"messages": [message]}


graph_builder.add_node("chatbot", chatbot)

tool_node = ToolNode(tools=tools)
graph_builder.add_node("tools", tool_node)

graph_builder.add_conditional_edges(
    "chatbot",
    tools_condition,
)
graph_builder.add_edge("tools", "chatbot")
graph_builder.add_edge(START, "chatbot")

memory = InMemorySaver()

graph = graph_builder.compile(checkpointer=memory)


def plain(value):
    """Interrupts as ("interrupt", value): their ids differ by design."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", value.value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def main():
    user_input = (
        "I need some expert guidance for building an AI agent. Could you request assistance for me?"
    )
    config = {"configurable": {"thread_id": "1"}}

    events = graph.stream(
        {"messages": [{"role": "user", "content": user_input}]},
        config,
        stream_mode="values",
    )
    out = [[event["messages"][-1] if "messages" in event else event for event in events]]
    snapshot = graph.get_state(config)
    out.append((snapshot.next, snapshot.interrupts))

    human_response = (
        "We, the experts are here to help! We'd recommend you check out LangGraph to build "
        "your agent. It's much more reliable and extensible than simple autonomous agents."
    )

    human_command = Command(resume={"data": human_response})

    events = graph.stream(human_command, config, stream_mode="values")
    out.append([event["messages"][-1] for event in events if "messages" in event])
    out.append(graph.get_state(config).next)
    return plain(out)
