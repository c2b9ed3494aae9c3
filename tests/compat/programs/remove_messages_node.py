"""A node trims the history with RemoveMessage (the docs' delete-messages how-to)."""

from langchain_core.messages import AIMessage, RemoveMessage
from langgraph.graph import END, START, MessagesState, StateGraph


def chat(state: MessagesState):
    return {"messages": [AIMessage(f"reply {len(state['messages'])}")]}


def trim(state: MessagesState):
    return {"messages": [RemoveMessage(id=m.id) for m in state["messages"][:-2]]}


builder = StateGraph(MessagesState)
builder.add_node("chat", chat)
builder.add_node("trim", trim)
builder.add_edge(START, "chat")
builder.add_edge("chat", "trim")
builder.add_edge("trim", END)
graph = builder.compile()


async def main():
    out = await graph.ainvoke({"messages": [("user", "a"), ("ai", "b"), ("user", "c")]})
    return [(type(m).__name__, m.content) for m in out["messages"]]
