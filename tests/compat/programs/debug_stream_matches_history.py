"""From LangGraph's test_pregel.py (test_debug_subgraphs, test_debug_nested_subgraphs, under
each durability): the checkpoints a stream_mode="debug" run shows are the ones
get_state_history then lists (values, next, config, parent_config, tasks' ids, names,
interrupts, errors and states), for a graph with a subgraph node; with subgraphs=True and
two levels of subgraphs, each namespace's debug checkpoints match the history read with that
checkpoint_ns (under "exit", a subgraph saves nothing)."""

import operator
from collections import defaultdict
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    messages: Annotated[list[str], operator.add]


def node(name):
    def _node(state: State):
        return {"messages": [f"entered {name} node"]}

    return _node


def two_nodes(first, second, second_fn=None):
    builder = StateGraph(State)
    builder.add_node(first, node(first))
    builder.add_node(second, second_fn or node(second))
    builder.add_edge(START, first)
    builder.add_edge(first, second)
    builder.add_edge(second, END)
    return builder


def conf(config):
    if config is None:
        return None
    keys = ("thread_id", "checkpoint_id", "checkpoint_ns", "checkpoint_map")
    return {k: config["configurable"][k] for k in keys if k in config["configurable"]}


def same(stream, history):
    return (
        stream["values"] == history.values,
        stream["next"] == list(history.next),
        conf(stream["config"]) == conf(history.config),
        conf(stream["parent_config"]) == conf(history.parent_config),
        [
            (t["id"], t["name"], tuple(t["interrupts"]), t.get("error"), t.get("state"))
            for t in stream["tasks"]
        ]
        == [(t.id, t.name, tuple(t.interrupts), t.error, t.state) for t in history.tasks],
    )


def main():
    out = []
    for durability in ("sync", "async", "exit"):
        child = two_nodes("c_one", "c_two").compile()
        graph = two_nodes("p_one", "p_two", child).compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "1"}}
        events = list(
            graph.stream({"messages": []}, config, stream_mode="debug", durability=durability)
        )
        streamed = [e["payload"] for e in events if e["type"] == "checkpoint"][::-1]
        if durability == "exit":
            streamed = streamed[:1]
        history = list(graph.get_state_history(config))
        out.append((durability, len(streamed), len(history)))
        out.append([same(s, h) for s, h in zip(streamed, history, strict=False)])

        child = two_nodes("c_one", "c_two").compile()
        parent = two_nodes("p_one", "p_two", child).compile()
        grand = two_nodes("gp_one", "gp_two", parent).compile(checkpointer=InMemorySaver())
        by_ns = defaultdict(list)
        for ns, event in grand.stream(
            {"messages": []}, config, stream_mode="debug", subgraphs=True, durability=durability
        ):
            if event["type"] == "checkpoint":
                by_ns[ns].append(event["payload"])
        out.append([tuple(part.split(":")[0] for part in ns) for ns in by_ns])
        for ns, streamed in by_ns.items():
            where = {"configurable": {"thread_id": "1", "checkpoint_ns": "|".join(ns)}}
            history = list(grand.get_state_history(where))[::-1]
            if durability == "exit":
                streamed = streamed[-1:]
                if ns:
                    out.append(("nothing saved", history == []))
                    continue
            out.append((len(streamed), len(history)))
            out.append([same(s, h) for s, h in zip(streamed, history, strict=False)])
    return out
