"""The graph API how-to's runtime-configuration example exactly as written: its node
returns an int (1 or 2) for a field annotated str. LangGraph stores the int unchecked;
graphstage fails the run naming the node, the field and the value (runtime_context_docs
runs the same graph with strings)."""

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from typing_extensions import TypedDict


class ContextSchema(TypedDict):
    my_runtime_value: str


class State(TypedDict):
    my_state_value: str


def node(state: State, runtime: Runtime[ContextSchema]):
    if runtime.context["my_runtime_value"] == "a":
        return {"my_state_value": 1}
    elif runtime.context["my_runtime_value"] == "b":
        return {"my_state_value": 2}
    else:
        raise ValueError("Unknown values.")


builder = StateGraph(State, context_schema=ContextSchema)
builder.add_node(node)
builder.add_edge(START, "node")
builder.add_edge("node", END)
graph = builder.compile()


DIFFERS = "a value that fails its field's type fails the run (LangGraph stores it unchecked)"


def check_difference(langgraph_result, graphstage_result):
    assert langgraph_result == [{"my_state_value": 1}, {"my_state_value": 2}]
    assert graphstage_result[:2] == ("raised", "InvalidUpdateError")
    assert "node 'node' set field 'my_state_value' to 1" in graphstage_result[2][0]


def main():
    return [graph.invoke({}, context={"my_runtime_value": v}) for v in "ab"]
