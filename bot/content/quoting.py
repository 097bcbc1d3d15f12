"""Passages quoted verbatim from an organisation's own guidelines: their extra fields and their
citation.

Most passages are written by the Guide team in its own words and cite public sources by name.
An organisation's own guidelines, imported by `guidebot corpus import`, are quoted word for word
instead, so the citation must point to the paragraph quoted ("Acme guidelines › Rest › ¶ 12")
and the document's address, and an editor must be able to tell such a passage from ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.fields import Fields
from bot.content.model import Source

QUOTE_FIELDS = ("verbatim", "paragraphs", "url")
# 12, 1.2.3 or 12a: what the importer reads from "12.", "(12)", "§ 12", "1.2.3" and the like.
PARAGRAPH_LABEL = re.compile(r"^[0-9]{1,4}(?:\.[0-9]{1,4})*[a-z]?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
PILCROW = "¶"


@dataclass(frozen=True)
class Quote:
    """What a verbatim passage adds: the paragraph numbers it quotes and where the document is."""

    paragraphs: tuple[str, ...]
    url: str | None


def read_quote(f: Fields, sources: tuple[Source, ...]) -> Quote | None:
    """The quote fields of one passage, validated; None for a passage in our own words.

    A verbatim passage quotes one document, so it cites exactly one source, and it is an
    original in its own language, never a translation of an English entry.
    """
    node = f.node
    verbatim = f.boolean("verbatim") if "verbatim" in node else False
    paragraphs = f.text_list("paragraphs") if "paragraphs" in node else ()
    for label in paragraphs:
        if not PARAGRAPH_LABEL.match(label):
            f.problem(f"paragraph number {label!r} should look like 12, 1.2.3 or 12a")
    url = f.optional_text("url")
    if url is not None and not _URL.match(url):
        f.problem(f"'url' is {url!r}; expected an address starting with https:// or http://")
    if not verbatim:
        for key in ("paragraphs", "url"):
            if key in node:
                f.problem(f"{key!r} belongs to a quoted passage; add 'verbatim: true' or remove it")
        return None
    if not paragraphs:
        f.problem("a verbatim passage needs 'paragraphs': the numbers of the paragraphs it quotes")
    if len(sources) != 1:
        f.problem("a verbatim passage quotes one document: 'sources' must name exactly one id")
    if "translation_of" in node:
        f.problem("a verbatim passage is an original text; it cannot have 'translation_of'")
    return Quote(paragraphs, url)


def paragraph_span(labels: tuple[str, ...]) -> str:
    """How a citation names the paragraphs: "¶ 12", "¶ 12–14" for a run, "¶ 12, 15" otherwise.

    Runs are found among whole numbers that differ by one in their last part (12, 13, 14 or
    1.2.3, 1.2.4); anything else is listed as it is, so no number is implied that was not read.
    """
    unique = list(dict.fromkeys(labels))
    groups: list[list[str]] = []
    for label in unique:
        if groups and _follows(groups[-1][-1], label):
            groups[-1].append(label)
        else:
            groups.append([label])
    parts = [group[0] if len(group) == 1 else f"{group[0]}–{group[-1]}" for group in groups]
    return f"{PILCROW} {', '.join(parts)}"


def _follows(previous: str, label: str) -> bool:
    head, _, last = previous.rpartition(".")
    new_head, _, new_last = label.rpartition(".")
    if head != new_head or not (last.isdigit() and new_last.isdigit()):
        return False
    return int(new_last) == int(last) + 1
