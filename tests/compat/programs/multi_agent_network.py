"""Multi-agent systems, network: three agents, each deciding with a model (a fake whose
JSON reply is parsed: {"next_agent", "content"}) where to go next with
Command[Literal[...]](goto=..., update=...); no edges between them; "__end__" ends."""

import json
from typing import Literal

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import JsonOutputParser
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command


def reply(next_agent, content):
    return AIMessage(json.dumps({"next_agent": next_agent, "content": content}))


model = (
    GenericFakeChatModel(
        messages=iter(
            [
                reply("agent_3", "1 asks 3"),
                reply("agent_2", "3 asks 2"),
                reply("agent_1", "2 answers 1"),
                reply(END, "1 is done"),
            ]
        )
    )
    | JsonOutputParser()
)


def agent_1(state: MessagesState) -> Command[Literal["agent_2", "agent_3", END]]:
    # you can pass relevant parts of the state to the LLM (e.g., state["messages"])
    # to determine which agent to call next. a common pattern is to call the model
    # with a structured output (e.g. force it to return an output with a "next_agent" field)
    response = model.invoke(state["messages"])
    # route to one of the agents or exit based on the LLM's decision
    # if the LLM returns "__end__", the graph will finish execution
    return Command(
        goto=response["next_agent"],
        update={"messages": [response["content"]]},
    )


def agent_2(state: MessagesState) -> Command[Literal["agent_1", "agent_3", END]]:
    response = model.invoke(state["messages"])
    return Command(
        goto=response["next_agent"],
        update={"messages": [response["content"]]},
    )


def agent_3(state: MessagesState) -> Command[Literal["agent_1", "agent_2", END]]:
    response = model.invoke(state["messages"])
    return Command(
        goto=response["next_agent"],
        update={"messages": [response["content"]]},
    )


builder = StateGraph(MessagesState)
builder.add_node(agent_1)
builder.add_node(agent_2)
builder.add_node(agent_3)

builder.add_edge(START, "agent_1")
network = builder.compile()


def main():
    updates = list(network.stream({"messages": [("user", "go")]}))
    graph = network.get_graph()
    edges = sorted((e.source, e.target, e.conditional) for e in graph.edges)
    return updates, edges
