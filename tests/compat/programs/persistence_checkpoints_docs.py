"""The persistence concepts page: a two-node graph whose bar has an operator.add reducer,
compiled with InMemorySaver; the thread's latest snapshot and one named by checkpoint_id,
its whole history (values, next, metadata, tasks, parents), a replay from a past checkpoint
and update_state through the reducer."""

from operator import add
from typing import Annotated

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    foo: str
    bar: Annotated[list[str], add]


def node_a(state: State):
    return {"foo": "a", "bar": ["a"]}


def node_b(state: State):
    return {"foo": "b", "bar": ["b"]}


workflow = StateGraph(State)
workflow.add_node(node_a)
workflow.add_node(node_b)
workflow.add_edge(START, "node_a")
workflow.add_edge("node_a", "node_b")
workflow.add_edge("node_b", END)

checkpointer = InMemorySaver()
graph = workflow.compile(checkpointer=checkpointer)


def snap(s):
    return (
        s.values,
        s.next,
        s.metadata,
        [(t.name, t.error, t.interrupts) for t in s.tasks],
        s.parent_config is None,
        isinstance(s.created_at, str),
    )


def main():
    config: RunnableConfig = {"configurable": {"thread_id": "1"}}
    out = [graph.invoke({"foo": ""}, config)]
    # get the latest state snapshot
    out.append(snap(graph.get_state(config)))
    history = list(graph.get_state_history(config))
    out.append([snap(s) for s in history])
    # get a state snapshot for a specific checkpoint_id
    after_a = next(s for s in history if s.next == ("node_b",))
    out.append(snap(graph.get_state(after_a.config)))
    # replay
    out.append(graph.invoke(None, config=after_a.config))
    out.append(len(list(graph.get_state_history(config))))
    # update_state goes through the reducers
    graph.update_state(config, {"foo": "2", "bar": ["b"]})
    out.append(snap(graph.get_state(config)))
    return out
