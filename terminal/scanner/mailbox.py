"""A one-slot mailbox: the newest item replaces any unread one.

Capture puts every frame here and the decoder takes the newest, so a slow
decoder skips frames instead of falling behind on a queue of stale ones.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class LatestOnly(Generic[T]):
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: T | None = None
        self._closed = False
        self.replaced = 0  # items overwritten before anyone took them

    def put(self, item: T) -> bool:
        """Store ``item``; True when the slot was empty (nobody has been told yet)."""
        with self._cond:
            was_empty = self._item is None
            if not was_empty:
                self.replaced += 1
            self._item = item
            self._cond.notify_all()
            return was_empty

    def take(self, timeout: float | None = None) -> T | None:
        """The newest item, waiting up to ``timeout``; None on timeout or when closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._item is not None or self._closed, timeout)
            item, self._item = self._item, None
            return item

    def take_nowait(self) -> T | None:
        with self._cond:
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        """Wake every waiter; later ``take`` calls return at once."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def reopen(self) -> None:
        with self._cond:
            self._closed = False
            self._item = None
