"""How people ask for each entry (corpus/asked/): validated, searched, never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import load_corpus
from bot.content.asked import load_asked
from bot.content.reader import Reader
from bot.core.library import Library
from bot.paths import default_corpus_dir


def _problems(tmp_path: Path, text: str, name: str = "es.yaml") -> list[str]:
    (tmp_path / "asked").mkdir()
    (tmp_path / "asked" / name).write_text(text, encoding="utf-8")
    reader = Reader(tmp_path)
    load_asked(reader, {"sc-talk-to-kids", "co-guests-clashing"})
    return [str(p) for p in reader.problems]


def test_a_well_formed_file_loads(tmp_path: Path) -> None:
    (tmp_path / "asked").mkdir()
    (tmp_path / "asked" / "es.yaml").write_text(
        'language: es\nasked:\n  - entry: sc-talk-to-kids\n    messages: ["mi hijo pregunta"]\n',
        encoding="utf-8",
    )
    reader = Reader(tmp_path)
    assert load_asked(reader, {"sc-talk-to-kids"}) == {
        "es": {"sc-talk-to-kids": ("mi hijo pregunta",)}
    }
    assert not reader.problems


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            'language: es\nasked:\n  - entry: sc-talk-to-kid\n    messages: ["x"]\n',
            "[sc-talk-to-kid]: no English entry has this id",
            3,
        ),
        (
            'language: es\nasked:\n  - entry: sc-talk-to-kids\n    messages: ["x"]\n'
            '  - entry: co-guests-clashing\n    messages: "not a list"\n',
            "[co-guests-clashing]: `messages` is a list",
            5,
        ),
        (
            'language: es\nasked:\n  - entry: sc-talk-to-kids\n    messages: ["x"]\n'
            '  - entry: sc-talk-to-kids\n    messages: ["y"]\n',
            "[sc-talk-to-kids]: entry listed twice",
            5,
        ),
        ("language: fr\nasked: []\n", "language 'fr' is not 'es'", 1),
    ],
)
def test_problems_name_file_line_and_entry(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    problems = _problems(tmp_path, text)
    assert any(message in p and f"es.yaml:{line}" in p for p in problems), problems


def test_every_english_entry_is_asked_for_in_every_language() -> None:
    corpus = load_corpus(default_corpus_dir())
    originals = {e.id for e in corpus.entries if e.language == "en"}
    assert set(corpus.asked) == {"en", "es", "fr", "pt", "ru", "ar"}
    for lang, table in corpus.asked.items():
        assert set(table) == originals, lang
        assert all(len(messages) >= 5 for messages in table.values()), lang
        assert corpus.asked_counts[lang] == (len(table), sum(map(len, table.values())))


def test_asked_words_find_an_entry_but_are_never_kept_or_shown(library: Library) -> None:
    """Each entry is found by the messages people asked for it with (they are in the index);
    the running library keeps only their counts, and a reply shows the passage's own text."""
    corpus = load_corpus(default_corpus_dir())
    for entry_id in ("sc-talk-to-kids", "co-guests-clashing", "pr-safe-video-sessions"):
        entry = library.corpus.entry(entry_id)
        assert entry is not None
        messages = corpus.asked["en"][entry_id]
        found = 0
        for message in messages:
            assert message not in entry.text
            ranking = library.index.rank(message, lang="en", k=3)
            found += entry_id in {hit.entry.base_id for hit in ranking.hits}
        assert found >= len(messages) // 2, entry_id
    assert library.corpus.asked == {}
    assert library.corpus.asked_counts == corpus.asked_counts
