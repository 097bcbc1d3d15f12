"""Fitting numbered paragraphs to the corpus's passage length (`PASSAGE_WORDS`, 60 to 250 words).

A short paragraph is joined to its neighbours, in its own section when it can be, and the
passage keeps every number it holds (¶ 12–13). A long one is cut at sentence ends into parts of
similar length, and each part keeps the number of every paragraph it holds text of. No word is
changed: the parts of a paragraph put back together are the paragraph.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.content.entries import PASSAGE_WORDS
from bot.content.importing.paragraphs import Paragraph
from bot.errors import NoParagraphsError

SHORTEST, LONGEST = PASSAGE_WORDS
# A sentence ends at . ! ? … (and the Arabic and CJK marks), after any closing quotes, before a
# space and a character that is not a lower-case letter; a list item's line break ends one too.
_SENTENCE_END = re.compile(r"(?<=[.!?…؟。])[\"'”’»)]*\s+(?=\S)|\n")


@dataclass(frozen=True)
class Piece:
    """The text of one passage to be: its sections, paragraph numbers and verbatim text."""

    sections: tuple[str, ...]
    labels: tuple[str, ...]
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class _Unit:
    """A sentence: which paragraph of its group it is in, and where in that paragraph's text."""

    paragraph: int
    start: int
    end: int
    words: int


def fit(paragraphs: list[Paragraph]) -> list[Piece]:
    """Passages of `SHORTEST` to `LONGEST` words holding every paragraph once, in order."""
    total = sum(p.words for p in paragraphs)
    if total < SHORTEST:
        raise NoParagraphsError(
            f"the numbered paragraphs hold {total} words in all; a passage needs {SHORTEST}"
        )
    pieces: list[Piece] = []
    for group in _groups(paragraphs):
        pieces += _split(group)
    return pieces


def _size(group: list[Paragraph]) -> int:
    return sum(p.words for p in group)


def _groups(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Consecutive paragraphs, each group of `SHORTEST` words at least."""
    groups: list[list[Paragraph]] = []
    for paragraph in paragraphs:
        last = groups[-1] if groups else None
        if last and _size(last) < SHORTEST and last[-1].section == paragraph.section:
            last.append(paragraph)
        else:
            groups.append([paragraph])
    index = 0
    while index < len(groups):  # a group still short: into a neighbour, same section first
        group = groups[index]
        if _size(group) >= SHORTEST or len(groups) == 1:
            index += 1
            continue
        before = index > 0 and groups[index - 1][-1].section == group[0].section
        after = index + 1 < len(groups) and groups[index + 1][0].section == group[-1].section
        into = index - 1 if before or (not after and index > 0) else index + 1
        lower, upper = sorted((index, into))
        groups[lower : upper + 1] = [groups[lower] + groups[upper]]
        index = lower
    return groups


def _split(group: list[Paragraph]) -> list[Piece]:
    if _size(group) <= LONGEST:
        return [_piece(group, [_whole(i, p) for i, p in enumerate(group)])]
    units = [u for i, p in enumerate(group) for u in _sentences(i, p.text)]
    for parts in range(math.ceil(_size(group) / LONGEST), len(units) + 1):
        cut = _balanced(units, parts)
        if cut is not None:
            return [_piece(group, part) for part in cut]
    # One sentence longer than a passage: cut it between words, the only choice left.
    words = [u for i, p in enumerate(group) for u in _words(i, p.text)]
    parts = math.ceil(len(words) / LONGEST)
    size = math.ceil(len(words) / parts)
    return [_piece(group, words[n : n + size]) for n in range(0, len(words), size)]


def _balanced(units: list[_Unit], parts: int) -> list[list[_Unit]] | None:
    """`units` cut into `parts` runs of similar length within the limits, or None."""
    target = sum(u.words for u in units) / parts
    cut: list[list[_Unit]] = [[]]
    done = 0.0
    for unit in units:
        size = sum(u.words for u in cut[-1])
        if (
            cut[-1]
            and len(cut) < parts
            and (done + size >= target * len(cut) or size + unit.words > LONGEST)
        ):
            done += size
            cut.append([])
        cut[-1].append(unit)
    sizes = [sum(u.words for u in part) for part in cut]
    return cut if all(SHORTEST <= s <= LONGEST for s in sizes) else None


def _whole(index: int, paragraph: Paragraph) -> _Unit:
    return _Unit(index, 0, len(paragraph.text), paragraph.words)


def _sentences(index: int, text: str) -> list[_Unit]:
    units, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n" and text[match.end()].islower():
            continue  # "e.g. a", "approx. ten": a lower-case word goes on with the sentence
        units.append(_Unit(index, start, match.start(), len(text[start : match.start()].split())))
        start = match.end()
    units.append(_Unit(index, start, len(text), len(text[start:].split())))
    return [u for u in units if u.words]


def _words(index: int, text: str) -> list[_Unit]:
    return [_Unit(index, m.start(), m.end(), 1) for m in re.finditer(r"\S+", text)]


def _piece(group: list[Paragraph], units: list[_Unit]) -> Piece:
    """The text of `units`, each paragraph's share as it stands in the paragraph (its spaces and
    line breaks), paragraphs apart by a blank line."""
    shares: dict[int, tuple[int, int]] = {}
    for unit in units:
        start, end = shares.get(unit.paragraph, (unit.start, unit.end))
        shares[unit.paragraph] = (min(start, unit.start), max(end, unit.end))
    held = [group[i] for i in shares]
    text = "\n\n".join(group[i].text[start:end] for i, (start, end) in shares.items())
    return Piece(
        tuple(dict.fromkeys(p.section for p in held)),
        tuple(dict.fromkeys(p.number.label for p in held)),
        text,
    )
