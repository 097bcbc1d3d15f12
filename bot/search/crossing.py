"""Carrying a question over to English through the glossaries, for the cross-language fallback.

When nothing in the user's language answers, the English guide may: but a Spanish question holds
no English words for BM25 to match. Each glossary term's Spanish forms (`term` and `also`),
stemmed as the Spanish analyzer stems them, map to its English words; a question becomes the
English words of the terms it contains, longest match first. Terms are data
(corpus/glossary/<lang>.yaml), not code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.content.glossary import Term
from bot.search.analysis import Analyzer, words


class Crossing:
    """Per language: stemmed phrase -> the English words of its glossary term."""

    def __init__(
        self, glossaries: Mapping[str, Sequence[Term]], analyzers: Mapping[str, Analyzer]
    ) -> None:
        self._analyzers = analyzers
        self._phrases: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {}
        for lang, terms in glossaries.items():
            analyzer = analyzers[lang]
            table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
            for term in terms:
                for form in (term.term, *term.also):
                    stems = tuple(analyzer.stem(w) for w in words(form, lang))
                    if stems:
                        table.setdefault(stems[0], []).append((stems, term.en))
            for options in table.values():
                options.sort(key=lambda option: -len(option[0]))  # longest match first
            self._phrases[lang] = table

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._phrases)

    def to_english(self, tokens: Sequence[str], lang: str) -> tuple[str, int]:
        """The English words of the glossary terms in `tokens` (a message's words in `lang`),
        in order ("" when none is there), and how many content words were left behind: the
        search counts those as words it does not know, as it would for an English question."""
        table = self._phrases.get(lang)
        if not table:
            return "", 0
        analyzer = self._analyzers[lang]
        stems = [analyzer.stem(w) for w in tokens]
        out: list[str] = []
        left = 0
        i = 0
        while i < len(stems):
            for sequence, english in table.get(stems[i], ()):
                if len(sequence) == 1 and tokens[i] in analyzer.stopwords:
                    continue  # "para" is not "pares" (peers), though both stem to "par"
                if tuple(stems[i : i + len(sequence)]) == sequence:
                    out.append(english)
                    i += len(sequence)
                    break
            else:
                left += tokens[i] not in analyzer.stopwords
                i += 1
        return " ".join(dict.fromkeys(out)), left
