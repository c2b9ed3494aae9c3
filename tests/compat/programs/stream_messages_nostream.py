"""The streaming how-to, disable streaming for specific chat models: a model tagged
"nostream" shows nothing in stream_mode="messages" (the node returns its text, not the
message), while a streaming model beside it streams word by word; a model with
disable_streaming=True shows its whole reply once."""

from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph

KEYS = ("langgraph_node", "langgraph_step", "tags")


class State(TypedDict):
    topic: str
    joke: str
    poem: str


def build():
    streaming = GenericFakeChatModel(messages=iter([AIMessage("a streamed joke")]))
    quiet = GenericFakeChatModel(messages=iter([AIMessage("a quiet poem")]), tags=["nostream"])
    unstreamed = GenericFakeChatModel(
        messages=iter([AIMessage("an unstreamed line")]), disable_streaming=True
    )

    def write(state: State):
        joke = streaming.invoke(f"joke about {state['topic']}")
        poem = quiet.invoke(f"poem about {state['topic']}")
        return {"joke": joke.content, "poem": poem.content}

    def other(state: State):
        return {"topic": unstreamed.invoke("one line").content}

    return (
        StateGraph(State)
        .add_node(write)
        .add_node(other)
        .add_edge(START, "write")
        .add_edge("write", "other")
        .compile()
    )


def main():
    return [
        (msg.content, {k: meta.get(k) for k in KEYS})
        for msg, meta in build().stream({"topic": "cats"}, stream_mode="messages")
    ]
