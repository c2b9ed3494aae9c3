"""LangGraph's persistence how-to, memory store: a node saves a memory for the user
(store: BaseStore, the user id from the config), another reads every memory of that user;
a second thread of the same user sees the first thread's memories."""

import uuid

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore


def update_memory(state: MessagesState, config: RunnableConfig, *, store: BaseStore):
    user_id = config["configurable"]["user_id"]
    namespace = (user_id, "memories")
    memory_id = str(uuid.uuid4())
    store.put(namespace, memory_id, {"memory": state["messages"][-1].content})
    return {}


def call_model(state: MessagesState, config: RunnableConfig, *, store: BaseStore):
    user_id = config["configurable"]["user_id"]
    memories = store.search((user_id, "memories"))
    info = "; ".join(m.value["memory"] for m in memories)
    return {"messages": [AIMessage(f"I remember: {info}")]}


builder = StateGraph(MessagesState)
builder.add_node("update_memory", update_memory)
builder.add_node("call_model", call_model)
builder.add_edge(START, "update_memory")
builder.add_edge("update_memory", "call_model")
in_memory_store = InMemoryStore()
graph = builder.compile(checkpointer=InMemorySaver(), store=in_memory_store)


async def main():
    out = []
    for thread, text in (("1", "I like pizza"), ("2", "I like jazz")):
        config = {"configurable": {"thread_id": thread, "user_id": "ann"}}
        result = await graph.ainvoke({"messages": [("user", text)]}, config)
        out.append(result["messages"][-1].content)
    other = {"configurable": {"thread_id": "3", "user_id": "bob"}}
    out.append((await graph.ainvoke({"messages": [("user", "hi")]}, other))["messages"][-1].content)
    out.append([m.dict()["value"] for m in in_memory_store.search(("ann", "memories"))])
    out.append(in_memory_store.list_namespaces())
    return out
