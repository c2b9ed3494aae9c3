"""astream_events, the streaming concepts page ("Streaming LLM tokens and events
(.astream_events)"): a node calls a chat model (a fake streaming its reply word by word);
the user prints each token of ``on_chat_model_stream`` events, picks a node's tokens by
``metadata["langgraph_node"]``, and reads the graph's final output from its
``on_chain_end``."""

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph


def build():
    model = GenericFakeChatModel(messages=iter([AIMessage("hi there you")]))

    async def call_model(state: MessagesState):
        response = await model.ainvoke(state["messages"])
        return {"messages": [response]}

    def summarize(state: MessagesState):
        return {"messages": [AIMessage(f"{len(state['messages'])} messages", id="s1")]}

    workflow = StateGraph(MessagesState)
    workflow.add_node("agent", call_model)
    workflow.add_node("summarize", summarize)
    workflow.add_edge(START, "agent")
    workflow.add_edge("agent", "summarize")
    workflow.add_edge("summarize", END)
    return workflow.compile()


async def main():
    app = build()
    tokens, kinds, final = [], [], None
    inputs = {"messages": [("user", "hello")]}
    async for event in app.astream_events(inputs, version="v2"):
        kind = event["event"]
        kinds.append((kind, event["name"]))
        if kind == "on_chat_model_stream":
            content = event["data"]["chunk"].content
            if content and event["metadata"].get("langgraph_node") == "agent":
                tokens.append(content)
        elif kind == "on_chain_end" and event["name"] == "LangGraph":
            final = event["data"]["output"]
    return tokens, kinds, final
