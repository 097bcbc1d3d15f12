"""Aggregate counters, added up in memory and written in one transaction every few seconds.

A write per message cost more than the answer under load. A crash loses at most these seconds of
counts; no answer depends on them. Names only, from a fixed vocabulary (routes, lanes, kinds,
corpus collections): never anything a user typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable
from typing import TypeVar

from bot.store import Store

logger = logging.getLogger(__name__)
T = TypeVar("T")

COUNTER_FLUSH_SECONDS = 10.0


async def safely(operation: Awaitable[T] | None) -> T | None:
    """Run a store operation; on failure log the fault (no content) and carry on without it.
    The store is never allowed to cost anyone an answer."""
    if operation is None:
        return None
    try:
        return await operation
    except Exception as exc:
        logger.warning("store_unavailable error=%s", type(exc).__name__)
        return None


class Counters:
    """Counts by name, flushed to the store by a background task."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._counts: Counter[str] = Counter()
        self._flusher: asyncio.Task[None] | None = None  # sleeping until the next write
        self._writing = asyncio.Lock()

    def add(self, name: str) -> None:
        """Neither a locked database nor the write itself delays an answer."""
        if self.store is None:
            return
        self._counts[name] += 1
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(COUNTER_FLUSH_SECONDS)
        self._flusher = None  # from here on a write, which drain() waits for, never cancels
        await self._flush()

    async def _flush(self) -> None:
        async with self._writing:
            counts, self._counts = self._counts, Counter()
            if not counts or self.store is None:
                return
            if await safely(self.store.add_counts(counts)) is None:
                self._counts.update(counts)  # keep them for the next try (a handful of names)

    async def drain(self) -> None:
        """Write what was added up so far (at shutdown, before the store closes, and before
        /stats reads the totals)."""
        flusher, self._flusher = self._flusher, None
        if flusher is not None:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
        await self._flush()
