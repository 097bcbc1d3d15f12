"""Sending replies to Telegram: HTML pieces split to size, buttons on the last, quiet and
self-deleting in discreet mode, never a private button in a group; and deleting on /clear."""

from __future__ import annotations

import logging
import time
from array import array
from collections import OrderedDict
from dataclasses import replace

from telegram import Bot, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes, JobQueue

from bot.channels.telegram.render import keyboard, messages
from bot.core.context import Effect, Outcome
from bot.core.counters import safely
from bot.core.prefs import Prefs, User
from bot.core.routes import ACTIONS
from bot.core.turn import TurnService
from bot.store import DELETE_WINDOW, Store

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
DELETE_BATCH = 100  # deleteMessages takes at most 100 ids
RECENT_PER_CHAT = 300
RECENT_CHATS = 20_000
CONFIRMATION_LIFETIME = 60.0  # seconds before /clear's own confirmation disappears
# Buttons that set something private: never offered, nor obeyed, in a group.
PRIVATE_ACTIONS = frozenset(name.value for name, route in ACTIONS.items() if route.private)


class RecentMessages:
    """Ids (never text) of recent messages per chat, in memory, so /clear can delete them.

    Kept compactly, the oldest dropped past RECENT_PER_CHAT: per chat one array of doubles,
    id and time in turn (a message id is far below 2**53, so exact). A deque per chat cost
    0.6 KB before its first id, and a list of (id, time) tuples 304 bytes for a question and its
    answer; this array 112."""

    def __init__(self) -> None:
        self._chats: OrderedDict[int, array[float]] = OrderedDict()

    def add(self, chat_id: int, message_id: int) -> None:
        pairs = self._chats.pop(chat_id, None)
        if pairs is None:
            pairs = array("d")
        pairs.append(message_id)
        pairs.append(time.time())
        if len(pairs) > 2 * RECENT_PER_CHAT:
            del pairs[: len(pairs) - 2 * RECENT_PER_CHAT]
        self._chats[chat_id] = pairs
        while len(self._chats) > RECENT_CHATS:
            self._chats.popitem(last=False)

    def take(self, chat_id: int) -> list[int]:
        """Forget and return the chat's ids still inside Telegram's 48-hour deletion window."""
        oldest = time.time() - DELETE_WINDOW.total_seconds() + 60
        pairs = self._chats.pop(chat_id, None) or array("d")
        pairs_of = zip(pairs[::2], pairs[1::2], strict=True)
        return [int(message_id) for message_id, sent in pairs_of if sent > oldest]


