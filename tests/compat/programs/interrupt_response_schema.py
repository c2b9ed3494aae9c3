"""interrupt(value, response_schema=...) (LangGraph 1.2's types.interrupt, its docstring and
langgraph.errors.is_invalid_resume): a pydantic model schema is surfaced as JSON Schema on the
Interrupt, and the answer comes back validated as a model instance; a JSON Schema dict is
shown as given and the answer is not checked; an answer that does not fit the model raises
pydantic's ValidationError (is_invalid_resume tells it apart) and nothing is saved, so the
question can be answered again."""

from typing import Any, Literal

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import is_invalid_resume
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from pydantic import BaseModel, ValidationError
from typing_extensions import TypedDict


class Decision(BaseModel):
    action: Literal["approve", "reject"]
    note: str = ""


class State(TypedDict, total=False):
    draft: str
    outcome: str
    rating: Any


def review(state: State):
    decision = interrupt({"draft": state["draft"]}, response_schema=Decision)
    return {"outcome": f"{decision.action}:{decision.note}:{type(decision).__name__}"}


def rate(state: State):
    rating = interrupt("rate 1-5", response_schema={"type": "integer"})
    return {"rating": rating}


graph = (
    StateGraph(State)
    .add_node("review", review)
    .add_node("rate", rate)
    .add_edge(START, "review")
    .add_edge("review", "rate")
    .compile(checkpointer=InMemorySaver())
)


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    first = graph.invoke({"draft": "hello"}, config)
    question = first["__interrupt__"][0]
    out.append((question.value, question.response_schema))
    try:
        graph.invoke(Command(resume={"action": "maybe"}), config)
    except ValidationError as exc:
        out.append(("invalid", is_invalid_resume(exc), exc.error_count()))
    out.append(is_invalid_resume(ValueError("x")))
    state = graph.get_state(config)
    out.append((state.next, [t.interrupts[0].value for t in state.tasks if t.interrupts]))
    second = graph.invoke(Command(resume={"action": "approve", "note": "ok"}), config)
    out.append((second["outcome"], second["__interrupt__"][0].response_schema))
    out.append(graph.invoke(Command(resume="not checked"), config))
    return out
