"""A pydantic state whose messages field uses add_messages; nodes get a model instance."""

from typing import Annotated

from langchain_core.messages import AIMessage, AnyMessage
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from pydantic import BaseModel


class State(BaseModel):
    messages: Annotated[list[AnyMessage], add_messages]
    mood: str = "neutral"


def reply(state: State):
    last = state.messages[-1].content
    return {"messages": [AIMessage(f"you said {last!r}")], "mood": "chatty"}


builder = StateGraph(State)
builder.add_node(reply)
builder.add_edge(START, "reply")
graph = builder.compile()


async def main():
    out = await graph.ainvoke({"messages": [("user", "hello")]})
    return out
