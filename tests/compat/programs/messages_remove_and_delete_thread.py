"""From LangGraph's test_pregel.py (test_remove_message_via_state_update,
test_remove_message_from_node) and test_messages_state.py (test_remove_all_messages), with a
messages key (LangGraph's tests make Annotated[list[AnyMessage], add_messages] the whole
state, which graphstage does not take: README, Known limits): a node removes the
second-to-last message with RemoveMessage, update_state removes the last one from a thread
and delete_thread forgets the thread; a node returning RemoveMessage(id=REMOVE_ALL_MESSAGES)
between new messages keeps only what follows it."""

from typing import Annotated

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import REMOVE_ALL_MESSAGES, MessagesState, add_messages
from typing_extensions import TypedDict


class Chat(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def main():
    out = []
    workflow = StateGraph(state_schema=Chat)
    workflow.add_node(
        "chatbot", lambda state: {"messages": [AIMessage(content="Hello! How can I help you")]}
    )
    workflow.set_entry_point("chatbot")
    workflow.add_edge("chatbot", END)
    app = workflow.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "1"}}
    output = app.invoke({"messages": [HumanMessage(content="Hi")]}, config=config)
    out.append(output)
    app.update_state(config, values={"messages": [RemoveMessage(id=output["messages"][-1].id)]})
    out.append(app.get_state(config).values)
    app.checkpointer.delete_thread(config["configurable"]["thread_id"])
    out.append((app.checkpointer.get_tuple(config), [*app.get_state_history(config)]))

    workflow = StateGraph(state_schema=Chat)
    workflow.add_node(
        "chatbot",
        lambda state: {
            "messages": [AIMessage(content="Hello!"), AIMessage(content="How can I help you?")]
        },
    )
    workflow.add_node(
        "delete_messages", lambda state: {"messages": [RemoveMessage(id=state["messages"][-2].id)]}
    )
    workflow.set_entry_point("chatbot")
    workflow.add_edge("chatbot", "delete_messages")
    workflow.add_edge("delete_messages", END)
    out.append(workflow.compile().invoke({"messages": [HumanMessage(content="Hi")]}))

    def restart(state: MessagesState):
        return {
            "messages": [
                HumanMessage(content="Updated hello"),
                RemoveMessage(id=REMOVE_ALL_MESSAGES),
                HumanMessage(content="Updated hi there"),
            ]
        }

    builder = StateGraph(MessagesState)
    builder.add_node("restart", restart)
    builder.add_edge(START, "restart")
    graph = builder.compile()
    out.append(graph.invoke({"messages": [("user", "Hello"), ("ai", "Hi there!")]}))
    out.append(list(graph.stream({"messages": [("user", "Hello")]}, stream_mode="updates")))
    return out
