"""MessagesState coerces tuples, role dicts and OpenAI-style tool-call dicts into messages,
assigning ids."""

from langgraph.graph import START, MessagesState, StateGraph


def reply(state: MessagesState):
    kinds = [type(m).__name__ for m in state["messages"]]
    return {"messages": [("ai", f"saw {kinds}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
graph = builder.compile()


async def main():
    out = await graph.ainvoke(
        {
            "messages": [
                ("system", "be brief"),
                {"role": "user", "content": "weather?"},
                {
                    "role": "assistant",
                    "content": "",
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "weather", "arguments": '{"city": "Oslo"}'},
                        }
                    ],
                },
                {"role": "tool", "content": "rain", "tool_call_id": "call_1"},
                "thanks",
            ]
        }
    )
    return out, all(m.id for m in out["messages"])
