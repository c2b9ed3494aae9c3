"""astream_events v2 in full, as the streaming concepts page describes it: the graph's
``on_chain_start``/``on_chain_stream``/``on_chain_end``, each node's (named after it,
tagged ``graph:step:N``, with ``langgraph_*`` metadata), a conditional edge's path function
run inside its node, and a model called by a node: every event's type, name, tags,
metadata (task ids cut off the checkpoint namespaces), depth and data, in order."""

import operator
from typing import Annotated, TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    topic: str
    log: Annotated[list, operator.add]


def shape(event):
    meta = dict(event["metadata"])
    for key in ("langgraph_checkpoint_ns", "checkpoint_ns"):
        if key in meta:
            meta[key] = "|".join(part.split(":")[0] for part in meta[key].split("|"))
    meta.pop("lc_versions", None)
    return (
        event["event"],
        event["name"],
        event["tags"],
        meta,
        len(event["parent_ids"]),
        event["data"],
    )


model = GenericFakeChatModel(messages=iter([AIMessage("two words")]))


async def write(state: State):
    reply = await model.ainvoke(f"write about {state['topic']}")
    return {"log": [reply.content]}


def review(state: State):
    return {"log": ["reviewed"]}


def route(state: State):
    return "review" if len(state["log"]) < 2 else END


builder = StateGraph(State)
builder.add_node("write", write)
builder.add_node("review", review)
builder.add_edge(START, "write")
builder.add_conditional_edges("write", route, ["review", END])
builder.add_edge("review", END)
graph = builder.compile()


async def main():
    return [shape(e) async for e in graph.astream_events({"topic": "cats"}, version="v2")]
