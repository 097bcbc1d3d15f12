"""Short-lived conversation state per user, in memory only: ids and counters, never text."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

SESSION_TTL = 3600.0
MAX_SESSIONS = 20_000
# After a crisis reply the next turns are read in its context (bot/core/followup.py): "yes",
# "no", "I'm in Georgia" answer the crisis reply's questions. For this long, or this many turns.
CRISIS_STATE_SECONDS = 1800.0
CRISIS_STATE_TURNS = 10


@dataclass(slots=True)
class Session:
    """What the next turn may need from the last ones."""

    crisis_turns: int = 0  # answers still to carry the crisis reminder line
    crisis_category: str | None = None
    results: tuple[str, ...] = ()  # entry ids of the last search, for "more"
    shown: tuple[str, ...] = ()  # base ids of the entries shown since, so "more" skips them
    # The crisis state: until when, how many turns are left, in which language the crisis reply
    # was written and for which lanes. Codes and a time only, never what was said.
    crisis_until: float = 0.0
    crisis_turns_left: int = 0
    crisis_lang: str | None = None
    crisis_lanes: tuple[str, ...] = ()
    seen: float = 0.0  # when last used (the sessions' clock): it expires SESSION_TTL later

    def enter_crisis(self, now: float, lang: str, lanes: tuple[str, ...]) -> None:
        """Start (or renew) the crisis state after a crisis reply or /sos."""
        self.crisis_until = now + CRISIS_STATE_SECONDS
        self.crisis_turns_left = CRISIS_STATE_TURNS
        self.crisis_lang = lang
        self.crisis_lanes = tuple(dict.fromkeys((*lanes, *self.crisis_lanes)))

    def silent_since_crisis(self, now: float) -> bool:
        """No turn since the crisis reply, and the state still on: time to check in."""
        return self.in_crisis(now) and self.crisis_turns_left == CRISIS_STATE_TURNS

    def in_crisis(self, now: float) -> bool:
        return self.crisis_turns_left > 0 and now < self.crisis_until

    def crisis_turn(self) -> None:
        self.crisis_turns_left -= 1


class Sessions:
    """Sessions by user key, expiring after SESSION_TTL and capped at MAX_SESSIONS.

    An expired session reads as a new one, so the longest-unused sessions are forgotten as soon
    as they expire: what is held is the last hour's users, not the last 20,000."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()  # least recently used first

    def now(self) -> float:
        return self._clock()

    def get(self, key: str) -> Session:
        now = self._clock()
        sessions = self._sessions
        session = sessions.pop(key, None)
        if session is None or now - session.seen >= SESSION_TTL:
            session = Session()
        session.seen = now
        sessions[key] = session
        while len(sessions) > 1 and now - next(iter(sessions.values())).seen >= SESSION_TTL:
            sessions.popitem(last=False)
        while len(sessions) > MAX_SESSIONS:
            sessions.popitem(last=False)
        return session

    def drop(self, key: str) -> None:
        self._sessions.pop(key, None)
