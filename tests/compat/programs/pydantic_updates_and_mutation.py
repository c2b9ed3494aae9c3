"""From LangGraph's test_pregel.py (test_pydantic_none_state_update,
test_pydantic_state_update_command, test_pydantic_state_mutation,
test_pydantic_state_mutation_command): a pydantic state whose node returns a model
instance (a field set to None is written), the same inside Command(update=...), a field set
explicitly among defaults, and a node that mutates its input (a nested model too) and returns
it, or returns it in a Command; with a default and with a default_factory."""

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from pydantic import BaseModel, Field


class Optional(BaseModel):
    foo: str | None


class Pair(BaseModel):
    foo: str | None = None
    bar: str | None = None


class Inner(BaseModel):
    a: int = 0


class WithDefault(BaseModel):
    inner: Inner = Inner()
    outer: int = 0


class WithFactory(BaseModel):
    inner: Inner = Field(default_factory=Inner)
    outer: int = 0


def none_update(state: Optional):
    return Optional(foo=None)


def none_in_command(state: Optional):
    return Command(update=Optional(foo=None))


def set_foo(state: Pair):
    return Pair(foo="foo")


def set_bar(state: Pair):
    return Command(update=Pair(bar="bar"))


def mutate(state):
    state.inner.a = 5
    state.outer = 10
    return state


def mutate_in_command(state):
    state.inner.a = 5
    state.outer = 10
    return Command(update=state)


def one_node(schema, fn):
    return StateGraph(schema).add_node("node", fn).add_edge(START, "node").compile()


def main():
    out = [one_node(Optional, none_update).invoke({"foo": ""})]
    out.append(one_node(Optional, none_in_command).invoke({"foo": ""}))
    builder = StateGraph(Pair)
    builder.add_node(set_foo)
    builder.add_node(set_bar)
    builder.add_edge(START, "set_foo")
    builder.add_edge("set_foo", "set_bar")
    builder.add_edge("set_bar", END)
    out.append(builder.compile().invoke(Pair()))
    for schema in (WithDefault, WithFactory):
        for fn in (mutate, mutate_in_command):
            out.append(one_node(schema, fn).invoke({"outer": 1}))
    out.append(WithDefault().inner)  # the class default was not changed by a node
    return out
