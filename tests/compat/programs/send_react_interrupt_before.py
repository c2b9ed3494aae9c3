"""From LangGraph's test_pregel_async.py (test_send_react_interrupt): an agent's tool calls
become Sends to the tool's node; with interrupt_before=["foo"] the run pauses before the Send
runs (the tool not called), invoke(None) runs it; under durability="exit" get_state shows the
pending Send task (its push path), and aupdate_state replacing the AI message by one without
tool calls (same id) leaves no task: the continuation calls no tool; an update whose new
message carries a tool call, as the agent node, plans a new Send that the continuation runs."""

import asyncio

from langchain_core.messages import AIMessage, HumanMessage, ToolCall, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import Send

ai_message = AIMessage(
    "", id="ai1", tool_calls=[ToolCall(name="foo", args={"hi": [1, 2, 3]}, id="call1")]
)
calls = []


async def agent(state):
    return {"messages": ai_message}


def route(state):
    if isinstance(state["messages"][-1], AIMessage):
        return [Send(call["name"], call) for call in state["messages"][-1].tool_calls]


async def foo(call: ToolCall):
    calls.append(call["args"])
    return {"messages": ToolMessage(str(call["args"]), tool_call_id=call["id"])}


builder = StateGraph(MessagesState)
builder.add_node(agent)
builder.add_node(foo)
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", route)


def snapshot(state):
    return (
        state.values,
        state.next,
        state.metadata,
        [(t.name, t.path, t.interrupts, t.result) for t in state.tasks],
    )


async def run():
    out = [await builder.compile().ainvoke({"messages": [HumanMessage("hello")]}), list(calls)]
    calls.clear()
    saver = InMemorySaver()
    graph = builder.compile(checkpointer=saver, interrupt_before=["foo"])
    thread = {"configurable": {"thread_id": "1"}}
    out.append(await graph.ainvoke({"messages": [HumanMessage("hello")]}, thread))
    out.append(list(calls))
    out.append(await graph.ainvoke(None, thread))
    out.append(list(calls))
    calls.clear()
    thread = {"configurable": {"thread_id": "2"}}
    await graph.ainvoke({"messages": [HumanMessage("hello")]}, thread, durability="exit")
    out.append(snapshot(await graph.aget_state(thread)))
    await graph.aupdate_state(
        thread, {"messages": AIMessage("Bye now", id=ai_message.id, tool_calls=[])}
    )
    out.append(snapshot(await graph.aget_state(thread)))
    out.append((await graph.ainvoke(None, thread), list(calls)))
    thread = {"configurable": {"thread_id": "3"}}
    await graph.ainvoke({"messages": [HumanMessage("hello")]}, thread, durability="exit")
    await graph.aupdate_state(
        thread,
        {
            "messages": AIMessage(
                "",
                id=ai_message.id,
                tool_calls=[ToolCall(name="foo", args={"hi": [4, 5, 6]}, id="call2")],
            )
        },
        as_node="agent",
    )
    out.append(snapshot(await graph.aget_state(thread)))
    out.append((await graph.ainvoke(None, thread), list(calls)))
    return out


def main():
    return asyncio.run(run())
