"""Loading the per-language word lists search uses: synonym groups (synonyms.yaml) and stopwords
(stopwords.yaml).

Both files are keyed by language code rather than listing entries, so they share a reader that
checks those keys.
"""

from __future__ import annotations

from typing import Any

from bot.content.model import LANGUAGES
from bot.content.reader import Reader
from bot.content.yamlfile import line_of
from bot.errors import Problem


def _per_language(reader: Reader, name: str) -> tuple[dict[str, Any], str]:
    document, shown = reader.read(reader.root / name, None, dict)
    for lang in document:
        if lang not in LANGUAGES:
            reader.problems.append(
                Problem(shown, line_of(document), str(lang), f"unknown language {lang!r}")
            )
    return document, shown


def load_synonyms(reader: Reader) -> dict[str, tuple[tuple[str, ...], ...]]:
    document, shown = _per_language(reader, "synonyms.yaml")
    result = {}
    for lang, groups in document.items():
        good = []
        for index, group in enumerate(groups if isinstance(groups, list) else [None]):
            if (
                not isinstance(group, list)
                or len(group) < 2
                or not all(isinstance(w, str) and w.strip() for w in group)
            ):
                reader.problems.append(
                    Problem(
                        shown,
                        0,
                        f"{lang} #{index + 1}",
                        "a synonym group is a list of two or more words",
                    )
                )
                continue
            good.append(tuple(w.strip() for w in group))
        result[str(lang)] = tuple(good)
    return result


def load_stopwords(reader: Reader) -> dict[str, frozenset[str]]:
    document, shown = _per_language(reader, "stopwords.yaml")
    result = {}
    for lang, words in document.items():
        if not isinstance(words, str):
            reader.problems.append(
                Problem(shown, 0, str(lang), "stopwords are one block of words separated by spaces")
            )
            continue
        result[str(lang)] = frozenset(words.split())
    return result
