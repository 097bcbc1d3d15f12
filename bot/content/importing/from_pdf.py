"""Reading PDF files with pypdf: every piece of text on each page with where it sits, how large
and whether bold; `pdf_layout` turns those pieces into headings and paragraphs in reading order.

pypdf reports text in the order of the file's content stream, which need not be the order people
read (two columns are often drawn line by line across both). Its text visitor gives each piece's
position and font, which is what reading order, headings, running headers and footnotes are told
from. Only the text layer is read: a scanned page without one has nothing to import.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from bot.content.importing.document import Document
from bot.content.importing.pdf_layout import PdfPage, Run, layout
from bot.errors import MissingExtraError, UnreadableDocumentError

_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


def read_pdf(path: Path) -> Document:
    try:
        import pypdf  # noqa: PLC0415 - the import extra; the bot itself never needs it
    except ImportError as exc:
        raise MissingExtraError("reading PDF needs pypdf: pip install 'guidebot[import]'") from exc
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocumentError(f"{path.name} is encrypted; save an unprotected copy")
        pages = [_page(page) for page in reader.pages]
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # a damaged file can break the parser in any number of ways
        raise UnreadableDocumentError(f"{path.name} is not a readable PDF file ({exc})") from exc
    if not any(page.runs for page in pages):
        raise UnreadableDocumentError(
            f"{path.name} has no text layer (a scanned document?); run it through OCR first"
        )
    return layout(pages, title.strip() if isinstance(title, str) and title.strip() else None)


def _page(page: Any) -> PdfPage:
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        # Text space to user space: the text matrix, then the current transformation matrix.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] - left
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] - bottom
        height = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        name = str(font.get("/BaseFont", "")) if font is not None else ""
        bold = any(word in name.lower() for word in _BOLD_NAMES)
        step = size * height * 1.2
        for index, line in enumerate(text.split("\n")):
            if line.strip():
                runs.append(Run(x, y - index * step, size * height, bold, line))

    page.extract_text(visitor_text=visit)
    return PdfPage(float(box.width), float(box.height), tuple(runs))
