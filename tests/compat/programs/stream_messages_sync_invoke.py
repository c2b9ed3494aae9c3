"""A sync node calling model.invoke still streams tokens in "messages" mode, mixed with
"updates" in a list of modes."""

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph


def build():
    model = GenericFakeChatModel(messages=iter([AIMessage(content="one two")]))

    def call_model(state: MessagesState):
        return {"messages": [model.invoke(state["messages"])]}

    builder = StateGraph(MessagesState)
    builder.add_node(call_model)
    builder.add_edge(START, "call_model")
    return builder.compile()


async def main():
    out = []
    async for mode, chunk in build().astream(
        {"messages": [("user", "hi")]}, stream_mode=["messages", "updates"]
    ):
        if mode == "messages":
            out.append((mode, chunk[0].content, chunk[1]["langgraph_node"]))
        else:
            out.append((mode, {k: [m.content for m in v["messages"]] for k, v in chunk.items()}))
    return out
