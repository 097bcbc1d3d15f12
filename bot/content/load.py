"""Load a corpus folder and validate all of it, reporting every problem with file and line.

`load_corpus` is the one entry point: it runs each content reader in turn over a shared `Reader`,
then checks what spans files (ids used twice, translations that name no entry) and builds the
citations, so that every problem is reported together before the corpus is used.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.content.asked import load_asked
from bot.content.countries import load_countries
from bot.content.entries import (
    check_translation,
    load_checklists,
    load_passages,
    with_citation,
    with_quote_citation,
)
from bot.content.fields import Fields
from bot.content.glossary import load_glossaries
from bot.content.interface import load_texts
from bot.content.model import Checklist, Corpus, Passage
from bot.content.reader import Reader
from bot.content.references import load_resources, load_sources
from bot.content.wordlists import load_stopwords, load_synonyms
from bot.errors import CorpusError, Problem


def load_corpus(root: Path) -> Corpus:
    """Load and validate the corpus at `root`; raise `CorpusError` listing every problem."""
    reader = Reader(root)
    if not root.is_dir():
        raise CorpusError([Problem(str(root), 0, "", "corpus folder not found")])
    sources = load_sources(reader)
    texts = load_texts(reader)
    passages = load_passages(reader, sources)
    checklists = load_checklists(reader, sources)
    countries = load_countries(reader)
    # With countries.yaml unreadable or empty its own problem is reported; checking every
    # resource against no countries would only bury that one problem under a hundred others.
    resources = load_resources(reader, {c.iso for c in countries if c.iso} or None)
    synonyms = load_synonyms(reader)
    stopwords = load_stopwords(reader)
    glossaries = load_glossaries(reader)

    def text(lang: str, key: str) -> str:
        return texts.get(lang, {}).get(key) or texts.get("en", {}).get(key) or key

    seen: dict[str, Fields] = {}
    pairs: list[tuple[Passage | Checklist, Fields]] = [*passages, *checklists]
    for entry, f in pairs:
        if entry.id in seen:
            f.problem(
                f"id {entry.id!r} is already used at line {seen[entry.id].line} of "
                f"{seen[entry.id].file}"
            )
        seen[entry.id] = f
    originals = {e.id: e for e, _ in pairs if e.language == "en"}
    for entry, f in pairs:
        check_translation(entry, f, seen, originals)
    asked = load_asked(reader, set(originals))
    for resource in resources:
        if resource.id in seen:
            reader.problems.append(Problem("resources.yaml", 0, resource.id, "id already used"))

    built_passages = tuple(
        with_quote_citation(p)
        if p.verbatim
        else with_citation(p, text(p.language, f"guide_{p.collection}"), p.section)
        for p, _ in passages
    )
    # A checklist is also found by its stage's name and the word for "checklists" in its own
    # language (the interface texts), not only by English ones.
    built_checklists = tuple(
        with_citation(
            replace(
                c,
                keywords=(
                    *c.keywords,
                    text(c.language, "guide_checklists"),
                    text(c.language, f"stage_{c.stage}"),
                ),
            ),
            text(c.language, "guide_checklists"),
            text(c.language, f"stage_{c.stage}"),
        )
        for c, _ in checklists
    )
    if reader.problems:
        raise CorpusError(reader.problems)
    return Corpus(
        passages=built_passages,
        checklists=built_checklists,
        resources=tuple(resources),
        countries=tuple(countries),
        sources=sources,
        synonyms=synonyms,
        texts=texts,
        stopwords=stopwords,
        root=str(root),
        glossaries=glossaries,
        asked=asked,
        asked_counts={
            lang: (len(table), sum(len(m) for m in table.values())) for lang, table in asked.items()
        },
    )
