"""From LangGraph's test_pregel.py (test_checkpoint_metadata): a tool-calling agent loop (a
fake chat model, the prebuilt ToolNode) on a thread whose config carries extra configurable
keys; every checkpoint's metadata (the saver's get_tuple and list, and get_state) carries
them besides source, step and parents; with interrupt_before=["tools"], the checkpoints of the
paused run and of its continuation (invoked with the same keys) carry them too."""

from typing import Annotated

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, AnyMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode
from typing_extensions import TypedDict


class BaseState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


@tool()
def search_api(query: str) -> str:
    """Searches the API for the query."""
    return f"result for {query}"


prompt = ChatPromptTemplate.from_messages(
    [("system", "You are a nice assistant."), ("placeholder", "{messages}")]
)


def make_model():
    return FakeMessagesListChatModel(
        responses=[
            AIMessage(
                content="",
                tool_calls=[
                    {"id": "tool_call123", "name": "search_api", "args": {"query": "query"}}
                ],
            ),
            AIMessage(content="answer"),
        ]
    )


def build(checkpointer, **kwargs):
    model = make_model()

    def agent(state: BaseState) -> BaseState:
        return {"messages": model.invoke(prompt.invoke(state))}

    def should_continue(data: BaseState) -> str:
        return "continue" if data["messages"][-1].tool_calls else "exit"

    workflow = StateGraph(BaseState)
    workflow.add_node("agent", agent)
    workflow.add_node("tools", ToolNode([search_api]))
    workflow.set_entry_point("agent")
    workflow.add_conditional_edges("agent", should_continue, {"continue": "tools", "exit": END})
    workflow.add_edge("tools", "agent")
    return workflow.compile(checkpointer=checkpointer, **kwargs)


def extras(metadata):
    return {k: v for k, v in metadata.items() if k.startswith("test_config")}


def main():
    out = []
    saver = InMemorySaver()
    app = build(saver)
    conf = {"thread_id": "1", "test_config_1": "foo", "test_config_2": "bar"}
    out.append(app.invoke({"messages": ["what is weather in sf"]}, {"configurable": conf}))
    config = {"configurable": {"thread_id": "1"}}
    out.append(extras(saver.get_tuple(config).metadata))
    out.append([extras(t.metadata) for t in saver.list(config)])
    out.append([(s.metadata["source"], extras(s.metadata)) for s in app.get_state_history(config)])

    paused = build(saver, interrupt_before=["tools"])
    conf = {"thread_id": "2", "test_config_3": "foo", "test_config_4": "bar"}
    paused.invoke({"messages": ["what is weather in sf"]}, {"configurable": conf})
    config = {"configurable": {"thread_id": "2"}}
    out.append(extras(saver.get_tuple(config).metadata))
    paused.invoke(None, {"configurable": conf})
    out.append(extras(saver.get_tuple(config).metadata))
    out.append([extras(t.metadata) for t in saver.list(config)])
    out.append(paused.get_state(config).values)
    return out
