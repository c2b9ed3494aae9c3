"""The config a node receives always has "configurable", and its metadata names the node and
step (LangGraph's keys), merged with the caller's metadata."""

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    seen: list


def look(state: State, config):
    meta = config["metadata"]
    return {
        "seen": [
            config["configurable"].get("user", "anonymous"),
            meta["langgraph_node"],
            meta["langgraph_step"],
            meta["langgraph_triggers"],
            meta.get("origin"),
            config.get("tags"),
        ]
    }


builder = StateGraph(State)
builder.add_node("look", look)
builder.add_edge(START, "look")
graph = builder.compile()


async def main():
    plain = await graph.ainvoke({"seen": []})
    given = await graph.ainvoke(
        {"seen": []},
        {"configurable": {"user": "ada"}, "metadata": {"origin": "test"}, "tags": ["t"]},
    )
    return plain, given
