"""From LangGraph's test_pregel.py (test_multi_resume): a conditional edge Sends one prompt
to each of five runs of a child graph added as a node (compiled with the parent's saver);
each asks its prompt with interrupt(); invoke(..., stream_mode="values") returns the state
with the five questions; a resume map built from get_state(config).interrupts answers them
all at once, and the cleanup node sees every answer."""

import operator
import uuid
from typing import Annotated

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send, interrupt
from typing_extensions import TypedDict

saver = InMemorySaver()


class ChildState(TypedDict):
    prompt: str
    human_input: str
    human_inputs: list[str]


def get_human_input(state: ChildState):
    human_input = interrupt(state["prompt"])
    return {"human_input": human_input, "human_inputs": [human_input]}


child_graph = (
    StateGraph(ChildState)
    .add_node("get_human_input", get_human_input)
    .add_edge(START, "get_human_input")
    .add_edge("get_human_input", END)
    .compile(checkpointer=saver)
)


class ParentState(TypedDict):
    prompts: list[str]
    human_inputs: Annotated[list[str], operator.add]


def assign_workers(state: ParentState) -> list[Send]:
    return [Send("child_graph", {"prompt": prompt}) for prompt in state["prompts"]]


seen = []


def cleanup(state: ParentState):
    seen.append(sorted(state["human_inputs"]))


parent_graph = (
    StateGraph(ParentState)
    .add_node("child_graph", child_graph)
    .add_node("cleanup", cleanup)
    .add_conditional_edges(START, assign_workers, ["child_graph"])
    .add_edge("child_graph", "cleanup")
    .add_edge("cleanup", END)
    .compile(checkpointer=saver)
)


def main():
    thread_config: RunnableConfig = {"configurable": {"thread_id": uuid.uuid4()}}
    prompts = ["a", "b", "c", "d", "e"]
    events = parent_graph.invoke({"prompts": prompts}, thread_config, stream_mode="values")
    out = [(events["prompts"], sorted(i.value for i in events["__interrupt__"]))]
    waiting = parent_graph.get_state(thread_config).interrupts
    out.append(sorted(i.value for i in waiting))
    resume_map = {i.id: f"human input for prompt {i.value}" for i in waiting}
    out.append(parent_graph.invoke(Command(resume=resume_map), thread_config))
    out.append(seen)
    return out
