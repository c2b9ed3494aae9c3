"""An error handler that raises fails the run with its own error."""

from langgraph.errors import NodeError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


def node(state: State):
    raise ValueError("node failed")


def handler(state: State, error: NodeError):
    raise RuntimeError(f"handler failed too, after {error.error}")


builder = StateGraph(State)
builder.add_node("node", node, error_handler=handler)
builder.add_edge(START, "node")
graph = builder.compile()


async def main():
    try:
        await graph.ainvoke({"x": 1})
    except Exception as exc:
        return type(exc).__name__, str(exc)
