"""From positioned pieces of PDF text to headings and paragraphs, in reading order, without the
running headers, footers, page numbers and footnotes that would otherwise end up inside them.

- Running headers and footers are the lines near the top or bottom edge that recur on many pages
  (digits aside, so "Page 3" and "Page 4" are one line); a lone page number there goes too.
- Footnote markers are short runs of digits or symbols in a smaller font; footnote text is
  smaller text below a page's last line of body text.
- Two columns are found by a gutter: a vertical line near the middle that the text does not
  cross, with text on both sides; each column is read top to bottom, the left one first. Text
  that spans the gutter (a heading across both columns) separates bands read in turn.
- A paragraph ends at a heading, at a wider gap than the usual line spacing, or where a line
  opening with a paragraph number follows a finished sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.content.importing.document import Block, Document, Kind, join_lines
from bot.content.importing.numbering import ends_sentence, paragraph_number

EDGE = 0.12  # the share of the page height at top and bottom where headers and footers live
SMALL = 0.9  # text below this share of the body's font size is a footnote or its marker
HEADING_SIZE = 1.15  # text this much larger than the body's is a heading
HEADING_WORDS = 15
CHAR_WIDTH = 0.5  # an average glyph's width as a share of the font size, to estimate widths
PARAGRAPH_GAP = 1.5  # a gap this many times the usual line spacing ends a paragraph
_MARKER = re.compile(r"^[\d*†‡§,\s]{1,4}$")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—\s]*#(?:\s*(?:/|of)\s*#)?[-–—\s]*$", re.I)
_PUNCTUATION_AFTER = re.compile(r"^[.,;:!?)\]’”»]")


@dataclass(frozen=True)
class Run:
    """A piece of text as pypdf reports it: its start (points from the page's bottom left),
    font size and weight."""

    x: float
    y: float
    size: float
    bold: bool
    text: str

    @property
    def end(self) -> float:
        return self.x + len(self.text) * self.size * CHAR_WIDTH


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class _Line:
    text: str
    y: float
    size: float
    bold: bool
    column: tuple[int, int]  # (band, column): lines of one column follow each other


def layout(pages: list[PdfPage], title: str | None) -> Document:
    body = _body_size(pages)
    repeated = _running_lines(pages)
    cleaned: list[list[Run]] = []
    dropped = Counter[str]()
    for page in pages:
        runs = [r for r in page.runs if not _edge_line(page, r, repeated, dropped)]
        cleaned.append(_without_footnotes(runs, body, dropped))
    lines = [line for page, runs in zip(pages, cleaned, strict=True) for line in _lines(page, runs)]
    blocks = _blocks(lines, body)
    notes = [f"left out {count} {what}" for what, count in sorted(dropped.items())]
    heading = next((b.text for b in blocks if b.kind is Kind.HEADING), None)
    return Document(tuple(blocks), title or heading, tuple(notes))


def _body_size(pages: list[PdfPage]) -> float:
    """The font size most of the text is set in."""
    sizes = Counter[float]()
    for page in pages:
        for run in page.runs:
            sizes[round(run.size, 1)] += len(run.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _edge_key(page: PdfPage, run: Run) -> str | None:
    """How a run near the top or bottom edge is compared across pages; None elsewhere."""
    if EDGE * page.height < run.y < (1 - EDGE) * page.height:
        return None
    return re.sub(r"\d+", "#", " ".join(run.text.split()).casefold())


def _running_lines(pages: list[PdfPage]) -> set[str]:
    """Edge lines found on at least half the pages (and on two at least)."""
    seen = Counter[str]()
    for page in pages:
        seen.update({key for run in page.runs if (key := _edge_key(page, run)) is not None})
    floor = max(2, (len(pages) + 1) // 2)
    return {key for key, count in seen.items() if count >= floor}


def _edge_line(page: PdfPage, run: Run, repeated: set[str], dropped: Counter[str]) -> bool:
    key = _edge_key(page, run)
    if key is not None and (key in repeated or _PAGE_NUMBER.match(key)):
        dropped["running header, footer or page number line(s)"] += 1
        return True
    return False


def _without_footnotes(runs: list[Run], body: float, dropped: Counter[str]) -> list[Run]:
    """The page's runs without footnote markers and the footnotes' text."""
    body_runs = [r for r in runs if r.size >= SMALL * body]
    lowest = min((r.y for r in body_runs), default=0.0)
    kept = []
    for run in runs:
        if run.size >= SMALL * body:
            kept.append(run)
        elif run.y < lowest - run.size * 0.5:
            dropped["line(s) of footnote text"] += 1
        elif _MARKER.match(run.text.strip()):
            dropped["footnote marker(s)"] += 1
        else:
            kept.append(run)
    return kept


def _gutter(page: PdfPage, runs: list[Run]) -> float | None:
    """The x of a gutter between two columns, if the page has two: text on at least three lines
    on each side of it, and (almost) none crossing it between the columns' top and bottom; text
    crossing it above or below them is a heading or paragraph across the page."""
    middle = [r.x for r in runs if 0.3 * page.width < r.x < 0.7 * page.width]
    tolerance = 0.03 * page.width
    for start, _ in Counter(round(x) for x in middle).most_common(3):
        gutter = start - 2
        right = [r for r in runs if r.x >= gutter]
        top, bottom = max(r.y for r in right), min(r.y for r in right)
        beside = [r for r in runs if bottom <= r.y <= top and r.x < gutter]
        crossing = [r for r in beside if r.end > gutter + tolerance]
        lines_right = len({round(r.y) for r in right})
        if (
            min(lines_right, len(beside) - len(crossing)) >= 3
            and len(crossing) <= lines_right // 10
        ):
            return gutter
    return None


def _reading_order(page: PdfPage, runs: list[Run]) -> list[tuple[tuple[int, int], Run]]:
    """Runs in reading order, each with its (band, column)."""
    gutter = _gutter(page, runs)
    if gutter is None:
        return [((0, 0), r) for r in sorted(runs, key=lambda r: (-round(r.y, 1), r.x))]
    tolerance = 0.03 * page.width
    spanning = sorted((r for r in runs if r.x < gutter < r.end - tolerance), key=lambda r: -r.y)
    keyed: list[tuple[tuple[int, int, float, float], Run]] = []
    for run in runs:
        band = sum(s.y > run.y for s in spanning)
        column = 2 if run in spanning else (0 if run.x < gutter else 1)
        keyed.append(((band, column, -round(run.y, 1), run.x), run))
    keyed.sort(key=lambda pair: pair[0])
    return [((key[0], key[1]), run) for key, run in keyed]


def _lines(page: PdfPage, runs: list[Run]) -> list[_Line]:
    lines: list[_Line] = []
    group: list[Run] = []
    place = (0, 0)
    for where, run in _reading_order(page, runs):
        if group and (where != place or abs(run.y - group[0].y) > 0.4 * group[0].size):
            lines.append(_line(group, place))
            group = []
        group.append(run)
        place = where
    if group:
        lines.append(_line(group, place))
    return lines


def _line(runs: list[Run], place: tuple[int, int]) -> _Line:
    text = ""
    for run in sorted(runs, key=lambda r: r.x):
        piece = run.text.strip()
        glue = "" if not text or _PUNCTUATION_AFTER.match(piece) else " "
        text += glue + piece
    return _Line(
        text,
        max(r.y for r in runs),
        max(r.size for r in runs),
        all(r.bold for r in runs),
        place,
    )


def _is_heading(line: _Line, body: float) -> bool:
    if len(line.text.split()) > HEADING_WORDS:
        return False
    return line.size >= HEADING_SIZE * body or (line.bold and not ends_sentence(line.text))


def _blocks(lines: Iterable[_Line], body: float) -> list[Block]:
    blocks: list[Block] = []
    current: list[_Line] = []
    heading = False
    for line in lines:
        starts_heading = _is_heading(line, body)
        if current and _boundary(current[-1], line, heading, starts_heading, body):
            blocks.append(_block(current, heading))
            current = []
        current.append(line)
        heading = starts_heading
    if current:
        blocks.append(_block(current, heading))
    return blocks


def _block(lines: list[_Line], heading: bool) -> Block:
    return Block(Kind.HEADING if heading else Kind.TEXT, join_lines(line.text for line in lines))


def _boundary(previous: _Line, line: _Line, was_heading: bool, heading: bool, body: float) -> bool:
    """Whether `line` starts a new block: a heading starts or ends, a heading of another size
    follows one, a wider gap than the usual line spacing, or a paragraph number after a
    finished sentence."""
    if heading != was_heading:
        return True
    gap = previous.y - line.y if previous.column == line.column else 0.0
    if heading:
        return abs(line.size - previous.size) > 0.5 or gap > PARAGRAPH_GAP * line.size * 1.2
    if gap > PARAGRAPH_GAP * body * 1.2:
        return True
    return paragraph_number(line.text) is not None and ends_sentence(previous.text)
