"""The persistence concepts page, memory store basic usage: put a memory under a (user id,
"memories") namespace, search it back (the Item's dict: value, key, namespace, timestamps),
get it by key, and a graph node reading the store for the user named in its config."""

import uuid

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore

in_memory_store = InMemoryStore()


def call_model(state: MessagesState, config: RunnableConfig, *, store: BaseStore):
    # Get the user id from the config
    user_id = config["configurable"]["user_id"]

    # Namespace the memory
    namespace = (user_id, "memories")

    # Search based on the most recent message
    memories = store.search(namespace, query=state["messages"][-1].content, limit=3)
    info = "\n".join([d.value["food_preference"] for d in memories])
    return {"messages": [("ai", f"You told me: {info}")]}


builder = StateGraph(MessagesState)
builder.add_node(call_model)
builder.add_edge(START, "call_model")
graph = builder.compile(checkpointer=InMemorySaver(), store=in_memory_store)


def main():
    user_id = "1"
    namespace_for_memory = (user_id, "memories")
    memory_id = str(uuid.uuid4())
    memory = {"food_preference": "I like pizza"}
    in_memory_store.put(namespace_for_memory, memory_id, memory)
    memories = in_memory_store.search(namespace_for_memory)
    item = memories[-1].dict()
    out = [
        sorted(item),
        item["value"],
        item["key"] == memory_id,
        item["namespace"],
        item["created_at"] <= item["updated_at"],
        memories[-1].score,
    ]
    got = in_memory_store.get(namespace_for_memory, memory_id)
    out.append((got.value, got.key == memory_id, got.namespace))
    config = {"configurable": {"thread_id": "1", "user_id": "1"}}
    out.append(graph.invoke({"messages": [("user", "what do I like?")]}, config)["messages"])
    return out
