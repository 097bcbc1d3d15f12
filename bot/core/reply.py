"""The reply object: what the core says, as plain data that any channel can render.

No markup here. A channel decides how a `Block` style looks (bold, italics, a bullet) and escapes
the text at the one place where it meets markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Style(Enum):
    """How a block of text is meant to read."""

    TEXT = "text"
    TITLE = "title"
    CITATION = "citation"
    NOTE = "note"
    ITEM = "item"  # one line of a list (checklist items, resources)
    LINK = "link"  # a contact detail: phone, email or address


@dataclass(frozen=True)
class Block:
    text: str
    style: Style = Style.TEXT


@dataclass(frozen=True)
class Button:
    """A choice offered to the user. `action` and `arg` carry ids only, never user text."""

    label: str
    action: str
    arg: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file the channel may offer (a checklist to print)."""

    filename: str
    text: str


@dataclass(frozen=True)
class Reply:
    """One answer from the core."""

    blocks: tuple[Block, ...]
    kind: str  # answer | no_answer | crisis | intent | menu | checklist | info | error
    lang: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    tier: str = "none"
    category: str | None = None
    entry_ids: tuple[str, ...] = ()
    attachment: Attachment | None = None

    @property
    def text(self) -> str:
        """The reply as plain text (for the terminal, tests and length checks)."""
        return "\n".join(_plain(block) for block in self.blocks)


def _plain(block: Block) -> str:
    if block.style is Style.ITEM:
        return f"• {block.text}"
    if block.style is Style.CITATION:
        return f"📖 {block.text}"
    return block.text
