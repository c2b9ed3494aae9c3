"""The graph API how-to, use Pydantic models for graph state: a model state and a node's
dict update; invalid input raises before any node; nested models reach the node as model
instances and a model instance is a valid input; pydantic coerces "42" and "true" at the
input; a state whose messages are a plain List[AnyMessage] (no reducer), given as a model
instance and converted back. LangGraph keeps the input's raw "42" and "true" in its state
(only the node's model sees 42 and True) and returns them; graphstage keeps the validated
values and returns 42 and True."""

from typing import List  # noqa: UP035 - as the how-to writes it

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel

SEEN = []


# The overall state of the graph (this is the public state shared across nodes)
class OverallState(BaseModel):
    a: str


def node(state: OverallState):
    return {"a": "goodbye"}


builder = StateGraph(OverallState)
builder.add_node(node)
builder.add_edge(START, "node")
builder.add_edge("node", END)
graph = builder.compile()


class NestedModel(BaseModel):
    value: str


class ComplexState(BaseModel):
    text: str
    count: int
    nested: NestedModel


def process_node(state: ComplexState):
    # Node receives a validated Pydantic object
    SEEN.append((type(state).__name__, type(state.nested).__name__))
    # Return a dictionary update
    return {"text": state.text + " processed", "count": state.count + 1}


complex_builder = StateGraph(ComplexState)
complex_builder.add_node("process", process_node)
complex_builder.add_edge(START, "process")
complex_builder.add_edge("process", END)
complex_graph = complex_builder.compile()


class CoercionExample(BaseModel):
    # Pydantic will coerce string numbers to integers
    number: int
    # Pydantic will parse string booleans to bool
    flag: bool


def inspect_node(state: CoercionExample):
    SEEN.append((state.number, type(state.number).__name__, state.flag))
    return {}


coercion_builder = StateGraph(CoercionExample)
coercion_builder.add_node("inspect", inspect_node)
coercion_builder.add_edge(START, "inspect")
coercion_builder.add_edge("inspect", END)
coercion_graph = coercion_builder.compile()


class ChatState(BaseModel):
    messages: List[AnyMessage]  # noqa: UP006 - as the how-to writes it
    context: str


def add_message(state: ChatState):
    return {"messages": [*state.messages, AIMessage(content="Hello there!")]}


chat_builder = StateGraph(ChatState)
chat_builder.add_node("add_message", add_message)
chat_builder.add_edge(START, "add_message")
chat_builder.add_edge("add_message", END)
chat_graph = chat_builder.compile()


DIFFERS = "a pydantic state keeps its input as validated (coerced) values"


def check_difference(langgraph_result, graphstage_result):
    assert langgraph_result[4] == {"flag": "true", "number": "42"}
    assert graphstage_result[4] == {"flag": True, "number": 42}
    assert graphstage_result[:4] == langgraph_result[:4]
    assert graphstage_result[5:] == langgraph_result[5:]


def main():
    out = [graph.invoke({"a": "hello"})]
    try:
        graph.invoke({"a": 123})  # Should be a string
    except Exception as e:
        out.append(("raised", type(e).__name__))
    input_state = ComplexState(text="hello", count=0, nested=NestedModel(value="test"))
    result = complex_graph.invoke(input_state)
    out.append(result)
    out.append(ComplexState(**result))
    out.append(coercion_graph.invoke({"number": "42", "flag": "true"}))
    try:
        coercion_graph.invoke({"number": "not-a-number", "flag": "true"})
    except Exception as e:
        out.append(("raised", type(e).__name__))
    initial_state = ChatState(
        messages=[HumanMessage(content="Hi")], context="Customer support chat"
    )
    result = chat_graph.invoke(initial_state)
    output_model = ChatState(**result)
    out.append([(type(m).__name__, m.content) for m in output_model.messages])
    out.append(SEEN)
    return out
