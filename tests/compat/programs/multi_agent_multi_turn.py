"""Multi-agent systems (custom), multi-turn conversation: two prebuilt ReAct agents invoked
inside the parent's nodes, a human node that asks with interrupt() and routes back to the
last active agent with Command(goto=...), and a handoff tool whose
Command(goto=agent, graph=Command.PARENT) leaves the agent's graph and the node that invoked
it. Three turns on one thread: an input, then two Command(resume=...). Fake tool-calling
models stand in for the LLMs."""

from typing import Annotated, Any, Literal

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, convert_to_messages
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import InjectedState, create_react_agent
from langgraph.types import Command, interrupt


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def make_handoff_tool(*, agent_name: str):
    """Create a tool that can return handoff via a Command"""
    tool_name = f"transfer_to_{agent_name}"

    @tool(tool_name)
    def handoff_to_agent(
        state: Annotated[dict, InjectedState],
        tool_call_id: Annotated[str, InjectedToolCallId],
    ):
        """Ask another agent for help."""
        tool_message = {
            "role": "tool",
            "content": f"Successfully transferred to {agent_name}",
            "name": tool_name,
            "tool_call_id": tool_call_id,
        }
        return Command(
            # navigate to another agent node in the PARENT graph
            goto=agent_name,
            graph=Command.PARENT,
            # This is the state update that the agent `agent_name` will see when it is
            # invoked. We're passing agent's FULL internal message history AND adding a
            # tool message to make sure the resulting chat history is valid.
            update={"messages": state["messages"] + [tool_message]},
        )

    return handoff_to_agent


def get_travel_recommendations():
    """Get recommendation for travel destinations"""
    return "aruba"


def get_hotel_recommendations(location: str):
    """Get hotel recommendations for a given destination."""
    return f"The Ritz-Carlton, {location}"


def call(name, args, ident):
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": ident}])


class MultiAgentState(MessagesState):
    last_active_agent: str


# Define travel advisor tools and ReAct agent
travel_advisor_tools = [
    get_travel_recommendations,
    make_handoff_tool(agent_name="hotel_advisor"),
]
travel_advisor = create_react_agent(
    FakeToolModel(
        responses=[
            call("get_travel_recommendations", {}, "t1"),
            AIMessage("Aruba is warm."),
            call("transfer_to_hotel_advisor", {}, "t2"),
        ]
    ),
    travel_advisor_tools,
    prompt="You are a general travel expert.",
)


def call_travel_advisor(
    state: MultiAgentState,
) -> Command[Literal["hotel_advisor", "human"]]:
    # You can also add additional logic like changing the input to the agent / output from
    # the agent, etc.
    # NOTE: we're invoking the ReAct agent with the full history of messages in the state
    response = travel_advisor.invoke(state)
    update = {**response, "last_active_agent": "travel_advisor"}
    return Command(update=update, goto="human")


# Define hotel advisor tools and ReAct agent
hotel_advisor_tools = [
    get_hotel_recommendations,
    make_handoff_tool(agent_name="travel_advisor"),
]
hotel_advisor = create_react_agent(
    FakeToolModel(
        responses=[
            call("get_hotel_recommendations", {"location": "aruba"}, "h1"),
            AIMessage("Try The Ritz-Carlton in Palm Beach."),
            AIMessage("Go snorkeling at Boca Catalina."),
        ]
    ),
    hotel_advisor_tools,
    prompt="You are a hotel expert.",
)


def call_hotel_advisor(
    state: MultiAgentState,
) -> Command[Literal["travel_advisor", "human"]]:
    response = hotel_advisor.invoke(state)
    update = {**response, "last_active_agent": "hotel_advisor"}
    return Command(update=update, goto="human")


def human_node(
    state: MultiAgentState, config
) -> Command[Literal["hotel_advisor", "travel_advisor", "human"]]:
    """A node for collecting user input."""

    user_input = interrupt(value="Ready for user input.")
    active_agent = state["last_active_agent"]

    return Command(
        update={
            "messages": [
                {
                    "role": "human",
                    "content": user_input,
                }
            ]
        },
        goto=active_agent,
    )


builder = StateGraph(MultiAgentState)
builder.add_node("travel_advisor", call_travel_advisor)
builder.add_node("hotel_advisor", call_hotel_advisor)

# This adds a node to collect human input, which will route
# back to the active agent.
builder.add_node("human", human_node)

# We'll always start with a general travel advisor.
builder.add_edge(START, "travel_advisor")

checkpointer = InMemorySaver()
graph = builder.compile(checkpointer=checkpointer)


def main():
    thread_config = {"configurable": {"thread_id": "1"}}
    inputs = [
        # 1st round of conversation,
        {"messages": [{"role": "user", "content": "i wanna go somewhere warm in the caribbean"}]},
        # Since we're using `interrupt`, we'll need to resume using the Command primitive.
        # 2nd round of conversation,
        Command(resume="could you recommend a nice hotel in one of the areas?"),
        # 3rd round of conversation,
        Command(resume="i like the first one. could you recommend something to do nearby?"),
    ]
    out = []
    for user_input in inputs:
        turn = []
        for update in graph.stream(user_input, config=thread_config, stream_mode="updates"):
            for node_id, value in update.items():
                if node_id == "__interrupt__":
                    turn.append((node_id, [i.value for i in value]))
                elif isinstance(value, dict) and value.get("messages"):
                    last_message = convert_to_messages(value["messages"][-1:])[0]
                    turn.append((node_id, last_message.type, last_message.content))
        out.append(turn)
    state = graph.get_state(thread_config)
    out.append((state.values["last_active_agent"], len(state.values["messages"]), state.next))
    return out
