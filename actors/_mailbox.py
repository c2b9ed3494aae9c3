"""``Mailbox``: an actor's inbox, an anyio memory object stream with a cheap wake-up.

anyio's ``receive()`` yields to the loop once before it even looks at the buffer (a
checkpoint), which costs a whole event-loop iteration on every message; on the hot path
that is most of a transition. A mailbox reads with ``receive_nowait()`` and, only when the
buffer is empty, parks its single reader on a future that the next ``put`` resolves.
Closing and buffering stay anyio's.
"""

from __future__ import annotations

import asyncio
import math
from typing import Generic, TypeVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

T = TypeVar("T")


class Mailbox(Generic[T]):
    """An unbounded FIFO with one reader task. ``put`` never blocks and is loop-thread only."""

    __slots__ = ("_loop", "_queued", "_receive", "_send", "_waiter")

    def __init__(self) -> None:
        # not create_memory_object_stream[T](...): calling a subscripted generic goes
        # through typing machinery that costs more than the stream itself
        stream: tuple[MemoryObjectSendStream[T], MemoryObjectReceiveStream[T]]
        stream = anyio.create_memory_object_stream(math.inf)
        self._send, self._receive = stream
        self._loop = asyncio.get_running_loop()
        # the reader's parked future while the buffer is empty; None while it is not waiting
        self._waiter: asyncio.Future[None] | None = None
        # items in the stream's buffer: lets an empty read skip anyio's WouldBlock, an
        # exception raised and caught on every idle read of the hot path
        self._queued = 0

    def __len__(self) -> int:
        return self._queued

    def put(self, item: T) -> None:
        """Append ``item``; raises ``anyio.ClosedResourceError`` once the mailbox is closed."""
        self._send.send_nowait(item)
        self._queued += 1
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def get_nowait(self) -> T:
        """The next item; ``anyio.WouldBlock`` if empty, ``anyio.EndOfStream`` once closed."""
        item = self._receive.receive_nowait()
        self._queued -= 1
        return item

    async def get(self) -> T:
        """The next item, waiting if needed; ``anyio.EndOfStream`` once closed and empty."""
        while not self._queued and not self._send._closed:
            self._waiter = waiter = self._loop.create_future()
            await waiter
        return self.get_nowait()

    def close(self) -> None:
        """No more puts, and what is left is dropped: both ends of the stream are closed
        (an unclosed end is a ``ResourceWarning`` under ``python -X dev``). Called once the
        reader is done; a later read raises ``anyio.ClosedResourceError``."""
        self._send.close()
        self._receive.close()
        self._queued = 0
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    @property
    def closed(self) -> bool:
        return self._send._closed
