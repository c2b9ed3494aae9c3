"""add_messages called directly: append, replace by id, RemoveMessage, REMOVE_ALL_MESSAGES."""

from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES, add_messages


def main():
    base = [HumanMessage("hi", id="1"), AIMessage("hello", id="2")]
    appended = add_messages(base, [HumanMessage("more", id="3")])
    replaced = add_messages(appended, AIMessage("HELLO", id="2"))
    removed = add_messages(replaced, [RemoveMessage(id="1")])
    cleared = add_messages(removed, [RemoveMessage(id=REMOVE_ALL_MESSAGES), HumanMessage("new")])
    try:
        add_messages(base, [RemoveMessage(id="nope")])
        missing = "no error"
    except ValueError as exc:
        missing = str(exc)
    return appended, replaced, removed, [m.content for m in cleared], missing
