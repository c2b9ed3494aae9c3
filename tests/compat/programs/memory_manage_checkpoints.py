"""Add memory, manage checkpoints: a thread's state (get_state), the checkpointer's own
get_tuple and list for the thread (checkpoint ids, metadata, parents, channel values; their
pending_writes in checkpoint_tuple_pending_writes), and delete_thread leaving nothing
behind."""

import itertools

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph

model = GenericFakeChatModel(messages=iter([AIMessage("Hi Bob!"), AIMessage("Bob.")]))


def call_model(state: MessagesState):
    return {"messages": [model.invoke(state["messages"])]}


checkpointer = InMemorySaver()
builder = StateGraph(MessagesState)
builder.add_node(call_model)
builder.add_edge(START, "call_model")
graph = builder.compile(checkpointer=checkpointer)


def main():
    config = {"configurable": {"thread_id": "1"}}
    graph.invoke({"messages": [{"role": "user", "content": "hi! I'm bob"}]}, config)
    graph.invoke({"messages": [{"role": "user", "content": "what's my name?"}]}, config)
    out = []
    snapshot = graph.get_state(config)
    out.append((snapshot.values, snapshot.next, snapshot.metadata))
    saved = checkpointer.get_tuple(config)
    out.append(
        (
            sorted(saved.config["configurable"]),
            saved.checkpoint["id"] == saved.config["configurable"]["checkpoint_id"],
            saved.checkpoint["channel_values"]["messages"],
            saved.metadata,
            saved.parent_config is not None,
        )
    )
    history = list(checkpointer.list(config))
    out.append([(t.metadata["step"], t.metadata["source"]) for t in history])
    ids = [t.checkpoint["id"] for t in history]
    out.append(ids == sorted(ids, reverse=True))
    out.append(
        [
            t.parent_config["configurable"]["checkpoint_id"] == p.checkpoint["id"]
            for t, p in itertools.pairwise(history)
        ]
    )
    out.append(len(list(checkpointer.list(config, limit=2))))
    checkpointer.delete_thread("1")
    out.append((checkpointer.get_tuple(config), list(checkpointer.list(config))))
    out.append(graph.get_state(config).values)
    return out
