"""A node returns a key that is in no schema: LangGraph drops it silently; graphstage fails the
run naming the node and the key."""

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    answer: str


def node(state: State):
    return {"answer": "42", "anwser": "typo"}


builder = StateGraph(State)
builder.add_node("node", node)
builder.add_edge(START, "node")
graph = builder.compile()

DIFFERS = "an update naming an unknown key fails the run (LangGraph drops the key)"


def check_difference(langgraph_result, graphstage_result):
    assert langgraph_result == {"answer": "42"}
    assert graphstage_result[:2] == ("raised", "InvalidUpdateError")
    assert "node 'node'" in graphstage_result[2][0] and "'anwser'" in graphstage_result[2][0]


async def main():
    return await graph.ainvoke({"answer": ""})
