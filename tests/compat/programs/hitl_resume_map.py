"""Human in the loop, resume multiple interrupts with one invocation: two nodes started
in parallel from START each call interrupt(); the run pauses with both questions, and one
Command(resume={interrupt id: answer, ...}) built from get_state(...).interrupts answers
both."""

import uuid
from typing import TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.constants import START
from langgraph.graph import StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict):
    text_1: str
    text_2: str


def human_node_1(state: State):
    value = interrupt({"text_to_revise": state["text_1"]})
    return {"text_1": value}


def human_node_2(state: State):
    value = interrupt({"text_to_revise": state["text_2"]})
    return {"text_2": value}


graph_builder = StateGraph(State)
graph_builder.add_node("human_node_1", human_node_1)
graph_builder.add_node("human_node_2", human_node_2)

# Add both nodes in parallel from START
graph_builder.add_edge(START, "human_node_1")
graph_builder.add_edge(START, "human_node_2")

checkpointer = InMemorySaver()
graph = graph_builder.compile(checkpointer=checkpointer)


def main():
    thread_id = str(uuid.uuid4())
    config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
    result = graph.invoke({"text_1": "original text 1", "text_2": "original text 2"}, config=config)
    asked = sorted(i.value["text_to_revise"] for i in result["__interrupt__"])

    # Resume with mapping of interrupt IDs to values
    resume_map = {
        i.id: f"edited text for {i.value['text_to_revise']}"
        for i in graph.get_state(config).interrupts
    }
    return (
        asked,
        graph.invoke(Command(resume=resume_map), config=config),
        graph.get_state(config).next,
    )
