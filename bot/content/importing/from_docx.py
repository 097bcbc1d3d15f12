"""Reading Word documents (DOCX) with python-docx: headings by their style, paragraphs as Word
keeps them, footnote markers left out.

Word's automatic numbering is not part of a paragraph's text: python-docx gives the words but not
the number Word would draw, and computing it (restarts, overrides, several lists sharing one
definition) risks printing a number the document does not show. Such paragraphs are counted and
reported instead; saving the document as PDF and importing that keeps Word's numbers as text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.content.importing.document import Block, Document, Kind, join_lines
from bot.content.importing.numbering import looks_like_heading, paragraph_number
from bot.errors import MissingExtraError, UnreadableDocumentError

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
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
    markers = automatic = 0
    decimal = _decimal_lists(document)
    for paragraph in document.paragraphs:
        text, dropped = _text(paragraph)
        markers += dropped
        if not text:
            continue
        if _is_heading(paragraph, text):
            blocks.append(Block(Kind.HEADING, text))
            continue
        if _list_id(paragraph) in decimal and paragraph_number(text) is None:
            automatic += 1
        blocks.append(Block(Kind.TEXT, text))
    notes = []
    if markers:
        notes.append(f"left out {markers} superscript footnote marker(s)")
    if document.tables:
        notes.append(f"{len(document.tables)} table(s) not read: their text is not imported")
    if automatic:
        notes.append(
            f"{automatic} paragraph(s) are numbered by Word's automatic numbering, which is not "
            "part of their text: save the document as PDF and import that to keep the numbers"
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


def _list_id(paragraph: Paragraph) -> str | None:
    """The numbering a paragraph uses, directly or through its style (w:numPr/w:numId)."""
    style = paragraph.style
    for element in (paragraph._p, style.element if style is not None else None):
        found: list[Any] = (
            element.xpath("./w:pPr/w:numPr/w:numId/@w:val") if element is not None else []
        )
        if found:
            return str(found[0])
    return None


def _decimal_lists(document: Any) -> set[str]:
    """Ids of the numbering definitions that draw numbers (not bullets) at their first level."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return set()
    decimal_abstract = {
        str(abstract.get(f"{{{_W}}}abstractNumId"))
        for abstract in numbering.findall("w:abstractNum", _NS)
        if abstract.find("w:lvl[@w:ilvl='0']/w:numFmt[@w:val='decimal']", _NS) is not None
    }
    return {
        str(num.get(f"{{{_W}}}numId"))
        for num in numbering.findall("w:num", _NS)
        if str(num.find("w:abstractNumId", _NS).get(f"{{{_W}}}val")) in decimal_abstract
    }
