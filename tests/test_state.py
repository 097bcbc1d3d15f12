"""Per-user state held in memory: flood buckets, sessions and /clear's message ids. Each is
bounded, kept small, and forgets only what it would answer the same way without."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.telegram import sending
from bot.channels.telegram.sending import RECENT_PER_CHAT, RecentMessages
from bot.core import sessions as sessions_module
from bot.core.flood import QUIET, WARN, FloodGuard, Verdict
from bot.core.sessions import SESSION_TTL, Sessions


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class RememberingGuard:
    """The token bucket as it was before full buckets were forgotten: every user kept."""

    def __init__(self, limit: int, window: float, clock: Clock) -> None:
        self.limit, self.rate, self.clock = limit, limit / window, clock
        self.users: OrderedDict[str, tuple[float, float, bool]] = OrderedDict()

    def check(self, key: str) -> tuple[bool, bool]:
        now = self.clock()
        tokens, last, warned = self.users.pop(key, (float(self.limit), now, False))
        tokens = min(float(self.limit), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self.users[key] = (tokens - 1.0, now, False)
            return True, False
        self.users[key] = (tokens, now, True)
        return False, not warned


@settings(max_examples=300, deadline=None)
@given(
    limit=st.integers(0, 4),
    window=st.sampled_from([0.5, 1.0, 20.0]),
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from([0.0, 0.02, 0.1, 0.15, 0.3, 1.0, 7.0, 25.0])),
        max_size=80,
    ),
)
def test_flood_guard_answers_as_if_it_forgot_nothing(
    limit: int, window: float, steps: list[tuple[int, float]]
) -> None:
    clock = Clock()
    guard = FloodGuard(limit, window, clock=clock)
    reference = RememberingGuard(limit, window, clock)
    for user, wait in steps:
        clock.now += wait
        verdict = guard.check(f"user{user}")
        assert (verdict.allowed, verdict.warn) == reference.check(f"user{user}")


def test_flood_guard_holds_only_people_who_wrote_within_the_window() -> None:
    clock = Clock()
    guard = FloodGuard(limit=12, window=20.0, clock=clock)
    for user in range(1000):
        assert guard.check(f"user{user}").allowed
    assert len(guard._users) == 1000
    clock.now += 20.0
    guard.check("someone new")
    assert len(guard._users) == 1


def test_flood_guard_still_refuses_a_flood_and_warns_once() -> None:
    clock = Clock()
    guard = FloodGuard(limit=3, window=30.0, clock=clock)
    verdicts: list[Verdict] = [guard.check("a") for _ in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert verdicts[3:] == [WARN, QUIET]
    clock.now += 10.0  # one token back
    assert guard.check("a").allowed and not guard.check("a").allowed


def test_flood_guard_keeps_its_cap() -> None:
    guard = FloodGuard(limit=12, window=20.0, max_users=50, clock=Clock())
    for user in range(200):
        guard.check(f"user{user}")
    assert len(guard._users) == 50


def test_a_session_lasts_an_hour_and_is_then_forgotten() -> None:
    clock = Clock()
    book = Sessions(clock)
    session = book.get("a")
    session.results = ("sc-one",)
    clock.now += SESSION_TTL - 1
    assert book.get("a") is session
    clock.now += SESSION_TTL
    book.get("b")
    assert "a" not in book._sessions  # expired: as good as never seen
    fresh = book.get("a")
    assert fresh is not session and fresh.results == ()


def test_sessions_keep_their_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions_module, "MAX_SESSIONS", 3)
    book = Sessions(Clock())
    for user in "abcde":
        book.get(user)
    assert list(book._sessions) == ["c", "d", "e"]


def test_recent_messages_give_back_the_newest_ids_of_a_chat_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1_700_000_000.0]
    monkeypatch.setattr(sending.time, "time", lambda: now[0])
    recent = RecentMessages()
    for message_id in range(1, RECENT_PER_CHAT + 11):
        recent.add(7, message_id)
        recent.add(8, 10_000 + message_id)
    assert recent.take(7) == list(range(11, RECENT_PER_CHAT + 11))
    assert recent.take(7) == []
    now[0] += 48 * 3600  # past Telegram's deletion window
    recent.add(8, 2**31 - 1)
    assert recent.take(8) == [2**31 - 1]
