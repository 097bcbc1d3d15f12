"""A `Reply` as Telegram HTML messages and an inline keyboard.

Every piece of user or corpus text is escaped here, the one place where text meets markup.
Messages are cut to Telegram's 4096-character limit at block boundaries (and inside a block only
when one block alone is longer), so that no tag is ever split.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.model import RIGHT_TO_LEFT
from bot.core.reply import Block, Button, Reply, Style

logger = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
# A right-to-left mark opens each paragraph of an Arabic reply, so that a line starting with a
# Latin name or a phone number (a helpline, a citation) still reads and aligns right to left.
RLM = "\u200f"
CALLBACK_LIMIT = 64
_TIGHT = (Style.ITEM, Style.LINK)


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def callback_data(button: Button) -> str:
    return f"{button.action}:{button.arg}" if button.arg else f"{button.action}:"


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons; any whose data would exceed Telegram's 64 bytes is left out."""
    rows = []
    for row in reply.buttons:
        buttons = []
        for button in row:
            data = callback_data(button)
            if len(data.encode()) > CALLBACK_LIMIT:
                logger.error("button_too_long action=%s", button.action)
                continue
            buttons.append(InlineKeyboardButton(button.label, callback_data=data))
        if buttons:
            rows.append(buttons)
    return InlineKeyboardMarkup(rows) if rows else None


def _wrap(text: str, style: Style) -> str:
    escaped = html.escape(text, quote=False)
    if style is Style.TITLE:
        return f"<b>{escaped}</b>"
    if style is Style.CITATION:
        return f"<i>📖 {escaped}</i>"
    if style is Style.NOTE:
        return f"<i>{escaped}</i>"
    if style is Style.ITEM:
        return f"• {escaped}"
    return escaped


def _pieces(block: Block, limit: int) -> list[str]:
    """One block as HTML, cut into pieces under `limit` at spaces if it is too long."""
    whole = _wrap(block.text, block.style)
    if utf16_length(whole) <= limit:
        return [whole]
    pieces, current = [], ""
    budget = limit - 16  # room for the tags around each piece
    for word in block.text.split(" "):
        candidate = f"{current} {word}" if current else word
        if utf16_length(html.escape(candidate, quote=False)) > budget and current:
            pieces.append(_wrap(current, block.style))
            current = word
        else:
            current = candidate
        while utf16_length(html.escape(current, quote=False)) > budget:  # one giant word
            cut = budget // 2
            pieces.append(_wrap(current[:cut], block.style))
            current = current[cut:]
    if current:
        pieces.append(_wrap(current, block.style))
    return pieces


def messages(reply: Reply, preview: str | None = None, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The reply as one or more HTML texts, each within `limit`. `preview` (discreet mode) is a
    neutral first line, so that a notification shows nothing of the content."""
    blocks = list(reply.blocks)
    if preview:
        blocks.insert(0, Block(preview, Style.TEXT))
    if reply.lang in RIGHT_TO_LEFT:
        blocks = [Block(RLM + block.text, block.style) for block in blocks]
    chunks: list[str] = []
    current = ""
    previous: Style | None = None
    for block in blocks:
        for piece in _pieces(block, limit):
            tight = previous is Style.TITLE or (block.style in _TIGHT and previous in _TIGHT)
            joiner = "" if not current else ("\n" if tight else "\n\n")
            if current and utf16_length(current + joiner + piece) > limit:
                chunks.append(current)
                current, joiner = "", ""
            current += joiner + piece
            previous = block.style
    if current or not chunks:
        chunks.append(current or "…")
    return chunks
