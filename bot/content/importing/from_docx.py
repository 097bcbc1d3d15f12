"""Reading Word documents (DOCX) with python-docx: headings by their style, paragraphs as Word
keeps them, footnote markers left out.

Word's automatic numbering is not part of a paragraph's text, so the number Word draws ("12.",
"2.1", "(a)") is worked out (`word_numbering`) and put before the words, as if typed: such a
paragraph is then found and cited like one whose number is typed. A number format that is not
worked out is reported instead, with how many paragraphs use it; saving the document as PDF and
importing that keeps Word's numbers as text.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.content.importing.document import Block, Document, Kind, join_lines
from bot.content.importing.numbering import looks_like_heading, paragraph_number
from bot.content.importing.word_numbering import WordNumbering
from bot.errors import MissingExtraError, UnreadableDocumentError

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADING_STYLE = re.compile(r"^(?:Heading \d|Title)$")
_MARKER = re.compile(r"^[\d*†‡§,\s]+$")  # a superscript footnote marker: 1, 2,3, *, †


def read_docx(path: Path) -> Document:
    try:
        import docx  # noqa: PLC0415 - the import extra; the bot itself never needs it
    except ImportError as exc:
        raise MissingExtraError(
            "reading DOCX needs python-docx: pip install 'guidebot[import]'"
        ) from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a damaged file can break the parser in any number of ways
        raise UnreadableDocumentError(f"{path.name} is not a readable DOCX file ({exc})") from exc
    blocks: list[Block] = []
    markers = 0
    unsupported: Counter[str] = Counter()
    numbering = _numbering(document)
    readable = {paragraph._p: paragraph for paragraph in document.paragraphs}
    # Every paragraph of the body in order, those in tables too: Word counts them in its lists.
    for element in document.element.body.iter(f"{{{_W}}}p"):
        if next(element.iterancestors(f"{{{_W}}}txbxContent"), None) is not None:
            continue  # a text box: not read, and not counted here
        drawn = numbering.draw(element)
        paragraph = readable.get(element)
        if paragraph is None:  # in a table or a content control: counted, not read
            continue
        text, dropped = _text(paragraph)
        markers += dropped
        if not text:
            continue
        if drawn.unsupported:
            unsupported[drawn.unsupported] += 1
        text = drawn.prefix + text
        blocks.append(Block(Kind.HEADING if _is_heading(paragraph, text) else Kind.TEXT, text))
    notes = []
    if markers:
        notes.append(f"left out {markers} superscript footnote marker(s)")
    if document.tables:
        notes.append(f"{len(document.tables)} table(s) not read: their text is not imported")
    if unsupported:
        formats = ", ".join(sorted(unsupported))
        notes.append(
            f"{unsupported.total()} paragraph(s) are numbered by Word's automatic numbering in a "
            f"format the import does not draw ({formats}), so their numbers are not imported: "
            "save the document as PDF and import that to keep them"
        )
    title = document.core_properties.title or next(
        (b.text for b in blocks if b.kind is Kind.HEADING), None
    )
    return Document(tuple(blocks), title, tuple(notes))


def _text(paragraph: Paragraph) -> tuple[str, int]:
    """The paragraph's words without superscript footnote markers, and how many were dropped."""
    parts: list[str] = []
    dropped = 0
    for item in paragraph.iter_inner_content():
        runs: list[Run] = item.runs if hasattr(item, "runs") else [item]
        for run in runs:
            if run.font.superscript and run.text.strip() and _MARKER.match(run.text):
                dropped += 1
                continue
            parts.append(run.text)
    return join_lines("".join(parts).split("\n")), dropped


def _is_heading(paragraph: Paragraph, text: str) -> bool:
    """A heading style, or a short line all in bold that does not end like a sentence."""
    style = paragraph.style.name if paragraph.style is not None else ""
    if style and _HEADING_STYLE.match(style):
        return True
    runs = [run for run in paragraph.runs if run.text.strip()]
    bold = bool(runs) and all(
        run.bold or (run.bold is None and _style_bold(paragraph)) for run in runs
    )
    return bold and looks_like_heading(text) and paragraph_number(text) is None


def _style_bold(paragraph: Paragraph) -> bool:
    style = paragraph.style
    return bool(style is not None and style.font.bold)


def _numbering(document: Any) -> WordNumbering:
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # no numbering part: nothing is numbered by Word
        numbering = None
    return WordNumbering(numbering, document.styles.element)
