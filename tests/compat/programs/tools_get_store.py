"""Tool calling, long-term memory: tools of a prebuilt ReAct agent read and write the store
it was given (create_react_agent(store=...)) through get_store(), the user id from their
RunnableConfig; a node of a hand-built graph reads the store and its config through
get_store() and get_config() too."""

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import tool
from langgraph.config import get_config, get_store
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import create_react_agent
from langgraph.store.memory import InMemoryStore
from typing_extensions import TypedDict


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def call(name, args, ident):
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": ident}])


store = InMemoryStore()
store.put(
    ("users",),
    "user_123",
    {
        "name": "John Smith",
        "language": "English",
    },
)


@tool
def get_user_info(config: RunnableConfig) -> str:
    """Look up user info."""
    # Same as that provided to `create_react_agent`
    store = get_store()
    user_id = config["configurable"].get("user_id")
    user_info = store.get(("users",), user_id)
    return str(user_info.value) if user_info else "Unknown user"


class UserInfo(TypedDict):
    name: str


@tool
def save_user_info(user_info: UserInfo, config: RunnableConfig) -> str:
    """Save user info."""
    # Same as that provided to `create_react_agent`
    store = get_store()
    user_id = config["configurable"].get("user_id")
    store.put(("users",), user_id, user_info)
    return "Successfully saved user info."


def greet(state: MessagesState):
    config = get_config()
    user = get_store().get(("users",), config["configurable"]["user_id"])
    return {
        "messages": [("ai", f"Hello {user.value['name']} ({config['metadata']['langgraph_node']})")]
    }


def main():
    reader = create_react_agent(
        model=FakeToolModel(responses=[call("get_user_info", {}, "c1"), AIMessage("John.")]),
        tools=[get_user_info],
        store=store,
    )
    out = [
        reader.invoke(
            {"messages": [{"role": "user", "content": "look up user information"}]},
            config={"configurable": {"user_id": "user_123"}},
        )["messages"][2]
    ]
    writer = create_react_agent(
        model=FakeToolModel(
            responses=[
                call("save_user_info", {"user_info": {"name": "Jane"}}, "c2"),
                AIMessage("Saved."),
            ]
        ),
        tools=[save_user_info],
        store=store,
    )
    writer.invoke(
        {"messages": [{"role": "user", "content": "My name is Jane"}]},
        config={"configurable": {"user_id": "user_456"}},
    )
    # You can access the store directly to get the value
    out.append(store.get(("users",), "user_456").value)
    graph = StateGraph(MessagesState).add_node(greet).add_edge(START, "greet").compile(store=store)
    out.append(
        graph.invoke({"messages": "hi"}, {"configurable": {"user_id": "user_456"}})["messages"][-1]
    )
    try:
        get_store()
    except RuntimeError as exc:
        out.append(("outside a node", type(exc).__name__))
    return out
