"""``Mailbox``: an actor's inbox, a plain ``deque`` with a cheap wake-up for its one reader.

A put appends and, only when the reader is parked on an empty mailbox, resolves the future
it waits on; a read pops without yielding to the loop. (An anyio memory object stream did
this job before: its ``receive()`` yields once before it even looks at the buffer, and
creating one cost more than a whole transition's bookkeeping.) The errors stay anyio's:
``ClosedResourceError`` on a put or a read after ``close``, ``WouldBlock`` on an empty
read, as the callers (the Ray executor too) expect.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Generic, TypeVar

import anyio

T = TypeVar("T")


class Mailbox(Generic[T]):
    """An unbounded FIFO with one reader task. ``put`` never blocks and is loop-thread only."""

    __slots__ = ("_closed", "_items", "_loop", "_waiter")

    def __init__(self) -> None:
        self._items: deque[T] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None  # the reader's, when it waits
        # the reader's parked future while the mailbox is empty; None while it is not waiting
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: T) -> None:
        """Append ``item``; raises ``anyio.ClosedResourceError`` once the mailbox is closed."""
        if self._closed:
            raise anyio.ClosedResourceError
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def waiting(self) -> tuple[T, ...]:
        """The items not read yet, oldest first (a look: nothing is taken)."""
        return tuple(self._items)

    def take(self) -> T | None:
        """The next item, or None if there is none (items are never None)."""
        items = self._items
        return items.popleft() if items else None

    def get_nowait(self) -> T:
        """The next item; ``anyio.WouldBlock`` if empty, ``ClosedResourceError`` once closed."""
        if self._items:
            return self._items.popleft()
        raise anyio.ClosedResourceError if self._closed else anyio.WouldBlock

    async def get(self) -> T:
        """The next item, waiting if needed; ``ClosedResourceError`` once closed."""
        while not self._items and not self._closed:
            loop = self._loop
            if loop is None:
                loop = self._loop = asyncio.get_running_loop()
            self._waiter = waiter = loop.create_future()
            try:
                await waiter
            finally:
                self._waiter = None
        return self.get_nowait()

    def close(self) -> None:
        """No more puts, and what is left is dropped (called once the reader is done; a
        later read raises ``anyio.ClosedResourceError``)."""
        self._closed = True
        self._items.clear()
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    @property
    def closed(self) -> bool:
        return self._closed
