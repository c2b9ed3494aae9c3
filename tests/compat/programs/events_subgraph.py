"""astream_events through a subgraph (the subgraphs page's shared-state subgraph added as
a node): the subgraph's own graph run inside the parent's node, its nodes' events with
``langgraph_checkpoint_ns`` naming the path ``parent_node|child_node``, and a model
called inside the subgraph, its tokens tagged with the subgraph's node."""

from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph


class State(TypedDict):
    foo: str


model = GenericFakeChatModel(messages=iter([AIMessage("sub reply")]))


async def subgraph_node_1(state: State):
    reply = await model.ainvoke(state["foo"])
    return {"foo": state["foo"] + " " + reply.content}


subgraph_builder = StateGraph(State)
subgraph_builder.add_node(subgraph_node_1)
subgraph_builder.add_edge(START, "subgraph_node_1")
subgraph = subgraph_builder.compile()


def node_1(state: State):
    return {"foo": "hi! " + state["foo"]}


builder = StateGraph(State)
builder.add_node("node_1", node_1)
builder.add_node("node_2", subgraph)
builder.add_edge(START, "node_1")
builder.add_edge("node_1", "node_2")
graph = builder.compile()


def ns(meta):
    path = meta.get("langgraph_checkpoint_ns", "")
    return "|".join(part.split(":")[0] for part in path.split("|")) if path else ""


async def main():
    out = []
    async for e in graph.astream_events({"foo": "foo"}, version="v2"):
        meta = e["metadata"]
        if e["event"] == "on_chat_model_stream":
            out.append(("token", e["data"]["chunk"].content, meta["langgraph_node"], ns(meta)))
        else:
            out.append((e["event"], e["name"], e["tags"], ns(meta), len(e["parent_ids"])))
    return out