class Sender:
    """Delivers outcomes; remembers what it sent so /clear and discreet mode can delete it."""

    def __init__(
        self, turns: TurnService, discreet_minutes: int, check_in_seconds: float = 600.0
    ) -> None:
        self.turns = turns
        self.check_in_seconds = check_in_seconds
        self.texts = turns.texts
        self.discreet_seconds = discreet_minutes * 60.0
        self.recent = RecentMessages()
        self.job_queue: JobQueue | None = None  # type: ignore[type-arg]  # set at start-up

    @property
    def store(self) -> Store | None:
        return self.turns.store  # opened at start-up, dropped when it fails

    async def deliver(
        self,
        bot: Bot,
        chat_id: int,
        outcome: Outcome,
        *,
        group: bool = False,
        check_in: User | None = None,
    ) -> None:
        """Send a reply: HTML pieces, buttons on the last, quiet and self-deleting if discreet."""
        if outcome.effect is Effect.CLEAR:
            await self.clear(bot, chat_id, outcome.prefs)
            return
        if outcome.effect is Effect.FORGET:
            await self.forget_chat(bot, chat_id)
        if outcome.effect is Effect.CHECK_IN and check_in is not None and self.job_queue:
            # In memory only (lost at a restart): the chat id and the pseudonymous user.
            self.job_queue.run_once(self._check_in, self.check_in_seconds, data=(chat_id, check_in))
        reply = outcome.reply
        if reply is None:
            logger.info("reply_withheld reason=flood")
            return
        if group:  # a group never gets a button that would post a private setting there
            rows = (
                tuple(b for b in row if b.action not in PRIVATE_ACTIONS) for row in reply.buttons
            )
            reply = replace(reply, buttons=tuple(row for row in rows if row))
        discreet = outcome.prefs.discreet and not group
        # An event with names only: no user id, no chat id, no text.
        logger.info(
            "reply kind=%s tier=%s category=%s lang=%s group=%s discreet=%s",
            reply.kind,
            reply.tier,
            reply.category or "-",
            reply.lang,
            group,
            discreet,
        )
        preview = self.texts.get(outcome.prefs.lang, "discreet_preview") if discreet else None
        if outcome.effect is Effect.FILE and reply.attachment is not None:
            sent = await bot.send_document(
                chat_id,
                InputFile(reply.attachment.text.encode(), filename=reply.attachment.filename),
                caption=preview or reply.attachment.filename,
                disable_notification=discreet,
                protect_content=discreet,
            )
            await self._sent(chat_id, sent, discreet, group)
            return
        texts = messages(reply, preview)
        for position, text in enumerate(texts):
            last = position == len(texts) - 1
            sent = await bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply) if last else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                disable_notification=discreet,
                protect_content=discreet,
            )
            await self._sent(chat_id, sent, discreet, group)

    async def _sent(self, chat_id: int, sent: Message, discreet: bool, group: bool) -> None:
        if group:
            return
        self.recent.add(chat_id, sent.message_id)
        if discreet:
            await self.schedule_deletion(
                chat_id, sent.message_id, time.time() + self.discreet_seconds
            )

    async def schedule_deletion(self, chat_id: int, message_id: int, due: float) -> None:
        """Remember the deletion in the store (so it survives a restart), then schedule it."""
        if self.store is not None:
            await safely(self.store.schedule_deletion(chat_id, message_id, due))
        if self.job_queue is not None:
            self.job_queue.run_once(
                self.delete_job, max(0.0, due - time.time()), data=(chat_id, message_id)
            )

    async def delete_job(self, context: Context) -> None:
        job = context.job
        if job is None or not isinstance(job.data, tuple):
            return
        chat_id, message_id = job.data
        await delete_messages(context.bot, chat_id, [message_id])
        if self.store is not None:
            await safely(self.store.done_deletion(chat_id, message_id))

    async def _check_in(self, context: Context) -> None:
        job = context.job
        if job is None or not isinstance(job.data, tuple):
            return
        chat_id, user = job.data
        outcome = await self.turns.check_in(user)
        if outcome is not None:
            await self.deliver(context.bot, chat_id, outcome)

    async def forget_chat(self, bot: Bot, chat_id: int) -> None:
        """After /forget: the discreet-mode messages still waiting are deleted now, and their
        rows (the only raw chat ids the database holds) go with them."""
        if self.store is None:
            return
        pending = await safely(self.store.pending_deletions()) or []
        ids = sorted(message_id for chat, message_id, _ in pending if chat == chat_id)
        await delete_messages(bot, chat_id, ids)
        await safely(self.store.forget_chat(chat_id))

    async def clear(self, bot: Bot, chat_id: int, prefs: Prefs) -> None:
        """/clear: delete the chat's recent messages on both sides (Telegram allows 48 hours)."""
        ids = set(self.recent.take(chat_id))
        if self.store is not None:
            pending = await safely(self.store.pending_deletions()) or []
            for pending_chat, message_id, _ in pending:
                if pending_chat == chat_id:
                    ids.add(message_id)
                    await safely(self.store.done_deletion(chat_id, message_id))
        deleted = await delete_messages(bot, chat_id, sorted(ids))
        key = "clear_done" if deleted else "clear_none"
        sent = await bot.send_message(
            chat_id, self.texts.get(prefs.lang, key, count=deleted), disable_notification=True
        )
        if self.job_queue is not None:
            self.job_queue.run_once(
                self.delete_job, CONFIRMATION_LIFETIME, data=(chat_id, sent.message_id)
            )


async def delete_messages(bot: Bot, chat_id: int, ids: list[int]) -> int:
    """Delete what Telegram still allows; return how many ids were asked for."""
    asked = 0
    for start in range(0, len(ids), DELETE_BATCH):
        batch = ids[start : start + DELETE_BATCH]
        try:
            await bot.delete_messages(chat_id, batch)
            asked += len(batch)
        except (BadRequest, Forbidden) as exc:  # too old, already gone, or the user left
            logger.info("delete_skipped error=%s count=%d", type(exc).__name__, len(batch))
    return asked
