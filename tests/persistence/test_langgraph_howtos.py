"""LangGraph's persistence and human-in-the-loop how-tos, run on both engines.

Each program is the how-to's code with only its imports switched (see ``engines.py``); the
two engines must observe the same values, next nodes, step metadata and interrupts.
"""

from __future__ import annotations

from engines import assert_same

STATE = """
import operator
from typing import Annotated, TypedDict

class State(TypedDict):
    log: Annotated[list, operator.add]
    count: int
"""

MULTIPLE_INTERRUPTS = (
    STATE
    + """
RUNS = []

def a(state):
    return {"log": ["a"]}

def b(state):
    RUNS.append("b")
    name = interrupt({"question": "name?"})
    age = interrupt("age?")
    return {"log": [f"{name}:{age}"]}

def c(state):
    return {"log": ["c"], "count": state.get("count", 0) + 1}

builder = StateGraph(State)
builder.add_node("a", a)
builder.add_node("b", b)
builder.add_node("c", c)
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", "c")
graph = builder.compile(checkpointer=InMemorySaver())

def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [graph.invoke({"log": [], "count": 0}, config)]
    snap = graph.get_state(config)
    out.append((snap.values, snap.next, snap.metadata, snap.interrupts))
    out.append([t.name for t in snap.tasks])
    out.append(graph.invoke(Command(resume="ada"), config))
    out.append(graph.invoke(Command(resume=36), config))
    out.append(graph.invoke(None, config))  # at the end: nothing left to run
    out.append([(s.metadata["step"], s.metadata["source"], s.next) for s in
                graph.get_state_history(config)])
    out.append(graph.invoke({"log": ["again"]}, config))  # a second input on the thread
    out.append(RUNS)
    return out
"""
)

APPROVE_OR_REJECT = (
    STATE
    + """
from typing import Literal

def approval(state) -> Command[Literal["approved", "rejected"]]:
    ok = interrupt({"question": "approve?", "log": state["log"]})
    return Command(goto="approved" if ok else "rejected")

def approved(state):
    return {"log": ["approved"]}

def rejected(state):
    return {"log": ["rejected"]}

builder = StateGraph(State)
builder.add_node("approval", approval)
builder.add_node("approved", approved)
builder.add_node("rejected", rejected)
builder.add_edge(START, "approval")
builder.add_edge("approved", END)
builder.add_edge("rejected", END)
graph = builder.compile(checkpointer=MemorySaver())

def main():
    out = []
    for thread, answer in (("yes", True), ("no", False)):
        config = {"configurable": {"thread_id": thread}}
        out.append(list(graph.stream({"log": ["draft"]}, config, stream_mode="updates")))
        out.append(list(graph.stream(Command(resume=answer), config, stream_mode="updates")))
        out.append(graph.get_state(config).values)
    return out
"""
)

BREAKPOINT_EDIT_AND_CONTINUE = (
    STATE
    + """
def step_1(state):
    return {"log": ["1"]}

def step_2(state):
    return {"log": ["2"]}

def step_3(state):
    return {"log": ["3"], "count": state["count"] * 10}

builder = StateGraph(State)
builder.add_node("step_1", step_1)
builder.add_node("step_2", step_2)
builder.add_node("step_3", step_3)
builder.add_edge(START, "step_1")
builder.add_edge("step_1", "step_2")
builder.add_edge("step_2", "step_3")
graph = builder.compile(checkpointer=InMemorySaver(), interrupt_before=["step_3"])

def main():
    config = {"configurable": {"thread_id": "t"}}
    out = [list(graph.stream({"log": [], "count": 1}, config, stream_mode="values"))]
    snap = graph.get_state(config)
    out.append((snap.values, snap.next, snap.metadata))
    graph.update_state(config, {"count": 7})
    snap = graph.get_state(config)
    out.append((snap.values, snap.next, snap.metadata))
    out.append(list(graph.stream(None, config, stream_mode=["updates", "values"])))
    # per call, after a node
    config = {"configurable": {"thread_id": "after"}}
    out.append(graph.invoke({"log": [], "count": 2}, config, interrupt_after=["step_1"],
                            interrupt_before=[]))
    out.append(graph.get_state(config).next)
    out.append(graph.invoke(None, config, interrupt_before=[]))
    return out
"""
)

