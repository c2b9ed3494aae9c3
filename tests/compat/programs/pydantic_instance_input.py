"""invoke with a pydantic instance as input; sync stream of values."""

from langgraph.graph import START, StateGraph
from pydantic import BaseModel


class State(BaseModel):
    name: str
    greeting: str = "hello"
    shout: bool = False


def greet(state: State):
    text = f"{state.greeting} {state.name}"
    return {"greeting": text.upper() if state.shout else text}


builder = StateGraph(State)
builder.add_node("greet", greet)
builder.add_edge(START, "greet")
graph = builder.compile()


def main():
    return graph.invoke(State(name="ada", shout=True)), list(
        graph.stream(State(name="bob"), stream_mode="values")
    )
