"""From LangGraph's test_state.py (test_state_schema_optional_values with total=True and
total=False, test_state_schema_default_values with and without kw_only) and test_pregel.py
(test_context_json_schema): get_input_jsonschema / get_output_jsonschema of a graph with
TypedDict input and output schemas (Required / NotRequired, a reducer field, a parent
TypedDict's keys) list the required and optional properties as LangGraph does; a dataclass
state's defaults make its fields optional; get_context_jsonschema gives the context schema's."""

import operator
from dataclasses import dataclass, field
from typing import Annotated, NotRequired, Required

from langgraph.graph import StateGraph
from typing_extensions import TypedDict


class SomeParentState(TypedDict):
    val0a: str
    val0b: str | None


def typed_dicts(total):
    class InputState(SomeParentState, total=total):
        val1: str
        val2: str | None
        val3: Required[Annotated[dict, operator.or_]]
        val4: NotRequired[dict]
        val5: Annotated[Required[str], "foo"]
        val6: Annotated[NotRequired[str], "bar"]

    class OutputState(SomeParentState, total=total):
        out_val1: str
        out_val2: str | None
        out_val3: Required[str]
        out_val4: NotRequired[dict]
        out_val5: Annotated[Required[str], "foo"]
        out_val6: Annotated[NotRequired[str], "bar"]

    class State(InputState):
        val4: dict

    return State, InputState, OutputState


def dataclass_state(kw_only):
    @dataclass(kw_only=kw_only)
    class InputState:
        val1: str
        val2: int | None
        val3: Annotated[float | None, "optional annotated"]
        val4: str | None = None
        val5: list[int] = field(default_factory=lambda: [1, 2, 3])
        val6: dict[str, int] = field(default_factory=lambda: {"a": 1})
        val7: str = field(default=...)
        val8: Annotated[int, "some metadata"] = 42
        val9: Annotated[str, "more metadata"] = field(default="some foo")
        val10: str = "default"
        val11: Annotated[list[str], "annotated list"] = field(default_factory=lambda: ["a", "b"])

    return InputState


class Context(TypedDict):
    user_id: str
    mode: NotRequired[str]


def keys(schema):
    return (sorted(schema.get("required", [])), sorted(schema["properties"]))


def main():
    out = []
    for total in (True, False):
        state, input_schema, output_schema = typed_dicts(total)
        builder = StateGraph(state, input_schema=input_schema, output_schema=output_schema)
        builder.add_node("n", lambda x: x)
        builder.add_edge("__start__", "n")
        graph = builder.compile()
        out.append(keys(graph.get_input_jsonschema()))
        out.append(keys(graph.get_output_jsonschema()))
    for kw_only in (False, True):
        builder = StateGraph(dataclass_state(kw_only))
        builder.add_node("n", lambda x: x)
        builder.add_edge("__start__", "n")
        graph = builder.compile()
        out.append([keys(graph.get_input_jsonschema()), keys(graph.get_output_jsonschema())])
    builder = StateGraph(SomeParentState, context_schema=Context)
    builder.add_node("n", lambda x: x).add_edge("__start__", "n")
    out.append(builder.compile().get_context_jsonschema())
    out.append(
        StateGraph(SomeParentState)
        .add_node("n", lambda x: x)
        .add_edge("__start__", "n")
        .compile()
        .get_context_jsonschema()
    )
    return out
