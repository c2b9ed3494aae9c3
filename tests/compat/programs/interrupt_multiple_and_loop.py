"""From LangGraph's test_pregel.py (test_interrupt_multiple with both resume styles,
test_interrupt_loop, test_interrupt_subgraph): a node asking two questions, answered by
value and by interrupt id, with Command(resume=..., update=...) writing an update first, the
stream in "updates" then "values" mode; a node asking again in a loop until the answer is
valid; a question asked inside a subgraph node answered from the parent."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    my_key: Annotated[str, operator.add]


def node(s: State) -> State:
    answer = interrupt({"value": 1})
    answer2 = interrupt({"value": 2})
    return {"my_key": answer + " " + answer2}


two = StateGraph(State).add_node("node", node).add_edge(START, "node")
two = two.compile(checkpointer=InMemorySaver())


class Age(TypedDict):
    age: int
    other: str


def ask_age(s: Age):
    question = "How old are you?"
    value = None
    for _ in range(10):
        value = interrupt(question)
        if not value.isdigit() or int(value) < 18:
            question = "invalid response"
            value = None
        else:
            break
    return {"age": int(value)}


loop = StateGraph(Age).add_node("node", ask_age).add_edge(START, "node")
loop = loop.compile(checkpointer=InMemorySaver())


class Baz(TypedDict):
    baz: str


def foo(state):
    return {"baz": "foo"}


def bar(state):
    value = interrupt("Please provide baz value:")
    return {"baz": value}


child = StateGraph(Baz)
child.add_node(bar)
child.add_edge(START, "bar")
parent = StateGraph(Baz)
parent.add_node(foo)
parent.add_node("bar", child.compile())
parent.add_edge(START, "foo")
parent.add_edge("foo", "bar")
nested = parent.compile(checkpointer=InMemorySaver())


def values(chunks):
    return [
        {k: [i.value for i in v] if k == "__interrupt__" else v for k, v in c.items()}
        for c in chunks
    ]


def main():
    out = []
    for style in ("null", "map"):
        thread = {"configurable": {"thread_id": style}}
        first = list(two.stream({"my_key": "DE"}, thread))
        out.append(values(first))
        asked = first[0]["__interrupt__"][0].id
        answer = "answer 1" if style == "null" else {asked: "answer 1"}
        second = list(two.stream(Command(resume=answer, update={"my_key": " foofoo "}), thread))
        out.append(values(second))
        asked = second[0]["__interrupt__"][0].id
        answer = "answer 2" if style == "null" else {asked: "answer 2"}
        out.append(list(two.stream(Command(resume=answer), thread, stream_mode="values")))
    thread = {"configurable": {"thread_id": "loop"}}
    out.append(values(loop.stream({"other": ""}, thread)))
    for answer in ("13", "15", "19"):
        out.append(values(loop.stream(Command(resume=answer), thread)))
    thread = {"configurable": {"thread_id": "nested"}}
    out.append(values([nested.invoke({"baz": ""}, thread)]))
    out.append(nested.invoke(Command(resume="bar"), thread))
    return out
