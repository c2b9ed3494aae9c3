"""The sync API (``invoke``, ``stream``, ``batch``) over the async one, as LangGraph's behaves.

``invoke`` runs its coroutine with ``asyncio.run`` in the caller's thread; when that thread
already runs an event loop (a Jupyter notebook, or async code calling the sync API, both of
which LangGraph's sync API serves), ``asyncio.run`` would refuse, so the coroutine runs on
a loop of its own in a worker thread while the caller waits. ``stream`` yields each chunk
as the run produces it (not all at the end): the async stream runs on its own loop in a
worker thread and hands its chunks over through a queue, one at a time: it reads on only
when the consumer asks for the next chunk (``next()``), so a stream that holds its run
(``graphstage._hold``) holds it while the consumer handles a chunk. When the consumer stops
early (``break``, ``close()``, an exception or Ctrl+C in its loop), the async stream is
closed (or, while it waits for the run, its task cancelled), which stops the run
gracefully, and the generator returns once the run has settled. Both carry the caller's
context variables (a graph started inside a node finds its parent run).
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_ITEM, _DONE, _ERROR = 0, 1, 2


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(make())``, in a worker thread when this thread runs a loop already."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    context = contextvars.copy_context()
    outcome: list[Any] = []

    def work() -> None:
        try:
            outcome.append((True, context.run(asyncio.run, make())))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=work, name="graphstage sync call", daemon=True)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def iterate_sync(make: Callable[[], AsyncIterator[T]]) -> Iterator[T]:
    """The items of the async iterator ``make()`` as they come, from sync code; the next
    one is read only once the consumer asks for it."""
    items: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
    started = threading.Event()
    # the worker's loop, its task, and what the consumer sets to ask for the next item
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[Any], asyncio.Event]] = []

    async def pump() -> None:
        task = asyncio.current_task()
        assert task is not None
        asked = asyncio.Event()
        running.append((asyncio.get_running_loop(), task, asked))
        started.set()
        stream = make()
        try:
            while True:
                try:
                    item = await anext(stream)
                except StopAsyncIteration:
                    break
                items.put((_ITEM, item))
                try:
                    await asked.wait()
                except asyncio.CancelledError:
                    # the consumer left while holding this item: close the stream (which
                    # stops the run and waits until it has settled); nobody reads on
                    task.uncancel()
                    await aclose(stream)
                    return
                asked.clear()
        except asyncio.CancelledError:
            return  # the consumer left while the stream waited (the run has settled)
        except BaseException as exc:  # handed to the consumer's thread
            items.put((_ERROR, exc))
        else:
            items.put((_DONE, None))

    context = contextvars.copy_context()
    thread = threading.Thread(
        target=context.run, args=(asyncio.run, pump()), name="graphstage stream", daemon=True
    )
    thread.start()
    finished = False
    try:
        while True:
            kind, value = items.get()
            if kind == _ITEM:
                yield value
                loop, _, asked = running[0]
                loop.call_soon_threadsafe(asked.set)  # asked for the next one
            else:
                finished = True
                if kind == _ERROR:
                    raise value
                return
    finally:
        if not finished:  # the consumer stopped early: stop the run, wait until it settled
            started.wait()
            loop, task, _ = running[0]
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:  # the loop closed meanwhile: the stream had ended
                pass
        thread.join()


async def aclose(stream: AsyncIterator[Any]) -> None:
    """Close an async generator (``aclose``); any other async iterator is left as is."""
    close = getattr(stream, "aclose", None)
    if close is not None:
        await close()
