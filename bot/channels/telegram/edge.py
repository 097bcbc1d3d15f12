"""Handlers: each translates one kind of Update into a `Conversations` call and sends the reply.

Thin on purpose. What to say is decided by the core; here we only decide where and how to send
it: HTML, split to size, quietly and self-deleting in discreet mode, never in a group when the
answer is personal.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import replace

from telegram import (
    Bot,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    JobQueue,
    MessageHandler,
    filters,
)

from bot.channels.telegram.render import CALLBACK_LIMIT, keyboard, messages
from bot.core.conversation import Conversations, Outcome, User, safely
from bot.core.dialogue import Prefs
from bot.core.reply import Block, Reply, Style
from bot.store import DELETE_WINDOW, Store, user_key

# Buttons that set something private: never offered, nor obeyed, in a group.
PRIVATE_ACTIONS = frozenset(("country", "role", "lang", "discreet"))

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
DELETE_BATCH = 100  # deleteMessages takes at most 100 ids
RECENT_PER_CHAT = 300
RECENT_CHATS = 20_000
CONFIRMATION_LIFETIME = 60.0  # seconds before /clear's own confirmation disappears
GROUP_COMMANDS = frozenset({"sos", "help", "about", "privacy"})


class RecentMessages:
    """Ids (never text) of recent messages per chat, in memory, so /clear can delete them."""

    def __init__(self) -> None:
        self._chats: OrderedDict[int, deque[tuple[int, float]]] = OrderedDict()

    def add(self, chat_id: int, message_id: int) -> None:
        ids = self._chats.pop(chat_id, None) or deque(maxlen=RECENT_PER_CHAT)
        ids.append((message_id, time.time()))
        self._chats[chat_id] = ids
        while len(self._chats) > RECENT_CHATS:
            self._chats.popitem(last=False)

    def take(self, chat_id: int) -> list[int]:
        """Forget and return the chat's ids still inside Telegram's 48-hour deletion window."""
        oldest = time.time() - DELETE_WINDOW.total_seconds() + 60
        ids = self._chats.pop(chat_id, deque())
        return [message_id for message_id, sent in ids if sent > oldest]


class TelegramEdge:
    """The bot's handlers, bound to the core and the secret that pseudonymises user ids."""

    def __init__(
        self,
        conversations: Conversations,
        secret: bytes,
        *,
        admin_ids: Iterable[int] = (),
        discreet_minutes: int = 30,
    ) -> None:
        self.conversations = conversations
        self.texts = conversations.texts
        self.secret = secret
        self.admin_ids = frozenset(admin_ids)
        self.discreet_seconds = discreet_minutes * 60.0
        self.recent = RecentMessages()
        self.job_queue: JobQueue | None = None  # type: ignore[type-arg]  # set at start-up

    @property
    def store(self) -> Store | None:
        return self.conversations.store

    def register(self, application: Application) -> None:  # type: ignore[type-arg]
        """The bot's whole surface, in the order PTB tries it."""
        text = filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT
        updates = filters.UpdateType.MESSAGES  # new and edited messages alike
        application.add_handler(MessageHandler(updates & filters.COMMAND, self.on_command))
        application.add_handler(MessageHandler(updates & text, self.on_text))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(MessageHandler(updates & ~filters.TEXT, self.on_other))
        application.add_error_handler(self.on_error)

    def user(self, update: Update) -> User:
        sender, chat = update.effective_user, update.effective_chat
        in_group = chat is not None and chat.type != ChatType.PRIVATE
        if sender is None:
            return User(user_key(self.secret, 0), in_group=in_group)
        return User(
            user_key(self.secret, sender.id),
            sender.language_code,
            sender.id in self.admin_ids,
            in_group,
        )

    # -- handlers -----------------------------------------------------------------------------

    async def on_text(self, update: Update, context: Context) -> None:
        """Free text, new or edited. In a group only a crisis is answered: it is not private."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or message.text is None:
            return
        user = self.user(update)
        if chat.type != ChatType.PRIVATE:
            if self.conversations.assistant.assess(message.text).crisis:
                outcome = await self.conversations.message(user, message.text)
                await self.deliver(context.bot, chat.id, outcome, group=True)
            elif _addressed_to_bot(message, context.bot):
                await self._suggest_private(context.bot, chat, user, "")
            return
        self.recent.add(chat.id, message.message_id)
        outcome = await self.conversations.message(user, message.text)
        await self.deliver(context.bot, chat.id, outcome)

    async def on_command(self, update: Update, context: Context) -> None:
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or not message.text:
            return
        name, argument = _command(message, context.bot.username)
        if name is None:
            return  # a command for another bot in a group
        user = self.user(update)
        private = chat.type == ChatType.PRIVATE
        if argument and name != "sos" and self.conversations.assistant.assess(argument).crisis:
            # "/start they are at my door": the words after a command are read for danger first.
            if private:
                self.recent.add(chat.id, message.message_id)
            outcome = await self.conversations.message(user, argument)
            await self.deliver(context.bot, chat.id, outcome, group=not private)
            return
        if not private and name not in GROUP_COMMANDS:
            await self._suggest_private(context.bot, chat, user, name)
            return
        if private:
            self.recent.add(chat.id, message.message_id)
        outcome = await self.conversations.command(user, name, argument)
        if name == "stats" and not user.admin and outcome.reply is not None and private:
            # The one place an id is shown: to its owner, so an operator can find theirs for
            # GUIDEBOT_ADMIN_IDS. It is never stored or logged.
            sender = update.effective_user
            extra = Block(f"id: {sender.id}" if sender else "", Style.NOTE)
            outcome = replace(
                outcome, reply=replace(outcome.reply, blocks=(*outcome.reply.blocks, extra))
            )
        await self.deliver(context.bot, chat.id, outcome, group=not private)

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        user = self.user(update)
        data = query.data or ""
        prefs = await self.conversations.prefs(user)
        if not data or len(data.encode()) > CALLBACK_LIMIT or ":" not in data:
            await _answer(query, self.texts.get(prefs.lang, "button_stale"))
            return
        if user.in_group and data.partition(":")[0] in PRIVATE_ACTIONS:
            await _answer(query, self.texts.get(prefs.lang, "button_stale"))
            return
        outcome = await self.conversations.press(user, data)
        chat_id = query.message.chat.id if query.message else None
        if data.startswith("vote:") and outcome.reply is not None:
            await _answer(query, outcome.reply.text[:200])  # a toast, not another message
            return
        await _answer(query, None)
        if chat_id is None:
            return
        group = query.message is not None and query.message.chat.type != ChatType.PRIVATE
        await self.deliver(context.bot, chat_id, outcome, group=group)

    async def on_other(self, update: Update, context: Context) -> None:
        """Stickers, photos, voice notes, files, locations: a kind word, in private only."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or chat.type != ChatType.PRIVATE:
            return
        if message.caption and self.conversations.assistant.assess(message.caption).crisis:
            # A photo captioned "they are at my door" is a crisis message like any other.
            outcome = await self.conversations.message(self.user(update), message.caption)
            await self.deliver(context.bot, chat.id, outcome)
            return
        self.recent.add(chat.id, message.message_id)
        prefs = await self.conversations.prefs(self.user(update))
        reply = Reply(
            (Block(self.texts.get(prefs.lang, "unsupported_message")),), "info", prefs.lang
        )
        await self.deliver(context.bot, chat.id, Outcome(reply, prefs))

    async def on_error(self, update: object, context: Context) -> None:
        """Log what failed and where, never the update or the error's message (either may carry
        the user's words), and apologise to the user."""
        error = context.error
        where = ""
        if error is not None and error.__traceback__ is not None:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        logger.error("update_failed error=%s at=%s", type(error).__name__, where)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        chat = update.effective_chat
        if chat.type != ChatType.PRIVATE:
            return
        try:
            prefs = await self.conversations.prefs(self.user(update))
            await context.bot.send_message(chat.id, self.texts.get(prefs.lang, "error_apology"))
        except TelegramError as failure:
            logger.error("apology_failed error=%s", type(failure).__name__)

    # -- sending ----------------------------------------------------------------------------------

    async def deliver(
        self, bot: Bot, chat_id: int, outcome: Outcome, *, group: bool = False
    ) -> None:
        """Send a reply: HTML pieces, buttons on the last, quiet and self-deleting if discreet."""
        if outcome.effect == "clear":
            await self.clear(bot, chat_id, outcome.prefs)
            return
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
        if outcome.effect == "file" and reply.attachment is not None:
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

    async def purge(self, retention_days: int) -> None:
        """Retention: forget preferences untouched for the retention period (at start, daily)."""
        if self.store is None:
            return
        try:
            await self.store.purge(retention_days)
        except Exception as exc:
            logger.error("purge_failed error=%s", type(exc).__name__)

    async def purge_job(self, context: Context) -> None:
        if context.job is not None:
            await self.purge(int(str(context.job.data)))

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

    async def _suggest_private(self, bot: Bot, chat: Chat, user: User, payload: str) -> None:
        prefs = await self.conversations.prefs(user)
        markup = None
        if bot.username:
            start = f"?start={payload}" if payload in ("checklists", "selfcare", "sos") else ""
            url = f"https://t.me/{bot.username}{start}"
            label = self.texts.get(prefs.lang, "button_private_chat")
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
        await bot.send_message(
            chat.id, self.texts.get(prefs.lang, "group_private_only"), reply_markup=markup
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


async def _answer(query: object, text: str | None) -> None:
    """Answer a callback query so the button stops spinning; a stale query is not an error."""
    try:
        await query.answer(text)  # type: ignore[attr-defined]
    except BadRequest as exc:
        logger.info("callback_answer_skipped error=%s", type(exc).__name__)


def _command(message: Message, username: str | None) -> tuple[str | None, str]:
    """('start', 'checklists') from '/start@GuideBot checklists'; None if for another bot.

    The command is what Telegram marks as one (the bot_command entity at the start), so
    "/sos!", "/sos." and "/sos" followed by a new line or a no-break space are /sos, and what
    follows is the argument, whatever separates it."""
    text = message.text or ""
    entity = next(
        (e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0),
        None,
    )
    head = message.parse_entity(entity) if entity is not None else text.split(maxsplit=1)[0]
    argument = text[len(head) :]  # a command is ASCII: as long in UTF-16 as in Python
    name, _, target = head[1:].partition("@")
    if target and username and target.lower() != username.lower():
        return None, ""
    return name.lower()[:32], argument.strip()


def _addressed_to_bot(message: Message, bot: Bot) -> bool:
    reply_to = message.reply_to_message
    if reply_to is not None and reply_to.from_user is not None and reply_to.from_user.id == bot.id:
        return True
    return bool(bot.username) and f"@{bot.username}".lower() in (message.text or "").lower()
