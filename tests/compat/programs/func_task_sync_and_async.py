"""Functional API overview (docs: oss/functional-api, "Executing tasks"): a task's future
is waited for with .result() in a sync entrypoint and awaited in an async one."""

import asyncio

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task

checkpointer = InMemorySaver()


@task()
def slow_computation(input_value):
    # Simulate a long-running operation
    return input_value * 10


@entrypoint(checkpointer=checkpointer)
def my_workflow(some_input: int) -> int:
    future = slow_computation(some_input)
    return future.result()  # Wait for the result synchronously


@entrypoint(checkpointer=checkpointer)
async def my_async_workflow(some_input: int) -> int:
    return await slow_computation(some_input)  # Await result asynchronously


async def main():
    config = {"configurable": {"thread_id": "some_thread_id"}}
    async_config = {"configurable": {"thread_id": "another_thread_id"}}
    sync_result = await asyncio.to_thread(my_workflow.invoke, 4, config)
    async_result = await my_async_workflow.ainvoke(5, async_config)
    streamed = [chunk async for chunk in my_async_workflow.astream(6, async_config)]
    return sync_result, async_result, streamed
