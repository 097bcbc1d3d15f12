"""How much of the guide a qualified reviewer has approved: per language and part of the guide
(a collection, or the checklists). `corpus check` prints it, `/about` and the exported book say it.

Every entry counts on its own: a translation is approved apart from its original, and an English
entry's approval is never counted for its translations.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.coverage import part_of
from bot.content.model import LANGUAGES, Corpus


@dataclass(frozen=True)
class Tally:
    """Approved entries out of all entries in one language and part (or in the whole guide)."""

    approved: int
    of: int


def approvals(corpus: Corpus) -> dict[str, dict[str, Tally]]:
    """language -> part -> tally, for every language and part that has an entry, languages in
    the corpus's order (English first)."""
    counts: dict[str, dict[str, list[int]]] = {}
    for entry in corpus.entries:
        tally = counts.setdefault(entry.language, {}).setdefault(part_of(entry), [0, 0])
        tally[0] += entry.review.approved
        tally[1] += 1
    return {
        lang: {part: Tally(*tally) for part, tally in sorted(parts.items())}
        for lang, parts in sorted(counts.items(), key=lambda item: LANGUAGES.index(item[0]))
    }


def approved_in_all(corpus: Corpus) -> Tally:
    """The whole guide: every entry in every language."""
    entries = corpus.entries
    return Tally(sum(e.review.approved for e in entries), len(entries))
