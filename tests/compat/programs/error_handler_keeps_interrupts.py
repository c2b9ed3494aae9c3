"""From LangGraph's test_retry.py: a node with an error handler that calls interrupt() while
another node runs beside it pauses the run (the interrupt is not a failure the handler
swallows); the answer resumes it."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    foo: str


def node_a(state: State):
    val = interrupt("need human input")
    return {"foo": f"a_{val}"}


def node_b(state: State):
    return {}


def err_handler(state: State):
    return {"foo": "handled"}


graph = (
    StateGraph(State)
    .add_node("node_a", node_a, error_handler=err_handler)
    .add_node("node_b", node_b)
    .add_edge(START, "node_a")
    .add_edge(START, "node_b")
    .compile(checkpointer=InMemorySaver())
)


def main():
    config = {"configurable": {"thread_id": "t"}}
    paused = graph.invoke({"foo": ""}, config)
    questions = [i.value for i in paused["__interrupt__"]]
    pending = [t.name for t in graph.get_state(config).tasks if t.interrupts]
    return questions, pending, graph.invoke(Command(resume="yes"), config)
