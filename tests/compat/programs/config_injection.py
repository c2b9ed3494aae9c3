"""A node that takes config reads the run's configurable values."""

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    greeting: str


def greet(state: State, config):
    user = config["configurable"].get("user", "nobody")
    return {"greeting": f"{state['greeting']} {user}"}


builder = StateGraph(State)
builder.add_node("greet", greet)
builder.add_edge(START, "greet")
graph = builder.compile()


def main():
    return graph.invoke({"greeting": "hello"}, {"configurable": {"user": "ada"}})
