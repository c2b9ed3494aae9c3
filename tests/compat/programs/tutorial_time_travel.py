"""LangGraph basics 6 (time travel): a chatbot with a tool runs two turns on a thread;
get_state_history lists every checkpoint (newest first) with its message count and next
nodes; the one with six messages is replayed with stream(None, to_replay.config)."""

from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from typing_extensions import TypedDict


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


@tool
def search(query: str) -> str:
    """Search the web."""
    return f"results for {query}"


def ask(query, ident):
    return AIMessage("", tool_calls=[{"name": "search", "args": {"query": query}, "id": ident}])


llm = FakeToolModel(
    responses=[
        ask("LangGraph", "c1"),
        AIMessage("LangGraph is a library for agents."),
        ask("autonomous agents", "c2"),
        AIMessage("Good luck with your agent!"),
        AIMessage("Replayed: good luck!"),
    ]
)


class State(TypedDict):
    messages: Annotated[list, add_messages]


graph_builder = StateGraph(State)

tools = [search]
llm_with_tools = llm.bind_tools(tools)


def chatbot(state: State):
    return {"messages": [llm_with_tools.invoke(state["messages"])]}


graph_builder.add_node("chatbot", chatbot)

tool_node = ToolNode(tools=[search])
graph_builder.add_node("tools", tool_node)

graph_builder.add_conditional_edges(
    "chatbot",
    tools_condition,
)
graph_builder.add_edge("tools", "chatbot")
graph_builder.add_edge(START, "chatbot")

memory = InMemorySaver()
graph = graph_builder.compile(checkpointer=memory)


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = []
    for text in (
        "I'm learning LangGraph. Could you do some research on it for me?",
        "Ya that's helpful. Maybe I'll build an autonomous agent with it!",
    ):
        events = graph.stream(
            {"messages": [{"role": "user", "content": text}]}, config, stream_mode="values"
        )
        out.append([event["messages"][-1] for event in events if "messages" in event])

    to_replay = None
    history = []
    for state in graph.get_state_history(config):
        history.append((len(state.values.get("messages", [])), state.next))
        if len(state.values.get("messages", [])) == 6:
            # We are somewhat arbitrarily selecting a specific state based on the number of
            # chat messages in the state.
            to_replay = state
    out.append(history)
    out.append((to_replay.next, sorted(to_replay.config["configurable"])))

    # The `checkpoint_id` in the `to_replay.config` corresponds to a state we've persisted
    # to our checkpointer.
    events = graph.stream(None, to_replay.config, stream_mode="values")
    out.append([event["messages"][-1] for event in events if "messages" in event])
    out.append(len(list(graph.get_state_history(config))))
    return out
