"""Use the functional API (docs: oss/use-functional-api, "Streaming"): the entrypoint
writes custom data with get_stream_writer(); stream_mode=["custom", "updates"] gives the
custom chunks, then the entrypoint's update. The async variant takes `writer` as a
parameter, as the page's Python < 3.11 note shows."""

import asyncio

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_stream_writer
from langgraph.func import entrypoint, task
from langgraph.types import StreamWriter

checkpointer = InMemorySaver()


@task
def add_one(x: int) -> int:
    return x + 1


@entrypoint(checkpointer=checkpointer)
def main_workflow(inputs: dict) -> int:
    writer = get_stream_writer()
    writer("Started processing")
    result = add_one(inputs["x"]).result() * 2
    writer(f"Result is {result}")
    return result


@entrypoint(checkpointer=checkpointer)
async def async_workflow(inputs: dict, writer: StreamWriter) -> int:
    writer("hello")
    result = await add_one(inputs["x"])
    writer("world")
    return result


async def collect():
    config = {"configurable": {"thread_id": "async"}}
    return [
        c async for c in async_workflow.astream({"x": 1}, config, stream_mode=["custom", "updates"])
    ]


def main():
    config = {"configurable": {"thread_id": "abc"}}
    chunks = [
        (mode, chunk)
        for mode, chunk in main_workflow.stream(
            {"x": 5}, stream_mode=["custom", "updates"], config=config
        )
    ]
    return chunks, asyncio.run(collect())
