"""Countries named in a message, in any of the six languages: "I'm in Georgia", "я в Грузии",
"estoy en Alemania". Localized names come from CLDR through Babel, so no hand-written list of
a few hundred names per language; `intents/countries/names.yaml` adds everyday names CLDR lacks
("Holland", "UK").

Names and messages are folded and stemmed with the language's Snowball stemmer, so inflected
forms match ("Грузии" and "Грузия" share the stem "груз"). Only the countries the content knows
are recognised: CLDR also names Togo, whose Russian name is the everyday word "того".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from babel import Locale

from bot.content.yamlfile import Node, load
from bot.errors import CorpusError, Problem
from bot.search.analysis import STEMMERS, fold, split_words
from bot.utterance import Utterance

ALIASES_FILE = "countries/names.yaml"
MAX_NAME_WORDS = 4


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[lang])


def _key(text: str, lang: str) -> tuple[str, ...]:
    stem = _stemmer(lang).stemWord
    return tuple(stem(word) for word in split_words(fold(text), lang))


class CountryNames:
    """Finds a known country in a message by its name in any supported language."""

    def __init__(
        self,
        codes: Iterable[str],
        languages: Iterable[str],
        aliases: Mapping[str, Mapping[str, list[str]]] | None = None,
    ) -> None:
        self.codes = frozenset(codes)
        self._names: dict[str, dict[tuple[str, ...], str]] = {}
        for lang in languages:
            names: dict[tuple[str, ...], str] = {}
            territories = Locale.parse(lang).territories
            for code in sorted(self.codes):
                for name in (territories.get(code), *(aliases or {}).get(lang, {}).get(code, [])):
                    key = _key(name, lang) if name else ()
                    if 0 < len(key) <= MAX_NAME_WORDS:
                        names.setdefault(key, code)
            self._names[lang] = names

    @classmethod
    def load(
        cls, intents_dir: Path, codes: Iterable[str], languages: Iterable[str]
    ) -> CountryNames:
        """With the everyday names of `intents/countries/names.yaml`; errors name file and line."""
        shown = f"{intents_dir.name}/{ALIASES_FILE}"
        document = load(intents_dir / ALIASES_FILE, shown)
        aliases = document.get("language_aliases") if isinstance(document, Node) else None
        if not isinstance(aliases, Node):
            raise CorpusError([Problem(shown, 1, "", "expected 'language_aliases'")])
        return cls(codes, languages, {str(k): dict(v) for k, v in aliases.items()})

    def find(self, message: Utterance, prefer: str | None = None) -> str | None:
        """The ISO code of the first known country the message names, or None. A message that
        is only a two-letter code ("GE", "nl") counts too."""
        bare = message.raw.strip().upper()
        if len(bare) == 2 and bare in self.codes:
            return bare
        order = sorted(self._names, key=lambda lang: lang != prefer)
        for lang in order:
            names = self._names[lang]
            stem = _stemmer(lang).stemWord
            stems = [stem(word) for word in message.words(lang)]
            for size in range(min(MAX_NAME_WORDS, len(stems)), 0, -1):
                for start in range(len(stems) - size + 1):
                    code = names.get(tuple(stems[start : start + size]))
                    if code is not None:
                        return code
        return None
