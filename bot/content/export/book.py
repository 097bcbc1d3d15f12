"""The exported book's structure: one chapter per part of the guide (a collection, or the
checklists) and language, each in sections, and the file each chapter is written to.

Reviewers work one part in one language at a time (the Spanish relocation guide, say), and a
translation is reviewed beside its English original, so a chapter holds exactly one part in one
language and a translation can always point to its original's page. Nothing here writes HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.approval import Tally
from bot.content.coverage import part_of
from bot.content.model import (
    COLLECTIONS,
    LANGUAGES,
    STAGES,
    Checklist,
    Corpus,
    Entry,
    Passage,
)
from bot.content.texts import Texts

CHECKLISTS = "checklists"
PARTS = (*COLLECTIONS, CHECKLISTS)
INDEX = "index.html"


@dataclass(frozen=True)
class Section:
    """Entries under one heading: a passage file's section, or a checklist stage."""

    heading: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Chapter:
    """One part of the guide in one language: one page of the book."""

    part: str
    lang: str
    sections: tuple[Section, ...]

    @property
    def filename(self) -> str:
        return page_name(self.part, self.lang)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(entry for section in self.sections for entry in section.entries)

    @property
    def tally(self) -> Tally:
        entries = self.entries
        return Tally(sum(e.review.approved for e in entries), len(entries))


def page_name(part: str, lang: str) -> str:
    """Flat names in one folder (relocation-es.html), so that every link between pages is a
    plain relative one and the folder can be moved or zipped as it is."""
    return f"{part}-{lang}.html"


def anchor(entry: Entry) -> str:
    """Where an entry is on its page: `#<id>` (a translation's id keeps its .es suffix)."""
    return f"{page_name(part_of(entry), entry.language)}#{entry.id}"


def chapters(corpus: Corpus, texts: Texts) -> list[Chapter]:
    """Every part in every language that has an entry: parts in the guide's order, then
    languages in the corpus's order (English first)."""
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for entry in corpus.entries:
        grouped.setdefault((part_of(entry), entry.language), []).append(entry)
    return [
        Chapter(part, lang, _sections(grouped[part, lang], texts, lang))
        for part in PARTS
        for lang in LANGUAGES
        if (part, lang) in grouped
    ]


def _sections(entries: list[Entry], texts: Texts, lang: str) -> tuple[Section, ...]:
    """Passages under their sections in the order the files give them; checklists under their
    stages in the order of a relocation (selection first, crisis last)."""
    headings: dict[str, list[Entry]] = {}
    checklists = [entry for entry in entries if isinstance(entry, Checklist)]
    for stage in STAGES:
        for checklist in checklists:
            if checklist.stage == stage:
                headings.setdefault(texts.get(lang, f"stage_{stage}"), []).append(checklist)
    for entry in entries:
        if isinstance(entry, Passage):
            headings.setdefault(entry.section, []).append(entry)
    return tuple(Section(heading, tuple(found)) for heading, found in headings.items())
