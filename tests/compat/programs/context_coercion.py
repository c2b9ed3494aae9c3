"""From LangGraph's test_runtime.py (test_context_coercion_dataclass, _pydantic, _typeddict,
_none, _errors, test_runtime_propogated_to_subgraph): invoke(context=...) with a dict is
coerced to the context_schema (a dataclass or a pydantic model, with their defaults; a
TypedDict stays a dict); an instance is used as given; no context gives runtime.context
None; a dict missing a required field or naming an unknown one raises TypeError; a
subgraph added as a node reads the parent's context through its own Runtime."""

from dataclasses import dataclass
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from pydantic import BaseModel
from typing_extensions import TypedDict


@dataclass
class DataContext:
    api_key: str
    timeout: int = 30


class ModelContext(BaseModel):
    api_key: str
    timeout: int = 30
    tags: list[str] = []


class DictContext(TypedDict):
    api_key: str
    timeout: int


class State(TypedDict):
    message: str


def describe(state: State, runtime: Runtime[Any]) -> dict[str, Any]:
    context = runtime.context
    if context is None:
        return {"message": "context is None"}
    if isinstance(context, dict):
        return {"message": f"dict: {context['api_key']}, {context['timeout']}"}
    return {"message": f"{type(context).__name__}: {context.api_key}, {context.timeout}"}


def build(context_schema):
    graph = StateGraph(state_schema=State, context_schema=context_schema)
    graph.add_node("node", describe)
    graph.add_edge(START, "node")
    graph.add_edge("node", END)
    return graph.compile()


@dataclass
class User:
    username: str


class Shared(TypedDict, total=False):
    subgraph: str
    main: str


def subgraph_node_1(state: Shared, runtime: Runtime[User]):
    return {"subgraph": f"{runtime.context.username}!"}


def main_node(state: Shared, runtime: Runtime[User]):
    return {"main": f"{runtime.context.username}!"}


def main():
    out = []
    data = build(DataContext)
    out.append(data.invoke({"message": "t"}, context={"api_key": "sk_1", "timeout": 60}))
    out.append(data.invoke({"message": "t"}, context={"api_key": "sk_2"}))
    out.append(data.invoke({"message": "t"}, context=DataContext(api_key="sk_3", timeout=90)))
    out.append(data.invoke({"message": "t"}, context=None))
    out.append(data.invoke({"message": "t"}))
    for bad in ({"timeout": 60}, {"api_key": "x", "invalid_field": "value"}):
        try:
            data.invoke({"message": "t"}, context=bad)
        except TypeError:
            out.append("TypeError")
    model = build(ModelContext)
    out.append(model.invoke({"message": "t"}, context={"api_key": "sk_4", "tags": ["prod"]}))
    out.append(model.invoke({"message": "t"}, context=ModelContext(api_key="sk_5")))
    out.append(build(DictContext).invoke({"message": "t"}, context={"api_key": "k", "timeout": 1}))

    sub = StateGraph(Shared, context_schema=User)
    sub.add_node(subgraph_node_1)
    sub.set_entry_point("subgraph_node_1")
    builder = StateGraph(Shared, context_schema=User)
    builder.add_node(main_node)
    builder.add_node("node_1", sub.compile())
    builder.set_entry_point("main_node")
    builder.add_edge("main_node", "node_1")
    out.append(builder.compile().invoke({}, context=User(username="Alice")))
    return out
