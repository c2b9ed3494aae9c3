"""create_agent with middleware: before_model/after_model hooks, a guard that jumps to the
end (jump_to lasts one step), and a model call limit."""

from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import ModelCallLimitMiddleware, after_model, before_model
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool

SEEN = []


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def lookup(term: str) -> str:
    """Look a term up."""
    return f"{term}: found"


def make_model():
    call = {"name": "lookup", "args": {"term": "actors"}, "id": "call_1"}
    return FakeToolModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("Done.")])


@before_model(can_jump_to=["end"])
async def guard(state, runtime):
    SEEN.append(("before", len(state["messages"]), state.get("jump_to")))
    if len(state["messages"]) >= 3:
        return {"jump_to": "end", "messages": [AIMessage("enough")]}
    return None


@after_model
async def audit(state, runtime):
    SEEN.append(("after", len(state["messages"])))


async def main():
    SEEN.clear()
    first = await create_agent(make_model(), [lookup], middleware=[guard, audit]).ainvoke(
        {"messages": [HumanMessage("go")]}
    )
    limited = await create_agent(
        make_model(),
        [lookup],
        middleware=[ModelCallLimitMiddleware(run_limit=1, exit_behavior="end")],
    ).ainvoke({"messages": [HumanMessage("go")]})
    return first, limited, list(SEEN)
