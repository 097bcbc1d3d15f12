"""The turn service: one message, command or button in, one `Outcome` out, for every channel.

Order is the safety promise. A message is read once (`Utterance`) and assessed for crisis before
anything that could wait or fail: before preferences are read from the store, before flood
protection, before search. Then: preferences -> the crisis reply, or the flood gate -> the route
(or the answer) -> the footer that keeps crisis lines in view -> an aggregate count.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from bot.core import answers, followup, menus
from bot.core.context import Effect, Outcome, Policy, Turn
from bot.core.counters import Counters
from bot.core.flood import FloodGuard
from bot.core.library import Library
from bot.core.prefs import Prefs, PrefsBook, User
from bot.core.reply import Reply
from bot.core.respond import assess, respond
from bot.core.routes import ACTIONS, COMMANDS, Route, action, command
from bot.core.sessions import Session, Sessions
from bot.detect.crisis import Assessment
from bot.store import Store
from bot.utterance import Utterance

logger = logging.getLogger(__name__)

__all__ = ["Effect", "Outcome", "TurnService", "User"]


class TurnService:
    """Message, command and button handling shared by the Telegram and terminal channels."""

    def __init__(
        self,
        library: Library,
        store: Store | None = None,
        *,
        flood: FloodGuard | None = None,
        policy: Policy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.library = library
        self.texts = library.texts
        self.flood = flood or FloodGuard()
        self.policy = policy or Policy()
        self.book = PrefsBook(store, library.texts.languages)
        self.sessions = Sessions(clock)
        self.counters = Counters(store)
        self._store = store

    @property
    def store(self) -> Store | None:
        return self._store

    @store.setter
    def store(self, store: Store | None) -> None:
        """The store is opened after start-up and dropped at shutdown or when it fails."""
        self._store = self.book.store = self.counters.store = store

    # -- reading -------------------------------------------------------------------------------

    def read(self, text: str) -> tuple[Utterance, Assessment]:
        """Parse once, assess once: the first thing done with any text."""
        message = self.library.read(text)
        return message, assess(self.library, message)

    # -- entry points --------------------------------------------------------------------------

    async def message(
        self, user: User, text: str, *, read: tuple[Utterance, Assessment] | None = None
    ) -> Outcome:
        """Free text. A channel that has already read and assessed it (to decide whether a group
        message needs an answer) passes `read` along, so nothing is done twice."""
        message, assessment = read or self.read(text)
        prefs = await self.book.get(user)
        session = self.sessions.get(user.key)
        now = self.sessions.now()
        intent = self.library.intents.recognize(message, prefer=session.crisis_lang or prefs.lang)
        if intent is not None and intent[0] == "sos":
            # "sos", "ayuda", "помогите" alone: /sos (every lane), in the language it was typed in.
            reply = self.library.escalation.sos(intent[1], prefs.country)
            session.enter_crisis(now, intent[1], ())
            self.counters.add("crisis:sos")
            return Outcome(reply, prefs)
        if assessment.crisis:
            reply = respond(self.library, message, prefs, session, assessment)
            session.enter_crisis(now, reply.lang, assessment.lanes or (reply.category or "",))
            self.counters.add(f"crisis:{assessment.category}")
            return Outcome(reply, prefs, Effect.CHECK_IN)
        in_crisis = session.in_crisis(now)
        if in_crisis:  # never held back by flood protection: this is the crisis conversation
            return await self._crisis_turn(user, message, assessment, prefs, session, intent=intent)
        verdict = self.flood.check(user.key)
        if not verdict.allowed:
            return Outcome(self._slow_down(prefs) if verdict.warn else None, prefs)
        reply = respond(self.library, message, prefs, session, assessment, intent=intent)
        self.counters.add(_counter(reply))
        await self.book.touch(user)
        return Outcome(reply, prefs)

    async def _crisis_turn(
        self,
        user: User,
        message: Utterance,
        assessment: Assessment,
        prefs: Prefs,
        session: Session,
        *,
        intent: tuple[str, str] | None,
    ) -> Outcome:
        session.crisis_turn()
        # A short answer is not a country, even when it spells one ("no" is Norway's code).
        country = None if intent else self.library.places.find(message, prefer=session.crisis_lang)
        if country is not None and not user.in_group:
            prefs = await self.book.save(user, replace(prefs, country=country))
        reply = followup.reply(
            self.library,
            message,
            assessment,
            prefs,
            session,
            intent=intent[0] if intent else None,
            country=country,
        )
        self.counters.add("crisis:followup")
        return Outcome(reply, prefs)

    async def command(self, user: User, name: str, argument: str = "") -> Outcome:
        """A /command. An urgent one (/sos) is answered before anything rate-limited."""
        found = command(name)
        route = COMMANDS[found] if found is not None else None
        if route is not None and route.urgent:
            return await self._route(user, route, argument, f"command:{name}")
        # The name is typed text: only a known command becomes a counter's name.
        counter = f"command:{name}" if route is not None else "command:unknown"
        return await self._route(user, route, argument, counter, gated=True)

    async def press(self, user: User, data: str) -> Outcome:
        """A button. `data` is `action:argument` as the channel received it; anything else is
        stale."""
        name, _, argument = data.partition(":")
        found = action(name)
        route = ACTIONS[found] if found is not None else None
        if route is None:
            prefs = await self.book.get(user)
            return Outcome(self._text(prefs, "button_stale"), prefs)
        return await self._route(user, route, argument, None, gated=not route.urgent)

    async def check_in(self, user: User) -> Outcome | None:
        """Silence after a crisis reply: one "I'm still here" with the lines, in the reply's
        language, if the person has written nothing since (and the state is still on)."""
        session = self.sessions.get(user.key)
        if not session.silent_since_crisis(self.sessions.now()):
            return None
        session.crisis_turn()  # once
        prefs = await self.book.get(user)
        lang = session.crisis_lang or prefs.lang
        lanes = session.crisis_lanes or ("suicide", "danger")
        reply = self.library.escalation.safety_followup("still_here", lang, prefs.country, lanes)
        self.counters.add("crisis:check_in")
        return Outcome(reply, prefs)

    async def other(self, user: User) -> Outcome:
        """A sticker, photo, voice note, file or location: a kind word, within flood limits
        (forty stickers get a dozen replies and one warning, not forty)."""
        prefs = await self.book.get(user)
        verdict = self.flood.check(user.key)
        if not verdict.allowed:
            return Outcome(self._slow_down(prefs) if verdict.warn else None, prefs)
        return Outcome(self._text(prefs, "unsupported_message"), prefs)

    def allow(self, user: User) -> bool:
        """Whether a reply the channel sends on its own (a group's "talk to me in private") is
        within the user's flood limits."""
        return self.flood.check(user.key).allowed

    async def drain(self) -> None:
        """Write the counters added up so far (shutdown, /stats)."""
        await self.counters.drain()

    async def prefs(self, user: User) -> Prefs:
        return await self.book.get(user)

    # -- steps ---------------------------------------------------------------------------------

    async def _route(
        self,
        user: User,
        route: Route | None,
        argument: str,
        counter: str | None,
        *,
        gated: bool = False,
    ) -> Outcome:
        prefs = await self.book.get(user)
        if gated:
            verdict = self.flood.check(user.key)
            if not verdict.allowed:
                return Outcome(self._slow_down(prefs) if verdict.warn else None, prefs)
        if counter is not None and (route is None or route.counted):
            self.counters.add(counter)
        if route is None:
            return Outcome(menus.help_text(self.library, prefs), prefs)
        turn = Turn(
            self.library,
            user,
            prefs,
            self.sessions.get(user.key),
            self.book,
            self.sessions,
            self.counters,
            self._store,
            self.policy,
        )
        return await route.handler(turn, argument)

    def _text(self, prefs: Prefs, key: str) -> Reply:
        return answers.info(self.library, prefs.lang, key)

    def _slow_down(self, prefs: Prefs) -> Reply:
        return self._text(prefs, "slow_down")


def _counter(reply: Reply) -> str:
    if reply.kind in ("answer", "checklist") and reply.entry_ids:
        return f"answer:{reply.entry_ids[0].split('-')[0]}"
    return reply.kind
