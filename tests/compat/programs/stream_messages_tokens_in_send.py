"""stream_mode="messages" in a map-reduce (LangGraph's Send how-to): the tokens a chat model
streams inside each Send's execution, and the message it returns, carry LangGraph's push
task metadata (langgraph_triggers ("__pregel_push",), langgraph_path ("__pregel_push", i,
False)); a node reached by an edge carries pull metadata. The node reads its own config
too (metadata of the same shape)."""

import operator
from typing import Annotated

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict

KEYS = ("langgraph_step", "langgraph_node", "langgraph_triggers", "langgraph_path")


class State(TypedDict):
    topics: list
    jokes: Annotated[list, operator.add]
    seen: Annotated[list, operator.add]


def build():
    models = {
        "cats": GenericFakeChatModel(messages=iter([AIMessage(content="cats purr")])),
        "dogs": GenericFakeChatModel(messages=iter([AIMessage(content="dogs bark")])),
    }

    def plan(state):
        return {"topics": ["cats", "dogs"]}

    async def joke(state, config):
        message = await models[state["topic"]].ainvoke([("user", state["topic"])])
        meta = config["metadata"]
        return {"jokes": [message], "seen": [tuple(meta[k] for k in KEYS)]}

    builder = StateGraph(State)
    builder.add_node("plan", plan)
    builder.add_node("joke", joke)
    builder.add_edge(START, "plan")
    builder.add_conditional_edges(
        "plan", lambda state: [Send("joke", {"topic": t}) for t in state["topics"]]
    )
    return builder.compile()


async def main():
    tokens = []
    final = None
    async for mode, chunk in build().astream(
        {"topics": [], "jokes": [], "seen": []}, stream_mode=["messages", "values"]
    ):
        if mode == "messages":
            message, meta = chunk
            tokens.append((message.content, tuple(meta.get(k) for k in KEYS)))
        else:
            final = chunk
    # the two Sends run at once: their tokens interleave as they come; compare each one's
    return sorted(tokens, key=repr), sorted(final["seen"])
