"""Multi-agent systems (custom), handoffs: two prebuilt ReAct agents as nodes of a parent
graph; a handoff tool (InjectedState, InjectedToolCallId) returns Command(goto=agent,
update=..., graph=Command.PARENT) from inside the agent's ToolNode, so the parent runs the
other agent. Fake tool-calling models stand in for the LLMs; stream(subgraphs=True) shows
both levels."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import InjectedState, create_react_agent
from langgraph.types import Command


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def create_handoff_tool(*, agent_name: str, description: str | None = None):
    name = f"transfer_to_{agent_name}"
    description = description or f"Transfer to {agent_name}"

    @tool(name, description=description)
    def handoff_tool(
        state: Annotated[MessagesState, InjectedState],
        tool_call_id: Annotated[str, InjectedToolCallId],
    ) -> Command:
        tool_message = {
            "role": "tool",
            "content": f"Successfully transferred to {agent_name}",
            "name": name,
            "tool_call_id": tool_call_id,
        }
        return Command(
            goto=agent_name,
            update={"messages": state["messages"] + [tool_message]},
            graph=Command.PARENT,
        )

    return handoff_tool


# Handoffs
transfer_to_hotel_assistant = create_handoff_tool(
    agent_name="hotel_assistant",
    description="Transfer user to the hotel-booking assistant.",
)
transfer_to_flight_assistant = create_handoff_tool(
    agent_name="flight_assistant",
    description="Transfer user to the flight-booking assistant.",
)


# Simple agent tools
def book_hotel(hotel_name: str):
    """Book a hotel"""
    return f"Successfully booked a stay at {hotel_name}."


def book_flight(from_airport: str, to_airport: str):
    """Book a flight"""
    return f"Successfully booked a flight from {from_airport} to {to_airport}."


def calls(name, args, ident):
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": ident}])


def build():
    flight_model = FakeToolModel(
        responses=[
            calls("book_flight", {"from_airport": "BOS", "to_airport": "JFK"}, "c1"),
            calls("transfer_to_hotel_assistant", {}, "c2"),
        ]
    )
    hotel_model = FakeToolModel(
        responses=[
            calls("book_hotel", {"hotel_name": "McKittrick Hotel"}, "c3"),
            AIMessage("Booked the flight and the hotel."),
        ]
    )
    # Define agents
    flight_assistant = create_react_agent(
        model=flight_model,
        tools=[book_flight, transfer_to_hotel_assistant],
        prompt="You are a flight booking assistant",
        name="flight_assistant",
    )
    hotel_assistant = create_react_agent(
        model=hotel_model,
        tools=[book_hotel, transfer_to_flight_assistant],
        prompt="You are a hotel booking assistant",
        name="hotel_assistant",
    )

    # Define multi-agent graph
    return (
        StateGraph(MessagesState)
        .add_node(flight_assistant)
        .add_node(hotel_assistant)
        .add_edge(START, "flight_assistant")
        .compile()
    )


REQUEST = {
    "messages": [
        {
            "role": "user",
            "content": "book a flight from BOS to JFK and a stay at McKittrick Hotel",
        }
    ]
}


def main():
    out = []
    for namespace, update in build().stream(REQUEST, subgraphs=True):
        # the task ids after ":" are random on both sides: keep the names
        names = tuple(part.split(":")[0] for part in namespace)
        out.append((names, {node: value["messages"] for node, value in update.items()}))
    out.append(build().invoke(REQUEST))
    return out
