"""Human in the loop, approve or reject (the full example): a node asks with interrupt()
and routes with Command[Literal[...]](goto=..., update=...); the thread id is a uuid.UUID
and the first input is {}; the approve and reject paths on two threads."""

import uuid
from typing import Literal, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.constants import END
from langgraph.graph import StateGraph
from langgraph.types import Command, interrupt


# Define the shared graph state
class State(TypedDict):
    llm_output: str
    decision: str


# Simulate an LLM output node
def generate_llm_output(state: State) -> State:
    return {"llm_output": "This is the generated output."}


# Human approval node
def human_approval(state: State) -> Command[Literal["approved_path", "rejected_path"]]:
    decision = interrupt(
        {"question": "Do you approve the following output?", "llm_output": state["llm_output"]}
    )

    if decision == "approve":
        return Command(goto="approved_path", update={"decision": "approved"})
    else:
        return Command(goto="rejected_path", update={"decision": "rejected"})


PATHS = []


# Next steps after approval
def approved_node(state: State) -> State:
    PATHS.append("approved")
    return state


# Alternative path after rejection
def rejected_node(state: State) -> State:
    PATHS.append("rejected")
    return state


# Build the graph
builder = StateGraph(State)
builder.add_node("generate_llm_output", generate_llm_output)
builder.add_node("human_approval", human_approval)
builder.add_node("approved_path", approved_node)
builder.add_node("rejected_path", rejected_node)

builder.set_entry_point("generate_llm_output")
builder.add_edge("generate_llm_output", "human_approval")
builder.add_edge("approved_path", END)
builder.add_edge("rejected_path", END)

checkpointer = InMemorySaver()
graph = builder.compile(checkpointer=checkpointer)


def main():
    out = []
    for answer in ("approve", "reject"):
        config = {"configurable": {"thread_id": uuid.uuid4()}}
        result = graph.invoke({}, config=config)
        out.append([i.value for i in result["__interrupt__"]])
        out.append(graph.invoke(Command(resume=answer), config=config))
    out.append(PATHS)
    out.append(sorted((e.source, e.target, e.conditional) for e in graph.get_graph().edges))
    return out
