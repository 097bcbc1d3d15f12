"""Handlers: each translates one kind of Update into a turn-service call and sends the reply.

Thin on purpose. What to say is decided by the core; which commands and buttons exist, and which
may be used in a group, is the core's routing table (`bot.core.routes`). Here we only decide
where and how to send: HTML, split to size, quietly and self-deleting in discreet mode, never in
a group when the answer is personal.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from dataclasses import replace

from telegram import (
    Bot,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.channels.telegram.render import CALLBACK_LIMIT
from bot.channels.telegram.sending import Sender
from bot.core.prefs import User
from bot.core.reply import Block, Style
from bot.core.routes import ACTIONS, COMMANDS, Command, action, command
from bot.core.turn import TurnService
from bot.keys import user_key
from bot.store import Store

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
# The commands a person may be sent to from a group's "talk to me in private" link.
START_LINKS = frozenset(name.value for name, route in COMMANDS.items() if route.deep_link)


class TelegramEdge:
    """The bot's handlers, bound to the core and the secret that pseudonymises user ids."""

    def __init__(
        self,
        turns: TurnService,
        secret: bytes,
        *,
        admin_ids: Iterable[int] = (),
        discreet_minutes: int = 30,
        check_in_seconds: float = 600.0,
    ) -> None:
        self.turns = turns
        self.texts = turns.texts
        self.secret = secret
        self.admin_ids = frozenset(admin_ids)
        self.sender = Sender(turns, discreet_minutes, check_in_seconds)

    @property
    def store(self) -> Store | None:
        return self.turns.store

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
        read = self.turns.read(message.text)  # once: the group decision and the answer share it
        if chat.type != ChatType.PRIVATE:
            if read[1].crisis:
                outcome = await self.turns.message(user, message.text, read=read)
                await self.sender.deliver(context.bot, chat.id, outcome, group=True)
            elif _addressed_to_bot(message, context.bot):
                await self._suggest_private(context.bot, chat, user, "")
            return
        self.sender.recent.add(chat.id, message.message_id)
        outcome = await self.turns.message(user, message.text, read=read)
        await self.sender.deliver(context.bot, chat.id, outcome, check_in=user)

    async def on_command(self, update: Update, context: Context) -> None:
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or not message.text:
            return
        name, argument = _command(message, context.bot.username)
        if name is None:
            return  # a command for another bot in a group
        user = self.user(update)
        private = chat.type == ChatType.PRIVATE
        found = command(name)
        if argument and found is not Command.SOS:
            # "/start they are at my door": the words after a command are read for danger first.
            read = self.turns.read(argument)
            if read[1].crisis:
                if private:
                    self.sender.recent.add(chat.id, message.message_id)
                outcome = await self.turns.message(user, argument, read=read)
                await self.sender.deliver(
                    context.bot,
                    chat.id,
                    outcome,
                    group=not private,
                    check_in=user if private else None,
                )
                return
        if not private and (found is None or not COMMANDS[found].group):
            await self._suggest_private(context.bot, chat, user, name)
            return
        if private:
            self.sender.recent.add(chat.id, message.message_id)
        outcome = await self.turns.command(user, name, argument)
        if found is Command.STATS and not user.admin and outcome.reply is not None and private:
            # The one place an id is shown: to its owner, so an operator can find theirs for
            # GUIDEBOT_ADMIN_IDS. It is never stored or logged.
            sender = update.effective_user
            extra = Block(f"id: {sender.id}" if sender else "", Style.NOTE)
            outcome = replace(
                outcome, reply=replace(outcome.reply, blocks=(*outcome.reply.blocks, extra))
            )
        await self.sender.deliver(context.bot, chat.id, outcome, group=not private)

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        user = self.user(update)
        data = query.data or ""
        found = action(data.partition(":")[0])
        route = ACTIONS[found] if found is not None else None
        stale = not data or len(data.encode()) > CALLBACK_LIMIT or ":" not in data
        if stale or route is None or (user.in_group and route.private):
            prefs = await self.turns.prefs(user)
            await _answer(query, self.texts.get(prefs.lang, "button_stale"))
            return
        outcome = await self.turns.press(user, data)
        if route.toast and outcome.reply is not None:
            await _answer(query, outcome.reply.text[:200])  # a notice, not another message
            return
        await _answer(query, None)
        if query.message is None:
            return
        group = query.message.chat.type != ChatType.PRIVATE
        await self.sender.deliver(context.bot, query.message.chat.id, outcome, group=group)

    async def on_other(self, update: Update, context: Context) -> None:
        """Stickers, photos, voice notes, files, locations: a kind word, in private only."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or chat.type != ChatType.PRIVATE:
            return
        if message.caption:
            # A photo captioned "they are at my door" is a crisis message like any other.
            read = self.turns.read(message.caption)
            if read[1].crisis:
                user = self.user(update)
                outcome = await self.turns.message(user, message.caption, read=read)
                await self.sender.deliver(context.bot, chat.id, outcome, check_in=user)
                return
        self.sender.recent.add(chat.id, message.message_id)
        outcome = await self.turns.other(self.user(update))
        await self.sender.deliver(context.bot, chat.id, outcome)

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
            prefs = await self.turns.prefs(self.user(update))
            await context.bot.send_message(chat.id, self.texts.get(prefs.lang, "error_apology"))
        except TelegramError as failure:
            logger.error("apology_failed error=%s", type(failure).__name__)

    # -- maintenance ------------------------------------------------------------------------------

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

    async def _suggest_private(self, bot: Bot, chat: Chat, user: User, payload: str) -> None:
        if not self.turns.allow(user):  # a flood of mentions in a group gets no flood of replies
            return
        prefs = await self.turns.prefs(user)
        markup = None
        if bot.username:
            start = f"?start={payload}" if payload in START_LINKS else ""
            url = f"https://t.me/{bot.username}{start}"
            label = self.texts.get(prefs.lang, "button_private_chat")
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
        await bot.send_message(
            chat.id, self.texts.get(prefs.lang, "group_private_only"), reply_markup=markup
        )


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
    head = _entity_text(message, entity) if entity is not None else ""
    if not head:  # no usable entity: what Telegram's command syntax allows at the start
        found = _COMMAND_SYNTAX.match(text)
        head = found.group(0) if found else text.split(maxsplit=1)[0]
    argument = text[len(head) :]  # a command is ASCII: as long in UTF-16 as in Python
    name, _, target = head[1:].partition("@")
    if target and username and target.lower() != username.lower():
        return None, ""
    return name.lower()[:32], argument.strip()


_COMMAND_SYNTAX = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")


def _entity_text(message: Message, entity: MessageEntity) -> str:
    """The entity's text, or "" when its offsets cut a character in two (Telegram never sends
    such an entity; a forged update may, and it must not cost the person an answer)."""
    try:
        return message.parse_entity(entity)
    except (UnicodeDecodeError, IndexError, ValueError):
        return ""


def _addressed_to_bot(message: Message, bot: Bot) -> bool:
    reply_to = message.reply_to_message
    if reply_to is not None and reply_to.from_user is not None and reply_to.from_user.id == bot.id:
        return True
    return bool(bot.username) and f"@{bot.username}".lower() in (message.text or "").lower()
