"""A minimal PDF writer for tests and benchmarks: pages of positioned text in Helvetica.

The importer's PDF tests need documents whose layout they control exactly (a running header, a
superscript footnote marker, footnote text at the foot of a page, two columns written to the
content stream in an interleaved order), which no fixture file shows as plainly as a few lines
of code. Text is Latin-1 only, in the standard Helvetica fonts, so no font file is embedded.
"""

from __future__ import annotations

import textwrap
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE_WIDTH = 612  # US Letter, in points
PAGE_HEIGHT = 792
MARGIN = 72
LEADING = 1.3  # line spacing as a multiple of the font size


@dataclass(frozen=True)
class Text:
    """One run of text whose baseline starts at (x, y), in points from the bottom left."""

    x: float
    y: float
    text: str
    size: float = 11
    bold: bool = False


def _escape(text: str) -> bytes:
    raw = text.encode("latin-1")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(runs: Iterable[Text]) -> bytes:
    """One BT ... ET per run, in the order given: the order a reader meets them in the file."""
    parts = []
    for run in runs:
        font = b"/F2" if run.bold else b"/F1"
        parts.append(
            b"BT %s %.1f Tf %.2f %.2f Td (%s) Tj ET"
            % (font, run.size, run.x, run.y, _escape(run.text))
        )
    return b"\n".join(parts)


def pdf_bytes(pages: Sequence[Sequence[Text]], *, title: str | None = None) -> bytes:
    """A valid PDF 1.4 file (catalogue, page tree, fonts, compressed content streams, an info
    dictionary holding `title`, a cross-reference table)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for runs in pages:
        stream = zlib.compress(_content(runs))
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info = None
    if title is not None:
        objects.append(b"<< /Title (%s) /Producer (tests.pdfmaker) >>" % _escape(title))
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info is not None:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def write_pdf(path: Path, pages: Sequence[Sequence[Text]], *, title: str | None = None) -> Path:
    path.write_bytes(pdf_bytes(pages, title=title))
    return path


def lines(text: str, x: float, y: float, *, width: int = 90, size: float = 11) -> list[Text]:
    """`text` wrapped to `width` characters per line, top line at `y`, going down the page."""
    step = size * LEADING
    return [Text(x, y - i * step, line, size) for i, line in enumerate(textwrap.wrap(text, width))]


class Page:
    """A page filled from the top down, one block at a time, for tests that do not care about
    exact positions."""

    def __init__(self, top: float = PAGE_HEIGHT - MARGIN) -> None:
        self.runs: list[Text] = []
        self.y = top

    def heading(self, text: str, size: float = 14) -> Page:
        self.y -= size * 0.5
        self.runs.append(Text(MARGIN, self.y, text, size, bold=True))
        self.y -= size * LEADING * 1.2
        return self

    def paragraph(self, text: str, *, width: int = 90) -> Page:
        block = lines(text, MARGIN, self.y, width=width)
        self.runs += block
        self.y = block[-1].y - 11 * LEADING * 1.8
        return self

    def add(self, *runs: Text) -> Page:
        self.runs += runs
        return self
