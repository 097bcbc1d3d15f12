"""Per-user flood protection: a token bucket per user, in memory only.

Crisis messages and /sos never pass through here (see `bot.core`): a person in danger who has
been typing fast must still get help at once. A user's state is one small tuple (tokens left,
when last seen, warned), not a list of message times: 20,000 people writing at once cost about
2 MB here (bench/README.md, soak).
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
        tokens = min(float(self.limit), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._remember(key, (tokens - 1.0, now, False))
            return ALLOWED
        self._remember(key, (tokens, now, True))
        return QUIET if warned else WARN

    def _remember(self, key: str, state: tuple[float, float, bool]) -> None:
        self._users[key] = state  # most recent last, for LRU eviction
        if len(self._users) > self.max_users:
            self._users.popitem(last=False)
