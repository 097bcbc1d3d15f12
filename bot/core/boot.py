"""Loading the core: the library, checked against every interface text the code asks for."""

from __future__ import annotations

from pathlib import Path

from bot.core import choices, helplines, menus, routes
from bot.core.library import Library, read_library

# Texts used outside the menus, settings and command table.
OTHER_TEXTS = (
    "fallback_note",
    "closest_topics",
    "sources",
    "no_sources",
    "button_more",
    "button_full",
    "checklist_file",
    "button_vote_up",
    "button_vote_down",
    "button_selfcare",
    "button_checklists",
    "no_answer",
    "empty",
    "slow_down",
)


def required_texts() -> list[str]:
    return [
        *routes.required_texts(),
        *menus.required_texts(),
        *choices.REQUIRED_TEXTS,
        *helplines.REQUIRED_TEXTS,
        *OTHER_TEXTS,
    ]


def load_library(corpus_dir: Path | None = None, intents_dir: Path | None = None) -> Library:
    """Load and validate the content; raise `CorpusError` listing every problem found."""
    return read_library(corpus_dir, intents_dir, required_texts())
