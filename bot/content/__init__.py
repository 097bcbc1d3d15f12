"""The curated content: passages, checklists, resources, countries, sources, synonyms and interface
texts."""

from bot.content.load import load_corpus
from bot.content.model import (
    AUDIENCES,
    CATEGORIES,
    COLLECTIONS,
    LANGUAGES,
    STAGES,
    Checklist,
    Corpus,
    Country,
    Entry,
    Passage,
    Resource,
    Review,
    Source,
)

__all__ = [
    "AUDIENCES",
    "CATEGORIES",
    "COLLECTIONS",
    "LANGUAGES",
    "STAGES",
    "Checklist",
    "Corpus",
    "Country",
    "Entry",
    "Passage",
    "Resource",
    "Review",
    "Source",
    "load_corpus",
]
