"""The agent-supervisor tutorial, part 4 (delegation tasks): handoff tools return
Command(goto=[Send(agent, agent_input)], graph=Command.PARENT), so the chosen agent runs on
a task description of its own instead of the whole history; stream(subgraphs=True)."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import InjectedState, create_react_agent
from langgraph.types import Command, Send


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def create_task_description_handoff_tool(*, agent_name: str, description: str | None = None):
    name = f"transfer_to_{agent_name}"
    description = description or f"Ask {agent_name} for help."

    @tool(name, description=description)
    def handoff_tool(
        # this is populated by the supervisor LLM
        task_description: Annotated[
            str,
            "Description of what the next agent should do, including all of the relevant context.",
        ],
        # these parameters are ignored by the LLM
        state: Annotated[MessagesState, InjectedState],
    ) -> Command:
        task_description_message = {"role": "user", "content": task_description}
        agent_input = {**state, "messages": [task_description_message]}
        return Command(
            goto=[Send(agent_name, agent_input)],
            graph=Command.PARENT,
        )

    return handoff_tool


assign_to_research_agent_with_description = create_task_description_handoff_tool(
    agent_name="research_agent",
    description="Assign task to a researcher agent.",
)

assign_to_math_agent_with_description = create_task_description_handoff_tool(
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
                call("web_search", {"query": "GDP 2024"}, "r1"),
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
    supervisor_agent_with_description = create_react_agent(
        model=FakeToolModel(
            responses=[
                call("transfer_to_research_agent", {"task_description": "Find GDPs"}, "s1"),
                call("transfer_to_math_agent", {"task_description": "2.3 / 29.0 in %"}, "s2"),
                AIMessage("7.93%"),
            ]
        ),
        tools=[
            assign_to_research_agent_with_description,
            assign_to_math_agent_with_description,
        ],
        prompt="You are a supervisor managing two agents.",
        name="supervisor",
    )

    return (
        StateGraph(MessagesState)
        .add_node(supervisor_agent_with_description, destinations=("research_agent", "math_agent"))
        .add_node(research_agent)
        .add_node(math_agent)
        .add_edge(START, "supervisor")
        .add_edge("research_agent", "supervisor")
        .add_edge("math_agent", "supervisor")
        .compile()
    )


def main():
    out = []
    for namespace, chunk in build().stream(
        {"messages": [{"role": "user", "content": "what % of US GDP was New York state?"}]},
        subgraphs=True,
    ):
        names = tuple(part.split(":")[0] for part in namespace)
        out.append((names, {node: update["messages"][-1] for node, update in chunk.items()}))
    out.append(build().invoke({"messages": [{"role": "user", "content": "NY share?"}]}))
    return out
