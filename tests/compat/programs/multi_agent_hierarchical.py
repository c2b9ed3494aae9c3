"""Multi-agent systems, hierarchical teams: two team graphs (a supervisor routing with
Command(goto=...) to its agents, which go back with Command(goto="team_..._supervisor",
update=...)) added as nodes of a top-level supervisor graph that routes between the teams
and edges them back to itself. Fakes decide."""

from typing import Literal

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command


def decisions(*names):
    return iter(list(names))


team_1_next = decisions("team_1_agent_1", "team_1_agent_2", END)
team_2_next = decisions("team_2_agent_1", END)
top_next = decisions("team_1_graph", "team_2_graph", END)
worker = GenericFakeChatModel(
    messages=iter([AIMessage("t1a1 did"), AIMessage("t1a2 did"), AIMessage("t2a1 did")])
)


class Team1State(MessagesState):
    pass


# define team 1 (same as the single supervisor example above)


def team_1_supervisor(
    state: MessagesState,
) -> Command[Literal["team_1_agent_1", "team_1_agent_2", END]]:
    return Command(goto=next(team_1_next))


def team_1_agent_1(state: MessagesState) -> Command[Literal["team_1_supervisor"]]:
    response = worker.invoke(state["messages"])
    return Command(goto="team_1_supervisor", update={"messages": [response]})


def team_1_agent_2(state: MessagesState) -> Command[Literal["team_1_supervisor"]]:
    response = worker.invoke(state["messages"])
    return Command(goto="team_1_supervisor", update={"messages": [response]})


team_1_builder = StateGraph(Team1State)
team_1_builder.add_node(team_1_supervisor)
team_1_builder.add_node(team_1_agent_1)
team_1_builder.add_node(team_1_agent_2)
team_1_builder.add_edge(START, "team_1_supervisor")
team_1_graph = team_1_builder.compile()


# define team 2 (same as the single supervisor example above)
class Team2State(MessagesState):
    next: Literal["team_2_agent_1", "team_2_agent_2", "__end__"]


def team_2_supervisor(state: Team2State):
    return {"next": next(team_2_next)}


def team_2_agent_1(state: Team2State):
    return {"messages": [worker.invoke(state["messages"])]}


def team_2_agent_2(state: Team2State):
    return {"messages": [worker.invoke(state["messages"])]}


team_2_builder = StateGraph(Team2State)
team_2_builder.add_node(team_2_supervisor)
team_2_builder.add_node(team_2_agent_1)
team_2_builder.add_node(team_2_agent_2)
team_2_builder.add_edge(START, "team_2_supervisor")
team_2_builder.add_conditional_edges("team_2_supervisor", lambda state: state["next"])
team_2_builder.add_edge("team_2_agent_1", "team_2_supervisor")
team_2_builder.add_edge("team_2_agent_2", "team_2_supervisor")
team_2_graph = team_2_builder.compile()


# define top-level supervisor
def top_level_supervisor(
    state: MessagesState,
) -> Command[Literal["team_1_graph", "team_2_graph", END]]:
    # route to one of the teams or exit based on the supervisor's decision
    # if the supervisor returns "__end__", the graph will finish execution
    return Command(goto=next(top_next))


builder = StateGraph(MessagesState)
builder.add_node(top_level_supervisor)
builder.add_node("team_1_graph", team_1_graph)
builder.add_node("team_2_graph", team_2_graph)
builder.add_edge(START, "top_level_supervisor")
builder.add_edge("team_1_graph", "top_level_supervisor")
builder.add_edge("team_2_graph", "top_level_supervisor")
graph = builder.compile()


def main():
    out = []
    for namespace, chunk in graph.stream({"messages": [("user", "work")]}, subgraphs=True):
        names = tuple(part.split(":")[0] for part in namespace)
        out.append(
            (
                names,
                {
                    node: None
                    if update is None
                    else [m.content for m in update.get("messages", [])]
                    for node, update in chunk.items()
                },
            )
        )
    return out
