"""LangGraph's "Add memory" how-to, "Use semantic search" and its "Long-term memory with
semantic search" example: InMemoryStore(index={"embed": embeddings, "dims": ...}), memories
put before the graph runs, and a chat node (store: BaseStore) that searches them with the
user's last message as the query. A small bag-of-words Embeddings stands in for OpenAI's
embeddings, and a reply built from the memories for the chat model."""

import re
import zlib

from langchain_core.embeddings import Embeddings
from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore


class WordEmbeddings(Embeddings):
    def embed_documents(self, texts):
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text):
        vector = [0.0] * 64
        for word in re.findall("[a-z]{4,}", text.lower()):  # words, not "I" or "am"
            vector[zlib.crc32(word.encode()) % 64] += 1.0
        return vector


embeddings = WordEmbeddings()
store = InMemoryStore(
    index={
        "embed": embeddings,
        "dims": 64,
    }
)

store.put(("user_123", "memories"), "1", {"text": "I love pizza"})
store.put(("user_123", "memories"), "2", {"text": "I am a plumber"})
store.put(("user_123", "memories"), "3", {"text": "My sink is broken"})


def chat(state, *, store: BaseStore):
    # Search based on user's last message
    items = store.search(("user_123", "memories"), query=state["messages"][-1].content, limit=2)
    memories = "\n".join(item.value["text"] for item in items)
    memories = f"## Memories of user\n{memories}" if memories else ""
    return {"messages": [AIMessage(f"You are a helpful assistant.\n{memories}")]}


builder = StateGraph(MessagesState)
builder.add_node(chat)
builder.add_edge(START, "chat")
graph = builder.compile(store=store)


def main():
    out = []
    for question in ("I'm hungry, pizza please", "my sink leaks, call a plumber"):
        chunks = list(
            graph.stream(
                input={"messages": [{"role": "user", "content": question}]},
                stream_mode="messages",
            )
        )
        out.append([message.content for message, metadata in chunks])
    items = store.search(("user_123", "memories"), query="I'm hungry", limit=1)
    out.append([(item.key, round(item.score, 9)) for item in items])
    return out
