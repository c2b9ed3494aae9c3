"""Add memory, summarize messages: a MessagesState subclass with a summary key; after the
model answers, a conditional edge sends long conversations to summarize_conversation,
which extends the summary and deletes all but the two latest messages (RemoveMessage)."""

from typing import Literal

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

model = GenericFakeChatModel(
    messages=iter(
        [
            AIMessage("Hi Bob!"),
            AIMessage("Cats purr."),
            AIMessage("Bob asked for a cat poem."),
            AIMessage("Dogs bark."),
            AIMessage("Bob asked for cat and dog poems."),
            AIMessage("You're welcome."),
            AIMessage("Bob said thanks."),
        ]
    )
)


class State(MessagesState):
    summary: str


def call_model(state: State):
    summary = state.get("summary", "")
    messages = state["messages"]
    if summary:
        messages = [HumanMessage(f"Summary of the conversation earlier: {summary}"), *messages]
    response = model.invoke(messages)
    return {"messages": [response]}


def should_continue(state: State) -> Literal["summarize_conversation", "__end__"]:
    if len(state["messages"]) > 3:
        return "summarize_conversation"
    return END


def summarize_conversation(state: State):
    # First, we get any existing summary
    summary = state.get("summary", "")

    # Create our summarization prompt
    if summary:
        # A summary already exists
        summary_message = (
            f"This is a summary of the conversation to date: {summary}\n\n"
            "Extend the summary by taking into account the new messages above:"
        )
    else:
        summary_message = "Create a summary of the conversation above:"

    # Add prompt to our history
    messages = state["messages"] + [HumanMessage(content=summary_message)]
    response = model.invoke(messages)

    # Delete all but the 2 most recent messages
    delete_messages = [RemoveMessage(id=m.id) for m in state["messages"][:-2]]
    return {"summary": response.content, "messages": delete_messages}


builder = StateGraph(State)
builder.add_node(call_model)
builder.add_node(summarize_conversation)
builder.add_edge(START, "call_model")
builder.add_conditional_edges("call_model", should_continue)
builder.add_edge("summarize_conversation", END)
graph = builder.compile(checkpointer=InMemorySaver())


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = []
    for text in ("hi, my name is bob", "write a short poem about cats", "now do dogs"):
        result = graph.invoke({"messages": text}, config)
        out.append((result.get("summary"), [m.content for m in result["messages"]]))
    out.append(list(graph.stream({"messages": "thanks"}, config, stream_mode="updates")))
    return out
