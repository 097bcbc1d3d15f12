"""Per-user flood protection: a sliding window of message times, in memory only.

Crisis messages and /sos never pass through here (see `bot.core`): a person in danger who has
been typing fast must still get help at once.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    warn: bool  # the first refusal in a window: tell the user once, then stay quiet


class FloodGuard:
    """Allow at most `limit` messages per `window` seconds per user key."""

    def __init__(
        self,
        limit: int = 12,
        window: float = 20.0,
        max_users: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._warned: dict[str, float] = {}

    def check(self, key: str) -> Verdict:
        now = self._clock()
        times = self._seen.pop(key, None) or deque()
        self._seen[key] = times  # most recent last, for LRU eviction
        while times and now - times[0] > self.window:
            times.popleft()
        if len(self._seen) > self.max_users:
            old, _ = self._seen.popitem(last=False)
            self._warned.pop(old, None)
        if len(times) < self.limit:
            times.append(now)
            self._warned.pop(key, None)
            return Verdict(True, False)
        warned_at = self._warned.get(key)
        if warned_at is None or now - warned_at > self.window:
            self._warned[key] = now
            return Verdict(False, True)
        return Verdict(False, False)
