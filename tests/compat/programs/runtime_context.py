"""context_schema with Runtime[Context]: runtime.context comes from invoke(context=...)."""

from dataclasses import dataclass

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from typing_extensions import TypedDict


@dataclass
class Context:
    user_name: str
    model: str = "small"


class State(TypedDict):
    reply: str


def greet(state: State, runtime: Runtime[Context]):
    ctx = runtime.context
    return {"reply": f"hi {ctx.user_name} ({ctx.model}, {type(ctx).__name__})"}


builder = StateGraph(State, context_schema=Context)
builder.add_node("greet", greet)
builder.add_edge(START, "greet")
builder.add_edge("greet", END)
graph = builder.compile()


async def main():
    return (
        await graph.ainvoke({}, context=Context(user_name="ada")),
        await graph.ainvoke({}, context={"user_name": "bob", "model": "big"}),
    )
