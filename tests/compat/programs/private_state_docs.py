"""The graph API how-to, pass private state between nodes: node_1 returns a key of its own
output schema only (-> Node1Output), node_2 reads it through its input annotation
(Node2Input), node_3 sees only the overall state; add_sequence; the result holds only the
overall state's key. Then the reducers section: a custom add reducer over a list of
messages next to a plain key."""

from typing import Annotated

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

LOG = []


# The overall state of the graph (this is the public state shared across nodes)
class OverallState(TypedDict):
    a: str


# Output from node_1 contains private data that is not part of the overall state
class Node1Output(TypedDict):
    private_data: str


# The private data is only shared between node_1 and node_2
def node_1(state: OverallState) -> Node1Output:
    output = {"private_data": "set by node_1"}
    LOG.append(f"Entered node `node_1`: Input: {state}. Returned: {output}")
    return output


# Node 2 input only requests the private data available after node_1
class Node2Input(TypedDict):
    private_data: str


def node_2(state: Node2Input) -> OverallState:
    output = {"a": "set by node_2"}
    LOG.append(f"Entered node `node_2`: Input: {state}. Returned: {output}")
    return output


# Node 3 only has access to the overall state (no access to private data from node_1)
def node_3(state: OverallState) -> OverallState:
    output = {"a": "set by node_3"}
    LOG.append(f"Entered node `node_3`: Input: {state}. Returned: {output}")
    return output


# Connect nodes in a sequence
# node_2 accepts private data from node_1, whereas
# node_3 does not see the private data.
builder = StateGraph(OverallState).add_sequence([node_1, node_2, node_3])
builder.add_edge(START, "node_1")
graph = builder.compile()


def add(left, right):
    """Can also import `add` from the `operator` built-in."""
    return left + right


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add]
    extra_field: int


def node(state: State):
    new_message = AIMessage("Hello!")
    return {"messages": [new_message], "extra_field": 10}


reducer_graph = StateGraph(State).add_node(node).add_edge(START, "node").compile()


def main():
    # Invoke the graph with the initial state
    response = graph.invoke({"a": "set at start"})
    out = [response, LOG]
    result = reducer_graph.invoke({"messages": [HumanMessage("Hi")]})
    out.append(result)
    out.append(list(graph.stream({"a": "again"}, stream_mode="updates")))
    return out
