"""Human in the loop, using multiple interrupts in a single node: a node asks for the
name and the age only when the state lacks them; the thread is resumed with
Command(resume="John", update={"name": "foo"}), so the node runs again on the updated state
(the name no longer asked) and the answer goes to the age's question."""

import uuid
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.constants import START
from langgraph.graph import StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict):
    """The graph state."""

    age: str | None
    name: str | None


def human_node(state: State):
    if not state.get("name"):
        name = interrupt("what is your name?")
    else:
        name = "N/A"

    if not state.get("age"):
        age = interrupt("what is your age?")
    else:
        age = "N/A"

    return {
        "age": age,
        "name": name,
    }


builder = StateGraph(State)
builder.add_node("human_node", human_node)
builder.add_edge(START, "human_node")

# A checkpointer must be enabled for interrupts to work!
checkpointer = InMemorySaver()
graph = builder.compile(checkpointer=checkpointer)


def plain(chunk):
    return {k: [i.value for i in v] if k == "__interrupt__" else v for k, v in chunk.items()}


def main():
    config = {"configurable": {"thread_id": uuid.uuid4()}}
    out = [[plain(c) for c in graph.stream({"age": None, "name": None}, config)]]
    out.append(
        [plain(c) for c in graph.stream(Command(resume="John", update={"name": "foo"}), config)]
    )
    snap = graph.get_state(config)
    out.append((snap.values, snap.next))
    return out
