"""Human in the loop, review tool calls: a sensitive tool of a prebuilt ReAct agent calls
interrupt() before acting; the stream pauses on the question, Command(resume={"type":
"accept"}) lets it run on one thread, {"type": "edit", "args": ...} changes its argument
on another. A fake tool-calling model stands in for the LLM."""

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import create_react_agent
from langgraph.types import Command, interrupt


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


# An example of a sensitive tool that requires human review / approval
def book_hotel(hotel_name: str):
    """Book a hotel"""
    response = interrupt(
        f"Trying to call `book_hotel` with args {{'hotel_name': {hotel_name}}}. "
        "Please approve or suggest edits."
    )
    if response["type"] == "accept":
        pass
    elif response["type"] == "edit":
        hotel_name = response["args"]["hotel_name"]
    else:
        raise ValueError(f"Unknown response type: {response['type']}")
    return f"Successfully booked a stay at {hotel_name}."


def make_agent():
    call = {"name": "book_hotel", "args": {"hotel_name": "McKittrick"}, "id": "c1"}
    model = FakeToolModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("Booked.")] * 2)
    checkpointer = InMemorySaver()
    return create_react_agent(model=model, tools=[book_hotel], checkpointer=checkpointer)


def plain(chunk):
    if "__interrupt__" in chunk:
        return {"__interrupt__": [i.value for i in chunk["__interrupt__"]]}
    return chunk


def main():
    agent = make_agent()
    out = []
    for thread, answer in (
        ("1", {"type": "accept"}),
        ("2", {"type": "edit", "args": {"hotel_name": "McKittrick Hotel"}}),
    ):
        config = {"configurable": {"thread_id": thread}}
        out.append(
            [
                plain(c)
                for c in agent.stream(
                    {"messages": [{"role": "user", "content": "book a stay at McKittrick hotel"}]},
                    config,
                )
            ]
        )
        out.append([plain(c) for c in agent.stream(Command(resume=answer), config)])
    config = {"configurable": {"thread_id": "3"}}
    agent.invoke({"messages": [("user", "book it")]}, config)
    try:
        agent.invoke(Command(resume={"type": "cancel"}), config)
    except ValueError as exc:
        out.append(str(exc))
    return out
