"""LangGraph's memory concepts page, "Memory storage": the page's store
(InMemoryStore(index={"embed": embed, "dims": 2}) with its own two-dimensional embed
function, a memory with "rules" and "my-key", store.search(namespace, filter={"my-key":
"my-value"}, query="language preferences")), then an async node reading it by meaning
through runtime.store.asearch with the user from the runtime context, and saving a new
memory with aput (an async embed function on a second store with "fields")."""

from dataclasses import dataclass

from langgraph.graph import START, StateGraph
from langgraph.runtime import Runtime
from langgraph.store.memory import InMemoryStore
from typing_extensions import TypedDict


def embed(texts: list[str]) -> list[list[float]]:
    # Replace with an actual embedding function or LangChain embeddings object
    return [[1.0, 2.0] * len(texts)]


# InMemoryStore saves data to an in-memory dictionary. Use a DB-backed store in production use.
store = InMemoryStore(index={"embed": embed, "dims": 2})
user_id = "my-user"
application_context = "chitchat"
namespace = (user_id, application_context)
store.put(
    namespace,
    "a-memory",
    {
        "rules": [
            "User likes short, direct language",
            "User only speaks English & python",
        ],
        "my-key": "my-value",
    },
)


async def aembed(texts: list[str]) -> list[list[float]]:
    return [[float(len(t)), float(t.count("e")), float(t.count(" ")) + 1.0] for t in texts]


memories = InMemoryStore(index={"embed": aembed, "dims": 3, "fields": ["rules[*]", "note"]})


@dataclass
class Context:
    user_id: str


class State(TypedDict):
    question: str
    answer: list


async def recall(state: State, runtime: Runtime[Context]):
    ns = (runtime.context.user_id, "rules")
    found = await runtime.store.asearch(ns, query=state["question"], limit=2)
    await runtime.store.aput(ns, f"q{len(found)}", {"note": state["question"]})
    return {"answer": [(i.key, i.score and round(i.score, 9)) for i in found]}


builder = StateGraph(State, context_schema=Context)
builder.add_node("recall", recall)
builder.add_edge(START, "recall")
graph = builder.compile(store=memories)


async def main():
    # get the "memory" by ID
    item = store.get(namespace, "a-memory")
    # search for "memories" within this namespace, filtering on content equivalence,
    # sorted by vector similarity
    items = store.search(namespace, filter={"my-key": "my-value"}, query="language preferences")
    out = [item.value, [(i.key, round(i.score, 9)) for i in items]]
    await memories.aput(
        ("ann", "rules"), "style", {"rules": ["be brief", "answer in English please"]}
    )
    await memories.aput(("ann", "rules"), "raw", {"rules": ["never"]}, index=False)
    for question in ("be brief", "please answer in English", "what else"):
        result = await graph.ainvoke({"question": question}, context=Context("ann"))
        out.append(result["answer"])
    found = await memories.asearch(("ann",), query="brief note", limit=10)
    out.append([(i.key, None if i.score is None else round(i.score, 9)) for i in found])
    return out
