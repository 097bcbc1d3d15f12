"""One message, read once: folded, split into words, its scripts counted, its language guessed.

Crisis rules, the crisis model, intents, the language guess and search all read the same
`Utterance`, made once per message by the turn service; none of them folds the text again.
It lives in memory for one turn and is never stored or logged.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.search.analysis import fold, split_words

MAX_CHARS = 8192  # longer messages are read on their first MAX_CHARS characters
LATIN = ("en", "es", "fr", "pt")
MIN_STOPWORDS = 2  # a Latin-script language needs this many of its stopwords, and the most


class Utterance:
    """A message prepared for every reader. `tokens` are the lexicons' words (apostrophes joined:
    "can't" -> "cant", "j'ai" -> "jai", as phones type them); `words(lang)` are the search's."""

    __slots__ = ("_words", "arabic", "cyrillic", "folded", "joined", "latin", "offsets", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw[:MAX_CHARS]
        self.folded = fold(self.raw)
        self._words: dict[bool, list[str]] = {}
        self.joined = " ".join(self.tokens)
        self.offsets: list[int] = []
        position = 0
        for token in self.tokens:
            self.offsets.append(position)
            position += len(token) + 1
        self.latin = self.cyrillic = self.arabic = 0
        for char in self.folded:
            if "\u0400" <= char <= "\u04ff":
                self.cyrillic += 1
            elif "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f":
                self.arabic += 1
            elif "a" <= char <= "z" or "\u00c0" <= char <= "\u024f":
                self.latin += 1

    @property
    def tokens(self) -> list[str]:
        return self.words("en")

    def words(self, lang: str) -> list[str]:
        """Folded words, apostrophes handled as `lang` uses them (joined in English only)."""
        joining = lang == "en"
        found = self._words.get(joining)
        if found is None:
            found = self._words[joining] = split_words(self.folded, "en" if joining else "xx")
        return found

    @property
    def script_language(self) -> str | None:
        """Arabic or Russian when the letters say so; Latin-script languages need more."""
        if self.arabic and self.arabic >= self.cyrillic:
            return "ar"
        return "ru" if self.cyrillic else None

    def language(self, stopwords: Mapping[str, frozenset[str]]) -> str | None:
        """The language of the message, or None when it is too short or too mixed to tell.

        Script settles Russian and Arabic; for Latin-script languages the stopwords people cannot
        avoid ("the", "que", "je", "não") decide."""
        if self.cyrillic > self.latin and self.cyrillic >= self.arabic:
            return "ru"
        if self.arabic > self.latin:
            return "ar"
        tokens = self.words("xx")
        scores = {
            lang: sum(t in stopwords.get(lang, frozenset()) for t in tokens) for lang in LATIN
        }
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        (best, top), (_, second) = ranked[0], ranked[1]
        return best if top >= MIN_STOPWORDS and top > second else None
