"""From LangGraph's test_subgraph_persistence.py (test_stateless_interrupt_resume,
test_stateless_state_resets_with_interrupt, test_checkpointer_false_no_persistence,
test_stateful_state_accumulates_with_interrupt): a graph a node invokes itself
(inner.invoke(...) inside the node), compiled with the default checkpointer=None (stateless:
it can pause and resume, but starts afresh on each parent invocation), with
checkpointer=False (no persistence), or wrapped in a graph compiled with checkpointer=True
(stateful: its messages accumulate across the parent's invocations on one thread)."""

from uuid import uuid4

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import MessagesState
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class ParentState(TypedDict):
    result: str


def process(state: MessagesState) -> dict:
    interrupt("continue?")
    return {"messages": [AIMessage(content=f"Processing: {state['messages'][-1].text}")]}


def respond(state: MessagesState) -> dict:
    return {"messages": [AIMessage(content="Done")]}


def echo(state: MessagesState) -> dict:
    return {"messages": [AIMessage(content=f"Processed: {state['messages'][-1].text}")]}


def asking(**compile_kwargs):
    return (
        StateGraph(MessagesState)
        .add_node("process", process)
        .add_node("respond", respond)
        .add_edge(START, "process")
        .add_edge("process", "respond")
        .compile(**compile_kwargs)
    )


def parent_of(inner, seen):
    topics = ["apples", "bananas"]

    def call_inner(state: ParentState) -> dict:
        topic = topics[min(len(seen), 1)]
        resp = inner.invoke({"messages": [HumanMessage(content=f"tell me about {topic}")]})
        seen.append([m.text for m in resp["messages"]])
        return {"result": resp["messages"][-1].text}

    return (
        StateGraph(ParentState)
        .add_node("call_inner", call_inner)
        .add_edge(START, "call_inner")
        .compile(checkpointer=InMemorySaver())
    )


def questions(result):
    return {**result, "__interrupt__": [i.value for i in result.get("__interrupt__", [])]}


def twice_with_answers(parent):
    config = {"configurable": {"thread_id": str(uuid4())}}
    out = []
    for _ in range(2):
        out.append(questions(parent.invoke({"result": ""}, config)))
        out.append(questions(parent.invoke(Command(resume=True), config)))
    return out


def main():
    out = []
    seen = []
    out.append(twice_with_answers(parent_of(asking(), seen)))
    out.append(seen)

    seen = []
    no_persistence = (
        StateGraph(MessagesState)
        .add_node("echo", echo)
        .add_edge(START, "echo")
        .compile(checkpointer=False)
    )
    parent = parent_of(no_persistence, seen)
    config = {"configurable": {"thread_id": str(uuid4())}}
    out.append([parent.invoke({"result": ""}, config) for _ in range(2)])
    out.append(seen)

    seen = []
    wrapper = (
        StateGraph(MessagesState)
        .add_node("agent", asking())
        .add_edge(START, "agent")
        .compile(checkpointer=True)
    )
    out.append(twice_with_answers(parent_of(wrapper, seen)))
    out.append(seen)
    return out
