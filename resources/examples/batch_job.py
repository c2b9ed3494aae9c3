"""A sync node that polls ``ctx.cancel_requested``, in a loop driven by a conditional edge.

``process_batch`` is a plain ``def``: it runs in a worker thread, where a cancellation
cannot be raised, so it checks ``ctx.cancel_requested`` between items and answers a stop
with ``Command(goto="write_checkpoint")``. Try "Stop after this step" (drain) too: the
batch in progress finishes, then the run takes ``on_cancel`` instead of the next batch.
"""

import time

from pydantic import BaseModel, Field

from graphstage import END, START, Command, StateGraph


class Job(BaseModel):
    batches: int = Field(4, ge=1, le=20, description="How many batches to process")
    batch_size: int = Field(10, gt=0, le=100, description="Items per batch")
    done: int = 0
    checkpoint: str | None = None


def process_batch(state: Job, ctx):
    start = state.done
    for item in range(start, start + state.batch_size):
        if ctx.cancel_requested:
            ctx.writer(f"stop seen at item {item}: checkpointing")
            return Command(goto="write_checkpoint", update={"done": item})
        time.sleep(0.1)
        ctx.writer(f"item {item + 1} done")
    return {"done": start + state.batch_size}


def more(state: Job) -> str:
    return "next" if state.done < state.batches * state.batch_size else "finish"


def write_checkpoint(state: Job, writer):
    writer(f"checkpoint: {state.done} items done")
    return {"checkpoint": f"resume at item {state.done}"}


builder = StateGraph(Job)
builder.add_node("process_batch", process_batch, on_cancel="write_checkpoint")
builder.add_node("write_checkpoint", write_checkpoint)
builder.add_edge(START, "process_batch")
builder.add_conditional_edges(
    "process_batch", more, {"next": "process_batch", "finish": "write_checkpoint"}
)
builder.add_edge("write_checkpoint", END)
graph = builder.compile(cancel_grace=2.0, name="batch_job")
