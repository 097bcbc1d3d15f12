"""Which updates have been handled: Telegram is told only about those.

Long polling confirms updates by asking for the next offset. python-telegram-bot asks for it as
soon as it has fetched a batch, so a crash (SIGKILL, out of memory, power) loses every update
fetched and not yet answered: about a thousand of a 1,500-message burst, crisis messages
included. Here the offset sent to Telegram never passes an update still being handled; after a
restart Telegram sends those again. An update handled already (a batch fetched again, or a
webhook delivery Telegram repeats) is not handled twice.

What can still be lost: an answer being sent at the moment of the crash may be sent again after
the restart (at least once, not exactly once). In webhook mode the handled ids are also written
to the store and read back at start (webhook.py), so a delivery Telegram repeats across a
restart is not answered again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

REMEMBERED = 10_000  # handled update ids kept, to recognise a repeat


class Ledger:
    """Update ids handed to the handlers and not yet finished, and ids already handled."""

    def __init__(self) -> None:
        self._in_flight: set[int] = set()  # fetched or started, not finished
        self._started: set[int] = set()
        self._handled: set[int] = set()
        self._order: deque[int] = deque()
        self._changed: asyncio.Event | None = None

    def offset(self, asked: int | None) -> int | None:
        """The offset to confirm: never past an update still being handled."""
        if not self._in_flight:
            return asked
        oldest = min(self._in_flight)
        return oldest if asked is None else min(asked, oldest)

    @property
    def busy(self) -> bool:
        return bool(self._in_flight)

    def fetched(self, update_id: int) -> bool:
        """A polled update: new unless being handled or handled already."""
        if update_id in self._in_flight or update_id in self._handled:
            return False
        self._in_flight.add(update_id)
        return True

    def start(self, update_id: int) -> bool:
        """The handlers are about to run: False for a repeat (started or handled already)."""
        if update_id in self._started or update_id in self._handled:
            return False
        self._started.add(update_id)
        self._in_flight.add(update_id)
        return True

    def remember(self, update_ids: list[int]) -> None:
        """Ids handled before a restart (webhook mode): a repeat of one is not handled again."""
        for update_id in update_ids:
            if update_id not in self._handled:
                self._handled_now(update_id)

    def finished(self, update_id: int) -> None:
        self._in_flight.discard(update_id)
        self._started.discard(update_id)
        self._handled_now(update_id)
        if self._changed is not None:
            self._changed.set()

    def _handled_now(self, update_id: int) -> None:
        self._handled.add(update_id)
        self._order.append(update_id)
        while len(self._order) > REMEMBERED:
            self._handled.discard(self._order.popleft())

    async def idle(self, seconds: float) -> None:
        """Until nothing is being handled, or `seconds` pass (one slow chat must not stop
        everyone's polling)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while self._in_flight:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            await self.wait(left)

    async def wait(self, seconds: float) -> None:
        """Until an update finishes, or `seconds` pass."""
        if self._changed is None:
            self._changed = asyncio.Event()
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)
