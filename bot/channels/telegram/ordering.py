"""Updates from different chats run concurrently; updates from one chat run in order.

python-telegram-bot processes updates one at a time by default, so while one answer waits on
the Bot API (tens of milliseconds on a good day, seconds when it hiccups and the sender
retries), every other person waits too. With this processor a slow answer for one person holds
up only that person's next message, and a person's messages are still answered in the order
sent: a crisis message is never overtaken by the question typed before it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram.ledger import Ledger

# 16 updates in hand at once, and as many HTTP connections to the Bot API (app.py): each answer
# is one call, so a 17th update would only queue for a connection, and httpcore's pool checks
# every connection for every queued request (both grow together). Measured with bench/ on 2 cores:
# 64 updates over 256 connections gave 135 updates/s on loopback and 144/s with a 50 ms round
# trip; 16 over 16 gives about 190/s in both. A slow Bot API (1 s a call) still moves 16 chats a
# second, and crisis detection never waits for it: it runs before the reply is sent.
MAX_CONCURRENT_UPDATES = 16


def chat_key(update: object) -> int:
    """The chat an update belongs to (0 for updates with none, which then run in order)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return 0


class PerChatOrder(BaseUpdateProcessor):
    """Concurrent across chats, sequential within one."""

    def __init__(
        self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES, ledger: Ledger | None = None
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.ledger = ledger or Ledger()
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # how many updates hold or await each chat's lock

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is not None and not self.ledger.start(update_id):
            close = getattr(coroutine, "close", None)  # a repeat (a webhook delivered it again)
            if close is not None:
                close()
            return
        try:
            await self._in_order(update, coroutine)
        finally:
            if update_id is not None:
                self.ledger.finished(update_id)

    async def _in_order(self, update: object, coroutine: Awaitable[object]) -> None:
        key = chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # forget idle chats: memory stays flat
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
