"""From LangGraph's test_pregel.py (test_command_with_static_breakpoints,
test_command_goto_with_static_breakpoints, test_multistep_plan): a thread paused at a
compile-time breakpoint (interrupt_before=["node1"]) goes on when invoked with
Command(resume=...) though no interrupt() waits; invoked with Command(goto=["node2"]) it runs
node2 beside the pending node1, and node1's edge runs node2 again; Command(update=...) alone
applies its update and goes on. A planner node follows a plan with Command(goto=step) and
Command(goto=[step2, step3]) (two steps at once). (An empty Command() as input: LangGraph
1.2.24 fails with UnboundLocalError, graphstage with EmptyInputError: not compared.)"""

import operator
from typing import Annotated

from langchain_core.messages import AnyMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    foo: Annotated[str, operator.add]


def node1(state: State):
    return {"foo": "|node-1"}


def node2(state: State):
    return {"foo": "|node-2"}


builder = StateGraph(State)
builder.add_node("node1", node1)
builder.add_node("node2", node2)
builder.add_edge(START, "node1")
builder.add_edge("node1", "node2")
graph = builder.compile(checkpointer=InMemorySaver(), interrupt_before=["node1"])


class Plan(TypedDict, total=False):
    plan: list[str | list[str]]
    messages: Annotated[list[AnyMessage], add_messages]


def planner(state: Plan):
    if state.get("plan") is None:
        first_step, *plan = ["step1", ["step2", "step3"], "step4"]
        return Command(goto=first_step, update={"plan": plan})
    if state["plan"]:
        next_step, *next_plan = state["plan"]
        return Command(goto=next_step, update={"plan": next_plan})
    return None


def step(name):
    def run(state: Plan):
        return Command(goto="planner", update={"messages": [("human", name)]})

    return run


plan_builder = StateGraph(Plan)
plan_builder.add_node(planner)
for name in ("step1", "step2", "step3", "step4"):
    plan_builder.add_node(name, step(name))
plan_builder.add_edge(START, "planner")
plan_graph = plan_builder.compile(checkpointer=InMemorySaver())


def main():
    out = []
    for n, command in enumerate(
        [Command(resume="node1"), Command(goto=["node2"]), Command(update={"foo": "|edit"})]
    ):
        config = {"configurable": {"thread_id": f"t{n}"}}
        out.append(graph.invoke({"foo": "abc"}, config))
        out.append(graph.invoke(command, config))
        out.append([s.next for s in graph.get_state_history(config)])
    config = {"configurable": {"thread_id": "plan"}}
    out.append(plan_graph.invoke({"messages": [("human", "start")]}, config))
    out.append([s.next for s in plan_graph.get_state_history(config)])
    return out
