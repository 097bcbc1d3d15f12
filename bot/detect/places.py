"""Countries named in a message, in any of the six languages: "I'm in Georgia", "я в Грузии",
"estoy en Alemania". Localized names come from CLDR through Babel, so no hand-written list of
a few hundred names per language; `intents/countries/names.yaml` adds everyday names CLDR lacks
("Holland", "UK").

Names and messages are folded and stemmed with the language's Snowball stemmer, so inflected
forms match ("Грузии" and "Грузия" share the stem "груз"). Only the countries the content knows
are recognised: CLDR also names Togo, whose Russian name is the everyday word "того".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from babel import Locale

from bot.content.yamlfile import Node, load
from bot.errors import CorpusError, Problem
from bot.search.analysis import fold, split_words, stemmer
from bot.utterance import Utterance

ALIASES_FILE = "countries/names.yaml"
MAX_NAME_WORDS = 4
MIN_STEM = 4  # a shorter stem must match a whole word
ARABIC_PREFIXES = "بلوف"  # بفرنسا: in France; a one-letter prefix is written joined


def iso_country(code: str) -> bool:
    """Whether `code` is an ISO 3166 country code (CLDR's list, without its pseudo-regions):
    what /country may store, so a typed "XX" never reaches the database."""
    return code in _ISO_CODES


_PSEUDO_REGIONS = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})
_ISO_CODES = frozenset(
    code
    for code in map(str, Locale.parse("en").territories)
    if len(code) == 2 and code.isalpha() and code not in _PSEUDO_REGIONS
)


class CountryNames:
    """Finds a known country in a message by its name in any supported language."""

    def __init__(
        self,
        codes: Iterable[str],
        languages: Iterable[str],
        aliases: Mapping[str, Mapping[str, list[str]]] | None = None,
    ) -> None:
        self.codes = frozenset(codes)
        # language -> stems of a name -> (code, the name's folded words)
        self._names: dict[str, dict[tuple[str, ...], tuple[str, tuple[str, ...]]]] = {}
        for lang in languages:
            names: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
            territories = Locale.parse(lang).territories
            for code in sorted(self.codes):
                for name in (territories.get(code), *(aliases or {}).get(lang, {}).get(code, [])):
                    words = tuple(split_words(fold(name), lang)) if name else ()
                    if 0 < len(words) <= MAX_NAME_WORDS:
                        names.setdefault(_key(words, lang), (code, words))
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
        for lang in sorted(self._names, key=lambda lang: lang != prefer):
            typed = message.words(lang)
            readings = [typed]
            if lang == "ar":  # "بفرنسا": the preposition joined to the name
                readings.append([_unprefixed(word) for word in typed])
            for words in readings:
                code = self._lookup(words, lang)
                if code is not None:
                    return code
        return None

    def _lookup(self, words: Sequence[str], lang: str) -> str | None:
        names, stems = self._names[lang], _key(words, lang)
        for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                key = stems[start : start + size]
                found = names.get(key)
                if found and _same(words[start : start + size], found[1], key):
                    return found[0]
        return None


def _key(words: Iterable[str], lang: str) -> tuple[str, ...]:
    stem = stemmer(lang).stemWord
    return tuple(stem(word) for word in words)


def _same(typed: Sequence[str], name: Sequence[str], stems: Sequence[str]) -> bool:
    """The stems (shared by the typed words and the name) agree; also make sure the words really
    are the name's: a short stem ("can" for "Canadá", "ira" for "Irã") must be the whole word, a
    longer one the start of it."""
    for word, part, stem in zip(typed, name, stems, strict=True):
        if word == part:
            continue
        if len(stem) < MIN_STEM or not word.startswith(stem[:MIN_STEM]):
            return False
    return True


def _unprefixed(word: str) -> str:
    return word[1:] if word[:1] in ARABIC_PREFIXES and len(word) > MIN_STEM else word
