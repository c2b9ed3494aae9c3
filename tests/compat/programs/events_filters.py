"""astream_events' filters, as the streaming page's "filter by LLM invocation" does with
tags: two models tagged with ``with_config(tags=[...])``, the events of one picked by
``include_tags``; only chat-model events (``include_types``); a node by name
(``include_names``), and the graph run minus a node (``exclude_names``); run tags and
metadata from the config on every event."""

from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph


class State(TypedDict):
    topic: str
    joke: str
    poem: str


def build():
    joke_model = GenericFakeChatModel(messages=iter([AIMessage("a joke")])).with_config(
        tags=["joke"]
    )
    poem_model = GenericFakeChatModel(messages=iter([AIMessage("a poem")])).with_config(
        tags=["poem"]
    )

    async def call_model(state: State):
        joke = await joke_model.ainvoke(f"Write a joke about {state['topic']}")
        poem = await poem_model.ainvoke(f"Write a poem about {state['topic']}")
        return {"joke": joke.content, "poem": poem.content}

    def done(state: State):
        return {}

    return (
        StateGraph(State)
        .add_node(call_model)
        .add_node(done)
        .add_edge(START, "call_model")
        .add_edge("call_model", "done")
        .compile()
    )


async def main():
    out = {}
    events = build().astream_events({"topic": "cats"}, version="v2", include_tags=["poem"])
    out["poem"] = [(e["event"], e["tags"], str(e["data"])[:40]) async for e in events]
    events = build().astream_events({"topic": "cats"}, version="v2", include_types=["chat_model"])
    out["models"] = [(e["event"], e["tags"]) async for e in events]
    events = build().astream_events({"topic": "cats"}, version="v2", include_names=["done"])
    out["done"] = [(e["event"], e["name"], e["data"]) async for e in events]
    config = {"tags": ["mine"], "metadata": {"user": "u1"}, "run_name": "jokes"}
    events = build().astream_events(
        {"topic": "cats"},
        config,
        version="v2",
        exclude_names=["call_model"],
        exclude_types=["chat_model"],
    )
    out["rest"] = [
        (e["event"], e["name"], e["tags"], e["metadata"].get("user")) async for e in events
    ]
    return out
