"""Human in the loop, review and edit state: a summary node, a review node whose
interrupt() returns the human's edit, and a downstream node returning the whole state; the
thread id is a uuid.UUID."""

import uuid
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.constants import END
from langgraph.graph import StateGraph
from langgraph.types import Command, interrupt


# Define the graph state
class State(TypedDict):
    summary: str


# Simulate an LLM summary generation
def generate_summary(state: State) -> State:
    return {"summary": "The cat sat on the mat and looked at the stars."}


# Human editing node
def human_review_edit(state: State) -> State:
    result = interrupt(
        {
            "task": "Please review and edit the generated summary if necessary.",
            "generated_summary": state["summary"],
        }
    )
    return {"summary": result["edited_summary"]}


# Simulate downstream use of the edited summary
def downstream_use(state: State) -> State:
    return state


# Build the graph
builder = StateGraph(State)
builder.add_node("generate_summary", generate_summary)
builder.add_node("human_review_edit", human_review_edit)
builder.add_node("downstream_use", downstream_use)

builder.set_entry_point("generate_summary")
builder.add_edge("generate_summary", "human_review_edit")
builder.add_edge("human_review_edit", "downstream_use")
builder.add_edge("downstream_use", END)

# Set up in-memory checkpointing for interrupt support
checkpointer = InMemorySaver()
graph = builder.compile(checkpointer=checkpointer)


def main():
    # Invoke the graph until it hits the interrupt
    config = {"configurable": {"thread_id": uuid.uuid4()}}
    result = graph.invoke({}, config=config)
    out = [{k: v for k, v in result.items() if k != "__interrupt__"}]
    out.append([i.value for i in result["__interrupt__"]])

    # Resume the graph with human-edited input
    edited_summary = "The cat lay on the rug, gazing peacefully at the night sky."
    out.append(graph.invoke(Command(resume={"edited_summary": edited_summary}), config=config))
    out.append([(s.next, s.metadata["step"]) for s in graph.get_state_history(config)])
    return out
