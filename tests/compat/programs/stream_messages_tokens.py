"""stream_mode="messages": a fake chat model's tokens stream from inside an async node with
LangGraph's metadata; a plain node's returned message follows."""

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph

KEYS = ("langgraph_step", "langgraph_node", "langgraph_triggers", "langgraph_path", "ls_provider")


def build():
    model = GenericFakeChatModel(messages=iter([AIMessage(content="hello big world")]))

    async def call_model(state: MessagesState):
        return {"messages": [await model.ainvoke(state["messages"])]}

    def note(state: MessagesState):
        return {"messages": [AIMessage("noted", id="n1")]}

    builder = StateGraph(MessagesState)
    builder.add_node(call_model)
    builder.add_node(note)
    builder.add_edge(START, "call_model")
    builder.add_edge("call_model", "note")
    return builder.compile()


async def main():
    out = []
    async for message, meta in build().astream(
        {"messages": [("user", "hi")]}, stream_mode="messages"
    ):
        out.append((type(message).__name__, message.content, {k: meta.get(k) for k in KEYS}))
    return out
