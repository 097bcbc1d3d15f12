"""Telling a numbered paragraph from the rest: "12.", "12)", "(12)", "§ 12", "1.2.3".

A citation names a paragraph by the number the document itself prints, so the number must be
read, never counted: a paragraph without one is reported, not numbered by us.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A plain number has at most three digits: "2019. The guidelines..." is a year, not ¶ 2019.
_NUMBER = re.compile(
    r"^(?:§\s*(?P<section>\d{1,4}(?:\.\d{1,4})*)\.?"
    r"|\((?P<paren>\d{1,4}(?:\.\d{1,4})*)\)"
    r"|(?P<dotted>\d{1,4}(?:\.\d{1,4})+)\.?"
    r"|(?P<plain>\d{1,3})[.)])"
    r"\s+(?=\S)"
)
_SENTENCE_END = re.compile(r"[.!?:;…。؟!\"'”»]$")
HEADING_WORDS = 12


@dataclass(frozen=True)
class Number:
    """A paragraph number as printed ("12", "1.2.3") and what it orders by."""

    label: str

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.label.split("."))


def paragraph_number(text: str) -> Number | None:
    """The number `text` opens with, if it opens with one of the recognised forms."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    label = next(value for value in match.groupdict().values() if value is not None)
    return Number(label)


def ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence, so that a number opening the next line may open a new
    paragraph rather than continue a sentence ("... as shown in table\\n12. The ...")."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def looks_like_heading(text: str) -> bool:
    """A plain-text heading: one short line that does not end like a sentence."""
    text = text.strip()
    return (
        bool(text)
        and "\n" not in text
        and len(text.split()) <= HEADING_WORDS
        and not ends_sentence(text)
        and not text.startswith(("-", "*", "•"))
    )
