"""The streaming how-to, filter by LLM invocation: two chat models with tags (a fake
streaming each reply word by word); stream_mode="messages" yields each token with metadata
whose "tags" tell the models apart (the config passed through explicitly, as the how-to
does)."""

from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph

joke_model = GenericFakeChatModel(messages=iter([AIMessage("Why did the cat sit?")]), tags=["joke"])
poem_model = GenericFakeChatModel(messages=iter([AIMessage("Soft paws at dawn")]), tags=["poem"])


class State(TypedDict):
    topic: str
    joke: str
    poem: str


async def call_model(state, config):
    topic = state["topic"]
    # Note: Passing the config through explicitly is required for python < 3.11
    joke_response = await joke_model.ainvoke(
        [{"role": "user", "content": f"Write a joke about {topic}"}],
        config,
    )
    poem_response = await poem_model.ainvoke(
        [{"role": "user", "content": f"Write a short poem about {topic}"}],
        config,
    )
    return {"joke": joke_response.content, "poem": poem_response.content}


graph = StateGraph(State).add_node(call_model).add_edge(START, "call_model").compile()


async def main():
    jokes, all_tags = [], []
    async for msg, metadata in graph.astream(
        {"topic": "cats"},
        stream_mode="messages",
    ):
        all_tags.append((msg.content, metadata["tags"], "node " + metadata["langgraph_node"]))
        if metadata["tags"] == ["joke"]:
            jokes.append(msg.content)
    return jokes, all_tags
