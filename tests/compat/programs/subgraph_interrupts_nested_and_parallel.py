"""Questions asked deep inside subgraphs: an interrupt() two levels down pauses the top
graph and is answered from it; two subgraph nodes of one step (and a Send to a subgraph
node) that ask at once are answered together with Command(resume={id: answer}), each
subgraph going on from its own checkpoint (LangGraph's human-in-the-loop how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send, interrupt
from typing_extensions import TypedDict

RAN = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def asking(name):
    def before(state):
        RAN.append(f"{name}.before")
        return {"log": [f"{name} before"]}

    def ask(state):
        RAN.append(f"{name}.ask")
        return {"log": [f"{name} got {interrupt(name + ': ' + state['log'][0])}"]}

    graph = StateGraph(State)
    graph.add_node("before", before)
    graph.add_node("ask", ask)
    graph.add_edge(START, "before")
    graph.add_edge("before", "ask")
    return graph.compile()


deep = StateGraph(State)
deep.add_node("inner", asking("inner"))
deep.add_node("after_inner", lambda state: {"log": ["after inner"]})
deep.add_edge(START, "inner")
deep.add_edge("inner", "after_inner")

top = StateGraph(State)
top.add_node("deep", deep.compile())
top.add_node("left", asking("left"))
top.add_node("right", asking("right"))
top.add_edge(START, "deep")
top.add_edge("deep", "left")
top.add_edge("deep", "right")
graph = top.compile(checkpointer=InMemorySaver())


def fan_out(state):
    return [Send("each", {"log": [f"item {i}"]}) for i in (1, 2)]


sends = StateGraph(State)
sends.add_node("each", asking("each"))
sends.add_conditional_edges(START, fan_out)
sending = sends.compile(checkpointer=InMemorySaver())


def plain(value):
    """Interrupts as ("interrupt", value): their ids differ by design."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", plain(value.value))
    if isinstance(value, dict):
        # questions asked by parallel sync nodes arrive in the order their threads ran:
        # LangGraph's own order varies from run to run, so compare them as a set
        return {
            k: sorted(plain(v), key=repr) if k == "__interrupt__" else plain(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


async def answer_all(g, config, out):
    state = await g.aget_state(config)
    ids = {i.value: i.id for i in state.interrupts}
    out.append(sorted(ids))
    RAN.clear()
    out.append(await g.ainvoke(Command(resume={i: f"{v}!" for v, i in ids.items()}), config))
    out.append(sorted(RAN))


async def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    out.append(await graph.ainvoke({"log": []}, config))
    out.append(list(RAN))
    RAN.clear()
    out.append(await graph.ainvoke(Command(resume="deep answer"), config))
    out.append(sorted(RAN))
    await answer_all(graph, config, out)
    RAN.clear()
    config = {"configurable": {"thread_id": "2"}}
    out.append(await sending.ainvoke({"log": []}, config))
    await answer_all(sending, config, out)
    return plain(out)
