"""Add memory, delete messages: add_sequence([call_model, delete_messages]) where the
second node removes the two earliest messages with RemoveMessage; two turns on a thread,
streamed as values (the how-to prints (type, content) pairs); then REMOVE_ALL_MESSAGES."""

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, RemoveMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.message import REMOVE_ALL_MESSAGES

model = GenericFakeChatModel(messages=iter([AIMessage("Hi Bob!"), AIMessage("You're Bob.")]))


def delete_messages(state):
    messages = state["messages"]
    if len(messages) > 2:
        # remove the earliest two messages
        return {"messages": [RemoveMessage(id=m.id) for m in messages[:2]]}


def call_model(state: MessagesState):
    response = model.invoke(state["messages"])
    return {"messages": response}


builder = StateGraph(MessagesState)
builder.add_sequence([call_model, delete_messages])
builder.add_edge(START, "call_model")

checkpointer = InMemorySaver()
app = builder.compile(checkpointer=checkpointer)


def delete_all(state):
    return {"messages": [RemoveMessage(id=REMOVE_ALL_MESSAGES)]}


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = []
    for text in ("hi! I'm bob", "what's my name?"):
        for event in app.stream(
            {"messages": [{"role": "user", "content": text}]}, config, stream_mode="values"
        ):
            out.append([(message.type, message.content) for message in event["messages"]])
    wipe = StateGraph(MessagesState).add_node(delete_all).add_edge(START, "delete_all").compile()
    out.append(wipe.invoke({"messages": [("user", "a"), ("ai", "b")]}))
    return out
