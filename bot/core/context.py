"""What a route handler is given (`Turn`) and what every entry point returns (`Outcome`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.core.counters import Counters
from bot.core.library import Library
from bot.core.prefs import Prefs, PrefsBook, User
from bot.core.reply import Block, Reply
from bot.core.sessions import Session, Sessions
from bot.store import Store


class Effect(Enum):
    """Something the channel does besides sending the reply."""

    NONE = "none"
    CLEAR = "clear"  # delete the chat's recent messages
    FILE = "file"  # send the reply's attachment as a file
    FORGET = "forget"  # the user was forgotten: drop the chat's pending deletions too
    CHECK_IN = "check_in"  # a crisis reply: if the person says nothing, check in later


@dataclass(frozen=True)
class Outcome:
    """A reply, the preferences it should be delivered with, and a channel effect to carry out."""

    reply: Reply | None  # None: say nothing (a flood the user was already warned about)
    prefs: Prefs
    effect: Effect = Effect.NONE


@dataclass(frozen=True)
class Policy:
    """The operator's settings the replies mention."""

    retention_days: int = 180
    discreet_minutes: int = 30


@dataclass(frozen=True)
class Turn:
    """One turn as a handler sees it: the content, the user, their choices and session, and the
    few stateful services a setting or a vote needs."""

    library: Library
    user: User
    prefs: Prefs
    session: Session
    book: PrefsBook
    sessions: Sessions
    counters: Counters
    store: Store | None
    policy: Policy

    @property
    def lang(self) -> str:
        return self.prefs.lang

    def text(self, key: str, **values: object) -> str:
        return self.library.texts.get(self.prefs.lang, key, **values)

    def info(self, key: str, **values: object) -> Reply:
        """A one-line informational reply in the user's language."""
        return Reply((Block(self.text(key, **values)),), "info", self.prefs.lang)

    def outcome(self, reply: Reply | None, effect: Effect = Effect.NONE) -> Outcome:
        return Outcome(reply, self.prefs, effect)
