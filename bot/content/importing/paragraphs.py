"""Finding a document's numbered paragraphs and the section each sits in.

A paragraph opens with its number; text that follows without one (a list, a quotation, the rest
of a paragraph carried over a page) belongs to it. A number that does not follow the last one of
its section in order ("1." inside paragraph 12) opens a list inside the paragraph, not a new one.
Text before the first number of a section has no number to cite and is reported, not imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.importing.document import Document, Kind
from bot.content.importing.numbering import Number, paragraph_number

SKIPPED_SHOWN = 60  # characters of a skipped paragraph shown in the report


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph: its section (heading), number and text, as the document has them.
    Text carried in from unnumbered blocks follows after a blank line."""

    section: str
    number: Number
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Found:
    paragraphs: list[Paragraph] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # the start of each unnumbered block left out


def numbered_paragraphs(document: Document, untitled: str) -> Found:
    """The numbered paragraphs of `document`. Paragraphs before any heading are in a section
    named after the document's title, or `untitled` when it has none."""
    found = Found()
    section = document.title or untitled
    last: tuple[int, ...] | None = None
    number: Number | None = None
    texts: list[str] = []

    def close() -> None:
        if number is not None:
            found.paragraphs.append(Paragraph(section, number, "\n\n".join(texts)))

    for block in document.blocks:
        if block.kind is Kind.HEADING:
            close()
            section, last, number, texts = block.text, None, None, []
            continue
        opened = paragraph_number(block.text)
        if opened is not None and (last is None or opened.key > last):
            close()
            number, last, texts = opened, opened.key, [block.text]
        elif number is not None:
            texts.append(block.text)
        else:
            found.skipped.append(_start(block.text))
    close()
    return found


def _start(text: str) -> str:
    return text if len(text) <= SKIPPED_SHOWN else text[:SKIPPED_SHOWN].rsplit(" ", 1)[0] + " …"
