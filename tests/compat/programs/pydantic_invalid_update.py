"""A node writes a value its pydantic field rejects: graphstage fails at once naming node and
field; LangGraph fails only when the next node's input is built (a ValidationError)."""

from langgraph.graph import START, StateGraph
from pydantic import BaseModel, Field


class State(BaseModel):
    count: int = Field(ge=0)
    note: str = ""


builder = StateGraph(State)
builder.add_node("bad", lambda state: {"count": -1})
builder.add_node("after", lambda state: {"note": "reached"})
builder.add_edge(START, "bad")
builder.add_edge("bad", "after")
graph = builder.compile()

DIFFERS = "an invalid update fails the step that wrote it, naming the node and the field"


def check_difference(langgraph_result, graphstage_result):
    assert langgraph_result[:2] == ("raised", "ValidationError")
    assert graphstage_result[:2] == ("raised", "InvalidUpdateError")
    assert "node 'bad' set field 'count' to -1" in graphstage_result[2][0]


async def main():
    return await graph.ainvoke({"count": 1})
