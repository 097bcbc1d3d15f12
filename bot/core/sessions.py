"""Short-lived conversation state per user, in memory only: ids and counters, never text."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

SESSION_TTL = 3600.0
MAX_SESSIONS = 20_000


@dataclass
class Session:
    """What the next turn may need from the last ones."""

    crisis_turns: int = 0  # answers still to carry the crisis reminder line
    crisis_category: str | None = None
    results: tuple[str, ...] = ()  # entry ids of the last search, for "more"


class Sessions:
    """Sessions by user key, expiring after SESSION_TTL and capped at MAX_SESSIONS."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._sessions: OrderedDict[str, tuple[float, Session]] = OrderedDict()

    def get(self, key: str) -> Session:
        now = self._clock()
        found = self._sessions.pop(key, None)
        session = found[1] if found and now - found[0] < SESSION_TTL else Session()
        self._sessions[key] = (now, session)
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return session

    def drop(self, key: str) -> None:
        self._sessions.pop(key, None)
