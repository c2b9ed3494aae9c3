"""The streaming how-to, stream from an agent: a prebuilt ReAct agent whose tool writes
progress with get_stream_writer(); its stream in "updates" (agent progress), "messages"
(the model's messages and the tool's, with LangGraph's metadata), "custom" (tool updates)
and all three at once, from stream and astream. A fake tool-calling model answers."""

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langgraph.config import get_stream_writer
from langgraph.prebuilt import create_react_agent

KEYS = ("langgraph_step", "langgraph_node", "langgraph_triggers", "langgraph_path")


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    writer = get_stream_writer()
    # stream any arbitrary data
    writer(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


def make_agent():
    call = {"name": "get_weather", "args": {"city": "sf"}, "id": "c1"}
    model = FakeToolModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("Sunny.")])
    return create_react_agent(model=model, tools=[get_weather])


QUESTION = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}


def shown(mode, chunk):
    if mode == "messages":
        token, metadata = chunk
        return (token, {k: metadata.get(k) for k in KEYS})
    return chunk


async def main():
    out = [list(make_agent().stream(QUESTION, stream_mode="updates"))]
    out.append([c async for c in make_agent().astream(QUESTION, stream_mode="updates")])
    out.append(
        [shown("messages", c) for c in make_agent().stream(QUESTION, stream_mode="messages")]
    )
    out.append(list(make_agent().stream(QUESTION, stream_mode="custom")))
    out.append([c async for c in make_agent().astream(QUESTION, stream_mode="custom")])
    out.append(
        [
            (mode, shown(mode, chunk))
            async for mode, chunk in make_agent().astream(
                QUESTION, stream_mode=["updates", "messages", "custom"]
            )
        ]
    )
    return out
