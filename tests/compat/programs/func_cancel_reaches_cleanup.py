"""Cancelling the caller while an async entrypoint awaits a task (the seed scenario written
with the functional API of docs: oss/functional-api): the entrypoint catches CancelledError
around `await slow_task(x)` and calls cleanup_task. On both engines slow_task and the
entrypoint see the cancellation, cleanup_task runs before the caller sees CancelledError
(graphstage turns the caller's cancellation into a graceful stop; the order in which the
task and the entrypoint see it differs, so the log is compared sorted)."""

import asyncio

from langgraph.func import entrypoint, task

log = []
started = asyncio.Event()


@task
async def slow_task(x: int) -> int:
    started.set()
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        log.append("slow_task cancelled")
        raise
    return x


@task
async def cleanup_task(x: int) -> str:
    log.append(f"cleanup {x}")
    return "cleaned"


@entrypoint()
async def workflow(x: int) -> dict:
    try:
        return {"value": await slow_task(x)}
    except asyncio.CancelledError:
        log.append("workflow cancelled")
        return {"cleanup": await cleanup_task(x)}


async def main():
    started.clear()
    log.clear()
    call = asyncio.create_task(workflow.ainvoke(5))
    await started.wait()
    call.cancel()
    try:
        await call
        outcome = "returned"
    except asyncio.CancelledError:
        outcome = "cancelled"
    return outcome, sorted(log)
