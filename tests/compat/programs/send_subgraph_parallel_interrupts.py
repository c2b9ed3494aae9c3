"""From LangGraph's test_pregel.py (test_parallel_interrupts): pydantic parent and child
states; a conditional edge Sends each prompt to a child graph node whose node asks it with
interrupt(); the client streams "updates", collects the questions and answers one at a time
by interrupt id until nothing is asked. Each stream's updates (compared unordered, as the
test does): the questions one per event, a finished child's update, and on the last
continuation the earlier child's write shown again marked {"cached": True}."""

import operator
import uuid
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send, interrupt
from pydantic import BaseModel, Field


class ChildState(BaseModel):
    prompt: str = Field(..., description="What is going to be asked to the user?")
    human_input: str | None = Field(None, description="What the human said")
    human_inputs: Annotated[list[str], operator.add] = Field(default_factory=list)


def get_human_input(state: ChildState):
    human_input = interrupt(state.prompt)
    return dict(human_input=human_input, human_inputs=[human_input])


child_graph_builder = StateGraph(ChildState)
child_graph_builder.add_node("get_human_input", get_human_input)
child_graph_builder.add_edge(START, "get_human_input")
child_graph_builder.add_edge("get_human_input", END)
child_graph = child_graph_builder.compile()


class ParentState(BaseModel):
    prompts: list[str] = Field(..., description="What is going to be asked to the user?")
    human_inputs: Annotated[list[str], operator.add] = Field(default_factory=list)


def assign_workers(state: ParentState):
    return [Send("child_graph", dict(prompt=prompt)) for prompt in state.prompts]


seen = []


def cleanup(state: ParentState):
    seen.append(sorted(state.human_inputs))


parent_graph_builder = StateGraph(ParentState)
parent_graph_builder.add_node("child_graph", child_graph)
parent_graph_builder.add_node("cleanup", cleanup)
parent_graph_builder.add_conditional_edges(START, assign_workers, ["child_graph"])
parent_graph_builder.add_edge("child_graph", "cleanup")
parent_graph_builder.add_edge("cleanup", END)
parent_graph = parent_graph_builder.compile(checkpointer=InMemorySaver())


def shown(event):
    if "__interrupt__" in event:
        return ("__interrupt__", tuple(sorted(i.value for i in event["__interrupt__"])))
    return repr(sorted(event.items()))


def main():
    thread_config = dict(configurable=dict(thread_id=str(uuid.uuid4())))
    current_input = dict(prompts=["a", "b"])
    runs = []
    for invokes in range(1, 10):
        events, questions = [], []
        for event in parent_graph.stream(current_input, thread_config, stream_mode="updates"):
            events.append(event)
            if "__interrupt__" in event:
                questions.extend(event["__interrupt__"])
        runs.append(sorted(map(shown, events), key=repr))
        if not questions:
            break
        first = min(questions, key=lambda q: q.value)
        current_input = Command(resume={first.id: f"Resume #{invokes}"})
    return [runs, seen, parent_graph.get_state(thread_config).values]
