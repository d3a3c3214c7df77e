"""A one-slot, latest-value mailbox between two threads.

A live producer never waits: a newer item replaces one the consumer has not taken yet, and the replaced item is
counted as dropped, so latency never builds up when the consumer is slower. An offline producer (analysing a
file) asks to wait instead, so that every item is processed.
"""
from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class MailboxClosed(Exception):
    """The mailbox was closed while waiting."""


class LatestMailbox(Generic[T]):
    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._item: T | None = None
        self._has_item = False
        self._closed = False
        self.dropped_count = 0
        self.put_count = 0

    def put(self, item: T, *, wait: bool = False, timeout_s: float | None = None) -> bool:
        """Offer ``item``. Live (``wait=False``): replace any untaken item (counted as dropped).

        Offline (``wait=True``): wait until the slot is free. Returns False if the mailbox is closed or the
        wait timed out.
        """
        with self._condition:
            if wait:
                if not self._condition.wait_for(lambda: not self._has_item or self._closed, timeout_s):
                    return False
            if self._closed:
                return False
            if self._has_item:
                self.dropped_count += 1
            self._item = item
            self._has_item = True
            self.put_count += 1
            self._condition.notify_all()
            return True

    def take(self, timeout_s: float | None = None) -> T | None:
        """The newest item, waiting for one up to ``timeout_s``; None on time-out. Raises MailboxClosed."""
        with self._condition:
            if not self._condition.wait_for(lambda: self._has_item or self._closed, timeout_s):
                return None
            if not self._has_item:
                raise MailboxClosed()
            item = self._item
            self._item = None
            self._has_item = False
            self._condition.notify_all()
            return item

    def close(self) -> None:
        """Wake every waiter; later puts are refused. An item still in the slot can still be taken."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed
