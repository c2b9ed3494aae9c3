"""A hand-written ReAct loop: a fake model asks for a tool, a tool node answers, the model
replies; routing on tool_calls with a Literal path."""

from typing import Literal

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.graph import END, START, MessagesState, StateGraph


def build():
    model = GenericFakeChatModel(
        messages=iter(
            [
                AIMessage(
                    "",
                    tool_calls=[{"name": "add", "args": {"a": 2, "b": 3}, "id": "call_add"}],
                ),
                AIMessage("the sum is 5"),
            ]
        )
    )

    def agent(state: MessagesState):
        return {"messages": [model.invoke(state["messages"])]}

    def tools(state: MessagesState):
        call = state["messages"][-1].tool_calls[0]
        result = call["args"]["a"] + call["args"]["b"]
        return {"messages": [ToolMessage(str(result), tool_call_id=call["id"])]}

    def route(state: MessagesState) -> Literal["tools", "__end__"]:
        return "tools" if state["messages"][-1].tool_calls else END

    builder = StateGraph(MessagesState)
    builder.add_node(agent)
    builder.add_node(tools)
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", route)
    builder.add_edge("tools", "agent")
    return builder.compile()


async def main():
    return await build().ainvoke({"messages": [("user", "2 + 3?")]})
