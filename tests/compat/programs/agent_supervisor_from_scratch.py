"""Multi-agent supervisor from scratch (the agent-supervisor tutorial, part 3): a supervisor
ReAct agent hands work to a research agent and a math agent through handoff tools that
return Command(goto=agent, update={**state, ...}, graph=Command.PARENT); each agent returns
to the supervisor by an edge; add_node(agent, destinations=(...)) for drawing. Fake
tool-calling models stand in for the LLMs."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import InjectedState, create_react_agent
from langgraph.types import Command


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def create_handoff_tool(*, agent_name: str, description: str | None = None):
    name = f"transfer_to_{agent_name}"
    description = description or f"Ask {agent_name} for help."

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
            update={**state, "messages": state["messages"] + [tool_message]},
            graph=Command.PARENT,
        )

    return handoff_tool


# Handoffs
assign_to_research_agent = create_handoff_tool(
    agent_name="research_agent",
    description="Assign task to a researcher agent.",
)

assign_to_math_agent = create_handoff_tool(
    agent_name="math_agent",
    description="Assign task to a math agent.",
)


@tool
def web_search(query: str) -> str:
    """Search the web."""
    return "US GDP 2024: $29.0T; New York state GDP 2024: $2.3T"


@tool
def divide(a: float, b: float) -> float:
    """Divide two numbers."""
    return a / b


def call(name, args, ident):
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": ident}])


def build():
    research_agent = create_react_agent(
        model=FakeToolModel(
            responses=[
                call("web_search", {"query": "US and NY GDP 2024"}, "r1"),
                AIMessage("US: $29.0T, NY: $2.3T"),
            ]
        ),
        tools=[web_search],
        prompt="You are a research agent.",
        name="research_agent",
    )
    math_agent = create_react_agent(
        model=FakeToolModel(
            responses=[call("divide", {"a": 2.3, "b": 29.0}, "m1"), AIMessage("7.93%")]
        ),
        tools=[divide],
        prompt="You are a math agent.",
        name="math_agent",
    )
    supervisor_agent = create_react_agent(
        model=FakeToolModel(
            responses=[
                call("transfer_to_research_agent", {}, "s1"),
                call("transfer_to_math_agent", {}, "s2"),
                AIMessage("New York was 7.93% of US GDP in 2024."),
            ]
        ),
        tools=[assign_to_research_agent, assign_to_math_agent],
        prompt=(
            "You are a supervisor managing two agents:\n"
            "- a research agent. Assign research-related tasks to this agent\n"
            "- a math agent. Assign math-related tasks to this agent\n"
            "Assign work to one agent at a time, do not call agents in parallel.\n"
            "Do not do any work yourself."
        ),
        name="supervisor",
    )

    # Define the multi-agent supervisor graph
    return (
        StateGraph(MessagesState)
        # NOTE: `destinations` is only needed for visualization and doesn't affect runtime
        # behavior
        .add_node(supervisor_agent, destinations=("research_agent", "math_agent", END))
        .add_node(research_agent)
        .add_node(math_agent)
        .add_edge(START, "supervisor")
        # always return back to the supervisor
        .add_edge("research_agent", "supervisor")
        .add_edge("math_agent", "supervisor")
        .compile()
    )


def main():
    supervisor = build()
    out = []
    for chunk in supervisor.stream(
        {
            "messages": [
                {
                    "role": "user",
                    "content": "find US and New York state GDP in 2024. what % of US GDP was "
                    "New York state?",
                }
            ]
        },
    ):
        out.append({node: update["messages"][-1] for node, update in chunk.items()})
    final_message_history = chunk["supervisor"]["messages"]
    out.append(final_message_history)
    graph = supervisor.get_graph()
    out.append(sorted((e.source, e.target, e.conditional) for e in graph.edges))
    return out
