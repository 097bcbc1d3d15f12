"""Per-user flood protection: a token bucket per user, in memory only.

Crisis messages and /sos never pass through here (see `bot.core`): a person in danger who has
been typing fast must still get help at once. A user's state is one small tuple (tokens left,
when last seen, warned), not a list of message times, and only while their bucket is not full:
a full bucket answers exactly as a new user's does, so it is forgotten. What is held is then
the people who wrote in the last `window` seconds (about 220 bytes each), not everyone since
the start: 4.3 MB after 20,000 users before (traced; bench/README.md, 2026-12-07).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    warn: bool  # the first refusal since the user was last allowed: tell them once, then quiet


ALLOWED = Verdict(True, False)
WARN = Verdict(False, True)
QUIET = Verdict(False, False)


class FloodGuard:
    """Allow bursts of `limit` messages, refilled at `limit` per `window` seconds, per user."""

    def __init__(
        self,
        limit: int = 12,
        window: float = 20.0,
        max_users: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.rate = limit / window
        self.max_users = max_users
        self._clock = clock
        self._users: OrderedDict[str, tuple[float, float, bool]] = OrderedDict()

    def check(self, key: str) -> Verdict:
        now = self._clock()
        tokens, last, warned = self._users.pop(key, (float(self.limit), now, False))
        tokens = self._refilled(tokens, last, now)
        if tokens >= 1.0:
            self._remember(key, (tokens - 1.0, now, False), now)
            return ALLOWED
        self._remember(key, (tokens, now, True), now)
        return QUIET if warned else WARN

    def _refilled(self, tokens: float, last: float, now: float) -> float:
        return min(float(self.limit), tokens + (now - last) * self.rate)

    def _remember(self, key: str, state: tuple[float, float, bool], now: float) -> None:
        users = self._users
        users[key] = state  # most recent last, for LRU eviction
        # Forget the longest-idle buckets once full again: a full bucket is allowed and left
        # with limit - 1 tokens, exactly as a new user is (with no token to give, a new user is
        # warned where a warned one is not: then nothing is forgotten).
        while self.limit >= 1 and len(users) > 1:
            oldest = next(iter(users))
            tokens, last, _ = users[oldest]
            if self._refilled(tokens, last, now) < self.limit:
                break
            del users[oldest]
        if len(users) > self.max_users:
            users.popitem(last=False)
