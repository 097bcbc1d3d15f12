"""Who is writing and what they chose: preferences in memory, read from and saved to the store.

Users are known by a keyed pseudonym only. A slow or broken store never holds up an answer: the
lookup waits at most STORE_PATIENCE, then the client's language and no choices stand.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections import OrderedDict
from dataclasses import dataclass

from bot.content.model import AUDIENCES
from bot.core.counters import safely
from bot.store import Store, StoredPrefs

ROLES = AUDIENCES  # a user's role is one of the audiences passages are written for
STORE_PATIENCE = 1.0  # seconds to wait for stored preferences before using the defaults
MAX_CACHED_PREFS = 50_000


@dataclass(frozen=True, slots=True)
class User:
    """Who is writing, as far as the core needs to know."""

    key: str  # HMAC-SHA256(secret, channel user id): never the id itself
    language_code: str | None = None
    admin: bool = False
    in_group: bool = False  # writing in a group: nothing private (country, role) is used


@dataclass(frozen=True, slots=True)
class Prefs:
    """What the user chose; nothing else about them is known."""

    lang: str = "en"
    role: str | None = None
    country: str | None = None
    discreet: bool = False


class PrefsBook:
    """Preferences by user key: memory first, then the store, then defaults from the client."""

    def __init__(self, store: Store | None, languages: tuple[str, ...]) -> None:
        self.store = store
        self.languages = languages
        self._prefs: OrderedDict[str, Prefs] = OrderedDict()
        self._touched: dict[str, str] = {}

    async def get(self, user: User) -> Prefs:
        """In a group, only the language: a stored country or role shown there would tell the
        others."""
        prefs = await self._private(user)
        return Prefs(lang=prefs.lang) if user.in_group else prefs

    async def _private(self, user: User) -> Prefs:
        cached = self._prefs.get(user.key)
        if cached is not None:
            self._prefs.move_to_end(user.key)
            return cached
        stored = None
        if self.store is not None:
            lookup = asyncio.wait_for(self.store.prefs(user.key), STORE_PATIENCE)
            stored = await safely(lookup)
            if stored is None:  # no row to keep fresh today (saving one stamps today anyway)
                self._mark_touched(user.key)
        client = (user.language_code or "").split("-")[0].lower()
        lang = (stored.lang if stored else None) or (client if client in self.languages else "en")
        prefs = _shared(
            Prefs(
                lang=lang if lang in self.languages else "en",
                role=stored.role if stored else None,
                country=stored.country if stored else None,
                discreet=stored.discreet if stored else False,
            )
        )
        self.remember(user.key, prefs)
        return prefs

    async def save(self, user: User, prefs: Prefs) -> Prefs:
        self.remember(user.key, prefs)
        if self.store is not None:
            stored = StoredPrefs(prefs.role, prefs.lang, prefs.country, prefs.discreet)
            await safely(self.store.save_prefs(user.key, stored))
        return prefs

    def remember(self, key: str, prefs: Prefs) -> None:
        """Hold preferences in memory (the terminal sets them from its command line)."""
        self._prefs[key] = prefs
        self._prefs.move_to_end(key)
        while len(self._prefs) > MAX_CACHED_PREFS:
            self._prefs.popitem(last=False)

    def drop(self, key: str) -> None:
        """Forget everything held in memory about `key` (/forget)."""
        self._prefs.pop(key, None)
        self._touched.pop(key, None)

    async def touch(self, user: User) -> None:
        """Move a stored user's last-seen day forward, at most once a day (retention)."""
        if self.store is None or not self._mark_touched(user.key):
            return
        await safely(self.store.touch(user.key))

    def _mark_touched(self, key: str) -> bool:
        """Note that `key` needs no touch again today; False if it was already noted."""
        today = sys.intern(dt.datetime.now(dt.UTC).date().isoformat())  # one string per day
        if self._touched.get(key) == today:
            return False
        if len(self._touched) >= MAX_CACHED_PREFS:
            self._touched.clear()
        self._touched[key] = today
        return True


_SHARED: dict[Prefs, Prefs] = {}
MAX_SHARED = 4096


def _shared(prefs: Prefs) -> Prefs:
    """One object per distinct choice of preferences: most people share a handful of them, so
    20,000 users do not hold 20,000 copies of `Prefs(lang="en")`."""
    found = _SHARED.get(prefs)
    if found is not None:
        return found
    if len(_SHARED) >= MAX_SHARED:
        _SHARED.clear()
    _SHARED[prefs] = prefs
    return prefs
