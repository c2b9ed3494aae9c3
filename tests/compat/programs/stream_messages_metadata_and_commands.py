"""From LangGraph's test_pregel.py (test_tags_stream_mode_messages,
test_configurable_propagates_to_stream_metadata, test_stream_mode_messages_command):
stream_mode="messages" of a chat model with tags (a fake model) carries the model's tags
and LangGraph's metadata; the run's thread_id, checkpoint_id, checkpoint_ns, task_id,
run_id, assistant_id and graph_id from configurable appear in a message's metadata, other
configurable keys do not; messages a node returns in a dict, in a Command and in a list of
Commands each stream once, with their node's metadata."""

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import HumanMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import Command

KEYS = (
    "langgraph_step",
    "langgraph_node",
    "langgraph_triggers",
    "langgraph_path",
    "ls_provider",
    "ls_model_type",
    "ls_integration",
    "tags",
    "thread_id",
    "checkpoint_id",
    "task_id",
    "run_id",
    "assistant_id",
    "graph_id",
    "some_api_key",
    "custom_setting",
    "model",
    "user_id",
)


def shown(chunks):
    out = []
    for message, metadata in chunks:
        kept = {k: metadata[k] for k in KEYS if k in metadata}
        ns = metadata.get("langgraph_checkpoint_ns", "")
        out.append((message, kept, ns.split(":")[0], metadata.get("checkpoint_ns")))
    return out


def my_node(state):
    return {"messages": HumanMessage(content="foo")}


def my_other_node(state):
    return Command(update={"messages": HumanMessage(content="bar")})


def my_last_node(state):
    return [Command(update={"messages": HumanMessage(content="baz")})]


def main():
    out = []
    model = GenericFakeChatModel(messages=iter(["foo"]), tags=["meow"])
    graph = (
        StateGraph(MessagesState)
        .add_node("call_model", lambda state: {"messages": model.invoke(state["messages"])})
        .add_edge(START, "call_model")
        .compile()
    )
    chunks = list(graph.stream({"messages": "hi"}, stream_mode="messages"))
    out.append([(m, k, ns) for m, k, ns, _ in shown(chunks)])

    graph = StateGraph(MessagesState).add_node("my_node", my_node).add_edge(START, "my_node")
    config = {
        "configurable": {
            "thread_id": "th-123",
            "checkpoint_id": "ckpt-1",
            "checkpoint_ns": "ns-1",
            "task_id": "task-1",
            "run_id": "run-456",
            "assistant_id": "asst-789",
            "graph_id": "graph-0",
            "model": "gpt-4o",
            "user_id": "uid-1",
            "some_api_key": "secret",
            "custom_setting": {"nested": True},
        },
    }
    out.append(shown(graph.compile().stream({"messages": []}, config, stream_mode="messages")))

    graph = (
        StateGraph(MessagesState)
        .add_sequence([my_node, my_other_node, my_last_node])
        .add_edge(START, "my_node")
        .compile()
    )
    out.append(shown(graph.stream({"messages": []}, stream_mode="messages")))
    return out
