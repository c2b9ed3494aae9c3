"""From LangGraph's test_time_travel.py (test_get_state_with_subgraphs_returns_subgraph_state,
test_checkpoint_ns_accessible_in_subgraph): while a subgraph waits at an interrupt(),
get_state(config, subgraphs=True) gives the waiting task the subgraph's own snapshot (its
values, next node, question, and a config with the thread and the subgraph's namespace);
without subgraphs=True the task's state is only that config. A node inside a subgraph reads
the thread id and its namespace ("<node>:<task id>") from its config."""

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class SubState(TypedDict):
    data: str


class ParentState(TypedDict):
    data: str


captured = []


def process(state: SubState, config: RunnableConfig):
    conf = config["configurable"]
    captured.append((conf["thread_id"], conf["checkpoint_ns"].split(":")[0]))
    answer = interrupt("Continue?")
    return {"data": f"{state['data']} processed ({answer})"}


subgraph = StateGraph(SubState).add_node("process", process).add_edge(START, "process").compile()

graph = (
    StateGraph(ParentState)
    .add_node("sub", subgraph)
    .add_edge(START, "sub")
    .compile(checkpointer=InMemorySaver())
)


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    graph.invoke({"data": "input"}, config)
    state = graph.get_state(config, subgraphs=True)
    task = state.tasks[0]
    inner = task.state
    out.append((task.name, [i.value for i in task.interrupts]))
    out.append((inner.values, inner.next, [t.name for t in inner.tasks]))
    out.append([i.value for t in inner.tasks for i in t.interrupts])
    conf = inner.config["configurable"]
    out.append((conf["thread_id"], conf["checkpoint_ns"].split(":")[0], "checkpoint_id" in conf))
    plain = graph.get_state(config).tasks[0].state
    conf = plain["configurable"]
    out.append((sorted(conf), conf["thread_id"], conf["checkpoint_ns"].split(":")[0]))
    out.append(graph.invoke(Command(resume="yes"), config))
    out.append(captured)
    out.append(graph.get_state(config, subgraphs=True).tasks)
    return out
