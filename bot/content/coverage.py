"""How much of the English guide each language has: per collection (and checklists), which
English entries have no translation yet. `corpus check` prints it; a test holds the floor."""

from __future__ import annotations

from typing import Any

from bot.content.model import Checklist, Corpus, Entry, Passage


def part_of(entry: Entry) -> str:
    """The part of the guide an entry belongs to: its collection, or "checklists"."""
    return "checklists" if isinstance(entry, Checklist) else entry.collection


def coverage(corpus: Corpus) -> dict[str, dict[str, dict[str, Any]]]:
    """language -> collection -> {have, of, missing: [English ids]}, for every language but
    English. Passages quoted from an organisation's own document are left out: they are its
    words, not ours to translate."""
    english: dict[str, list[str]] = {}
    for entry in corpus.entries:
        if entry.language == "en" and not (isinstance(entry, Passage) and entry.verbatim):
            english.setdefault(part_of(entry), []).append(entry.id)
    translated: dict[str, set[str]] = {}
    for entry in corpus.entries:
        if entry.language != "en" and entry.translation_of:
            translated.setdefault(entry.language, set()).add(entry.translation_of)
    languages = sorted({e.language for e in corpus.entries} - {"en"})
    return {
        lang: {
            part: {
                "have": sum(i in translated.get(lang, set()) for i in ids),
                "of": len(ids),
                "missing": [i for i in ids if i not in translated.get(lang, set())],
            }
            for part, ids in sorted(english.items())
        }
        for lang in languages
    }
