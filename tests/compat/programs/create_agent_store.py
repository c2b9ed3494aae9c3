"""create_agent(store=InMemoryStore()): a tool saves to and reads from the store through
ToolRuntime.store; the store keeps what two runs saved."""

from typing import Any

from langchain.agents import create_agent
from langchain.tools import ToolRuntime
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.store.memory import InMemoryStore


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def remember(fact: str, runtime: ToolRuntime) -> str:
    """Remember a fact."""
    runtime.store.put(("facts",), fact, {"fact": fact})
    return f"{len(runtime.store.search(('facts',)))} facts known"


def model(fact: str):
    call = {"name": "remember", "args": {"fact": fact}, "id": "call_1"}
    return FakeToolModel(responses=[AIMessage("", tool_calls=[call]), AIMessage("Noted.")])


async def main():
    store = InMemoryStore()
    out = []
    for fact in ("sky is blue", "grass is green"):
        agent = create_agent(model(fact), [remember], store=store)
        result = await agent.ainvoke({"messages": [HumanMessage(f"remember {fact}")]})
        out.append([m.content for m in result["messages"]])
    out.append(sorted(i.key for i in store.search(("facts",))))
    return out
