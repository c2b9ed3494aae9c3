"""Tool calling, handle errors: a ToolNode in a hand-built graph (should_continue with a
list path_map) whose tool raises; by default the error becomes a ToolMessage with
status="error", a custom handle_tool_errors string replaces its text, and
handle_tool_errors=False lets the error fail the run; a prebuilt ReAct agent given the
custom ToolNode as its tools; and a return_direct tool ending the agent's loop. (The page
says errors are handled by default; in LangGraph 1.x the default handles only invalid tool
arguments, so the tool's own error fails the run, on both engines.)"""

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, create_react_agent


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def multiply(a: int, b: int) -> int:
    """Multiply two numbers."""
    if a == 42:
        raise ValueError("The ultimate error")
    return a * b


def ask(a, b):
    call = {"name": "multiply", "args": {"a": a, "b": b}, "id": "tool_call_id"}
    return AIMessage("", tool_calls=[call])


def build(tool_node):
    model_with_tools = FakeToolModel(responses=[ask(42, 7), AIMessage("Sorry.")])

    def should_continue(state: MessagesState):
        messages = state["messages"]
        last_message = messages[-1]
        if last_message.tool_calls:
            return "tools"
        return END

    def call_model(state: MessagesState):
        messages = state["messages"]
        response = model_with_tools.invoke(messages)
        return {"messages": [response]}

    builder = StateGraph(MessagesState)

    # Define the two nodes we will cycle between
    builder.add_node("call_model", call_model)
    builder.add_node("tools", tool_node)

    builder.add_edge(START, "call_model")
    builder.add_conditional_edges("call_model", should_continue, ["tools", END])
    builder.add_edge("tools", "call_model")

    return builder.compile()


@tool(return_direct=True)
def add(a: int, b: int) -> int:
    """Add two numbers"""
    return a + b


def tool_messages(result):
    return [(m.content, m.status) for m in result["messages"] if m.type == "tool"]


def main():
    question = {"messages": [{"role": "user", "content": "what's 42 x 7?"}]}
    out = []
    try:
        out.append(tool_messages(build(ToolNode([multiply])).invoke(question)))
    except ValueError as exc:
        out.append(("default raised", str(exc)))
    bad = {"name": "multiply", "args": {"a": "x"}, "id": "bad"}
    model = FakeToolModel(responses=[AIMessage("", tool_calls=[bad]), AIMessage("Oops.")])
    invalid = create_react_agent(model=model, tools=[multiply]).invoke(question)
    out.append(
        [(m.status, m.content.splitlines()[0]) for m in invalid["messages"] if m.type == "tool"]
    )
    custom = ToolNode(
        [multiply], handle_tool_errors="Can't use 42 as the first operand, please switch operands!"
    )
    out.append(tool_messages(build(custom).invoke(question)))
    try:
        build(ToolNode([multiply], handle_tool_errors=False)).invoke(question)
    except ValueError as exc:
        out.append(("raised", str(exc)))
    custom_tool_node = ToolNode([multiply], handle_tool_errors="Cannot use 42 as a first operand!")
    agent_custom = create_react_agent(
        model=FakeToolModel(responses=[ask(42, 7), AIMessage("I can't.")]), tools=custom_tool_node
    )
    out.append(agent_custom.invoke(question)["messages"][-2:])
    add_call = {"name": "add", "args": {"a": 3, "b": 5}, "id": "c9"}
    agent = create_react_agent(
        model=FakeToolModel(responses=[AIMessage("", tool_calls=[add_call]), AIMessage("never")]),
        tools=[add],
    )
    out.append(agent.invoke({"messages": [{"role": "user", "content": "what's 3 + 5?"}]}))
    return out
