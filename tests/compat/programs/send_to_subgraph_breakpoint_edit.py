"""From LangGraph's test_large_cases.py (test_send_to_nested_graphs,
test_subgraph_to_end_does_not_warn): a conditional edge Sends each subject to a subgraph node
(its own input schema, the parent's state as output schema) compiled with
interrupt_before=["generate"]: the run pauses inside both Sends with no joke yet; get_state's
tasks name each subgraph's checkpoints, update_state on the second one's config edits that
subgraph's subject, and the continuation streams both jokes, one on the edited subject. A
subgraph node whose node returns Command(goto=END, update=...) ends the subgraph normally."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send
from typing_extensions import TypedDict


class OverallState(TypedDict):
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]


def continue_to_jokes(state: OverallState):
    return [Send("generate_joke", {"subject": s}) for s in state["subjects"]]


class JokeState(TypedDict):
    subject: str


def edit(state: JokeState):
    return {"subject": f"{state['subject']} - hohoho"}


subgraph = StateGraph(JokeState, output_schema=OverallState)
subgraph.add_node("edit", edit)
subgraph.add_node("generate", lambda state: {"jokes": [f"Joke about {state['subject']}"]})
subgraph.set_entry_point("edit")
subgraph.add_edge("edit", "generate")
subgraph.set_finish_point("generate")

builder = StateGraph(OverallState)
builder.add_node("generate_joke", subgraph.compile(interrupt_before=["generate"]))
builder.add_conditional_edges(START, continue_to_jokes)
builder.add_edge("generate_joke", END)
graph = builder.compile(checkpointer=InMemorySaver())


class X(TypedDict):
    x: str


def update_x(state: X):
    return Command(goto=END, update={"x": state["x"] + "!"})


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [graph.invoke({"subjects": ["cats", "dogs"]}, config=config)]
    outer_state = graph.get_state(config)
    out.append((outer_state.next, [t.name for t in outer_state.tasks]))
    inner = [graph.get_state(t.state) for t in outer_state.tasks]
    out.append(sorted((s.values["subject"], s.next) for s in inner))
    dogs = next(t for t, s in zip(outer_state.tasks, inner, strict=True) if "dogs" in str(s.values))
    graph.update_state(dogs.state, {"subject": "turtles - hohoho"})
    chunks = list(graph.stream(None, config=config))
    out.append(sorted(chunks, key=lambda d: d["generate_joke"]["jokes"][0]))
    out.append(sorted(graph.get_state(config).values["jokes"]))

    sub = StateGraph(X).add_node("update_x", update_x).add_edge(START, "update_x")
    sub = sub.add_edge("update_x", END).compile()
    parent = StateGraph(X).add_node("subgraph_node", sub).add_edge(START, "subgraph_node")
    out.append(parent.add_edge("subgraph_node", END).compile().invoke({"x": "hello"}))
    return out
