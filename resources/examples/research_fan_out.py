"""Fan-out, a join, a conditional loop and ``on_cancel`` routes.

``plan`` fans out to two searches that run at once; ``merge`` waits for both (a join);
``review`` loops back to ``plan`` until enough rounds are done. Stop the run while the
searches are active: both are told, both answer the stop with a ``Command`` to
``save_partial`` carrying the results found so far, and ``save_partial`` runs once and
keeps them. (Both also name ``save_partial`` as their ``on_cancel`` route: a search that
re-raised, or did not answer within the grace, still ends there, without its results.)
"""

import asyncio
import operator
from typing import Annotated

from pydantic import BaseModel, Field

from graphstage import END, START, Command, StateGraph


class Research(BaseModel):
    topic: str = Field("actor runtimes", min_length=1, description="What to research")
    rounds: int = Field(2, ge=1, le=5, description="Review rounds before publishing")
    round: int = 0
    findings: Annotated[list[str], operator.add] = []
    summary: str | None = None


async def plan(state: Research, writer):
    writer(f"plan: round {state.round + 1} of {state.rounds} on {state.topic!r}")
    return {"round": state.round + 1}


def search(source: str, seconds: float):
    async def node(state: Research, writer):
        found: list[str] = []
        try:
            for i in range(1, 4):
                await asyncio.sleep(seconds)
                writer(f"{source}: result {i}/3")
                found.append(f"{source} r{state.round} result {i}")
        except asyncio.CancelledError:  # stopped: hand over what was found so far
            writer(f"{source}: stopped after {len(found)} result(s)")
            return Command(goto="save_partial", update={"findings": found})
        return {"findings": [f"{source} r{state.round}"]}

    node.__name__ = f"search_{source}"
    return node


async def merge(state: Research, writer):
    writer(f"merge: {len(state.findings)} findings so far")
    return None


def review(state: Research) -> str:
    return "publish" if state.round >= state.rounds else "revise"


async def publish(state: Research, writer):
    writer("publish: writing the summary")
    return {"summary": "; ".join(state.findings)}


async def save_partial(state: Research, writer):
    writer(f"save_partial: keeping {len(state.findings)} findings")
    return {"summary": f"partial: {'; '.join(state.findings) or 'nothing yet'}"}


builder = StateGraph(Research)
builder.add_node("plan", plan)
builder.add_node("search_web", search("web", 0.6), on_cancel="save_partial")
builder.add_node("search_papers", search("papers", 0.9), on_cancel="save_partial")
builder.add_node("merge", merge)
builder.add_node("publish", publish)
builder.add_node("save_partial", save_partial)
builder.add_edge(START, "plan")
builder.add_edge("plan", "search_web")
builder.add_edge("plan", "search_papers")
builder.add_edge(["search_web", "search_papers"], "merge")
builder.add_conditional_edges("merge", review, {"revise": "plan", "publish": "publish"})
builder.add_edge("publish", END)
graph = builder.compile(cancel_grace=3.0, name="research_fan_out")
