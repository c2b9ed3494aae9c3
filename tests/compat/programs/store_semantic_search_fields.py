"""LangGraph's persistence concepts page, "Semantic Search" and "Using in LangGraph": a store
indexing ["food_preference", "$"], a memory put with index=["food_preference"] (only that
field embedded), one with index=False (found, never scored), a natural-language
store.search(namespace, query=..., limit=3), and the page's call_model node reading the
user id from the config and searching the memories by the last message. A sync embedding
function (a list of texts in, a list of vectors out) stands in for OpenAI's."""

import uuid
import zlib

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore


def embed_texts(texts: list[str]) -> list[list[float]]:
    vectors = []
    for text in texts:
        vector = [0.0] * 24
        for word in text.lower().replace('"', " ").replace(":", " ").split():
            vector[zlib.crc32(word.strip(".,!?{}").encode()) % 24] += 1.0
        vectors.append(vector)
    return vectors


in_memory_store = InMemoryStore(
    index={
        "embed": embed_texts,  # Embedding provider
        "dims": 24,  # Embedding dimensions
        "fields": ["food_preference", "$"],  # Fields to embed
    }
)
user_id = "1"
namespace_for_memory = (user_id, "memories")
in_memory_store.put(namespace_for_memory, str(uuid.uuid4()), {"food_preference": "I like pizza"})
in_memory_store.put(
    namespace_for_memory,
    str(uuid.uuid4()),
    {"food_preference": "I love Italian cuisine", "context": "Discussing dinner plans"},
    index=["food_preference"],  # Only embed "food_preferences" field
)
in_memory_store.put(
    namespace_for_memory,
    str(uuid.uuid4()),
    {"system_info": "Last updated: 2024-01-01"},
    index=False,
)
in_memory_store.put(namespace_for_memory, str(uuid.uuid4()), {"hobby": "I like to eat outside"})


def call_model(state: MessagesState, config: RunnableConfig, *, store: BaseStore):
    user_id = config["configurable"]["user_id"]
    namespace = (user_id, "memories")
    memories = store.search(namespace, query=state["messages"][-1].content, limit=3)
    info = "\n".join(str(d.value) for d in memories)
    return {"messages": [AIMessage(f"User info:\n{info}")]}


builder = StateGraph(MessagesState)
builder.add_node("call_model", call_model)
builder.add_edge(START, "call_model")
graph = builder.compile(checkpointer=InMemorySaver(), store=in_memory_store)


def main():
    memories = in_memory_store.search(
        namespace_for_memory,
        query="What does the user like to eat?",
        limit=3,  # Return top 3 matches
    )
    out = [[(m.value, None if m.score is None else round(m.score, 9)) for m in memories]]
    config = {"configurable": {"thread_id": "1", "user_id": user_id}}
    for update in graph.stream(
        {"messages": [{"role": "user", "content": "what food do I like"}]},
        config,
        stream_mode="updates",
    ):
        out.append(update["call_model"]["messages"][-1].content)
    everything = in_memory_store.search(namespace_for_memory, query="dinner", limit=10)
    out.append([None if m.score is None else round(m.score, 9) for m in everything])
    return out
