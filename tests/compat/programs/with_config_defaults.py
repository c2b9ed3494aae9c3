"""graph.with_config (LangGraph's Runnable API, as the configuration how-to uses it): a
bound configurable default read in a node through config and get_config(), overridden key by
key by the call's own configurable; bound metadata and tags merged with the call's (shown in
the node's config); run_name; with_config applied twice accumulates; the original graph is
unchanged."""

from langchain_core.runnables import RunnableConfig
from langgraph.config import get_config
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    seen: list


def node(state: State, config: RunnableConfig):
    conf = config["configurable"]
    meta = config["metadata"]
    inner = get_config()["configurable"]
    return {
        "seen": [
            conf.get("model"),
            conf.get("temperature"),
            inner.get("model"),
            {k: meta[k] for k in ("team", "env") if k in meta},
            sorted(config.get("tags") or []),
        ]
    }


graph = StateGraph(State).add_node("node", node).add_edge(START, "node").compile()


def main():
    bound = graph.with_config(
        configurable={"model": "small", "temperature": 0.1},
        metadata={"team": "a"},
        tags=["bound"],
    )
    out = [bound.invoke({"seen": []})]
    out.append(
        bound.invoke(
            {"seen": []},
            {"configurable": {"model": "large"}, "metadata": {"env": "prod"}, "tags": ["call"]},
        )
    )
    twice = bound.with_config({"configurable": {"temperature": 0.9}, "tags": ["again"]})
    out.append(twice.invoke({"seen": []}))
    out.append(graph.invoke({"seen": []}))
    out.append(list(bound.stream({"seen": []}, {"configurable": {"temperature": 0.5}})))
    return out