TIME_TRAVEL = (
    STATE
    + """
CALLS = []

def first(state):
    CALLS.append("first")
    return {"log": ["first"]}

def second(state):
    CALLS.append("second")
    return {"log": [f"second({state['count']})"]}

builder = StateGraph(State)
builder.add_node("first", first)
builder.add_node("second", second)
builder.add_edge(START, "first")
builder.add_edge("first", "second")
graph = builder.compile(checkpointer=InMemorySaver())

def main():
    config = {"configurable": {"thread_id": "tt"}}
    out = [graph.invoke({"log": [], "count": 1}, config)]
    history = list(graph.get_state_history(config))
    before_second = next(s for s in history if s.next == ("second",))
    out.append((before_second.values, before_second.metadata["step"]))
    # replay from a past checkpoint: only 'second' runs again
    out.append(graph.invoke(None, before_second.config))
    # edit a past checkpoint, then run from the edit: a fork
    forked = graph.update_state(before_second.config, {"count": 5})
    out.append(graph.get_state(forked).next)
    out.append(graph.invoke(None, forked))
    out.append(CALLS)
    out.append(graph.get_state(config).values)
    return out
"""
)

PARALLEL_INTERRUPT = (
    STATE
    + """
CALLS = []

def ask(state):
    CALLS.append("ask")
    return {"log": [f"asked:{interrupt('ok?')}"]}

def work(state):
    CALLS.append("work")
    return {"log": ["worked"]}

def join(state):
    return {"log": ["joined"]}

builder = StateGraph(State)
builder.add_node("ask", ask)
builder.add_node("work", work)
builder.add_node("join", join)
builder.add_edge(START, "ask")
builder.add_edge(START, "work")
builder.add_edge(["ask", "work"], "join")
graph = builder.compile(checkpointer=InMemorySaver())

def main():
    config = {"configurable": {"thread_id": "p"}}
    out = [graph.invoke({"log": [], "count": 0}, config)]
    snap = graph.get_state(config)
    out.append((snap.next, [(t.name, t.result) for t in snap.tasks]))
    out.append(graph.invoke(Command(resume="yes"), config))
    out.append(sorted(CALLS))  # work ran once: its write was kept while ask waited
    return out
"""
)


def test_multiple_interrupts_in_one_node_are_answered_in_order() -> None:
    out = assert_same(MULTIPLE_INTERRUPTS)
    assert out[4] == {"log": ["a", "ada:36", "c"], "count": 1}
    assert out[-1] == ["b", "b", "b", "b"]


def test_approve_or_reject_routes_by_the_answer() -> None:
    out = assert_same(APPROVE_OR_REJECT)
    assert out[2] == {"log": ["draft", "approved"]}
    assert out[5] == {"log": ["draft", "rejected"]}


def test_breakpoint_edit_state_and_continue() -> None:
    out = assert_same(BREAKPOINT_EDIT_AND_CONTINUE)
    assert out[3][-1] == ("values", {"log": ["1", "2", "3"], "count": 70})
    assert out[-2:] == [("step_2",), {"log": ["1", "2"], "count": 2}]


def test_time_travel_replays_and_forks_from_a_past_checkpoint() -> None:
    out = assert_same(TIME_TRAVEL)
    assert out[-2] == ["first", "second", "second", "second"]
    assert out[-1] == {"log": ["first", "second(5)"], "count": 5}


def test_a_sibling_that_finished_is_not_run_again_after_an_interrupt() -> None:
    out = assert_same(PARALLEL_INTERRUPT)
    assert out[-2] == {"log": ["asked:yes", "worked", "joined"], "count": 0}
    assert out[-1] == ["ask", "ask", "work"]
