"""The streaming how-to, LLM tokens: a dataclass state and a node calling a chat model (a
fake) inside the builder's chaining; then filter by node: two nodes writing concurrently,
the tokens of one picked by metadata["langgraph_node"]."""

from dataclasses import dataclass
from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph


@dataclass
class MyState:
    topic: str
    joke: str = ""


llm = GenericFakeChatModel(messages=iter([AIMessage("Ice cream melts hearts")]))


def call_model(state: MyState):
    """Call the LLM to generate a joke about a topic"""
    llm_response = llm.invoke([{"role": "user", "content": f"Generate a joke about {state.topic}"}])
    return {"joke": llm_response.content}


graph = StateGraph(MyState).add_node(call_model).add_edge(START, "call_model").compile()

joke_model = GenericFakeChatModel(messages=iter([AIMessage("cats joke here")]))
poem_model = GenericFakeChatModel(messages=iter([AIMessage("cats poem here today")]))


class State(TypedDict):
    topic: str
    joke: str
    poem: str


def write_joke(state: State):
    topic = state["topic"]
    joke_response = joke_model.invoke([{"role": "user", "content": f"Write a joke about {topic}"}])
    return {"joke": joke_response.content}


def write_poem(state: State):
    topic = state["topic"]
    poem_response = poem_model.invoke(
        [{"role": "user", "content": f"Write a short poem about {topic}"}]
    )
    return {"poem": poem_response.content}


graph2 = (
    StateGraph(State)
    .add_node(write_joke)
    .add_node(write_poem)
    # write both the joke and the poem concurrently
    .add_edge(START, "write_joke")
    .add_edge(START, "write_poem")
    .compile()
)


def main():
    tokens = []
    for message_chunk, metadata in graph.stream({"topic": "ice cream"}, stream_mode="messages"):
        if message_chunk.content:
            tokens.append((message_chunk.content, metadata["langgraph_node"]))
    poem = []
    for msg, metadata in graph2.stream({"topic": "cats"}, stream_mode="messages"):
        if msg.content and metadata["langgraph_node"] == "write_poem":
            poem.append(msg.content)
    return tokens, poem
