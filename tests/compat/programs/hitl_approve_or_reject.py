"""Human in the loop: approve or reject; the answer routes with Command(goto=...), and the
stream shows the question under "__interrupt__" (LangGraph's how-to)."""

import operator
from typing import Annotated, Literal

from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


def approval(state) -> Command[Literal["approved", "rejected"]]:
    ok = interrupt({"question": "approve?", "log": state["log"]})
    return Command(goto="approved" if ok else "rejected")


builder = StateGraph(State)
builder.add_node("approval", approval)
builder.add_node("approved", lambda state: {"log": ["approved"]})
builder.add_node("rejected", lambda state: {"log": ["rejected"]})
builder.add_edge(START, "approval")
builder.add_edge("approved", END)
builder.add_edge("rejected", END)
graph = builder.compile(checkpointer=MemorySaver())


def plain(value):
    """Interrupts as ("interrupt", value): their ids differ by design (each engine hashes
    its own namespace)."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", plain(value.value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


async def main():
    out = []
    for thread, answer in (("yes", True), ("no", False)):
        config = {"configurable": {"thread_id": thread}}
        out.append([c async for c in graph.astream({"log": ["draft"]}, config)])
        out.append([c async for c in graph.astream(Command(resume=answer), config)])
        out.append((await graph.aget_state(config)).values)
    return plain(out)
