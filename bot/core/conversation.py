"""One conversation service for every channel: messages, commands and buttons in, replies out.

It owns what a channel should not: the user's preferences (cached, stored through `Store` when
there is one), the short-lived session, flood protection, and aggregate counters. It never sees a
Telegram object and never keeps text: users are known by a keyed pseudonym, sessions hold entry
ids, counters hold names.

Order is the safety promise: a message is assessed for crisis first, before flood protection,
before the store is asked for anything that could fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from bot.core.dialogue import ROLES, Assistant, Prefs, Session
from bot.core.flood import FloodGuard
from bot.core.reply import Block, Button, Reply, Style
from bot.store import Store, StoredPrefs

logger = logging.getLogger(__name__)
T = TypeVar("T")

SESSION_TTL = 3600.0
STORE_PATIENCE = 1.0  # seconds to wait for stored preferences before using the defaults
# Counters are added up in memory and written in one transaction this often: a write per message
# cost more than the answer under load. A crash loses at most these seconds of aggregate counts;
# no answer depends on them.
COUNTER_FLUSH_SECONDS = 10.0
MAX_SESSIONS = 20_000
MAX_CACHED_PREFS = 50_000
COUNTRY_CODE_LENGTH = 2
COMMANDS = (
    "start",
    "help",
    "sos",
    "checklists",
    "selfcare",
    "role",
    "language",
    "country",
    "discreet",
    "clear",
    "privacy",
    "forget",
    "about",
)

COUNTED_COMMANDS = frozenset((*COMMANDS, "stats"))


@dataclass(frozen=True)
class User:
    """Who is writing, as far as the core needs to know."""

    key: str  # HMAC-SHA256(secret, channel user id): never the id itself
    language_code: str | None = None
    admin: bool = False
    in_group: bool = False  # writing in a group: nothing private (country, role) is used


@dataclass(frozen=True)
class Outcome:
    """A reply, the preferences it should be delivered with, and a channel effect to carry out."""

    reply: Reply | None  # None: say nothing (a flood the user was already warned about)
    prefs: Prefs
    effect: str = ""  # "" | "clear" | "file"


class Conversations:
    """Message, command and button handling shared by the Telegram and terminal channels."""

    def __init__(
        self,
        assistant: Assistant,
        store: Store | None = None,
        *,
        flood: FloodGuard | None = None,
        retention_days: int = 180,
        discreet_minutes: int = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.assistant = assistant
        self.texts = assistant.texts
        self.store = store
        self.flood = flood or FloodGuard()
        self.retention_days = retention_days
        self.discreet_minutes = discreet_minutes
        self._clock = clock
        self._sessions: OrderedDict[str, tuple[float, Session]] = OrderedDict()
        self._prefs: OrderedDict[str, Prefs] = OrderedDict()
        self._touched: dict[str, str] = {}
        self._counts: Counter[str] = Counter()
        self._flusher: asyncio.Task[None] | None = None  # sleeping until the next write
        self._writing = asyncio.Lock()

    # -- entry points -----------------------------------------------------------------------

    async def message(self, user: User, text: str) -> Outcome:
        """Free text. Crisis first, before any storage call; then flood protection; then the
        answer."""
        assessment = self.assistant.assess(text)
        prefs = await self.prefs(user)
        session = self.session(user.key)
        if assessment.crisis:
            reply = self.assistant.respond(text, prefs, session, assessment)
            await self._count(f"crisis:{assessment.category}")
            return Outcome(reply, prefs)
        verdict = self.flood.check(user.key)
        if not verdict.allowed:
            warning = self._info(prefs, "slow_down") if verdict.warn else None
            return Outcome(warning, prefs)
        reply = self.assistant.respond(text, prefs, session, assessment)
        await self._count(_counter(reply))
        await self._touch(user)
        return Outcome(reply, prefs)

    async def command(self, user: User, name: str, argument: str = "") -> Outcome:
        """A /command. /sos is answered before anything that could fail or be rate-limited."""
        if name == "sos":
            prefs = await self.prefs(user)
            await self._count("command:sos")
            return Outcome(self.assistant.sos(prefs), prefs)
        prefs = await self.prefs(user)
        verdict = self.flood.check(user.key)
        if not verdict.allowed:
            return Outcome(self._info(prefs, "slow_down") if verdict.warn else None, prefs)
        # The name is typed text: only a known command becomes a counter's name.
        await self._count(f"command:{name}" if name in COUNTED_COMMANDS else "command:unknown")
        a = self.assistant
        simple: dict[str, Callable[[Prefs], Reply]] = {
            "help": a.help,
            "about": a.about,
            "checklists": a.checklists_menu,
            "selfcare": a.selfcare_menu,
            "role": self._role_menu,
            "privacy": self._privacy,
        }
        if name in simple:
            return Outcome(simple[name](prefs), prefs)
        if name == "start":
            return Outcome(a.start(prefs, argument.strip()[:64]), prefs)
        if name == "language":
            return await self._language(user, prefs, argument.strip().lower())
        if name == "country":
            return await self._country(user, prefs, argument.strip())
        if name == "discreet":
            return await self._discreet(user, prefs, argument.strip().lower())
        if name == "clear":
            return Outcome(None, prefs, effect="clear")
        if name == "forget":
            return await self._forget(user)
        if name == "stats":
            return Outcome(await self._stats(user, prefs), prefs)
        return Outcome(a.help(prefs), prefs)

    async def press(self, user: User, data: str) -> Outcome:
        """A button. `data` is `action:arg` as the channel received it; anything else is stale."""
        prefs = await self.prefs(user)
        action, _, arg = data.partition(":")
        a, session = self.assistant, self.session(user.key)
        if action == "safety":
            followup = a.escalation.safety_followup(arg, prefs.lang, prefs.country)
            return Outcome(followup or self._info(prefs, "button_stale"), prefs)
        if action == "country":
            return await self._country(user, prefs, arg)
        verdict = self.flood.check(user.key)  # buttons of the crisis reply are never held back
        if not verdict.allowed:
            return Outcome(self._info(prefs, "slow_down") if verdict.warn else None, prefs)
        if action == "role" and arg in ROLES:
            prefs = await self._save(user, replace(prefs, role=arg))
            return Outcome(self._role_set(arg, prefs), prefs)
        if action == "lang":
            return await self._language(user, prefs, arg)
        if action == "discreet":
            return await self._discreet(user, prefs, arg)
        if action == "vote" and arg.rpartition(":")[2] in ("up", "down"):
            entry_id, _, vote = arg.rpartition(":")
            entry = a.corpus.entry(entry_id)
            if entry is None:
                return Outcome(self._info(prefs, "button_stale"), prefs)
            await safely(self.store.vote(entry.base_id, vote == "up") if self.store else None)
            return Outcome(a.vote_thanks(prefs), prefs)
        if action == "file":
            reply = a.checklist_file(arg, prefs)
            return Outcome(reply, prefs, effect="file" if reply.attachment else "")
        actions: dict[str, Callable[[], Reply]] = {
            "more": lambda: a.more(arg, prefs, session),
            "full": lambda: a.entry(arg, prefs, full=True),
            "stage": lambda: a.checklists_for_stage(arg, prefs),
            "checklist": lambda: a.entry(arg, prefs),
            "topic": lambda: a.topic(arg, prefs, session),
            "menu": lambda: (
                a.checklists_menu(prefs) if arg == "checklists" else a.selfcare_menu(prefs)
            ),
        }
        handler = actions.get(action)
        if handler is None:
            return Outcome(self._info(prefs, "button_stale"), prefs)
        return Outcome(handler(), prefs)

    # -- preferences -------------------------------------------------------------------------

    async def prefs(self, user: User) -> Prefs:
        """The user's preferences: memory, then the store, then defaults from their client. In a
        group, only the language: a stored country or role shown there would tell the others."""
        prefs = await self._private_prefs(user)
        return Prefs(lang=prefs.lang) if user.in_group else prefs

    async def _private_prefs(self, user: User) -> Prefs:
        cached = self._prefs.get(user.key)
        if cached is not None:
            self._prefs.move_to_end(user.key)
            return cached
        stored = None
        if self.store is not None:
            # A locked or slow database must not hold up an answer (a crisis one above all).
            lookup = asyncio.wait_for(self.store.prefs(user.key), STORE_PATIENCE)
            stored = await safely(lookup)
            if stored is None:  # no row to keep fresh today (saving one stamps today anyway)
                self._mark_touched(user.key)
        languages = self.texts.languages
        client = (user.language_code or "").split("-")[0].lower()
        lang = (stored.lang if stored else None) or (client if client in languages else "en")
        prefs = Prefs(
            lang=lang if lang in languages else "en",
            role=stored.role if stored else None,
            country=stored.country if stored else None,
            discreet=stored.discreet if stored else False,
        )
        self.remember(user.key, prefs)
        return prefs

    async def _save(self, user: User, prefs: Prefs) -> Prefs:
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

    async def _touch(self, user: User) -> None:
        """Move a stored user's last-seen day forward, at most once a day (retention)."""
        if self.store is None or not self._mark_touched(user.key):
            return
        await safely(self.store.touch(user.key))

    def _mark_touched(self, key: str) -> bool:
        """Note that `key` needs no touch again today; False if it was already noted."""
        today = dt.datetime.now(dt.UTC).date().isoformat()
        if self._touched.get(key) == today:
            return False
        if len(self._touched) >= MAX_CACHED_PREFS:
            self._touched.clear()
        self._touched[key] = today
        return True

    def session(self, key: str) -> Session:
        now = self._clock()
        found = self._sessions.pop(key, None)
        session = found[1] if found and now - found[0] < SESSION_TTL else Session()
        self._sessions[key] = (now, session)
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return session

    # -- settings replies -----------------------------------------------------------------------

    def _info(self, prefs: Prefs, key: str, **values: object) -> Reply:
        return Reply((Block(self.texts.get(prefs.lang, key, **values)),), "info", prefs.lang)

    def _role_menu(self, prefs: Prefs) -> Reply:
        return Reply(
            (Block(self.texts.get(prefs.lang, "role_menu")),),
            "menu",
            prefs.lang,
            self.assistant.role_buttons(prefs.lang),
        )

    def _role_set(self, role: str, prefs: Prefs) -> Reply:
        reply = self.assistant.role_set(role, prefs)
        if role != "defender" or prefs.discreet:
            return reply
        button = Button(self.texts.get(prefs.lang, "button_discreet_on"), "discreet", "on")
        return replace(reply, buttons=((button,),))

    def _privacy(self, prefs: Prefs) -> Reply:
        return self._info(prefs, "privacy", days=self.retention_days)

    async def _language(self, user: User, prefs: Prefs, code: str) -> Outcome:
        languages = self.texts.languages
        if code in languages:
            prefs = await self._save(user, replace(prefs, lang=code))
            return Outcome(self._info(prefs, "language_set"), prefs)
        buttons = tuple(
            (Button(self.texts.get(lang, "language_name"), "lang", lang),) for lang in languages
        )
        text = self.texts.get(prefs.lang, "language_menu")
        return Outcome(Reply((Block(text),), "menu", prefs.lang, buttons), prefs)

    async def _country(self, user: User, prefs: Prefs, code: str) -> Outcome:
        code = code.strip().upper()
        countries = self.assistant.escalation.countries()
        if code in ("NONE", "OFF", "-"):
            prefs = await self._save(user, replace(prefs, country=None))
            return Outcome(self._info(prefs, "country_cleared"), prefs)
        if len(code) == COUNTRY_CODE_LENGTH and code.isalpha() and code.isascii():
            prefs = await self._save(user, replace(prefs, country=code))
            return Outcome(self._info(prefs, "country_set", country=_flag(code)), prefs)
        rows = [
            tuple(Button(_flag(c), "country", c) for c in countries[i : i + 4])
            for i in range(0, len(countries), 4)
        ]
        rows.append((Button(self.texts.get(prefs.lang, "country_other"), "country", "none"),))
        text = self.texts.get(prefs.lang, "country_menu")
        return Outcome(Reply((Block(text),), "menu", prefs.lang, tuple(rows)), prefs)

    async def _discreet(self, user: User, prefs: Prefs, argument: str) -> Outcome:
        if argument in ("on", "off"):
            prefs = await self._save(user, replace(prefs, discreet=argument == "on"))
            key = "discreet_on" if prefs.discreet else "discreet_off"
            return Outcome(self._info(prefs, key, minutes=self.discreet_minutes), prefs)
        return Outcome(self._info(prefs, "discreet_usage"), prefs)

    async def _forget(self, user: User) -> Outcome:
        if self.store is not None:
            await self.store.forget(user.key)  # failing to forget must be visible, not swallowed
        self._prefs.pop(user.key, None)
        self._sessions.pop(user.key, None)
        self._touched.pop(user.key, None)
        prefs = await self.prefs(user)  # the defaults, now that nothing is stored
        self._prefs.pop(user.key, None)
        return Outcome(self._info(prefs, "forget_done"), prefs)

    async def _stats(self, user: User, prefs: Prefs) -> Reply:
        if not user.admin or self.store is None:
            return self._info(prefs, "stats_only_admins")
        await self.drain()  # include what is still being added up in memory
        totals = await self.store.totals(days=30)
        lines = [Block("30 days", Style.TITLE)]
        lines += [Block(f"{name}: {count}", Style.ITEM) for name, count in totals]
        return Reply(tuple(lines), "info", prefs.lang)

    # -- store, never in the way -------------------------------------------------------------

    async def _count(self, name: str) -> None:
        """Add to a counter in memory; a background task writes the sums every few seconds, so
        neither a locked database nor the write itself delays an answer."""
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
        """Write the counters added up so far (at shutdown, before the store closes, and
        before /stats reads them)."""
        flusher, self._flusher = self._flusher, None
        if flusher is not None:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
        await self._flush()


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


def _counter(reply: Reply) -> str:
    if reply.kind in ("answer", "checklist") and reply.entry_ids:
        return f"answer:{reply.entry_ids[0].split('-')[0]}"
    return reply.kind


def _flag(code: str) -> str:
    """A country code with its flag emoji (regional indicator letters), e.g. '🇫🇷 FR'."""
    flag = "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)
    return f"{flag} {code}"
