"""Use the functional API (docs: oss/use-functional-api, "Calling graphs" and "Call other
entrypoints"): an entrypoint invokes a graph built with the graph API, and another
entrypoint, as ordinary function calls."""

from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint
from langgraph.graph import END, START, StateGraph

checkpointer = InMemorySaver()


class State(TypedDict):
    foo: str


def step(state: State):
    return {"foo": state["foo"] + "!"}


builder = StateGraph(State)
builder.add_node("step", step)
builder.add_edge(START, "step")
builder.add_edge("step", END)
some_graph = builder.compile()


@entrypoint()  # Will automatically use the checkpointer from the parent entrypoint
def some_other_workflow(inputs: dict) -> int:
    return inputs["value"]


@entrypoint(checkpointer=checkpointer)
def my_workflow(inputs: dict) -> dict:
    value = some_other_workflow.invoke({"value": 1})
    result_1 = some_graph.invoke({"foo": inputs["foo"]})
    return {"value": value, "result_1": result_1}


def main():
    config = {"configurable": {"thread_id": "1"}}
    return my_workflow.invoke({"foo": "hi"}, config)
