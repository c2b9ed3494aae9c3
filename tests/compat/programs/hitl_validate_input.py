"""Human in the loop, validate human input: a node asks again (interrupt() in a while loop)
until the answer is a non-negative integer; each invalid answer re-runs the node and
yields the next question."""

import uuid
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.constants import END
from langgraph.graph import StateGraph
from langgraph.types import Command, interrupt


# Define graph state
class State(TypedDict):
    age: int


# Node that asks for human input and validates it
def get_valid_age(state: State) -> State:
    prompt = "Please enter your age (must be a non-negative integer)."
    while True:
        user_input = interrupt(prompt)

        # Validate the input
        try:
            age = int(user_input)
            if age < 0:
                raise ValueError("Age must be non-negative.")
            break  # Valid input received
        except (ValueError, TypeError):
            prompt = f"'{user_input}' is not valid. Please enter a non-negative integer for age."

    return {"age": age}


# Node that uses the valid input
def report_age(state: State) -> State:
    return state


# Build the graph
builder = StateGraph(State)
builder.add_node("get_valid_age", get_valid_age)
builder.add_node("report_age", report_age)

builder.set_entry_point("get_valid_age")
builder.add_edge("get_valid_age", "report_age")
builder.add_edge("report_age", END)

# Create the graph with a memory checkpointer
checkpointer = InMemorySaver()
graph = builder.compile(checkpointer=checkpointer)


def main():
    # Run the graph until the first interrupt
    config = {"configurable": {"thread_id": uuid.uuid4()}}
    out = []
    result = graph.invoke({}, config=config)
    out.append([i.value for i in result["__interrupt__"]])
    # Simulate an invalid input (e.g., string instead of integer)
    result = graph.invoke(Command(resume="not a number"), config=config)
    out.append([i.value for i in result["__interrupt__"]])
    # Simulate a second invalid input (e.g., negative number)
    result = graph.invoke(Command(resume="-10"), config=config)
    out.append([i.value for i in result["__interrupt__"]])
    # Provide valid input
    out.append(graph.invoke(Command(resume="25"), config=config))
    return out
