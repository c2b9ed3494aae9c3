"""LangGraph basics 5 (customize state): a tool asks a human through interrupt(), then
updates the state's name and birthday by returning Command(update=...) with a ToolMessage
(InjectedToolCallId) from inside the prebuilt ToolNode; update_state edits a key by hand."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
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
    name: str
    birthday: str


@tool
def human_assistance(
    name: str, birthday: str, tool_call_id: Annotated[str, InjectedToolCallId]
) -> str:
    """Request assistance from a human."""
    human_response = interrupt(
        {
            "question": "Is this correct?",
            "name": name,
            "birthday": birthday,
        },
    )
    if human_response.get("correct", "").lower().startswith("y"):
        verified_name = name
        verified_birthday = birthday
        response = "Correct"
    else:
        verified_name = human_response.get("name", name)
        verified_birthday = human_response.get("birthday", birthday)
        response = f"Made a correction: {human_response}"

    state_update = {
        "name": verified_name,
        "birthday": verified_birthday,
        "messages": [ToolMessage(response, tool_call_id=tool_call_id)],
    }
    return Command(update=state_update)


@tool
def search(query: str) -> str:
    """Search the web."""
    return "LangGraph was released on January 17, 2024."


calls = [
    {"name": "search", "args": {"query": "LangGraph release date"}, "id": "c1"},
    {
        "name": "human_assistance",
        "args": {"name": "LangGraph", "birthday": "Jan 17, 2024"},
        "id": "c2",
    },
]
llm = FakeToolModel(
    responses=[
        AIMessage("", tool_calls=[calls[0]]),
        AIMessage("", tool_calls=[calls[1]]),
        AIMessage("LangGraph was released on Jan 17, 2024."),
    ]
)
tools = [search, human_assistance]
llm_with_tools = llm.bind_tools(tools)


def chatbot(state: State):
    message = llm_with_tools.invoke(state["messages"])
    assert len(message.tool_calls) <= 1
    return {"messages": [message]}


graph_builder = StateGraph(State)
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


def main():
    user_input = (
        "Can you look up when LangGraph was released? "
        "When you have the answer, use the human_assistance tool for review."
    )
    config = {"configurable": {"thread_id": "1"}}

    events = graph.stream(
        {"messages": [{"role": "user", "content": user_input}]},
        config,
        stream_mode="values",
    )
    out = [[event["messages"][-1] for event in events if "messages" in event]]
    out.append([i.value for i in graph.get_state(config).interrupts])

    human_command = Command(
        resume={
            "name": "LangGraph",
            "birthday": "Jan 17, 2024",
        },
    )

    events = graph.stream(human_command, config, stream_mode="values")
    out.append([event["messages"][-1] for event in events if "messages" in event])

    snapshot = graph.get_state(config)
    out.append({k: v for k, v in snapshot.values.items() if k in ("name", "birthday")})
    out.append(graph.update_state(config, {"name": "LangGraph (library)"})["configurable"].keys())
    snapshot = graph.get_state(config)
    out.append({k: v for k, v in snapshot.values.items() if k in ("name", "birthday")})
    out.append((snapshot.next, snapshot.metadata["source"], snapshot.metadata["step"]))
    return [list(x) if not isinstance(x, (list, dict, tuple)) else x for x in out]
