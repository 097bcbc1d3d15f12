"""What every reader makes of a document: a title and a sequence of headings and text blocks.

PDF, DOCX, Markdown and plain text differ in how they mark a heading or a paragraph, but the rest
of the import (finding numbered paragraphs, joining and splitting them, writing YAML) does not,
so each reader stops at this common shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

BULLETS = ("-", "*", "•", "–", "—", "‣", "◦", "▪")
_SPACE = re.compile(r"\s+")
_BROKEN_WORD = re.compile(r"\w-$")


class Kind(Enum):
    HEADING = "heading"
    TEXT = "text"


@dataclass(frozen=True)
class Block:
    """A heading, or a paragraph of text with its whitespace normalised (see `join_lines`)."""

    kind: Kind
    text: str


@dataclass(frozen=True)
class Document:
    """A document read: its blocks in reading order, the title its metadata gives (if any), and
    notes on what the reader left out, for the import's report."""

    blocks: tuple[Block, ...]
    title: str | None = None
    notes: tuple[str, ...] = ()


def squeeze(text: str) -> str:
    """Runs of whitespace as one space: the only change imported text may undergo."""
    return _SPACE.sub(" ", text).strip()


def is_bullet(line: str) -> bool:
    return any(line.startswith(bullet + " ") for bullet in BULLETS)


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one paragraph as its text: whitespace squeezed, lines joined by a space, a
    list item kept on its own line, and a word broken at a line end ("well-" / "being") joined
    again without the space the line break would leave (its hyphen kept)."""
    out = ""
    for raw in lines:
        line = squeeze(raw)
        if not line:
            continue
        if not out:
            out = line
        elif is_bullet(line):
            out += "\n" + line
        elif _BROKEN_WORD.search(out) and line[0].islower():
            out += line
        else:
            out += " " + line
    return out
