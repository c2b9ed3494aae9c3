"""runtime.store and an async node using the store's a* methods (aput, aget, asearch with a
filter, adelete)."""

from dataclasses import dataclass

from langgraph.graph import START, StateGraph
from langgraph.runtime import Runtime
from langgraph.store.memory import InMemoryStore
from typing_extensions import TypedDict


@dataclass
class Context:
    user_id: str


class State(TypedDict):
    score: int
    best: list


async def record(state: State, runtime: Runtime[Context]):
    ns = ("scores", runtime.context.user_id)
    count = len(await runtime.store.asearch(ns, limit=100))
    await runtime.store.aput(ns, f"game{count}", {"score": state["score"]})
    return {}


async def best(state: State, runtime: Runtime[Context]):
    ns = ("scores", runtime.context.user_id)
    high = await runtime.store.asearch(ns, filter={"score": {"$gte": 10}}, limit=100)
    first = await runtime.store.aget(ns, "game0")
    await runtime.store.adelete(ns, "game0")
    return {"best": [i.value["score"] for i in high] + [first.value["score"]]}


builder = StateGraph(State, context_schema=Context)
builder.add_node("record", record)
builder.add_node("best", best)
builder.add_edge(START, "record")
builder.add_edge("record", "best")
store = InMemoryStore()
graph = builder.compile(store=store)


async def main():
    out = []
    for score in (5, 12, 30):
        out.append(await graph.ainvoke({"score": score}, context=Context("ann")))
    out.append(sorted(i.key for i in store.search(("scores", "ann"))))
    return out
